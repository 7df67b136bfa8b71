#include "common/calendar/bank_holidays.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"

namespace council {
namespace calendar {
namespace {

// Sets of nations as bit masks, so that one line of holiday_proclamations.inc
// can name them without braces (which would split a macro argument).
constexpr unsigned kEnglandAndWalesOnly = 1u << 0;
constexpr unsigned kScotlandOnly = 1u << 1;
constexpr unsigned kNorthernIrelandOnly = 1u << 2;
constexpr unsigned kUnitedKingdom =
    kEnglandAndWalesOnly | kScotlandOnly | kNorthernIrelandOnly;

unsigned NationBit(Nation nation) {
  switch (nation) {
    case Nation::kEnglandAndWales:
      return kEnglandAndWalesOnly;
    case Nation::kScotland:
      return kScotlandOnly;
    case Nation::kNorthernIreland:
      return kNorthernIrelandOnly;
  }
  return 0;
}

// One line of holiday_proclamations.inc. `from_year` is 0 for an extra day.
struct RawProclamation {
  unsigned nations;
  int from_year, from_month, from_day;
  int year, month, day;
  const char* name;
  const char* source;
};

constexpr RawProclamation kRawProclamations[] = {
#define BANK_HOLIDAY_MOVED(nations, fy, fm, fd, y, m, d, name, source) \
  {nations, fy, fm, fd, y, m, d, name, source},
#define BANK_HOLIDAY_ADDED(nations, y, m, d, name, source) \
  {nations, 0, 0, 0, y, m, d, name, source},
#include "common/calendar/holiday_proclamations.inc"
#undef BANK_HOLIDAY_MOVED
#undef BANK_HOLIDAY_ADDED
};

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday ||
         weekday == absl::Weekday::sunday;
}

absl::CivilDay FirstMondayOf(int year, int month) {
  // NextWeekday() is strictly after its argument, so start from the day
  // before the 1st to let the 1st itself qualify.
  return absl::NextWeekday(absl::CivilDay(year, month, 1) - 1,
                           absl::Weekday::monday);
}

absl::CivilDay LastMondayOf(int year, int month) {
  // CivilDay normalises month 13 to January of the next year.
  return absl::PrevWeekday(absl::CivilDay(year, month + 1, 1),
                           absl::Weekday::monday);
}

// A holiday fixed to a calendar date, which gets a substitute day when it
// falls on a weekend.
struct FixedDateHoliday {
  int month;
  int day;
  const char* name;
};

// The fixed-date holidays of `nation` in date order. The order matters: a
// weekend holiday's substitute must skip the substitutes of earlier ones.
std::vector<FixedDateHoliday> FixedDateHolidays(Nation nation) {
  const bool scotland = nation == Nation::kScotland;
  const bool northern_ireland = nation == Nation::kNorthernIreland;
  std::vector<FixedDateHoliday> fixed;
  // 1971 Act Sch 1 para 2 (Scotland); proclaimed every year under s1(3) in
  // England, Wales and Northern Ireland since 1974.
  fixed.push_back({1, 1, "New Year's Day"});
  // 1971 Act Sch 1 para 2 (Scotland only).
  if (scotland) fixed.push_back({1, 2, "2nd January"});
  // 1971 Act Sch 1 para 3 (Northern Ireland only).
  if (northern_ireland) fixed.push_back({3, 17, "St Patrick's Day"});
  // Proclaimed every year for Northern Ireland under s1(3) (for example the
  // 2020 proclamation, London Gazette notice 3326938, appointing 13 July).
  if (northern_ireland) {
    fixed.push_back({7, 12, "Battle of the Boyne (Orangemen's Day)"});
  }
  // 1971 Act Sch 1 para 2 as inserted by the St Andrew's Day Bank Holiday
  // (Scotland) Act 2007 s1: "30th November, if it is not a Saturday or
  // Sunday or, if it is a Saturday or Sunday, the first Monday following".
  if (scotland) fixed.push_back({11, 30, "St Andrew's Day"});
  // Christmas Day: common law holiday in England, Wales and Northern Ireland,
  // Sch 1 para 2 in Scotland. Boxing Day: Sch 1 paras 1 and 3; proclaimed
  // every year in Scotland since 1974.
  fixed.push_back({12, 25, "Christmas Day"});
  fixed.push_back({12, 26, "Boxing Day"});
  return fixed;
}

// Applies the shipped one-off proclamations for `nation` to `holidays` of
// `year`: removes holidays moved away from `year` and adds those moved or
// appointed into it.
void ApplyProclamations(Nation nation, int year,
                        std::vector<BankHoliday>* holidays) {
  const unsigned bit = NationBit(nation);
  for (const RawProclamation& p : kRawProclamations) {
    if ((p.nations & bit) == 0) continue;
    if (p.from_year == year) {
      const absl::CivilDay from(p.from_year, p.from_month, p.from_day);
      holidays->erase(std::remove_if(holidays->begin(), holidays->end(),
                                     [&](const BankHoliday& h) {
                                       return h.day == from;
                                     }),
                      holidays->end());
    }
    if (p.year == year) {
      holidays->push_back({absl::CivilDay(p.year, p.month, p.day), p.name});
    }
  }
}

std::vector<HolidayProclamation> BuildProclamations() {
  std::vector<HolidayProclamation> out;
  for (const RawProclamation& p : kRawProclamations) {
    HolidayProclamation proclamation;
    for (Nation nation : kAllNations) {
      if (p.nations & NationBit(nation)) {
        proclamation.nations.push_back(nation);
      }
    }
    proclamation.has_moved_from = p.from_year != 0;
    if (proclamation.has_moved_from) {
      proclamation.moved_from =
          absl::CivilDay(p.from_year, p.from_month, p.from_day);
    }
    proclamation.day = absl::CivilDay(p.year, p.month, p.day);
    proclamation.name = p.name;
    proclamation.source = p.source;
    out.push_back(std::move(proclamation));
  }
  return out;
}

void SortByDay(std::vector<BankHoliday>* holidays) {
  std::stable_sort(holidays->begin(), holidays->end(),
                   [](const BankHoliday& x, const BankHoliday& y) {
                     return x.day < y.day;
                   });
}

}  // namespace

absl::string_view NationName(Nation nation) {
  switch (nation) {
    case Nation::kEnglandAndWales:
      return "England and Wales";
    case Nation::kScotland:
      return "Scotland";
    case Nation::kNorthernIreland:
      return "Northern Ireland";
  }
  return "unknown nation";
}

absl::string_view NationSlug(Nation nation) {
  switch (nation) {
    case Nation::kEnglandAndWales:
      return "england-and-wales";
    case Nation::kScotland:
      return "scotland";
    case Nation::kNorthernIreland:
      return "northern-ireland";
  }
  return "unknown";
}

bool ParseNation(absl::string_view text, Nation* nation) {
  for (Nation candidate : kAllNations) {
    if (absl::EqualsIgnoreCase(text, NationSlug(candidate))) {
      *nation = candidate;
      return true;
    }
  }
  return false;
}

absl::CivilDay EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms", after
  // the 1876 Nature correspondent; Jones; Butcher). All divisions truncate,
  // which is floor division because every operand is non-negative.
  const int a = year % 19;            // position in the 19-year Metonic cycle
  const int b = year / 100;           // century
  const int c = year % 100;           // year of the century
  const int d = b / 4;                // skipped leap years (400-year rule)
  const int e = b % 4;
  const int f = (b + 8) / 25;         // lunar correction
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;  // epact: days to full moon
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;  // days to the next Sunday
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, month, day);
}

