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

grpc::Status DecideFormalAction(ServiceUnderTest& s, const std::string& person,
                                const std::string& name, const std::string& hr,
                                v1::Complaint* out, std::vector<std::string> roles = {}) {
  v1::DecideFormalActionRequest request;
  request.set_name(name);
  request.set_formal_action(true);
  request.set_reasons("Repeated discourtesy.");
  if (!hr.empty()) request.set_hr_consulted(hr);
  auto context = s.Context(person, "DecideFormalAction", std::move(roles));
  return s.stub->DecideFormalAction(context.get(), request, out);
}

TEST(FormalActionTest, SheffieldTheManagerRefersAndTheMonitoringOfficerDecidesWithHr) {
  // Sheffield 15, third bullet of "Members Concerns about Officers": "The
  // Manager may decide that appropriate disciplinary action is required; if
  // so, he/she will notify the Monitoring Officer who will decide in
  // consultation with the relevant Human Resources Officer whether formal
  // action ... should be taken." Members never decide; the manager refers
  // (the breach finding) and the Monitoring Officer decides, with HR.
  ServiceUnderTest s("sheffield");
  v1::Complaint c, closed, decided, referred;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Close(s, "off-michael", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());

  grpc::Status member =
      DecideFormalAction(s, "cllr-sophie", c.name(), "people/off-sian", &decided, {"member"});
  EXPECT_EQ(member.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(member, "clause"), "Sheffield 15");
  EXPECT_THAT(member.error_message(), HasSubstr("members never decide"));

  // The manager no longer decides past the Monitoring Officer.
  grpc::Status manager =
      DecideFormalAction(s, "off-michael", c.name(), "people/off-sian", &decided, {"officer"});
  EXPECT_EQ(manager.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(manager, "clause"), "Sheffield 15");
  EXPECT_THAT(manager.error_message(), HasSubstr("people/off-hannah"));

  // The Monitoring Officer decides only once the manager has referred it.
  grpc::Status early = DecideFormalAction(s, "off-hannah", c.name(), "people/off-sian", &decided,
                                          {"officer", "monitoring-officer"});
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(early.error_message(), HasSubstr("breach"));

  v1::RecordBreachFindingRequest refer;
  refer.set_name(c.name());
  refer.set_breached_by("people/off-matthew");
  refer.set_finding("Disciplinary action is required.");
  auto refer_context = s.Context("off-michael", "RecordBreachFinding", {"officer"});
  grpc::Status referral = s.stub->RecordBreachFinding(refer_context.get(), refer, &referred);
  ASSERT_TRUE(referral.ok()) << referral.error_message();
  EXPECT_EQ(referred.breach_referral().handler().person(), "people/off-hannah");

  grpc::Status no_hr = DecideFormalAction(s, "off-hannah", c.name(), "", &decided,
                                          {"officer", "monitoring-officer"});
  EXPECT_EQ(no_hr.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(no_hr), ElementsAre(HasSubstr("hr_consulted")));

  grpc::Status ok = DecideFormalAction(s, "off-hannah", c.name(), "people/off-sian", &decided,
                                       {"officer", "monitoring-officer"});
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_TRUE(decided.formal_action().formal_action());
  EXPECT_EQ(decided.formal_action().decided_by(), "people/off-hannah");
  EXPECT_EQ(decided.formal_action().hr_consulted(), "people/off-sian");
  std::vector<std::string> clauses;
  for (const auto& r : decided.formal_action().clauses()) clauses.push_back(r.citation().clause());
  EXPECT_THAT(clauses, Contains("Sheffield 15"));
}

