// Tests for common/calendar/bank_holidays.h.
//
// Sources: the Banking and Financial Dealings Act 1971 Schedule 1 and the
// royal proclamations under s1(2)/(3), as summarised in
// shared/reference/working-days.md; the yearly proclamations in the London
// Gazette (for example notice 3326938 for 2020, 4115743 for 2023, 4388378 for
// 2024, 4631404 for 2025); and gov.uk/bank-holidays. Easter dates come from
// the published Gregorian Easter tables (cross-checked against an independent
// implementation, python-dateutil's easter()).

#include "common/calendar/bank_holidays.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace calendar {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Renders holidays as "YYYY-MM-DD name" so failures read like gov.uk's list.
std::vector<std::string> Listing(const std::vector<BankHoliday>& holidays) {
  std::vector<std::string> out;
  for (const BankHoliday& h : holidays) {
    out.push_back(absl::StrCat(absl::FormatCivilTime(h.day), " ", h.name));
  }
  return out;
}

std::vector<std::string> Listing(Nation nation, int year) {
  return Listing(BankHolidays(nation, year));
}

// Only the holidays of `nation` in `year` that fall in `month`.
std::vector<std::string> ListingInMonth(Nation nation, int year, int month) {
  std::vector<BankHoliday> in_month;
  for (BankHoliday& h : BankHolidays(nation, year)) {
    if (h.day.month() == month) in_month.push_back(std::move(h));
  }
  return Listing(in_month);
}

bool IsHoliday(Nation nation, absl::CivilDay day) {
  const int year = static_cast<int>(day.year());
  for (const BankHoliday& h : BankHolidays(nation, year)) {
    if (h.day == day) return true;
  }
  return false;
}

// --- Nation names --------------------------------------------------------

TEST(NationTest, NamesAndSlugsRoundTrip) {
  EXPECT_EQ(NationName(Nation::kEnglandAndWales), "England and Wales");
  EXPECT_EQ(NationName(Nation::kScotland), "Scotland");
  EXPECT_EQ(NationName(Nation::kNorthernIreland), "Northern Ireland");
  for (Nation nation : kAllNations) {
    Nation parsed = Nation::kEnglandAndWales;
    if (nation == Nation::kEnglandAndWales) parsed = Nation::kScotland;
    ASSERT_TRUE(ParseNation(NationSlug(nation), &parsed)) << NationSlug(nation);
    EXPECT_EQ(parsed, nation);
  }
}

TEST(NationTest, ParseNationAcceptsGovUkDivisionSlugsOnly) {
  Nation nation = Nation::kScotland;
  EXPECT_TRUE(ParseNation("england-and-wales", &nation));
  EXPECT_EQ(nation, Nation::kEnglandAndWales);
  EXPECT_TRUE(ParseNation("Northern-Ireland", &nation));  // ASCII case ignored
  EXPECT_EQ(nation, Nation::kNorthernIreland);
  EXPECT_TRUE(ParseNation("scotland", &nation));
  EXPECT_EQ(nation, Nation::kScotland);

  // Rejections leave the output untouched.
  EXPECT_FALSE(ParseNation("", &nation));
  EXPECT_FALSE(ParseNation("England and Wales", &nation));
  EXPECT_FALSE(ParseNation("wales", &nation));
  EXPECT_FALSE(ParseNation("scotland ", &nation));
  EXPECT_EQ(nation, Nation::kScotland);
}

// --- Easter (Gregorian computus) -----------------------------------------

