// End-to-end tests of the complaints clauses issue 18 found wrong, each under
// its own protocol's profile: the four real binaries on loopback with real
// SQLite files, the demo council (Borough of Eastmere) loaded through the
// gateway, every call through the gateway with real tokens. Each test names
// the clause it checks. (South Somerset 17.4 and 17.6 are in
// complaints_e2e_test.cc, whose suite runs that profile.)
#include <string>
#include <vector>

#include "common/errors/grpc_errors.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using complaints::v1::Complaint;
using complaints::v1::ComplaintsService;
using ::testing::Contains;
using ::testing::HasSubstr;

// Demo people (demo/council/*.csv).
constexpr char kMember[] = "people/cllr-sophie-wright";         // Eastmere Labour
constexpr char kLabourWhip[] = "people/cllr-hannah-field";
constexpr char kLeaderOfTheCouncil[] = "people/cllr-ada-okafor";  // leader-of-the-council
constexpr char kChiefExecutive[] = "people/off-james-whitaker";
constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";
constexpr char kDeputyMonitoringOfficer[] = "people/off-bronwen-jones";
constexpr char kHeadOfHr[] = "people/off-sian-jones";
constexpr char kPlanningOfficer[] = "people/off-matthew-barker";
constexpr char kDevelopmentManager[] = "people/off-michael-marsh";
constexpr char kDirectorOfPlace[] = "people/off-tunde-okoro";

// Calls through the gateway as a person.
class Caller {
 public:
  Caller(Suite* suite) : suite_(suite), stub_(ComplaintsService::NewStub(suite->GatewayChannel())) {}

  grpc::Status File(const std::string& as, const std::string& subject, Complaint* out) {
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(subject);
    request.mutable_complaint()->set_summary("Dismissive and discourteous at a briefing.");
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->CreateComplaint(&context, request, out);
  }
  grpc::Status Get(const std::string& as, const std::string& name, Complaint* out) {
    complaints::v1::GetComplaintRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->GetComplaint(&context, request, out);
  }
  grpc::Status Respond(const std::string& as, const std::string& name, Complaint* out,
                       std::vector<std::string> salient = {}) {
    complaints::v1::RespondToComplaintRequest request;
    request.set_name(name);
    request.set_text("Written response to the complaint.");
    for (auto& p : salient) request.add_salient_points(p);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->RespondToComplaint(&context, request, out);
  }
  grpc::Status Escalate(const std::string& as, const std::string& name, Complaint* out,
                        bool trade_union = false, bool directly = false) {
    complaints::v1::EscalateComplaintRequest request;
    request.set_name(name);
    request.set_reason("Still dissatisfied.");
    request.set_trade_union_consulted(trade_union);
    request.set_raise_directly(directly);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->EscalateComplaint(&context, request, out);
  }
  grpc::Status Close(const std::string& as, const std::string& name,
                     complaints::v1::OutcomeFinding finding, Complaint* out) {
    complaints::v1::CloseComplaintRequest request;
    request.set_name(name);
    request.mutable_outcome()->set_finding(finding);
    request.mutable_outcome()->set_summary("Outcome explained.");
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->CloseComplaint(&context, request, out);
  }
  grpc::Status Refer(const std::string& as, const std::string& name, const std::string& who,
                     Complaint* out) {
    complaints::v1::RecordBreachFindingRequest request;
    request.set_name(name);
    request.set_breached_by(who);
    request.set_finding("Disciplinary action is required.");
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->RecordBreachFinding(&context, request, out);
  }
  grpc::Status Decide(const std::string& as, const std::string& name, const std::string& hr,
                      Complaint* out) {
    complaints::v1::DecideFormalActionRequest request;
    request.set_name(name);
    request.set_formal_action(false);
    request.set_reasons("An apology was given; no formal process is needed.");
    request.set_hr_consulted(hr);
    grpc::ClientContext context;
    suite_->Authorize(&context, as);
    return stub_->DecideFormalAction(&context, request, out);
  }

