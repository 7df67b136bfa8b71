// complaints-service through its gRPC API, in process, with a real SQLite file,
// the fake directory and an injected "today": filing and routing, the ladder,
// the sweeper and its watch stream, outcomes and follow-ups, breaches and
// formal action, confidentiality and the timeline.

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/complaints/server_fixture.h"

namespace council::complaints {
namespace {

using ::council::complaints::testing::ServiceUnderTest;
using ::council::complaints::testing::ShippedProfile;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Day(const common::v1::Date& d) {
  return FormatDay(absl::CivilDay(d.year(), d.month(), d.day()));
}

std::vector<v1::ComplaintEventType> Types(const std::vector<v1::ComplaintEvent>& events) {
  std::vector<v1::ComplaintEventType> types;
  for (const auto& e : events) types.push_back(e.type());
  return types;
}

const v1::Deadline* DeadlineFor(const v1::Complaint& complaint, const std::string& step) {
  for (const auto& d : complaint.deadlines())
    if (d.step() == step) return &d;
  return nullptr;
}

grpc::Status Acknowledge(ServiceUnderTest& s, const std::string& person, const std::string& name) {
  v1::AcknowledgeComplaintRequest request;
  request.set_name(name);
  v1::Complaint out;
  auto context = s.Context(person, "AcknowledgeComplaint");
  return s.stub->AcknowledgeComplaint(context.get(), request, &out);
}

grpc::Status Respond(ServiceUnderTest& s, const std::string& person, const std::string& name,
                     std::vector<std::string> salient = {}, v1::Complaint* out = nullptr) {
  v1::RespondToComplaintRequest request;
  request.set_name(name);
  request.set_text("We met and discussed it.");
  for (auto& p : salient) request.add_salient_points(p);
  v1::Complaint ignored;
  auto context = s.Context(person, "RespondToComplaint");
  return s.stub->RespondToComplaint(context.get(), request, out == nullptr ? &ignored : out);
}

grpc::Status Escalate(ServiceUnderTest& s, const std::string& person, const std::string& name,
                      v1::Complaint* out) {
  v1::EscalateComplaintRequest request;
  request.set_name(name);
  request.set_reason("The member remains dissatisfied.");
  auto context = s.Context(person, "EscalateComplaint");
  return s.stub->EscalateComplaint(context.get(), request, out);
}

grpc::Status Close(ServiceUnderTest& s, const std::string& person, const std::string& name,
                   v1::OutcomeFinding finding, std::vector<std::string> changes,
                   v1::Complaint* out, std::optional<absl::CivilDay> follow_up = std::nullopt) {
  v1::CloseComplaintRequest request;
  request.set_name(name);
  request.mutable_outcome()->set_finding(finding);
  request.mutable_outcome()->set_summary("Outcome explained to the member.");
  request.mutable_outcome()->set_apology(v1::APOLOGY_WRITTEN);
  request.mutable_outcome()->set_undertaking("It will not happen again.");
  for (auto& c : changes) request.mutable_outcome()->add_required_changes(c);
  if (follow_up.has_value()) *request.mutable_follow_up_date() = ToProtoDate(*follow_up);
  auto context = s.Context(person, "CloseComplaint");
  return s.stub->CloseComplaint(context.get(), request, out);
}

// --- filing and routing ------------------------------------------------------

TEST(CreateComplaintTest, RoutesAndComputesWorkingDayDeadlinesOverChristmas) {
  // South Somerset 16.3: filed Fri 18 Dec 2026, holding notice within 5
  // working days (Mon 4 Jan 2027) and outcome within 10 (Mon 11 Jan), skipping
  // Christmas, the Boxing Day substitute, the closure days and New Year's Day.
  ServiceUnderTest s("south-somerset");
  s.today = absl::CivilDay(2026, 12, 18);
  v1::Complaint c;
  grpc::Status status = s.Create("cllr-sophie", "people/off-matthew", &c);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(c.kind(), profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER);
  EXPECT_EQ(c.complainant(), "people/cllr-sophie");
  EXPECT_EQ(c.handler(), "people/off-michael") << "South Somerset 16.1: the officer's manager";
  EXPECT_EQ(c.current_stage(), "informal");
  ASSERT_NE(DeadlineFor(c, "holding-notice"), nullptr);
  EXPECT_EQ(Day(DeadlineFor(c, "holding-notice")->due_date()), "2027-01-04");
  EXPECT_EQ(Day(DeadlineFor(c, "respond")->due_date()), "2027-01-11");
  EXPECT_THAT(DeadlineFor(c, "respond")->skipped_days(),
              Contains("2026-12-25 Christmas Day (bank holiday in England and Wales)"));
  EXPECT_EQ(DeadlineFor(c, "respond")->state(), v1::DEADLINE_STATE_PENDING);
  EXPECT_EQ(c.stages(0).handler().manager(), "people/off-adebayo");
  std::vector<std::string> reasons;
  for (const auto& r : c.route_reasons()) reasons.push_back(r.citation().clause());
  EXPECT_THAT(reasons, Contains("South Somerset 16.1"));
  EXPECT_THAT(reasons, Contains("South Somerset 16.3"));
}

TEST(CreateComplaintTest, FilingAboutAnUnknownPersonIsNotFoundAndChangesNothing) {
  ServiceUnderTest s("southwark");
  const int64_t before = s.store->LastPosition();
  v1::Complaint c;
  grpc::Status status = s.Create("cllr-sophie", "people/off-nobody", &c);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("people/off-nobody"));
  EXPECT_EQ(s.store->LastPosition(), before);
  auto all = s.store->List("", "", 10, v1::COMPLAINT_STATE_UNSPECIFIED);
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(*all, IsEmpty());
}

TEST(CreateComplaintTest, AComplaintAboutOneselfIsRefusedAndChangesNothing) {
  ServiceUnderTest s("southwark");
  v1::Complaint c;
  grpc::Status status = s.Create("cllr-sophie", "people/cllr-sophie", &c);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status), ElementsAre(HasSubstr("complaint.subject")));
  EXPECT_EQ(s.store->LastPosition(), 0);
}

