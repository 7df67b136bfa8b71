// sanitizer_canary — proves that a sanitizer build reports what it must, so
// that "zero reports" from scripts/run-sanitizers.sh means something.
//
//   sanitizer_canary race     two threads write one int unguarded: TSan must report
//   sanitizer_canary locked   the same under absl::Mutex: TSan must stay quiet
//                             (the lock is in uninstrumented Abseil; see
//                             tsan_library_sync.cc)
//   sanitizer_canary overflow heap-buffer-overflow: ASan must report
//   sanitizer_canary ub       signed integer overflow: UBSan must report
//   sanitizer_canary leak     unreachable allocation: LeakSanitizer must report
// Each mode exits 0 unless a sanitizer stops it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace {

int shared_counter = 0;
absl::Mutex counter_mu;

void Increment(bool locked) {
  for (int i = 0; i < 1000; ++i) {
    if (locked) {
      absl::MutexLock lock(&counter_mu);
      ++shared_counter;
    } else {
      ++shared_counter;
    }
  }
}

int Threads(bool locked) {
  std::thread a(Increment, locked), b(Increment, locked);
  a.join();
  b.join();
  return shared_counter > 0 ? 0 : 1;
}

// Opaque to the optimiser, so the faults below are really executed.
volatile int opaque_index = 8;
volatile int opaque_max = 2147483647;
void* volatile leaked;

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (std::strcmp(mode, "race") == 0) return Threads(false);
  if (std::strcmp(mode, "locked") == 0) return Threads(true);
  if (std::strcmp(mode, "overflow") == 0) {
    char* buffer = static_cast<char*>(std::malloc(8));
    buffer[opaque_index] = 1;
    std::free(buffer);
    return 0;
  }
  if (std::strcmp(mode, "ub") == 0) {
    int value = opaque_max;
    value += 1;
    return value == 0 ? 1 : 0;
  }
  if (std::strcmp(mode, "leak") == 0) {
    leaked = std::malloc(64);
    leaked = nullptr;
    return 0;
  }
  std::fprintf(stderr, "usage: sanitizer_canary race|locked|overflow|ub|leak\n");
  return 2;
}
