// The gateway's per-method metrics (issue 8, "Prometheus metrics"; issue 7,
// "every call is audited"): the gateway records each call it answers itself,
// allowed or refused, since it serves them on async completion queues without
// the metrics interceptor the backends use.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/build_info/build_info.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;

// A loopback port nothing listens on now (bound, read and released).
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// GET /metrics from 127.0.0.1:`port`; the whole HTTP response.
std::string GetMetrics(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string request = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
    }
  }
  close(fd);
  return response;
}

TEST(GatewayMetricsE2ETest, AllowedAndRefusedCallsAreCountedByMethodAndCode) {
  const int metrics_port = FreeLoopbackPort();
  auto suite = Suite::Start("southwark",
                            {absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port)});
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  auto stub = relations::v1::RelationsService::NewStub(suite->GatewayChannel());
  relations::v1::GetPersonRequest request;
  request.set_name("people/off-jennifer-hayes");
  relations::v1::Person person;
  {
    grpc::ClientContext context;  // no token: refused by the gateway itself
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    ASSERT_EQ(stub->GetPerson(&context, request, &person).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;  // allowed, and answered by relations-service
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    suite->Authorize(&context, "people/cllr-imran-ahmed");
    ASSERT_TRUE(stub->GetPerson(&context, request, &person).ok());
  }
  {
    // A method no service has: refused, and counted under "unknown", since
    // callers choose method names and each name would be a metrics series.
    grpc::GenericStub generic(suite->GatewayChannel());
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    grpc::Slice no_bytes("");
    grpc::ByteBuffer empty(&no_bytes, 1), reply;
    absl::Notification done;
    grpc::Status status;
    generic.UnaryCall(&context, "/council.relations.v1.RelationsService/NoSuchMethod",
                      grpc::StubOptions(), &empty, &reply, [&](grpc::Status s) {
                        status = s;
                        done.Notify();
                      });
    done.WaitForNotification();
    ASSERT_FALSE(status.ok());
  }
  const std::string metrics = GetMetrics(metrics_port);
  EXPECT_THAT(metrics, ::testing::Not(HasSubstr("NoSuchMethod"))) << metrics;
  EXPECT_THAT(metrics, HasSubstr("council_grpc_calls_total{method=\"unknown\"")) << metrics;
  const std::string get_person =
      "council_grpc_calls_total{method=\"/council.relations.v1.RelationsService/GetPerson\"";
  EXPECT_THAT(metrics, HasSubstr(get_person + ",code=\"16\"} 1")) << metrics;
  EXPECT_THAT(metrics, HasSubstr(get_person + ",code=\"0\"} 1")) << metrics;
  // Which release answers (issue 20): the same on every service's endpoint.
  EXPECT_THAT(metrics, HasSubstr(absl::StrCat("council_build_info{version=\"", SuiteVersion(),
                                              "\",revision=\"", SourceRevision(), "\"} 1\n")))
      << metrics;
}

}  // namespace
}  // namespace council::e2e
