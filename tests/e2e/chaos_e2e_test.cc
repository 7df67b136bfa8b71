// Chaos, end to end (issue 16): the four real binaries, a bounded write load
// through the gateway, and every backend stopped and started again in turn
// (SIGTERM and SIGKILL, 10 times each), then relations-service 20 times in
// quick succession. The gateway never exits; while a backend is down callers
// see only UNAVAILABLE or DEADLINE_EXCEEDED with an ErrorInfo of the suite's
// domain; calls succeed again within 1 s of the backend's return (Restart
// returns once it listens); every write that was acknowledged is readable
// afterwards.
//
// Prints "chaos: ..." lines whose figures BENCHMARKS.md records.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/common/v1/common.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using access::v1::AccessService;
using complaints::v1::ComplaintsService;
using relations::v1::RelationsService;

// Demo people (demo/README.md).
constexpr char kAdmin[] = "people/it-admin";                 // officer, administrator
constexpr char kMember[] = "people/cllr-sophie-wright";       // files the complaints
constexpr char kPlanningOfficer[] = "people/off-matthew-barker";  // ... about this officer
constexpr char kDirectorOfPlace[] = "people/off-tunde-okoro";  // holds the documents
constexpr char kRetailParkPaper[] = "documents/rec-000010";

constexpr char kDomain[] = "council.gov.uk";
constexpr char kGateway[] = "gateway";
const std::vector<std::string>& Backends() {
  static const auto* backends = new std::vector<std::string>{
      "relations-service", "access-service", "complaints-service"};
  return *backends;
}

std::string FullServiceName(const std::string& backend) {
  if (backend == "relations-service") return RelationsService::service_full_name();
  if (backend == "access-service") return AccessService::service_full_name();
  return ComplaintsService::service_full_name();
}

// Every call's deadline: long enough that a backend outage (refused at once)
// is answered by the gateway, not cut short by the client's own timer.
constexpr absl::Duration kCallDeadline = absl::Seconds(5);
// Writes per second of the background load (all three backends together),
// and the most it makes in all.
constexpr int kWritesPerSecond = 15;
constexpr int kMaxWrites = 4000;
// Restarts per backend (alternately SIGTERM and SIGKILL: 10 of each), and
// the quick ones of relations-service.
constexpr int kCyclesPerBackend = 20;
constexpr int kQuickRelationsRestarts = 20;
// How soon after Restart returns a call must succeed again.
constexpr absl::Duration kRecoveryBound = absl::Seconds(1);

// --- What callers saw ------------------------------------------------------------

struct ErrorInfoSeen {
  bool present = false;
  std::string reason;
  std::string domain;
  std::string service;
};

ErrorInfoSeen ErrorInfoOf(const grpc::Status& status) {
  ErrorInfoSeen seen;
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details()))
    return seen;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    seen.present = true;
    seen.reason = info.reason();
    seen.domain = info.domain();
    auto it = info.metadata().find("service");
    if (it != info.metadata().end()) seen.service = it->second;
    break;
  }
  return seen;
}

// The ledger of every call the test made through the gateway while backends
// came and went: acknowledged writes, and every failure by code and reason.
class Ledger {
 public:
  struct Write {
    std::string backend;
    std::string name;  // the resource the acknowledgement named
  };

  // What the chaos is doing now ("access-service cycle 3: SIGKILL"), for
  // the report of any unexpected failure.
  void SetPhase(const std::string& phase) {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = phase;
  }

  void Acknowledged(const std::string& backend, const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    acknowledged_.push_back({backend, name});
  }

  // Records a write that failed with `code`, whose resource would be `name`.
  void Unacknowledged(const std::string& backend, const std::string& name,
                      grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    unacknowledged_.push_back({{backend, name}, code});
  }
  std::vector<std::pair<Write, grpc::StatusCode>> unacknowledged() const {
    std::lock_guard<std::mutex> lock(mu_);
    return unacknowledged_;
  }

