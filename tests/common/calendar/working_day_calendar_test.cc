// Tests for common/calendar/working_day_calendar.h.
//
// Sources: FOI Act 2000 s10(1) (20 working days) and s10(6) (working day:
// not a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in any
// part of the UK); the Information Commissioner's guidance that a request
// received on a non-working day counts as received on the next working day;
// the Banking and Financial Dealings Act 1971 Schedule 1 and proclamations as
// summarised in shared/reference/working-days.md.

#include "common/calendar/working_day_calendar.h"

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/calendar/bank_holidays.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace calendar {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Day = absl::CivilDay;

WorkingDayCalendar England() {
  return WorkingDayCalendar::ForCouncil(Nation::kEnglandAndWales, {});
}
WorkingDayCalendar Scotland() {
  return WorkingDayCalendar::ForCouncil(Nation::kScotland, {});
}
WorkingDayCalendar NorthernIreland() {
  return WorkingDayCalendar::ForCouncil(Nation::kNorthernIreland, {});
}
WorkingDayCalendar Foi() {
  return WorkingDayCalendar::ForFreedomOfInformation();
}

// The reason `calendar` gives for `day`, or "working" if it is a working day.
std::string Why(const WorkingDayCalendar& calendar, Day day) {
  std::optional<NonWorkingDay> why = calendar.WhyNotWorking(day);
  if (!why.has_value()) return "working";
  EXPECT_EQ(why->day, day);
  return why->reason;
}

// "YYYY-MM-DD reason" lines for the non-working days in (from, to].
std::vector<std::string> Skipped(const WorkingDayCalendar& calendar, Day from,
                                 Day to) {
  std::vector<std::string> out;
  for (const NonWorkingDay& d : calendar.NonWorkingDaysBetween(from, to)) {
    out.push_back(absl::StrCat(absl::FormatCivilTime(d.day), " ", d.reason));
  }
  return out;
}

bool IsWeekend(Day day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// --- Descriptions ------------------------------------------------------------

TEST(WorkingDayCalendarTest, DescriptionsNameThePurpose) {
  EXPECT_EQ(Foi().description(), "FOI Act 2000 s10(6): any UK bank holiday");
  EXPECT_EQ(England().description(), "England and Wales");
  EXPECT_EQ(Scotland().description(), "Scotland");
  EXPECT_EQ(WorkingDayCalendar::ForCouncil(
                Nation::kEnglandAndWales,
                {{Day(2026, 12, 29), "Christmas closure"},
                 {Day(2026, 12, 30), "Christmas closure"},
                 {Day(2026, 12, 31), "Christmas closure"}})
                .description(),
            "England and Wales + 3 council closure days");
  EXPECT_EQ(WorkingDayCalendar::ForCouncil(Nation::kNorthernIreland,
                                           {{Day(2026, 12, 24), "Eve"}})
                .description(),
            "Northern Ireland + 1 council closure day");
}

// --- Weekends and reasons ----------------------------------------------------

TEST(WorkingDayCalendarTest, WeekendsAreNotWorkingDaysOnAnyCalendar) {
  for (const WorkingDayCalendar& calendar :
       {England(), Scotland(), NorthernIreland(), Foi()}) {
    EXPECT_EQ(Why(calendar, Day(2026, 10, 17)), "Saturday");
    EXPECT_EQ(Why(calendar, Day(2026, 10, 18)), "Sunday");
    EXPECT_EQ(Why(calendar, Day(2026, 10, 19)), "working");
    EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 10, 17)));
    EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 10, 19)));
  }
}

TEST(WorkingDayCalendarTest, CouncilReasonNamesHolidayAndNation) {
  EXPECT_EQ(Why(England(), Day(2026, 4, 3)),
            "Good Friday (bank holiday in England and Wales)");
  EXPECT_EQ(Why(Scotland(), Day(2026, 11, 30)),
            "St Andrew's Day (bank holiday in Scotland)");
  EXPECT_EQ(Why(England(), Day(2026, 12, 28)),
            "Boxing Day (substitute day) (bank holiday in England and Wales)");
}