TEST(EasterSundayTest, MatchesPublishedGregorianDates) {
  struct Ymd {
    int year, month, day;
  };
  const Ymd kKnown[] = {
      {1900, 4, 15}, {1903, 4, 12}, {1913, 3, 23}, {1918, 3, 31},
      {1940, 3, 24}, {1943, 4, 25}, {1954, 4, 18}, {1961, 4, 2},
      {1970, 3, 29}, {1981, 4, 19}, {1985, 4, 7},  {1990, 4, 15},
      {1999, 4, 4},  {2000, 4, 23}, {2001, 4, 15}, {2008, 3, 23},
      {2010, 4, 4},  {2011, 4, 24}, {2013, 3, 31}, {2016, 3, 27},
      {2018, 4, 1},  {2019, 4, 21}, {2020, 4, 12}, {2021, 4, 4},
      {2022, 4, 17}, {2023, 4, 9},  {2024, 3, 31}, {2025, 4, 20},
      {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2029, 4, 1},
      {2030, 4, 21}, {2031, 4, 13}, {2032, 3, 28}, {2033, 4, 17},
      {2038, 4, 25}, {2049, 4, 18}, {2057, 4, 22}, {2076, 4, 19},
      {2100, 3, 28}, {2285, 3, 22},
  };
  for (const Ymd& easter : kKnown) {
    EXPECT_EQ(EasterSunday(easter.year),
              absl::CivilDay(easter.year, easter.month, easter.day))
        << "year " << easter.year;
  }
}

TEST(EasterSundayTest, IsASundayBetween22MarchAnd25April) {
  // The Gregorian computus never leaves this window (1583 onwards).
  for (int year = 1583; year <= 3000; ++year) {
    const absl::CivilDay easter = EasterSunday(year);
    EXPECT_EQ(absl::GetWeekday(easter), absl::Weekday::sunday) << year;
    EXPECT_GE(easter, absl::CivilDay(year, 3, 22)) << year;
    EXPECT_LE(easter, absl::CivilDay(year, 4, 25)) << year;
  }
}

// --- Full lists (gov.uk/bank-holidays) --------------------------------------

TEST(BankHolidaysTest, EnglandAndWales2026FullList) {
  // gov.uk/bank-holidays, England and Wales, 2026; Easter Sunday 5 April.
  EXPECT_THAT(Listing(Nation::kEnglandAndWales, 2026),
              ElementsAre("2026-01-01 New Year's Day",
                          "2026-04-03 Good Friday",
                          "2026-04-06 Easter Monday",
                          "2026-05-04 Early May bank holiday",
                          "2026-05-25 Spring bank holiday",
                          "2026-08-31 Summer bank holiday",
                          "2026-12-25 Christmas Day",
                          "2026-12-28 Boxing Day (substitute day)"));
}

TEST(BankHolidaysTest, Scotland2026FullListIncludesWorldCupProclamation) {
  // 1971 Act Sch 1 para 2 plus the Scotland-only proclamation under s1(3)
  // approved 4 February 2026 (15 June, men's football World Cup).
  EXPECT_THAT(Listing(Nation::kScotland, 2026),
              ElementsAre("2026-01-01 New Year's Day",
                          "2026-01-02 2nd January",
                          "2026-04-03 Good Friday",
                          "2026-05-04 Early May bank holiday",
                          "2026-05-25 Spring bank holiday",
                          "2026-06-15 World Cup bank holiday",
                          "2026-08-03 Summer bank holiday",
                          "2026-11-30 St Andrew's Day",
                          "2026-12-25 Christmas Day",
                          "2026-12-28 Boxing Day (substitute day)"));
}

TEST(BankHolidaysTest, NorthernIreland2026FullList) {
  // 1971 Act Sch 1 para 3; 12 July 2026 is a Sunday, so Monday 13 July is
  // the substitute (as in 2020: London Gazette notice 3326938).
  EXPECT_THAT(
      Listing(Nation::kNorthernIreland, 2026),
      ElementsAre("2026-01-01 New Year's Day",
                  "2026-03-17 St Patrick's Day",
                  "2026-04-03 Good Friday",
                  "2026-04-06 Easter Monday",
                  "2026-05-04 Early May bank holiday",
                  "2026-05-25 Spring bank holiday",
                  "2026-07-13 Battle of the Boyne (Orangemen's Day) "
                  "(substitute day)",
                  "2026-08-31 Summer bank holiday",
                  "2026-12-25 Christmas Day",
                  "2026-12-28 Boxing Day (substitute day)"));
}

// --- Substitute days (working-days.md "Substitute days") -----------------

