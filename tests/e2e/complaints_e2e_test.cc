// End-to-end tests of complaints-service: the four real binaries on loopback
// with real SQLite files, the demo council (Borough of Eastmere) loaded, the
// South Somerset profile, every call through the gateway with real tokens.
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using complaints::v1::ComplaintsService;
using ::testing::Contains;
using ::testing::HasSubstr;

// Demo people (demo/README.md, demo/council/posts.csv).
constexpr char kAdmin[] = "people/it-admin";
constexpr char kMember[] = "people/cllr-sophie-wright";
constexpr char kOtherMember[] = "people/cllr-imran-ahmed";
constexpr char kRelatedMember[] = "people/cllr-karen-jenkins";
constexpr char kPlanningOfficer[] = "people/off-matthew-barker";
constexpr char kSeniorPlanningOfficer[] = "people/off-tomasz-mazur";
constexpr char kDevelopmentManager[] = "people/off-michael-marsh";
constexpr char kHeadOfPlanning[] = "people/off-adebayo-asante";
constexpr char kSeniorHrEmployee[] = "people/off-sian-jones";     // head-of-hr
constexpr char kMembersGroupLeader[] = "people/cllr-ada-okafor";  // Eastmere Labour

class ComplaintsServiceE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("south-somerset").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  std::unique_ptr<ComplaintsService::Stub> Stub() {
    return ComplaintsService::NewStub(suite_->GatewayChannel());
  }

  grpc::Status File(const std::string& as, const std::string& subject,
                    complaints::v1::Complaint* out,
                    std::optional<absl::CivilDay> filed = std::nullopt) {
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(subject);
    request.mutable_complaint()->set_summary("Dismissive reply to a constituent's enquiry.");
    if (filed.has_value()) *request.mutable_complaint()->mutable_filed_date() = ToProtoDate(*filed);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return Stub()->CreateComplaint(&context, request, out);
  }

  grpc::Status Get(const std::string& as, const std::string& name,
                   complaints::v1::Complaint* out) {
    complaints::v1::GetComplaintRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return Stub()->GetComplaint(&context, request, out);
  }

  static Suite* suite_;
};
Suite* ComplaintsServiceE2ETest::suite_ = nullptr;

TEST_F(ComplaintsServiceE2ETest, AMembersComplaintAboutAnOfficerGoesToTheirManagerWithDeadlines) {
  // South Somerset 16.1 and 16.3: the officer's manager; outcome within 10
  // working days, holding notice within 5.
  complaints::v1::Complaint complaint;
  grpc::Status status = File(kMember, kPlanningOfficer, &complaint);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(complaint.kind(), profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER);
  EXPECT_EQ(complaint.handler(), kDevelopmentManager);
  EXPECT_EQ(complaint.stages(0).handler().manager(), kHeadOfPlanning);
  ASSERT_EQ(complaint.deadlines_size(), 2);
  EXPECT_EQ(complaint.deadlines(0).step(), "holding-notice");
  EXPECT_EQ(complaint.deadlines(0).clause().clause(), "South Somerset 16.3");

  complaints::v1::Complaint read;
  EXPECT_TRUE(Get(kDevelopmentManager, complaint.name(), &read).ok()) << "the handler reads it";
  grpc::Status other = Get(kOtherMember, complaint.name(), &read);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND)
      << "another member is told it does not exist";

  // The same through councilctl: the handler acknowledges, the member reads
  // the timeline.
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"complaints", "acknowledge", complaint.name()}, kDevelopmentManager,
                           &output),
            0)
      << output;
  EXPECT_EQ(suite_->RunCtl({"complaints", "timeline", complaint.name()}, kMember, &output), 0)
      << output;
  // A table: the event type without its enum's prefix.
  EXPECT_THAT(output, HasSubstr("  TYPE  "));
  EXPECT_THAT(output, HasSubstr("  FILED  "));
  EXPECT_THAT(output, HasSubstr("  ACKNOWLEDGED  "));
  EXPECT_NE(suite_->RunCtl({"complaints", "timeline", complaint.name()}, kOtherMember, &output), 0);
  EXPECT_THAT(output, HasSubstr("NOT_FOUND"));
}

