// Unit tests of IdleTrimmer (common/server/idle_trimmer.h): issue 4's "idle
// resident size < 50 MB" holds after a burst only if freed memory is handed
// back once calls pause, and only then (not while calls keep coming).
#include "common/server/idle_trimmer.h"

#include <atomic>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

// Long enough that a loaded test machine does not stall the touching thread
// for a whole period.
constexpr absl::Duration kQuiet = absl::Milliseconds(100);

TEST(IdleTrimmerTest, TrimsOnceAfterActivityPausesAndNotAgainWhileIdle) {
  std::atomic<int> releases{0};
  IdleTrimmer trimmer(kQuiet, [&] {
    releases.fetch_add(1);
    return std::size_t{0};
  });
  trimmer.Touch();
  absl::SleepFor(kQuiet * 6);
  EXPECT_EQ(trimmer.trims(), 1) << "one trim for the one burst";
  EXPECT_GE(releases.load(), 1) << "expired state is released when idle";
  absl::SleepFor(kQuiet * 4);
  EXPECT_EQ(trimmer.trims(), 1) << "nothing happened since: no further trim";
}

TEST(IdleTrimmerTest, DoesNotTrimWhileCallsKeepComing) {
  IdleTrimmer trimmer(kQuiet, nullptr);
  const absl::Time until = absl::Now() + kQuiet * 8;
  while (absl::Now() < until) {
    trimmer.Touch();
    absl::SleepFor(kQuiet / 10);
  }
  EXPECT_EQ(trimmer.trims(), 0);
  absl::SleepFor(kQuiet * 4);
  EXPECT_EQ(trimmer.trims(), 1);
}

TEST(IdleTrimmerTest, ReleasingSomethingWhileIdleTrimsAgain) {
  std::atomic<int> to_release{0};
  IdleTrimmer trimmer(kQuiet, [&] { return static_cast<std::size_t>(to_release.exchange(0)); });
  absl::SleepFor(kQuiet * 4);
  EXPECT_EQ(trimmer.trims(), 0) << "never active, nothing released: nothing to trim";
  to_release.store(3);  // e.g. a replay cache's nonces expiring 15 s after the calls
  absl::SleepFor(kQuiet * 4);
  EXPECT_EQ(trimmer.trims(), 1);
}

}  // namespace
}  // namespace council