TEST(CreateComplaintTest, AKindContradictingTheDirectoryIsRefused) {
  ServiceUnderTest s("southwark");
  v1::CreateComplaintRequest request;
  request.mutable_complaint()->set_subject("people/off-james");
  request.mutable_complaint()->set_summary("x");
  request.mutable_complaint()->set_kind(profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER);
  auto context = s.Context("cllr-sophie", "CreateComplaint");
  v1::Complaint c;
  grpc::Status status = s.stub->CreateComplaint(context.get(), request, &c);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE"));
}

TEST(CreateComplaintTest, AProtocolWithoutAProcedureSaysSo) {
  // South Somerset 16 stops at the Chief Executive as handler.
  ServiceUnderTest s("south-somerset");
  v1::Complaint c;
  grpc::Status status = s.Create("cllr-sophie", "people/off-james", &c);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("no procedure"));
}

TEST(CreateComplaintTest, RelationsOutageIsRetryableAndChangesNothing) {
  ServiceUnderTest s("southwark");
  s.directory.SetUnavailable(true);
  v1::Complaint c;
  grpc::Status status = s.Create("cllr-sophie", "people/off-matthew", &c);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.store->LastPosition(), 0);
}

TEST(CreateComplaintTest, AComplaintAboutTheMonitoringOfficerGoesToTheChiefExecutive) {
  // Southwark 68: "Where the complaint relates to a chief officer or
  // monitoring officer, the complaint may be referred to the chief executive".
  ServiceUnderTest s("southwark");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-hannah", &c).ok());
  EXPECT_EQ(c.kind(), profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_SENIOR_OFFICER);
  EXPECT_EQ(c.handler(), "people/off-james");
  EXPECT_EQ(c.stages(0).clause().clause(), "Southwark 68");
  // The monitoring officer is the subject: she sees it, as a party.
  v1::Complaint read;
  EXPECT_TRUE(s.Get("off-hannah", c.name(), &read).ok());
}

