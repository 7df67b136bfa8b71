// Versions and conventions (issue 20): what --version prints, the
// council_build_info metric, and how the daemons' --help finds their flags.
#include "common/build_info/build_info.h"

#include "common/server/flags_usage.h"
#include "common/server/metrics.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::HasSubstr;

TEST(BuildInfoTest, VersionIsTheProjectVersionAndTheRevisionIsNeverEmpty) {
  // CMake's project(VERSION) is MAJOR.MINOR.PATCH.
  EXPECT_THAT(std::string(SuiteVersion()), ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
  EXPECT_FALSE(SourceRevision().empty()) << "a tree without .git says \"unknown\"";
}

TEST(BuildInfoTest, VersionTextNamesTheProgramVersionAndRevision) {
  const std::string text = VersionText("gateway");
  EXPECT_EQ(text, std::string("gateway (council protocols) ") + std::string(SuiteVersion()) +
                      "\nrevision " + std::string(SourceRevision()) + "\n");
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Debug build")));
}

TEST(BuildInfoTest, MetricsCarryTheBuildInfoGaugeWithVersionAndRevision) {
  const std::string text = Metrics::Global().Render();
  EXPECT_THAT(text, HasSubstr("# TYPE council_build_info gauge\n"));
  EXPECT_THAT(text, HasSubstr(std::string("council_build_info{version=\"") +
                              std::string(SuiteVersion()) + "\",revision=\"" +
                              std::string(SourceRevision()) + "\"} 1\n"));
}

TEST(FlagsUsageTest, FlagFilesAreNamedRelativeToTheSourceTree) {
  EXPECT_EQ(NormalizeFlagFilename(std::string(SourceDirectory()) + "common/server/flags.cc"),
            "common/server/flags.cc");
  // A Debian build maps the build directory to "." (-ffile-prefix-map).
  EXPECT_EQ(NormalizeFlagFilename("./gateway/main.cc"), "gateway/main.cc");
  EXPECT_EQ(NormalizeFlagFilename("/elsewhere/absl/flags/parse.cc"),
            "elsewhere/absl/flags/parse.cc");
  EXPECT_EQ(NormalizeFlagFilename(COUNCIL_SOURCE_DIR "/access-service/main.cc"),
            "access-service/main.cc");
}

TEST(FlagsUsageTest, HelpListsTheSuitesFlagFilesOnly) {
  struct Case {
    const char* file;
    bool suite;
  };
  for (const Case& c : {Case{"common/server/flags.cc", true}, Case{"gateway/main.cc", true},
                        Case{"access-service/main.cc", true},
                        Case{"complaints-service/main.cc", true},
                        Case{"relations-service/main.cc", true},
                        Case{"common/audit/service_audit.cc", true},
                        Case{"absl/flags/parse.cc", false}, Case{"absl/log/flags.cc", false},
                        Case{"gatewayish/main.cc", false}})
    EXPECT_EQ(IsSuiteFlagFile(c.file), c.suite) << c.file;
}

}  // namespace
}  // namespace council
