// complaints_bench — measures complaints-service against issue 6's figures,
// on loopback, with the real binary and a real SQLite file:
//   * durable complaint creation: --threads closed-loop clients file
//     complaints for --seconds; each acknowledgement means the complaint (its
//     route, deadlines, outbox event and audit entry) is committed and fsynced;
//   * acknowledged = survives kill -9: clients file for ~2 s, the service is
//     killed with SIGKILL mid-stream, restarted on the same file, and every
//     acknowledged complaint is read back;
//   * one sweep over --open open complaints (filed oldest first over the last
//     30 calendar days, so their limits fall due across the month): the
//     catch-up sweep
//     (every limit already passed reported at once) and the daily sweep that
//     follows (the steps falling due or passing that day);
//   * an automatic escalation on the watch stream: a watcher streams from the
//     outbox while a sweep escalates complaints whose limit says "escalate";
//     the time from the sweep's start to the first ESCALATED event.
//
// relations-service is replaced by a fake in this process that answers every
// directory question at once, so the figures are complaints-service's own
// (routing still asks it about 8 questions per filing). Calls go straight to
// complaints-service with internal assertions signed as the gateway would;
// the gateway's own cost is measured by its benchmarks. Every phase is
// bounded by time or count. Usage (from the repository root):
//   build/bench/complaints_bench [--open=100000] [--seconds=10] [--threads=32]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/server/process_tuning.h"
#include "common/auth/internal_assertion.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

ABSL_FLAG(int, open, 100000, "Open complaints for the sweep measurement.");
ABSL_FLAG(int, seconds, 10, "Length of the creation-throughput run.");
ABSL_FLAG(int, threads, 32, "Closed-loop client threads.");
ABSL_FLAG(int, escalating, 20, "Complaints that escalate automatically in the watch measurement.");
ABSL_FLAG(std::string, build_dir, COUNCIL_BINARY_DIR, "Where the binaries are.");
ABSL_FLAG(std::string, source_dir, COUNCIL_SOURCE_DIR, "The repository (profiles).");
ABSL_FLAG(bool, keep, false, "Keep the temporary directory (database, logs).");

