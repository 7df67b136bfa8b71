// End-to-end tests of WatchComplaintEvents at scale (issue 16, defect 5: "one
// thread per watch stream"): the four real binaries, the demo council, every
// stream through the gateway with a real token. complaints-service is run by
// the test itself, on the harness's port and database, so that its stream
// caps can be set (--max_watch_streams, --max_watch_streams_per_caller) and
// its threads counted in /proc/<pid>/task.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using complaints::v1::ComplaintsService;
using ::testing::HasSubstr;

// Demo people (demo/README.md).
constexpr char kAdmin[] = "people/it-admin";
constexpr char kMember[] = "people/cllr-sophie-wright";
constexpr char kPlanningOfficer[] = "people/off-matthew-barker";

// The caps complaints-service runs with here: 20 auditors with 16 streams
// each fill the service.
constexpr int kPerCaller = 16;
constexpr int kTotal = 320;
constexpr int kAuditors = 20;

std::string Auditor(int i) { return absl::StrFormat("people/stream-auditor-%02d", i); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int ThreadsOf(pid_t pid) {
  DIR* dir = opendir(absl::StrCat("/proc/", pid, "/task").c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count;
}

// One open stream through the gateway.
struct Watch {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<complaints::v1::ComplaintEvent>> reader;
};

class ComplaintsStreamsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("south-somerset").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
    // Auditors: people whose tools may watch (the gateway's policy and the
    // service both require administrator or auditor).
    auto relations = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    for (int i = 0; i <= kAuditors; ++i) {
      relations::v1::CreatePersonRequest request;
      request.set_person_id(Auditor(i).substr(strlen("people/")));
      request.mutable_person()->set_display_name(absl::StrCat("Stream Auditor ", i));
      request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
      request.mutable_person()->add_system_roles("auditor");
      *request.mutable_person()->mutable_start_date() = ToDate(2020, 1, 6);
      grpc::ClientContext context;
      suite_->Authorize(&context, kAdmin);
      relations::v1::Person created;
      grpc::Status status = relations->CreatePerson(&context, request, &created);
      ASSERT_TRUE(status.ok()) << Auditor(i) << ": " << status.error_message();
    }
    // The suite's complaints-service makes way for one with the caps set.
    ASSERT_EQ(suite_->Stop("complaints-service"), 0);
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  void SetUp() override {
    pid_ = Launch({absl::StrCat("--max_watch_streams=", kTotal),
                   absl::StrCat("--max_watch_streams_per_caller=", kPerCaller)});
    ASSERT_GT(pid_, 0);
    channel_ = suite_->GatewayChannel();
    stub_ = ComplaintsService::NewStub(channel_);
    // The gateway reconnects to the new process.
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      complaints::v1::GetComplaintRequest request;
      request.set_name("complaints/none");
      complaints::v1::Complaint ignored;
      grpc::ClientContext context;
      suite_->Authorize(&context, kMember);
      status = stub_->GetComplaint(&context, request, &ignored);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  }

  void TearDown() override {
    if (pid_ > 0) StopService();
  }

  static common::v1::Date ToDate(int y, int m, int d) {
    common::v1::Date date;
    date.set_year(y);
    date.set_month(m);
    date.set_day(d);
    return date;
  }

  // Runs complaints-service as the harness does, plus `extra` flags.
  pid_t Launch(const std::vector<std::string>& extra) {
    const std::string port_file = absl::StrCat(suite_->dir(), "/complaints-streams.port");
    std::remove(port_file.c_str());
    std::vector<std::string> args = {
        absl::StrCat(COUNCIL_BINARY_DIR, "/complaints-service/complaints-service"),
        absl::StrCat("--listen=127.0.0.1:", suite_->Port("complaints-service")),
        absl::StrCat("--port_file=", port_file),
        absl::StrCat("--database=", suite_->DatabasePath("complaints-service")),
        absl::StrCat("--internal_key_file=", suite_->internal_key_file()),
        absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/south-somerset.textproto"),
        absl::StrCat("--relations_address=", suite_->InternalAddress("relations-service")),
        "--sweep_interval_seconds=0",
    };
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string log = absl::StrCat(suite_->dir(), "/complaints-streams.log");
    const pid_t pid = SpawnLogged(std::move(args), log);
    if (pid < 0) return -1;
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (!ReadFile(port_file).empty()) return pid;
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        ADD_FAILURE() << "complaints-service exited at start; log:\n" << ReadFile(log);
        return -1;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    ADD_FAILURE() << "complaints-service did not listen within 20 s";
    return -1;
  }

  // SIGTERM, as systemd stops it; returns the exit status.
  int StopService() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  Watch Open(const std::string& as, int64_t after) {
    Watch watch;
    watch.context = std::make_unique<grpc::ClientContext>();
    suite_->Authorize(watch.context.get(), as);
    watch.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
    complaints::v1::WatchComplaintEventsRequest request;
    request.set_after_position(after);
    watch.reader = stub_->WatchComplaintEvents(watch.context.get(), request);
    return watch;
  }

  // The first event of a stream, or how it ended.
  static grpc::Status ReadOne(Watch& watch, complaints::v1::ComplaintEvent* event) {
    if (watch.reader->Read(event)) return grpc::Status::OK;
    return watch.reader->Finish();
  }

  // Files a complaint; returns the position of its last event, the newest.
  int64_t File(complaints::v1::Complaint* complaint) {
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(kPlanningOfficer);
    request.mutable_complaint()->set_summary("Dismissive reply to a constituent's enquiry.");
    grpc::ClientContext context;
    suite_->Authorize(&context, kMember);
    grpc::Status status = stub_->CreateComplaint(&context, request, complaint);
    EXPECT_TRUE(status.ok()) << status.error_message();
    // The position of its last event (the newest of all), from its timeline.
    complaints::v1::GetComplaintTimelineRequest timeline_request;
    timeline_request.set_name(complaint->name());
    complaints::v1::ComplaintTimeline timeline;
    grpc::ClientContext timeline_context;
    suite_->Authorize(&timeline_context, kMember);
    status = stub_->GetComplaintTimeline(&timeline_context, timeline_request, &timeline);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return timeline.events_size() > 0 ? timeline.events(timeline.events_size() - 1).position()
                                      : 0;
  }

  static Suite* suite_;
  pid_t pid_ = -1;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ComplaintsService::Stub> stub_;
};
Suite* ComplaintsStreamsE2ETest::suite_ = nullptr;

TEST_F(ComplaintsStreamsE2ETest, ThreeHundredStreamsCostNoThreadEachAndAllGetEveryEvent) {
  complaints::v1::Complaint first;
  const int64_t position = File(&first);
  ASSERT_GT(position, 0);
  const int idle = ThreadsOf(pid_);

  std::vector<Watch> watches;
  for (int i = 0; i < kAuditors; ++i)
    for (int j = 0; j < 15; ++j) watches.push_back(Open(Auditor(i), position - 1));
  for (auto& watch : watches) {
    complaints::v1::ComplaintEvent event;
    grpc::Status status = ReadOne(watch, &event);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(event.position(), position);
  }
  const int with_streams = ThreadsOf(pid_);
  std::cout << "complaints-service threads: " << idle << " idle, " << with_streams << " with "
            << watches.size() << " open streams\n";
  EXPECT_LT(with_streams - idle, 30) << "a thread per stream would be 300 more";

  // A new complaint's events reach all 300 streams as they commit.
  complaints::v1::Complaint second;
  complaints::v1::CreateComplaintRequest request;
  request.mutable_complaint()->set_subject(kPlanningOfficer);
  request.mutable_complaint()->set_summary("A second complaint.");
  grpc::ClientContext context;
  suite_->Authorize(&context, kMember);
  ASSERT_TRUE(stub_->CreateComplaint(&context, request, &second).ok());
  for (auto& watch : watches) {
    complaints::v1::ComplaintEvent event;
    ASSERT_TRUE(ReadOne(watch, &event).ok());
    EXPECT_EQ(event.complaint(), second.name());
    EXPECT_EQ(event.type(), complaints::v1::COMPLAINT_EVENT_TYPE_FILED);
    EXPECT_GT(event.position(), position);
  }
  EXPECT_LT(ThreadsOf(pid_) - idle, 30);
  for (auto& watch : watches) watch.context->TryCancel();
  for (auto& watch : watches) watch.reader->Finish();
}

TEST_F(ComplaintsStreamsE2ETest, CapsPerCallerAndInTotalAreResourceExhaustedWithErrorInfo) {
  complaints::v1::Complaint complaint;
  const int64_t position = File(&complaint);
  ASSERT_GT(position, 0);
  complaints::v1::ComplaintEvent event;

  // One caller: 16 streams, not 17.
  std::vector<Watch> watches;
  for (int j = 0; j < kPerCaller; ++j) {
    watches.push_back(Open(Auditor(0), position - 1));
    grpc::Status status = ReadOne(watches.back(), &event);
    ASSERT_TRUE(status.ok()) << j << ": " << status.error_message();
  }
  Watch over = Open(Auditor(0), position - 1);
  grpc::Status refused = ReadOne(over, &event);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_TOO_MANY_STREAMS");
  EXPECT_EQ(ErrorInfoMetadata(refused, "scope"), "caller");
  EXPECT_EQ(ErrorInfoMetadata(refused, "limit"), absl::StrCat(kPerCaller));
  EXPECT_THAT(refused.error_message(), HasSubstr(Auditor(0)));

  // The whole service: 320 streams from 20 auditors, then nobody else.
  for (int i = 1; i < kAuditors; ++i)
    for (int j = 0; j < kPerCaller; ++j) {
      watches.push_back(Open(Auditor(i), position - 1));
      grpc::Status status = ReadOne(watches.back(), &event);
      ASSERT_TRUE(status.ok()) << Auditor(i) << " " << j << ": " << status.error_message();
    }
  ASSERT_EQ(static_cast<int>(watches.size()), kTotal);
  Watch beyond = Open(Auditor(kAuditors), position - 1);
  refused = ReadOne(beyond, &event);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_TOO_MANY_STREAMS");
  EXPECT_EQ(ErrorInfoMetadata(refused, "scope"), "service");
  EXPECT_EQ(ErrorInfoMetadata(refused, "limit"), absl::StrCat(kTotal));
  const int threads_full = ThreadsOf(pid_);
  std::cout << "complaints-service threads with " << kTotal << " open streams: " << threads_full
            << "\n";

  // A cancelled stream frees its slot for someone else.
  watches[0].context->TryCancel();
  EXPECT_EQ(watches[0].reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  grpc::Status status;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    Watch retry = Open(Auditor(kAuditors), position - 1);
    status = ReadOne(retry, &event);
    if (status.ok()) {
      watches.push_back(std::move(retry));
      break;
    }
    ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_TRUE(status.ok()) << "the slot was not freed: " << status.error_message();
  EXPECT_EQ(event.position(), position);
  for (size_t i = 1; i < watches.size(); ++i) watches[i].context->TryCancel();
  for (size_t i = 1; i < watches.size(); ++i) watches[i].reader->Finish();
}

TEST_F(ComplaintsStreamsE2ETest, SigtermEndsEveryStreamPromptlyWithThePositionToResumeAfter) {
  complaints::v1::Complaint complaint;
  const int64_t position = File(&complaint);
  ASSERT_GT(position, 0);
  std::vector<Watch> watches;
  complaints::v1::ComplaintEvent event;
  for (int i = 0; i < kAuditors; ++i)
    for (int j = 0; j < 5; ++j) {
      watches.push_back(Open(Auditor(i), position - 1));
      ASSERT_TRUE(ReadOne(watches.back(), &event).ok());
    }
  const absl::Time started = absl::Now();
  EXPECT_EQ(StopService(), 0);
  const absl::Duration took = absl::Now() - started;
  EXPECT_LT(took, absl::Seconds(5)) << "streams must not hold the shutdown to its grace period";
  for (auto& watch : watches) {
    grpc::Status ended = ReadOne(watch, &event);
    EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
    EXPECT_THAT(ended.error_message(), HasSubstr(absl::StrCat("resume after position ", position)));
    EXPECT_EQ(ErrorInfoMetadata(ended, "resume_after"), absl::StrCat(position));
  }
}

}  // namespace
}  // namespace council::e2e
