// Tests for common/util/resource_names.h where fuzzing found a gap: ParseDay
// must accept exactly what FormatDay writes, YYYY-MM-DD.
#include "common/util/resource_names.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace council {
namespace {

TEST(ParseDayTest, AcceptsWhatFormatDayWrites) {
  absl::CivilDay day;
  ASSERT_TRUE(ParseDay("2026-02-28", &day));
  EXPECT_EQ(day, absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(FormatDay(day), "2026-02-28");
}

TEST(ParseDayTest, RefusesOtherTenCharacterSpellings) {
  absl::CivilDay day;
  // fuzz/regressions/resource_names_fuzzer/parse-day-five-digit-year-one-digit-month
  EXPECT_FALSE(ParseDay("10260-2-28", &day));
  EXPECT_FALSE(ParseDay(" 2026-1-15", &day));
  EXPECT_FALSE(ParseDay("2026-1-015", &day));
  EXPECT_FALSE(ParseDay("+202-01-01", &day));
  EXPECT_FALSE(ParseDay("2026/02/28", &day));
}

TEST(ParseDayTest, RefusesDaysThatDoNotExist) {
  absl::CivilDay day;
  EXPECT_FALSE(ParseDay("2026-02-30", &day));
  EXPECT_FALSE(ParseDay("2026-13-01", &day));
}

}  // namespace
}  // namespace council
