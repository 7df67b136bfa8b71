#include "absl/strings/str_cat.h"
#include "common/build_info/build_info.h"

namespace council {

std::string VersionText(absl::string_view program) {
  return absl::StrCat(program, " (council protocols) ", SuiteVersion(), "\nrevision ",
                      SourceRevision(), "\n");
}

}  // namespace council