  // Records a failed call; `deadline` is the call's own deadline. Returns true
  // if the failure is one callers may see during an outage.
  bool Failed(const std::string& what, const grpc::Status& status, absl::Time deadline) {
    const ErrorInfoSeen info = ErrorInfoOf(status);
    const grpc::StatusCode code = status.error_code();
    const bool outage_code =
        code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED;
    // A deadline that passed on the client's own clock is answered by the
    // client's gRPC library, which has no ErrorInfo to give.
    const bool client_deadline = code == grpc::StatusCode::DEADLINE_EXCEEDED && !info.present &&
                                 absl::Now() >= deadline - absl::Milliseconds(50);
    const bool acceptable =
        outage_code && ((info.present && info.domain == kDomain) || client_deadline);
    const std::string line =
        absl::StrCat(what, ": ", StatusCodeName(code), " reason=\"", info.reason, "\" domain=\"",
                     info.domain, "\" service=\"", info.service, "\" message=\"",
                     status.error_message().substr(0, 300), "\"");
    std::lock_guard<std::mutex> lock(mu_);
    ++failures_[absl::StrCat(StatusCodeName(code), "/",
                             info.present ? info.reason : std::string("no ErrorInfo"))];
    if (client_deadline) ++client_deadlines_;
    if (acceptable) return true;
    if (bad_.size() < 50) bad_.push_back(absl::StrCat(line, " (during ", phase_, ")"));
    ++bad_count_;
    return false;
  }

  static std::string StatusCodeName(grpc::StatusCode code) {
    static const std::map<int, std::string> names = {
        {0, "OK"},
        {1, "CANCELLED"},
        {2, "UNKNOWN"},
        {3, "INVALID_ARGUMENT"},
        {4, "DEADLINE_EXCEEDED"},
        {5, "NOT_FOUND"},
        {6, "ALREADY_EXISTS"},
        {7, "PERMISSION_DENIED"},
        {8, "RESOURCE_EXHAUSTED"},
        {9, "FAILED_PRECONDITION"},
        {10, "ABORTED"},
        {11, "OUT_OF_RANGE"},
        {12, "UNIMPLEMENTED"},
        {13, "INTERNAL"},
        {14, "UNAVAILABLE"},
        {15, "DATA_LOSS"},
        {16, "UNAUTHENTICATED"}};
    auto it = names.find(static_cast<int>(code));
    return it == names.end() ? absl::StrCat("CODE_", static_cast<int>(code)) : it->second;
  }

  std::vector<Write> acknowledged() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acknowledged_;
  }
  std::map<std::string, int> failures() const {
    std::lock_guard<std::mutex> lock(mu_);
    return failures_;
  }
  std::vector<std::string> bad() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_;
  }
  int bad_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_count_;
  }
  int client_deadlines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return client_deadlines_;
  }

 private:
  mutable std::mutex mu_;
  std::string phase_ = "start";
  std::vector<Write> acknowledged_;
  std::vector<std::pair<Write, grpc::StatusCode>> unacknowledged_;
  std::map<std::string, int> failures_;  // "CODE/reason" -> count
  std::vector<std::string> bad_;         // failures callers must never see
  int bad_count_ = 0;
  int client_deadlines_ = 0;
};

// --- Calls through the gateway ----------------------------------------------------

class Caller {
 public:
  Caller(const Suite& suite, std::shared_ptr<grpc::Channel> channel)
      : relations_(RelationsService::NewStub(channel)),
        access_(AccessService::NewStub(channel)),
        complaints_(ComplaintsService::NewStub(channel)),
        admin_token_(suite.TokenFor(kAdmin)),
        member_token_(suite.TokenFor(kMember)) {}