TEST(CreateComplaintTest, AHandlerWithADeclaredRelationshipIsPassedOverAndWhyIsRecorded) {
  // Sheffield 15: the officer's manager handles, but the manager is the
  // complaining member's sibling: the next manager up takes it.
  ServiceUnderTest s("sheffield");
  s.directory.AddRelationship("people/cllr-karen", "people/off-jennifer", "relationships/rel-001");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-karen", "people/off-pat", &c).ok());
  EXPECT_EQ(c.handler(), "people/off-michael");
  ASSERT_EQ(c.stages(0).handler().passed_over_size(), 1);
  const auto& passed = c.stages(0).handler().passed_over(0);
  EXPECT_EQ(passed.person(), "people/off-jennifer");
  EXPECT_THAT(passed.reason(), HasSubstr("declared relationship with people/cllr-karen"));
  EXPECT_THAT(passed.relationships(), ElementsAre("relationships/rel-001"));
  // Jennifer is not a participant and cannot read it.
  v1::Complaint read;
  EXPECT_EQ(s.Get("off-jennifer", c.name(), &read).error_code(), grpc::StatusCode::NOT_FOUND);
}

// --- confidentiality -----------------------------------------------------------

TEST(ConfidentialityTest, OnlyPartiesHandlersAndTheProfilesReadersSeeAComplaint) {
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  v1::Complaint read;
  EXPECT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok()) << "the complainant";
  EXPECT_TRUE(s.Get("off-matthew", c.name(), &read).ok()) << "the subject";
  EXPECT_TRUE(s.Get("off-michael", c.name(), &read).ok()) << "the handler";
  EXPECT_TRUE(s.Get("off-hannah", c.name(), &read, {"monitoring-officer"}).ok())
      << "Sheffield 15: the Monitoring Officer";
  EXPECT_TRUE(s.Get("off-sian", c.name(), &read, {"head-of-hr"}).ok()) << "Sheffield 15: HR";
  grpc::Status other = s.Get("cllr-ada", c.name(), &read, {"member"});
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND) << "another member";
  EXPECT_EQ(s.Get("off-li", c.name(), &read, {"officer"}).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListComplaintsRequest request;
  v1::ListComplaintsResponse listed;
  auto context = s.Context("cllr-ada", "ListComplaints", {"member"});
  ASSERT_TRUE(s.stub->ListComplaints(context.get(), request, &listed).ok());
  EXPECT_EQ(listed.complaints_size(), 0);
  auto mine = s.Context("cllr-sophie", "ListComplaints", {"member"});
  ASSERT_TRUE(s.stub->ListComplaints(mine.get(), request, &listed).ok());
  EXPECT_EQ(listed.complaints_size(), 1);
}

