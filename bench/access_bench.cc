// access_bench — measures access-service against issue 5's figures, through
// the gateway with real tokens, on loopback:
//   * records import: a synthetic 100,000-document export imported with
//     `councilctl import documents` (CSV parse, stream through the gateway,
//     one transaction), and the same file re-imported (all unchanged);
//   * decisions (CreateAccessRequest, each decided, group-committed and
//     audited): sustained throughput with --threads closed-loop clients, then
//     latency at --rate requests/s offered open-loop (latency measured from
//     each request's scheduled send time, so a stall is not hidden);
//   * "what may member M see" (ListAccessibleDocuments) over the whole
//     catalogue: a page of 100, first and following pages, and a filter that
//     forces a scan of every document.
//
// It starts relations-service, access-service and the gateway from
// --build_dir with fresh databases in a temporary directory, loads the demo
// council's directory (demo/council), and stops everything at the end. Every
// phase is bounded by time or count. Usage:
//   build/bench/access_bench [--documents=100000] [--seconds=10] [--threads=16]
//                            [--rate=1000] [--profile=southwark]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/server/process_tuning.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "common/server/caller.h"
#include "common/util/csv.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "grpcpp/create_channel.h"

ABSL_FLAG(int, documents, 100000, "Documents in the synthetic catalogue.");
ABSL_FLAG(int, seconds, 10, "Length of the closed-loop and of the open-loop decision runs.");
ABSL_FLAG(int, threads, 16, "Closed-loop client threads.");
ABSL_FLAG(int, rate, 1000, "Decisions per second offered in the open-loop run.");
ABSL_FLAG(int, listings, 50, "Calls per listing measurement.");
ABSL_FLAG(std::string, profile, "southwark", "Council profile (profiles/<name>.textproto).");
ABSL_FLAG(std::string, build_dir, COUNCIL_BINARY_DIR, "Where the binaries are.");
ABSL_FLAG(std::string, source_dir, COUNCIL_SOURCE_DIR, "The repository (profiles, demo data).");
ABSL_FLAG(bool, keep, false, "Keep the temporary directory (databases, logs).");

