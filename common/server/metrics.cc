#include "common/server/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/build_info/build_info.h"

namespace council {

Metrics& Metrics::Global() {
  static auto* metrics = new Metrics();
  return *metrics;
}

void Metrics::RecordCall(absl::string_view method, int code, absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  MethodStats& stats = methods_[std::string(method)];
  ++stats.calls_by_code[code];
  size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;
  ++stats.buckets[bucket];
  stats.seconds_sum += seconds;
  ++stats.count;
}

void Metrics::RegisterGauge(std::string name, std::string help, std::function<double()> read) {
  absl::MutexLock lock(&mu_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

namespace {

// A Prometheus label value: backslash and double quote escaped.
std::string LabelValue(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

}  // namespace

std::string Metrics::Render() {
  // Prometheus's convention for what is running: a constant 1 whose labels
  // carry the version, so dashboards can join on it and alert on a mix.
  std::string out = absl::StrCat(
      "# HELP council_build_info The suite version and source revision of this binary.\n"
      "# TYPE council_build_info gauge\n"
      "council_build_info{version=\"",
      LabelValue(SuiteVersion()), "\",revision=\"", LabelValue(SourceRevision()), "\"} 1\n");
  absl::MutexLock lock(&mu_);
  absl::StrAppend(&out,
                  "# HELP council_grpc_calls_total Finished gRPC calls by method and status code.\n"
                  "# TYPE council_grpc_calls_total counter\n");
  for (const auto& [method, stats] : methods_)
    for (const auto& [code, count] : stats.calls_by_code)
      absl::StrAppend(&out, "council_grpc_calls_total{method=\"", method, "\",code=\"", code,
                      "\"} ", count, "\n");
  absl::StrAppend(&out,
                  "# HELP council_grpc_call_seconds Call latency by method.\n"
                  "# TYPE council_grpc_call_seconds histogram\n");
  for (const auto& [method, stats] : methods_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < stats.buckets.size(); ++i) {
      cumulative += stats.buckets[i];
      const std::string le =
          i < kBucketsSeconds.size() ? absl::StrFormat("%g", kBucketsSeconds[i]) : "+Inf";
      absl::StrAppend(&out, "council_grpc_call_seconds_bucket{method=\"", method, "\",le=\"", le,
                      "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&out, "council_grpc_call_seconds_sum{method=\"", method, "\"} ",
                    absl::StrFormat("%.6f", stats.seconds_sum), "\n",
                    "council_grpc_call_seconds_count{method=\"", method, "\"} ", stats.count,
                    "\n");
  }
  for (const auto& [name, gauge] : gauges_)
    absl::StrAppend(&out, "# HELP ", name, " ", gauge.help, "\n# TYPE ", name, " gauge\n", name,
                    " ", absl::StrFormat("%g", gauge.read()), "\n");
  return out;
}

}  // namespace council