std::vector<BankHoliday> BankHolidaysByRule(Nation nation, int year) {
  std::vector<BankHoliday> holidays;
  absl::flat_hash_set<absl::CivilDay> taken;
  auto add = [&](absl::CivilDay day, std::string name) {
    taken.insert(day);
    holidays.push_back({day, std::move(name)});
  };

  // Holidays tied to a weekday never need a substitute.
  const absl::CivilDay easter = EasterSunday(year);
  // Good Friday: common law holiday in England, Wales and Northern Ireland;
  // 1971 Act Sch 1 para 2 in Scotland.
  add(easter - 2, "Good Friday");
  // Sch 1 paras 1 and 3; not a bank holiday in Scotland.
  if (nation != Nation::kScotland) add(easter + 1, "Easter Monday");
  // Proclaimed every year under s1(3) since 1978 (England, Wales, Northern
  // Ireland); Sch 1 para 2 in Scotland.
  add(FirstMondayOf(year, 5), "Early May bank holiday");
  // Sch 1 paras 1 and 3; proclaimed every year in Scotland.
  add(LastMondayOf(year, 5), "Spring bank holiday");
  // Sch 1 para 2 keeps Scotland's first Monday in August; paras 1 and 3 the
  // last Monday elsewhere.
  add(nation == Nation::kScotland ? FirstMondayOf(year, 8)
                                  : LastMondayOf(year, 8),
      "Summer bank holiday");

  // Fixed dates on weekdays first, so substitutes know every taken day.
  const std::vector<FixedDateHoliday> fixed = FixedDateHolidays(nation);
  for (const FixedDateHoliday& f : fixed) {
    const absl::CivilDay day(year, f.month, f.day);
    if (!IsWeekend(day)) add(day, f.name);
  }
  // A fixed date on a weekend moves to the next weekday not already a
  // holiday, in date order (Sch 1 "if it be a Sunday" provisions, and the
  // substitute days proclaimed every year under s1(3)). This yields Christmas
  // on Saturday -> Mon 27 + Tue 28 (Boxing Day), and Christmas on Sunday ->
  // Boxing Day stays Mon 26 with Christmas on Tue 27.
  for (const FixedDateHoliday& f : fixed) {
    const absl::CivilDay day(year, f.month, f.day);
    if (!IsWeekend(day)) continue;
    absl::CivilDay substitute = day + 1;
    while (IsWeekend(substitute) || taken.contains(substitute)) ++substitute;
    add(substitute, absl::StrCat(f.name, " (substitute day)"));
  }

  SortByDay(&holidays);
  return holidays;
}

std::vector<BankHoliday> BankHolidays(Nation nation, int year) {
  std::vector<BankHoliday> holidays = BankHolidaysByRule(nation, year);
  ApplyProclamations(nation, year, &holidays);
  SortByDay(&holidays);
  return holidays;
}

absl::Span<const HolidayProclamation> ShippedProclamations() {
  // Built once and never destroyed (no static destruction-order hazards).
  static const auto* const kProclamations =
      new std::vector<HolidayProclamation>(BuildProclamations());
  return *kProclamations;
}

}  // namespace calendar
}  // namespace council
