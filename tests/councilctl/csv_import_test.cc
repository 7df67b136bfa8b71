// Tests for tools/councilctl/csv_import.h and documents_csv.h: every row is
// checked, bad rows are reported with their cell and left out, and every
// record of the request can be traced back to its row, including after rows
// are skipped and when the import is streamed in chunks.
#include "tools/councilctl/csv_import.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/councilctl/documents_csv.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Strings(const std::vector<RowProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.ToString());
  return out;
}

class CsvImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/csv-import-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    Write("people.csv",
          "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n"
          "off-chief,Chief,officer,c@x.gov.uk,2020-01-06,,,,\n"           // line 2
          "off-planner,Planner,officer,p@x.gov.uk,2020-13-01,,,,\n"       // line 3: bad date
          "cllr-ada,Ada,member,a@x.gov.uk,2022-05-05,,labour,abbey,\n"    // line 4
          "cllr-ben,Ben,member,b@x.gov.uk,2022-05-05,,labour,abbey,\n");  // line 5
    Write("bodies.csv",
          "body_id,display_name,kind,parent_body_id\n"
          "full-council,Full Council,council,\n"
          "planning,Planning,committee,full-council\n");
    Write("memberships.csv",
          "body_id,hr_id,role,start_date,end_date\n"
          "planning,cllr-ada,chair,2025-05-21,\n"     // line 2
          "planning,cllr-ben,member,2025-05-21,\n");  // line 3
    Write("posts.csv",
          "post_id,title,service,reports_to_post_id,holder_hr_id,start_date,is_chief_officer,"
          "is_head_of_service\n"
          "chief-executive,Chief Executive,ceo,,off-chief,2020-01-06,true,false\n"
          "planner,Planner,planning,chief-executive,off-planner,2021-01-01,false,maybe\n");
    Write("designations.csv",
          "designation_id,holder_hr_id,start_date,end_date\n"
          "monitoring-officer,off-chief,2020-01-06,2021-12-31\n"  // line 2
          "monitoring-officer,off-planner,2022-01-01,\n"          // line 3
          "clerk,off-chief,2020-01-06,\n");                       // line 4
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(absl::StrCat(dir_, "/", name)) << text;
  }
  std::string Path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }

  std::string dir_;
};

TEST_F(CsvImportTest, EveryBadRowIsReportedWithItsCellAndLeftOut) {
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  DirectoryImport built = BuildDirectoryImport(*csv, {});
  EXPECT_THAT(Strings(built.problems),
              ElementsAre(absl::StrCat(Path("people.csv"),
                                       ":3:5 (start_date): \"2020-13-01\" is not a date "
                                       "(YYYY-MM-DD)"),
                          absl::StrCat(Path("posts.csv"),
                                       ":3:8 (is_head_of_service): \"maybe\" must be true or "
                                       "false")));
  EXPECT_EQ(built.request.people_size(), 3);
  EXPECT_EQ(built.request.posts_size(), 1);
  // 3 people, 2 bodies, 2 memberships, 1 post, 3 designation rows.
  EXPECT_EQ(built.rows, 11);
}

TEST_F(CsvImportTest, TheServicesFieldPathsNameTheRowsTheyCameFrom) {
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  DirectoryImport built = BuildDirectoryImport(*csv, {});
  // people[1] is line 4: line 3 was left out.
  EXPECT_EQ(built.request.people(1).name(), "people/cllr-ada");
  EXPECT_EQ(built.sources.Locate("people[1].ward")->ToString(),
            absl::StrCat(Path("people.csv"), ":4:8 (ward_id)"));
  EXPECT_EQ(built.sources.Locate("memberships[1].person")->ToString(),
            absl::StrCat(Path("memberships.csv"), ":3:2 (hr_id)"));
  EXPECT_EQ(built.sources.Locate("memberships[0].name")->ToString(),
            absl::StrCat(Path("memberships.csv"), ":2:1 (body_id)"));
  EXPECT_EQ(built.sources.Locate("bodies[1].parent")->ToString(),
            absl::StrCat(Path("bodies.csv"), ":3:4 (parent_body_id)"));
  EXPECT_EQ(built.sources.Locate("posts[0].tenures[0].person")->ToString(),
            absl::StrCat(Path("posts.csv"), ":2:5 (holder_hr_id)"));
  EXPECT_EQ(built.sources.Locate("posts[0].reports_to")->ToString(),
            absl::StrCat(Path("posts.csv"), ":2:4 (reports_to_post_id)"));
  // Two rows of one designation are its two tenures.
  ASSERT_EQ(built.request.designations_size(), 2);
  EXPECT_EQ(built.request.designations(0).tenures_size(), 2);
  EXPECT_EQ(built.sources.Locate("designations[0].tenures[1].person")->ToString(),
            absl::StrCat(Path("designations.csv"), ":3:2 (holder_hr_id)"));
  EXPECT_EQ(built.sources.Locate("designations[0].tenures[0].end_date")->ToString(),
            absl::StrCat(Path("designations.csv"), ":2:4 (end_date)"));
  EXPECT_EQ(built.sources.Locate("designations[1].name")->ToString(),
            absl::StrCat(Path("designations.csv"), ":4:1 (designation_id)"));
}

