// Tests for gateway/backend_status.h: what callers are told when a backend
// call ends — the services' own errors as they are, gRPC's transport text
// never.
#include "gateway/backend_status.h"

#include <string>

#include "common/errors/bounded_status.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAccess[] = "council.access.v1.AccessService";

bool HasRetryInfo(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details())
    if (any.Is<google::rpc::RetryInfo>()) return true;
  return false;
}

TEST(StatusForCallerTest, ServicesOwnErrorsPassThrough) {
  const grpc::Status rule = RuleForbids("Southwark 5", "documents/x", "not a member of the body");
  const grpc::Status passed = StatusForCaller(rule, kAccess);
  EXPECT_EQ(passed.error_code(), rule.error_code());
  EXPECT_EQ(passed.error_message(), rule.error_message());
  EXPECT_EQ(passed.error_details(), rule.error_details());
}

TEST(StatusForCallerTest, RefusedConnectionBecomesUnavailableNamingTheServiceNotTheAddress) {
  const grpc::Status transport(grpc::StatusCode::UNAVAILABLE,
                               "failed to connect to all addresses; last error: UNKNOWN: "
                               "ipv4:127.0.0.1:8102: Connection refused");
  const grpc::Status status = StatusForCaller(transport, kAccess);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("127.0.0.1")));
  EXPECT_THAT(status.error_message(), HasSubstr(kAccess));
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_BACKEND_UNAVAILABLE");
  EXPECT_EQ(ErrorInfoMetadata(status, "service"), kAccess);
  EXPECT_TRUE(HasRetryInfo(status));
}

TEST(StatusForCallerTest, DeadlineSaysAWriteMayHaveHappened) {
  const grpc::Status status =
      StatusForCaller(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"),
                      kAccess);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_DEADLINE_EXCEEDED");
  EXPECT_THAT(status.error_message(), HasSubstr("read before retrying"));
  EXPECT_FALSE(HasRetryInfo(status));
}

TEST(StatusForCallerTest, TransportTextOfOtherCodesIsReplaced) {
  const grpc::Status status = StatusForCaller(
      grpc::Status(grpc::StatusCode::INTERNAL, "Received RST_STREAM from ipv4:10.0.0.7:8101"),
      kAccess);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("10.0.0.7")));
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_BACKEND_ERROR");
}

TEST(StatusForCallerTest, BareRequestErrorKeepsItsMessageAndGainsAReason) {
  const grpc::Status status = StatusForCaller(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token: not a token from this listing"),
      kAccess);
  EXPECT_EQ(status.error_message(), "page_token: not a token from this listing");
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INVALID_FIELD");
  EXPECT_EQ(ErrorInfoMetadata(status, "service_details"), "none")
      << "marked: the service broke its promise of an ErrorInfo";
}

TEST(StatusForCallerTest, OnlyAServiceStatusWithoutErrorInfoIsMarked) {
  EXPECT_EQ(ErrorInfoMetadata(StatusForCaller(NotFound("documents/x"), kAccess),
                              "service_details"),
            "");
  EXPECT_EQ(ErrorInfoMetadata(
                StatusForCaller(grpc::Status(grpc::StatusCode::UNAVAILABLE, "refused"), kAccess),
                "service_details"),
            "")
      << "gRPC's own transport statuses are the gateway's to describe";
  EXPECT_EQ(ErrorInfoMetadata(StatusForCaller(grpc::Status(grpc::StatusCode::INTERNAL, "boom"),
                                              kAccess),
                              "service_details"),
            "none");
}

TEST(StatusForCallerTest, OversizedServiceErrorIsBounded) {
  const grpc::Status huge = InvalidField("name", std::string(100000, 'x'));
  const grpc::Status status = StatusForCaller(
      grpc::Status(huge.error_code(), std::string(100000, 'y'), huge.error_details()), kAccess);
  EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
  EXPECT_LE(status.error_details().size(), kMaxErrorDetailsBytes);
}

}  // namespace
}  // namespace council::gateway