TEST(WorkingDayCalendarTest, FoiReasonJoinsNationsAndNames) {
  EXPECT_EQ(Why(Foi(), Day(2026, 4, 3)),
            "Good Friday (bank holiday throughout the UK)");
  EXPECT_EQ(Why(Foi(), Day(2026, 4, 6)),
            "Easter Monday (bank holiday in England and Wales and Northern "
            "Ireland)");
  // 2 January 2023: England's New Year substitute and Scotland's 2nd January
  // fall on the same Monday under different names.
  EXPECT_EQ(Why(Foi(), Day(2023, 1, 2)),
            "New Year's Day (substitute day) (bank holiday in England and "
            "Wales and Northern Ireland); 2nd January (bank holiday in "
            "Scotland)");
}

// --- FOI calendar vs a council's own nation ---------------------------------

TEST(FoiCalendarTest, ScottishStAndrewsDayStopsTheFoiClockInEngland) {
  // FOI Act 2000 s10(6): a bank holiday "in any part of the United Kingdom".
  // Monday 30 November 2026 is St Andrew's Day.
  const Day st_andrews(2026, 11, 30);
  ASSERT_EQ(absl::GetWeekday(st_andrews), absl::Weekday::monday);
  EXPECT_TRUE(England().IsWorkingDay(st_andrews));
  EXPECT_FALSE(Scotland().IsWorkingDay(st_andrews));
  EXPECT_FALSE(Foi().IsWorkingDay(st_andrews));
  EXPECT_EQ(Why(Foi(), st_andrews),
            "St Andrew's Day (bank holiday in Scotland)");
}

TEST(FoiCalendarTest, ScotlandOnlyWorldCupProclamationStopsTheFoiClock) {
  // working-days.md: the 15 June 2026 Scotland-only holiday moves FOI due
  // dates in England too.
  const Day world_cup(2026, 6, 15);
  EXPECT_TRUE(England().IsWorkingDay(world_cup));
  EXPECT_TRUE(NorthernIreland().IsWorkingDay(world_cup));
  EXPECT_FALSE(Scotland().IsWorkingDay(world_cup));
  EXPECT_EQ(Why(Foi(), world_cup),
            "World Cup bank holiday (bank holiday in Scotland)");
}

TEST(FoiCalendarTest, NorthernIrelandHolidaysStopTheFoiClock) {
  EXPECT_EQ(Why(Foi(), Day(2026, 3, 17)),
            "St Patrick's Day (bank holiday in Northern Ireland)");
  EXPECT_EQ(Why(Foi(), Day(2026, 7, 13)),
            "Battle of the Boyne (Orangemen's Day) (substitute day) (bank "
            "holiday in Northern Ireland)");
  EXPECT_TRUE(England().IsWorkingDay(Day(2026, 7, 13)));
}

TEST(FoiCalendarTest, ChristmasDayAndGoodFridayAreNeverWorkingDays) {
  // s10(6) names both explicitly.
  const WorkingDayCalendar foi = Foi();
  for (int year = 1900; year <= 2300; ++year) {
    EXPECT_FALSE(foi.IsWorkingDay(Day(year, 12, 25))) << year;
    EXPECT_FALSE(foi.IsWorkingDay(EasterSunday(year) - 2)) << year;
  }
}

TEST(FoiCalendarTest, IsExactlyWeekendsPlusTheUnionOfAllNations) {
  const WorkingDayCalendar foi = Foi();
  for (int year :
       {1949, 1950, 2019, 2020, 2022, 2023, 2026, 2027, 2200, 2201}) {
    absl::flat_hash_set<Day> holidays;
    for (Nation nation : kAllNations) {
      for (const BankHoliday& h : BankHolidays(nation, year)) {
        holidays.insert(h.day);
      }
    }
    for (Day day(year, 1, 1); day.year() == year; ++day) {
      EXPECT_EQ(foi.IsWorkingDay(day),
                !IsWeekend(day) && !holidays.contains(day))
          << day;
    }
  }
}

TEST(CouncilCalendarTest, IsExactlyWeekendsPlusItsNationsHolidays) {
  // Includes years outside the precomputed 1950..2200 range, answered on the
  // fly.
  for (Nation nation : kAllNations) {
    const WorkingDayCalendar calendar =
        WorkingDayCalendar::ForCouncil(nation, {});
    for (int year : {1949, 2021, 2026, 2201, 2400}) {
      absl::flat_hash_set<Day> holidays;
      for (const BankHoliday& h : BankHolidays(nation, year)) {
        holidays.insert(h.day);
      }
      for (Day day(year, 1, 1); day.year() == year; ++day) {
        EXPECT_EQ(calendar.IsWorkingDay(day),
                  !IsWeekend(day) && !holidays.contains(day))
            << NationName(nation) << " " << day;
      }
    }
  }
}