TEST_F(CsvImportTest, SkippedRowsAreLeftOutAndTheRestRenumbered) {
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  RowSet skip = {{Path("people.csv"), 4}, {Path("memberships.csv"), 2},
                 {Path("designations.csv"), 2}};
  DirectoryImport built = BuildDirectoryImport(*csv, skip);
  ASSERT_EQ(built.request.people_size(), 2);
  EXPECT_EQ(built.request.people(1).name(), "people/cllr-ben");
  EXPECT_EQ(built.sources.Locate("people[1].name")->ToString(),
            absl::StrCat(Path("people.csv"), ":5:1 (hr_id)"));
  ASSERT_EQ(built.request.memberships_size(), 1);
  EXPECT_EQ(built.sources.Locate("memberships[0].person")->row.line, 3);
  EXPECT_EQ(built.request.designations(0).tenures_size(), 1);
  EXPECT_EQ(built.sources.Locate("designations[0].tenures[0].person")->row.line, 3);
  // A problem in a skipped row is not reported again.
  skip.insert({Path("people.csv"), 3});
  EXPECT_EQ(BuildDirectoryImport(*csv, skip).problems.size(), 1u);
}

TEST_F(CsvImportTest, ARowWithTheWrongNumberOfFieldsIsOneBadRowNotABadFile) {
  Write("bodies.csv",
        "body_id,display_name,kind,parent_body_id\n"
        "full-council,Full Council,council,\n"
        "planning,Planning, Regeneration,committee,full-council\n");
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  DirectoryImport built = BuildDirectoryImport(*csv, {});
  EXPECT_THAT(Strings(built.problems),
              ::testing::Contains(absl::StrCat(Path("bodies.csv"),
                                               ":3:5: has 5 fields but the header has 4")));
  EXPECT_EQ(built.request.bodies_size(), 1);
}

TEST_F(CsvImportTest, AMissingColumnFailsTheFile) {
  Write("people.csv", "hr_id,display_name,start_date\noff-a,A,2020-01-01\n");
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().message(),
            absl::StrCat(Path("people.csv"), ":1: missing column \"kind\""));
}

TEST(ChunkDirectoryTest, IndexesCountAcrossTheStreamAsInTheWholeRequest) {
  relations::v1::ImportDirectoryRequest all;
  for (int i = 0; i < 5; ++i) all.add_people()->set_name(absl::StrCat("people/p-", i));
  for (int i = 0; i < 3; ++i) all.add_memberships()->set_name(absl::StrCat("m-", i));
  all.add_bodies()->set_name("bodies/b");
  all.set_validate_only(true);
  const auto chunks = ChunkDirectory(all, 2);
  ASSERT_EQ(chunks.size(), 3u);
  // Merged in order, as the service does, the chunks are the request again.
  relations::v1::ImportDirectoryRequest merged;
  for (const auto& chunk : chunks) merged.MergeFrom(chunk);
  merged.set_validate_only(all.validate_only());
  EXPECT_EQ(merged.SerializeAsString(), all.SerializeAsString());
  EXPECT_TRUE(chunks[0].validate_only());
  EXPECT_FALSE(chunks[1].validate_only());
  EXPECT_EQ(ChunkDirectory({}, 2).size(), 1u) << "an empty import is still one message";
}

