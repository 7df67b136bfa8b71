// Tests for common/profile/profile_loader.h.
//
// Two halves:
//   * the five shipped profiles load, and a handful of the rules that make each
//     council distinctive say what the council's protocol says (the protocol
//     texts are in shared/protocols/: 000 Southwark, 001 Sheffield,
//     002 Middlesbrough, 003 parish template, 004 South Somerset);
//   * an invalid profile is refused with a message naming the file and the line
//     of the field at fault, so whoever edits a profile can find the mistake.

#include "common/profile/profile_loader.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::council::profile::v1::ACCESS_EFFECT_GRANT;
using ::council::profile::v1::ACCESS_EFFECT_HANDLE_AS_FOI;
using ::council::profile::v1::ACCESS_EFFECT_REFER;
using ::council::profile::v1::ACCESS_EFFECT_REFUSE;
using ::council::profile::v1::BREACH_SUBJECT_MEMBER;
using ::council::profile::v1::BREACH_SUBJECT_OFFICER;
using ::council::profile::v1::BREACH_SUBJECT_SENIOR_OFFICER;
using ::council::profile::v1::BreachRoute;
using ::council::profile::v1::BreachSubject;
using ::council::profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK;
using ::council::profile::v1::ComplaintKind;
using ::council::profile::v1::ComplaintRoute;
using ::council::profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER;
using ::council::profile::v1::RELATIVE_LINE_MANAGER;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kShippedProfiles[] = {
    "southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset",
};

std::string ProfilePath(absl::string_view id) {
  return absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto");
}

// Loads a shipped profile; nullptr (and a test failure) if it does not load.
std::shared_ptr<const CouncilProfile> Shipped(absl::string_view id) {
  absl::StatusOr<std::shared_ptr<const CouncilProfile>> profile = LoadProfile(ProfilePath(id));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? *profile : nullptr;
}

const ComplaintRoute* RouteFor(const CouncilProfile& profile, ComplaintKind kind) {
  for (const auto& route : profile.complaints().routes())
    if (route.kind() == kind) return &route;
  return nullptr;
}

const BreachRoute* BreachRouteFor(const CouncilProfile& profile, BreachSubject subject) {
  for (const auto& route : profile.complaints().breach_routes())
    if (route.subject() == subject) return &route;
  return nullptr;
}

// --- The shipped profiles ----------------------------------------------------

TEST(ShippedProfilesTest, EveryShippedProfileLoadsAndIsNamedAfterItsFile) {
  for (const char* id : kShippedProfiles) {
    SCOPED_TRACE(id);
    auto profile = Shipped(id);
    ASSERT_NE(profile, nullptr);
    EXPECT_EQ(profile->id(), id);
    EXPECT_FALSE(profile->protocol_source().empty());
  }
}

TEST(ShippedProfilesTest, EveryCouncilGivesMembers28DaysToRegisterInterests) {
  // Localism Act 2011 s30(1): a member notifies the monitoring officer of their
  // disclosable pecuniary interests within 28 days of becoming a member.
  for (const char* id : kShippedProfiles) {
    SCOPED_TRACE(id);
    auto profile = Shipped(id);
    ASSERT_NE(profile, nullptr);
    EXPECT_EQ(profile->declarations().interest_registration_days(), 28)
        << "Localism Act 2011 s30(1): 28 days to register interests";
    EXPECT_EQ(profile->declarations().interest_registration_clause().clause(),
              "Localism Act 2011 s30(1)");
  }
}

TEST(ShippedProfilesTest, SouthSomersetRefusesInspectionWhereTheMemberHasAnInterest) {
  // South Somerset 9: "A member may not knowingly inspect and shall not call for
  // a copy of any document relating to a matter in which he/she is professionally
  // interested or in which he/she has directly or indirectly any pecuniary
  // interest" -- a refusal, not a referral for advice.
  auto profile = Shipped("south-somerset");
  ASSERT_NE(profile, nullptr);
  const auto& rule = profile->document_access().interest_in_matter();
  EXPECT_TRUE(rule.enabled()) << "South Somerset 9 bars inspection on an interest";
  EXPECT_EQ(rule.effect(), ACCESS_EFFECT_REFUSE)
      << "South Somerset 9: 'may not knowingly inspect' is a refusal";
  EXPECT_EQ(rule.clause().clause(), "South Somerset 9");
}

