// Operations as council IT runs them: the nightly sync example, and a rolling
// restart of one service while the others keep answering.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;

std::string RunShell(const std::string& command, int* exit_code) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  *exit_code = WEXITSTATUS(pclose(pipe));
  return output;
}

TEST(OperationsE2ETest, NightlySyncIsIdempotentAndReportsWhatChanged) {
  auto suite = Suite::Start("southwark");
  const std::string token_file = suite->dir() + "/integration.token";
  std::ofstream(token_file) << suite->TokenFor("people/it-admin") << "\n";
  const std::string command = absl::StrCat(
      "COUNCIL_GATEWAY=127.0.0.1:", suite->Port("gateway"), " COUNCIL_TOKEN_FILE=", token_file,
      " HR_EXPORT_DIR=", COUNCIL_SOURCE_DIR, "/demo/council RECORDS_EXPORT=", COUNCIL_SOURCE_DIR,
      "/demo/council/documents.csv COUNCILCTL=", COUNCIL_BINARY_DIR, "/tools/councilctl ",
      COUNCIL_SOURCE_DIR, "/examples/nightly-sync/council-nightly-sync.sh");
  int code = 0;
  const std::string first = RunShell(command, &code);
  ASSERT_EQ(code, 0) << first;
  EXPECT_THAT(first, HasSubstr("nightly-sync: documents: created 304, updated 0, unchanged 0"));
  EXPECT_THAT(first, ::testing::ContainsRegex("nightly-sync: directory: created [1-9][0-9]*"));
  // The same exports again: nothing changes, and the report says so.
  const std::string second = RunShell(command, &code);
  ASSERT_EQ(code, 0) << second;
  EXPECT_THAT(second, ::testing::ContainsRegex("nightly-sync: directory: created 0, updated 0, unchanged [1-9]"));
  EXPECT_THAT(second, HasSubstr("nightly-sync: documents: created 0, updated 0, unchanged 304"));
}

TEST(OperationsE2ETest, RollingRestartOfOneServiceKeepsTheOthersServing) {
  auto suite = Suite::Start("southwark");
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  auto relations = relations::v1::RelationsService::NewStub(suite->GatewayChannel());
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::thread reader([&] {
    while (!stop) {
      grpc::ClientContext context;
      suite->Authorize(&context, "people/off-jennifer-hayes");
      relations::v1::GetPersonRequest request;
      request.set_name("people/cllr-imran-ahmed");
      relations::v1::Person person;
      (relations->GetPerson(&context, request, &person).ok() ? ok : failed)++;
      // A steady caller under the gateway's default per-caller limit (50/s):
      // the test is about the restart, and an unpaced loop would be refused
      // RESOURCE_EXHAUSTED once its burst is spent.
      absl::SleepFor(absl::Milliseconds(25));
    }
  });
  // Upgrade access-service, then complaints-service, one at a time: SIGTERM
  // (in-flight calls finish), start the new binary on the same database.
  for (const char* service : {"access-service", "complaints-service"}) {
    EXPECT_EQ(suite->Stop(service), 0) << service;
    suite->Restart(service);
  }
  absl::SleepFor(absl::Milliseconds(300));
  stop = true;
  reader.join();
  EXPECT_GT(ok.load(), 10);
  EXPECT_EQ(failed.load(), 0) << "relations calls through the gateway failed during the restart";
  // The restarted service answers again through the same gateway.
  auto access = access::v1::AccessService::NewStub(suite->GatewayChannel());
  grpc::Status status;
  for (int attempt = 0; attempt < 50; ++attempt) {
    grpc::ClientContext context;
    suite->Authorize(&context, "people/cllr-imran-ahmed");
    access::v1::GetDocumentRequest request;
    request.set_name("documents/rec-000010");
    access::v1::Document document;
    status = access->GetDocument(&context, request, &document);
    if (status.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace council::e2e
