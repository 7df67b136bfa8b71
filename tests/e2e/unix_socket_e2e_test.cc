// The suite on one host with its internal hops over Unix domain sockets
// (--unix_socket on each backend; the gateway and access/complaints given
// "unix:PATH" addresses), as docs/operations.md describes. Issue 7: calls
// forward as over TCP; a backend reached on its socket without the gateway's
// assertion refuses (the socket is plaintext like loopback, not a way round
// the gateway); a backend that is killed and restarted on the same socket
// path is reached again without restarting the gateway.
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/errors/grpc_errors.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using relations::v1::RelationsService;
using ::testing::HasSubstr;

constexpr char kPlanningMember[] = "people/cllr-imran-ahmed";
constexpr char kOfficer[] = "people/off-jennifer-hayes";

grpc::Status GetPerson(const std::shared_ptr<grpc::Channel>& channel, const Suite* as) {
  grpc::ClientContext context;
  if (as != nullptr) as->Authorize(&context, kPlanningMember);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  return RelationsService::NewStub(channel)->GetPerson(&context, request, &person);
}

class UnixSocketE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SuiteOptions options;
    options.internal_hops_over_unix_sockets = true;
    suite_ = Suite::Start("southwark", options).release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the import goes gateway → relations by socket";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* UnixSocketE2ETest::suite_ = nullptr;

TEST_F(UnixSocketE2ETest, EachBackendListensOnItsSocket) {
  for (const char* service : {"relations-service", "access-service", "complaints-service"}) {
    struct stat info {};
    ASSERT_EQ(stat(suite_->UnixSocketPath(service).c_str(), &info), 0) << service;
    EXPECT_TRUE(S_ISSOCK(info.st_mode)) << service;
  }
}

TEST_F(UnixSocketE2ETest, CallsGoThroughTheGatewayAndBetweenServicesBySocket) {
  const grpc::Status person = GetPerson(suite_->GatewayChannel(), suite_);
  EXPECT_TRUE(person.ok()) << person.error_message();

  // A decision needs access-service to ask relations-service (by its socket)
  // for the requester's memberships and interests.
  auto access = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-000010");
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_BODY_MEMBER);
  request.mutable_access_request()->set_purpose("Planning Committee item 5");
  access::v1::AccessRequest decided;
  const grpc::Status status = access->CreateAccessRequest(&context, request, &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(decided.decision().reasons_size(), 0) << "every decision cites its rule";
}

TEST_F(UnixSocketE2ETest, BackendReachedOnItsSocketWithoutTheGatewayRefuses) {
  auto socket_channel = grpc::CreateChannel(
      "unix:" + suite_->UnixSocketPath("relations-service"), grpc::InsecureChannelCredentials());
  const grpc::Status no_assertion = GetPerson(socket_channel, nullptr);
  EXPECT_EQ(no_assertion.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorInfoReason(no_assertion), "ERROR_REASON_NOT_FROM_GATEWAY");
  const grpc::Status people_token = GetPerson(socket_channel, suite_);
  EXPECT_EQ(people_token.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "a person's token is for the gateway, not for a backend";
}

// Run last: it kills and restarts relations-service. kill -9 leaves the old
// socket file behind; the restarted service must listen on the path again.
TEST_F(UnixSocketE2ETest, ZzBackendKilledAndRestartedOnItsSocketIsReachedAgain) {
  ASSERT_TRUE(GetPerson(suite_->GatewayChannel(), suite_).ok());
  suite_->Kill9("relations-service");
  const absl::Time start = absl::Now();
  const grpc::Status down = GetPerson(suite_->GatewayChannel(), suite_);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  suite_->Restart("relations-service");
  const absl::Time restarted = absl::Now();
  grpc::Status status;
  while (absl::Now() - restarted < absl::Seconds(10)) {
    status = GetPerson(suite_->GatewayChannel(), suite_);
    if (status.ok()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(status.ok()) << "no recovery within 10 s: " << status.error_message();
}

TEST(UnixSocketStartupE2ETest, SocketInAMissingDirectoryStopsStartUpNamingTheFlag) {
  char tmpl[] = "/tmp/council-socket-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  std::ofstream(dir + "/internal.key") << auth::AssertionKey::GenerateSecretHex();
  std::string output;
  const int rc = Suite::RunBinary(
      "relations-service/relations-service",
      {absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/southwark.textproto"),
       "--database=" + dir + "/relations.db", "--internal_key_file=" + dir + "/internal.key",
       "--listen=127.0.0.1:0", "--unix_socket=" + dir + "/no-such-directory/relations.sock"},
      &output);
  EXPECT_NE(rc, 0);
  EXPECT_THAT(output, HasSubstr("--unix_socket"));
  EXPECT_THAT(output, HasSubstr("no-such-directory does not exist"));
  std::filesystem::remove_all(dir);
}

TEST(UnixSocketStartupE2ETest, GatewayRefusesToServeOnAUnixSocket) {
  // People's tools reach the gateway on --listen, with TLS when configured; a
  // plaintext socket beside it would be a second door.
  std::string output;
  const int rc =
      Suite::RunBinary("gateway/gateway", {"--unix_socket=/tmp/council-gateway.sock"}, &output);
  EXPECT_NE(rc, 0);
  EXPECT_THAT(output, HasSubstr("--unix_socket"));
  EXPECT_THAT(output, HasSubstr("the gateway serves on --listen only"));
}

}  // namespace
}  // namespace council::e2e
