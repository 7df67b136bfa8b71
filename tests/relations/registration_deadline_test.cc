// Tests for relations-service/registration_deadline.h: Localism Act 2011
// s30(1), "before the end of 28 days beginning with the day" the interest
// arose. The day itself is day 1 (issue 18: the suite counted it as day 0 and
// found an interest overdue one day late). One row per day around the edge.

#include "relations-service/registration_deadline.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

constexpr char kClause[] = "Localism Act 2011 s30(1)";

common::v1::Date Date(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// Arose on 1 March 2025: the 28 days are 1-28 March.
const absl::CivilDay kArose(2025, 3, 1);

v1::Interest Unregistered() {
  v1::Interest interest;
  interest.set_name("people/cllr-ada-okafor/interests/int-shares");
  *interest.mutable_arose_on() = Date(kArose);
  return interest;
}

struct Row {
  std::string name;
  absl::CivilDay day;
  bool registered;
  // Last day it applies; none while current.
  std::optional<absl::CivilDay> end;
  bool overdue;
  std::string why;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

const std::vector<Row>& Table() {
  static const auto* const rows = new std::vector<Row>{
      {"DayItArose", kArose, false, std::nullopt, false, "day 1 of 28"},
      {"Day27", absl::CivilDay(2025, 3, 27), false, std::nullopt, false, "day 27 of 28"},
      {"Day28IsTheLastDay", absl::CivilDay(2025, 3, 28), false, std::nullopt, false,
       "day 28: still \"before the end of 28 days\""},
      {"Day29IsOverdue", absl::CivilDay(2025, 3, 29), false, std::nullopt, true,
       "the 28 days beginning with 1 March ended on 28 March (the suite said 30 March)"},
      {"Day30IsOverdue", absl::CivilDay(2025, 3, 30), false, std::nullopt, true, "well past"},
      {"RegisteredIsNeverOverdue", absl::CivilDay(2025, 6, 1), true, std::nullopt, false,
       "registered: the duty is done"},
      {"EndedBeforeTheDayIsNotOverdue", absl::CivilDay(2025, 6, 1), false,
       absl::CivilDay(2025, 5, 31), false, "no longer held: nothing to register"},
      {"EndedAfterTheDayIsStillOverdue", absl::CivilDay(2025, 4, 1), false,
       absl::CivilDay(2025, 5, 31), true, "held and unregistered on the day"},
  };
  return *rows;
}

class RegistrationDeadlineTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(RegistrationDeadlineTableTest, OverdueOnlyAfterTheTwentyEighthDayCountingTheFirst) {
  const Row& row = GetParam();
  v1::Interest interest = Unregistered();
  if (row.registered) *interest.mutable_registered_on() = Date(absl::CivilDay(2025, 3, 20));
  if (row.end) *interest.mutable_end_date() = Date(*row.end);
  EXPECT_EQ(IsOverdue(interest, 28, row.day), row.overdue) << kClause << ": " << row.why;
}

INSTANTIATE_TEST_SUITE_P(LocalismAct2011s30, RegistrationDeadlineTableTest,
                         ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(RegistrationDeadlineTest, TheLastDayIsTheTwentyEighthCountingTheDayItself) {
  EXPECT_EQ(LastDayToRegister(kArose, 28), absl::CivilDay(2025, 3, 28)) << kClause;
  // Across a month end and a leap day.
  EXPECT_EQ(LastDayToRegister(absl::CivilDay(2024, 2, 10), 28), absl::CivilDay(2024, 3, 8));
  // A one-day period is the day itself; a profile cannot make it shorter.
  EXPECT_EQ(LastDayToRegister(kArose, 1), kArose);
  EXPECT_EQ(LastDayToRegister(kArose, 0), kArose);
}

}  // namespace
}  // namespace council::relations
