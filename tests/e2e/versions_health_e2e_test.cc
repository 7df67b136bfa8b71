// Versions and conventions (issue 20), on the built binaries: --version names
// the suite's version and source revision, each daemon's --help lists its
// flags, and each backend's gRPC health service answers for its own full
// service name as well as "" (Check, and Watch as Kubernetes-style probes use it).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/build_info/build_info.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kWatch[] = "/grpc.health.v1.Health/Watch";
// HealthCheckResponse{status: SERVING}.
const std::string kServing("\x08\x01", 2);

// HealthCheckRequest{service: name}, encoded by hand: the health .proto's
// generated code is not part of Debian's gRPC packages.
std::string HealthRequest(const std::string& name) {
  if (name.empty()) return "";
  return absl::StrCat("\x0a", std::string(1, static_cast<char>(name.size())), name);
}

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

// Health/Check for `name` on `channel`: the status, and the response's bytes.
grpc::Status Check(const std::shared_ptr<grpc::Channel>& channel, const std::string& name,
                   std::string* response_bytes) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Slice slice(HealthRequest(name));
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, kCheck, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   status = s;
                   done.Notify();
                 });
  done.WaitForNotification();
  *response_bytes = status.ok() ? Bytes(response) : "";
  return status;
}

struct Backend {
  const char* process;
  std::string service_name;
};

std::vector<Backend> Backends() {
  return {{"relations-service", relations::v1::RelationsService::service_full_name()},
          {"access-service", access::v1::AccessService::service_full_name()},
          {"complaints-service", complaints::v1::ComplaintsService::service_full_name()}};
}

TEST(VersionsE2ETest, EveryBinaryPrintsTheSuiteVersionAndSourceRevision) {
  for (const char* binary :
       {"access-service/access-service", "complaints-service/complaints-service",
        "relations-service/relations-service", "gateway/gateway", "tools/councilctl",
        "tools/council-backup/council-backup", "tools/council-backup/council-health"}) {
    std::string output;
    EXPECT_EQ(Suite::RunBinary(binary, {"--version"}, &output), 0) << binary << ": " << output;
    EXPECT_THAT(output, HasSubstr(absl::StrCat(" ", SuiteVersion(), "\n"))) << binary;
    EXPECT_THAT(output, HasSubstr(absl::StrCat("revision ", SourceRevision(), "\n"))) << binary;
    EXPECT_THAT(output, Not(HasSubstr("Debug build"))) << binary;
  }
  std::string output;
  EXPECT_EQ(Suite::RunBinary("tools/councilctl", {"version"}, &output), 0) << output;
  EXPECT_EQ(output, VersionText("councilctl"));
  EXPECT_EQ(Suite::RunBinary("tools/councilctl", {"version", "--json"}, &output), 0) << output;
  EXPECT_EQ(output, absl::StrCat("{\"version\":\"", SuiteVersion(), "\",\"revision\":\"",
                                 SourceRevision(), "\"}\n"));
}

TEST(VersionsE2ETest, EachDaemonsHelpListsItsOwnAndTheSharedFlagsWithoutBuildPaths) {
  struct Daemon {
    const char* binary;
    const char* own_flag;
  };
  for (const Daemon& daemon :
       {Daemon{"access-service/access-service", "--requester_facts_ttl"},
        Daemon{"complaints-service/complaints-service", "--sweep_interval_seconds"},
        Daemon{"relations-service/relations-service", "--bootstrap_administrator"},
        Daemon{"gateway/gateway", "--policy_file"}}) {
    std::string output;
    Suite::RunBinary(daemon.binary, {"--help"}, &output);  // Abseil exits 1 after help
    EXPECT_THAT(output, Not(HasSubstr("No flags matched"))) << daemon.binary;
    EXPECT_THAT(output, HasSubstr(daemon.own_flag)) << daemon.binary << ":\n" << output;
    EXPECT_THAT(output, HasSubstr("--listen (")) << daemon.binary;
    Suite::RunBinary(daemon.binary, {"--helpfull"}, &output);
    EXPECT_THAT(output, HasSubstr("Flags from common/server/flags.cc:")) << daemon.binary;
    EXPECT_THAT(output, Not(HasSubstr(COUNCIL_SOURCE_DIR))) << daemon.binary;
  }
}

class HealthE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_ = Suite::Start("southwark").release(); }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* HealthE2ETest::suite_ = nullptr;

TEST_F(HealthE2ETest, EachBackendAnswersForItsServiceNameAndTheServerAsAWhole) {
  for (const Backend& backend : Backends()) {
    auto channel = suite_->BackendChannel(backend.process);
    for (const std::string& name : {std::string(), backend.service_name}) {
      std::string bytes;
      const grpc::Status status = Check(channel, name, &bytes);
      ASSERT_TRUE(status.ok()) << backend.process << " '" << name << "': "
                               << status.error_message();
      EXPECT_EQ(bytes, kServing) << backend.process << " '" << name << "'";
    }
    std::string bytes;
    EXPECT_EQ(Check(channel, "council.nosuch.v1.NoSuchService", &bytes).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << backend.process;
  }
}

TEST_F(HealthE2ETest, GatewayAnswersForItselfOnly) {
  std::string bytes;
  const grpc::Status status = Check(suite_->GatewayChannel(), "", &bytes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(bytes, kServing);
  EXPECT_EQ(Check(suite_->GatewayChannel(), "council.nosuch.v1.NoSuchService", &bytes).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Waits for the next event on `cq` and returns whether it succeeded (false
// too if none came in 5 s).
bool Await(grpc::CompletionQueue* cq) {
  void* tag = nullptr;
  bool ok = false;
  const auto next = cq->AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  return next == grpc::CompletionQueue::GOT_EVENT && ok;
}

TEST_F(HealthE2ETest, WatchSendsServingAndEndsWhenTheProbeCancels) {
  for (const Backend& backend : Backends()) {
    grpc::GenericStub stub(suite_->BackendChannel(backend.process));
    grpc::CompletionQueue cq;
    grpc::ClientContext context;
    auto call = stub.PrepareCall(&context, kWatch, &cq);
    call->StartCall(reinterpret_cast<void*>(1));
    ASSERT_TRUE(Await(&cq)) << backend.process;
    grpc::Slice slice(HealthRequest(backend.service_name));
    grpc::ByteBuffer request(&slice, 1), response;
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    ASSERT_TRUE(Await(&cq)) << backend.process;
    call->Read(&response, reinterpret_cast<void*>(3));
    ASSERT_TRUE(Await(&cq)) << backend.process << ": no first status";
    EXPECT_EQ(Bytes(response), kServing) << backend.process;
    context.TryCancel();
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(4));
    // Finish completes with ok even for a cancelled call; its status says why.
    ASSERT_TRUE(Await(&cq)) << backend.process << ": the watch did not end";
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << backend.process;
    cq.Shutdown();
    void* tag;
    bool ok;
    while (cq.Next(&tag, &ok)) {
    }
  }
}

}  // namespace
}  // namespace council::e2e
