// Tests for the bulk-request helpers in common/errors/grpc_errors.h:
// InvalidFields and FieldViolationList report every bad record of an import
// at once, within a bounded size.
#include "common/errors/grpc_errors.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(InvalidFieldsTest, OneViolationIsExactlyInvalidField) {
  grpc::Status one = InvalidFields({{"people[0].kind", "is required", "AIP-133"}});
  grpc::Status same = InvalidField("people[0].kind", "is required", "AIP-133");
  EXPECT_EQ(one.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(one.error_message(), same.error_message());
  EXPECT_EQ(FieldViolations(one), FieldViolations(same));
  EXPECT_EQ(ErrorInfoMetadata(one, "rule"), "AIP-133");
  EXPECT_EQ(ErrorInfoMetadata(one, "violations"), "") << "as InvalidField: no count";
}

TEST(InvalidFieldsTest, EveryViolationIsListedAndTheMessageCountsThem) {
  grpc::Status status = InvalidFields({{"posts[2].reports_to", "posts/x does not exist", ""},
                                       {"memberships[0].person", "people/y does not exist", ""},
                                       {"documents[1].exempt_paragraphs[0]", "is 9", "Sch 12A"}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("posts[2].reports_to: posts/x does not exist",
                          "memberships[0].person: people/y does not exist",
                          "documents[1].exempt_paragraphs[0]: is 9 (Sch 12A)"));
  EXPECT_EQ(status.error_message(), "posts[2].reports_to: posts/x does not exist (3 invalid fields)");
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INVALID_FIELD");
  EXPECT_EQ(ErrorInfoMetadata(status, "field"), "posts[2].reports_to");
  EXPECT_EQ(ErrorInfoMetadata(status, "violations"), "3");
}

TEST(FieldViolationListTest, CollectsFromStatusesAndKeepsTheRule) {
  FieldViolationList list;
  EXPECT_TRUE(list.Add(grpc::Status::OK));
  EXPECT_TRUE(list.empty());
  EXPECT_TRUE(list.ToStatus().ok());
  EXPECT_FALSE(list.Add(InvalidField("people[1].party_group", "is required", "LGHA 1989 s9")));
  EXPECT_FALSE(list.Add(grpc::Status(grpc::StatusCode::NOT_FOUND, "people/z not found")));
  ASSERT_EQ(list.total(), 2u);
  EXPECT_EQ(list.listed()[0].rule, "LGHA 1989 s9");
  EXPECT_EQ(list.listed()[1].field, "");
  EXPECT_THAT(FieldViolations(list.ToStatus()),
              ElementsAre("people[1].party_group: is required (LGHA 1989 s9)",
                          ": people/z not found"));
}

TEST(FieldViolationListTest, ListsABoundedNumberAndCountsTheRest) {
  FieldViolationList by_count(/*max_listed=*/10, /*max_bytes=*/100000);
  for (int i = 0; i < 25; ++i)
    by_count.Add(FieldViolation{absl::StrCat("people[", i, "].ward"), "does not exist", ""});
  EXPECT_EQ(by_count.total(), 25u);
  EXPECT_EQ(by_count.listed().size(), 10u);
  grpc::Status status = by_count.ToStatus();
  EXPECT_EQ(FieldViolations(status).size(), 10u);
  EXPECT_THAT(status.error_message(), HasSubstr("(25 invalid fields, the first 10 listed)"));
  EXPECT_EQ(ErrorInfoMetadata(status, "violations"), "25");

  FieldViolationList by_size(/*max_listed=*/1000, /*max_bytes=*/200);
  for (int i = 0; i < 25; ++i)
    by_size.Add(FieldViolation{absl::StrCat("people[", i, "].ward"),
                               std::string(40, 'x'), ""});
  EXPECT_EQ(by_size.listed().size(), 3u);  // 54 bytes each
  // Always at least one, however long.
  FieldViolationList tiny(/*max_listed=*/10, /*max_bytes=*/1);
  tiny.Add(FieldViolation{"a", std::string(500, 'x'), ""});
  EXPECT_EQ(tiny.listed().size(), 1u);
}

TEST(PreconditionSubjectTest, NamesTheResourceARuleConcerns) {
  EXPECT_EQ(PreconditionSubject(RuleForbids("Sheffield 4.5", "people/off-x", "not the MO")),
            "people/off-x");
  EXPECT_EQ(PreconditionSubject(InvalidField("a", "b")), "");
}

}  // namespace
}  // namespace council
