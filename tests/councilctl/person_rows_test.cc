// Tests for the people.csv rules councilctl checks itself (tools/councilctl/
// csv_import.h; demo/README.md): a member or political assistant names a
// party group; officers and co-opted members need none. (That e-mail
// addresses are unique is the service's check, over the whole import and the
// directory: tests/relations/import_validation_test.cc.)
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/councilctl/csv_import.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;

TEST(PersonRowsTest, AMemberOrPoliticalAssistantWithoutAPartyGroupIsABadRow) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/person-rows");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/people.csv")
      << "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n"
         "cllr-ada,Ada,member,a@x.gov.uk,2022-05-05,,labour,abbey,\n"     // 2: fine
         "cllr-ben,Ben,member,b@x.gov.uk,2022-05-05,,,abbey,\n"           // 3: no group
         "pa-cy,Cy,political-assistant,c@x.gov.uk,2022-05-05,,,,\n"       // 4: no group
         "off-dee,Dee,officer,d@x.gov.uk,2022-05-05,,,,\n"                // 5: fine
         "coopt-eve,Eve,co-opted-member,e@x.gov.uk,2022-05-05,,,,\n";     // 6: fine
  std::ofstream(dir + "/bodies.csv") << "body_id,display_name,kind,parent_body_id\n";
  std::ofstream(dir + "/memberships.csv") << "body_id,hr_id,role,start_date,end_date\n";
  auto csv = ReadDirectoryCsv(dir);
  ASSERT_TRUE(csv.ok()) << csv.status();
  DirectoryImport built = BuildDirectoryImport(*csv, {});
  std::vector<std::string> problems;
  for (const auto& problem : built.problems) problems.push_back(problem.ToString());
  EXPECT_THAT(problems,
              ElementsAre(absl::StrCat(dir, "/people.csv:3:7 (party_group_id): is required for a "
                                            "member or political assistant"),
                          absl::StrCat(dir, "/people.csv:4:7 (party_group_id): is required for a "
                                            "member or political assistant")));
  EXPECT_EQ(built.request.people_size(), 3) << "the bad rows are left out, never sent";
}

}  // namespace
}  // namespace council::ctl
