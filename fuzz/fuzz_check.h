// fuzz_check.h — FUZZ_CHECK(condition): a property every input must keep.
//
// The build defines NDEBUG, so assert() would check nothing. A broken property
// aborts, and libFuzzer saves the input as a crash exactly as it does for a
// sanitizer report.
#ifndef COUNCIL_FUZZ_FUZZ_CHECK_H_
#define COUNCIL_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                   \
  do {                                                                          \
    if (!(condition)) {                                                         \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n", __FILE__,        \
                   __LINE__, #condition);                                       \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

// Every message the suite returns must stay short whatever the input
// (issue 16: errors echo at most a short excerpt of any input).
inline constexpr std::size_t kMaxFuzzedMessageBytes = 1024;

#endif  // COUNCIL_FUZZ_FUZZ_CHECK_H_
