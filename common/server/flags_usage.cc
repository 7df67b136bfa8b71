#include "common/server/flags_usage.h"

#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "common/build_info/build_info.h"

namespace council {
namespace {

// The top-level directories whose files define the daemons' flags.
constexpr absl::string_view kSuiteDirectories[] = {
    "common/", "access-service/", "complaints-service/", "relations-service/", "gateway/",
    "tools/"};

}  // namespace

std::string NormalizeFlagFilename(absl::string_view filename) {
  if (!absl::ConsumePrefix(&filename, SourceDirectory())) absl::ConsumePrefix(&filename, "./");
  while (absl::ConsumePrefix(&filename, "/")) {
  }
  return std::string(filename);
}

bool IsSuiteFlagFile(absl::string_view normalized) {
  for (absl::string_view directory : kSuiteDirectories)
    if (absl::StartsWith(normalized, directory)) return true;
  return false;
}

void ConfigureFlagsUsage(absl::string_view program) {
  absl::FlagsUsageConfig config;
  // Abseil passes the normalized name to the filters.
  config.contains_help_flags = [](absl::string_view file) { return IsSuiteFlagFile(file); };
  config.contains_helpshort_flags = [](absl::string_view file) {
    return IsSuiteFlagFile(file);
  };
  config.normalize_filename = [](absl::string_view file) { return NormalizeFlagFilename(file); };
  config.version_string = [name = std::string(program)] { return VersionText(name); };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace council
