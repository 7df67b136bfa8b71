// End-to-end tests of councilctl as a command line, against the real suite:
// the built binary refuses unknown flags and bad values with the usage exit
// code naming them, suggests the command meant, answers a missing resource
// with the not-found exit code and the status by name, prints protobuf JSON
// with --json (errors too), a table by default, and reports every problem in
// a CSV import in one run.
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "council/relations/v1/relations_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAdmin[] = "people/it-admin";

// sysexits.h, as docs/operations.md documents them for councilctl.
constexpr int kUsage = 64;
constexpr int kInvalid = 65;
constexpr int kNotFound = 66;
constexpr int kPermission = 77;

class CouncilctlCliE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("middlesbrough").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* CouncilctlCliE2ETest::suite_ = nullptr;

TEST_F(CouncilctlCliE2ETest, AnUnknownFlagIsAUsageErrorNamingIt) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"people", "list", "--pagesize=3"}, kAdmin, &output), kUsage);
  EXPECT_THAT(output, HasSubstr("councilctl people list: unknown flag --pagesize (did you mean "
                                "'--page-size'?)"));
}

TEST_F(CouncilctlCliE2ETest, BadValuesAreRefusedNotDefaulted) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"people", "list", "--page-size=abc"}, kAdmin, &output), kUsage);
  EXPECT_THAT(output, HasSubstr("--page-size: must be a whole number of 1 or more (got \"abc\")"));
  EXPECT_EQ(suite_->RunCtl({"token", "--person=people/it-admin", "--ttl-minutes=-5"}, "", &output),
            kUsage);
  EXPECT_THAT(output, HasSubstr("--ttl-minutes: must be a whole number of 1 or more"));
  EXPECT_EQ(suite_->RunCtl({"--token-file=/nonexistent", "people", "list"}, "", &output), kUsage);
  EXPECT_THAT(output, HasSubstr("--token-file: no such file: \"/nonexistent\""));
}

TEST_F(CouncilctlCliE2ETest, AMistypedCommandIsNamedWithTheNearest) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"pepole", "list"}, kAdmin, &output), kUsage);
  EXPECT_THAT(output, HasSubstr("unknown command 'pepole' (did you mean 'people'?)"));
  EXPECT_THAT(output, Not(HasSubstr("Global options"))) << "not the whole help";
  EXPECT_EQ(suite_->RunCtl({"people", "lst"}, kAdmin, &output), kUsage);
  EXPECT_THAT(output, HasSubstr("unknown command 'people lst' (did you mean 'people list'?)"));
}

TEST_F(CouncilctlCliE2ETest, AMissingResourceIsNotFoundByNameAndExitCode) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"people", "get", "people/nobody-here"}, kAdmin, &output), kNotFound);
  EXPECT_THAT(output, HasSubstr("error: NOT_FOUND: "));
}

TEST_F(CouncilctlCliE2ETest, NoTokenIsThePermissionExitCode) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"people", "list"}, "", &output), kPermission);
  EXPECT_THAT(output, HasSubstr("error: UNAUTHENTICATED: "));
}

TEST_F(CouncilctlCliE2ETest, JsonOutputIsProtobufJson) {
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"--json", "people", "list", "--page-size=5"}, kAdmin, &output), 0)
      << output;
  relations::v1::ListPeopleResponse people;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(output, &people).ok()) << output;
  EXPECT_EQ(people.people_size(), 5);
  EXPECT_FALSE(people.next_page_token().empty());
}

TEST_F(CouncilctlCliE2ETest, JsonErrorsAreJsonWithTheStatusName) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"people", "get", "people/nobody-here", "--json"}, kAdmin, &output),
            kNotFound);
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(output, &parsed).ok()) << output;
  const auto& error = parsed.fields().at("error").struct_value().fields();
  EXPECT_EQ(error.at("status").string_value(), "NOT_FOUND");
  EXPECT_EQ(error.at("code").number_value(), 5);

  EXPECT_EQ(suite_->RunCtl({"--json", "people", "list", "--pagesize=3"}, kAdmin, &output), kUsage);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(output, &parsed).ok()) << output;
  EXPECT_THAT(parsed.fields().at("error").struct_value().fields().at("message").string_value(),
              HasSubstr("unknown flag --pagesize"));
}

TEST_F(CouncilctlCliE2ETest, AListIsATableByDefault) {
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"people", "list", "--page-size=3"}, kAdmin, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("NAME"));
  EXPECT_THAT(output, HasSubstr("DISPLAY_NAME"));
  EXPECT_THAT(output, HasSubstr("\npeople/"));
  EXPECT_THAT(output, HasSubstr("next page: --page-token="));
}

TEST_F(CouncilctlCliE2ETest, EveryCsvProblemIsReportedInOneRun) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/councilctl-cli-one-pass");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/people.csv")
      << "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n"
         // 2: councilctl's own check: not a date
         "off-one-pass-a,A,officer,one-pass-a@eastmere.gov.uk,2026-13-01,,,,\n"
         // 3: councilctl's own check: a member needs a party group
         "cllr-one-pass-b,B,member,cllr.one-pass-b@eastmere.gov.uk,2026-01-05,,,abbey,\n"
         // 4: the service's: the ward does not exist
         "cllr-one-pass-c,C,member,cllr.one-pass-c@eastmere.gov.uk,2026-01-05,,eastmere-labour,"
         "atlantis,\n"
         // 5: the service's: another person's e-mail address (other case)
         "off-one-pass-d,D,officer,CLLR.Ada.Okafor@eastmere.gov.uk,2026-01-05,,,,\n";
  std::ofstream(dir + "/bodies.csv") << "body_id,display_name,kind,parent_body_id\n";
  std::ofstream(dir + "/memberships.csv") << "body_id,hr_id,role,start_date,end_date\n";
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), kInvalid) << output;
  const std::string people = dir + "/people.csv";
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", people, ":2:5 (start_date)")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", people,
                                             ":3:7 (party_group_id): is required for a member or "
                                             "political assistant")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", people, ":4:8 (ward_id): wards/atlantis "
                                             "does not exist")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", people, ":5:4 (email): is also the e-mail "
                                             "of people/cllr-ada-okafor")));
  EXPECT_THAT(output, HasSubstr("nothing was imported: 2 rows failed councilctl's checks and the "
                                "service refused 2 rows"));
  // Nothing was written.
  EXPECT_EQ(suite_->RunCtl({"people", "get", "people/off-one-pass-d"}, kAdmin, &output), kNotFound);
}

TEST_F(CouncilctlCliE2ETest, HelpPerGroup) {
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"access", "--help"}, "", &output), 0);
  EXPECT_THAT(output, HasSubstr("councilctl access explain"));
  EXPECT_THAT(output, Not(HasSubstr("councilctl complaints")));
}

}  // namespace
}  // namespace council::e2e
