// WatchComplaintEvents at scale, in process: many open streams cost no thread
// each, every stream gets every event it asked for, and the open streams are
// capped per caller and in total.
#include <dirent.h>

#include <cstring>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/complaints/server_fixture.h"

namespace council::complaints {
namespace {

using ::council::complaints::testing::ServiceUnderTest;

// The threads this process runs (server and client side alike).
int ThreadCount() {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count;
}

// One open watch stream and its context.
struct Watch {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::ComplaintEvent>> reader;
};

Watch OpenWatch(ServiceUnderTest& s, const std::string& person, int64_t after,
                const std::string& complaint = "") {
  Watch watch;
  watch.context = s.Context(person, "WatchComplaintEvents", {"auditor"});
  watch.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::WatchComplaintEventsRequest request;
  request.set_after_position(after);
  request.set_complaint(complaint);
  watch.reader = s.stub->WatchComplaintEvents(watch.context.get(), request);
  return watch;
}

TEST(WatchStreamsTest, ThreeHundredStreamsRunOnAFewThreadsAndEachGetsEveryEvent) {
  ServiceUnderTest s("sheffield");
  v1::Complaint first;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &first).ok());
  const int64_t last = s.store->LastPosition();
  ASSERT_GT(last, 0);
  const int before = ThreadCount();

  // 300 streams from 30 tools (10 each), each resuming just before the last
  // event: each is sent that event from the outbox.
  constexpr int kTools = 30, kPerTool = 10;
  std::vector<Watch> watches;
  for (int t = 0; t < kTools; ++t)
    for (int i = 0; i < kPerTool; ++i)
      watches.push_back(OpenWatch(s, absl::StrCat("audit-tool-", t), last - 1));
  for (auto& watch : watches) {
    v1::ComplaintEvent event;
    ASSERT_TRUE(watch.reader->Read(&event)) << watch.reader->Finish().error_message();
    EXPECT_EQ(event.position(), last);
  }
  const int with_streams = ThreadCount();
  std::cout << "threads: " << before << " before, " << with_streams << " with "
            << watches.size() << " open streams\n";
  // A thread per stream would be 300 more.
  EXPECT_LT(with_streams - before, 30) << before << " threads before, " << with_streams
                                       << " with 300 streams";

