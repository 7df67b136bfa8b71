// Unit tests of the gateway's ReplyPoller (issue 7, "Speed": gateway overhead
// ≤ 150 µs at p50): while a lone backend reply is due, a forwarding thread
// polls its queue instead of sleeping, so the reply needs no wake-up; it
// never polls with nothing (or several replies) due, and stops polling while
// replies come too late.
// Events here are gRPC alarms on a real completion queue.
#include "gateway/reply_poller.h"

#include <cstdint>

#include "absl/time/clock.h"
#include "grpcpp/alarm.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

// Waits with `poller` for `count` events, each an alarm `after` from when
// the wait starts.
void WaitFor(ReplyPoller& poller, grpc::CompletionQueue& cq, int count, absl::Duration after) {
  for (int i = 0; i < count; ++i) {
    grpc::Alarm alarm;
    int tag_value = i;
    alarm.Set(&cq, absl::ToChronoTime(absl::Now() + after), &tag_value);
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(poller.Next(&cq, &tag, &ok));
    EXPECT_EQ(tag, &tag_value);
    EXPECT_TRUE(ok);
  }
}

int64_t Polls(const ReplyPoller& poller) {
  return poller.polls_caught() + poller.polls_missed();
}

TEST(ReplyPollAdvisorTest, PollsWhileRepliesAreCaughtThenOneWaitInSixteenAfterMisses) {
  ReplyPollAdvisor advisor;
  EXPECT_TRUE(advisor.ShouldPoll()) << "starts out polling";
  for (int i = 0; i < 20; ++i) advisor.Record(true);
  EXPECT_TRUE(advisor.ShouldPoll());
  for (int i = 0; i < 20; ++i) advisor.Record(false);  // replies now come too late
  int polls = 0;
  for (int i = 0; i < 64; ++i) polls += advisor.ShouldPoll() ? 1 : 0;
  EXPECT_EQ(polls, 4) << "only every 16th wait probes while polls miss";
  for (int i = 0; i < 20; ++i) advisor.Record(true);  // quick replies again
  EXPECT_TRUE(advisor.ShouldPoll());
  EXPECT_TRUE(advisor.ShouldPoll());
}

TEST(ReplyPollAdvisorTest, KeepsPollingWhileAQuarterOfPollsCatch) {
  ReplyPollAdvisor advisor;
  for (int i = 0; i < 200; ++i) advisor.Record(i % 2 == 0);  // half catch
  for (int i = 0; i < 32; ++i) EXPECT_TRUE(advisor.ShouldPoll());
}

class ReplyPollerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }
  grpc::CompletionQueue cq_;
};

// Events well within the budget (a margin for a busy machine, where gRPC's
// timer thread may fire an alarm late).
constexpr absl::Duration kBudget = absl::Milliseconds(20);
constexpr absl::Duration kSoon = absl::Microseconds(200);

TEST_F(ReplyPollerTest, PollsForEventsWhileAReplyIsDue) {
  ReplyPoller poller(kBudget);
  poller.ReplyAwaited();
  WaitFor(poller, cq_, 10, kSoon);
  EXPECT_EQ(poller.polls_caught(), 10) << "every wait polled, and caught its event";
  EXPECT_EQ(poller.polls_missed(), 0);
}

TEST_F(ReplyPollerTest, SleepsWithNoReplyOrSeveralDueOrNoBudget) {
  ReplyPoller poller(kBudget);
  WaitFor(poller, cq_, 10, kSoon);
  EXPECT_EQ(Polls(poller), 0) << "nothing due: no polling";
  poller.ReplyAwaited();
  poller.ReplyArrived();
  WaitFor(poller, cq_, 10, kSoon);
  EXPECT_EQ(Polls(poller), 0) << "a reply that has arrived is no longer due";
  poller.ReplyAwaited();
  poller.ReplyAwaited();
  WaitFor(poller, cq_, 10, kSoon);
  EXPECT_EQ(Polls(poller), 0) << "with several replies due, events come often anyway";
  ReplyPoller no_budget(absl::ZeroDuration());
  no_budget.ReplyAwaited();
  WaitFor(no_budget, cq_, 10, kSoon);
  EXPECT_EQ(Polls(no_budget), 0);
}

TEST_F(ReplyPollerTest, StopsPollingWhileRepliesComeAfterTheBudget) {
  ReplyPoller poller(absl::Microseconds(300));
  poller.ReplyAwaited();
  // A dozen misses in a row stop polling; then one wait in 16 probes. (The
  // events come long after the budget, so that even a poll whose yield lost
  // the CPU for a few milliseconds misses.)
  WaitFor(poller, cq_, 16, absl::Milliseconds(10));
  EXPECT_GE(poller.polls_missed(), 11);
  const int64_t polls_before = Polls(poller);
  WaitFor(poller, cq_, 32, absl::Milliseconds(10));
  EXPECT_EQ(Polls(poller) - polls_before, 2);
}

TEST_F(ReplyPollerTest, AnEventAfterTheBudgetIsStillDelivered) {
  ReplyPoller poller(absl::Microseconds(50));
  poller.ReplyAwaited();
  const absl::Time start = absl::Now();
  WaitFor(poller, cq_, 3, absl::Milliseconds(5));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(15));
  EXPECT_EQ(Polls(poller), 3);
  // Caught only if this thread lost the CPU for 5 ms between setting an
  // alarm and polling for it: possible on a busy machine, never twice.
  EXPECT_LE(poller.polls_caught(), 1);
}

TEST(ReplyPollerShutdownTest, NextIsFalseOnceTheQueueIsShutDownAndDrained) {
  grpc::CompletionQueue cq;
  ReplyPoller poller(absl::Milliseconds(20));
  poller.ReplyAwaited();
  int tag_value = 0;
  grpc::Alarm alarm;
  alarm.Set(&cq, std::chrono::system_clock::now(), &tag_value);
  void* tag = nullptr;
  bool ok = false;
  ASSERT_TRUE(poller.Next(&cq, &tag, &ok));
  EXPECT_EQ(tag, &tag_value);
  cq.Shutdown();
  EXPECT_FALSE(poller.Next(&cq, &tag, &ok)) << "polling must not hide the shutdown";
}

}  // namespace
}  // namespace council::gateway