TEST(ConfidentialityTest, ListingsArePagedAndComplete) {
  ServiceUnderTest s("sheffield");
  for (int i = 0; i < 5; ++i) {
    v1::Complaint c;
    ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  }
  std::vector<std::string> names;
  std::string token;
  do {
    v1::ListComplaintsRequest request;
    request.set_page_size(2);
    request.set_page_token(token);
    v1::ListComplaintsResponse page;
    auto context = s.Context("off-hannah", "ListComplaints", {"monitoring-officer"});
    ASSERT_TRUE(s.stub->ListComplaints(context.get(), request, &page).ok());
    for (const auto& c : page.complaints()) names.push_back(c.name());
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(names.size(), 5u);
}

// --- the ladder -------------------------------------------------------------------

TEST(LadderTest, OnlyTheHandlerActsAtAStage) {
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  EXPECT_EQ(Acknowledge(s, "cllr-sophie", c.name()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Acknowledge(s, "off-michael", c.name()).ok());
  EXPECT_EQ(Acknowledge(s, "off-michael", c.name()).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "acknowledged twice";
}

TEST(LadderTest, InformalStagesKeepTheSalientPoints) {
  // Sheffield 15: "Manager to retain a record of salient points and actions".
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  grpc::Status missing = Respond(s, "off-michael", c.name());
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(missing), ElementsAre(HasSubstr("salient_points")));
  v1::Complaint responded;
  ASSERT_TRUE(Respond(s, "off-michael", c.name(),
                      {"Officer accepts the email was curt", "Weekly catch-up agreed"}, &responded)
                  .ok());
  EXPECT_THAT(responded.stages(0).response().salient_points(),
              ElementsAre("Officer accepts the email was curt", "Weekly catch-up agreed"));
}

TEST(LadderTest, EscalatingPastTheLastStageIsRefusedNamingTheClause) {
  // Sheffield 10.3.2 is the last stage of casework.
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "services/planning", &c).ok());
  EXPECT_EQ(c.handler(), "people/off-tunde") << "Sheffield 10.3.1: the relevant Director";
  v1::Complaint escalated;
  grpc::Status status = Escalate(s, "cllr-sophie", c.name(), &escalated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(escalated.current_stage(), "escalation");
  EXPECT_EQ(escalated.handler(), "people/off-james");
  EXPECT_EQ(escalated.stages(0).deadlines(0).state(), v1::DEADLINE_STATE_LAPSED);
  const int64_t revision = escalated.revision();
  status = Escalate(s, "cllr-sophie", c.name(), &escalated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Sheffield 10.3.2");
  EXPECT_THAT(status.error_message(), HasSubstr("last stage"));
  v1::Complaint read;
  ASSERT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok());
  EXPECT_EQ(read.revision(), revision) << "nothing changed";
}

TEST(LadderTest, HoldingNoticeSetsTheResponseDateWhereTheProtocolSaysSo) {
  // South Somerset 16.3: "the Councillor will be informed within 5 working
  // days ... as to when an outcome notification will be received".
  ServiceUnderTest s("south-somerset");
  s.today = absl::CivilDay(2027, 2, 1);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  s.today = absl::CivilDay(2027, 2, 4);
  v1::RecordHoldingNoticeRequest request;
  request.set_name(c.name());
  request.set_text("We need to interview two colleagues.");
  v1::Complaint out;
  auto context = s.Context("off-michael", "RecordHoldingNotice");
  grpc::Status missing = s.stub->RecordHoldingNotice(context.get(), request, &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  *request.mutable_expected_response_date() = ToProtoDate(absl::CivilDay(2027, 2, 26));
  auto again = s.Context("off-michael", "RecordHoldingNotice");
  ASSERT_TRUE(s.stub->RecordHoldingNotice(again.get(), request, &out).ok());
  EXPECT_EQ(DeadlineFor(out, "holding-notice")->state(), v1::DEADLINE_STATE_MET);
  EXPECT_EQ(Day(DeadlineFor(out, "respond")->due_date()), "2027-02-26");
  EXPECT_THAT(DeadlineFor(out, "respond")->note(), HasSubstr("South Somerset 16.3"));
}

TEST(LadderTest, AnOutcomeOnAClosedComplaintIsRefusedAndChangesNothing) {
  ServiceUnderTest s("sheffield");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  v1::Complaint closed;
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_NOT_UPHELD, {}, &closed).ok());
  EXPECT_EQ(closed.state(), v1::COMPLAINT_STATE_CLOSED);
  EXPECT_THAT(closed.outcome().informed(),
              ElementsAre("people/cllr-sophie", "people/off-matthew"));
  const int64_t position = s.store->LastPosition();
  v1::Complaint again;
  grpc::Status status =
      Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_UPHELD, {"Retrain"}, &again);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("cannot be recorded twice"));
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_RULE_FORBIDS");
  v1::Complaint read;
  ASSERT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok());
  EXPECT_EQ(read.outcome().finding(), v1::OUTCOME_FINDING_NOT_UPHELD);
  EXPECT_EQ(read.revision(), closed.revision());
  EXPECT_EQ(s.store->LastPosition(), position);
  v1::Complaint escalated;
  EXPECT_EQ(Escalate(s, "cllr-sophie", c.name(), &escalated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// --- the sweeper ----------------------------------------------------------------

TEST(SweeperTest, AMissedLimitWarnsTheHandlerAndTheirManagerOnce) {
  // South Somerset 16.3 with WARN: filed Mon 1 Feb 2027, holding notice due
  // Mon 8 Feb; swept on Tue 9 Feb.
  ServiceUnderTest s("south-somerset");
  s.today = absl::CivilDay(2027, 2, 1);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  v1::RunSweepResponse swept;
  s.today = absl::CivilDay(2027, 2, 8);
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.due_reminders(), 1) << "holding notice due today";
  s.today = absl::CivilDay(2027, 2, 9);
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.missed_warnings(), 1);
  EXPECT_EQ(swept.escalations(), 0) << "South Somerset never escalates automatically";
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.missed_warnings(), 0) << "reported once";
  auto events = s.Timeline("cllr-sophie", c.name());
  const v1::ComplaintEvent* missed = nullptr;
  for (const auto& e : events)
    if (e.type() == v1::COMPLAINT_EVENT_TYPE_DEADLINE_MISSED) missed = &e;
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ(missed->step(), "holding-notice");
  EXPECT_THAT(missed->recipients(), ElementsAre("people/off-michael", "people/off-adebayo"));
  EXPECT_EQ(missed->reasons(0).citation().clause(), "South Somerset 16.3");
  v1::Complaint read;
  ASSERT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok());
  EXPECT_EQ(DeadlineFor(read, "holding-notice")->state(), v1::DEADLINE_STATE_OVERDUE);
}

