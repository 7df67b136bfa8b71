// Tests for FromAbsl (common/errors/grpc_errors.h), the one conversion every
// handler ends in: each absl code, with and without the payloads that
// field_error.h attaches, becomes a gRPC status that carries an ErrorInfo of
// the suite's domain with the reason the header's table promises.
#include <map>
#include <string>

#include "absl/status/status.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::council::common::v1::ErrorReason;
using ::council::common::v1::ErrorReason_Name;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct BareCase {
  absl::Status status;
  grpc::StatusCode code;
  ErrorReason reason;
  // Whether the absl message reaches the caller as it is.
  bool message_kept;
};

TEST(FromAbslTest, EveryCodeWithoutAPayloadGetsTheReasonItsCodeImplies) {
  const BareCase cases[] = {
      {absl::OutOfRangeError("page 9 of 3"), grpc::StatusCode::OUT_OF_RANGE,
       common::v1::ERROR_REASON_INVALID_FIELD, true},
      {absl::NotFoundError("people/ada not found"), grpc::StatusCode::NOT_FOUND,
       common::v1::ERROR_REASON_RESOURCE_NOT_FOUND, true},
      {absl::AlreadyExistsError("people/ada already exists"), grpc::StatusCode::ALREADY_EXISTS,
       common::v1::ERROR_REASON_RESOURCE_EXISTS, true},
      {absl::FailedPreconditionError("nobody can act"), grpc::StatusCode::FAILED_PRECONDITION,
       common::v1::ERROR_REASON_PRECONDITION_FAILED, true},
      {absl::AbortedError("changed meanwhile"), grpc::StatusCode::ABORTED,
       common::v1::ERROR_REASON_CONCURRENT_MODIFICATION, true},
      {absl::UnauthenticatedError("jwt: expired"), grpc::StatusCode::UNAUTHENTICATED,
       common::v1::ERROR_REASON_UNAUTHENTICATED, true},
      {absl::PermissionDeniedError("not for you"), grpc::StatusCode::PERMISSION_DENIED,
       common::v1::ERROR_REASON_METHOD_NOT_ALLOWED, true},
      {absl::UnimplementedError("not served"), grpc::StatusCode::UNIMPLEMENTED,
       common::v1::ERROR_REASON_UNIMPLEMENTED, true},
      {absl::CancelledError("sqlite interrupt"), grpc::StatusCode::CANCELLED,
       common::v1::ERROR_REASON_CANCELLED, false},
      {absl::DeadlineExceededError("raw driver text"), grpc::StatusCode::DEADLINE_EXCEEDED,
       common::v1::ERROR_REASON_DEADLINE_EXCEEDED, false},
      {absl::UnavailableError("database is locked"), grpc::StatusCode::UNAVAILABLE,
       common::v1::ERROR_REASON_STORAGE_UNAVAILABLE, false},
      {absl::ResourceExhaustedError("database or disk is full"),
       grpc::StatusCode::RESOURCE_EXHAUSTED, common::v1::ERROR_REASON_STORAGE_FULL, false},
      {absl::InternalError("SQL logic error"), grpc::StatusCode::INTERNAL,
       common::v1::ERROR_REASON_INTERNAL, false},
      {absl::DataLossError("file is not a database"), grpc::StatusCode::INTERNAL,
       common::v1::ERROR_REASON_INTERNAL, false},
      {absl::UnknownError("who knows"), grpc::StatusCode::INTERNAL,
       common::v1::ERROR_REASON_INTERNAL, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.status.ToString());
    const grpc::Status status = FromAbsl(c.status, "TestMethod");
    EXPECT_EQ(status.error_code(), c.code);
    EXPECT_EQ(ErrorInfoReason(status), ErrorReason_Name(c.reason));
    EXPECT_EQ(ErrorInfoDomain(status), kErrorDomain);
    if (c.message_kept) {
      EXPECT_EQ(status.error_message(), c.status.message());
    } else {
      EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr(c.status.message())))
          << "driver text stays in the log";
    }
  }
}

TEST(FromAbslTest, AnInvalidArgumentWithoutAPayloadStillNamesAField) {
  const grpc::Status named = FromAbsl(absl::InvalidArgumentError("as_of: is not a date"), "Get");
  EXPECT_EQ(named.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoReason(named), "ERROR_REASON_INVALID_FIELD");
  EXPECT_THAT(FieldViolations(named), ElementsAre("as_of: is not a date"));
  const grpc::Status unnamed = FromAbsl(absl::InvalidArgumentError("Bad things"), "Get");
  EXPECT_THAT(FieldViolations(unnamed), ElementsAre("request: Bad things"));
  EXPECT_EQ(ErrorInfoDomain(unnamed), kErrorDomain);
}

TEST(FromAbslTest, OkStaysOk) { EXPECT_TRUE(FromAbsl(absl::OkStatus(), "TestMethod").ok()); }

