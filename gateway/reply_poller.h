// reply_poller.h — how a forwarding thread waits for its queue's next event:
// polling briefly while a backend's reply is due, sleeping otherwise.
//
// Why poll at all: a thread asleep in epoll_wait that a reply wakes pays for
// the wake-up, and on virtual machines that is dear: the sleeping vCPU has
// halted, so the hypervisor must wake it (an inter-processor interrupt) before
// the switch back in. On the reference machine (a 2-vCPU guest with guest halt
// polling off) `perf bench sched pipe` takes 47 µs per round trip across the
// two CPUs and 6 µs on one. A call through the gateway adds two hops to a
// direct call, and the backend's reply is the one the gateway can see coming:
// it has just sent the request. Polling for it took 40-70 µs off the p50 of a
// forwarded call (BENCHMARKS.md, gateway).
//
// Bounded every way: the thread polls only while exactly one unary backend
// call of its queue is outstanding (with more, events come often anyway), for
// at most the budget, and yields the CPU between polls so that a runnable backend or
// client on the same core goes first. When polls
// keep missing (a backend that commits to disk before answering takes
// milliseconds), polling stops, and one wait in 16 tries again.
#ifndef COUNCIL_GATEWAY_REPLY_POLLER_H_
#define COUNCIL_GATEWAY_REPLY_POLLER_H_

#include <cstdint>

#include "absl/time/time.h"
#include "grpcpp/completion_queue.h"

namespace council::gateway {

// ReplyPollAdvisor
//
// Whether the next wait is worth polling, from how recent polls went: poll
// while at least a quarter of them (weighted to the last eight or so) caught
// an event; below that, only every 16th wait, to notice when replies come
// quickly again. Starts out polling.
class ReplyPollAdvisor {
 public:
  bool ShouldPoll();
  void Record(bool caught);

 private:
  static constexpr int kFull = 256;  // the score of a run of catches
  int score_ = kFull;                // recent catch rate, in 1/256ths
  uint32_t waits_since_probe_ = 0;
};

// ReplyPoller
//
// One per completion queue, used only by the thread draining it (the queue's
// calls run on that thread, so they count their replies there too).
class ReplyPoller {
 public:
  // `budget` is the longest a thread polls before it sleeps; zero never polls.
  explicit ReplyPoller(absl::Duration budget);

  // ReplyAwaited, ReplyArrived
  //
  // A unary backend call was sent; its reply (or status) has come back.
  void ReplyAwaited() { ++awaited_; }
  void ReplyArrived() { --awaited_; }

  // Next
  //
  // As grpc::CompletionQueue::Next: the next event's tag and ok, false once
  // the queue is shut down and drained.
  bool Next(grpc::CompletionQueue* cq, void** tag, bool* ok);

  // polls_caught, polls_missed
  //
  // Polls that ended with an event within the budget (the awaited reply or
  // any other: either spares a wake-up), and polls that ran out of budget
  // (the thread then waited as usual): whether polling pays here.
  int64_t polls_caught() const { return polls_caught_; }
  int64_t polls_missed() const { return polls_missed_; }

 private:
  // Polls `cq` for up to the budget; kGotEvent, kShutdown or kTimeout.
  grpc::CompletionQueue::NextStatus Poll(grpc::CompletionQueue* cq, void** tag, bool* ok);

  const absl::Duration budget_;
  int awaited_ = 0;
  ReplyPollAdvisor advisor_;
  int64_t polls_caught_ = 0;
  int64_t polls_missed_ = 0;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_REPLY_POLLER_H_
