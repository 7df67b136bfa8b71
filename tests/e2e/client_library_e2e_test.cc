// The C++ client library: a tool connects to the gateway with a token file
// and typed stubs, and read-only calls are retried across a backend restart.
#include <fstream>

#include "client/council_client.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

TEST(ClientLibraryE2ETest, ToolCallsTheGatewayWithATokenFileAndTypedStubs) {
  auto suite = Suite::Start("southwark");
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  const std::string token_file = suite->dir() + "/tool.token";
  std::ofstream(token_file) << suite->TokenFor("people/off-jennifer-hayes") << "\n";
  client::GatewayOptions options;
  options.address = "127.0.0.1:" + std::to_string(suite->Port("gateway"));
  options.token_file = token_file;
  auto channel = client::ConnectToGateway(options);
  ASSERT_TRUE(channel.ok()) << channel.status();
  auto stub = relations::v1::RelationsService::NewStub(*channel);
  grpc::ClientContext context;
  relations::v1::GetPersonRequest request;
  request.set_name("people/cllr-imran-ahmed");
  relations::v1::Person person;
  grpc::Status status = stub->GetPerson(&context, request, &person);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(person.display_name(), "Imran Ahmed");
}

TEST(ClientLibraryE2ETest, IncompleteOptionsAreRefused) {
  client::GatewayOptions options;
  EXPECT_EQ(client::ConnectToGateway(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.address = "127.0.0.1:1";
  EXPECT_EQ(client::ConnectToGateway(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.token_file = "/nonexistent/token";
  EXPECT_EQ(client::ConnectToGateway(options).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace council::e2e
