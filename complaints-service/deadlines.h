// deadlines.h — a complaint stage's deadlines, in the council's working days.
//
// Pure functions of the profile's stage and the council's calendar, so the
// sweeper, the API and the tests compute the same dates. Each deadline keeps
// the non-working days it skipped, so "why is it due then?" has an answer:
//
//   auto calendar = CouncilCalendar(profile);   // nation + closure days
//   for (const v1::Deadline& d : StageDeadlines(stage, filed, calendar))
//     std::cout << d.step() << " due " << FormatDay(...) << " skipping "
//               << d.skipped_days_size() << " days\n";
#ifndef COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_
#define COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/calendar/working_day_calendar.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints {

// CouncilCalendar
//
// The working-day calendar for council procedures under `profile`: its
// nation's bank holidays plus its closure days.
calendar::WorkingDayCalendar CouncilCalendar(const profile::v1::CouncilProfile& profile);

// StageDeadlines
//
// Returns one Deadline per limit the stage sets (acknowledge, holding-notice,
// respond; a limit of 0 days means the protocol sets none and is skipped),
// counted from `opened`: the N-th working day after it.
std::vector<v1::Deadline> StageDeadlines(const profile::v1::ComplaintStage& stage,
                                         absl::CivilDay opened,
                                         const calendar::WorkingDayCalendar& calendar);

// RecomputeDeadline
//
// Recomputes `deadline` (counted in working days from its `counted_from`) on
// `calendar`, refreshing its due date, skipped days and calendar name.
// Returns true if the due date changed. A date promised in a holding notice
// (working_days 0) is left alone.
bool RecomputeDeadline(const calendar::WorkingDayCalendar& calendar, v1::Deadline* deadline);

// StateOn
//
// The state of `deadline` on `today`: met (on time or late), lapsed (its stage
// ended on or before the due date without it), overdue, due today or pending.
// `stage_left` is the day its stage ended, if it has.
v1::DeadlineState StateOn(const v1::Deadline& deadline, std::optional<absl::CivilDay> stage_left,
                          absl::CivilDay today);

// CalendarFingerprint
//
// A short text that changes whenever the calendar's non-working days between
// `from` and `to` (or its description) change; stored to notice a new
// proclamation or changed closure days at start-up.
std::string CalendarFingerprint(const calendar::WorkingDayCalendar& calendar, absl::CivilDay from,
                                absl::CivilDay to);

// DayNumber / FromDayNumber
//
// Days since 1970-01-01, as stored in the database.
int64_t DayNumber(absl::CivilDay day);
absl::CivilDay FromDayNumber(int64_t number);

// AddMonths
//
// `day` plus `months` calendar months, clamped to the end of a shorter month
// (31 August + 6 months = 28 or 29 February).
absl::CivilDay AddMonths(absl::CivilDay day, int months);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_