TEST(FromAbslTest, AFieldErrorBecomesExactlyInvalidField) {
  const grpc::Status status =
      FromAbsl(FieldError("document", "is not a documents resource name", "AIP-122"), "Get");
  const grpc::Status same = InvalidField("document", "is not a documents resource name", "AIP-122");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), same.error_message());
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("document: is not a documents resource name"));
  EXPECT_EQ(ErrorInfoMetadata(status, "rule"), "AIP-122");
}

TEST(FromAbslTest, ResourceErrorsNameTheResource) {
  const grpc::Status missing = FromAbsl(ResourceNotFoundError("people/ada"), "GetPerson");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(), "people/ada not found");
  EXPECT_EQ(ResourceInfoName(missing), "people/ada");
  EXPECT_EQ(ErrorInfoReason(missing), "ERROR_REASON_RESOURCE_NOT_FOUND");
  EXPECT_EQ(ErrorInfoMetadata(missing, "resource"), "people/ada");

  const grpc::Status exists = FromAbsl(
      ResourceExistsError("people/ada", "people/ada is already in the directory"), "Create");
  EXPECT_EQ(exists.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(exists.error_message(), "people/ada is already in the directory");
  EXPECT_EQ(ResourceInfoName(exists), "people/ada");
  EXPECT_EQ(ErrorInfoReason(exists), "ERROR_REASON_RESOURCE_EXISTS");
}

TEST(FromAbslTest, ARuleForbidsErrorIsExactlyRuleForbids) {
  const grpc::Status status = FromAbsl(
      RuleForbidsError("Middlesbrough 14.5", "people/ada", "a member may not see this"), "Get");
  const grpc::Status same = RuleForbids("Middlesbrough 14.5", "people/ada", "a member may not see this");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), same.error_message());
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_RULE_FORBIDS");
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Middlesbrough 14.5");
  EXPECT_EQ(PreconditionSubject(status), "people/ada");
  EXPECT_EQ(status.error_details(), same.error_details());
}

TEST(FromAbslTest, WithReasonKeepsTheCodeMessageReasonAndMetadata) {
  const grpc::Status status = FromAbsl(
      WithReason(absl::UnavailableError("cannot reach the council directory"),
                 common::v1::ERROR_REASON_BACKEND_UNAVAILABLE,
                 {{"service", "council.relations.v1.RelationsService"}}),
      "GetDocument");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "cannot reach the council directory")
      << "not the storage-busy text a bare UNAVAILABLE gets";
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_BACKEND_UNAVAILABLE");
  EXPECT_EQ(ErrorInfoMetadata(status, "service"), "council.relations.v1.RelationsService");
  EXPECT_EQ(ErrorInfoDomain(status), kErrorDomain);
}

TEST(FromAbslTest, ARetryDelayBecomesRetryInfoNotMetadata) {
  const grpc::Status status = FromAbsl(
      WithReason(absl::ResourceExhaustedError("people/ada is calling too fast"),
                 common::v1::ERROR_REASON_RATE_LIMITED, {{"caller", "people/ada"}},
                 absl::Milliseconds(1500)),
      "rate limit");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  bool found = false;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (!any.UnpackTo(&retry)) continue;
    found = true;
    EXPECT_EQ(retry.retry_delay().seconds(), 1);
    EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
  }
  EXPECT_TRUE(found) << "a RetryInfo";
  EXPECT_EQ(ErrorInfoMetadata(status, "caller"), "people/ada");
  google::rpc::ErrorInfo info;
  for (const auto& any : details.details()) any.UnpackTo(&info);
  EXPECT_EQ(info.metadata_size(), 1) << "the delay travels in the RetryInfo only";
}

TEST(ErrorPayloadOfTest, OnlyStatusesMadeHereHaveOne) {
  EXPECT_FALSE(ErrorPayloadOf(absl::NotFoundError("x")).has_value());
  EXPECT_FALSE(ErrorPayloadOf(absl::OkStatus()).has_value());
  EXPECT_FALSE(ErrorPayloadOf(FieldError("a", "b")).has_value());
  auto payload = ErrorPayloadOf(ResourceNotFoundError("bodies/x"));
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(payload->reason, common::v1::ERROR_REASON_RESOURCE_NOT_FOUND);
  EXPECT_EQ(payload->metadata, (std::map<std::string, std::string>{{"resource", "bodies/x"}}));
}

TEST(InternalTest, HidesTheRawTextAndCarriesTheContext) {
  const grpc::Status status = Internal(absl::InternalError("disk I/O error at /var/lib"), "Put");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(status.error_message(), "internal error in Put");
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INTERNAL");
  EXPECT_EQ(ErrorInfoMetadata(status, "context"), "Put");
}

}  // namespace
}  // namespace council
