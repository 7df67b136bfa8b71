// Tests for tools/councilctl/import_sources.h: the service's field paths
// ("posts[12].reports_to") are mapped back to the CSV cell they came from.
#include "tools/councilctl/import_sources.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::ctl {
namespace {

const FieldColumns kColumns = {{"name", "post_id"},
                               {"reports_to", "reports_to_post_id"},
                               {"tenures.person", "holder_hr_id"},
                               {"meeting_date", "meeting_date"}};
const FieldColumns kTenureColumns = {{"person", "holder_hr_id"}};

std::shared_ptr<const std::vector<std::string>> Header() {
  return std::make_shared<const std::vector<std::string>>(std::vector<std::string>{
      "post_id", "title", "reports_to_post_id", "holder_hr_id", "meeting_date"});
}

TEST(SourceCellTest, NamesFileLineColumnAndColumnName) {
  EXPECT_EQ((SourceCell{{"hr/posts.csv", 14}, 3, "reports_to_post_id"}).ToString(),
            "hr/posts.csv:14:3 (reports_to_post_id)");
  EXPECT_EQ((SourceCell{{"hr/posts.csv", 14}, 3, ""}).ToString(), "hr/posts.csv:14:3");
  EXPECT_EQ((SourceCell{{"hr/posts.csv", 14}, 0, ""}).ToString(), "hr/posts.csv:14");
}

TEST(SourceMapTest, MapsAFieldOfARecordToItsCell) {
  SourceMap sources;
  sources.Add("posts[0]", {"posts.csv", 2}, Header(), &kColumns);
  sources.Add("posts[12]", {"posts.csv", 15}, Header(), &kColumns);
  auto cell = sources.Locate("posts[12].reports_to");
  ASSERT_TRUE(cell.has_value());
  EXPECT_EQ(cell->ToString(), "posts.csv:15:3 (reports_to_post_id)");
  // posts[1] is not posts[12]'s prefix, nor posts[12] of posts[123].
  EXPECT_FALSE(sources.Locate("posts[1].reports_to").has_value());
  EXPECT_FALSE(sources.Locate("posts[123].reports_to").has_value());
}

TEST(SourceMapTest, IndexesBelowTheRecordAreIgnoredForTheColumn) {
  SourceMap sources;
  sources.Add("posts[3]", {"posts.csv", 5}, Header(), &kColumns);
  EXPECT_EQ(sources.Locate("posts[3].tenures[0].person")->ToString(),
            "posts.csv:5:4 (holder_hr_id)");
  // A part of a field (a date's year) is the field's column.
  EXPECT_EQ(sources.Locate("posts[3].meeting_date.year")->ToString(),
            "posts.csv:5:5 (meeting_date)");
}

TEST(SourceMapTest, TheLongestRegisteredRecordWins) {
  // A designation is one record whose tenures come from separate rows.
  SourceMap sources;
  sources.Add("designations[0]", {"designations.csv", 2}, Header(), &kColumns);
  sources.Add("designations[0].tenures[1]", {"designations.csv", 3}, Header(), &kTenureColumns);
  EXPECT_EQ(sources.Locate("designations[0].tenures[1].person")->ToString(),
            "designations.csv:3:4 (holder_hr_id)");
  EXPECT_EQ(sources.Locate("designations[0].name")->ToString(), "designations.csv:2:1 (post_id)");
}

TEST(SourceMapTest, AFieldWithoutAColumnIsTheWholeRow) {
  SourceMap sources;
  sources.Add("posts[3]", {"posts.csv", 5}, Header(), &kColumns);
  EXPECT_EQ(sources.Locate("posts[3].head_of_service")->ToString(), "posts.csv:5");
  EXPECT_EQ(sources.Locate("posts[3]")->ToString(), "posts.csv:5");
  // A mapped column the file does not have.
  const FieldColumns absent = {{"whip", "whip_hr_id"}};
  sources.Add("party_groups[0]", {"party_groups.csv", 2}, Header(), &absent);
  EXPECT_EQ(sources.Locate("party_groups[0].whip")->ToString(), "party_groups.csv:2");
}

TEST(SourceMapTest, FieldsOfTheRequestItselfHaveNoRow) {
  SourceMap sources;
  sources.Add("documents[0]", {"export.csv", 2}, Header(), &kColumns);
  EXPECT_FALSE(sources.Locate("chunks[0].documents").has_value());
  EXPECT_FALSE(sources.Locate("").has_value());
}

TEST(BadRowProblemsTest, RowsThatCannotBeReadAreProblemsWithTheirCell) {
  auto table = ParseCsv("a,b,c\n1,2,3\n1,2,3,4\n1,2\n", "f.csv", /*keep_bad_rows=*/true);
  ASSERT_TRUE(table.ok()) << table.status();
  const auto problems = BadRowProblems(*table);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].ToString(), "f.csv:3:4: has 4 fields but the header has 3");
  EXPECT_EQ(problems[1].ToString(), "f.csv:4:3: has 2 fields but the header has 3");
}

}  // namespace
}  // namespace council::ctl
