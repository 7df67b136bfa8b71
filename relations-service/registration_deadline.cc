#include "relations-service/registration_deadline.h"

#include <algorithm>

#include "relations-service/directory_snapshot.h"

namespace council::relations {

absl::CivilDay LastDayToRegister(absl::CivilDay arose_on, int period_days) {
  // "beginning with the day": arose_on is day 1 of the period.
  return arose_on + (std::max(period_days, 1) - 1);
}

bool IsOverdue(const v1::Interest& interest, int period_days, absl::CivilDay day) {
  if (interest.has_registered_on() || !InForce(nullptr, &interest.end_date(), day)) return false;
  const common::v1::Date& arose = interest.arose_on();
  return day > LastDayToRegister(absl::CivilDay(arose.year(), arose.month(), arose.day()),
                                 period_days);
}

}  // namespace council::relations