TEST_F(CsvImportTest, ACellThatIsNotUtf8IsABadRowNamedByItsCell) {
  // 30 people; line 26 holds a Latin-1 byte, as a spreadsheet export may.
  std::string people =
      "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n";
  for (int i = 2; i <= 31; ++i)
    absl::StrAppend(&people, "off-", i, ",", i == 26 ? "Ren\xe9" : "Name", ",officer,,2020-01-06,,,,\n");
  Write("people.csv", people);
  Write("posts.csv", "post_id,title,service\n");
  Write("designations.csv", "designation_id,holder_hr_id,start_date\n");
  auto csv = ReadDirectoryCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  DirectoryImport built = BuildDirectoryImport(*csv, {});
  EXPECT_THAT(Strings(built.problems),
              ElementsAre(absl::StrCat(Path("people.csv"),
                                       ":26:2: the display_name cell is not valid UTF-8 (its "
                                       "byte 4 is 0xE9); save the file as UTF-8")));
  EXPECT_EQ(built.request.people_size(), 29) << "the row is left out, never sent";

  // Had a chunk not arrived intact, it is reported by the lines it carried.
  ChunkRows rows;
  const auto chunks = ChunkDirectory(built.request, 10, &rows);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(rows.Describe(2, built.sources), absl::StrCat(Path("people.csv"), ":22-31"));
  EXPECT_EQ(rows.Describe(0, built.sources),
            absl::StrCat(Path("bodies.csv"), ":2-3, ", Path("memberships.csv"), ":2-3, ",
                         Path("people.csv"), ":2-11"));
}

TEST_F(CsvImportTest, DeclarationsMapFieldsAndPeopleToTheirCells) {
  Write("relationships.csv",
        "relationship_id,member_hr_id,officer_hr_id,kind,declared_on,declared_to_hr_id,advice,"
        "advice_by_hr_id,end_date\n"
        "rel-001,cllr-ada,off-planner,family,2025-01-10,off-chief,,,\n"   // line 2
        "rel-001,cllr-ben,off-planner,family,2025-01-10,off-chief,,,\n"   // line 3: again
        "rel-002,cllr-ben,off-planner,cousin,2025-01-10,off-chief,,,\n");  // line 4
  Write("interests.csv",
        "interest_id,member_hr_id,category,description,holder,registered_on,sensitive,matters\n"
        "int-001,cllr-ada,land,House,member,2025-04-14,false,\n");
  auto csv = ReadDeclarationsCsv(dir_);
  ASSERT_TRUE(csv.ok()) << csv.status();
  Declarations built = BuildDeclarations(*csv, {});
  EXPECT_THAT(Strings(built.problems),
              ElementsAre(absl::StrCat(Path("relationships.csv"),
                                       ":3:1 (relationship_id): \"rel-001\" appears again (first "
                                       "on line 2)"),
                          absl::StrCat(Path("relationships.csv"),
                                       ":4:4 (kind): must be family, household, business, "
                                       "close-personal, friendship or working")));
  ASSERT_EQ(built.relationships.size(), 1u);
  ASSERT_EQ(built.interests.size(), 1u);
  const auto& rel = built.relationships[0];
  EXPECT_EQ(LocateRelationshipField(rel.row, rel.csv, "relationship.declared_to").ToString(),
            absl::StrCat(Path("relationships.csv"), ":2:6 (declared_to_hr_id)"));
  EXPECT_EQ(LocateResource(rel.row, rel.csv, "people/off-planner").ToString(),
            absl::StrCat(Path("relationships.csv"), ":2:3 (officer_hr_id)"));
  EXPECT_EQ(LocateResource(rel.row, rel.csv, "people/someone-else").ToString(),
            absl::StrCat(Path("relationships.csv"), ":2"));
  const auto& interest = built.interests[0];
  EXPECT_EQ(LocateInterestField(interest.row, interest.csv, "parent").ToString(),
            absl::StrCat(Path("interests.csv"), ":2:2 (member_hr_id)"));
  EXPECT_EQ(LocateInterestField(interest.row, interest.csv, "interest.matters[0]").ToString(),
            absl::StrCat(Path("interests.csv"), ":2:8 (matters)"));
}