TEST(SubstituteDaysTest, ChristmasOnSaturdayGivesMonday27AndTuesday28) {
  // 25 December is a Saturday in 2021, 2027 and 2032: Christmas moves to
  // Monday 27 and Boxing Day to Tuesday 28 (gov.uk 2021; working-days.md).
  for (int year : {2021, 2027, 2032}) {
    ASSERT_EQ(absl::GetWeekday(absl::CivilDay(year, 12, 25)),
              absl::Weekday::saturday);
    for (Nation nation : kAllNations) {
      EXPECT_THAT(ListingInMonth(nation, year, 12),
                  ElementsAre(
                      absl::StrCat(year,
                                   "-12-27 Christmas Day (substitute day)"),
                      absl::StrCat(year, "-12-28 Boxing Day (substitute day)")))
          << year << " " << NationName(nation);
      EXPECT_FALSE(IsHoliday(nation, absl::CivilDay(year, 12, 25)));
      EXPECT_FALSE(IsHoliday(nation, absl::CivilDay(year, 12, 26)));
    }
  }
}

TEST(SubstituteDaysTest, ChristmasOnSundayKeepsBoxingDayMonday26) {
  // 25 December is a Sunday in 2022 and 2033: Boxing Day stays on Monday 26
  // and Christmas Day's substitute is Tuesday 27 (gov.uk 2022;
  // working-days.md).
  for (int year : {2022, 2033}) {
    ASSERT_EQ(absl::GetWeekday(absl::CivilDay(year, 12, 25)),
              absl::Weekday::sunday);
    EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, year, 12),
                ElementsAre(
                    absl::StrCat(year, "-12-26 Boxing Day"),
                    absl::StrCat(year,
                                 "-12-27 Christmas Day (substitute day)")))
        << year;
  }
}

TEST(SubstituteDaysTest, BoxingDayOnSaturdayMovesToMonday28) {
  // 2026: Christmas Friday 25, Boxing Day Saturday 26 -> Monday 28 (gov.uk).
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2026, 12),
              ElementsAre("2026-12-25 Christmas Day",
                          "2026-12-28 Boxing Day (substitute day)"));
}

TEST(SubstituteDaysTest, NewYearOnWeekendInEnglandAndWales) {
  // 1 January 2022 is a Saturday -> Monday 3 (gov.uk 2022); 1 January 2023
  // a Sunday -> Monday 2 (London Gazette notice 4115743); 1 January 2028 a
  // Saturday -> Monday 3.
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2022, 1),
              ElementsAre("2022-01-03 New Year's Day (substitute day)"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2023, 1),
              ElementsAre("2023-01-02 New Year's Day (substitute day)"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2028, 1),
              ElementsAre("2028-01-03 New Year's Day (substitute day)"));
}

TEST(SubstituteDaysTest, ScotlandFirstAndSecondJanuaryFollowChristmasPattern) {
  // 2022: 1 Jan Saturday, 2 Jan Sunday -> Monday 3 and Tuesday 4 (gov.uk
  // Scotland 2022), like Christmas on a Saturday.
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2022, 1),
              ElementsAre("2022-01-03 New Year's Day (substitute day)",
                          "2022-01-04 2nd January (substitute day)"));
  // 2023: 1 Jan Sunday, 2 Jan Monday stays; New Year's Day -> Tuesday 3
  // (gov.uk Scotland 2023), like Christmas on a Sunday.
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2023, 1),
              ElementsAre("2023-01-02 2nd January",
                          "2023-01-03 New Year's Day (substitute day)"));
  // 2021: 1 Jan Friday stays; 2 Jan Saturday -> Monday 4 (gov.uk Scotland
  // 2021).
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2021, 1),
              ElementsAre("2021-01-01 New Year's Day",
                          "2021-01-04 2nd January (substitute day)"));
}

// --- Scotland vs England and Wales -----------------------------------------

TEST(NationDifferencesTest, ScotlandHasSecondJanuaryEnglandDoesNot) {
  // 1971 Act Sch 1 para 2 (Scotland) vs para 1 (England and Wales).
  EXPECT_TRUE(IsHoliday(Nation::kScotland, absl::CivilDay(2026, 1, 2)));
  EXPECT_FALSE(IsHoliday(Nation::kEnglandAndWales, absl::CivilDay(2026, 1, 2)));
  EXPECT_FALSE(IsHoliday(Nation::kNorthernIreland, absl::CivilDay(2026, 1, 2)));
}

