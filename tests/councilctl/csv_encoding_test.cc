// Tests for tools/councilctl/csv_encoding.h: a cell that is not UTF-8 is
// refused with its file, line and column before anything is sent (sent, it
// made the whole chunk unparsable at the service), and only that row is
// left out.
#include "tools/councilctl/csv_encoding.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Optional;

TEST(FirstInvalidUtf8Test, AcceptsUtf8OfEveryLength) {
  EXPECT_EQ(FirstInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("plain ASCII, with\ttabs\n"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("Zoë Ó Briain – Łódź 東京 𝄞"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("\xf4\x8f\xbf\xbf"), std::nullopt) << "U+10FFFF, the last";
}

TEST(FirstInvalidUtf8Test, NamesTheFirstBadByte) {
  EXPECT_THAT(FirstInvalidUtf8("Zo\xeb"), Optional(Eq(2u))) << "Latin-1 ë";
  EXPECT_THAT(FirstInvalidUtf8("ab\x80"), Optional(Eq(2u))) << "a lone continuation byte";
  EXPECT_THAT(FirstInvalidUtf8("a\xc3"), Optional(Eq(1u))) << "cut short at the end";
  EXPECT_THAT(FirstInvalidUtf8("a\xe2\x82z"), Optional(Eq(1u))) << "cut short in the middle";
  EXPECT_THAT(FirstInvalidUtf8("\xc0\xaf"), Optional(Eq(0u))) << "overlong '/'";
  EXPECT_THAT(FirstInvalidUtf8("\xe0\x80\xaf"), Optional(Eq(0u))) << "overlong, 3 bytes";
  EXPECT_THAT(FirstInvalidUtf8("\xed\xa0\x80"), Optional(Eq(0u))) << "a UTF-16 surrogate";
  EXPECT_THAT(FirstInvalidUtf8("\xf4\x90\x80\x80"), Optional(Eq(0u))) << "above U+10FFFF";
  EXPECT_THAT(FirstInvalidUtf8("ok \xff"), Optional(Eq(3u)));
}

CsvTable Table(const std::string& text) {
  auto table = ParseCsv(text, "hr/people.csv", /*keep_bad_rows=*/true);
  EXPECT_TRUE(table.ok()) << table.status();
  return *table;
}

TEST(RefuseNonUtf8Test, MovesEachBadRowToTheBadRowsNamingItsCell) {
  CsvTable table = Table(
      "hr_id,display_name\n"
      "off-a,Ann\n"               // line 2
      "off-b,Zo\xeb\n"            // line 3: Latin-1
      "off-c,Ca\"t\n"             // line 4: a stray quote (the parser's)
      "off-d,D\xc3\xa9sir\xe9\n"  // line 5: UTF-8 then Latin-1
      "off-e,Eve\n");             // line 6
  ASSERT_TRUE(RefuseNonUtf8(&table).ok());
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[1].line, 6);
  std::vector<std::string> problems;
  for (const auto& problem : BadRowProblems(table)) problems.push_back(problem.ToString());
  EXPECT_THAT(problems,
              ElementsAre("hr/people.csv:3:2: the display_name cell is not valid UTF-8 (its "
                          "byte 3 is 0xEB); save the file as UTF-8",
                          ::testing::StartsWith("hr/people.csv:4:2: stray quote"),
                          "hr/people.csv:5:2: the display_name cell is not valid UTF-8 (its "
                          "byte 7 is 0xE9); save the file as UTF-8"))
      << "in file order, whoever found them";
}

TEST(RefuseNonUtf8Test, AHeaderThatIsNotUtf8FailsTheFile) {
  CsvTable table = Table("hr_id,display_n\xe4me\noff-a,Ann\n");
  absl::Status status = RefuseNonUtf8(&table);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "hr/people.csv:1:2: header cell 2 is not valid UTF-8 (its byte 10 is 0xE4); save "
            "the file as UTF-8");
}

}  // namespace
}  // namespace council::ctl
