// metrics.h — per-process metrics in the Prometheus text format.
//
// Every server counts its calls per method and status code and keeps a
// latency histogram per method (recorded by an interceptor, see
// ServerRunner); services add their own figures as gauges:
//
//   Metrics::Global().RegisterGauge("council_complaints_open",
//                                   "Open complaints.", [&] { return store.CountOpen(); });
//
// and the text is served on --metrics_listen (a separate port from gRPC):
//   curl http://127.0.0.1:9101/metrics
#ifndef COUNCIL_COMMON_SERVER_METRICS_H_
#define COUNCIL_COMMON_SERVER_METRICS_H_

#include <array>
#include <functional>
#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace council {

class Metrics {
 public:
  // Global
  //
  // The process's metrics.
  static Metrics& Global();

  // RecordCall
  //
  // Counts one finished call of `method` with gRPC status `code`.
  void RecordCall(absl::string_view method, int code, absl::Duration latency);

  // RegisterGauge
  //
  // Adds a gauge read at scrape time (the function must be thread-safe).
  void RegisterGauge(std::string name, std::string help, std::function<double()> read);

  // Render
  //
  // The Prometheus text exposition of everything recorded.
  std::string Render();

 private:
  static constexpr std::array<double, 11> kBucketsSeconds = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
  struct MethodStats {
    std::map<int, uint64_t> calls_by_code;
    std::array<uint64_t, kBucketsSeconds.size() + 1> buckets{};
    double seconds_sum = 0;
    uint64_t count = 0;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  absl::Mutex mu_;
  std::map<std::string, MethodStats> methods_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_METRICS_H_
