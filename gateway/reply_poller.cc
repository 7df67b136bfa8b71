#include "gateway/reply_poller.h"

#include <sched.h>

#include <chrono>

#include "grpc/support/time.h"

namespace council::gateway {

bool ReplyPollAdvisor::ShouldPoll() {
  if (score_ >= kFull / 4) return true;
  // Polls have been missing: try one wait in 16, so that the score can
  // recover when replies come quickly again.
  if (++waits_since_probe_ < 16) return false;
  waits_since_probe_ = 0;
  return true;
}

void ReplyPollAdvisor::Record(bool caught) {
  // An exponentially weighted average with weight 1/8 for the newest poll.
  score_ += ((caught ? kFull : 0) - score_) / 8;
}

ReplyPoller::ReplyPoller(absl::Duration budget) : budget_(budget) {}

bool ReplyPoller::Next(grpc::CompletionQueue* cq, void** tag, bool* ok) {
  // Only for a lone reply: with several due, events come often enough that
  // the thread seldom sleeps long, and a polling thread would only keep a core
  // that looks busy to the scheduler from the backends that need it (access
  // decisions at saturation, BENCHMARKS.md: 3,374/s polling whenever replies
  // were due, 4,037/s not polling, 4,086/s with this rule).
  if (awaited_ == 1 && budget_ > absl::ZeroDuration() && advisor_.ShouldPoll()) {
    switch (Poll(cq, tag, ok)) {
      case grpc::CompletionQueue::GOT_EVENT:
        ++polls_caught_;
        advisor_.Record(true);
        return true;
      case grpc::CompletionQueue::SHUTDOWN:
        return false;
      case grpc::CompletionQueue::TIMEOUT:
        ++polls_missed_;
        advisor_.Record(false);
        break;
    }
  }
  return cq->Next(tag, ok);
}

grpc::CompletionQueue::NextStatus ReplyPoller::Poll(grpc::CompletionQueue* cq, void** tag,
                                                    bool* ok) {
  const auto until = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(budget_);
  const gpr_timespec immediately = gpr_time_0(GPR_CLOCK_MONOTONIC);  // do not block
  while (true) {
    const auto status = cq->AsyncNext(tag, ok, immediately);
    if (status != grpc::CompletionQueue::TIMEOUT) return status;
    sched_yield();  // a runnable backend or client on this core goes first
    // Checked after the yield, which may have lost the CPU for a while: an
    // event that came meanwhile is the blocking Next's, at no wake-up cost,
    // and the poll counts as missed (it did not come within the budget).
    if (std::chrono::steady_clock::now() >= until) return grpc::CompletionQueue::TIMEOUT;
  }
}

}  // namespace council::gateway
