// The demo under every shipped profile (issue 18): runs the real
// scripts/setup-and-start.sh (COUNCIL_SKIP_BUILD=1, free ports, a fresh state
// directory) with each profile in profiles/, then checks through the gateway
// that the demo is usable: every designation the profile names has someone
// acting in it, a member lists documents, their requests are decided (or
// referred to a real person, who decides), and a complaint of every kind the
// profile routes gets a real handler at every stage of its ladder.
//
// The profiles are listed from the source tree, so a new profile is tested
// without touching this file. Each start takes about a second; the whole test
// is bounded by the script's own waits and by `timeout` around it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/profile/profile_loader.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::IsEmpty;

// Demo people (demo/README.md, "Demo people").
constexpr char kAdmin[] = "people/it-admin";
constexpr char kPlanningMember[] = "people/cllr-imran-ahmed";  // sits on the Planning Committee
constexpr char kHarbourMember[] = "people/cllr-sophie-wright";  // no interests, no relationships
constexpr char kOfficer[] = "people/off-jennifer-hayes";         // a planning officer
constexpr char kDirector[] = "people/off-tunde-okoro";           // Director of Place
constexpr char kChiefExecutive[] = "people/off-james-whitaker";
// Planning Committee paper (demo/council/documents.csv).
constexpr char kPlanningPaper[] = "documents/rec-000010";

std::vector<std::string> ShippedProfiles() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles")))
    if (entry.path().extension() == ".textproto") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// `count` different ports nobody listens on now (the kernel's choices for
// port 0, all held open until every one is chosen, so none repeats).
std::vector<int> FreePorts(int count) {
  std::vector<int> sockets, ports;
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      ports.push_back(ntohs(address.sin_port));
    else
      ports.push_back(-1);
    if (fd >= 0) sockets.push_back(fd);
  }
  for (int fd : sockets) close(fd);
  return ports;
}

// Runs a shell command line; returns its exit status, output in `output`.
int Shell(const std::string& line, std::string* output) {
  FILE* pipe = popen(absl::StrCat(line, " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The demo started by the real script in its own state directory and ports;
// stopped by the real scripts/stop.sh, and any process left killed.
class ScriptedDemo {
 public:
  explicit ScriptedDemo(const std::string& profile) {
    state_dir_ = absl::StrCat(testing::TempDir(), "/demo-", profile, "-", getpid());
    std::filesystem::remove_all(state_dir_);
    const std::vector<int> ports = FreePorts(4);
    gateway_port_ = ports[3];
    env_ = absl::StrCat("COUNCIL_SKIP_BUILD=1 COUNCIL_STATE_DIR=", state_dir_,
                        " COUNCIL_BUILD_DIR=", COUNCIL_BINARY_DIR,
                        " RELATIONS_PORT=", ports[0], " ACCESS_PORT=", ports[1],
                        " COMPLAINTS_PORT=", ports[2], " GATEWAY_PORT=", gateway_port_);
  }
  ~ScriptedDemo() {
    std::vector<pid_t> pids;
    std::error_code error;
    for (const auto& entry :
         std::filesystem::directory_iterator(state_dir_ + "/run", error)) {
      std::ifstream in(entry.path());
      pid_t pid = 0;
      if (in >> pid && pid > 0) pids.push_back(pid);
    }
    std::string output;
    Shell(absl::StrCat(env_, " ", COUNCIL_SOURCE_DIR, "/scripts/stop.sh"), &output);
    // The services are not this process's children: wait for them to go.
    const absl::Time deadline = absl::Now() + absl::Seconds(15 * TimeScale());
    for (pid_t pid : pids) {
      while (kill(pid, 0) == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
      if (kill(pid, 0) == 0) kill(pid, SIGKILL);
    }
    std::filesystem::remove_all(state_dir_, error);
  }

  // Runs scripts/setup-and-start.sh --profile=`profile`; its exit status.
  int Start(const std::string& profile, std::string* output) {
    const int bound = static_cast<int>(120 * TimeScale());
    return Shell(absl::StrCat("cd ", COUNCIL_SOURCE_DIR, " && ", env_, " timeout ", bound,
                              " scripts/setup-and-start.sh --profile=", profile),
                 output);
  }

  // A token for `person`, minted as the script tells a user to.
  std::string TokenFor(const std::string& person) const {
    std::string token;
    Shell(absl::StrCat(COUNCIL_BINARY_DIR, "/tools/councilctl token --person=", person,
                       " --key=", state_dir_, "/dev/jwt-private.pem"),
          &token);
    return std::string(absl::StripAsciiWhitespace(token));
  }

  void Authorize(grpc::ClientContext* context, const std::string& person) {
    auto [it, inserted] = tokens_.try_emplace(person);
    if (inserted) it->second = TokenFor(person);
    context->AddMetadata("authorization", "Bearer " + it->second);
  }

  // The last lines of every service's log, for a failure message.
  std::string Logs() const {
    std::string logs;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(state_dir_ + "/logs", error)) {
      if (entry.path().extension() != ".log") continue;
      std::ifstream in(entry.path());
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);) lines.push_back(line.substr(0, 400));
      absl::StrAppend(&logs, "--- ", entry.path().filename().string(), "\n");
      for (size_t i = lines.size() > 8 ? lines.size() - 8 : 0; i < lines.size(); ++i)
        absl::StrAppend(&logs, lines[i], "\n");
    }
    return logs;
  }

  std::shared_ptr<grpc::Channel> Gateway() const {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                               grpc::InsecureChannelCredentials());
  }

 private:
  std::string state_dir_;
  std::string env_;
  int gateway_port_ = -1;
  std::map<std::string, std::string> tokens_;
};