TEST(ShippedProfilesTest, SouthSomersetReliesOnThePre2006ExemptParagraphs) {
  // South Somerset 10: the Proper Officer may decline inspection of exempt
  // information "falling within paragraphs 1 to 6, 9, 11, 12 and 14 of Part I of
  // Schedule 12A" -- the original (pre-2006) numbering of paragraphs 1-15.
  auto profile = Shipped("south-somerset");
  ASSERT_NE(profile, nullptr);
  const auto& exempt = profile->document_access().exempt_information();
  EXPECT_EQ(exempt.numbering(), "pre-2006") << "South Somerset 10 cites pre-2006 paragraphs";
  EXPECT_THAT(exempt.paragraphs(), ElementsAre(1, 2, 3, 4, 5, 6, 9, 11, 12, 14))
      << "South Somerset 10: paragraphs 1 to 6, 9, 11, 12 and 14";
  EXPECT_EQ(exempt.clause().clause(), "South Somerset 10");
  // The Proper Officer decides (South Somerset 10).
  EXPECT_EQ(profile->document_access().dispute_decider().designation_id(), "proper-officer")
      << "South Somerset 10: the Proper Officer may decline inspection";
}

TEST(ShippedProfilesTest, MiddlesbroughRefersMembersWithAnInterestForMonitoringOfficerAdvice) {
  // Middlesbrough 14.6: "A member should obtain advice from the Monitoring
  // Officer ... where the subject matter is one in which they [have] a personal
  // or prejudicial interest" -- advice first, not a refusal (contrast South
  // Somerset 9).
  auto profile = Shipped("middlesbrough");
  ASSERT_NE(profile, nullptr);
  const auto& rule = profile->document_access().interest_in_matter();
  EXPECT_TRUE(rule.enabled());
  EXPECT_EQ(rule.effect(), ACCESS_EFFECT_REFER)
      << "Middlesbrough 14.6: obtain Monitoring Officer advice first";
  EXPECT_EQ(rule.clause().clause(), "Middlesbrough 14.6");
}

TEST(ShippedProfilesTest, MiddlesbroughDisputesAreDecidedByTheMonitoringOfficer) {
  // Middlesbrough 14.5: "Disputes as to the validity of a member's request to see
  // a document on a need to know basis will be determined by the Monitoring
  // Officer."
  auto profile = Shipped("middlesbrough");
  ASSERT_NE(profile, nullptr);
  const auto& access = profile->document_access();
  EXPECT_EQ(access.dispute_decider().designation_id(), "monitoring-officer")
      << "Middlesbrough 14.5: the Monitoring Officer determines disputes";
  EXPECT_EQ(access.dispute_clause().clause(), "Middlesbrough 14.5");
}

TEST(ShippedProfilesTest, MiddlesbroughRoutesBreachesByWhoBreached) {
  auto profile = Shipped("middlesbrough");
  ASSERT_NE(profile, nullptr);

  // Middlesbrough 20.1: a member's breach is dealt with by the Monitoring
  // Officer under the Code of Conduct procedure.
  const BreachRoute* member = BreachRouteFor(*profile, BREACH_SUBJECT_MEMBER);
  ASSERT_NE(member, nullptr) << "Middlesbrough 20.1 routes members' breaches";
  EXPECT_EQ(member->handler().designation_id(), "monitoring-officer")
      << "Middlesbrough 20.1: the Monitoring Officer deals with a member's breach";
  EXPECT_EQ(member->clause().clause(), "Middlesbrough 20.1");

  // Middlesbrough 20.2: an officer's breach goes to the officer's line manager.
  const BreachRoute* officer = BreachRouteFor(*profile, BREACH_SUBJECT_OFFICER);
  ASSERT_NE(officer, nullptr) << "Middlesbrough 20.2 routes officers' breaches";
  EXPECT_EQ(officer->handler().relative(), RELATIVE_LINE_MANAGER)
      << "Middlesbrough 20.2: referred to the officer's line manager";
  EXPECT_EQ(officer->clause().clause(), "Middlesbrough 20.2");

  // Middlesbrough 20.3: a senior officer's breach goes to the Chief Officer
  // Appointments Committee.
  const BreachRoute* senior = BreachRouteFor(*profile, BREACH_SUBJECT_SENIOR_OFFICER);
  ASSERT_NE(senior, nullptr) << "Middlesbrough 20.3 routes senior officers' breaches";
  EXPECT_EQ(senior->handler().body_id(), "bodies/chief-officer-appointments-committee")
      << "Middlesbrough 20.3: referred to the Chief Officer Appointments Committee";
  EXPECT_EQ(senior->clause().clause(), "Middlesbrough 20.3");
}

