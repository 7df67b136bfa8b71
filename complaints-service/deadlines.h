// deadlines.h — a complaint stage's deadlines, in the council's working days.
//
// Pure functions of the profile's stage and the council's calendar, so the
// sweeper, the API and the tests compute the same dates. Each deadline keeps
// the non-working days it skipped, so "why is it due then?" has an answer.
#ifndef COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_
#define COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_

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
// counted from `opened`.
std::vector<v1::Deadline> StageDeadlines(const profile::v1::ComplaintStage& stage,
                                         absl::CivilDay opened,
                                         const calendar::WorkingDayCalendar& calendar);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_DEADLINES_H_
