// idle_trimmer.h — give memory back to the system once a service falls idle.
//
// glibc's malloc keeps freed memory for reuse, in every thread's arena. After
// a burst (an HR import, a busy hour of conflict checks) a service would keep
// the burst's size until its next restart. An IdleTrimmer watches a counter
// that callers bump (Touch, one relaxed atomic increment: cheap enough for
// every call); after a `quiet` period with no Touch it runs `release` (which
// frees what the service no longer needs, returning how much it freed) and,
// if there was activity or something was released since the last time,
// malloc_trim, which returns the free pages of every arena.
#ifndef COUNCIL_COMMON_SERVER_IDLE_TRIMMER_H_
#define COUNCIL_COMMON_SERVER_IDLE_TRIMMER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace council {

class IdleTrimmer {
 public:
  IdleTrimmer(absl::Duration quiet, std::function<std::size_t()> release);
  // Stops the thread; `release` is not called after this returns.
  ~IdleTrimmer();

  void Touch() const { activity_.fetch_add(1, std::memory_order_relaxed); }

  // trims
  //
  // Returns how many times memory has been trimmed (for tests).
  int trims() const { return trims_.load(); }

 private:
  void Loop();

  const absl::Duration quiet_;
  const std::function<std::size_t()> release_;
  mutable std::atomic<uint64_t> activity_{0};
  std::atomic<int> trims_{0};
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_IDLE_TRIMMER_H_