TEST_F(ComplaintsServiceE2ETest, AManagerWithADeclaredRelationshipIsPassedOver) {
  // The member declares a close personal relationship with the development
  // manager; her complaint about a planning officer goes up the chain to the
  // Head of Planning, and says why.
  auto relations = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
  relations::v1::CreateRelationshipRequest declare;
  declare.set_relationship_id("rel-e2e-complaints");
  declare.mutable_relationship()->set_member(kRelatedMember);
  declare.mutable_relationship()->set_officer(kDevelopmentManager);
  declare.mutable_relationship()->set_kind(relations::v1::RELATIONSHIP_KIND_CLOSE_PERSONAL);
  *declare.mutable_relationship()->mutable_declared_on() =
      ToProtoDate(TodayInLondon() - 10);
  relations::v1::Relationship declared;
  grpc::ClientContext declare_context;
  suite_->Authorize(&declare_context, kAdmin);
  grpc::Status declared_status = relations->CreateRelationship(&declare_context, declare, &declared);
  ASSERT_TRUE(declared_status.ok()) << declared_status.error_message();

  complaints::v1::Complaint complaint;
  grpc::Status status = File(kRelatedMember, kPlanningOfficer, &complaint);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(complaint.handler(), kHeadOfPlanning);
  ASSERT_GE(complaint.stages(0).handler().passed_over_size(), 1);
  const auto& passed = complaint.stages(0).handler().passed_over(0);
  EXPECT_EQ(passed.person(), kDevelopmentManager);
  EXPECT_THAT(passed.reason(), HasSubstr("declared relationship"));
  EXPECT_THAT(passed.relationships(), Contains(declared.name()));
}

TEST_F(ComplaintsServiceE2ETest, BadFilingsGetClearErrorsAndChangeNothing) {
  complaints::v1::Complaint complaint;
  grpc::Status unknown = File(kMember, "people/off-nobody-here", &complaint);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND) << unknown.error_message();
  EXPECT_THAT(unknown.error_message(), HasSubstr("people/off-nobody-here"));
  grpc::Status self = File(kMember, kMember, &complaint);
  EXPECT_EQ(self.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoReason(self), "ERROR_REASON_INVALID_FIELD");

  // An outcome on a closed complaint.
  ASSERT_TRUE(File(kMember, kSeniorPlanningOfficer, &complaint).ok());
  complaints::v1::CloseComplaintRequest close;
  close.set_name(complaint.name());
  close.mutable_outcome()->set_finding(complaints::v1::OUTCOME_FINDING_RESOLVED);
  close.mutable_outcome()->set_summary("Resolved by a conversation.");
  complaints::v1::Complaint closed;
  grpc::ClientContext first;
  suite_->Authorize(&first, complaint.handler());
  ASSERT_TRUE(Stub()->CloseComplaint(&first, close, &closed).ok());
  grpc::ClientContext second;
  suite_->Authorize(&second, complaint.handler());
  close.mutable_outcome()->set_finding(complaints::v1::OUTCOME_FINDING_UPHELD);
  grpc::Status again = Stub()->CloseComplaint(&second, close, &closed);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoReason(again), "ERROR_REASON_RULE_FORBIDS");
  complaints::v1::Complaint read;
  ASSERT_TRUE(Get(kMember, complaint.name(), &read).ok());
  EXPECT_EQ(read.outcome().finding(), complaints::v1::OUTCOME_FINDING_RESOLVED);
}

