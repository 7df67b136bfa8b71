// -----------------------------------------------------------------------------
// File: working_day_calendar.h
// -----------------------------------------------------------------------------
//
// This header declares `WorkingDayCalendar`, which counts working days for one
// purpose. UK law has no single definition of a working day, so each purpose
// gets its own calendar:
//
//   * `ForFreedomOfInformation()`: the FOI Act 2000 s10(6) definition: any
//     day other than a Saturday, a Sunday, Christmas Day, Good Friday or a
//     bank holiday under the Banking and Financial Dealings Act 1971 "in any
//     part of the United Kingdom". So a Scottish-only holiday moves an English
//     council's FOI deadline, and council closure days never do.
//   * `ForCouncil()`: council procedures (complaints, casework, registration
//     deadlines): weekends, the bank holidays of the council's own nation, and
//     the closure days listed in the council's profile.
//
// Periods counted in calendar days (for example the 28 days to register an
// interest under the Localism Act 2011 s30) need no calendar: use
// `absl::CivilDay` arithmetic directly.
//
// Example:
//
//   using council::calendar::NonWorkingDay;
//   using council::calendar::WorkingDayCalendar;
//
//   const WorkingDayCalendar foi =
//       WorkingDayCalendar::ForFreedomOfInformation();
//   // A request received on Friday 4 December 2026 is due by the 20th working
//   // day following receipt (FOI Act 2000 s10(1)).
//   absl::CivilDay due = foi.DueDate(absl::CivilDay(2026, 12, 4), 20);
//   // due == 2027-01-07: Christmas, the Boxing Day substitute, New Year's Day
//   // and Scotland's 2 January substitute (Mon 4 Jan) are skipped.
//   for (const NonWorkingDay& d :
//        foi.NonWorkingDaysBetween(absl::CivilDay(2026, 12, 4), due)) {
//     std::cout << d.day << " " << d.reason << "\n";
//   }
//
// A calendar is immutable after construction, so it is thread-safe, and
// copying one is cheap (the tables are shared). Bank holidays for 1950 to 2200
// are precomputed into hash tables once per process (per nation, and once for
// the FOI union) on first use, so creating a calendar per request costs only
// its closure days; days outside that range are answered correctly by
// computing their year on the fly, just more slowly.

#ifndef COUNCIL_COMMON_CALENDAR_WORKING_DAY_CALENDAR_H_
#define COUNCIL_COMMON_CALENDAR_WORKING_DAY_CALENDAR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/calendar/bank_holidays.h"

namespace council {
namespace calendar {

// ClosureDay
//
// A day a council's offices are closed beyond weekends and bank holidays, as
// listed in its profile (for example the days between Christmas and New
// Year). `reason` is the profile's text, for example "Offices closed between
// Christmas and New Year".
struct ClosureDay {
  absl::CivilDay day;
  std::string reason;
};

// NonWorkingDay
//
// A day that is not a working day and why, for explaining a deadline.
// `reason` is one of:
//   * "Saturday" or "Sunday";
//   * "<holiday name> (bank holiday in <nation>)", for example
//     "Good Friday (bank holiday in England and Wales)". On the FOI calendar
//     the nations are joined ("... in England and Wales and Northern
//     Ireland"), "throughout the UK" replaces all three, and holidays with
//     different names on the same day are joined by "; ";
//   * "Council closure: <profile reason>".
// A bank holiday takes precedence over a weekend, and both over a closure.
struct NonWorkingDay {
  absl::CivilDay day;
  std::string reason;
};

// WorkingDayCalendar
//
// Decides which days are working days for one purpose, and counts working
// days. Create one with `ForCouncil()` or `ForFreedomOfInformation()`.
//
// Bank holidays are computed for years 1 to 9999 only; outside them every
// weekday that is not a closure day is a working day.
class WorkingDayCalendar {
 public:
  // WorkingDayCalendar::ForCouncil()
  //
  // Returns the calendar for a council's own procedures: every day except
  // weekends, the bank holidays of `nation` (see `BankHolidays()`), and
  // `closure_days`. A closure day may fall anywhere, including on a weekend
  // or bank holiday (where it changes nothing but is still counted in
  // `description()`); if a day is listed twice the first reason is kept.
  static WorkingDayCalendar ForCouncil(Nation nation,
                                       std::vector<ClosureDay> closure_days);

