// gateway_bench — measures the gateway against issue 7's figures, in one run:
//   * overhead: the same method (relations GetPerson) called directly on the
//     backend (with an internal assertion, as the gateway sends) and through
//     the gateway (with a JWT); p50 latency of each, one call at a time, the
//     two paths alternating call by call so that both see the same machine
//     (a quiet spell or a busy one cannot favour one path);
//   * throughput through the gateway as a share of direct, with several
//     client threads for a bounded time;
//   * 1,000 concurrent streams held open through the gateway without errors.
// Everything runs on loopback (the real four binaries, started by the e2e
// harness with rate limiting off and otherwise default flags).
//   build/bench/gateway_bench [--calls=3000] [--seconds=5] [--threads=8] [--streams=1000]
//                             [--unix_sockets]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "common/server/process_tuning.h"
#include "common/auth/internal_assertion.h"
#include "common/server/caller.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "tests/e2e/suite_harness.h"

ABSL_FLAG(int, calls, 3000, "Sequential calls per path for the latency comparison.");
ABSL_FLAG(int, seconds, 5, "Seconds per throughput run.");
ABSL_FLAG(int, threads, 8, "Client threads for the throughput runs.");
ABSL_FLAG(int, streams, 1000, "Concurrent streams to hold open through the gateway.");
ABSL_FLAG(bool, unix_sockets, false,
          "The gateway reaches the backends over Unix domain sockets (--unix_socket); "
          "false, as the packages ship: over loopback TCP. The bench reaches both paths "
          "over loopback TCP.");

namespace council::bench {
namespace {

using relations::v1::RelationsService;

constexpr char kPerson[] = "people/cllr-imran-ahmed";
const std::string kGetPerson = "/council.relations.v1.RelationsService/GetPerson";

struct Path {
  std::string name;
  std::shared_ptr<grpc::Channel> channel;
  std::function<void(grpc::ClientContext*)> prepare;
};

int64_t Percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

bool Call(RelationsService::Stub& stub, const Path& path) {
  grpc::ClientContext context;
  path.prepare(&context);
  relations::v1::GetPersonRequest request;
  request.set_name("people/off-jennifer-hayes");
  relations::v1::Person person;
  return stub.GetPerson(&context, request, &person).ok();
}

// `calls` calls on each path, one at a time, alternating; microseconds per
// call for each path.
std::pair<std::vector<int64_t>, std::vector<int64_t>> Alternating(const Path& a, const Path& b,
                                                                  int calls, int* errors) {
  auto stub_a = RelationsService::NewStub(a.channel);
  auto stub_b = RelationsService::NewStub(b.channel);
  std::vector<int64_t> micros_a, micros_b;
  auto timed = [&](RelationsService::Stub& stub, const Path& path, std::vector<int64_t>& out) {
    const absl::Time start = absl::Now();
    if (!Call(stub, path)) ++*errors;
    out.push_back(absl::ToInt64Microseconds(absl::Now() - start));
  };
  for (int i = 0; i < calls; ++i) {
    timed(*stub_a, a, micros_a);
    timed(*stub_b, b, micros_b);
  }
  return {micros_a, micros_b};
}

double Throughput(const Path& path, int threads, int seconds, int* errors) {
  std::atomic<int64_t> done{0}, failed{0};
  const absl::Time stop = absl::Now() + absl::Seconds(seconds);
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      auto stub = RelationsService::NewStub(path.channel);
      while (absl::Now() < stop) {
        if (!Call(*stub, path)) ++failed;
        ++done;
      }
    });
  for (auto& w : workers) w.join();
  *errors += static_cast<int>(failed.load());
  return done.load() / absl::ToDoubleSeconds(absl::Now() - start);
}

