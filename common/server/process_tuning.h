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
//
// Fixes glibc malloc's mmap and trim thresholds at 128 KiB. Left dynamic,
// glibc raises both after a large block is freed (up to 32 MiB and 64 MiB),
// so after a bulk import the freed buffers and the free tops of the threads'
// arenas stayed resident for good; relations-service with a 20,000-person
// directory, idle after a burst of conflict checks, held 51-53 MB instead of
// 47-48 MB (bench/relations_bench). See also common/server/idle_trimmer.h.
void TuneProcess();

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_PROCESS_TUNING_H_