TEST(NationDifferencesTest, StAndrewsDayOnlyInScotlandWithMondaySubstitute) {
  // St Andrew's Day Bank Holiday (Scotland) Act 2007 s1: 30 November, or the
  // first Monday following if it falls on a weekend.
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2026, 11),
              ElementsAre("2026-11-30 St Andrew's Day"));  // Monday
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2024, 12),
              Contains("2024-12-02 St Andrew's Day (substitute day)"));  // Sat
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2025, 12),
              Contains("2025-12-01 St Andrew's Day (substitute day)"));  // Sun
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2026, 11), IsEmpty());
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2026, 11), IsEmpty());
}

TEST(NationDifferencesTest, SummerHolidayFirstMondayInScotlandLastElsewhere) {
  // Sch 1 para 2: first Monday in August (Scotland); paras 1 and 3: last
  // Monday in August.
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2026, 8),
              ElementsAre("2026-08-03 Summer bank holiday"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2026, 8),
              ElementsAre("2026-08-31 Summer bank holiday"));
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2026, 8),
              ElementsAre("2026-08-31 Summer bank holiday"));
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2025, 8),
              ElementsAre("2025-08-04 Summer bank holiday"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2025, 8),
              ElementsAre("2025-08-25 Summer bank holiday"));
}

TEST(NationDifferencesTest, EasterMondayIsNotAScottishBankHoliday) {
  // Sch 1 para 2 lists Good Friday but not Easter Monday for Scotland.
  EXPECT_TRUE(IsHoliday(Nation::kScotland, absl::CivilDay(2025, 4, 18)));
  EXPECT_FALSE(IsHoliday(Nation::kScotland, absl::CivilDay(2025, 4, 21)));
  EXPECT_TRUE(IsHoliday(Nation::kEnglandAndWales, absl::CivilDay(2025, 4, 21)));
  EXPECT_TRUE(IsHoliday(Nation::kNorthernIreland, absl::CivilDay(2025, 4, 21)));
}

// --- Northern Ireland ------------------------------------------------------

TEST(NorthernIrelandTest, StPatricksDayWithWeekendSubstitute) {
  // Sch 1 para 3: 17 March. 2026: Tuesday. 2024: Sunday -> Monday 18 March.
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2026, 3),
              ElementsAre("2026-03-17 St Patrick's Day"));
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2024, 3),
              ElementsAre("2024-03-18 St Patrick's Day (substitute day)",
                          "2024-03-29 Good Friday"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2026, 3), IsEmpty());
}

TEST(NorthernIrelandTest, BattleOfTheBoyneWithWeekendSubstitute) {
  // Proclaimed each year: Wednesday 12 July 2023 (London Gazette notice
  // 4115743), Friday 12 July 2024 (4388378), Monday 14 July 2025 for
  // Saturday 12th (4631404), Monday 13 July 2020 for Sunday 12th (3326938).
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2023, 7),
              ElementsAre("2023-07-12 Battle of the Boyne (Orangemen's Day)"));
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2024, 7),
              ElementsAre("2024-07-12 Battle of the Boyne (Orangemen's Day)"));
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2025, 7),
              ElementsAre("2025-07-14 Battle of the Boyne (Orangemen's Day) "
                          "(substitute day)"));
  EXPECT_THAT(ListingInMonth(Nation::kNorthernIreland, 2020, 7),
              ElementsAre("2020-07-13 Battle of the Boyne (Orangemen's Day) "
                          "(substitute day)"));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2025, 7), IsEmpty());
  EXPECT_THAT(ListingInMonth(Nation::kScotland, 2025, 7), IsEmpty());
}

// --- One-off proclamations (holiday_proclamations.inc) -------------------