// --- AddWorkingDays ---------------------------------------------------------

TEST(AddWorkingDaysTest, ZeroReturnsStartEvenOnANonWorkingDay) {
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 12, 25), 0), Day(2026, 12, 25));
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 10, 14), 0), Day(2026, 10, 14));
}

TEST(AddWorkingDaysTest, StartNeverCounts) {
  // Friday -> Monday; Saturday -> the same Monday.
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 10, 16), 1), Day(2026, 10, 19));
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 10, 17), 1), Day(2026, 10, 19));
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 10, 14), 5), Day(2026, 10, 21));
}

TEST(AddWorkingDaysTest, OverChristmasAndNewYear2026) {
  // England and Wales: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri
  // 1 Jan 2027. FOI also skips Mon 4 Jan 2027 (Scotland's 2nd January
  // substitute: 2 January 2027 is a Saturday).
  const Day christmas_eve(2026, 12, 24);
  EXPECT_EQ(England().AddWorkingDays(christmas_eve, 1), Day(2026, 12, 29));
  EXPECT_EQ(England().AddWorkingDays(christmas_eve, 3), Day(2026, 12, 31));
  EXPECT_EQ(England().AddWorkingDays(christmas_eve, 4), Day(2027, 1, 4));
  EXPECT_EQ(Scotland().AddWorkingDays(christmas_eve, 4), Day(2027, 1, 5));
  EXPECT_EQ(Foi().AddWorkingDays(christmas_eve, 4), Day(2027, 1, 5));
  EXPECT_THAT(Skipped(England(), christmas_eve, Day(2027, 1, 4)),
              ElementsAre("2026-12-25 Christmas Day (bank holiday in England "
                          "and Wales)",
                          "2026-12-26 Saturday", "2026-12-27 Sunday",
                          "2026-12-28 Boxing Day (substitute day) (bank "
                          "holiday in England and Wales)",
                          "2027-01-01 New Year's Day (bank holiday in England "
                          "and Wales)",
                          "2027-01-02 Saturday", "2027-01-03 Sunday"));
}

TEST(AddWorkingDaysTest, OverChristmasOnSaturday2027) {
  // Sat 25, Sun 26, Mon 27 and Tue 28 December 2027 are all skipped.
  EXPECT_EQ(England().AddWorkingDays(Day(2027, 12, 24), 1), Day(2027, 12, 29));
}

TEST(AddWorkingDaysTest, OverEaster2026) {
  // Good Friday 3 April and Easter Monday 6 April in England; Scotland has
  // no Easter Monday holiday.
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 4, 2), 1), Day(2026, 4, 7));
  EXPECT_EQ(Scotland().AddWorkingDays(Day(2026, 4, 2), 1), Day(2026, 4, 6));
  EXPECT_EQ(Foi().AddWorkingDays(Day(2026, 4, 2), 1), Day(2026, 4, 7));
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 3, 30), 10), Day(2026, 4, 15));
}

TEST(AddWorkingDaysTest, NegativeCountsBackwards) {
  EXPECT_EQ(England().AddWorkingDays(Day(2026, 4, 7), -1), Day(2026, 4, 2));
  EXPECT_EQ(England().AddWorkingDays(Day(2027, 1, 4), -4), Day(2026, 12, 24));
}

// --- FOI due dates (s10(1): 20 working days) -------------------------------