namespace council::bench {
namespace {

using complaints::v1::ComplaintsService;
using relations::v1::RelationsService;

constexpr char kService[] = "council.complaints.v1.ComplaintsService";
constexpr int kOfficers = 200;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "complaints_bench: " << message << std::endl;
  std::exit(1);
}

// --- a relations-service that answers at once ---------------------------------

class FakeRelations final : public RelationsService::Service {
 public:
  grpc::Status GetPerson(grpc::ServerContext*, const relations::v1::GetPersonRequest* request,
                         relations::v1::Person* response) override {
    const std::string& name = request->name();
    response->set_name(name);
    if (absl::StartsWith(name, "people/cllr-")) {
      response->set_kind(relations::v1::PERSON_KIND_MEMBER);
      response->set_party_group("groups/bench");
    } else if (absl::StartsWith(name, "people/off-")) {
      response->set_kind(relations::v1::PERSON_KIND_OFFICER);
    } else {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, name);
    }
    return grpc::Status::OK;
  }
  grpc::Status GetManagementChain(grpc::ServerContext*,
                                  const relations::v1::GetManagementChainRequest* request,
                                  relations::v1::GetManagementChainResponse* response) override {
    auto link = [](relations::v1::ChainLink* l, const char* post, const char* holder) {
      l->set_post(post);
      l->set_title(post);
      l->set_holder(holder);
    };
    const std::string& person = request->person();
    if (person == "people/off-chief") {
      link(response->mutable_post(), "posts/chief-executive", "people/off-chief");
      link(response->mutable_chief_officer(), "posts/chief-executive", "people/off-chief");
      return grpc::Status::OK;
    }
    if (person == "people/off-director") {
      link(response->mutable_post(), "posts/director", "people/off-director");
    } else if (person == "people/off-manager") {
      link(response->mutable_post(), "posts/manager", "people/off-manager");
      link(response->add_chain(), "posts/director", "people/off-director");
    } else {
      link(response->mutable_post(), "posts/officer", person.c_str());
      link(response->add_chain(), "posts/manager", "people/off-manager");
      link(response->add_chain(), "posts/director", "people/off-director");
    }
    link(response->add_chain(), "posts/chief-executive", "people/off-chief");
    link(response->mutable_chief_officer(), "posts/director", "people/off-director");
    return grpc::Status::OK;
  }
  grpc::Status GetDesignation(grpc::ServerContext*,
                              const relations::v1::GetDesignationRequest* request,
                              relations::v1::Designation* response) override {
    response->set_name(request->name());
    auto* tenure = response->add_tenures();
    tenure->set_person(request->name() == "designations/head-of-paid-service"
                           ? "people/off-chief"
                           : "people/off-legal");
    tenure->mutable_start_date()->set_year(2000);
    tenure->mutable_start_date()->set_month(1);
    tenure->mutable_start_date()->set_day(1);
    return grpc::Status::OK;
  }
  grpc::Status GetActingHolder(grpc::ServerContext*,
                               const relations::v1::GetActingHolderRequest* request,
                               relations::v1::ActingHolder* response) override {
    response->set_person(request->designation() == "designations/head-of-paid-service"
                             ? "people/off-chief"
                             : "people/off-legal");
    response->set_designation(request->designation());
    return grpc::Status::OK;
  }
  grpc::Status CheckConflict(grpc::ServerContext*, const relations::v1::CheckConflictRequest* r,
                             relations::v1::CheckConflictResponse* response) override {
    response->set_conflicted(r->person() == r->other_person());
    return grpc::Status::OK;
  }
  grpc::Status ListPartyGroups(grpc::ServerContext*, const relations::v1::ListPartyGroupsRequest*,
                               relations::v1::ListPartyGroupsResponse* response) override {
    auto* group = response->add_party_groups();
    group->set_name("groups/bench");
    group->set_leader("people/cllr-leader");
    group->set_whip("people/cllr-whip");
    return grpc::Status::OK;
  }
  grpc::Status GetPost(grpc::ServerContext*, const relations::v1::GetPostRequest* request,
                       relations::v1::Post* response) override {
    response->set_name(request->name());
    response->set_chief_officer(request->name() != "posts/officer" &&
                                request->name() != "posts/manager");
    return grpc::Status::OK;
  }
};

// --- the service under test -----------------------------------------------------

struct Process {
  pid_t pid = -1;
  int port = 0;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Process Launch(const std::string& dir, int relations_port) {
  const std::string port_file = dir + "/complaints.port";
  std::remove(port_file.c_str());
  std::vector<std::string> args = {
      absl::StrCat(absl::GetFlag(FLAGS_build_dir), "/complaints-service/complaints-service"),
      "--listen=127.0.0.1:0",
      "--port_file=" + port_file,
      "--database=" + dir + "/complaints.db",
      "--profile=" + dir + "/bench-profile.textproto",
      "--internal_key_file=" + dir + "/internal.key",
      absl::StrCat("--relations_address=127.0.0.1:", relations_port),
      "--sweep_interval_seconds=0",
  };
  const std::string log = dir + "/complaints-service.log";
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    FILE* out = std::fopen(log.c_str(), "a");
    if (out != nullptr) {
      dup2(fileno(out), STDOUT_FILENO);
      dup2(fileno(out), STDERR_FILENO);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    const std::string content = ReadFile(port_file);
    if (!content.empty()) return Process{pid, std::atoi(content.c_str())};
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) Die("complaints-service exited:\n" + ReadFile(log));
    absl::SleepFor(absl::Milliseconds(20));
  }
  Die("complaints-service did not start:\n" + ReadFile(log));
}

void Stop(Process* p, int signal) {
  if (p->pid <= 0) return;
  kill(p->pid, signal);
  int status = 0;
  waitpid(p->pid, &status, 0);
  p->pid = -1;
}

