// Tests for tools/councilctl/exit_codes.h: each documented kind of failure
// has its own code (docs/operations.md, "councilctl exit codes").
#include "tools/councilctl/exit_codes.h"

#include <set>

#include "gtest/gtest.h"

namespace council::ctl {
namespace {

struct Row {
  grpc::StatusCode code;
  int exit_code;
  const char* name;
};

class ExitCodesTest : public ::testing::TestWithParam<Row> {};

TEST_P(ExitCodesTest, FollowsTheDocumentedTable) {
  EXPECT_EQ(ExitCodeFor(GetParam().code), GetParam().exit_code);
  EXPECT_EQ(StatusCodeName(GetParam().code), GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ExitCodesTest,
    ::testing::Values(Row{grpc::StatusCode::OK, 0, "OK"},
                      Row{grpc::StatusCode::INVALID_ARGUMENT, 65, "INVALID_ARGUMENT"},
                      Row{grpc::StatusCode::FAILED_PRECONDITION, 65, "FAILED_PRECONDITION"},
                      Row{grpc::StatusCode::OUT_OF_RANGE, 65, "OUT_OF_RANGE"},
                      Row{grpc::StatusCode::ALREADY_EXISTS, 65, "ALREADY_EXISTS"},
                      Row{grpc::StatusCode::NOT_FOUND, 66, "NOT_FOUND"},
                      Row{grpc::StatusCode::UNAVAILABLE, 69, "UNAVAILABLE"},
                      Row{grpc::StatusCode::DEADLINE_EXCEEDED, 69, "DEADLINE_EXCEEDED"},
                      Row{grpc::StatusCode::INTERNAL, 70, "INTERNAL"},
                      Row{grpc::StatusCode::UNIMPLEMENTED, 70, "UNIMPLEMENTED"},
                      Row{grpc::StatusCode::UNKNOWN, 70, "UNKNOWN"},
                      Row{grpc::StatusCode::DATA_LOSS, 70, "DATA_LOSS"},
                      Row{grpc::StatusCode::RESOURCE_EXHAUSTED, 75, "RESOURCE_EXHAUSTED"},
                      Row{grpc::StatusCode::ABORTED, 75, "ABORTED"},
                      Row{grpc::StatusCode::CANCELLED, 75, "CANCELLED"},
                      Row{grpc::StatusCode::PERMISSION_DENIED, 77, "PERMISSION_DENIED"},
                      Row{grpc::StatusCode::UNAUTHENTICATED, 77, "UNAUTHENTICATED"}));

TEST(ExitCodesTest, TheKindsAScriptTellsApartAreDistinct) {
  const std::set<int> codes = {kUsageError, kDataError, kNotFound, kUnavailable, kPermissionDenied,
                               kServiceFailed, kTryAgain};
  EXPECT_EQ(codes.size(), 7u);
  EXPECT_EQ(codes.count(0), 0u);
}

TEST(ExitCodesTest, AnUnknownCodeHasANumberedName) {
  // 20: a code a later gRPC may add. It must lie inside the enum's range
  // (grpc::StatusCode has no fixed underlying type; 99 would be undefined
  // behaviour, which UBSan reports).
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(20)), "CODE_20");
  EXPECT_EQ(ExitCodeFor(static_cast<grpc::StatusCode>(20)), 70);
}

}  // namespace
}  // namespace council::ctl