std::shared_ptr<const CouncilProfile> EscalatingProfile() {
  // South Somerset, but a missed informal limit escalates to the formal
  // approach automatically (a council could so decide).
  auto shipped = ShippedProfile("south-somerset");
  auto profile = std::make_shared<CouncilProfile>(*shipped);
  for (auto& route : *profile->mutable_complaints()->mutable_routes())
    if (route.kind() == profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER)
      route.mutable_stages(0)->set_on_missed_limit(profile::v1::MISSED_LIMIT_ACTION_ESCALATE);
  return profile;
}

TEST(SweeperTest, AnAutomaticEscalationIsSeenOnTheWatchStreamWithinASecond) {
  ServiceUnderTest s(EscalatingProfile());
  s.today = absl::CivilDay(2027, 2, 1);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  const int64_t from = s.store->LastPosition();

  v1::WatchComplaintEventsRequest request;
  request.set_after_position(from);
  auto context = s.Context("it-admin", "WatchComplaintEvents", {"administrator"});
  auto reader = s.stub->WatchComplaintEvents(context.get(), request);

  s.today = absl::CivilDay(2027, 2, 9);  // the holding notice was due on 8 Feb
  const absl::Time started = absl::Now();
  std::thread sweeper([&] {
    v1::RunSweepResponse swept;
    grpc::Status status = s.Sweep(s.today, &swept);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(swept.escalations(), 1);
  });
  v1::ComplaintEvent event;
  bool seen = false;
  while (reader->Read(&event)) {
    if (event.type() == v1::COMPLAINT_EVENT_TYPE_ESCALATED) {
      seen = true;
      break;
    }
  }
  const absl::Duration latency = absl::Now() - started;
  sweeper.join();
  context->TryCancel();
  ASSERT_TRUE(seen);
  EXPECT_LT(latency, absl::Seconds(1));
  EXPECT_EQ(event.complaint(), c.name());
  EXPECT_EQ(event.stage(), "formal");
  EXPECT_EQ(event.actor(), "services/complaints-service");
  EXPECT_THAT(event.recipients(), Contains("people/off-tunde"));
  EXPECT_GT(event.position(), from);

  v1::Complaint read;
  ASSERT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok());
  EXPECT_EQ(read.current_stage(), "formal");
  EXPECT_EQ(read.handler(), "people/off-tunde");
  EXPECT_THAT(read.stages(0).left_reason(), HasSubstr("escalated automatically"));
  // South Somerset 16.4: the group leader is told at the formal approach.
  EXPECT_EQ(read.stages(1).notifications(0).person(), "people/cllr-tory-leader");
}

TEST(SweeperTest, TheWatchStreamResumesFromAPositionAcrossARestart) {
  ServiceUnderTest s("sheffield");
  v1::Complaint a, b;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &a).ok());
  const int64_t seen = s.store->LastPosition();
  ASSERT_TRUE(s.Create("cllr-ada", "people/off-matthew", &b).ok());
  s.Restart();
  v1::WatchComplaintEventsRequest request;
  request.set_after_position(seen);
  auto context = s.Context("audit-reader", "WatchComplaintEvents", {"auditor"});
  auto reader = s.stub->WatchComplaintEvents(context.get(), request);
  v1::ComplaintEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.position(), seen + 1);
  EXPECT_EQ(event.complaint(), b.name());
  EXPECT_EQ(event.type(), v1::COMPLAINT_EVENT_TYPE_FILED);
  context->TryCancel();
}