int Run() {
  e2e::SuiteOptions options;
  options.gateway_flags = {"--rate_limit_per_second=0"};
  options.internal_hops_over_unix_sockets = absl::GetFlag(FLAGS_unix_sockets);
  auto suite = e2e::Suite::Start("southwark", options);
  if (suite->LoadDemoCouncil() != 0) return 1;
  auto key = auth::AssertionKey::FromFile(suite->internal_key_file());
  if (!key.ok()) return 1;
  const std::string token = suite->TokenFor(kPerson);
  Path direct{"direct", suite->BackendChannel("relations-service"),
              [&](grpc::ClientContext* c) {
                SignCall(c, *key, kPerson, {"member"}, "", kGetPerson);
                c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
              }};
  Path gateway{"gateway", suite->GatewayChannel(), [&](grpc::ClientContext* c) {
                 c->AddMetadata("authorization", "Bearer " + token);
                 c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
               }};
  int errors = 0;
  // Warm both paths (connections, the gateway's caller cache).
  Alternating(direct, gateway, 200, &errors);
  const int calls = absl::GetFlag(FLAGS_calls);
  const auto [direct_micros, gateway_micros] = Alternating(direct, gateway, calls, &errors);
  const int threads = absl::GetFlag(FLAGS_threads), seconds = absl::GetFlag(FLAGS_seconds);
  const double direct_rate = Throughput(direct, threads, seconds, &errors);
  const double gateway_rate = Throughput(gateway, threads, seconds, &errors);

  // Concurrent streams: client streams of StreamImportDirectory (dry runs) as
  // the administrator, all opened, held, then finished.
  const int streams = absl::GetFlag(FLAGS_streams);
  const std::string admin = suite->TokenFor("people/it-admin");
  std::atomic<int> stream_errors{0}, opened{0};
  absl::Barrier* all_open = new absl::Barrier(streams);
  std::vector<std::thread> holders;
  auto channel = suite->GatewayChannel();
  for (int i = 0; i < streams; ++i)
    holders.emplace_back([&] {
      auto stub = RelationsService::NewStub(channel);
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + admin);
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
      relations::v1::ImportDirectoryResponse response;
      auto writer = stub->StreamImportDirectory(&context, &response);
      relations::v1::StreamImportDirectoryRequest chunk;
      chunk.mutable_chunk()->set_validate_only(true);
      chunk.set_final_chunk(true);  // the only chunk: without it nothing is checked
      if (writer->Write(chunk)) ++opened;
      if (all_open->Block()) delete all_open;
      absl::SleepFor(absl::Seconds(2));  // held open together
      writer->WritesDone();
      if (!writer->Finish().ok()) ++stream_errors;
    });
  for (auto& h : holders) h.join();

  const int64_t direct_p50 = Percentile(direct_micros, 0.5);
  const int64_t gateway_p50 = Percentile(gateway_micros, 0.5);
  std::printf("gateway_bench (%d calls per path, one at a time, alternating; %d threads x %d s; "
              "%d streams; gateway to backends over %s)\n",
              calls, threads, seconds, streams,
              options.internal_hops_over_unix_sockets ? "Unix domain sockets" : "loopback TCP");
  std::printf("  p50 latency: direct %lld us, through gateway %lld us, overhead %lld us\n",
              static_cast<long long>(direct_p50), static_cast<long long>(gateway_p50),
              static_cast<long long>(gateway_p50 - direct_p50));
  std::printf("  p99 latency: direct %lld us, through gateway %lld us\n",
              static_cast<long long>(Percentile(direct_micros, 0.99)),
              static_cast<long long>(Percentile(gateway_micros, 0.99)));
  std::printf("  throughput: direct %.0f/s, through gateway %.0f/s (%.0f%% of direct)\n",
              direct_rate, gateway_rate, 100.0 * gateway_rate / direct_rate);
  std::printf("  streams: %d opened and held concurrently, %d finished with errors\n",
              opened.load(), stream_errors.load());
  std::printf("  call errors: %d\n", errors);
  return errors == 0 && stream_errors.load() == 0 && opened.load() == streams ? 0 : 2;
}

}  // namespace
}  // namespace council::bench

int main(int argc, char** argv) {
  council::TuneProcess();
  absl::ParseCommandLine(argc, argv);
  return council::bench::Run();
}
