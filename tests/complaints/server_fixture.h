// server_fixture.h — complaints-service in process for tests: a real
// ComplaintsServer on an in-process gRPC channel, a real SQLite file in a
// temporary directory, the fake directory for relations-service, and "today"
// under the test's control. Calls carry real internal assertions, as the
// gateway's do:
//
//   ServiceUnderTest service("south-somerset");
//   service.today = absl::CivilDay(2026, 12, 18);
//   auto filed = service.Create("cllr-sophie", "people/off-matthew", "rude email");
//   service.Restart();  // same database, new process state
#ifndef COUNCIL_TESTS_COMPLAINTS_SERVER_FIXTURE_H_
#define COUNCIL_TESTS_COMPLAINTS_SERVER_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "complaints-service/complaints_server.h"
#include "complaints-service/complaints_store.h"
#include "complaints-service/workflow.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/complaints/fake_directory.h"

namespace council::complaints::testing {

inline std::shared_ptr<const CouncilProfile> ShippedProfile(const std::string& id) {
  auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? *profile : nullptr;
}

inline std::string TempDir() {
  char tmpl[] = "/tmp/complaints-test-XXXXXX";
  char* dir = mkdtemp(tmpl);
  EXPECT_NE(dir, nullptr);
  return dir == nullptr ? "/tmp" : dir;
}

class ServiceUnderTest {
  // Declared first: the public members below are built from them.
  std::shared_ptr<const CouncilProfile> profile_;
  WatchLimits watch_limits_;
  std::string dir_;
  auth::AssertionKey key_;

 public:
  explicit ServiceUnderTest(const std::string& profile_id)
      : ServiceUnderTest(ShippedProfile(profile_id)) {}
  explicit ServiceUnderTest(std::shared_ptr<const CouncilProfile> profile,
                            WatchLimits watch_limits = {})
      : profile_(std::move(profile)),
        watch_limits_(watch_limits),
        dir_(TempDir()),
        key_(auth::AssertionKey::FromSecretForTesting(std::string(32, 'k'))),
        directory(profile_) {
    directory.AddStandardCouncil();
    Start();
  }
  ~ServiceUnderTest() {
    StopServer();
    std::filesystem::remove_all(dir_);
  }

  // Restart
  //
  // Stops everything and starts again on the same database, optionally with
  // another profile (changed closure days, for example).
  void Restart(std::shared_ptr<const CouncilProfile> profile = nullptr) {
    StopServer();
    if (profile != nullptr) {
      profile_ = std::move(profile);
    }
    Start();
  }

  // Context
  //
  // A client context signed as the gateway would for `person` with `roles`.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& person, const std::string& method,
                                               std::vector<std::string> roles = {}) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    SignCall(context.get(), key_, Person(person), roles, "",
             FullMethodName("council.complaints.v1.ComplaintsService", method));
    return context;
  }

  static std::string Person(const std::string& id) {
    return id.find('/') != std::string::npos ? id : absl::StrCat("people/", id);
  }

  grpc::Status Create(const std::string& complainant, const std::string& subject,
                      v1::Complaint* out, const std::string& summary = "The complaint.",
                      std::optional<absl::CivilDay> filed = std::nullopt) {
    v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(subject);
    request.mutable_complaint()->set_summary(summary);
    if (filed.has_value()) *request.mutable_complaint()->mutable_filed_date() = ToProtoDate(*filed);
    auto context = Context(complainant, "CreateComplaint");
    return stub->CreateComplaint(context.get(), request, out);
  }

  grpc::Status Get(const std::string& person, const std::string& name, v1::Complaint* out,
                   std::vector<std::string> roles = {}) {
    v1::GetComplaintRequest request;
    request.set_name(name);
    auto context = Context(person, "GetComplaint", std::move(roles));
    return stub->GetComplaint(context.get(), request, out);
  }

  grpc::Status Sweep(absl::CivilDay day, v1::RunSweepResponse* out) {
    v1::RunSweepRequest request;
    *request.mutable_as_of() = ToProtoDate(day);
    auto context = Context("it-admin", "RunSweep", {"administrator"});
    return stub->RunSweep(context.get(), request, out);
  }

  std::vector<v1::ComplaintEvent> Timeline(const std::string& person, const std::string& name) {
    v1::GetComplaintTimelineRequest request;
    request.set_name(name);
    request.set_page_size(1000);
    auto context = Context(person, "GetComplaintTimeline");
    v1::ComplaintTimeline timeline;
    grpc::Status status = stub->GetComplaintTimeline(context.get(), request, &timeline);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {timeline.events().begin(), timeline.events().end()};
  }

  const CouncilProfile& profile() const { return *profile_; }
  const std::string& dir() const { return dir_; }
  std::string database() const { return dir_ + "/complaints.db"; }

  absl::CivilDay today = absl::CivilDay(2026, 3, 2);
  FakeDirectory directory;
  std::unique_ptr<ComplaintsStore> store;
  std::unique_ptr<Workflow> workflow;
  std::unique_ptr<ComplaintsServer> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::ComplaintsService::Stub> stub;

 private:
  void Start() {
    auto opened = ComplaintsStore::Open(database());
    ASSERT_TRUE(opened.ok()) << opened.status();
    store = std::move(*opened);
    workflow = std::make_unique<Workflow>(
        store.get(), profile_,
        [this](const std::string&) { return std::make_unique<SharedDirectory>(&directory); },
        Clock{[this] { return today; }, [] { return absl::Now(); }});
    auto moved = workflow->RecomputeIfCalendarChanged();
    ASSERT_TRUE(moved.ok()) << moved.status();
    service = std::make_unique<ComplaintsServer>(workflow.get(), key_, watch_limits_);
    grpc::ServerBuilder builder;
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    stub = v1::ComplaintsService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));
  }
  void StopServer() {
    if (service != nullptr) service->Stop();
    if (server != nullptr) server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    stub.reset();
    server.reset();
    service.reset();
    workflow.reset();
    store.reset();
  }
};

}  // namespace council::complaints::testing

#endif  // COUNCIL_TESTS_COMPLAINTS_SERVER_FIXTURE_H_