namespace council::bench {
namespace {

using access::v1::AccessService;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Process {
  pid_t pid = -1;
  int port = 0;
};

// Starts `binary` with `args` (plus --listen and --port_file) and waits for it
// to listen.
Process Launch(const std::string& dir, const std::string& name, std::vector<std::string> args) {
  const std::string port_file = absl::StrCat(dir, "/", name, ".port");
  const std::string binary =
      absl::StrCat(absl::GetFlag(FLAGS_build_dir), "/", name, "/", name);
  args.insert(args.begin(), {binary, "--listen=127.0.0.1:0", "--port_file=" + port_file});
  Process process;
  process.pid = fork();
  if (process.pid == 0) {
    const std::string log = absl::StrCat(dir, "/", name, ".log");
    if (!freopen(log.c_str(), "w", stderr)) _exit(126);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  for (int i = 0; i < 1000; ++i) {
    const std::string port = ReadFile(port_file);
    if (!port.empty()) {
      process.port = std::atoi(port.c_str());
      return process;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  std::cerr << name << " did not start:\n" << ReadFile(absl::StrCat(dir, "/", name, ".log"));
  std::exit(1);
}

// Runs a command line to completion; returns its exit code.
int Run(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  output->clear();
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// CPU seconds (user + system) a process has used so far.
double CpuSeconds(pid_t pid) {
  std::istringstream stat(ReadFile(absl::StrCat("/proc/", pid, "/stat")));
  std::string field;
  double ticks = 0;
  for (int i = 1; i <= 15 && stat >> field; ++i)
    if (i == 14 || i == 15) ticks += std::atof(field.c_str());
  return ticks / sysconf(_SC_CLK_TCK);
}

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
  size_t count = 0;
};

Percentiles Summarise(std::vector<double> ms) {
  Percentiles p;
  p.count = ms.size();
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = ms.back();
  return p;
}

std::string Show(const Percentiles& p) {
  return absl::StrFormat("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms", p.count, p.p50,
                         p.p90, p.p99, p.max);
}

// The demo council's bodies, wards and current members.
struct Demo {
  std::vector<std::string> bodies, wards, members;
};

Demo LoadDemo(const std::string& source) {
  Demo demo;
  auto bodies = ReadCsvFile(source + "/demo/council/bodies.csv");
  auto wards = ReadCsvFile(source + "/demo/council/wards.csv");
  auto people = ReadCsvFile(source + "/demo/council/people.csv");
  if (!bodies.ok() || !wards.ok() || !people.ok()) {
    std::cerr << "cannot read demo/council\n";
    std::exit(1);
  }
  for (const auto& row : bodies->rows) demo.bodies.push_back(row.Get("body_id"));
  for (const auto& row : wards->rows) demo.wards.push_back(row.Get("ward_id"));
  for (const auto& row : people->rows)
    if (row.Get("kind") == "member" && row.Get("end_date").empty())
      demo.members.push_back("people/" + row.Get("hr_id"));
  return demo;
}

// A records-system export of `count` documents shaped like the demo
// catalogue: committee papers for every body (some confidential or exempt),
// ward matters, portfolio briefings, group documents, HR case files.
void WriteCatalogue(const std::string& path, int count, const Demo& demo) {
  std::mt19937 random(42);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  const char* const services[] = {"planning", "highways", "waste", "licensing",
                                  "housing-needs", "finance", "legal", "human-resources"};
  const char* const portfolios[] = {"planning-and-regeneration", "environment-and-transport",
                                    "finance-and-resources", "leader-and-corporate-strategy"};
  const char* const groups[] = {"eastmere-labour", "eastmere-conservative",
                                "eastmere-liberal-democrat"};
  const char* const matters[] = {"matter-eastmere-retail-park", "matter-harbour-road-land-sale",
                                 "matter-leisure-centre-contract"};
  std::ofstream out(path);
  out << "record_id,title,owning_service,holding_chief_officer_hr_id,body_id,meeting_date,"
         "agenda_item,ward_ids,portfolio_id,party_group_id,matters,third_party_personal_data,"
         "status,exempt_paragraphs\n";
  for (int i = 0; i < count; ++i) {
    const int kind = pick(100);
    std::string body, date, item, ward, portfolio, group, matter, status = "open", paragraphs;
    bool personal = false;
    const char* service = services[pick(8)];
    if (kind < 60) {  // committee report or background paper
      body = demo.bodies[pick(static_cast<int>(demo.bodies.size()))];
      date = absl::StrFormat("2027-%02d-%02d", 1 + pick(12), 1 + pick(28));
      item = absl::StrCat(1 + pick(12));
      const int s = pick(100);
      if (s < 5) status = "confidential";
      else if (s < 15) { status = "exempt"; paragraphs = absl::StrCat(1 + pick(7)); }
      personal = pick(10) == 0;
    } else if (kind < 80) {  // ward matter
      ward = demo.wards[pick(static_cast<int>(demo.wards.size()))];
      personal = pick(5) == 0;
    } else if (kind < 90) {  // portfolio briefing
      portfolio = portfolios[pick(4)];
    } else if (kind < 95) {  // a group's internal document
      group = groups[pick(3)];
      service = "democratic-services";
      status = "not-for-publication";
    } else {  // HR case file
      service = "human-resources";
      status = "confidential";
      personal = true;
    }
    if (pick(50) == 0) matter = matters[pick(3)];
    out << "rec-" << (1000000 + i) << ",Synthetic record " << i << "," << service
        << ",off-tunde-okoro," << body << "," << date << "," << item << "," << ward << ","
        << portfolio << "," << group << "," << matter << "," << (personal ? "true" : "false")
        << "," << status << "," << paragraphs << "\n";
  }
}

class Bench {
 public:
  Bench(std::string dir, std::string gateway, std::string jwt_key, std::string kid)
      : dir_(std::move(dir)), gateway_(std::move(gateway)) {
    auto signer = auth::JwtSigner::FromPrivateKeyPem(jwt_key, kid);
    if (!signer.ok()) {
      std::cerr << signer.status() << "\n";
      std::exit(1);
    }
    signer_ = std::make_unique<auth::JwtSigner>(std::move(*signer));
  }

  std::string Token(const std::string& person) {
    auth::JwtSigner::Claims claims;
    claims.subject = person;
    claims.issuer = "council-dev";
    claims.audience = "council-suite";
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + absl::Hours(2);
    return signer_->Sign(claims).value();
  }

  std::shared_ptr<grpc::Channel> Channel(int i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);  // one connection per channel
    args.SetInt("bench.channel", i);
    return grpc::CreateCustomChannel(gateway_, grpc::InsecureChannelCredentials(), args);
  }

  int Ctl(const std::string& person, const std::string& arguments, std::string* output) {
    return Run(absl::StrCat(absl::GetFlag(FLAGS_build_dir), "/tools/councilctl --gateway=",
                            gateway_, " --token=", Token(person), " ", arguments),
               output);
  }

 private:
  std::string dir_;
  std::string gateway_;
  std::unique_ptr<auth::JwtSigner> signer_;
};

access::v1::CreateAccessRequestRequest RandomAsk(std::mt19937& random, int documents) {
  access::v1::CreateAccessRequestRequest request;
  auto* ask = request.mutable_access_request();
  ask->set_document(absl::StrCat("documents/rec-", 1000000 + random() % documents));
  static const access::v1::Capacity kCapacities[] = {
      access::v1::CAPACITY_BODY_MEMBER, access::v1::CAPACITY_WARD_MEMBER,
      access::v1::CAPACITY_OTHER};
  ask->set_capacity(kCapacities[random() % 3]);
  if (random() % 2) ask->set_purpose("A constituent has asked me to look into this.");
  return request;
}

int Main() {
  const std::string source = absl::GetFlag(FLAGS_source_dir);
  const std::string dir =
      std::filesystem::temp_directory_path() / absl::StrCat("access-bench-", getpid());
  std::filesystem::create_directories(dir);
  const int documents = absl::GetFlag(FLAGS_documents);

  // Keys, as scripts/setup-and-start.sh makes them.
  auto key = auth::GeneratePrivateKeyPem(auth::KeyType::kEcP256).value();
  auto signer = auth::JwtSigner::FromPrivateKeyPem(key.first, key.second).value();
  std::ofstream(dir + "/jwks.json") << signer.PublicJwks();
  std::ofstream(dir + "/internal.key") << auth::AssertionKey::GenerateSecretHex();
  const std::string internal = "--internal_key_file=" + dir + "/internal.key";
  const std::string profile =
      absl::StrCat("--profile=", source, "/profiles/", absl::GetFlag(FLAGS_profile), ".textproto");

  Process relations = Launch(dir, "relations-service",
                             {"--database=" + dir + "/relations.db", internal, profile,
                              "--bootstrap_administrator=it-admin"});
  const std::string relations_address =
      absl::StrCat("--relations_address=127.0.0.1:", relations.port);
  Process access = Launch(dir, "access-service",
                          {"--database=" + dir + "/access.db", internal, profile,
                           relations_address});
  Process gateway = Launch(
      dir, "gateway",
      {"--database=" + dir + "/gateway.db", internal, relations_address,
       "--policy_file=" + source + "/config/gateway-policy.textproto",
       "--jwks_file=" + dir + "/jwks.json", "--jwt_issuer=council-dev",
       "--jwt_audience=council-suite", absl::StrCat("--access_address=127.0.0.1:", access.port),
       // The per-caller limit protects a council from one runaway client; the
       // bench measures the service, so it is lifted.
       "--rate_limit_per_second=1000000", "--rate_limit_burst=1000000"});
  const std::string gateway_address = absl::StrCat("127.0.0.1:", gateway.port);
  Bench bench(dir, gateway_address, key.first, key.second);
  auto stop_all = [&] {
    for (pid_t pid : {gateway.pid, access.pid, relations.pid}) kill(pid, SIGTERM);
    for (pid_t pid : {gateway.pid, access.pid, relations.pid}) waitpid(pid, nullptr, 0);
    if (!absl::GetFlag(FLAGS_keep)) std::filesystem::remove_all(dir);
  };

  std::string output;
  if (bench.Ctl("people/it-admin", "import directory " + source + "/demo/council", &output) != 0) {
    std::cerr << "directory import failed:\n" << output;
    stop_all();
    return 1;
  }
  const Demo demo = LoadDemo(source);

  // 1. Records import.
  const std::string csv = dir + "/documents.csv";
  WriteCatalogue(csv, documents, demo);
  absl::Time start = absl::Now();
  if (bench.Ctl("people/it-admin", "import documents " + csv, &output) != 0) {
    std::cerr << "document import failed:\n" << output;
    stop_all();
    return 1;
  }
  const absl::Duration import_time = absl::Now() - start;
  start = absl::Now();
  const int reimport = bench.Ctl("people/it-admin", "import documents " + csv, &output);
  const absl::Duration reimport_time = absl::Now() - start;
  std::cout << absl::StrFormat("import of %d documents (councilctl, CSV to commit): %.2f s\n",
                               documents, absl::ToDoubleSeconds(import_time));
  std::cout << absl::StrFormat("re-import of the same file (all unchanged): %.2f s%s\n",
                               absl::ToDoubleSeconds(reimport_time),
                               reimport == 0 ? "" : " (FAILED)");

  // Tokens, and one warm-up decision per member (fills the gateway's token
  // cache and access-service's facts cache the way steady traffic would).
  std::vector<std::string> headers;
  for (const auto& member : demo.members) headers.push_back("Bearer " + bench.Token(member));
  {
    auto stub = AccessService::NewStub(bench.Channel(0));
    std::mt19937 random(1);
    for (const auto& header : headers) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", header);
      access::v1::AccessRequest response;
      grpc::Status status = stub->CreateAccessRequest(&context, RandomAsk(random, documents),
                                                      &response);
      if (!status.ok()) {
        std::cerr << "warm-up decision failed: " << status.error_message() << "\n";
        stop_all();
        return 1;
      }
    }
  }

  // 2. Decisions, closed loop, with the CPU each process spends per decision.
  const double cpu_gateway = CpuSeconds(gateway.pid), cpu_access = CpuSeconds(access.pid),
               cpu_relations = CpuSeconds(relations.pid), cpu_bench = CpuSeconds(getpid());
  const int threads = absl::GetFlag(FLAGS_threads);
  const absl::Duration run = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::map<int, int>> outcomes(threads);
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  start = absl::Now();
  const absl::Time stop = start + run;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto stub = AccessService::NewStub(bench.Channel(t % 4));
      std::mt19937 random(100 + t);
      while (absl::Now() < stop) {
        grpc::ClientContext context;
        context.AddMetadata("authorization", headers[random() % headers.size()]);
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
        access::v1::AccessRequest response;
        const absl::Time sent = absl::Now();
        grpc::Status status =
            stub->CreateAccessRequest(&context, RandomAsk(random, documents), &response);
        latencies[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
        if (!status.ok()) {
          if (errors.fetch_add(1) < 3) std::cerr << "error: " << status.error_message() << "\n";
        } else {
          ++outcomes[t][response.decision().outcome()];
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<double> all;
  std::map<int, int> outcome_counts;
  for (int t = 0; t < threads; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    for (auto [o, n] : outcomes[t]) outcome_counts[o] += n;
  }
  std::cout << absl::StrFormat("decisions, closed loop (%d threads, %.0f s): %.0f/s, %s, %d errors\n",
                               threads, elapsed, all.size() / elapsed, Show(Summarise(all)),
                               errors.load());
  const double n = static_cast<double>(all.size());
  std::cout << absl::StrFormat(
      "  CPU per decision: gateway %.3f ms, access-service %.3f ms, relations-service %.3f ms, "
      "this client %.3f ms\n",
      1000 * (CpuSeconds(gateway.pid) - cpu_gateway) / n,
      1000 * (CpuSeconds(access.pid) - cpu_access) / n,
      1000 * (CpuSeconds(relations.pid) - cpu_relations) / n,
      1000 * (CpuSeconds(getpid()) - cpu_bench) / n);
  std::cout << "  outcomes:";
  for (auto [o, n] : outcome_counts)
    std::cout << " " << access::v1::Outcome_Name(static_cast<access::v1::Outcome>(o)) << "=" << n;
  std::cout << "\n";

  // 2b. The same, straight to access-service with the assertion the gateway
  // would attach: what the gateway's hop costs.
  {
    auto internal_key = auth::AssertionKey::FromFile(dir + "/internal.key").value();
    const std::string method = "/council.access.v1.AccessService/CreateAccessRequest";
    const std::string access_address = absl::StrCat("127.0.0.1:", access.port);
    std::vector<std::vector<double>> direct(threads);
    std::atomic<int> direct_errors{0};
    std::vector<std::thread> direct_workers;
    const absl::Time direct_start = absl::Now();
    const absl::Time direct_stop = direct_start + run;
    for (int t = 0; t < threads; ++t) {
      direct_workers.emplace_back([&, t] {
        grpc::ChannelArguments args;
        args.SetInt("grpc.use_local_subchannel_pool", 1);
        args.SetInt("bench.channel", t % 4);
        auto stub = AccessService::NewStub(
            grpc::CreateCustomChannel(access_address, grpc::InsecureChannelCredentials(), args));
        std::mt19937 random(300 + t);
        while (absl::Now() < direct_stop) {
          grpc::ClientContext context;
          const std::string& member = demo.members[random() % demo.members.size()];
          SignCall(&context, internal_key, member, {"member"}, "", method);
          context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
          access::v1::AccessRequest response;
          const absl::Time sent = absl::Now();
          grpc::Status status =
              stub->CreateAccessRequest(&context, RandomAsk(random, documents), &response);
          direct[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
          if (!status.ok() && direct_errors.fetch_add(1) < 3)
            std::cerr << "error: " << status.error_message() << "\n";
        }
      });
    }
    for (auto& w : direct_workers) w.join();
    const double direct_elapsed = absl::ToDoubleSeconds(absl::Now() - direct_start);
    std::vector<double> merged;
    for (auto& v : direct) merged.insert(merged.end(), v.begin(), v.end());
    std::cout << absl::StrFormat(
        "decisions, closed loop straight to access-service (no gateway): %.0f/s, %s, %d errors\n",
        merged.size() / direct_elapsed, Show(Summarise(merged)), direct_errors.load());
  }

  // 3. Decisions, open loop at --rate.
  {
    const int rate = absl::GetFlag(FLAGS_rate);
    auto stub = AccessService::NewStub(bench.Channel(5));
    struct Call {
      grpc::ClientContext context;
      access::v1::CreateAccessRequestRequest request;
      access::v1::AccessRequest response;
      absl::Time scheduled;
    };
    absl::Mutex mu;
    std::vector<double> open_latencies;
    std::atomic<int> in_flight{0}, open_errors{0}, dropped{0};
    std::mt19937 random(7);
    const absl::Time begin = absl::Now();
    const int total = rate * absl::GetFlag(FLAGS_seconds);
    for (int i = 0; i < total; ++i) {
      const absl::Time scheduled = begin + absl::Seconds(1) * i / rate;
      const absl::Time now = absl::Now();
      if (scheduled > now) absl::SleepFor(scheduled - now);
      if (in_flight.load() > 5000) {  // bounded: never queue without limit
        dropped.fetch_add(1);
        continue;
      }
      auto* call = new Call;
      call->request = RandomAsk(random, documents);
      call->context.AddMetadata("authorization", headers[random() % headers.size()]);
      call->context.set_deadline(absl::ToChronoTime(scheduled + absl::Seconds(10)));
      call->scheduled = scheduled;
      in_flight.fetch_add(1);
      stub->async()->CreateAccessRequest(
          &call->context, &call->request, &call->response, [&, call](grpc::Status status) {
            const double ms = absl::ToDoubleMilliseconds(absl::Now() - call->scheduled);
            if (!status.ok()) open_errors.fetch_add(1);
            {
              absl::MutexLock lock(&mu);
              open_latencies.push_back(ms);
            }
            delete call;
            in_flight.fetch_sub(1);
          });
    }
    while (in_flight.load() > 0) absl::SleepFor(absl::Milliseconds(5));
    const double open_elapsed = absl::ToDoubleSeconds(absl::Now() - begin);
    absl::MutexLock lock(&mu);
    std::cout << absl::StrFormat(
        "decisions, open loop at %d/s offered: %.0f/s completed, %s, %d errors, %d dropped\n",
        rate, open_latencies.size() / open_elapsed, Show(Summarise(open_latencies)),
        open_errors.load(), dropped.load());
  }

  // 4. What may member M see.
  {
    auto stub = AccessService::NewStub(bench.Channel(6));
    auto measure = [&](const std::string& person, access::v1::ListAccessibleDocumentsRequest request,
                       int pages, int* listed) {
      std::vector<double> ms;
      const std::string header = "Bearer " + bench.Token(person);
      for (int i = 0; i < absl::GetFlag(FLAGS_listings); ++i) {
        request.clear_page_token();
        for (int p = 0; p < pages; ++p) {
          grpc::ClientContext context;
          context.AddMetadata("authorization", header);
          access::v1::ListAccessibleDocumentsResponse response;
          const absl::Time sent = absl::Now();
          grpc::Status status = stub->ListAccessibleDocuments(&context, request, &response);
          ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
          if (!status.ok()) {
            std::cerr << "listing failed: " << status.error_message() << "\n";
            return Percentiles();
          }
          *listed = response.documents_size();
          request.set_page_token(response.next_page_token());
          if (request.page_token().empty()) break;
        }
      }
      return Summarise(ms);
    };
    access::v1::ListAccessibleDocumentsRequest first;
    first.set_page_size(100);
    int listed = 0;
    const std::string member = "people/cllr-imran-ahmed";
    Percentiles p = measure(member, first, 1, &listed);
    std::cout << "what may " << member << " see, first page of 100: " << Show(p) << " (" << listed
              << " listed)\n";
    p = measure(member, first, 10, &listed);
    std::cout << "  first 10 pages of 100, each: " << Show(p) << "\n";
    access::v1::ListAccessibleDocumentsRequest scan = first;
    scan.set_owning_service("licensing");
    scan.set_portfolio("portfolios/finance-and-resources");  // no document has both: full scan
    p = measure(member, scan, 1, &listed);
    std::cout << "  a filter no document matches (answered from the posting lists): " << Show(p)
              << " (" << listed << " listed)\n";
    // A requester granted nothing without a purpose: every document is
    // decided and none listed (the political assistant, where the profile
    // gives political assistants members' access, as Middlesbrough 12.5 does).
    {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + bench.Token("people/pa-chloe-wright"));
      access::v1::ListAccessibleDocumentsResponse probe;
      const grpc::Status status = stub->ListAccessibleDocuments(&context, first, &probe);
      if (status.ok()) {
        p = measure("people/pa-chloe-wright", first, 1, &listed);
        std::cout << "  a requester granted nothing (decides all " << documents
                  << " documents): " << Show(p) << " (" << listed << " listed)\n";
      } else {
        std::cout << "  a requester granted nothing: not measured under this profile ("
                  << status.error_code() << " " << status.error_message() << ")\n";
      }
    }
    access::v1::ListAccessibleDocumentsRequest purpose = first;
    purpose.set_purpose("Casework for a constituent.");
    p = measure("people/cllr-sophie-wright", purpose, 1, &listed);
    std::cout << "  another member with a stated purpose, first page: " << Show(p) << " ("
              << listed << " listed)\n";
  }

  stop_all();
  return 0;
}

}  // namespace
}  // namespace council::bench

int main(int argc, char** argv) {
  council::TuneProcess();
  absl::ParseCommandLine(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  return council::bench::Main();
}