TEST(FormalActionTest, SheffieldSeniorOfficersManagersStillDecide) {
  // Sheffield 15, "Members Concerns about Senior Officers": "only Managers
  // (not Members) in consultation with the relevant Human Resources Officer
  // will decide": no decider is named there, so the Chief Executive, who
  // manages a director, decides with HR.
  ServiceUnderTest s("sheffield");
  v1::Complaint c, closed, decided;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-tunde", &c).ok());
  ASSERT_TRUE(Close(s, "off-james", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  grpc::Status ok =
      DecideFormalAction(s, "off-james", c.name(), "people/off-sian", &decided, {"officer"});
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(decided.formal_action().decided_by(), "people/off-james");
}

// --- timeline, audit, recomputation -----------------------------------------------

TEST(TimelineTest, EveryStateChangeIsOnTheTimelineAndInTheAuditChain) {
  // Southwark 69-70: the chief executive responds, the member escalates, the
  // Monitoring Officer and the Head of HR report jointly.
  ServiceUnderTest s("southwark");
  v1::Complaint c, escalated, closed;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-james", &c).ok());
  ASSERT_TRUE(Acknowledge(s, "off-james", c.name()).ok());
  ASSERT_TRUE(Respond(s, "off-james", c.name()).ok());
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

// --- issue 18: the complaints clauses as the protocols write them ---------------

bool HasParticipant(const v1::Complaint& c, const std::string& person, v1::ParticipantRole role,
                    const std::string& clause) {
  for (const auto& p : c.participants())
    if (p.person() == person && p.role() == role && p.clause().clause() == clause) return true;
  return false;
}

TEST(SouthwarkChiefExecutiveTest, TheChiefExecutiveRespondsInWritingAndTheWhipOnlyFacilitates) {
  // Southwark 69: "The chief executive will provide the member with a
  // written response to their complaint"; the whip or leader may facilitate
  // a meeting.
  ServiceUnderTest s("southwark");
  v1::Complaint c, responded;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-james", &c).ok());
  EXPECT_EQ(c.handler(), "") << "nobody handles a complaint about the chief executive";
  ASSERT_EQ(c.stages_size(), 1);
  EXPECT_EQ(c.stages(0).respondent().person(), "people/off-james");
  EXPECT_EQ(c.stages(0).facilitator().person(), "people/cllr-tory-whip");
  EXPECT_TRUE(HasParticipant(c, "people/off-james", v1::PARTICIPANT_ROLE_RESPONDENT,
                             "Southwark 69"));
  EXPECT_TRUE(HasParticipant(c, "people/cllr-tory-whip", v1::PARTICIPANT_ROLE_FACILITATOR,
                             "Southwark 69"));
  EXPECT_THAT(c.stages(0).facilitator().basis(), HasSubstr("whip"));
  // The facilitator reads it but records nothing.
  v1::Complaint read;
  EXPECT_TRUE(s.Get("cllr-tory-whip", c.name(), &read).ok());
  grpc::Status whip = Respond(s, "cllr-tory-whip", c.name());
  EXPECT_EQ(whip.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(whip.error_message(), HasSubstr("people/off-james"));
  // The chief executive acknowledges and gives the written response.
  ASSERT_TRUE(Acknowledge(s, "off-james", c.name()).ok());
  grpc::Status ce = Respond(s, "off-james", c.name(), {}, &responded);
  ASSERT_TRUE(ce.ok()) << ce.error_message();
  EXPECT_EQ(responded.stages(0).response().responded_by(), "people/off-james");
  // Content, the member closes it: as resolved only (no finding about
  // oneself, and no independent handler to make one).
  v1::Complaint closed;
  grpc::Status finding =
      Close(s, "cllr-sophie", c.name(), v1::OUTCOME_FINDING_NOT_UPHELD, {}, &closed);
  EXPECT_EQ(finding.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(finding), ElementsAre(HasSubstr("outcome.finding")));
  grpc::Status ce_closes =
      Close(s, "off-james", c.name(), v1::OUTCOME_FINDING_NOT_UPHELD, {}, &closed);
  EXPECT_EQ(ce_closes.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "the chief executive does not decide a complaint about himself";
  grpc::Status resolved =
      Close(s, "cllr-sophie", c.name(), v1::OUTCOME_FINDING_RESOLVED, {}, &closed);
  ASSERT_TRUE(resolved.ok()) << resolved.error_message();
  EXPECT_EQ(closed.outcome().decided_by(), "people/cllr-sophie");
}

TEST(SouthwarkChiefExecutiveTest, ReportToTheLeaderWhoDecidesWhetherAFormalProcessApplies) {
  // Southwark 70: the member "will notify the monitoring officer and the head
  // of human resources in writing and they will prepare a report for
  // consideration by the leader of the council. The leader of the council
  // ... will have regard as to whether a formal process ... is appropriate."
  ServiceUnderTest s("southwark");
  v1::Complaint c, report, leader, closed, decided;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-james", &c).ok());
  ASSERT_TRUE(Respond(s, "off-james", c.name()).ok());
  ASSERT_TRUE(Escalate(s, "cllr-sophie", c.name(), &report).ok());
  EXPECT_EQ(report.current_stage(), "report-to-leader");
  EXPECT_EQ(report.handler(), "people/off-hannah");
  EXPECT_EQ(report.stages(1).joint_handlers(0).person(), "people/off-sian");
  ASSERT_TRUE(Respond(s, "off-sian", c.name()).ok()) << "the joint report";
  ASSERT_TRUE(Escalate(s, "off-hannah", c.name(), &leader).ok()) << "put before the Leader";
  EXPECT_EQ(leader.current_stage(), "leader-decision");
  EXPECT_EQ(leader.handler(), "people/cllr-ada");
  EXPECT_EQ(leader.stages(2).handler().designation(), "designations/leader-of-the-council");
  ASSERT_TRUE(Close(s, "cllr-ada", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
  // The Monitoring Officer does not decide; the Leader (a member) does.
  grpc::Status mo = DecideFormalAction(s, "off-hannah", c.name(), "", &decided,
                                       {"officer", "monitoring-officer"});
  EXPECT_EQ(mo.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(mo, "clause"), "Southwark 70");
  EXPECT_THAT(mo.error_message(), HasSubstr("people/cllr-ada"));
  grpc::Status ok = DecideFormalAction(s, "cllr-ada", c.name(), "", &decided,
                                       {"member", "leader-of-the-council"});
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(decided.formal_action().decided_by(), "people/cllr-ada");
  std::vector<std::string> clauses;
  for (const auto& r : decided.formal_action().clauses()) clauses.push_back(r.citation().clause());
  EXPECT_THAT(clauses, Contains("Southwark 70"));
}

TEST(SheffieldInvestigationTest, TheExecutiveDirectorIsShownAndReportsTheMonitoringOfficerDoesNot) {
  // Sheffield 15: the Monitoring Officer "will arrange for the Executive
  // Director to investigate and report recommendations back in writing to
  // Member, Officer and Monitoring Officer".
  ServiceUnderTest s("sheffield");
  v1::Complaint c, escalated, reported;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &c).ok());
  ASSERT_TRUE(Escalate(s, "cllr-sophie", c.name(), &escalated).ok());
  const v1::StageRecord& stage = escalated.stages(1);
  EXPECT_EQ(stage.handler().person(), "people/off-hannah");
  EXPECT_EQ(stage.investigator().person(), "people/off-tunde");
  EXPECT_EQ(stage.respondent().person(), "people/off-tunde");
  EXPECT_TRUE(HasParticipant(escalated, "people/off-tunde", v1::PARTICIPANT_ROLE_INVESTIGATOR,
                             "Sheffield 15"));
  v1::Complaint read;
  EXPECT_TRUE(s.Get("off-tunde", c.name(), &read).ok()) << "the investigator reads it";
  grpc::Status mo = Respond(s, "off-hannah", c.name());
  EXPECT_EQ(mo.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "the report is the Executive Director's";
  grpc::Status ed = Respond(s, "off-tunde", c.name(), {}, &reported);
  ASSERT_TRUE(ed.ok()) << ed.error_message();
  EXPECT_EQ(reported.stages(1).response().responded_by(), "people/off-tunde");
  // The Monitoring Officer still handles: acknowledges and closes.
  v1::Complaint closed;
  EXPECT_TRUE(Close(s, "off-hannah", c.name(), v1::OUTCOME_FINDING_UPHELD, {}, &closed).ok());
}

grpc::Status EscalateWith(ServiceUnderTest& s, const std::string& person, const std::string& name,
                          bool trade_union, bool directly, v1::Complaint* out) {
  v1::EscalateComplaintRequest request;
  request.set_name(name);
  request.set_reason("Unhappy with the informal outcome.");
  request.set_trade_union_consulted(trade_union);
  request.set_raise_directly(directly);
  auto context = s.Context(person, "EscalateComplaint");
  return s.stub->EscalateComplaint(context.get(), request, out);
}

TEST(SouthSomersetFormalApproachTest, TradeUnionConsultationAndTheSeniorHrEmployeeAreFirstClass) {
  // South Somerset 17.4: the employee "may wish to consult with their trade
  // union representative (if applicable) prior to raising the matter
  // formally ... The Employee and their TU representative may also raise the
  // matter directly with the Senior Human Resource Employee in the Council."
  ServiceUnderTest s("south-somerset");
  v1::Complaint c, formal;
  ASSERT_TRUE(s.Create("off-matthew", "people/cllr-sophie", &c).ok());
  const int64_t before = s.store->LastPosition();
  // Only the employee makes these choices.
  grpc::Status manager = EscalateWith(s, "off-michael", c.name(), false, true, &formal);
  EXPECT_EQ(manager.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(manager), ElementsAre(HasSubstr("raise_directly")));
  EXPECT_EQ(s.store->LastPosition(), before) << "a refused escalation changes nothing";

  grpc::Status ok = EscalateWith(s, "off-matthew", c.name(), true, true, &formal);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  const v1::StageRecord& stage = formal.stages(1);
  EXPECT_EQ(stage.stage(), "formal");
  EXPECT_TRUE(stage.raised_directly());
  EXPECT_TRUE(stage.trade_union_consulted());
  EXPECT_EQ(formal.handler(), "people/off-sian") << "the Senior Human Resource Employee";
  EXPECT_EQ(stage.handler().designation(), "designations/head-of-hr");
  auto events = s.Timeline("off-matthew", c.name());
  const v1::ComplaintEvent* consulted = nullptr;
  for (const auto& e : events)
    if (e.type() == v1::COMPLAINT_EVENT_TYPE_TRADE_UNION_CONSULTED) consulted = &e;
  ASSERT_NE(consulted, nullptr);
  EXPECT_EQ(consulted->reasons(0).citation().clause(), "South Somerset 17.4");
}

TEST(SouthSomersetFormalApproachTest, ProtocolsWithoutTheseRoutesRefuseThemByField) {
  // Sheffield 15 names no trade union consultation by the complainant, nor a
  // direct route: both choices are refused naming the field, and nothing
  // changes.
  ServiceUnderTest s("sheffield");
  v1::Complaint c, out;
  ASSERT_TRUE(s.Create("off-matthew", "people/cllr-sophie", &c).ok());
  const int64_t before = s.store->LastPosition();
  grpc::Status tu = EscalateWith(s, "off-matthew", c.name(), true, false, &out);
  EXPECT_EQ(tu.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(tu), ElementsAre(HasSubstr("trade_union_consulted")));
  grpc::Status direct = EscalateWith(s, "off-matthew", c.name(), false, true, &out);
  EXPECT_EQ(direct.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(direct), ElementsAre(HasSubstr("raise_directly")));
  EXPECT_EQ(s.store->LastPosition(), before);
}

TEST(SouthSomersetFormalApproachTest, TheCouncillorComplainedAboutIsAdvisedWithTheGroupLeader) {
  // South Somerset 17.6: "The Councillor and Group Leader will be advised of
  // any complaint".
  ServiceUnderTest s("south-somerset");
  v1::Complaint c, formal;
  ASSERT_TRUE(s.Create("off-matthew", "people/cllr-sophie", &c).ok());
  ASSERT_TRUE(Escalate(s, "off-matthew", c.name(), &formal).ok());
  std::vector<std::string> told;
  for (const auto& n : formal.stages(1).notifications()) {
    told.push_back(n.person());
    EXPECT_EQ(n.clause().clause(), "South Somerset 17.6");
  }
  EXPECT_THAT(told, ElementsAre("people/cllr-sophie", "people/cllr-tory-leader"));
  std::vector<std::string> notified;
  for (const auto& e : s.Timeline("off-matthew", c.name()))
    if (e.type() == v1::COMPLAINT_EVENT_TYPE_NOTIFIED)
      for (const auto& r : e.recipients()) notified.push_back(r);
  EXPECT_THAT(notified, ElementsAre("people/cllr-sophie", "people/cllr-tory-leader"));
}

TEST(PassedOverTest, AHolderPassedOverForTheDeputyIsInPassedOver) {
  // Middlesbrough 19.6 (the Monitoring Officer) with Local Government and
  // Housing Act 1989 s5(7): the Monitoring Officer related to the member is
  // passed over for the deputy, and handler.passed_over says so.
  ServiceUnderTest s("middlesbrough");
  s.directory.AddRelationship("people/off-hannah", "people/cllr-sophie", "relationships/rel-mo");
  v1::Complaint c;
  ASSERT_TRUE(s.Create("off-matthew", "people/cllr-sophie", &c).ok());
  EXPECT_EQ(c.handler(), "people/off-bronwen");
  ASSERT_EQ(c.stages(0).handler().passed_over_size(), 1);
  EXPECT_EQ(c.stages(0).handler().passed_over(0).person(), "people/off-hannah");
  EXPECT_THAT(c.stages(0).handler().passed_over(0).relationships(),
              ElementsAre("relationships/rel-mo"));
}

TEST(RecomputeTest, ChangedClosureDaysMoveOpenDeadlinesAndTheChangeIsRecorded) {
  // Filed Fri 18 Dec 2026 under South Somerset without closure days: the
  // holding notice is due Tue 29 Dec (21, 22, 23, 24 Dec, then 29 after
  // Christmas, the weekend and the Boxing Day substitute). The council then closes 29-31 Dec; on
  // restart the open deadline moves to Mon 4 Jan 2027, and the timeline says
  // why.
  auto without = std::make_shared<CouncilProfile>(*ShippedProfile("south-somerset"));
  without->mutable_council_configuration()->clear_closure_days();
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
