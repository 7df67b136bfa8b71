// rules_check.h — start-up checks of the complaints rules that the shared
// profile loader does not know about.
//
// common/profile checks what every service relies on (each stage has a
// handler, limits cite clauses). complaints-service also uses either-or
// handlers, joint handlers, per-stage notifications, the senior-officer rule
// and the HR designation for formal action; a mistake in any of them must stop
// start-up with the file, line and problem, as the loader does:
//
//   if (auto s = CheckComplaintRules(*profile, path); !s.ok()) return Fail(s);
//   // INVALID_ARGUMENT: profiles/x.textproto:212: complaints stage "formal":
//   //   joint handler designation "head-of-hr" is not defined in `designations`
#ifndef COUNCIL_COMPLAINTS_SERVICE_RULES_CHECK_H_
#define COUNCIL_COMPLAINTS_SERVICE_RULES_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints {

// CheckComplaintRules
//
// Returns INVALID_ARGUMENT listing every problem ("path:line: what") in the
// complaints rules of `profile`, loaded from `path` (re-read for line
// numbers; "" to skip them), or OK.
absl::Status CheckComplaintRules(const profile::v1::CouncilProfile& profile,
                                 const std::string& path);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_RULES_CHECK_H_