// The South Somerset profile, plus (for the watch measurement) an officer's
// complaint whose first stage must respond within 2 working days or escalate.
void WriteProfile(const std::string& dir) {
  auto shipped = LoadProfile(
      absl::StrCat(absl::GetFlag(FLAGS_source_dir), "/profiles/south-somerset.textproto"));
  if (!shipped.ok()) Die(std::string(shipped.status().message()));
  profile::v1::CouncilProfile profile = **shipped;
  profile.set_id("bench");
  for (auto& route : *profile.mutable_complaints()->mutable_routes()) {
    if (route.kind() != profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER) continue;
    auto* stage = route.mutable_stages(0);
    stage->mutable_respond()->set_working_days(2);
    stage->mutable_respond()->mutable_clause()->set_clause("Bench rule");
    stage->set_on_missed_limit(profile::v1::MISSED_LIMIT_ACTION_ESCALATE);
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(profile, &text);
  std::ofstream(dir + "/bench-profile.textproto") << text;
}

class Client {
 public:
  Client(int port, const auth::AssertionKey* key)
      : stub_(ComplaintsService::NewStub(grpc::CreateChannel(
            absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()))),
        key_(key) {}

  void Sign(grpc::ClientContext* context, const std::string& person, const char* method,
            std::vector<std::string> roles = {}) const {
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
    SignCall(context, *key_, person, roles, "", FullMethodName(kService, method));
  }

  grpc::Status Create(const std::string& complainant, const std::string& subject,
                      absl::CivilDay filed, complaints::v1::Complaint* out) const {
    grpc::ClientContext context;
    Sign(&context, complainant, "CreateComplaint", {"member"});
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(subject);
    request.mutable_complaint()->set_summary("Benchmark complaint: an officer's reply was late.");
    *request.mutable_complaint()->mutable_filed_date() = ToProtoDate(filed);
    return stub_->CreateComplaint(&context, request, out);
  }

  ComplaintsService::Stub* stub() const { return stub_.get(); }

 private:
  std::unique_ptr<ComplaintsService::Stub> stub_;
  const auth::AssertionKey* key_;
};

struct Created {
  absl::Mutex mu;
  std::vector<std::pair<std::string, std::string>> names;  // (name, complainant)
  std::vector<absl::Duration> latencies;
  int errors = 0;
};

// Files complaints from `threads` clients until `stop` or `count` reached.
void FileComplaints(const Client& client, int threads, absl::Time until, int count,
                    absl::CivilDay today, int spread_days, std::atomic<bool>* stop,
                    Created* created) {
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!stop->load() && absl::Now() < until) {
        const int i = next.fetch_add(1);
        if (count > 0 && i >= count) break;
        const std::string complainant = absl::StrCat("people/cllr-", t % 8);
        const std::string subject = absl::StrCat("people/off-", i % kOfficers);
        // Oldest first, as complaints arrive: ids (which sort by filing time)
        // follow the filing date, as they do in real use.
        const absl::CivilDay filed =
            spread_days > 0 && count > 0
                ? today - (spread_days - 1) +
                      static_cast<int>(static_cast<int64_t>(i) * spread_days / count)
                : today;
        complaints::v1::Complaint complaint;
        const absl::Time start = absl::Now();
        grpc::Status status = client.Create(complainant, subject, filed, &complaint);
        const absl::Duration latency = absl::Now() - start;
        absl::MutexLock lock(&created->mu);
        if (status.ok()) {
          created->names.emplace_back(complaint.name(), complainant);
          created->latencies.push_back(latency);
        } else {
          ++created->errors;
          if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return;  // killed
          if (created->errors < 5) std::cerr << "  create failed: " << status.error_message() << "\n";
        }
      }
    });
  }
  for (auto& w : workers) w.join();
}

std::string Ms(absl::Duration d) { return absl::StrFormat("%.1f ms", absl::ToDoubleMilliseconds(d)); }