TEST(ShippedProfilesTest, SheffieldRelationshipsAreDeclaredToTheChiefExecutive) {
  // Sheffield 4.5: "Member and Officers must declare to the Chief Executive any
  // relationships, which might be seen as influencing their work."
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const auto& declarations = profile->declarations();
  EXPECT_THAT(declarations.relationships_declared_to_designation_ids(),
              ElementsAre("head-of-paid-service"))
      << "Sheffield 4.5: relationships are declared to the Chief Executive";
  EXPECT_EQ(declarations.relationships_clause().clause(), "Sheffield 4.5");
}

TEST(ShippedProfilesTest, SheffieldSecretSocietyMembershipIsDeclaredToTheMonitoringOfficer) {
  // Sheffield 13.1: members and officers "declare in writing to the Monitoring
  // Officer their membership of any organisation ... which has secrecy about
  // rules, membership or conduct".
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const auto& declarations = profile->declarations();
  EXPECT_EQ(declarations.secret_society_declared_to_designation_id(), "monitoring-officer")
      << "Sheffield 13.1: declared in writing to the Monitoring Officer";
  EXPECT_EQ(declarations.secret_society_clause().clause(), "Sheffield 13.1");
}

TEST(ShippedProfilesTest, SheffieldOpensMeetingBusinessToEveryMember) {
  // Sheffield 14.3: "Members have a statutory right to inspect any Council
  // document which contains material relating to any business which is to be
  // transacted at a Council or Committee Meeting".
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const auto& rule = profile->document_access().meeting_business();
  EXPECT_TRUE(rule.enabled()) << "Sheffield 14.3: statutory right to meeting documents";
  EXPECT_EQ(rule.effect(), ACCESS_EFFECT_GRANT) << "Sheffield 14.3";
  EXPECT_EQ(rule.clause().clause(), "Sheffield 14.3");
}

TEST(ShippedProfilesTest, SheffieldAsksEveryMemberToJustifyThirdPartiesPersonalData) {
  // Sheffield 14.6: "that individual Member would be required to justify the
  // request in specific terms", even one presumed to need the document;
  // Southwark 53 only "in other circumstances".
  auto sheffield = Shipped("sheffield");
  auto southwark = Shipped("southwark");
  ASSERT_NE(sheffield, nullptr);
  ASSERT_NE(southwark, nullptr);
  EXPECT_TRUE(sheffield->document_access().third_party_personal_data_overrides_presumptions());
  EXPECT_EQ(sheffield->document_access().third_party_personal_data().clause().clause(),
            "Sheffield 14.6");
  EXPECT_FALSE(southwark->document_access().third_party_personal_data_overrides_presumptions());
}

TEST(ShippedProfilesTest, OnlyMiddlesbroughHidesAdviceAMemberAskedFor) {
  // Middlesbrough 14.10: officers keep requested advice confidential from
  // other members; Sheffield 10.1.1 only "not normally" copies it.
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"}) {
    auto profile = Shipped(id);
    ASSERT_NE(profile, nullptr) << id;
    EXPECT_EQ(profile->document_access().hide_requested_advice_from_other_members(),
              std::string(id) == "middlesbrough")
        << id;
  }
}

TEST(ShippedProfilesTest, SheffieldCaseworkIsAnsweredIn3Or10WorkingDays) {
  // Sheffield 10.3.1: officers "acknowledge the enquiry and if possible provide a
  // response within 3 working days. If the enquiry requires some investigation
  // ... the response is to be available within 10 working days."
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const ComplaintRoute* casework = RouteFor(*profile, COMPLAINT_KIND_MEMBER_CASEWORK);
  ASSERT_NE(casework, nullptr) << "Sheffield 10.3.1 sets a casework procedure";
  ASSERT_GE(casework->stages_size(), 1);
  const auto& first = casework->stages(0);
  EXPECT_EQ(first.acknowledge().working_days(), 3) << "Sheffield 10.3.1: 3 working days";
  EXPECT_EQ(first.respond().working_days(), 10) << "Sheffield 10.3.1: 10 working days";
  EXPECT_EQ(first.acknowledge().clause().clause(), "Sheffield 10.3.1");
  EXPECT_EQ(first.respond().clause().clause(), "Sheffield 10.3.1");
}

