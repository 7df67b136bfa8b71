// coverage_commands.h — `councilctl coverage report`: which rules encode each
// numbered clause of each profile's protocol, and why the others are not
// rules (docs/clause-coverage.md; tools/councilctl/clause_coverage.h).
#ifndef COUNCIL_TOOLS_COUNCILCTL_COVERAGE_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_COVERAGE_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/councilctl/clause_coverage.h"
#include "tools/councilctl/command_table.h"

namespace council::ctl {

// CoverShippedProfiles
//
// The coverage of every profiles_dir/*.textproto (sorted by file name)
// against its protocol_source in protocols_dir; an error if a profile or a
// protocol cannot be read. Profiles are labelled "profiles/<file>".
absl::StatusOr<std::vector<ProfileCoverage>> CoverShippedProfiles(
    const std::string& profiles_dir, const std::string& protocols_dir);

// AddCoverageCommands
//
// Registers "coverage report".
void AddCoverageCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_COVERAGE_COMMANDS_H_