TEST_F(CsvImportTest, DocumentsMapToTheirCells) {
  Write("documents.csv",
        "record_id,title,owning_service,holding_chief_officer_hr_id,body_id,meeting_date,"
        "agenda_item,ward_ids,portfolio_id,party_group_id,matters,third_party_personal_data,"
        "status,exempt_paragraphs\n"
        "rec-1,\"Report, with a comma\",planning,off-chief,planning,2026-01-12,5,,,,,false,open,\n"
        "rec-2,Ward paper,planning,off-chief,,,,abbey;harbour,,,,false,open,\n"
        "rec-1,Again,planning,off-chief,,,,,,,,false,open,\n"
        "rec-3,Exempt,legal,off-chief,,,,,,,,false,exempt,x\n"
        "rec-4,A \"quote\" here,legal,off-chief,,,,,,,,false,open,\n");
  auto csv = ReadDocumentsCsv(Path("documents.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status();
  DocumentsImport built = BuildDocumentsImport(*csv, {});
  EXPECT_THAT(
      Strings(built.problems),
      ElementsAre(
          absl::StrCat(Path("documents.csv"), ":6:2: stray quote inside an unquoted field (line "
                                              "6, character 9)"),
          absl::StrCat(Path("documents.csv"),
                       ":4:1 (record_id): \"rec-1\" appears again (first on line 2)"),
          absl::StrCat(Path("documents.csv"),
                       ":5:14 (exempt_paragraphs): must be paragraph numbers separated by ';'")));
  ASSERT_EQ(built.documents.size(), 2u);
  EXPECT_EQ(built.documents[1].wards(1), "wards/harbour");
  EXPECT_EQ(built.sources.Locate("documents[1].wards[1]")->ToString(),
            absl::StrCat(Path("documents.csv"), ":3:8 (ward_ids)"));
  EXPECT_EQ(built.sources.Locate("documents[0].body")->ToString(),
            absl::StrCat(Path("documents.csv"), ":2:5 (body_id)"));
  // Leaving rec-2 out renumbers what follows.
  DocumentsImport without = BuildDocumentsImport(*csv, {{Path("documents.csv"), 3}});
  EXPECT_EQ(without.documents.size(), 1u);
  EXPECT_FALSE(without.sources.Locate("documents[1].title").has_value());
}

TEST_F(CsvImportTest, NotForPublicationIsAMarkBesideTheStatus) {
  // South Somerset 10 and 11: exempt and "Not for Publication" at once; an
  // older export's status `not-for-publication` means an open document so
  // marked.
  Write("documents.csv",
        "record_id,title,owning_service,status,exempt_paragraphs,not_for_publication\n"
        "rec-1,Exempt and marked,legal,exempt,3,true\n"
        "rec-2,Old spelling,legal,not-for-publication,,\n"
        "rec-3,Plain,legal,open,,false\n"
        "rec-4,Bad mark,legal,open,,perhaps\n");
  auto csv = ReadDocumentsCsv(Path("documents.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status();
  DocumentsImport built = BuildDocumentsImport(*csv, {});
  EXPECT_THAT(Strings(built.problems),
              ElementsAre(absl::StrCat(Path("documents.csv"),
                                       ":5:6 (not_for_publication): \"perhaps\" must be true or "
                                       "false")));
  ASSERT_EQ(built.documents.size(), 3u);
  EXPECT_EQ(built.documents[0].status(), access::v1::DOCUMENT_STATUS_EXEMPT);
  EXPECT_TRUE(built.documents[0].not_for_publication());
  EXPECT_EQ(built.documents[1].status(), access::v1::DOCUMENT_STATUS_OPEN);
  EXPECT_TRUE(built.documents[1].not_for_publication());
  EXPECT_FALSE(built.documents[2].not_for_publication());
  EXPECT_EQ(built.sources.Locate("documents[0].not_for_publication")->ToString(),
            absl::StrCat(Path("documents.csv"), ":2:6 (not_for_publication)"));
}

TEST_F(CsvImportTest, AnEmptyExportBuildsAnEmptyImport) {
  Write("documents.csv", "record_id,title,owning_service,status\n");
  auto csv = ReadDocumentsCsv(Path("documents.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status();
  DocumentsImport built = BuildDocumentsImport(*csv, {});
  EXPECT_THAT(built.problems, IsEmpty());
  EXPECT_THAT(built.documents, IsEmpty());
}

}  // namespace
}  // namespace council::ctl
