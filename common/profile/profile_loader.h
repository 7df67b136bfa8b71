// profile_loader.h — loads and validates a council profile (text-format proto).
//
// A council's rules are configuration: every service reads the profile named by
// its `--profile` flag once at start-up and shares the immutable result by
// pointer. An invalid profile stops start-up with a message naming the file,
// the line and what is wrong:
//
//   absl::StatusOr<std::shared_ptr<const CouncilProfile>> profile =
//       LoadProfile("profiles/middlesbrough.textproto");
//   // INVALID_ARGUMENT: profiles/x.textproto:42: designation "monitoring-oficer"
//   //   is not defined in `designations` (document_access.dispute_decider)
#ifndef COUNCIL_COMMON_PROFILE_PROFILE_LOADER_H_
#define COUNCIL_COMMON_PROFILE_PROFILE_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "council/profile/v1/profile.pb.h"

namespace council {

using ::council::profile::v1::CouncilProfile;

// LoadProfile
//
// Reads, parses and validates the profile at `path`. Returns INVALID_ARGUMENT
// with "path:line:column: problem" for syntax errors and "path:line: problem"
// for rule violations; NOT_FOUND if the file cannot be read. Refused among
// others: a missing `document_access`, `complaints` (or one with no route) or
// `declarations` block (each is what a service runs on); an emptied clause
// anywhere (`clause {}` on a rule or a designation); a role in
// `record_reader_roles` that is neither a designation nor in SuiteRoles().
absl::StatusOr<std::shared_ptr<const CouncilProfile>> LoadProfile(const std::string& path);

// SuiteRoles
//
// The roles relations-service gives people whatever the profile says (see
// relations-service RolesOf and ResolvePrincipal, docs/security.md "Where
// roles come from"): by kind "member", "co-opted-member", "officer",
// "political-assistant"; by post "chief-officer", "head-of-service"; and the
// system roles "administrator", "auditor", "hr-integration",
// "records-integration". Designations held are roles too, by their id in the
// profile. A role a profile or the gateway policy names must be one of these
// or a designation, or it is refused.
const std::vector<std::string>& SuiteRoles();

// ParseProfile
//
// Like LoadProfile but from text; `display_path` names the source in messages.
absl::StatusOr<std::shared_ptr<const CouncilProfile>> ParseProfile(
    absl::string_view text, absl::string_view display_path);

}  // namespace council

#endif  // COUNCIL_COMMON_PROFILE_PROFILE_LOADER_H_
