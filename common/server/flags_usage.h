// flags_usage.h — how a daemon's Abseil flags describe themselves: --version
// prints the suite's version and source revision (common/build_info), --help
// and --helpshort list the suite's own flags (Abseil's default matches only a
// file named after the program, so they said "No flags matched"), and
// --helpfull names flag files relative to the source tree, not by build path.
//
//   council::ConfigureFlagsUsage("gateway");   // before absl::ParseCommandLine
#ifndef COUNCIL_COMMON_SERVER_FLAGS_USAGE_H_
#define COUNCIL_COMMON_SERVER_FLAGS_USAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace council {

// ConfigureFlagsUsage
//
// Sets Abseil's flags usage config for `program`; call once, first in main.
void ConfigureFlagsUsage(absl::string_view program);

// NormalizeFlagFilename
//
// `filename` (a flag's __FILE__) relative to the source tree: the source
// directory's prefix, or a leading "./" (a build with -ffile-prefix-map), and
// any leading '/' are removed. Exposed for tests.
std::string NormalizeFlagFilename(absl::string_view filename);

// IsSuiteFlagFile
//
// Whether a normalized flag file name is one of the suite's (its top-level
// source directories), not a library's. Exposed for tests.
bool IsSuiteFlagFile(absl::string_view normalized);

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_FLAGS_USAGE_H_