TEST(SweeperTest, OnlyInternalToolsMayWatch) {
  ServiceUnderTest s("sheffield");
  v1::WatchComplaintEventsRequest request;
  auto context = s.Context("cllr-sophie", "WatchComplaintEvents", {"member"});
  auto reader = s.stub->WatchComplaintEvents(context.get(), request);
  v1::ComplaintEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// --- outcomes and follow-up -------------------------------------------------------

TEST(FollowUpTest, ACheckComesDueSixMonthsAfterRequiredChangesAndIsTrackedToDone) {
  // South Somerset 16.7: "A check will be made at six months ... that the
  // required changes have been implemented and that the complainant is
  // content." Outcome Mon 11 Jan 2027; six months is Sun 11 Jul 2027, so the
  // check is due on the next working day, Mon 12 Jul.
  ServiceUnderTest s("south-somerset");
  s.today = absl::CivilDay(2027, 1, 4);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  s.today = absl::CivilDay(2027, 1, 11);
  v1::Complaint closed;
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_UPHELD,
                    {"Planning replies to members within 5 working days"}, &closed)
                  .ok());
  ASSERT_TRUE(closed.has_follow_up());
  EXPECT_EQ(Day(closed.follow_up().due_date()), "2027-07-12");
  EXPECT_EQ(closed.follow_up().clause().clause(), "South Somerset 16.7");
  EXPECT_EQ(closed.follow_up().assigned_to(), "people/off-michael");
  EXPECT_EQ(closed.follow_up().state(), v1::FOLLOW_UP_STATE_SCHEDULED);

  v1::RunSweepResponse swept;
  s.today = absl::CivilDay(2027, 7, 9);
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.follow_ups_due(), 0);
  s.today = absl::CivilDay(2027, 7, 12);
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.follow_ups_due(), 1);
  v1::Complaint read;
  ASSERT_TRUE(s.Get("off-michael", c.name(), &read).ok());
  EXPECT_EQ(read.follow_up().state(), v1::FOLLOW_UP_STATE_DUE);

  v1::CompleteFollowUpCheckRequest request;
  request.set_name(c.name());
  request.set_changes_implemented(true);
  request.set_complainant_content(true);
  request.set_notes("Replies now tracked weekly.");
  auto context = s.Context("off-michael", "CompleteFollowUpCheck");
  ASSERT_TRUE(s.stub->CompleteFollowUpCheck(context.get(), request, &read).ok());
  EXPECT_EQ(read.follow_up().state(), v1::FOLLOW_UP_STATE_DONE);
  s.today = absl::CivilDay(2027, 7, 20);
  ASSERT_TRUE(s.Sweep(s.today, &swept).ok());
  EXPECT_EQ(swept.follow_ups_due(), 0) << "done checks are not reported";
  EXPECT_THAT(Types(s.Timeline("cllr-sophie", c.name())),
              ElementsAre(v1::COMPLAINT_EVENT_TYPE_FILED, v1::COMPLAINT_EVENT_TYPE_CLOSED,
                          v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_SCHEDULED,
                          v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_DUE,
                          v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_COMPLETED));
}

TEST(FollowUpTest, APreSpecifiedDateReplacesTheSixMonths) {
  ServiceUnderTest s("south-somerset");
  s.today = absl::CivilDay(2027, 1, 4);
  v1::Complaint c, closed;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_PARTLY_UPHELD,
                    {"New template letter"}, &closed, absl::CivilDay(2027, 3, 1))
                  .ok());
  EXPECT_EQ(Day(closed.follow_up().due_date()), "2027-03-01");
  EXPECT_THAT(closed.follow_up().basis(), HasSubstr("pre-specified"));
}

// --- breaches and formal action ------------------------------------------------

