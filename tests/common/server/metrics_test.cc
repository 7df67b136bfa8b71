// Metrics: what a council's monitoring scrapes from each service.
#include "common/server/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/server/metrics_http.h"
#include "common/server/sql_gauges.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountsCallsByMethodAndCodeWithACumulativeLatencyHistogram) {
  Metrics& metrics = Metrics::Global();
  metrics.RecordCall("/test.Service/Fast", 0, absl::Microseconds(300));
  metrics.RecordCall("/test.Service/Fast", 0, absl::Milliseconds(3));
  metrics.RecordCall("/test.Service/Fast", 5, absl::Seconds(2));
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("council_grpc_calls_total{method=\"/test.Service/Fast\",code=\"0\"} 2"));
  EXPECT_THAT(text, HasSubstr("council_grpc_calls_total{method=\"/test.Service/Fast\",code=\"5\"} 1"));
  // 300 us falls in the 0.5 ms bucket; 3 ms by 5 ms; 2 s only in +Inf.
  EXPECT_THAT(text, HasSubstr("council_grpc_call_seconds_bucket{method=\"/test.Service/Fast\",le=\"0.0005\"} 1"));
  EXPECT_THAT(text, HasSubstr("council_grpc_call_seconds_bucket{method=\"/test.Service/Fast\",le=\"0.005\"} 2"));
  EXPECT_THAT(text, HasSubstr("council_grpc_call_seconds_bucket{method=\"/test.Service/Fast\",le=\"+Inf\"} 3"));
  EXPECT_THAT(text, HasSubstr("council_grpc_call_seconds_count{method=\"/test.Service/Fast\"} 3"));
}

TEST(MetricsTest, ServesGaugesOverHttpOnItsOwnPort) {
  Metrics::Global().RegisterGauge("council_test_open_things", "Things open.", [] { return 42.0; });
  MetricsHttpServer server;
  auto port = server.Start("127.0.0.1:0");
  ASSERT_TRUE(port.ok()) << port.status();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string request = "GET /metrics HTTP/1.0\r\n\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) response.append(buffer, n);
  close(fd);
  EXPECT_THAT(response, HasSubstr("HTTP/1.0 200 OK"));
  EXPECT_THAT(response, HasSubstr("# TYPE council_test_open_things gauge\ncouncil_test_open_things 42"));
}

}  // namespace
}  // namespace council

namespace council {
namespace {

TEST(SqlGaugesTest, CountsInTheServicesOwnDatabaseAtScrapeTime) {
  const std::string path = ::testing::TempDir() + "/sql_gauges_test.db";
  std::remove(path.c_str());
  auto db = storage::Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE things (day INTEGER NOT NULL);"
                          "INSERT INTO things VALUES (1), (5), (9);").ok());
  auto gauges = SqlGauges::Open(path);
  ASSERT_TRUE(gauges.ok()) << gauges.status();
  (*gauges)->Register("council_test_things_before_day", "Things before a day.",
                      "SELECT COUNT(*) FROM things WHERE day < ?", [] { return int64_t{6}; });
  EXPECT_THAT(Metrics::Global().Render(), HasSubstr("council_test_things_before_day 2\n"));
  // A later write is seen at the next scrape.
  ASSERT_TRUE((*db)->Exec("INSERT INTO things VALUES (2);").ok());
  EXPECT_THAT(Metrics::Global().Render(), HasSubstr("council_test_things_before_day 3\n"));
}

}  // namespace
}  // namespace council
