// -----------------------------------------------------------------------------
// File: bank_holidays.h
// -----------------------------------------------------------------------------
//
// This header declares the UK bank holidays of each nation, computed offline:
// no network is needed at run time, because the rules of the Banking and
// Financial Dealings Act 1971 (Schedule 1 and the days appointed every year by
// proclamation under s1(3)) are encoded here, and the one-off royal
// proclamations that change a particular year ship as data in
// `holiday_proclamations.inc`.
//
// Bank holidays differ by nation (Schedule 1 paragraphs 1 to 3, and the days
// proclaimed every year):
//
//   holiday                     England & Wales   Scotland    Northern Ireland
//   New Year's Day (1 Jan)           yes            yes            yes
//   2nd January                       -             yes             -
//   St Patrick's Day (17 Mar)         -              -             yes
//   Good Friday                      yes            yes            yes
//   Easter Monday                    yes             -             yes
//   Early May (1st Mon of May)       yes            yes            yes
//   Spring (last Mon of May)         yes            yes            yes
//   Battle of the Boyne (12 Jul)      -              -             yes
//   Summer                      last Mon Aug    1st Mon Aug    last Mon Aug
//   St Andrew's Day (30 Nov)          -             yes             -
//   Christmas Day (25 Dec)           yes            yes            yes
//   Boxing Day (26 Dec)              yes            yes            yes
//
// A fixed-date holiday that falls on a Saturday or Sunday is replaced by a
// substitute day: the next weekday that is not already a holiday. So Christmas
// on a Saturday gives Monday 27 (Christmas) and Tuesday 28 (Boxing Day);
// Christmas on a Sunday gives Monday 26 (Boxing Day) and Tuesday 27
// (Christmas); 1 and 2 January in Scotland follow the same pattern.
//
// Example:
//
//   using council::calendar::BankHoliday;
//   using council::calendar::BankHolidays;
//   using council::calendar::Nation;
//
//   for (const BankHoliday& h : BankHolidays(Nation::kScotland, 2026)) {
//     std::cout << h.day << " " << h.name << "\n";
//   }
//   // 2026-01-01 New Year's Day
//   // 2026-01-02 2nd January
//   // ...
//   // 2026-06-15 World Cup bank holiday
//   // ...
//   // 2026-12-28 Boxing Day (substitute day)
//
// Scope: the rules are today's, applied to every year. Holidays that began
// after 1971 (New Year's Day in England, Wales and Northern Ireland from 1974,
// the Early May holiday from 1978, St Andrew's Day from 2007) and proclamations
// made before 2020 (for example the 2011 royal wedding and the 2002 and 2012
// jubilees) are not modelled: the suite computes deadlines from 2020 onwards.

#ifndef COUNCIL_COMMON_CALENDAR_BANK_HOLIDAYS_H_
#define COUNCIL_COMMON_CALENDAR_BANK_HOLIDAYS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"

namespace council {
namespace calendar {

// Nation
//
// A UK jurisdiction with its own list of bank holidays under the Banking and
// Financial Dealings Act 1971 Schedule 1. England and Wales share one list.
enum class Nation {
  kEnglandAndWales,
  kScotland,
  kNorthernIreland,
};

// kAllNations
//
// Every value of `Nation`, in declaration order; useful for the union of all
// UK bank holidays that the FOI Act 2000 s10(6) counts.
inline constexpr Nation kAllNations[] = {
    Nation::kEnglandAndWales,
    Nation::kScotland,
    Nation::kNorthernIreland,
};

// NationName()
//
// Returns the human-readable name of `nation`: "England and Wales",
// "Scotland" or "Northern Ireland". Returns "unknown nation" for a value
// outside the enum.
absl::string_view NationName(Nation nation);

// NationSlug()
//
// Returns the machine name of `nation` as gov.uk's bank-holiday divisions
// spell it: "england-and-wales", "scotland" or "northern-ireland". Returns
// "unknown" for a value outside the enum. `ParseNation()` accepts these.
absl::string_view NationSlug(Nation nation);

// ParseNation()
//
// Parses a nation slug ("england-and-wales", "scotland", "northern-ireland",
// compared ignoring ASCII case) into `*nation` and returns true. Returns false
// and leaves `*nation` unchanged for any other text, including the empty string
// and the human-readable names.
bool ParseNation(absl::string_view text, Nation* nation);

// EasterSunday()
//
// Returns the date of Easter Sunday in `year` by the Gregorian computus (the
// "anonymous Gregorian algorithm" of Meeus, Jones and Butcher). Good Friday is
// two days before and Easter Monday the day after. The result always lies
// between 22 March and 25 April. The computus is defined for the Gregorian
// calendar (1583 onwards); for earlier years the result is the proleptic
// Gregorian value, which has no historical meaning. `year` must not be
// negative.
absl::CivilDay EasterSunday(int year);

// BankHoliday
//
// One bank holiday: the day and its name as gov.uk lists it, for example
// "Spring bank holiday" or "Boxing Day (substitute day)".
struct BankHoliday {
  absl::CivilDay day;
  std::string name;
};

// BankHolidays()
//
// Returns every bank holiday of `nation` whose day falls in `year`, sorted by
// day. The list is computed by rule (the table above, with substitute days for
// fixed-date holidays falling on a weekend), then the shipped proclamations
// are applied: a holiday moved by proclamation under s1(2) of the 1971 Act
// leaves its rule day and appears on its new day; an extra day appointed under
// s1(3) is added, for the nations the proclamation names only (Scotland's
// 15 June 2026, for example, is not a holiday in England). Days outside
// `year` never appear, even when a proclamation in the same instrument names
// them. Every year has at least eight holidays.
std::vector<BankHoliday> BankHolidays(Nation nation, int year);

// BankHolidaysByRule()
//
// Returns the bank holidays of `nation` in `year` by rule alone (with
// substitute days), sorted by day, before any one-off proclamation is applied.
// `BankHolidays()` equals this list with `ShippedProclamations()` applied;
// comparing the two shows what the proclamations changed.
std::vector<BankHoliday> BankHolidaysByRule(Nation nation, int year);

// HolidayProclamation
//
// A one-off royal proclamation under s1(2) or s1(3) of the Banking and
// Financial Dealings Act 1971, as shipped in `holiday_proclamations.inc`.
//
// `moved_from` is set (`has_moved_from` is true) when the proclamation moves a
// rule holiday to `day` (s1(2)); otherwise `day` is an extra holiday (s1(3)).
// `nations` lists the nations it applies to. `source` cites the instrument.
struct HolidayProclamation {
  std::vector<Nation> nations;
  bool has_moved_from;
  absl::CivilDay moved_from;
  absl::CivilDay day;
  absl::string_view name;
  absl::string_view source;
};

// ShippedProclamations()
//
// Returns the one-off proclamations this build knows of, in the order of the
// data file (oldest first). A service can cite `source` when it explains why a
// day is a holiday, and can compare the list across releases to find deadlines
// that a newly shipped proclamation changes.
absl::Span<const HolidayProclamation> ShippedProclamations();

}  // namespace calendar
}  // namespace council

#endif  // COUNCIL_COMMON_CALENDAR_BANK_HOLIDAYS_H_