  // WorkingDayCalendar::ForFreedomOfInformation()
  //
  // Returns the FOI Act 2000 s10(6) calendar: every day except Saturdays,
  // Sundays, Christmas Day, Good Friday and any day that is a bank holiday in
  // any part of the UK (the union of all three nations' holidays, including
  // nation-only proclamations such as Scotland's 15 June 2026). Council
  // closure days never apply.
  static WorkingDayCalendar ForFreedomOfInformation();

  // WorkingDayCalendar::IsWorkingDay()
  //
  // Returns true if `day` is a working day on this calendar.
  bool IsWorkingDay(absl::CivilDay day) const;

  // WorkingDayCalendar::WhyNotWorking()
  //
  // Returns why `day` is not a working day (see `NonWorkingDay` for the
  // reason text), or `std::nullopt` if it is a working day.
  std::optional<NonWorkingDay> WhyNotWorking(absl::CivilDay day) const;

  // WorkingDayCalendar::AddWorkingDays()
  //
  // Returns the `n`-th working day after `start`. `start` itself never counts,
  // whether or not it is a working day, so `AddWorkingDays(Fri, 1)` is the
  // next working Monday and `AddWorkingDays(Sat, 1)` is that same Monday.
  // Returns `start` when `n == 0`. For negative `n`, returns the `-n`-th
  // working day before `start`.
  //
  // For every `n >= 0`, `WorkingDaysBetween(start, AddWorkingDays(start, n))`
  // equals `n`.
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;

  // WorkingDayCalendar::WorkingDaysBetween()
  //
  // Returns the number of working days in the half-open interval
  // (`from`, `to`]: `from` is excluded and `to` included, matching
  // `AddWorkingDays()`. Returns 0 if `to <= from`.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // WorkingDayCalendar::NonWorkingDaysBetween()
  //
  // Returns every non-working day in (`from`, `to`], in date order, so a
  // deadline can show the days it skipped ("skipped: 25 Dec Christmas Day,
  // ..."). Returns an empty vector if `to <= from`.
  std::vector<NonWorkingDay> NonWorkingDaysBetween(absl::CivilDay from,
                                                   absl::CivilDay to) const;

  // WorkingDayCalendar::FirstWorkingDayOnOrAfter()
  //
  // Returns `day` if it is a working day, otherwise the next working day.
  absl::CivilDay FirstWorkingDayOnOrAfter(absl::CivilDay day) const;

  // WorkingDayCalendar::DueDate()
  //
  // Returns the `working_days`-th working day following receipt of something
  // received on `received`. Something received on a non-working day counts as
  // received on the next working day (the Information Commissioner's guidance
  // on FOI Act 2000 s10(1)), so a request received on a Saturday is due on
  // the same day as one received on the following working Monday. With
  // `working_days == 0`, returns that effective date of receipt. For the FOI
  // Act, pass 20 (s10(1)) on the `ForFreedomOfInformation()` calendar.
  absl::CivilDay DueDate(absl::CivilDay received, int working_days) const;

  // WorkingDayCalendar::description()
  //
  // Returns a short description for audit records and explanations, for
  // example "England and Wales + 3 council closure days", "Scotland" (no
  // closure days), "Northern Ireland + 1 council closure day", or
  // "FOI Act 2000 s10(6): any UK bank holiday".
  std::string_view description() const;

 private:
  struct Tables;

  explicit WorkingDayCalendar(std::shared_ptr<const Tables> tables);

  // Returns the bank-holiday reason for `day`, or nullptr if it is none.
  // `scratch` holds the reason when it is computed outside the precomputed
  // range.
  const std::string* HolidayReason(absl::CivilDay day,
                                   std::string* scratch) const;

  std::shared_ptr<const Tables> tables_;
};

}  // namespace calendar
}  // namespace council

#endif  // COUNCIL_COMMON_CALENDAR_WORKING_DAY_CALENDAR_H_
