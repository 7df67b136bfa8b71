#include "common/server/process_tuning.h"

#include "absl/synchronization/mutex.h"

namespace council {

void TuneProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::EnableMutexInvariantDebugging(false);
}

}  // namespace council
