// metrics_http.h — a minimal HTTP endpoint serving GET /metrics (Prometheus
// text format) on its own port, so monitoring never touches the gRPC port.
#ifndef COUNCIL_COMMON_SERVER_METRICS_HTTP_H_
#define COUNCIL_COMMON_SERVER_METRICS_HTTP_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace council {

class MetricsHttpServer {
 public:
  // Start
  //
  // Listens on `address` ("host:port", port 0 picks one); serves until
  // destroyed. Returns the bound port.
  absl::StatusOr<int> Start(const std::string& address);
  ~MetricsHttpServer();

 private:
  void Serve();
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_METRICS_HTTP_H_
