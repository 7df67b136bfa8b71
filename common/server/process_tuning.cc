#include "common/server/process_tuning.h"

#include <malloc.h>

#include "absl/synchronization/mutex.h"

namespace council {

void TuneProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::EnableMutexInvariantDebugging(false);
  constexpr int kThresholdBytes = 128 * 1024;  // glibc's own starting value
  mallopt(M_MMAP_THRESHOLD, kThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kThresholdBytes);
}

}  // namespace council