TEST(ProclamationsTest, VeDay2020MovedEarlyMayHolidayToFriday8May) {
  // Proclamation of 10 July 2019 (London Gazette notice 3326938).
  EXPECT_THAT(Listing(Nation::kEnglandAndWales, 2020),
              ElementsAre("2020-01-01 New Year's Day",
                          "2020-04-10 Good Friday",
                          "2020-04-13 Easter Monday",
                          "2020-05-08 Early May bank holiday (VE Day)",
                          "2020-05-25 Spring bank holiday",
                          "2020-08-31 Summer bank holiday",
                          "2020-12-25 Christmas Day",
                          "2020-12-28 Boxing Day (substitute day)"));
  for (Nation nation : kAllNations) {
    EXPECT_FALSE(IsHoliday(nation, absl::CivilDay(2020, 5, 4)));
    EXPECT_TRUE(IsHoliday(nation, absl::CivilDay(2020, 5, 8)));
  }
}

TEST(ProclamationsTest, PlatinumJubileeAndStateFuneralIn2022) {
  // Spring holiday moved to Thursday 2 June, extra Friday 3 June (Platinum
  // Jubilee), extra Monday 19 September (State Funeral, London Gazette notice
  // 4158896); Christmas on a Sunday.
  EXPECT_THAT(
      Listing(Nation::kEnglandAndWales, 2022),
      ElementsAre("2022-01-03 New Year's Day (substitute day)",
                  "2022-04-15 Good Friday",
                  "2022-04-18 Easter Monday",
                  "2022-05-02 Early May bank holiday",
                  "2022-06-02 Spring bank holiday",
                  "2022-06-03 Platinum Jubilee bank holiday",
                  "2022-08-29 Summer bank holiday",
                  "2022-09-19 Bank holiday for the State Funeral of Queen "
                  "Elizabeth II",
                  "2022-12-26 Boxing Day",
                  "2022-12-27 Christmas Day (substitute day)"));
  // UK-wide: the same three changes apply in Scotland and Northern Ireland.
  for (Nation nation : kAllNations) {
    EXPECT_FALSE(IsHoliday(nation, absl::CivilDay(2022, 5, 30)));
    EXPECT_TRUE(IsHoliday(nation, absl::CivilDay(2022, 6, 2)));
    EXPECT_TRUE(IsHoliday(nation, absl::CivilDay(2022, 6, 3)));
    EXPECT_TRUE(IsHoliday(nation, absl::CivilDay(2022, 9, 19)));
  }
}

TEST(ProclamationsTest, Coronation2023AddedMonday8May) {
  // Proclamation put to the Privy Council on 9 November 2022.
  EXPECT_THAT(Listing(Nation::kEnglandAndWales, 2023),
              ElementsAre("2023-01-02 New Year's Day (substitute day)",
                          "2023-04-07 Good Friday",
                          "2023-04-10 Easter Monday",
                          "2023-05-01 Early May bank holiday",
                          "2023-05-08 Bank holiday for the coronation of "
                          "King Charles III",
                          "2023-05-29 Spring bank holiday",
                          "2023-08-28 Summer bank holiday",
                          "2023-12-25 Christmas Day",
                          "2023-12-26 Boxing Day"));
  for (Nation nation : kAllNations) {
    EXPECT_TRUE(IsHoliday(nation, absl::CivilDay(2023, 5, 8)));
  }
}

TEST(ProclamationsTest, WorldCup2026HolidayIsScotlandOnly) {
  // Proclamation under s1(3) approved 4 February 2026, for Scotland only.
  EXPECT_TRUE(IsHoliday(Nation::kScotland, absl::CivilDay(2026, 6, 15)));
  EXPECT_FALSE(
      IsHoliday(Nation::kEnglandAndWales, absl::CivilDay(2026, 6, 15)));
  EXPECT_FALSE(
      IsHoliday(Nation::kNorthernIreland, absl::CivilDay(2026, 6, 15)));
  EXPECT_THAT(ListingInMonth(Nation::kEnglandAndWales, 2026, 6), IsEmpty());
}

TEST(ProclamationsTest, YearsAfterTheLastProclamationFollowTheRules) {
  // working-days.md: later years are computed by rule alone.
  for (int year = 2027; year <= 2200; ++year) {
    for (Nation nation : kAllNations) {
      EXPECT_EQ(Listing(nation, year),
                Listing(BankHolidaysByRule(nation, year)))
          << year << " " << NationName(nation);
    }
  }
}