TEST_F(ComplaintsServiceE2ETest, AMissedLimitIsWarnedOnTheWatchStreamThroughTheGateway) {
  // Filed five weeks ago: South Somerset 16.3's 5- and 10-day limits have
  // passed. The sweep (run by hand here) warns the handler and their manager,
  // and the event reaches a tool watching through the gateway.
  complaints::v1::Complaint complaint;
  ASSERT_TRUE(File(kMember, kPlanningOfficer, &complaint, TodayInLondon() - 35).ok());

  complaints::v1::RunSweepRequest sweep;
  complaints::v1::RunSweepResponse swept;
  grpc::ClientContext member_context;
  suite_->Authorize(&member_context, kMember);
  EXPECT_EQ(Stub()->RunSweep(&member_context, sweep, &swept).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "the gateway refuses members the sweeper";

  grpc::ClientContext watch_context;
  suite_->Authorize(&watch_context, kAdmin);
  complaints::v1::WatchComplaintEventsRequest watch;
  watch.set_complaint(complaint.name());
  auto reader = Stub()->WatchComplaintEvents(&watch_context, watch);

  std::thread sweeper([&] {
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    grpc::Status status = Stub()->RunSweep(&context, sweep, &swept);
    EXPECT_TRUE(status.ok()) << status.error_message();
  });
  complaints::v1::ComplaintEvent event;
  bool filed = false, missed = false;
  while (!missed && reader->Read(&event)) {
    filed |= event.type() == complaints::v1::COMPLAINT_EVENT_TYPE_FILED;
    missed |= event.type() == complaints::v1::COMPLAINT_EVENT_TYPE_DEADLINE_MISSED;
  }
  sweeper.join();
  watch_context.TryCancel();
  EXPECT_TRUE(filed) << "the stream starts with the stored backlog";
  ASSERT_TRUE(missed);
  EXPECT_EQ(event.complaint(), complaint.name());
  EXPECT_THAT(event.recipients(), Contains(kDevelopmentManager));
  EXPECT_THAT(event.recipients(), Contains(kHeadOfPlanning));

  complaints::v1::Complaint read;
  ASSERT_TRUE(Get(kMember, complaint.name(), &read).ok());
  EXPECT_EQ(read.deadlines(0).state(), complaints::v1::DEADLINE_STATE_OVERDUE);

  // The timeline has every state change, readable by the parties.
  complaints::v1::GetComplaintTimelineRequest timeline_request;
  timeline_request.set_name(complaint.name());
  complaints::v1::ComplaintTimeline timeline;
  grpc::ClientContext timeline_context;
  suite_->Authorize(&timeline_context, kMember);
  ASSERT_TRUE(Stub()->GetComplaintTimeline(&timeline_context, timeline_request, &timeline).ok());
  EXPECT_GE(timeline.events_size(), 2);
}

TEST_F(ComplaintsServiceE2ETest, SouthSomerset174TradeUnionAndSeniorHrAnd176CouncillorTold) {
  // South Somerset 17.4: the employee "may wish to consult with their trade
  // union representative (if applicable) prior to raising the matter
  // formally ... The Employee and their TU representative may also raise the
  // matter directly with the Senior Human Resource Employee". 17.6: "The
  // Councillor and Group Leader will be advised of any complaint".
  complaints::v1::Complaint complaint;
  ASSERT_TRUE(File(kPlanningOfficer, kMember, &complaint).ok());
  EXPECT_EQ(complaint.handler(), kDevelopmentManager);

  complaints::v1::EscalateComplaintRequest escalate;
  escalate.set_name(complaint.name());
  escalate.set_reason("Unhappy with the informal outcome.");
  escalate.set_trade_union_consulted(true);
  escalate.set_raise_directly(true);
  // Only the employee makes these choices; the refusal names the field.
  grpc::ClientContext manager_context;
  suite_->Authorize(&manager_context, kDevelopmentManager);
  complaints::v1::Complaint formal;
  grpc::Status by_manager = Stub()->EscalateComplaint(&manager_context, escalate, &formal);
  EXPECT_EQ(by_manager.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(by_manager), Contains(HasSubstr("raise_directly")));

  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningOfficer);
  grpc::Status status = Stub()->EscalateComplaint(&context, escalate, &formal);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const auto& stage = formal.stages(1);
  EXPECT_TRUE(stage.raised_directly());
  EXPECT_TRUE(stage.trade_union_consulted());
  EXPECT_EQ(formal.handler(), kSeniorHrEmployee);
  std::vector<std::string> told;
  for (const auto& n : stage.notifications()) {
    told.push_back(n.person());
    EXPECT_EQ(n.clause().clause(), "South Somerset 17.6");
  }
  EXPECT_THAT(told, ::testing::ElementsAre(kMember, kMembersGroupLeader));

  complaints::v1::GetComplaintTimelineRequest timeline_request;
  timeline_request.set_name(complaint.name());
  complaints::v1::ComplaintTimeline timeline;
  grpc::ClientContext timeline_context;
  suite_->Authorize(&timeline_context, kMember);
  ASSERT_TRUE(Stub()->GetComplaintTimeline(&timeline_context, timeline_request, &timeline).ok())
      << "the councillor complained about reads it";
  bool consulted = false, councillor_told = false;
  for (const auto& e : timeline.events()) {
    if (e.type() == complaints::v1::COMPLAINT_EVENT_TYPE_TRADE_UNION_CONSULTED)
      consulted = e.reasons(0).citation().clause() == "South Somerset 17.4";
    if (e.type() == complaints::v1::COMPLAINT_EVENT_TYPE_NOTIFIED)
      for (const auto& r : e.recipients()) councillor_told |= r == kMember;
  }
  EXPECT_TRUE(consulted);
  EXPECT_TRUE(councillor_told);
}

TEST_F(ComplaintsServiceE2ETest, AnAcknowledgedComplaintSurvivesKill9) {
  complaints::v1::Complaint complaint;
  ASSERT_TRUE(File(kMember, kPlanningOfficer, &complaint).ok());
  suite_->Kill9("complaints-service");
  suite_->Restart("complaints-service");
  complaints::v1::Complaint read;
  grpc::Status status;
  for (int attempt = 0; attempt < 50; ++attempt) {  // the gateway reconnects
    status = Get(kMember, complaint.name(), &read);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(read.handler(), complaint.handler());
  EXPECT_EQ(read.create_time().seconds(), complaint.create_time().seconds());
}

}  // namespace
}  // namespace council::e2e
