// Tests for common/util/csv.h: RFC 4180 parsing with positions, and the
// lenient mode in which an import can leave one unreadable row out and report
// it instead of refusing the whole file.
#include "common/util/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseCsvTest, QuotedFieldsCommasAndLineBreaks) {
  auto table = ParseCsv("id,title\r\na,\"One, \"\"two\"\"\"\nb,\"line\nbreak\"\n\nc,x\n", "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].Get("title"), "One, \"two\"");
  EXPECT_EQ(table->rows[1].Get("title"), "line\nbreak");
  EXPECT_EQ(table->rows[2].line, 6);
  EXPECT_EQ(table->Where(table->rows[2], "title"), "t.csv:6:2 (title)");
}

TEST(ParseCsvTest, StrictModeRefusesTheFileAtTheFirstBadRow) {
  auto shape = ParseCsv("a,b\n1,2\n1,2,3\n", "t.csv");
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.status().message(), "t.csv:3: has 3 fields but the header has 2");
  auto quote = ParseCsv("a,b\n1,x\"y\n", "t.csv");
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.status().message(), "t.csv:2:4: stray quote inside an unquoted field");
}

TEST(ParseCsvTest, KeepingBadRowsLeavesThemOutAndReadsTheRest) {
  auto table = ParseCsv("a,b\n1,2\n1,2,3\n4,x\"y\n5,6\n7\n", "t.csv", /*keep_bad_rows=*/true);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].line, 2);
  EXPECT_EQ(table->rows[1].line, 5);
  ASSERT_EQ(table->bad_rows.size(), 3u);
  EXPECT_EQ(table->bad_rows[0].line, 3);
  EXPECT_EQ(table->bad_rows[0].column, 3);
  EXPECT_EQ(table->bad_rows[0].problem, "has 3 fields but the header has 2");
  EXPECT_EQ(table->bad_rows[1].line, 4);
  EXPECT_EQ(table->bad_rows[1].column, 2);
  EXPECT_THAT(table->bad_rows[1].problem, HasSubstr("stray quote"));
  EXPECT_EQ(table->bad_rows[2].line, 6);
  EXPECT_EQ(table->bad_rows[2].column, 2);
}

TEST(ParseCsvTest, SomeProblemsStillRefuseTheWholeFile) {
  EXPECT_FALSE(ParseCsv("a,b\n1,\"open\n", "t.csv", true).ok()) << "unterminated quote";
  EXPECT_FALSE(ParseCsv("a,\"b\"x\"\n1,2\n", "t.csv", true).ok()) << "bad header";
  EXPECT_FALSE(ParseCsv("", "t.csv", true).ok()) << "empty";
}

}  // namespace
}  // namespace council