TEST(ProclamationsTest, EveryShippedLineIsWellFormedAndCitesItsSource) {
  ASSERT_FALSE(ShippedProclamations().empty());
  absl::CivilDay previous(1, 1, 1);
  for (const HolidayProclamation& p : ShippedProclamations()) {
    SCOPED_TRACE(p.name);
    EXPECT_FALSE(p.name.empty());
    EXPECT_THAT(std::string(p.source), HasSubstr("roclamation"));
    EXPECT_FALSE(p.nations.empty());
    EXPECT_GE(p.day, previous) << "keep the data file oldest first";
    previous = p.day;
    for (Nation nation : p.nations) {
      const int year = static_cast<int>(p.day.year());
      // The new day is a holiday, under the proclamation's name.
      EXPECT_THAT(Listing(nation, year),
                  Contains(absl::StrCat(absl::FormatCivilTime(p.day), " ",
                                        p.name)));
      if (p.has_moved_from) {
        // A move (s1(2)) must take away a holiday that the rules give.
        const int from_year = static_cast<int>(p.moved_from.year());
        bool rule_holiday = false;
        for (const BankHoliday& h : BankHolidaysByRule(nation, from_year)) {
          rule_holiday |= h.day == p.moved_from;
        }
        EXPECT_TRUE(rule_holiday) << absl::FormatCivilTime(p.moved_from);
        EXPECT_FALSE(IsHoliday(nation, p.moved_from));
      } else {
        // An extra day (s1(3)) must not coincide with a rule holiday.
        for (const BankHoliday& h : BankHolidaysByRule(nation, year)) {
          EXPECT_NE(h.day, p.day) << h.name;
        }
      }
    }
  }
}

// --- Invariants over a wide range -------------------------------------------

TEST(BankHolidaysInvariantsTest, SortedWeekdaysWithExpectedCountEveryYear) {
  // Rule counts: England and Wales 8, Scotland 9, Northern Ireland 10; plus
  // one per extra day proclaimed for the nation in that year.
  for (int year = 1950; year <= 2250; ++year) {
    for (Nation nation : kAllNations) {
      SCOPED_TRACE(absl::StrCat(year, " ", NationName(nation)));
      const std::vector<BankHoliday> holidays = BankHolidays(nation, year);
      size_t expected = nation == Nation::kEnglandAndWales ? 8
                        : nation == Nation::kScotland      ? 9
                                                           : 10;
      for (const HolidayProclamation& p : ShippedProclamations()) {
        if (!p.has_moved_from && p.day.year() == year &&
            std::find(p.nations.begin(), p.nations.end(), nation) !=
                p.nations.end()) {
          ++expected;
        }
      }
      EXPECT_EQ(holidays.size(), expected);
      absl::flat_hash_set<absl::CivilDay> seen;
      for (size_t i = 0; i < holidays.size(); ++i) {
        const absl::CivilDay day = holidays[i].day;
        EXPECT_EQ(day.year(), year);
        EXPECT_TRUE(seen.insert(day).second) << "duplicate " << day;
        if (i > 0) {
          EXPECT_LT(holidays[i - 1].day, day);
        }
        const absl::Weekday weekday = absl::GetWeekday(day);
        EXPECT_NE(weekday, absl::Weekday::saturday) << holidays[i].name;
        EXPECT_NE(weekday, absl::Weekday::sunday) << holidays[i].name;
      }
    }
  }
}

TEST(BankHolidaysInvariantsTest, UnknownDayIsNotInAnyList) {
  // A plain Wednesday in October is never a bank holiday anywhere.
  for (Nation nation : kAllNations) {
    EXPECT_FALSE(IsHoliday(nation, absl::CivilDay(2026, 10, 14)));
    EXPECT_THAT(ListingInMonth(nation, 2026, 10), IsEmpty());
    EXPECT_THAT(Listing(nation, 2026), Not(IsEmpty()));
  }
}

}  // namespace
}  // namespace calendar
}  // namespace council