TEST(BreachTest, MiddlesbroughRoutesABreachByWhoBreached) {
  ServiceUnderTest s("middlesbrough");
  // 20.2: an officer's breach goes to their line manager.
  v1::Complaint c, closed, referred;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  v1::RecordBreachFindingRequest request;
  request.set_name(c.name());
  request.set_breached_by("people/off-matthew");
  request.set_finding("Shouted at the member in reception.");
  auto context = s.Context("off-hannah", "RecordBreachFinding", {"monitoring-officer"});
  grpc::Status status = s.stub->RecordBreachFinding(context.get(), request, &referred);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(referred.breach_referral().breach_subject(), profile::v1::BREACH_SUBJECT_OFFICER);
  EXPECT_EQ(referred.breach_referral().handler().person(), "people/off-michael");
  EXPECT_EQ(referred.breach_referral().clause().clause(), "Middlesbrough 20.2");

  // 20.3: a senior officer's goes to the Chief Officer Appointments Committee.
  v1::Complaint senior;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-tunde", &senior).ok());
  ASSERT_TRUE(Close(s, "off-james", senior.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  request.set_name(senior.name());
  request.set_breached_by("people/off-tunde");
  auto context2 = s.Context("off-hannah", "RecordBreachFinding", {"monitoring-officer"});
  ASSERT_TRUE(s.stub->RecordBreachFinding(context2.get(), request, &referred).ok());
  EXPECT_EQ(referred.breach_referral().breach_subject(),
            profile::v1::BREACH_SUBJECT_SENIOR_OFFICER);
  EXPECT_EQ(referred.breach_referral().handler().body(),
            "bodies/chief-officer-appointments-committee");
  EXPECT_EQ(referred.breach_referral().clause().clause(), "Middlesbrough 20.3");

  // 20.1: a member's goes to the Monitoring Officer.
  v1::Complaint member;
  ASSERT_TRUE(s.Create("off-matthew", "people/cllr-sophie", &member).ok());
  ASSERT_TRUE(Close(s, "off-hannah", member.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  request.set_name(member.name());
  request.set_breached_by("people/cllr-sophie");
  auto context3 = s.Context("off-hannah", "RecordBreachFinding", {"monitoring-officer"});
  ASSERT_TRUE(s.stub->RecordBreachFinding(context3.get(), request, &referred).ok());
  EXPECT_EQ(referred.breach_referral().breach_subject(), profile::v1::BREACH_SUBJECT_MEMBER);
  EXPECT_EQ(referred.breach_referral().handler().person(), "people/off-hannah");
  EXPECT_EQ(referred.breach_referral().clause().clause(), "Middlesbrough 20.1");
}

TEST(BreachTest, ABreachNeedsAnUpheldOutcome) {
  ServiceUnderTest s("middlesbrough");
  v1::Complaint c, closed, referred;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_NOT_UPHELD, {}, &closed).ok());
  v1::RecordBreachFindingRequest request;
  request.set_name(c.name());
  request.set_breached_by("people/off-matthew");
  request.set_finding("x");
  auto context = s.Context("off-hannah", "RecordBreachFinding", {"monitoring-officer"});
  EXPECT_EQ(s.stub->RecordBreachFinding(context.get(), request, &referred).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(FormalActionTest, OnlyManagersWithHrDecideNeverMembers) {
  // Sheffield 15: "only Managers (not Members) in consultation with the
  // relevant Human Resources Officer will decide whether formal action should
  // be taken".
  ServiceUnderTest s("sheffield");
  v1::Complaint c, closed, decided;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  v1::DecideFormalActionRequest request;
  request.set_name(c.name());
  request.set_formal_action(true);
  request.set_reasons("Repeated discourtesy.");
  request.set_hr_consulted("people/off-sian");
  auto member = s.Context("cllr-sophie", "DecideFormalAction", {"member"});
  grpc::Status refused = s.stub->DecideFormalAction(member.get(), request, &decided);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(refused, "clause"), "Sheffield 15");
  EXPECT_THAT(refused.error_message(), HasSubstr("members never decide"));

  request.clear_hr_consulted();
  auto no_hr = s.Context("off-michael", "DecideFormalAction", {"officer"});
  grpc::Status without_hr = s.stub->DecideFormalAction(no_hr.get(), request, &decided);
  EXPECT_EQ(without_hr.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(without_hr), ElementsAre(HasSubstr("hr_consulted")));

  request.set_hr_consulted("people/off-sian");
  auto manager = s.Context("off-michael", "DecideFormalAction", {"officer"});
  grpc::Status ok = s.stub->DecideFormalAction(manager.get(), request, &decided);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_TRUE(decided.formal_action().formal_action());
  EXPECT_EQ(decided.formal_action().decided_by(), "people/off-michael");
  EXPECT_EQ(decided.formal_action().hr_consulted(), "people/off-sian");
}

// --- timeline, audit, recomputation -----------------------------------------------

TEST(TimelineTest, EveryStateChangeIsOnTheTimelineAndInTheAuditChain) {
  ServiceUnderTest s("southwark");
  v1::Complaint c, escalated, closed;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-james", &c).ok());
  EXPECT_EQ(c.handler(), "people/cllr-tory-whip") << "Southwark 69";
  ASSERT_TRUE(Acknowledge(s, "cllr-tory-whip", c.name()).ok());
  ASSERT_TRUE(Respond(s, "cllr-tory-whip", c.name()).ok());
  ASSERT_TRUE(Escalate(s, "cllr-sophie", c.name(), &escalated).ok());
  EXPECT_EQ(escalated.handler(), "people/off-hannah") << "Southwark 70";
  ASSERT_EQ(escalated.stages(1).joint_handlers_size(), 1);
  EXPECT_EQ(escalated.stages(1).joint_handlers(0).person(), "people/off-sian");
  // The joint handler may act too.
  ASSERT_TRUE(Close(s, "off-sian", c.name(), v1::OUTCOME_FINDING_NOT_UPHELD, {}, &closed).ok());
  auto events = s.Timeline("cllr-sophie", c.name());
  EXPECT_THAT(Types(events),
              ElementsAre(v1::COMPLAINT_EVENT_TYPE_FILED, v1::COMPLAINT_EVENT_TYPE_ACKNOWLEDGED,
                          v1::COMPLAINT_EVENT_TYPE_RESPONDED, v1::COMPLAINT_EVENT_TYPE_ESCALATED,
                          v1::COMPLAINT_EVENT_TYPE_CLOSED));
  auto audit = s.store->AuditEntries(c.name());
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> actions;
  for (const auto& e : *audit) actions.push_back(e.action);
  EXPECT_THAT(actions, ElementsAre("CreateComplaint", "AcknowledgeComplaint",
                                   "RespondToComplaint", "EscalateComplaint", "CloseComplaint",
                                   "GetComplaintTimeline"));
  EXPECT_TRUE(s.store->VerifyAudit().ok);
}

TEST(RecomputeTest, ChangedClosureDaysMoveOpenDeadlinesAndTheChangeIsRecorded) {
  // Filed Fri 18 Dec 2026 under South Somerset without closure days: the
  // holding notice is due Tue 29 Dec (21, 22, 23, 24 Dec, then 29 after
  // Christmas, the weekend and the Boxing Day substitute). The council then closes 29-31 Dec; on
  // restart the open deadline moves to Mon 4 Jan 2027, and the timeline says
  // why.
  auto without = std::make_shared<CouncilProfile>(*ShippedProfile("south-somerset"));
  without->clear_closure_days();
  ServiceUnderTest s(without);
  s.today = absl::CivilDay(2026, 12, 18);
  v1::Complaint c;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  EXPECT_EQ(Day(DeadlineFor(c, "holding-notice")->due_date()), "2026-12-29");
  s.Restart(ShippedProfile("south-somerset"));
  v1::Complaint read;
  ASSERT_TRUE(s.Get("cllr-sophie", c.name(), &read).ok());
  EXPECT_EQ(Day(DeadlineFor(read, "holding-notice")->due_date()), "2027-01-04");
  EXPECT_EQ(DeadlineFor(read, "holding-notice")->calendar(),
            "England and Wales + 3 council closure days");
  auto events = s.Timeline("cllr-sophie", c.name());
  ASSERT_EQ(events.back().type(), v1::COMPLAINT_EVENT_TYPE_DEADLINES_RECOMPUTED);
  EXPECT_THAT(events.back().detail(), HasSubstr("holding-notice 2026-12-29 -> 2027-01-04"));
  // A second restart with the same calendar changes nothing.
  const int64_t position = s.store->LastPosition();
  s.Restart();
  EXPECT_EQ(s.store->LastPosition(), position);
}

}  // namespace
}  // namespace council::complaints
