// process_tuning.h — process-wide settings every binary of the suite applies
// first thing in main(), before any thread starts.
#ifndef COUNCIL_COMMON_SERVER_PROCESS_TUNING_H_
#define COUNCIL_COMMON_SERVER_PROCESS_TUNING_H_

namespace council {

// TuneProcess
//
// Turns off Abseil's mutex deadlock detection. Debian's Abseil is built with
// it on (no NDEBUG), so every absl::Mutex lock — ours and gRPC's, which locks
// through absl — walked a lock graph: the single costliest user-space symbol
// on the gateway's call path (GraphCycles::GetId). Lock ordering is still
// checked by the thread-safety annotations at compile time.
void TuneProcess();

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_PROCESS_TUNING_H_
