// build_info.h — which release of the suite this binary is, and from which
// source revision, for --version, `councilctl version` and the
// council_build_info metric.
//
//   std::cout << VersionText("gateway");
//   // gateway (council protocols) 0.1.0
//   // revision 51b3d1e2a0c4
//
// The values are defined in a file CMake generates (cmake/BuildRevision.cmake),
// so a new revision recompiles one file, not every file that prints it.
#ifndef COUNCIL_COMMON_BUILD_INFO_BUILD_INFO_H_
#define COUNCIL_COMMON_BUILD_INFO_BUILD_INFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace council {

// The suite's version: CMake's project(VERSION), e.g. "0.1.0".
absl::string_view SuiteVersion();

// `git describe --tags --always` when CMake configured the build, or
// "unknown" when it was built from a tree without .git.
absl::string_view SourceRevision();

// The source tree's absolute path with a trailing '/', as the compiler saw
// it: only for stripping from file names (flag help), never for printing.
absl::string_view SourceDirectory();

// VersionText
//
// What `program --version` prints: two lines, ending in a newline.
std::string VersionText(absl::string_view program);

}  // namespace council

#endif  // COUNCIL_COMMON_BUILD_INFO_BUILD_INFO_H_