  // A new complaint's events reach every stream as they commit.
  v1::Complaint second;
  ASSERT_TRUE(s.Create("cllr-ada", "people/off-matthew", &second).ok());
  for (auto& watch : watches) {
    v1::ComplaintEvent event;
    ASSERT_TRUE(watch.reader->Read(&event));
    EXPECT_EQ(event.position(), last + 1);
    EXPECT_EQ(event.complaint(), second.name());
    EXPECT_EQ(event.type(), v1::COMPLAINT_EVENT_TYPE_FILED);
  }
  EXPECT_LT(ThreadCount() - before, 30);
  for (auto& watch : watches) watch.context->TryCancel();
  for (auto& watch : watches)
    EXPECT_EQ(watch.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// Reads one event, or returns the stream's status.
grpc::Status ReadOne(Watch& watch, v1::ComplaintEvent* event) {
  if (watch.reader->Read(event)) return grpc::Status::OK;
  return watch.reader->Finish();
}

TEST(WatchStreamsTest, StreamsBeyondTheCallersCapOrTheTotalAreRefusedWithErrorInfo) {
  WatchLimits limits;
  limits.per_caller = 3;
  limits.total = 5;
  ServiceUnderTest s(testing::ShippedProfile("sheffield"), limits);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  const int64_t last = s.store->LastPosition();
  v1::ComplaintEvent event;

  std::vector<Watch> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(OpenWatch(s, "audit-a", last - 1));
    ASSERT_TRUE(ReadOne(open.back(), &event).ok());
  }
  Watch fourth = OpenWatch(s, "audit-a", last - 1);
  grpc::Status refused = ReadOne(fourth, &event);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_TOO_MANY_STREAMS");
  EXPECT_EQ(ErrorInfoMetadata(refused, "scope"), "caller");
  EXPECT_EQ(ErrorInfoMetadata(refused, "limit"), "3");
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("people/audit-a already has 3"));
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("--max_watch_streams_per_caller"));

  for (int i = 0; i < 2; ++i) {
    open.push_back(OpenWatch(s, "audit-b", last - 1));
    ASSERT_TRUE(ReadOne(open.back(), &event).ok());
  }
  Watch sixth = OpenWatch(s, "audit-c", last - 1);
  refused = ReadOne(sixth, &event);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_TOO_MANY_STREAMS");
  EXPECT_EQ(ErrorInfoMetadata(refused, "scope"), "service");
  EXPECT_EQ(ErrorInfoMetadata(refused, "limit"), "5");
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("--max_watch_streams"));
  EXPECT_EQ(s.service->watch_hub().stats().open, 5);
  EXPECT_EQ(s.service->watch_hub().stats().refused, 2);

  // A cancelled stream frees its slot: audit-c gets in (once the server has
  // seen the cancellation), and so does audit-a's next stream.
  open[0].context->TryCancel();
  EXPECT_EQ(open[0].reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  grpc::Status status;
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  do {
    Watch retry = OpenWatch(s, "audit-c", last - 1);
    status = ReadOne(retry, &event);
    if (status.ok()) {
      open.push_back(std::move(retry));
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(event.position(), last);
  EXPECT_EQ(s.service->watch_hub().stats().open, 5);
  for (size_t i = 1; i < open.size(); ++i) open[i].context->TryCancel();
}

TEST(WatchStreamsTest, AStreamFarBehindReadsItsBacklogInPagesNoLongerThanTheQueue) {
  WatchLimits limits;
  limits.queue = 4;
  ServiceUnderTest s(testing::ShippedProfile("sheffield"), limits);
  for (int i = 0; i < 12; ++i) {
    v1::Complaint c;
    ASSERT_TRUE(s.Create(i % 2 == 0 ? "cllr-sophie" : "cllr-ada", "people/off-matthew", &c).ok());
  }
  const int64_t last = s.store->LastPosition();
  ASSERT_GE(last, 12);
  Watch watch = OpenWatch(s, "audit-a", 0);
  v1::ComplaintEvent event;
  for (int64_t position = 1; position <= last; ++position) {
    ASSERT_TRUE(ReadOne(watch, &event).ok());
    EXPECT_EQ(event.position(), position) << "in order, none missed";
  }
  // Then live again.
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(ReadOne(watch, &event).ok());
  EXPECT_EQ(event.position(), last + 1);
  EXPECT_EQ(event.complaint(), c.name());
  const WatchStats stats = s.service->watch_hub().stats();
  EXPECT_GE(stats.pages_read, last / 4);
  EXPECT_LE(stats.max_queued, 4);
  watch.context->TryCancel();
}

TEST(WatchStreamsTest, AReaderSlowerThanTheEventsFallsBackToTheOutboxAndMissesNothing) {
  // One queued event per stream: a sweep that reports several missed limits
  // in one transaction overflows it, and the rest comes from the outbox.
  WatchLimits limits;
  limits.queue = 1;
  ServiceUnderTest s(testing::ShippedProfile("south-somerset"), limits);
  s.today = absl::CivilDay(2027, 2, 1);
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i) {
    v1::Complaint c;
    ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
    names.push_back(c.name());
  }
  const int64_t before_sweep = s.store->LastPosition();
  Watch all = OpenWatch(s, "audit-a", before_sweep);
  Watch one = OpenWatch(s, "audit-a", before_sweep, names[2]);
  // Both streams are up to date before the sweep commits.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (s.service->watch_hub().stats().open < 2 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(5));
  s.today = absl::CivilDay(2027, 2, 9);
  v1::RunSweepResponse swept;
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  ASSERT_GE(swept.missed_warnings(), 4);
  const int64_t last = s.store->LastPosition();
  ASSERT_GE(last - before_sweep, 4);

  v1::ComplaintEvent event;
  for (int64_t position = before_sweep + 1; position <= last; ++position) {
    ASSERT_TRUE(ReadOne(all, &event).ok());
    EXPECT_EQ(event.position(), position);
  }
  int seen_for_one = 0;
  auto stored = s.store->Events(before_sweep, 1000, names[2].substr(strlen("complaints/")));
  ASSERT_TRUE(stored.ok());
  for (const auto& expected : *stored) {
    ASSERT_TRUE(ReadOne(one, &event).ok());
    EXPECT_EQ(event.position(), expected.position());
    EXPECT_EQ(event.complaint(), names[2]);
    ++seen_for_one;
  }
  EXPECT_GE(seen_for_one, 1);
  const WatchStats stats = s.service->watch_hub().stats();
  EXPECT_GE(stats.fell_behind, 1);
  EXPECT_LE(stats.max_queued, 1);
  all.context->TryCancel();
  one.context->TryCancel();
}

TEST(WatchStreamsTest, StoppingTheServiceEndsEveryStreamWithThePositionToResumeAfter) {
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  const int64_t last = s.store->LastPosition();
  std::vector<Watch> watches;
  v1::ComplaintEvent event;
  for (int i = 0; i < 20; ++i) {
    watches.push_back(OpenWatch(s, absl::StrCat("audit-", i), last - 1));
    ASSERT_TRUE(ReadOne(watches.back(), &event).ok());
  }
  const absl::Time started = absl::Now();
  s.service->Stop();
  for (auto& watch : watches) {
    grpc::Status ended = ReadOne(watch, &event);
    EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(ended.error_message(),
                ::testing::HasSubstr(absl::StrCat("resume after position ", last)));
    EXPECT_EQ(ErrorInfoReason(ended), "ERROR_REASON_BACKEND_UNAVAILABLE");
    EXPECT_EQ(ErrorInfoMetadata(ended, "resume_after"), absl::StrCat(last));
  }
  EXPECT_LT(absl::Now() - started, absl::Seconds(2)) << "not at the grace deadline";
  Watch late = OpenWatch(s, "audit-late", last);
  EXPECT_EQ(ReadOne(late, &event).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(WatchStreamsTest, AuthenticationIsCheckedAsForEveryOtherMethod) {
  ServiceUnderTest s("sheffield");
  v1::WatchComplaintEventsRequest request;
  v1::ComplaintEvent event;
  {
    grpc::ClientContext unsigned_context;  // no assertion from the gateway
    auto reader = s.stub->WatchComplaintEvents(&unsigned_context, request);
    EXPECT_FALSE(reader->Read(&event));
    grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_NOT_FROM_GATEWAY");
  }
  {
    // An assertion for another method is refused too.
    auto context = s.Context("it-admin", "RunSweep", {"administrator"});
    auto reader = s.stub->WatchComplaintEvents(context.get(), request);
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    request.set_after_position(-1);
    auto context = s.Context("it-admin", "WatchComplaintEvents", {"administrator"});
    auto reader = s.stub->WatchComplaintEvents(context.get(), request);
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(s.service->watch_hub().stats().open, 0);
  EXPECT_EQ(s.service->watch_hub().stats().refused, 0) << "refused before taking a slot";
}

}  // namespace
}  // namespace council::complaints