absl::Duration Percentile(std::vector<absl::Duration> v, double p) {
  if (v.empty()) return absl::ZeroDuration();
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

complaints::v1::RunSweepResponse Sweep(const Client& client, absl::CivilDay day,
                                       absl::Duration* wall) {
  grpc::ClientContext context;
  client.Sign(&context, "people/it-admin", "RunSweep", {"administrator"});
  complaints::v1::RunSweepRequest request;
  *request.mutable_as_of() = ToProtoDate(day);
  complaints::v1::RunSweepResponse response;
  const absl::Time start = absl::Now();
  grpc::Status status = client.stub()->RunSweep(&context, request, &response);
  *wall = absl::Now() - start;
  if (!status.ok()) Die("RunSweep: " + status.error_message());
  return response;
}

std::string Describe(const complaints::v1::RunSweepResponse& r, absl::Duration wall) {
  return absl::StrFormat(
      "%d steps examined, %d due today, %d missed warned, %d escalated; service %s, RPC %s",
      r.steps_examined(), r.due_reminders(), r.missed_warnings(), r.escalations(),
      Ms(absl::Nanoseconds(google::protobuf::util::TimeUtil::DurationToNanoseconds(r.duration()))),
      Ms(wall));
}

int Run() {
  char tmpl[] = "/tmp/complaints-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const std::string dir = tmpl;
  std::ofstream(dir + "/internal.key") << auth::AssertionKey::GenerateSecretHex() << "\n";
  auto key = auth::AssertionKey::FromFile(dir + "/internal.key");
  if (!key.ok()) Die(std::string(key.status().message()));
  WriteProfile(dir);

  FakeRelations relations;
  int relations_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &relations_port);
  builder.RegisterService(&relations);
  auto relations_server = builder.BuildAndStart();
  if (relations_server == nullptr) Die("cannot start the fake relations-service");

  const absl::CivilDay today = TodayInLondon();
  const int threads = absl::GetFlag(FLAGS_threads);
  std::cout << "complaints_bench: " << threads << " client threads, loopback, database in " << dir
            << "\n";

  // 1. Durable creation throughput.
  Process service = Launch(dir, relations_port);
  {
    Client client(service.port, &*key);
    Created created;
    std::atomic<bool> stop{false};
    const absl::Time start = absl::Now();
    FileComplaints(client, threads, start + absl::Seconds(absl::GetFlag(FLAGS_seconds)), 0, today,
                   0, &stop, &created);
    const absl::Duration elapsed = absl::Now() - start;
    std::cout << absl::StrFormat(
        "creation: %zu complaints in %.2f s = %.0f/s acknowledged (p50 %s, p99 %s, %d errors)\n",
        created.names.size(), absl::ToDoubleSeconds(elapsed),
        created.names.size() / absl::ToDoubleSeconds(elapsed), Ms(Percentile(created.latencies, 0.5)),
        Ms(Percentile(created.latencies, 0.99)), created.errors);
  }

  // 2. Acknowledged = survives kill -9.
  {
    Client client(service.port, &*key);
    Created created;
    std::atomic<bool> stop{false};
    std::thread filer([&] {
      FileComplaints(client, threads, absl::Now() + absl::Seconds(30), 0, today, 0, &stop,
                     &created);
    });
    absl::SleepFor(absl::Seconds(2));
    Stop(&service, SIGKILL);
    stop = true;
    filer.join();
    service = Launch(dir, relations_port);
    Client after(service.port, &*key);
    int missing = 0;
    for (const auto& [name, complainant] : created.names) {
      grpc::ClientContext context;
      after.Sign(&context, complainant, "GetComplaint", {"member"});
      complaints::v1::GetComplaintRequest request;
      request.set_name(name);
      complaints::v1::Complaint read;
      if (!after.stub()->GetComplaint(&context, request, &read).ok()) ++missing;
    }
    std::cout << absl::StrFormat(
        "kill -9: %zu complaints acknowledged before SIGKILL, %d missing after restart\n",
        created.names.size(), missing);
  }

  // 3. Sweeps over --open open complaints filed over the last 30 days.
  {
    Client client(service.port, &*key);
    Created created;
    std::atomic<bool> stop{false};
    const int open = absl::GetFlag(FLAGS_open);
    const absl::Time start = absl::Now();
    // The service counts what is already open from phases 1-2 too; top up.
    FileComplaints(client, threads, absl::InfiniteFuture(), open, today, 30, &stop, &created);
    std::cout << absl::StrFormat("seeded %zu complaints in %.1f s (%.0f/s)\n", created.names.size(),
                                 absl::ToDoubleSeconds(absl::Now() - start),
                                 created.names.size() /
                                     absl::ToDoubleSeconds(absl::Now() - start));
    absl::Duration wall;
    auto catch_up = Sweep(client, today - 1, &wall);
    std::cout << "catch-up sweep (as of yesterday, first ever): " << Describe(catch_up, wall)
              << "\n";
    auto daily = Sweep(client, today, &wall);
    std::cout << "daily sweep (as of today): " << Describe(daily, wall) << "\n";
    auto idle = Sweep(client, today, &wall);
    std::cout << "repeat sweep (nothing new): " << Describe(idle, wall) << "\n";
  }

  // 4. An automatic escalation on the watch stream.
  {
    Client client(service.port, &*key);
    const int escalating = absl::GetFlag(FLAGS_escalating);
    // Officers' complaints filed 10 days ago: their 2-day limit has passed.
    for (int i = 0; i < escalating; ++i) {
      grpc::ClientContext context;
      client.Sign(&context, absl::StrCat("people/off-", i), "CreateComplaint", {"officer"});
      complaints::v1::CreateComplaintRequest request;
      request.mutable_complaint()->set_subject(absl::StrCat("people/cllr-", i % 8));
      request.mutable_complaint()->set_summary("Benchmark: a member's email to an officer.");
      *request.mutable_complaint()->mutable_filed_date() = ToProtoDate(today - 10);
      complaints::v1::Complaint out;
      grpc::Status status = client.stub()->CreateComplaint(&context, request, &out);
      if (!status.ok()) Die("officer complaint: " + status.error_message());
    }
    grpc::ClientContext watch_context;
    client.Sign(&watch_context, "people/it-admin", "WatchComplaintEvents", {"administrator"});
    watch_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    complaints::v1::WatchComplaintEventsRequest watch;
    // Resume from the current end of the outbox, as a tool that is up to date.
    {
      absl::Duration ignored;
      auto now = Sweep(client, today, &ignored);  // settle anything else first
      watch.set_after_position(now.last_position());
    }
    // The settle sweep above escalated them already if it ran first; so file
    // a fresh batch now for the measurement proper.
    for (int i = 0; i < escalating; ++i) {
      grpc::ClientContext context;
      client.Sign(&context, absl::StrCat("people/off-", 100 + i), "CreateComplaint", {"officer"});
      complaints::v1::CreateComplaintRequest request;
      request.mutable_complaint()->set_subject(absl::StrCat("people/cllr-", i % 8));
      request.mutable_complaint()->set_summary("Benchmark: a member's email to an officer.");
      *request.mutable_complaint()->mutable_filed_date() = ToProtoDate(today - 10);
      complaints::v1::Complaint out;
      grpc::Status status = client.stub()->CreateComplaint(&context, request, &out);
      if (!status.ok()) Die("officer complaint: " + status.error_message());
    }
    auto reader = client.stub()->WatchComplaintEvents(&watch_context, watch);
    // Drain the FILED events of the fresh batch first.
    complaints::v1::ComplaintEvent event;
    for (int drained = 0; drained < escalating && reader->Read(&event);)
      if (event.type() == complaints::v1::COMPLAINT_EVENT_TYPE_FILED) ++drained;
    absl::Time sweep_start, sweep_end;
    complaints::v1::RunSweepResponse swept;
    std::thread sweeper([&] {
      absl::Duration wall;
      sweep_start = absl::Now();
      swept = Sweep(client, today, &wall);
      sweep_end = absl::Now();
    });
    absl::Time first, last;
    int seen = 0;
    while (seen < escalating && reader->Read(&event)) {
      if (event.type() != complaints::v1::COMPLAINT_EVENT_TYPE_ESCALATED) continue;
      if (seen++ == 0) first = absl::Now();
      last = absl::Now();
    }
    sweeper.join();
    watch_context.TryCancel();
    std::cout << absl::StrFormat(
        "watch: %d escalations by one sweep (%d escalated); first ESCALATED event %s after the "
        "sweep started, last %s after; the sweep RPC took %s\n",
        seen, swept.escalations(), Ms(first - sweep_start), Ms(last - sweep_start),
        Ms(sweep_end - sweep_start));
  }

  Stop(&service, SIGTERM);
  relations_server->Shutdown();
  if (!absl::GetFlag(FLAGS_keep)) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace council::bench

int main(int argc, char** argv) {
  council::TuneProcess();
  absl::ParseCommandLine(argc, argv);
  return council::bench::Run();
}
