#include "common/server/idle_trimmer.h"

#include <malloc.h>

namespace council {

IdleTrimmer::IdleTrimmer(absl::Duration quiet, std::function<std::size_t()> release)
    : quiet_(quiet), release_(std::move(release)), thread_([this] { Loop(); }) {}

IdleTrimmer::~IdleTrimmer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void IdleTrimmer::Loop() {
  uint64_t seen = 0;  // so that calls made before this thread ran count too
  bool active_since_trim = false;
  absl::MutexLock lock(&mu_);
  // Each period: activity means "not idle yet"; a quiet period means idle:
  // release what has expired, and trim once per burst (or per release).
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), quiet_)) {
    const uint64_t now = activity_.load(std::memory_order_relaxed);
    if (now != seen) {
      seen = now;
      active_since_trim = true;
      continue;
    }
    mu_.Unlock();
    const bool released = release_ != nullptr && release_() > 0;
    if (active_since_trim || released) {
      malloc_trim(0);
      trims_.fetch_add(1);
    }
    mu_.Lock();
    active_since_trim = false;
  }
}

}  // namespace council