TEST(ShippedProfilesTest, SouthwarkRoutesToFreedomOfInformationWithTwentyWorkingDays) {
  // Southwark 58-60: FOI requests are answered "within 20 working days"
  // (FOI Act 2000 s10(1)); 60 routes requests for documents unrelated to any
  // council meeting, or from a member who is not the ward member, to FOI.
  auto profile = Shipped("southwark");
  ASSERT_NE(profile, nullptr);
  const auto& foi = profile->document_access().foi();
  EXPECT_TRUE(foi.enabled()) << "Southwark 60 routes some requests to FOI";
  EXPECT_EQ(foi.working_days(), 20) << "Southwark 58-60: 20 working days";
  EXPECT_TRUE(foi.when_unrelated_to_meeting()) << "Southwark 60: unrelated to any meeting";
  EXPECT_TRUE(foi.when_not_ward_member()) << "Southwark 60: not the ward member";
  EXPECT_EQ(foi.clause().clause(), "Southwark 60");
}

TEST(ShippedProfilesTest, SouthwarkNeedToKnowIsDecidedByTheDocumentHoldingChiefOfficer) {
  // Southwark 52: need to know "must initially be determined by the particular
  // chief officer whose department holds the document in question (with advice
  // from the monitoring officer)".
  auto profile = Shipped("southwark");
  ASSERT_NE(profile, nullptr);
  const auto& access = profile->document_access();
  EXPECT_EQ(access.dispute_decider().relative(), RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER)
      << "Southwark 52: the chief officer whose department holds the document";
  EXPECT_EQ(access.dispute_decider().advised_by_designation_id(), "monitoring-officer")
      << "Southwark 52: with advice from the monitoring officer";
  EXPECT_EQ(access.dispute_clause().clause(), "Southwark 52");
  EXPECT_NE(access.need_to_know().effect(), ACCESS_EFFECT_HANDLE_AS_FOI)
      << "Southwark 52: a stated need goes to the chief officer, not straight to FOI";
}

TEST(ShippedProfilesTest, ParishRefusalsMustGiveReasons) {
  // Parish template 5.2: if disclosure is "not required or not appropriate,
  // [officers] will inform the member and will give reasons why".
  auto profile = Shipped("parish-template");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ(profile->document_access().refusal_reasons_clause().clause(),
            "Parish template 5.2")
      << "Parish template 5.2: refusals give reasons";
  // Everything goes through the Clerk (parish template 5.2, 5.3).
  EXPECT_EQ(profile->document_access().dispute_decider().designation_id(), "clerk")
      << "Parish template 5.3: disputes are resolved through the Clerk's line management";
}

TEST(ShippedProfilesTest, OnlyTheParishTemplateRequiresReasonsClauseOnEveryRefusal) {
  // The other four protocols do not require reasons for a refusal of access
  // (see the comments beside `refusal_reasons_clause` in each profile).
  for (const char* id : {"southwark", "sheffield", "middlesbrough", "south-somerset"}) {
    SCOPED_TRACE(id);
    auto profile = Shipped(id);
    ASSERT_NE(profile, nullptr);
    EXPECT_TRUE(profile->document_access().refusal_reasons_clause().clause().empty());
  }
}

TEST(LoadProfileTest, MissingFileIsNotFoundAndNamesThePath) {
  const std::string path = ProfilePath("no-such-council");
  auto profile = LoadProfile(path);
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(profile.status().message(), HasSubstr(path));
}

// --- Invalid profiles ---------------------------------------------------------
//
// A minimal valid profile. The line numbers matter: the tests below break one
// line and expect the message to name it.
constexpr absl::string_view kValidProfile =
    R"pb(id: "test-council"
