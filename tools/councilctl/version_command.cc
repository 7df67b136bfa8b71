#include "tools/councilctl/version_command.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/build_info/build_info.h"
#include "tools/councilctl/exit_codes.h"
#include "tools/councilctl/output.h"

namespace council::ctl {
namespace {

int PrintVersion(const Args&) {
  if (JsonOutput()) {
    // The values are a version and `git describe` output: no character
    // that needs escaping in JSON.
    std::cout << absl::StrCat("{\"version\":\"", SuiteVersion(), "\",\"revision\":\"",
                              SourceRevision(), "\"}\n");
  } else {
    std::cout << VersionText("councilctl");
  }
  return kExitOk;
}

}  // namespace

void AddVersionCommand(CommandTable* table) {
  table->Add("version", {"councilctl version\n"
                         "  Prints the suite's version and the source revision councilctl was "
                         "built from.",
                         PrintVersion});
}

}  // namespace council::ctl
