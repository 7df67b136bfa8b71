// acting_holder.h — who acts as a designation on a day.
//
// The holder acts unless they are absent (no tenure that day), are one of the
// people the matter concerns, or have a declared relationship in force with
// one of them; then the deputy the profile names acts, and so on down the
// deputy chain. Every designation passed over is recorded with why.
#ifndef COUNCIL_RELATIONS_SERVICE_ACTING_HOLDER_H_
#define COUNCIL_RELATIONS_SERVICE_ACTING_HOLDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "council/profile/v1/profile.pb.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

// ResolveActingHolder
//
// Returns who acts as `designation_id` on `day`. NOT_FOUND if the profile has
// no such designation; FAILED_PRECONDITION if nobody in the deputy chain can
// act (the message lists why each was passed over).
absl::StatusOr<v1::ActingHolder> ResolveActingHolder(
    const DirectorySnapshot& directory, const profile::v1::CouncilProfile& profile,
    const std::string& designation_id, absl::CivilDay day,
    const std::vector<std::string>& exclude_related_to);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_ACTING_HOLDER_H_