  // The three writes of the load; each fills `name` with what was created.
  grpc::Status CreatePerson(int n, absl::Time deadline, std::string* name) {
    grpc::ClientContext context;
    Prepare(&context, admin_token_, deadline);
    relations::v1::CreatePersonRequest request;
    request.set_person_id(absl::StrCat("chaos-officer-", n));
    request.mutable_person()->set_display_name(absl::StrCat("Chaos Officer ", n));
    request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
    *request.mutable_person()->mutable_start_date() = ToProtoDate(absl::CivilDay(2026, 1, 5));
    relations::v1::Person person;
    grpc::Status status = relations_->CreatePerson(&context, request, &person);
    *name = person.name();
    return status;
  }
  grpc::Status CreateDocument(int n, absl::Time deadline, std::string* name) {
    grpc::ClientContext context;
    Prepare(&context, admin_token_, deadline);
    access::v1::CreateDocumentRequest request;
    request.set_document_id(absl::StrCat("chaos-doc-", n));
    access::v1::Document* document = request.mutable_document();
    document->set_title(absl::StrCat("Chaos test report ", n));
    document->set_owning_service("planning");
    document->set_holding_chief_officer(kDirectorOfPlace);
    document->set_status(access::v1::DOCUMENT_STATUS_OPEN);
    access::v1::Document created;
    grpc::Status status = access_->CreateDocument(&context, request, &created);
    *name = created.name();
    return status;
  }
  grpc::Status CreateComplaint(int n, absl::Time deadline, std::string* name) {
    grpc::ClientContext context;
    Prepare(&context, member_token_, deadline);
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(kPlanningOfficer);
    request.mutable_complaint()->set_summary(
        absl::StrCat("Chaos test complaint ", n, ": a dismissive reply to a constituent."));
    complaints::v1::Complaint complaint;
    grpc::Status status = complaints_->CreateComplaint(&context, request, &complaint);
    *name = complaint.name();
    return status;
  }

  // A read that reaches `backend` (for recovery and read-back checks).
  grpc::Status Probe(const std::string& backend, absl::Time deadline) {
    grpc::ClientContext context;
    Prepare(&context, admin_token_, deadline);
    if (backend == "relations-service") {
      relations::v1::GetPersonRequest request;
      request.set_name(kAdmin);
      relations::v1::Person person;
      return relations_->GetPerson(&context, request, &person);
    }
    if (backend == "access-service") {
      access::v1::GetDocumentRequest request;
      request.set_name(kRetailParkPaper);
      access::v1::Document document;
      return access_->GetDocument(&context, request, &document);
    }
    complaints::v1::ListComplaintsRequest request;
    request.set_page_size(1);
    complaints::v1::ListComplaintsResponse response;
    return complaints_->ListComplaints(&context, request, &response);
  }

  // Reads back an acknowledged write.
  grpc::Status Read(const Ledger::Write& write, absl::Time deadline) {
    grpc::ClientContext context;
    if (write.backend == "relations-service") {
      Prepare(&context, admin_token_, deadline);
      relations::v1::GetPersonRequest request;
      request.set_name(write.name);
      relations::v1::Person person;
      grpc::Status status = relations_->GetPerson(&context, request, &person);
      if (status.ok() && person.name() != write.name)
        return grpc::Status(grpc::StatusCode::DATA_LOSS, "another person came back");
      return status;
    }
    if (write.backend == "access-service") {
      Prepare(&context, admin_token_, deadline);
      access::v1::GetDocumentRequest request;
      request.set_name(write.name);
      access::v1::Document document;
      grpc::Status status = access_->GetDocument(&context, request, &document);
      if (status.ok() && document.name() != write.name)
        return grpc::Status(grpc::StatusCode::DATA_LOSS, "another document came back");
      return status;
    }
    Prepare(&context, member_token_, deadline);
    complaints::v1::GetComplaintRequest request;
    request.set_name(write.name);
    complaints::v1::Complaint complaint;
    grpc::Status status = complaints_->GetComplaint(&context, request, &complaint);
    if (status.ok() && complaint.name() != write.name)
      return grpc::Status(grpc::StatusCode::DATA_LOSS, "another complaint came back");
    return status;
  }

 private:
  static void Prepare(grpc::ClientContext* context, const std::string& token,
                      absl::Time deadline) {
    context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(absl::ToChronoTime(deadline));
  }

  std::unique_ptr<RelationsService::Stub> relations_;
  std::unique_ptr<AccessService::Stub> access_;
  std::unique_ptr<ComplaintsService::Stub> complaints_;
  std::string admin_token_;
  std::string member_token_;
};

// The background write load: one write every 1/kWritesPerSecond s, to each
// backend in turn, until told to stop (or kMaxWrites).
class WriteLoad {
 public:
  WriteLoad(Caller* caller, Ledger* ledger) : caller_(caller), ledger_(ledger) {}
  ~WriteLoad() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int writes() const { return writes_; }