TEST(DueDateTest, FoiRequestReceivedFriday4December2026) {
  // Day 1 is Mon 7 Dec; skipped: 25 Dec, 28 Dec (Boxing Day substitute),
  // 1 Jan, and 4 Jan 2027 (Scotland's 2nd January substitute, s10(6)).
  const Day received(2026, 12, 4);
  const Day due = Foi().DueDate(received, 20);
  EXPECT_EQ(due, Day(2027, 1, 7));
  EXPECT_EQ(Foi().WorkingDaysBetween(received, due), 20);
  // An English council's own calendar would not skip 4 January.
  EXPECT_EQ(England().DueDate(received, 20), Day(2027, 1, 6));

  std::vector<std::string> holidays;
  for (const NonWorkingDay& d : Foi().NonWorkingDaysBetween(received, due)) {
    if (!IsWeekend(d.day)) {
      holidays.push_back(
          absl::StrCat(absl::FormatCivilTime(d.day), " ", d.reason));
    }
  }
  EXPECT_THAT(
      holidays,
      ElementsAre(
          "2026-12-25 Christmas Day (bank holiday throughout the UK)",
          "2026-12-28 Boxing Day (substitute day) (bank holiday throughout "
          "the UK)",
          "2027-01-01 New Year's Day (bank holiday throughout the UK)",
          "2027-01-04 2nd January (substitute day) (bank holiday in "
          "Scotland)"));
}

TEST(DueDateTest, FoiRequestReceivedOnSaturdayCountsFromNextWorkingDay) {
  // ICO guidance: received Sat 5 Dec 2026 -> treated as received Mon 7 Dec,
  // so day 1 is Tue 8 Dec and the 20th working day is Fri 8 Jan 2027.
  EXPECT_EQ(Foi().DueDate(Day(2026, 12, 5), 20), Day(2027, 1, 8));
  EXPECT_EQ(Foi().DueDate(Day(2026, 12, 6), 20), Day(2027, 1, 8));
  EXPECT_EQ(Foi().DueDate(Day(2026, 12, 7), 20), Day(2027, 1, 8));
}

TEST(DueDateTest, FoiRequestReceivedBeforeScottishHolidayWeekend) {
  // Received Sat 13 Jun 2026: Mon 15 Jun is Scotland's World Cup holiday,
  // so receipt counts from Tue 16 Jun; Mon 13 Jul is Northern Ireland's
  // Battle of the Boyne substitute. Due Wed 15 Jul 2026.
  EXPECT_EQ(Foi().FirstWorkingDayOnOrAfter(Day(2026, 6, 13)), Day(2026, 6, 16));
  EXPECT_EQ(Foi().DueDate(Day(2026, 6, 13), 20), Day(2026, 7, 15));
  // An English council's calendar: receipt Mon 15 Jun, due Mon 13 Jul.
  EXPECT_EQ(England().DueDate(Day(2026, 6, 13), 20), Day(2026, 7, 13));
}

TEST(DueDateTest, ZeroWorkingDaysReturnsEffectiveDateOfReceipt) {
  EXPECT_EQ(Foi().DueDate(Day(2026, 12, 25), 0), Day(2026, 12, 29));
  EXPECT_EQ(Foi().DueDate(Day(2026, 12, 29), 0), Day(2026, 12, 29));
}

// --- Council closure days ---------------------------------------------------

TEST(ClosureDaysTest, ClosureDaysAreSkippedWithTheProfileReason) {
  const WorkingDayCalendar council = WorkingDayCalendar::ForCouncil(
      Nation::kEnglandAndWales,
      {{Day(2026, 12, 29), "Offices closed between Christmas and New Year"},
       {Day(2026, 12, 30), "Offices closed between Christmas and New Year"},
       {Day(2026, 12, 31), "Offices closed between Christmas and New Year"}});
  EXPECT_FALSE(council.IsWorkingDay(Day(2026, 12, 29)));
  EXPECT_EQ(Why(council, Day(2026, 12, 30)),
            "Council closure: Offices closed between Christmas and New Year");
  EXPECT_EQ(council.AddWorkingDays(Day(2026, 12, 24), 1), Day(2027, 1, 4));
  EXPECT_EQ(council.WorkingDaysBetween(Day(2026, 12, 24), Day(2027, 1, 4)), 1);
  // Without the closures, 29-31 December are working days.
  EXPECT_TRUE(England().IsWorkingDay(Day(2026, 12, 29)));
  // The FOI clock never uses closure days.
  EXPECT_TRUE(Foi().IsWorkingDay(Day(2026, 12, 29)));
}