display_name: "Test Council"
nation: NATION_ENGLAND_AND_WALES
designations {
  id: "monitoring-officer"
  title: "Monitoring Officer"
}
designations {
  id: "head-of-paid-service"
  title: "Chief Executive"
}
document_access {
  need_to_know {
    enabled: true
    effect: ACCESS_EFFECT_REFER
    clause { clause: "Test 1.1" }
  }
  dispute_decider { designation_id: "monitoring-officer" }
  dispute_clause { clause: "Test 1.2" }
}
complaints {
  routes {
    kind: COMPLAINT_KIND_MEMBER_ABOUT_OFFICER
    clause { clause: "Test 2.1" }
    stages {
      id: "informal"
      handler { relative: RELATIVE_LINE_MANAGER }
      respond { working_days: 10 clause { clause: "Test 2.2" } }
      on_missed_limit: MISSED_LIMIT_ACTION_ESCALATE
      clause { clause: "Test 2.2" }
    }
    stages {
      id: "formal"
      handler { designation_id: "monitoring-officer" }
      on_missed_limit: MISSED_LIMIT_ACTION_WARN
      clause { clause: "Test 2.3" }
    }
  }
}
declarations {
  interest_registration_days: 28
}
)pb";

// kValidProfile with the one occurrence of `from` replaced by `to` (which must
// have as many lines, so the other line numbers stay put).
std::string Broken(const std::string& from, const std::string& to) {
  std::string text(kValidProfile);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  if (at == std::string::npos) return text;
  return absl::StrReplaceAll(text, {{from, to}});
}

// The error message for `text`, or "" (and a test failure) if it parsed.
std::string ErrorFor(absl::string_view text) {
  auto profile = ParseProfile(text, "test.textproto");
  EXPECT_FALSE(profile.ok()) << "expected the profile to be refused";
  if (profile.ok()) return "";
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(profile.status().message());
}

TEST(ParseProfileTest, MinimalProfileIsValid) {
  // Guards the tests below: each fails only because of the line it breaks.
  auto profile = ParseProfile(kValidProfile, "test.textproto");
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ((*profile)->id(), "test-council");
}

TEST(ParseProfileTest, SyntaxErrorNamesFileLineAndColumn) {
  // Line 2, "display_name" then a space: the value starts at column 14, where
  // the parser expected ':'.
  const std::string message =
      ErrorFor(Broken(R"(display_name: "Test Council")", R"(display_name "Test Council")"));
  EXPECT_THAT(message, HasSubstr("test.textproto:2:14: "));
}

TEST(ParseProfileTest, UnknownFieldNamesItsLine) {
  const std::string message = ErrorFor(Broken("  interest_registration_days: 28",
                                              "  interest_registration_dayz: 28"));
  EXPECT_THAT(message, HasSubstr("test.textproto:41:"));
  EXPECT_THAT(message, HasSubstr("interest_registration_dayz"));
}

TEST(ParseProfileTest, UnknownDesignationInAStageHandlerNamesTheHandlerLine) {
  // Rules name designations by id; a typo must stop start-up, at line 34.
  const std::string message =
      ErrorFor(Broken(R"(handler { designation_id: "monitoring-officer" })",
                      R"(handler { designation_id: "monitoring-oficer" })"));
  EXPECT_THAT(message, HasSubstr("test.textproto:34: complaints stage \"formal\": designation "
                                 "\"monitoring-oficer\" is not defined in `designations`"));
}

TEST(ParseProfileTest, UnknownDisputeDeciderNamesTheDeciderLine) {
  const std::string message =
      ErrorFor(Broken(R"(dispute_decider { designation_id: "monitoring-officer" })",
                      R"(dispute_decider { designation_id: "monitoring-officr" })"));
  EXPECT_THAT(message, HasSubstr("test.textproto:18: document_access.dispute_decider: "
                                 "designation \"monitoring-officr\" is not defined"));
}

TEST(ParseProfileTest, MissingMonitoringOfficerDesignationIsRefused) {
  // Every council has a monitoring officer (Local Government and Housing Act
  // 1989 s5); the profile schema requires the designation. Reported at the
  // designations (line 4). The handlers naming it are reported too.
  const std::string message = ErrorFor(Broken(
      "  id: \"monitoring-officer\"\n  title: \"Monitoring Officer\"",
      "  id: \"clerk\"\n  title: \"Clerk\""));
  EXPECT_THAT(message,
              HasSubstr("test.textproto:4: designation \"monitoring-officer\" is required"));
  EXPECT_THAT(message, HasSubstr("test.textproto:34: "));
  EXPECT_THAT(message, Not(HasSubstr("\"head-of-paid-service\" is required")));
}