// Who files a complaint of each kind in the demo, and about whom.
struct Parties {
  profile::v1::ComplaintKind kind;
  const char* complainant;
  const char* subject;
};
constexpr Parties kComplaints[] = {
    {profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER, kPlanningMember, kOfficer},
    {profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_SENIOR_OFFICER, kPlanningMember, kDirector},
    {profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE, kPlanningMember, kChiefExecutive},
    {profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER, kOfficer, kHarbourMember},
    {profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK, kHarbourMember, "services/planning"},
};

class DemoUnderProfileTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Whether `person` is someone in the directory (as the administrator sees it).
  bool IsPerson(const std::string& person) {
    auto stub = relations::v1::RelationsService::NewStub(demo_->Gateway());
    grpc::ClientContext context;
    demo_->Authorize(&context, kAdmin);
    relations::v1::GetPersonRequest request;
    request.set_name(person);
    relations::v1::Person response;
    return stub->GetPerson(&context, request, &response).ok();
  }

  std::unique_ptr<ScriptedDemo> demo_;
};

TEST_P(DemoUnderProfileTest, SetupScriptStartsTheDemoAndItIsUsable) {
  const std::string profile_path =
      absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", GetParam(), ".textproto");
  auto profile = council::LoadProfile(profile_path);
  ASSERT_TRUE(profile.ok()) << profile.status();
  demo_ = std::make_unique<ScriptedDemo>(GetParam());
  std::string output;
  ASSERT_EQ(demo_->Start(GetParam(), &output), 0) << output;
  ASSERT_THAT(output, HasSubstr("The suite is running on the demo council"));

  // Every designation the profile names has someone acting in it today.
  auto relations = relations::v1::RelationsService::NewStub(demo_->Gateway());
  for (const auto& designation : (*profile)->designations()) {
    grpc::ClientContext context;
    demo_->Authorize(&context, kAdmin);
    relations::v1::GetActingHolderRequest request;
    request.set_designation(absl::StrCat("designations/", designation.id()));
    relations::v1::ActingHolder acting;
    grpc::Status status = relations->GetActingHolder(&context, request, &acting);
    ASSERT_TRUE(status.ok()) << designation.id() << ": " << status.error_message();
    EXPECT_TRUE(IsPerson(acting.person())) << designation.id() << ": " << acting.person();
  }

  // A member lists the catalogue, and finds an exempt paper to ask for.
  auto access = access::v1::AccessService::NewStub(demo_->Gateway());
  std::string exempt_paper;
  bool planning_paper_listed = false;
  {
    grpc::ClientContext context;
    demo_->Authorize(&context, kHarbourMember);
    access::v1::ListDocumentsRequest request;
    request.set_page_size(1000);
    access::v1::ListDocumentsResponse response;
    grpc::Status status = access->ListDocuments(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << demo_->Logs();
    for (const auto& document : response.documents()) {
      planning_paper_listed |= document.name() == kPlanningPaper;
      if (exempt_paper.empty() && document.status() == access::v1::DOCUMENT_STATUS_EXEMPT &&
          !document.third_party_personal_data() && document.matters().empty() &&
          document.party_group().empty() && document.requested_advice_for().empty())
        exempt_paper = document.name();
    }
  }
  EXPECT_TRUE(planning_paper_listed);
  ASSERT_FALSE(exempt_paper.empty());

  // Requests: a committee member for their committee's paper, and a member
  // with a stated need for an exempt paper. Each is decided with the clauses
  // behind it, as ExplainAccess foretold; a referral goes to a real person,
  // who decides it.
  struct Ask {
    const char* member;
    std::string document;
    access::v1::Capacity capacity;
    const char* purpose;
  };
  int granted = 0;
  for (const Ask& ask :
       {Ask{kPlanningMember, kPlanningPaper, access::v1::CAPACITY_BODY_MEMBER,
            "Preparing for the committee's meeting on this item."},
        Ask{kHarbourMember, exempt_paper, access::v1::CAPACITY_OTHER,
            "A constituent's case before the council needs the facts in this paper."}}) {
    SCOPED_TRACE(absl::StrCat(ask.member, " asks for ", ask.document));
    access::v1::ExplainAccessResponse explained;
    {
      grpc::ClientContext context;
      demo_->Authorize(&context, ask.member);
      access::v1::ExplainAccessRequest request;
      request.set_person(ask.member);
      request.set_document(ask.document);
      request.set_capacity(ask.capacity);
      request.set_purpose(ask.purpose);
      grpc::Status status = access->ExplainAccess(&context, request, &explained);
      ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << demo_->Logs();
    }
    access::v1::AccessRequest made;
    {
      grpc::ClientContext context;
      demo_->Authorize(&context, ask.member);
      access::v1::CreateAccessRequestRequest request;
      request.mutable_access_request()->set_document(ask.document);
      request.mutable_access_request()->set_capacity(ask.capacity);
      request.mutable_access_request()->set_purpose(ask.purpose);
      grpc::Status status = access->CreateAccessRequest(&context, request, &made);
      ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << demo_->Logs();
    }
    const auto& decision = made.decision();
    EXPECT_EQ(decision.outcome(), explained.decision().outcome());
    ASSERT_NE(decision.outcome(), access::v1::OUTCOME_UNSPECIFIED);
    ASSERT_THAT(decision.reasons(), Not(IsEmpty()));
    for (const auto& reason : decision.reasons())
      EXPECT_THAT(reason.citation().clause(), Not(IsEmpty()));
    if (decision.outcome() == access::v1::OUTCOME_GRANTED) ++granted;
    if (decision.outcome() != access::v1::OUTCOME_REFERRED) continue;
    const std::string decider = made.dispute().decider();
    ASSERT_TRUE(IsPerson(decider)) << "referred to \"" << decider << "\"";
    EXPECT_EQ(explained.decider(), decider);
    grpc::ClientContext context;
    demo_->Authorize(&context, decider);
    access::v1::DecideDisputeRequest request;
    request.set_name(made.name());
    request.set_outcome(access::v1::OUTCOME_GRANTED);
    request.set_reasons("The stated need is made out.");
    if (!made.dispute().advised_by().empty())
      request.set_advice("Advice taken: inspection may be allowed.");
    access::v1::AccessRequest decided;
    grpc::Status status = access->DecideDispute(&context, request, &decided);
    ASSERT_TRUE(status.ok()) << decider << ": " << status.error_message();
    EXPECT_EQ(decided.dispute().state(), access::v1::DISPUTE_STATE_DECIDED);
    ++granted;
  }
  EXPECT_GE(granted, 1) << "no member of the demo could see anything under " << GetParam();

  // A complaint of every kind the profile routes has a real handler at every
  // stage of its ladder, up to the last.
  auto complaints = complaints::v1::ComplaintsService::NewStub(demo_->Gateway());
  for (const auto& route : (*profile)->complaints().routes()) {
    const Parties* parties = nullptr;
    for (const auto& candidate : kComplaints)
      if (candidate.kind == route.kind()) parties = &candidate;
    ASSERT_NE(parties, nullptr) << "no demo parties for kind " << route.kind();
    SCOPED_TRACE(profile::v1::ComplaintKind_Name(route.kind()));
    complaints::v1::Complaint complaint;
    {
      grpc::ClientContext context;
      demo_->Authorize(&context, parties->complainant);
      complaints::v1::CreateComplaintRequest request;
      request.mutable_complaint()->set_kind(route.kind());
      request.mutable_complaint()->set_subject(parties->subject);
      request.mutable_complaint()->set_summary("Demo complaint: repeated late replies.");
      grpc::Status status = complaints->CreateComplaint(&context, request, &complaint);
      ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << demo_->Logs();
    }
    for (int stage = 0; stage < route.stages_size(); ++stage) {
      ASSERT_EQ(complaint.current_stage(), route.stages(stage).id());
      const auto& record = complaint.stages(complaint.stages_size() - 1);
      if (route.stages(stage).handler().has_body_id())
        EXPECT_THAT(record.handler().body(), Not(IsEmpty())) << route.stages(stage).id();
      else if (!route.stages(stage).has_handler() &&
               route.stages(stage).respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT)
        // Southwark 69: nobody handles a complaint about themselves; the
        // person complained about gives the response.
        EXPECT_TRUE(IsPerson(record.respondent().person()))
            << route.stages(stage).id() << " has respondent \"" << record.respondent().person()
            << "\"";
      else
        EXPECT_TRUE(IsPerson(complaint.handler()))
            << route.stages(stage).id() << " has handler \"" << complaint.handler() << "\"";
      if (stage + 1 == route.stages_size()) break;
      grpc::ClientContext context;
      demo_->Authorize(&context, parties->complainant);
      complaints::v1::EscalateComplaintRequest request;
      request.set_name(complaint.name());
      request.set_reason("The complainant remains dissatisfied.");
      grpc::Status status = complaints->EscalateComplaint(&context, request, &complaint);
      ASSERT_TRUE(status.ok()) << "to the stage after " << route.stages(stage).id() << ": "
                               << status.error_message() << "\n" << demo_->Logs();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ShippedProfiles, DemoUnderProfileTest,
                         ::testing::ValuesIn(ShippedProfiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace council::e2e