TEST(ClosureDaysTest, StatutoryReasonsTakePrecedenceOverClosures) {
  const WorkingDayCalendar council = WorkingDayCalendar::ForCouncil(
      Nation::kEnglandAndWales, {{Day(2026, 12, 25), "Closed"},
                                 {Day(2026, 12, 26), "Closed"},
                                 {Day(2026, 12, 24), ""},
                                 {Day(2026, 12, 24), "Second listing"}});
  EXPECT_EQ(Why(council, Day(2026, 12, 25)),
            "Christmas Day (bank holiday in England and Wales)");
  EXPECT_EQ(Why(council, Day(2026, 12, 26)), "Saturday");
  // An empty reason still explains itself; the first listing wins.
  EXPECT_EQ(Why(council, Day(2026, 12, 24)), "Council closure");
  EXPECT_EQ(council.description(),
            "England and Wales + 3 council closure days");
}

TEST(ClosureDaysTest, ClosuresOutsideThePrecomputedRangeStillApply) {
  const WorkingDayCalendar council = WorkingDayCalendar::ForCouncil(
      Nation::kScotland, {{Day(2301, 6, 14), "Far future"}});
  ASSERT_FALSE(IsWeekend(Day(2301, 6, 14)));
  EXPECT_EQ(Why(council, Day(2301, 6, 14)), "Council closure: Far future");
}

// --- Counting consistency ----------------------------------------------------

TEST(WorkingDaysBetweenTest, EmptyWhenToIsNotAfterFrom) {
  EXPECT_EQ(England().WorkingDaysBetween(Day(2026, 10, 14), Day(2026, 10, 14)),
            0);
  EXPECT_EQ(England().WorkingDaysBetween(Day(2026, 10, 14), Day(2026, 10, 1)),
            0);
  EXPECT_THAT(England().NonWorkingDaysBetween(Day(2026, 12, 31),
                                              Day(2026, 12, 24)),
              IsEmpty());
  EXPECT_EQ(England().WorkingDaysBetween(Day(2026, 10, 14), Day(2026, 10, 15)),
            1);
}

TEST(WorkingDaysBetweenTest, ConsistentWithAddWorkingDaysAndNonWorkingDays) {
  // Property: for every start day and n >= 0, WorkingDaysBetween(start,
  // AddWorkingDays(start, n)) == n; the result is a working day when n > 0;
  // and working + non-working days in (from, to] cover every day.
  const std::vector<WorkingDayCalendar> calendars = {
      England(), Scotland(), NorthernIreland(), Foi(),
      WorkingDayCalendar::ForCouncil(
          Nation::kEnglandAndWales,
          {{Day(2022, 12, 28), "Closed"}, {Day(2026, 12, 29), "Closed"}}),
  };
  for (const WorkingDayCalendar& calendar : calendars) {
    SCOPED_TRACE(std::string(calendar.description()));
    for (Day start(2019, 12, 1); start <= Day(2027, 1, 31); ++start) {
      for (int n : {0, 1, 2, 3, 5, 10, 20}) {
        const Day end = calendar.AddWorkingDays(start, n);
        ASSERT_EQ(calendar.WorkingDaysBetween(start, end), n)
            << start << " + " << n << " = " << end;
        if (n > 0) {
          ASSERT_TRUE(calendar.IsWorkingDay(end)) << end;
          ASSERT_EQ(calendar.WorkingDaysBetween(start, end - 1), n - 1) << end;
        }
        ASSERT_EQ(calendar.WorkingDaysBetween(start, end) +
                      static_cast<int>(
                          calendar.NonWorkingDaysBetween(start, end).size()),
                  end - start);
        if (calendar.IsWorkingDay(start)) {
          ASSERT_EQ(calendar.AddWorkingDays(end, -n), start) << start;
        }
      }
    }
  }
}

// --- Value semantics and thread safety --------------------------------------

TEST(WorkingDayCalendarTest, CopiesShareTablesAndAnswerTheSame) {
  const WorkingDayCalendar original = Foi();
  const WorkingDayCalendar copy = original;  // NOLINT: testing the copy
  EXPECT_EQ(copy.description(), original.description());
  EXPECT_EQ(copy.DueDate(Day(2026, 12, 4), 20), Day(2027, 1, 7));
}

TEST(WorkingDayCalendarTest, ConcurrentQueriesAgree) {
  const WorkingDayCalendar foi = Foi();
  std::vector<Day> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&foi, &results, i] {
      for (int k = 0; k < 200; ++k) {
        results[i] = foi.DueDate(Day(2026, 12, 4), 20);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Day& d : results) EXPECT_EQ(d, Day(2027, 1, 7));
}

}  // namespace
}  // namespace calendar
}  // namespace council
