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

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "council/profile/v1/profile.pb.h"

namespace council {

using ::council::profile::v1::CouncilProfile;

// LoadProfile
//
// Reads, parses and validates the profile at `path`. Returns INVALID_ARGUMENT
// with "path:line:column: problem" for syntax errors and "path:line: problem"
// for rule violations; NOT_FOUND if the file cannot be read.
absl::StatusOr<std::shared_ptr<const CouncilProfile>> LoadProfile(const std::string& path);

// ParseProfile
//
// Like LoadProfile but from text; `display_path` names the source in messages.
absl::StatusOr<std::shared_ptr<const CouncilProfile>> ParseProfile(
    absl::string_view text, absl::string_view display_path);

}  // namespace council

#endif  // COUNCIL_COMMON_PROFILE_PROFILE_LOADER_H_
