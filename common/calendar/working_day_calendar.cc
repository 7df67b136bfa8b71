#include "common/calendar/working_day_calendar.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/calendar/bank_holidays.h"

namespace council {
namespace calendar {
namespace {

// Years whose holidays are precomputed at construction. Wide enough for any
// deadline the services set; other years are computed per query.
constexpr int kFirstPrecomputedYear = 1950;
constexpr int kLastPrecomputedYear = 2200;

// Years for which bank holidays are computed at all. The computus needs a
// non-negative year, and no deadline lies outside four-digit years.
constexpr absl::civil_year_t kFirstHolidayYear = 1;
constexpr absl::civil_year_t kLastHolidayYear = 9999;

using ReasonMap = absl::flat_hash_map<absl::CivilDay, std::string>;

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday ||
         weekday == absl::Weekday::sunday;
}

// "in England and Wales", "in Scotland and Northern Ireland", or
// "throughout the UK" when all three nations share the holiday.
std::string Where(const std::vector<Nation>& nations) {
  if (nations.size() == std::size(kAllNations)) return "throughout the UK";
  return absl::StrCat(
      "in ", absl::StrJoin(nations, " and ", [](std::string* out, Nation n) {
        absl::StrAppend(out, NationName(n));
      }));
}

// Adds to `reasons` the bank-holiday reason of every holiday of `nations` in
// `year`. A day that is a holiday under different names in different nations
// (2 January 2023: "New Year's Day (substitute day)" in England, "2nd
// January" in Scotland) lists each name with its nations, joined by "; ".
void AddHolidayReasons(const std::vector<Nation>& nations, int year,
                       ReasonMap* reasons) {
  // Per day, the holiday names in first-seen order with their nations.
  absl::flat_hash_map<absl::CivilDay,
                      std::vector<std::pair<std::string, std::vector<Nation>>>>
      by_day;
  for (Nation nation : nations) {
    for (BankHoliday& holiday : BankHolidays(nation, year)) {
      auto& names = by_day[holiday.day];
      auto it = std::find_if(names.begin(), names.end(), [&](const auto& e) {
        return e.first == holiday.name;
      });
      if (it == names.end()) {
        names.push_back({std::move(holiday.name), {nation}});
      } else {
        it->second.push_back(nation);
      }
    }
  }
  for (auto& [day, names] : by_day) {
    (*reasons)[day] = absl::StrJoin(
        names, "; ", [](std::string* out, const auto& name_and_nations) {
          absl::StrAppend(out, name_and_nations.first, " (bank holiday ",
                          Where(name_and_nations.second), ")");
        });
  }
}

}  // namespace

struct WorkingDayCalendar::Tables {
  // The nations whose bank holidays are not working days.
  std::vector<Nation> nations;
  // Bank-holiday reasons for kFirstPrecomputedYear..kLastPrecomputedYear,
  // shared by every calendar over the same nations.
  std::shared_ptr<const ReasonMap> holidays;
  // Closure-day reasons ("Council closure: ..."), for any year.
  ReasonMap closures;
  std::string description;
};

namespace {

std::shared_ptr<const ReasonMap> PrecomputeHolidays(
    const std::vector<Nation>& nations) {
  auto reasons = std::make_shared<ReasonMap>();
  for (int year = kFirstPrecomputedYear; year <= kLastPrecomputedYear;
       ++year) {
    AddHolidayReasons(nations, year, reasons.get());
  }
  return reasons;
}

// The precomputed table for one nation, built on first use and then shared,
// so that creating a calendar per request costs only its closure days.
// Function-local statics are initialised thread-safely.
std::shared_ptr<const ReasonMap> NationHolidays(Nation nation) {
  static const auto* const kEnglandAndWales = new std::shared_ptr<
      const ReasonMap>(PrecomputeHolidays({Nation::kEnglandAndWales}));
  static const auto* const kScotland = new std::shared_ptr<const ReasonMap>(
      PrecomputeHolidays({Nation::kScotland}));
  static const auto* const kNorthernIreland =
      new std::shared_ptr<const ReasonMap>(
          PrecomputeHolidays({Nation::kNorthernIreland}));
  switch (nation) {
    case Nation::kEnglandAndWales:
      return *kEnglandAndWales;
    case Nation::kScotland:
      return *kScotland;
    case Nation::kNorthernIreland:
      return *kNorthernIreland;
  }
  return PrecomputeHolidays({nation});
}

}  // namespace

WorkingDayCalendar::WorkingDayCalendar(std::shared_ptr<const Tables> tables)
    : tables_(std::move(tables)) {}

WorkingDayCalendar WorkingDayCalendar::ForCouncil(
    Nation nation, std::vector<ClosureDay> closure_days) {
  auto tables = std::make_shared<Tables>();
  tables->nations = {nation};
  tables->holidays = NationHolidays(nation);
  for (ClosureDay& closure : closure_days) {
    // try_emplace keeps the first reason for a day listed twice.
    tables->closures.try_emplace(
        closure.day, closure.reason.empty()
                         ? std::string("Council closure")
                         : absl::StrCat("Council closure: ", closure.reason));
  }
  const size_t count = tables->closures.size();
  tables->description =
      count == 0 ? std::string(NationName(nation))
                 : absl::StrCat(NationName(nation), " + ", count,
                                count == 1 ? " council closure day"
                                           : " council closure days");
  return WorkingDayCalendar(std::move(tables));
}

WorkingDayCalendar WorkingDayCalendar::ForFreedomOfInformation() {
  // One immutable calendar, built on first use; copies share it.
  static const auto* const kFoi = new std::shared_ptr<const Tables>([] {
    auto tables = std::make_shared<Tables>();
    // FOI Act 2000 s10(6): a bank holiday "in any part of the United
    // Kingdom". Christmas Day and Good Friday, which s10(6) also names, are
    // always in the union: both are Scottish bank holidays under the 1971 Act
    // Sch 1 para 2 (and Christmas Day on a weekend is a Saturday or Sunday
    // anyway).
    tables->nations.assign(std::begin(kAllNations), std::end(kAllNations));
    tables->holidays = PrecomputeHolidays(tables->nations);
    tables->description = "FOI Act 2000 s10(6): any UK bank holiday";
    return tables;
  }());
  return WorkingDayCalendar(*kFoi);
}

const std::string* WorkingDayCalendar::HolidayReason(
    absl::CivilDay day, std::string* scratch) const {
  const absl::civil_year_t year = day.year();
  if (year >= kFirstPrecomputedYear && year <= kLastPrecomputedYear) {
    auto it = tables_->holidays->find(day);
    return it == tables_->holidays->end() ? nullptr : &it->second;
  }
  if (year < kFirstHolidayYear || year > kLastHolidayYear) return nullptr;
  ReasonMap reasons;
  AddHolidayReasons(tables_->nations, static_cast<int>(year), &reasons);
  auto it = reasons.find(day);
  if (it == reasons.end()) return nullptr;
  *scratch = std::move(it->second);
  return scratch;
}

bool WorkingDayCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (IsWeekend(day)) return false;
  if (tables_->closures.contains(day)) return false;
  std::string scratch;
  return HolidayReason(day, &scratch) == nullptr;
}