TEST(ParseProfileTest, EnabledRuleWithoutClauseNamesTheRuleLine) {
  // Every rule must cite its clause (design brief, "Council profiles").
  const std::string message =
      ErrorFor(Broken(R"(clause { clause: "Test 1.1" })", "# clause forgotten"));
  EXPECT_THAT(message, HasSubstr("test.textproto:13: document_access.need_to_know: "
                                 "every rule must cite its clause"));
}

TEST(ParseProfileTest, LimitWithoutClauseNamesTheLimitLine) {
  const std::string message =
      ErrorFor(Broken(R"(respond { working_days: 10 clause { clause: "Test 2.2" } })",
                      "respond { working_days: 10 }"));
  EXPECT_THAT(message, HasSubstr("test.textproto:28: complaints stage \"informal\": respond "
                                 "limit must cite its clause"));
}

TEST(ParseProfileTest, DuplicateStageIdNamesTheSecondStage) {
  const std::string message =
      ErrorFor(Broken(R"(id: "formal")", R"(id: "informal")"));
  EXPECT_THAT(message,
              HasSubstr("test.textproto:32: complaints stage \"informal\" is defined twice"));
}

TEST(ParseProfileTest, LastStageCannotEscalate) {
  // There is nowhere to escalate past the last stage.
  const std::string message = ErrorFor(Broken("on_missed_limit: MISSED_LIMIT_ACTION_WARN",
                                              "on_missed_limit: MISSED_LIMIT_ACTION_ESCALATE"));
  EXPECT_THAT(message, HasSubstr("test.textproto:35: complaints stage \"formal\": the last "
                                 "stage cannot escalate on a missed limit"));
}

TEST(ParseProfileTest, AStageWithoutAHandlerIsRefusedUnlessTheSubjectResponds) {
  // Southwark 69: "The chief executive will provide the member with a
  // written response": a stage the person complained about answers has no
  // handler (nobody handles a complaint about themselves). Any other stage
  // without one is a mistake, named by its line.
  const std::string message = ErrorFor(
      Broken(R"(handler { designation_id: "monitoring-officer" })", R"(title: "Formal")"));
  EXPECT_THAT(message, HasSubstr("complaints stage \"formal\": handler is not set"));
  auto answered = ParseProfile(
      Broken(R"(handler { designation_id: "monitoring-officer" })",
             R"(respondent: STAGE_RESPONDENT_SUBJECT respondent_clause { clause: "Test 2.3" })"),
      "test.textproto");
  EXPECT_TRUE(answered.ok()) << answered.status();
}

TEST(ParseProfileTest, ImpossibleClosureDayIsRefusedNotMovedToMarch) {
  // Closure days are not working days for council procedures; 30 February must
  // stop start-up rather than silently close the offices on 2 March.
  const std::string message = ErrorFor(
      Broken("nation: NATION_ENGLAND_AND_WALES",
             "nation: NATION_ENGLAND_AND_WALES council_configuration { closure_days { date "
             "{ year: 2026 month: 2 day: 30 } reason: \"Staff training\" } }"));
  EXPECT_THAT(message, HasSubstr("test.textproto:3: closure day has an invalid date"));
}

TEST(ParseProfileTest, ClosureDaysOutsideCouncilConfigurationAreRefusedNotDropped) {
  // Issue 18: closure days are the council's configuration, not protocol. A
  // profile written before they moved must stop start-up, never lose them.
  const std::string message = ErrorFor(
      Broken("nation: NATION_ENGLAND_AND_WALES",
             "nation: NATION_ENGLAND_AND_WALES closure_days { date "
             "{ year: 2026 month: 12 day: 29 } reason: \"Christmas\" }"));
  EXPECT_THAT(message, HasSubstr("no field named \"closure_days\""));
}

// --- Configuration that would open a hole (issue 17) ---------------------------

TEST(ParseProfileTest, EmptiedClauseOnARuleNamesItsLine) {
  // `clause {}` passes the "has a clause" test a field-presence check makes;
  // the citation itself must not be blank.
  const std::string message =
      ErrorFor(Broken(R"(clause { clause: "Test 2.3" })", "clause { }"));
  EXPECT_THAT(message, HasSubstr("test.textproto:36: complaints stage \"formal\": every rule "
                                 "must cite its clause"));
  // Said once.
  EXPECT_THAT(message, Not(HasSubstr("the clause is empty")));
}

