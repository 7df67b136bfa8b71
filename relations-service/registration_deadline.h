// registration_deadline.h — when a member's interest must be on the register,
// and whether it is overdue.
//
// Localism Act 2011 s30(1): a member "must, before the end of 28 days
// beginning with the day on which the person becomes a member", notify the
// monitoring officer of their disclosable pecuniary interests. A period
// "beginning with" a day counts that day as its first (Zoan v Rouamba [2000]
// 1 WLR 1509, CA, and the usual construction of the phrase in statutes), so
// for an interest that arose on 1 March the 28 days are 1-28 March: the last
// day to register is 28 March and it is overdue from 29 March. The period is
// calendar days (the profile's `interest_registration_days`), not working
// days.
//
//   absl::CivilDay due = LastDayToRegister(Day(interest.arose_on()), 28);
//   if (IsOverdue(interest, 28, today)) ...
#ifndef COUNCIL_RELATIONS_SERVICE_REGISTRATION_DEADLINE_H_
#define COUNCIL_RELATIONS_SERVICE_REGISTRATION_DEADLINE_H_

#include "absl/time/civil_time.h"
#include "council/relations/v1/declarations.pb.h"

namespace council::relations {

// LastDayToRegister
//
// The last day of a period of `period_days` days beginning with `arose_on`
// (its first day): `arose_on + period_days - 1`. A period of 0 or less is
// treated as 1 day (the day itself).
absl::CivilDay LastDayToRegister(absl::CivilDay arose_on, int period_days);

// IsOverdue
//
// Returns true if `interest` is not registered, has not ended by `day`, and
// `day` is after its LastDayToRegister.
bool IsOverdue(const v1::Interest& interest, int period_days, absl::CivilDay day);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_REGISTRATION_DEADLINE_H_
