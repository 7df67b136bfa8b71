// Tests for common/errors/field_error.h and FromAbsl's INVALID_ARGUMENT: a
// malformed resource name, date, page size or token from the util layer
// reaches the client with an ErrorInfo and a BadRequest naming the field
// (issue 18: `documents/UPPER` used to come back with no details at all).
#include "common/errors/field_error.h"

#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FieldErrorTest, CarriesFieldRuleAndDescription) {
  absl::Status status = FieldError("document", "is bad", "AIP-122");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_EQ(status.message(), "document: is bad");
  auto parts = FieldErrorOf(status);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->field, "document");
  EXPECT_EQ(parts->description, "is bad");
  EXPECT_EQ(parts->rule, "AIP-122");
  EXPECT_FALSE(FieldErrorOf(absl::InvalidArgumentError("document: is bad")).has_value());
  EXPECT_FALSE(FieldErrorOf(absl::OkStatus()).has_value());
}

TEST(FieldErrorTest, MalformedResourceNameBecomesInvalidFieldWithDetails) {
  auto parsed = ParseName("documents/UPPER", "documents", "access_request.document");
  ASSERT_FALSE(parsed.ok());
  grpc::Status status = FromAbsl(parsed.status(), "test");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INVALID_FIELD");
  EXPECT_EQ(ErrorInfoMetadata(status, "field"), "access_request.document");
  EXPECT_EQ(ErrorInfoMetadata(status, "rule"), "AIP-122");
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "access_request.document");
  EXPECT_THAT(status.error_message(), HasSubstr("documents/UPPER"));
}

TEST(FieldErrorTest, DatesPageSizesAndTokensNameTheirFields) {
  common::v1::Date bad;
  bad.set_year(2026);
  bad.set_month(2);
  bad.set_day(30);
  EXPECT_EQ(ErrorInfoMetadata(FromAbsl(ToCivilDay(bad, "as_of").status(), "t"), "field"), "as_of");
  EXPECT_EQ(ErrorInfoMetadata(FromAbsl(PageSize(-1).status(), "t"), "field"), "page_size");
  EXPECT_EQ(ErrorInfoMetadata(FromAbsl(DecodePageToken("x", "people").status(), "t"), "field"),
            "page_token");
}

TEST(FieldErrorTest, PlainInvalidArgumentStillGetsABadRequest) {
  // A message that starts with a field path names it; anything else names
  // the request as a whole.
  EXPECT_THAT(FieldViolations(FromAbsl(absl::InvalidArgumentError("person.ward: is bad"), "t")),
              ElementsAre("person.ward: is bad"));
  grpc::Status vague = FromAbsl(absl::InvalidArgumentError("Something is wrong: here"), "t");
  EXPECT_EQ(ErrorInfoReason(vague), "ERROR_REASON_INVALID_FIELD");
  EXPECT_THAT(FieldViolations(vague), ElementsAre("request: Something is wrong: here"));
}

}  // namespace
}  // namespace council