 private:
  void Run() {
    const absl::Duration period = absl::Seconds(1) / kWritesPerSecond;
    absl::Time next = absl::Now();
    for (int n = 0; n < kMaxWrites && !stop_; ++n) {
      const std::string& backend = Backends()[n % Backends().size()];
      const absl::Time deadline = absl::Now() + kCallDeadline;
      std::string name;
      grpc::Status status;
      if (backend == "relations-service") {
        status = caller_->CreatePerson(n, deadline, &name);
      } else if (backend == "access-service") {
        status = caller_->CreateDocument(n, deadline, &name);
      } else {
        status = caller_->CreateComplaint(n, deadline, &name);
      }
      ++writes_;
      if (status.ok()) {
        ledger_->Acknowledged(backend, name);
      } else {
        ledger_->Failed(absl::StrCat("write ", n, " to ", backend), status, deadline);
        // Whether a refused write was made after all is looked up at the end
        // (complaints get their names from the service: not known here).
        if (backend == "relations-service")
          ledger_->Unacknowledged(backend, absl::StrCat("people/chaos-officer-", n),
                                  status.error_code());
        if (backend == "access-service")
          ledger_->Unacknowledged(backend, absl::StrCat("documents/chaos-doc-", n),
                                  status.error_code());
      }
      next += period;
      const absl::Time now = absl::Now();
      if (next > now) {
        absl::SleepFor(next - now);
      } else {
        next = now;  // behind (a slow call): no burst to catch up
      }
    }
  }

  Caller* caller_;
  Ledger* ledger_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> writes_{0};
};

std::string Tail(const std::string& path, size_t bytes = 3000) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string all = buffer.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

std::string Millis(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); }

class ChaosE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    SuiteOptions options;
    // The recovery probes call every 10 ms on top of the load, all as two
    // callers: well above the default per-caller limit of 50/s.
    options.gateway_flags = {"--rate_limit_per_second=100000", "--rate_limit_burst=100000"};
    suite_ = Suite::Start("south-somerset", options);
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
    channel_ = suite_->GatewayChannel();
    caller_ = std::make_unique<Caller>(*suite_, channel_);
  }

  // Takes `backend` down (SIGTERM or SIGKILL), checks what a caller is told
  // while it is down, waits `outage`, starts it again and returns how long
  // after Restart returned a call to it first succeeded.
  absl::Duration Cycle(const std::string& backend, bool sigkill, absl::Duration outage,
                       const std::string& label) {
    const absl::Time down = absl::Now();
    ledger_.SetPhase(absl::StrCat(label, ": ", sigkill ? "SIGKILL" : "SIGTERM, stopping"));
    if (sigkill) {
      suite_->Kill9(backend);
      ++sigkills_;
    } else {
      const int exit_status = suite_->Stop(backend);
      EXPECT_EQ(exit_status, 0) << label << ": " << backend << " did not stop cleanly on SIGTERM";
      ++sigterms_;
    }
    ledger_.SetPhase(absl::StrCat(label, ": down"));
    // While it is down: UNAVAILABLE naming the service, never an address.
    {
      const absl::Time deadline = absl::Now() + kCallDeadline;
      const grpc::Status status = caller_->Probe(backend, deadline);
      EXPECT_FALSE(status.ok()) << label << ": a call to a stopped " << backend << " succeeded";
      if (!status.ok()) {
        EXPECT_TRUE(ledger_.Failed(absl::StrCat(label, " outage probe"), status, deadline));
        if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
          const ErrorInfoSeen info = ErrorInfoOf(status);
          EXPECT_EQ(info.reason, "ERROR_REASON_BACKEND_UNAVAILABLE") << label;
          EXPECT_EQ(info.service, FullServiceName(backend)) << label;
          EXPECT_EQ(status.error_message().find("127.0.0.1"), std::string::npos)
              << label << ": " << status.error_message();
        }
      }
    }
    const absl::Duration left = outage - (absl::Now() - down);
    if (left > absl::ZeroDuration()) absl::SleepFor(left);
    ledger_.SetPhase(absl::StrCat(label, ": restarting"));
    suite_->Restart(backend);
    const absl::Time back = absl::Now();
    ledger_.SetPhase(absl::StrCat(label, ": listening again"));
    while (absl::Now() - back < absl::Seconds(10)) {
      const absl::Time deadline = absl::Now() + absl::Seconds(1);
      const grpc::Status status = caller_->Probe(backend, deadline);
      if (status.ok()) {
        const absl::Duration recovery = absl::Now() - back;
        ledger_.SetPhase(absl::StrCat(label, ": serving again"));
        recoveries_[backend].push_back(recovery);
        all_recoveries_.push_back(recovery);
        return recovery;
      }
      ledger_.Failed(absl::StrCat(label, " recovery probe"), status, deadline);
      absl::SleepFor(absl::Milliseconds(10));
    }
    ADD_FAILURE() << label << ": " << backend << " not serving through the gateway 10 s after "
                  << "its restart";
    return absl::InfiniteDuration();
  }

  // ASSERTs in a helper: the caller checks HasFatalFailure.
  void ExpectGatewayAlive(const std::string& label) {
    ASSERT_TRUE(suite_->IsRunning(kGateway))
        << label << ": the gateway exited with status " << suite_->ExitStatus(kGateway)
        << "; its log ends:\n"
        << Tail(suite_->dir() + "/gateway.log");
  }

  std::unique_ptr<Suite> suite_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Caller> caller_;
  Ledger ledger_;
  int sigterms_ = 0;
  int sigkills_ = 0;
  std::map<std::string, std::vector<absl::Duration>> recoveries_;
  std::vector<absl::Duration> all_recoveries_;
};