TEST(ParseProfileTest, EmptiedClauseOnAnOptionalCitationNamesItsLine) {
  // A citation no other check requires (a route's notify_clause) is checked
  // too once it is there.
  const std::string message = ErrorFor(
      Broken(R"(    clause { clause: "Test 2.1" })",
             R"(    clause { clause: "Test 2.1" } notify_clause { summary: "Tell them" })"));
  EXPECT_THAT(message, HasSubstr("test.textproto:24: complaints.routes[0].notify_clause: the "
                                 "clause is empty (every rule and designation must cite its "
                                 "clause)"));
}

TEST(ParseProfileTest, EmptiedClauseOnADesignationNamesItsLine) {
  const std::string message =
      ErrorFor(Broken(R"(  title: "Chief Executive")",
                      R"(  title: "Chief Executive" clause { summary: "Runs the paid service" })"));
  EXPECT_THAT(message, HasSubstr("test.textproto:10: designations[1].clause: the clause is "
                                 "empty (every rule and designation must cite its clause)"));
}

TEST(ParseProfileTest, UnknownRecordReaderRoleNamesItsLine) {
  // A role no designation and no part of the suite gives would name nobody --
  // until someone is given it.
  const std::string message = ErrorFor(
      Broken(R"(dispute_clause { clause: "Test 1.2" })",
             R"(dispute_clause { clause: "Test 1.2" } )"
             R"(record_reader_roles: ["auditor", "auditr"])"));
  EXPECT_THAT(message,
              HasSubstr("test.textproto:19: document_access.record_reader_roles: role \"auditr\" "
                        "is neither a designation in `designations` nor a role the suite gives"));
  EXPECT_THAT(message, Not(HasSubstr("\"auditor\" is neither")));
}

TEST(ParseProfileTest, RecordReaderRolesMayBeDesignationsOrSuiteRoles) {
  auto profile = ParseProfile(
      Broken(R"(dispute_clause { clause: "Test 1.2" })",
             R"(dispute_clause { clause: "Test 1.2" } )"
             R"(record_reader_roles: ["monitoring-officer", "auditor"])"),
      "test.textproto");
  EXPECT_TRUE(profile.ok()) << profile.status();
}

TEST(ParseProfileTest, DeletedComplaintsBlockIsRefused) {
  // Without it complaints-service started with no routes and refused every
  // complaint.
  std::string text(kValidProfile);
  const size_t begin = text.find("complaints {");
  const size_t end = text.find("declarations {");
  ASSERT_NE(begin, std::string::npos);
  text.replace(begin, end - begin, "");
  EXPECT_THAT(ErrorFor(text),
              HasSubstr("test.textproto: `complaints` with at least one route is required "
                        "(complaints-service routes every complaint by it)"));
}

TEST(ParseProfileTest, ComplaintsBlockWithNoRouteNamesItsLine) {
  std::string text(kValidProfile);
  const size_t begin = text.find("  routes {");
  const size_t end = text.find("declarations {");
  text.replace(begin, end - begin, "  follow_up { months: 6 clause { clause: \"Test 3\" } }\n}\n");
  EXPECT_THAT(ErrorFor(text), HasSubstr("test.textproto:21: `complaints` with at least one "
                                        "route is required"));
}

TEST(ParseProfileTest, DeletedDeclarationsBlockIsRefused) {
  std::string text(kValidProfile);
  text.replace(text.find("declarations {"), std::string::npos, "");
  EXPECT_THAT(ErrorFor(text), HasSubstr("test.textproto: `declarations` is required"));
}

TEST(ParseProfileTest, EveryProblemIsReportedAtOnce) {
  // Two independent mistakes: both lines are named, so one edit-restart cycle
  // fixes both.
  std::string text = Broken(R"(id: "formal")", R"(id: "informal")");
  text = absl::StrReplaceAll(text, {{R"(clause { clause: "Test 1.1" })", "# no clause"}});
  const std::string message = ErrorFor(text);
  EXPECT_THAT(message, HasSubstr("test.textproto:13: "));
  EXPECT_THAT(message, HasSubstr("test.textproto:32: "));
}

}  // namespace
}  // namespace council