 private:
  Suite* suite_;
  std::unique_ptr<ComplaintsService::Stub> stub_;
};

std::vector<std::string> Clauses(const google::protobuf::RepeatedPtrField<
                                 common::v1::DecisionReason>& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(r.citation().clause());
  return out;
}

// --- Southwark ---------------------------------------------------------------------

class SouthwarkComplaintsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("southwark").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* SouthwarkComplaintsE2ETest::suite_ = nullptr;

TEST_F(SouthwarkComplaintsE2ETest, Southwark69TheChiefExecutiveRespondsTheWhipFacilitates) {
  // Southwark 69: a meeting "could be facilitated by the whip or leader of
  // the relevant political group ... The chief executive will provide the
  // member with a written response to their complaint."
  Caller call(suite_);
  Complaint c, out;
  grpc::Status filed = call.File(kMember, kChiefExecutive, &c);
  ASSERT_TRUE(filed.ok()) << filed.error_message();
  EXPECT_EQ(c.kind(), profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE);
  EXPECT_EQ(c.handler(), "");
  EXPECT_EQ(c.stages(0).respondent().person(), kChiefExecutive);
  EXPECT_THAT(Clauses(c.stages(0).respondent().reasons()), Contains("Southwark 69"));
  EXPECT_EQ(c.stages(0).facilitator().person(), kLabourWhip);
  EXPECT_THAT(Clauses(c.stages(0).facilitator().reasons()), Contains("Southwark 69"));

  grpc::Status whip = call.Respond(kLabourWhip, c.name(), &out);
  EXPECT_EQ(whip.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status ce = call.Respond(kChiefExecutive, c.name(), &out);
  ASSERT_TRUE(ce.ok()) << ce.error_message();
  EXPECT_EQ(out.stages(0).response().responded_by(), kChiefExecutive);
}

TEST_F(SouthwarkComplaintsE2ETest, Southwark70MonitoringOfficerAndHrReportTheLeaderDecides) {
  // Southwark 70: the monitoring officer and the head of human resources
  // "will prepare a report for consideration by the leader of the council",
  // who decides "whether a formal process ... is appropriate".
  Caller call(suite_);
  Complaint c, out;
  ASSERT_TRUE(call.File(kMember, kChiefExecutive, &c).ok());
  ASSERT_TRUE(call.Respond(kChiefExecutive, c.name(), &out).ok());
  grpc::Status escalated = call.Escalate(kMember, c.name(), &out);
  ASSERT_TRUE(escalated.ok()) << escalated.error_message();
  EXPECT_EQ(out.handler(), kMonitoringOfficer);
  ASSERT_EQ(out.stages(1).joint_handlers_size(), 1);
  EXPECT_EQ(out.stages(1).joint_handlers(0).person(), kHeadOfHr);
  ASSERT_TRUE(call.Respond(kHeadOfHr, c.name(), &out).ok()) << "the joint report";
  grpc::Status to_leader = call.Escalate(kMonitoringOfficer, c.name(), &out);
  ASSERT_TRUE(to_leader.ok()) << to_leader.error_message();
  EXPECT_EQ(out.current_stage(), "leader-decision");
  EXPECT_EQ(out.handler(), kLeaderOfTheCouncil);
  ASSERT_TRUE(call.Close(kLeaderOfTheCouncil, c.name(), complaints::v1::OUTCOME_FINDING_UPHELD,
                         &out)
                  .ok());
  grpc::Status mo = call.Decide(kMonitoringOfficer, c.name(), "", &out);
  EXPECT_EQ(mo.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(mo, "clause"), "Southwark 70");
  grpc::Status leader = call.Decide(kLeaderOfTheCouncil, c.name(), "", &out);
  ASSERT_TRUE(leader.ok()) << leader.error_message();
  EXPECT_EQ(out.formal_action().decided_by(), kLeaderOfTheCouncil);
  EXPECT_THAT(Clauses(out.formal_action().clauses()), Contains("Southwark 70"));
}

TEST_F(SouthwarkComplaintsE2ETest, AHolderPassedOverForTheDeputyIsInPassedOver) {
  // Southwark 66: an officer's complaint about a member has recourse to the
  // Monitoring Officer. When the Monitoring Officer herself complains, she
  // is passed over for her deputy, and handler.passed_over records it.
  Caller call(suite_);
  Complaint c, out;
  grpc::Status filed = call.File(kMonitoringOfficer, kMember, &c);
  ASSERT_TRUE(filed.ok()) << filed.error_message();
  grpc::Status escalated = call.Escalate(kMonitoringOfficer, c.name(), &out);
  ASSERT_TRUE(escalated.ok()) << escalated.error_message();
  const auto& handler = out.stages(1).handler();
  EXPECT_EQ(handler.person(), kDeputyMonitoringOfficer);
  ASSERT_GE(handler.passed_over_size(), 1);
  EXPECT_EQ(handler.passed_over(0).person(), kMonitoringOfficer);
  EXPECT_THAT(handler.passed_over(0).reason(), HasSubstr("party to the matter"));
}

// --- Sheffield ---------------------------------------------------------------------

class SheffieldComplaintsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("sheffield").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* SheffieldComplaintsE2ETest::suite_ = nullptr;

TEST_F(SheffieldComplaintsE2ETest, Sheffield15TheExecutiveDirectorInvestigatesTheMoDecides) {
  // Sheffield 15: the Monitoring Officer "will arrange for the Executive
  // Director to investigate and report recommendations back in writing";
  // "The Manager may decide that appropriate disciplinary action is
  // required; if so, he/she will notify the Monitoring Officer who will
  // decide in consultation with the relevant Human Resources Officer
  // whether formal action ... should be taken."
  Caller call(suite_);
  Complaint c, out;
  ASSERT_TRUE(call.File(kMember, kPlanningOfficer, &c).ok());
  EXPECT_EQ(c.handler(), kDevelopmentManager);
  ASSERT_TRUE(call.Escalate(kMember, c.name(), &out).ok());
  const auto& stage = out.stages(1);
  EXPECT_EQ(stage.handler().person(), kMonitoringOfficer);
  EXPECT_EQ(stage.investigator().person(), kDirectorOfPlace);
  EXPECT_THAT(Clauses(stage.investigator().reasons()), Contains("Sheffield 15"));
  EXPECT_EQ(stage.respondent().person(), kDirectorOfPlace);

  Complaint read;
  EXPECT_TRUE(call.Get(kDirectorOfPlace, c.name(), &read).ok()) << "the investigator reads it";
  EXPECT_EQ(call.Respond(kMonitoringOfficer, c.name(), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(call.Respond(kDirectorOfPlace, c.name(), &out).ok()) << "the report";
  ASSERT_TRUE(call.Close(kMonitoringOfficer, c.name(), complaints::v1::OUTCOME_FINDING_UPHELD,
                         &out)
                  .ok());

  // The manager does not decide formal action; they refer it.
  grpc::Status manager = call.Decide(kDevelopmentManager, c.name(), kHeadOfHr, &out);
  EXPECT_EQ(manager.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(manager, "clause"), "Sheffield 15");
  EXPECT_THAT(manager.error_message(), HasSubstr(kMonitoringOfficer));
  grpc::Status referred = call.Refer(kDevelopmentManager, c.name(), kPlanningOfficer, &out);
  ASSERT_TRUE(referred.ok()) << referred.error_message();
  EXPECT_EQ(out.breach_referral().handler().person(), kMonitoringOfficer);
  grpc::Status decided = call.Decide(kMonitoringOfficer, c.name(), kHeadOfHr, &out);
  ASSERT_TRUE(decided.ok()) << decided.error_message();
  EXPECT_EQ(out.formal_action().decided_by(), kMonitoringOfficer);
  EXPECT_EQ(out.formal_action().hr_consulted(), kHeadOfHr);
}

}  // namespace
}  // namespace council::e2e