std::string Distribution(std::vector<absl::Duration> samples) {
  if (samples.empty()) return "none";
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    return Millis(samples[std::min(samples.size() - 1,
                                   static_cast<size_t>(q * static_cast<double>(samples.size())))]);
  };
  return absl::StrCat("n=", samples.size(), " min ", Millis(samples.front()), " median ", at(0.5),
                      " p90 ", at(0.9), " max ", Millis(samples.back()), " ms");
}

TEST_F(ChaosE2ETest, BackendsRestartUnderWriteLoadAndTheGatewayStaysUp) {
  const absl::Time start = absl::Now();
  for (const std::string& backend : Backends())
    ASSERT_TRUE(caller_->Probe(backend, absl::Now() + kCallDeadline).ok()) << backend;

  WriteLoad load(caller_.get(), &ledger_);
  load.Start();
  absl::SleepFor(absl::Milliseconds(500));  // some writes with everything up

  // Each backend in turn: 20 cycles, SIGTERM and SIGKILL alternately, outages
  // of 300 to 800 ms, and a while up between them for the load to write.
  int restarts = 0;
  for (const std::string& backend : Backends()) {
    for (int cycle = 0; cycle < kCyclesPerBackend; ++cycle) {
      const std::string label = absl::StrCat(backend, " cycle ", cycle);
      const absl::Duration outage = absl::Milliseconds(300 + (cycle * 173) % 501);
      Cycle(backend, /*sigkill=*/cycle % 2 == 1, outage, label);
      ++restarts;
      ExpectGatewayAlive(label);
      if (HasFatalFailure()) return;
      absl::SleepFor(absl::Milliseconds(250));
    }
  }
  // relations-service 20 times in quick succession: down again as soon as a
  // call through the gateway has succeeded, with the directory watch
  // reconnecting (or not yet) in between.
  for (int quick = 0; quick < kQuickRelationsRestarts; ++quick) {
    const std::string label = absl::StrCat("relations-service quick restart ", quick);
    Cycle("relations-service", /*sigkill=*/quick % 2 == 1, absl::Milliseconds(50), label);
    ++restarts;
    ExpectGatewayAlive(label);
    if (HasFatalFailure()) return;
  }
  // Past the directory watch's reconnects after the last restart.
  absl::SleepFor(absl::Seconds(3));
  load.Stop();
  ExpectGatewayAlive("after the last restart");
  if (HasFatalFailure()) return;

  // Every acknowledged write is there.
  const std::vector<Ledger::Write> acknowledged = ledger_.acknowledged();
  std::map<std::string, int> acknowledged_by, present_by;
  int present = 0;
  std::vector<std::string> missing;
  for (const Ledger::Write& write : acknowledged) {
    ++acknowledged_by[write.backend];
    grpc::Status status;
    for (int attempt = 0; attempt < 20; ++attempt) {
      status = caller_->Read(write, absl::Now() + kCallDeadline);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    if (status.ok()) {
      ++present;
      ++present_by[write.backend];
    } else if (missing.size() < 20) {
      missing.push_back(absl::StrCat(write.backend, " ", write.name, ": ",
                                     Ledger::StatusCodeName(status.error_code()), " ",
                                     status.error_message()));
    }
  }
  // Refused writes that were made all the same ("CODE made/refused"): a
  // caller told UNAVAILABLE may retry, and a create with an id then finds it.
  std::map<std::string, std::pair<int, int>> refused_made;
  for (const auto& [write, code] : ledger_.unacknowledged()) {
    grpc::Status status;
    for (int attempt = 0; attempt < 20; ++attempt) {
      status = caller_->Read(write, absl::Now() + kCallDeadline);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    auto& [made, refused] = refused_made[Ledger::StatusCodeName(code)];
    ++refused;
    if (status.ok()) ++made;
  }
  std::vector<std::string> made_anyway;
  for (const auto& [code, counts] : refused_made)
    made_anyway.push_back(absl::StrCat(code, " ", counts.first, "/", counts.second));

  EXPECT_EQ(present, static_cast<int>(acknowledged.size()))
      << "acknowledged writes missing afterwards:\n"
      << absl::StrJoin(missing, "\n");
  for (const std::string& backend : Backends())
    EXPECT_GT(acknowledged_by[backend], 0) << "no write to " << backend << " was acknowledged";

  // What callers saw.
  EXPECT_EQ(ledger_.bad_count(), 0)
      << "callers saw failures other than UNAVAILABLE/DEADLINE_EXCEEDED with an ErrorInfo of "
      << kDomain << ":\n"
      << absl::StrJoin(ledger_.bad(), "\n");
  int late = 0;
  for (absl::Duration recovery : all_recoveries_)
    if (recovery > kRecoveryBound * TimeScale()) ++late;
  EXPECT_EQ(late, 0) << late << " of " << all_recoveries_.size()
                     << " restarts took longer than " << kRecoveryBound * TimeScale()
                     << " to serve calls again: " << Distribution(all_recoveries_);

  std::vector<std::string> failures;
  for (const auto& [key, count] : ledger_.failures())
    failures.push_back(absl::StrCat(key, " ", count));
  std::vector<std::string> per_backend;
  for (const std::string& backend : Backends())
    per_backend.push_back(absl::StrCat(backend, " ", acknowledged_by[backend], "/",
                                       present_by[backend], " (recovery ",
                                       Distribution(recoveries_[backend]), ")"));
  std::cout << "chaos: " << restarts << " restarts survived by the gateway (" << sigterms_
            << " SIGTERM, " << sigkills_ << " SIGKILL; " << kQuickRelationsRestarts
            << " of relations-service in quick succession); writes attempted " << load.writes()
            << ", acknowledged " << acknowledged.size() << ", present afterwards " << present
            << "; failures seen by callers: " << absl::StrJoin(failures, ", ")
            << " (client-side deadlines " << ledger_.client_deadlines() << ", unexpected "
            << ledger_.bad_count()
            << "); recovery after Restart "
            << Distribution(all_recoveries_) << ", over " << Millis(kRecoveryBound) << " ms: "
            << late << "; test took " << absl::ToInt64Seconds(absl::Now() - start) << " s"
            << std::endl;
  std::cout << "chaos: refused writes (relations, access) made all the same, by code: "
            << absl::StrJoin(made_anyway, ", ") << std::endl;
  std::cout << "chaos: per backend acknowledged/present: " << absl::StrJoin(per_backend, "; ")
            << std::endl;
}

}  // namespace
}  // namespace council::e2e