std::optional<NonWorkingDay> WorkingDayCalendar::WhyNotWorking(
    absl::CivilDay day) const {
  // Precedence: the statutory reason, then the weekend, then the council's
  // own closure (which would not matter if the others applied).
  std::string scratch;
  if (const std::string* reason = HolidayReason(day, &scratch)) {
    return NonWorkingDay{day, *reason};
  }
  const absl::Weekday weekday = absl::GetWeekday(day);
  if (weekday == absl::Weekday::saturday) return NonWorkingDay{day, "Saturday"};
  if (weekday == absl::Weekday::sunday) return NonWorkingDay{day, "Sunday"};
  if (auto it = tables_->closures.find(day); it != tables_->closures.end()) {
    return NonWorkingDay{day, it->second};
  }
  return std::nullopt;
}

absl::CivilDay WorkingDayCalendar::AddWorkingDays(absl::CivilDay start,
                                                  int n) const {
  absl::CivilDay day = start;
  // Every week has weekdays and closure lists are finite, so these loops end.
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  while (n < 0) {
    --day;
    if (IsWorkingDay(day)) ++n;
  }
  return day;
}

int WorkingDayCalendar::WorkingDaysBetween(absl::CivilDay from,
                                           absl::CivilDay to) const {
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    if (IsWorkingDay(day)) ++count;
  }
  return count;
}

std::vector<NonWorkingDay> WorkingDayCalendar::NonWorkingDaysBetween(
    absl::CivilDay from, absl::CivilDay to) const {
  std::vector<NonWorkingDay> days;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    if (std::optional<NonWorkingDay> why = WhyNotWorking(day)) {
      days.push_back(*std::move(why));
    }
  }
  return days;
}

absl::CivilDay WorkingDayCalendar::FirstWorkingDayOnOrAfter(
    absl::CivilDay day) const {
  while (!IsWorkingDay(day)) ++day;
  return day;
}

absl::CivilDay WorkingDayCalendar::DueDate(absl::CivilDay received,
                                           int working_days) const {
  // ICO guidance on FOI Act 2000 s10(1): a request received on a non-working
  // day is treated as received on the next working day; the clock's day one
  // is the working day after that.
  return AddWorkingDays(FirstWorkingDayOnOrAfter(received), working_days);
}

std::string_view WorkingDayCalendar::description() const {
  return tables_->description;
}

}  // namespace calendar
}  // namespace council
