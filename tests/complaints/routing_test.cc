// Table-driven routing tests: who handles what under each of the five shipped
// profiles, from directory facts as of the filing date (a small council
// modelled on the demo: tests/complaints/fake_directory.h).
//
// Each row names the protocol clause it checks. "Passed over" lists the people
// (or designations) considered and refused first: nobody handles a complaint
// about themselves, one they filed, or one involving someone they have a
// declared relationship with.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/profile/profile_loader.h"
#include "complaints-service/ladder.h"
#include "complaints-service/routing.h"
#include "complaints-service/routing_facts.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/complaints/fake_directory.h"

namespace council::complaints {
namespace {

using ::council::complaints::testing::FakeDirectory;
using ::council::profile::v1::ComplaintKind;
using ::testing::AllOf;
using ::testing::HasSubstr;
using K = ::council::profile::v1::ComplaintKind;

constexpr K kOfficer = profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER;
constexpr K kSenior = profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_SENIOR_OFFICER;
constexpr K kChiefExecutive = profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE;
constexpr K kAboutMember = profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER;
constexpr K kCasework = profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK;

std::shared_ptr<const CouncilProfile> Shipped(const std::string& id) {
  auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? *profile : nullptr;
}

struct RoutingCase {
  std::string name;         // test name suffix
  std::string profile;
  std::string complainant;  // without "people/"
  std::string subject;      // without "people/", or "services/x"
  ComplaintKind kind;
  int stage;
  // Expected handler (without "people/"); empty: no eligible handler or no route.
  std::string handler;
  std::string clause;       // the clause cited (stage clause, or expected in the error)
  std::vector<std::string> passed_over = {};
  std::vector<std::string> joint = {};
  std::vector<std::string> notified = {};
  std::vector<std::pair<std::string, std::string>> relationships = {};
};

// "off-x" -> "people/off-x"; names with a collection are kept.
std::string P(const std::string& id) {
  return id.find('/') != std::string::npos ? id : absl::StrCat("people/", id);
}

class RoutingTableTest : public ::testing::TestWithParam<RoutingCase> {};

TEST_P(RoutingTableTest, ChoosesTheHandlerTheProtocolNames) {
  const RoutingCase& c = GetParam();
  auto profile = Shipped(c.profile);
  ASSERT_NE(profile, nullptr);
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  for (const auto& [a, b] : c.relationships) directory.AddRelationship(P(a), P(b));
  const absl::CivilDay day(2026, 3, 2);

  auto facts = GatherPartyFacts(directory, *profile, P(c.complainant), P(c.subject), day);
  ASSERT_TRUE(facts.ok()) << facts.status();
  std::string why;
  auto kind = Classify(profile->complaints(), *facts, &why);
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, c.kind) << profile::v1::ComplaintKind_Name(*kind) << ": " << why;

  const auto* route = FindRoute(*profile, *kind);
  if (route == nullptr) {
    EXPECT_TRUE(c.handler.empty()) << c.profile << " has no route for "
                                   << profile::v1::ComplaintKind_Name(*kind);
    return;
  }
  ASSERT_LT(c.stage, route->stages_size());
  auto assignment = ResolveStage(directory, *profile, *route, c.stage, &*facts);
  ASSERT_TRUE(assignment.ok()) << assignment.status();
  if (c.handler.empty()) {
    EXPECT_FALSE(assignment->error.ok()) << "expected nobody eligible, got "
                                         << assignment->handler.person();
    EXPECT_THAT(std::string(assignment->error.message()), HasSubstr(c.clause));
    return;
  }
  ASSERT_TRUE(assignment->error.ok()) << assignment->error;
  EXPECT_EQ(assignment->handler.person(), P(c.handler)) << assignment->handler.basis();
  EXPECT_EQ(route->stages(c.stage).clause().clause(), c.clause);
  // The handler's reasons cite the stage's clause.
  bool cited = false;
  for (const auto& r : assignment->handler.reasons()) cited |= r.citation().clause() == c.clause;
  EXPECT_TRUE(cited) << "the assignment must cite " << c.clause;
  std::vector<std::string> passed;
  for (const auto& p : assignment->handler.passed_over()) passed.push_back(p.person());
  std::vector<std::string> expected_passed;
  for (const auto& p : c.passed_over) expected_passed.push_back(P(p));
  EXPECT_EQ(passed, expected_passed) << absl::StrJoin(passed, ", ");
  std::vector<std::string> joint;
  for (const auto& j : assignment->joint_handlers) joint.push_back(j.person());
  std::vector<std::string> expected_joint;
  for (const auto& j : c.joint) expected_joint.push_back(P(j));
  EXPECT_EQ(joint, expected_joint);
  std::vector<std::string> notified;
  for (const auto& n : assignment->notifications) notified.push_back(n.person());
  std::vector<std::string> expected_notified;
  for (const auto& n : c.notified) expected_notified.push_back(P(n));
  EXPECT_EQ(notified, expected_notified);
}

std::vector<RoutingCase> Cases() {
  return {
      // --- Southwark 66-70 ---
      {"SouthwarkOfficerGoesToHeadOfService", "southwark", "cllr-sophie", "off-matthew",
       kOfficer, 0, "off-adebayo", "Southwark 67"},
      {"SouthwarkHeadOfServiceGoesUpTheChain", "southwark", "cllr-sophie", "off-adebayo",
       kOfficer, 0, "off-tunde", "Southwark 67", {"off-adebayo"}},
      {"SouthwarkChiefOfficerGoesToChiefExecutive", "southwark", "cllr-sophie", "off-tunde",
       kSenior, 0, "off-james", "Southwark 68"},
      {"SouthwarkMonitoringOfficerGoesToChiefExecutive", "southwark", "cllr-sophie",
       "off-hannah", kSenior, 0, "off-james", "Southwark 68"},
      {"SouthwarkMonitoringOfficerAndHeadOfHrReportJointly", "southwark", "cllr-sophie",
       "off-james", kChiefExecutive, 1, "off-hannah", "Southwark 70", {}, {"off-sian"}},
      {"SouthwarkLeaderOfTheCouncilDecidesLast", "southwark", "cllr-sophie", "off-james",
       kChiefExecutive, 2, "cllr-ada", "Southwark 70"},
      {"SouthwarkOfficerAboutMemberGoesToOfficersManager", "southwark", "off-matthew",
       "cllr-sophie", kAboutMember, 0, "off-michael", "Southwark 66"},
      {"SouthwarkHasNoCaseworkProcedure", "southwark", "cllr-sophie", "services/planning",
       kCasework, 0, "", ""},

      // --- Sheffield 10.3 and 15 ---
      {"SheffieldCaseworkGoesToTheServicesDirector", "sheffield", "cllr-sophie",
       "services/planning", kCasework, 0, "off-tunde", "Sheffield 10.3.1"},
      {"SheffieldCaseworkEscalatesToChiefExecutive", "sheffield", "cllr-sophie",
       "services/planning", kCasework, 1, "off-james", "Sheffield 10.3.2"},
      {"SheffieldEscalationFallsToDirectorOfLegalWhenChiefExecutiveIsRelated", "sheffield",
       "cllr-sophie", "services/planning", kCasework, 1, "off-hannah", "Sheffield 10.3.2",
       {"designations/head-of-paid-service"}, {}, {}, {{"cllr-sophie", "off-james"}}},
      {"SheffieldMemberAboutOfficerGoesToOfficersManager", "sheffield", "cllr-sophie",
       "off-matthew", kOfficer, 0, "off-michael", "Sheffield 15"},
      {"SheffieldManagerRelatedToComplainantIsPassedOver", "sheffield", "cllr-karen", "off-pat",
       kOfficer, 0, "off-michael", "Sheffield 15", {"off-jennifer"}, {}, {},
       {{"cllr-karen", "off-jennifer"}}},
      {"SheffieldManagerRelatedToSubjectIsPassedOver", "sheffield", "cllr-sophie", "off-matthew",
       kOfficer, 0, "off-adebayo", "Sheffield 15", {"off-michael"}, {}, {},
       {{"off-michael", "off-matthew"}}},
      {"SheffieldOfficerAboutMemberGoesToOfficersManager", "sheffield", "off-matthew",
       "cllr-sophie", kAboutMember, 0, "off-michael", "Sheffield 15"},
      {"SheffieldMonitoringOfficerComplaintGoesToChiefExecutive", "sheffield", "cllr-sophie",
       "off-hannah", kSenior, 0, "off-james", "Sheffield 15"},
      {"SheffieldSeriousMemberBreachGoesToStandardsChair", "sheffield", "off-matthew",
       "cllr-sophie", kAboutMember, 2, "cllr-tory-deputy", "Sheffield 15"},

      // --- Middlesbrough 19-20 ---
      {"MiddlesbroughOfficerGoesToManager", "middlesbrough", "cllr-sophie", "off-matthew",
       kOfficer, 0, "off-michael", "Middlesbrough 19.4"},
      {"MiddlesbroughSeniorOfficerGoesToTheirManager", "middlesbrough", "cllr-sophie",
       "off-tunde", kSenior, 0, "off-james", "Middlesbrough 19.4"},
      {"MiddlesbroughMonitoringOfficerGoesToChiefExecutive", "middlesbrough", "cllr-sophie",
       "off-hannah", kSenior, 0, "off-james", "Middlesbrough 19.4"},
      {"MiddlesbroughChiefExecutiveGoesToMonitoringOfficer", "middlesbrough", "cllr-sophie",
       "off-james", kChiefExecutive, 0, "off-hannah", "Middlesbrough 20.3"},
      {"MiddlesbroughOfficerAboutMemberGoesToMonitoringOfficer", "middlesbrough", "off-matthew",
       "cllr-sophie", kAboutMember, 0, "off-hannah", "Middlesbrough 19.6"},
      // The holder passed over for the deputy is recorded in passed_over
      // (issue 18), not only in the reasons' text.
      {"MiddlesbroughMonitoringOfficersOwnComplaintGoesToDeputy", "middlesbrough", "off-hannah",
       "cllr-sophie", kAboutMember, 0, "off-bronwen", "Middlesbrough 19.6", {"off-hannah"}},
      {"MiddlesbroughMonitoringOfficerRelatedToSubjectHandsToDeputy", "middlesbrough",
       "off-matthew", "cllr-sophie", kAboutMember, 0, "off-bronwen", "Middlesbrough 19.6",
       {"off-hannah"}, {}, {}, {{"off-hannah", "cllr-sophie"}}},
      {"MiddlesbroughHearingChairCannotHearComplaintAboutThemselves", "middlesbrough",
       "off-matthew", "cllr-ruth", kAboutMember, 1, "", "Middlesbrough 19.6"},

      // --- South Somerset 16-17 ---
      {"SouthSomersetInformalGoesToManager", "south-somerset", "cllr-sophie", "off-matthew",
       kOfficer, 0, "off-michael", "South Somerset 16.3"},
      {"SouthSomersetFormalGoesToDirectorAndTellsGroupLeader", "south-somerset", "cllr-sophie",
       "off-matthew", kOfficer, 1, "off-tunde", "South Somerset 16.4", {}, {},
       {"cllr-tory-leader"}},
      {"SouthSomersetHeadOfServiceIsSeniorAndGoesToChiefExecutive", "south-somerset",
       "cllr-sophie", "off-adebayo", kSenior, 0, "off-james", "South Somerset 16.2"},
      {"SouthSomersetHasNoRouteForChiefExecutive", "south-somerset", "cllr-sophie", "off-james",
       kChiefExecutive, 0, "", ""},
      {"SouthSomersetEmployeeRaisesWithOwnManager", "south-somerset", "off-matthew",
       "cllr-sophie", kAboutMember, 0, "off-michael", "South Somerset 17.3"},
      // South Somerset 17.6: "The Councillor and Group Leader will be advised
      // of any complaint": the councillor complained about, then their leader.
      {"SouthSomersetFormalEmployeeComplaintTellsTheCouncillorAndGroupLeader", "south-somerset",
       "off-matthew", "cllr-sophie", kAboutMember, 1, "off-michael", "South Somerset 17.5", {},
       {}, {"cllr-sophie", "cllr-tory-leader"}},
      {"SouthSomersetGroupLeaderComplainedAboutIsToldOnce", "south-somerset", "off-matthew",
       "cllr-tory-leader", kAboutMember, 1, "off-michael", "South Somerset 17.5", {}, {},
       {"cllr-tory-leader"}},

      // --- Parish template 4.3 and 10.1 ---
      {"ParishOfficerGoesToClerk", "parish-template", "cllr-sophie", "off-matthew", kOfficer, 0,
       "off-jermaine", "Parish template 10.1"},
      {"ParishClerkIsSeniorAndGoesToLineManagement", "parish-template", "cllr-sophie",
       "off-jermaine", kSenior, 0, "off-hannah", "Parish template 4.3"},
      {"ParishClerksOwnComplaintGoesToChairman", "parish-template", "off-jermaine",
       "cllr-sophie", kAboutMember, 0, "cllr-wei", "Parish template 10.1",
       {"designations/clerk"}},
      {"ParishHeadOfPaidServiceIsManagedByTheCouncil", "parish-template", "cllr-sophie",
       "off-james", kChiefExecutive, 0, "cllr-wei", "Parish template 4.3", {"people/off-james"}},
      {"ParishCouncilProceduresGoToChairmanOrViceChairman", "parish-template", "cllr-wei",
       "off-matthew", kOfficer, 2, "cllr-ruth", "Parish template 10.1", {"cllr-wei"}},
  };
}

INSTANTIATE_TEST_SUITE_P(FiveProfiles, RoutingTableTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RoutingCase>& info) {
                           return info.param.name;
                         });

// --- issue 18: who else takes part in a stage ------------------------------------

// Resolves stage `stage` of the route for the parties' kind.
StageAssignment Resolve(FakeDirectory& directory, const CouncilProfile& profile,
                        const std::string& complainant, const std::string& subject, int stage,
                        StageOptions options = {}) {
  auto facts = GatherPartyFacts(directory, profile, P(complainant), P(subject),
                                absl::CivilDay(2026, 3, 2));
  EXPECT_TRUE(facts.ok()) << facts.status();
  std::string why;
  auto kind = Classify(profile.complaints(), *facts, &why);
  EXPECT_TRUE(kind.ok()) << kind.status();
  const auto* route = FindRoute(profile, *kind);
  EXPECT_NE(route, nullptr);
  auto assignment = ResolveStage(directory, profile, *route, stage, &*facts, options);
  EXPECT_TRUE(assignment.ok()) << assignment.status();
  return assignment.ok() ? *assignment : StageAssignment{};
}

TEST(SouthwarkChiefExecutiveTest, NobodyHandlesTheChiefExecutiveRespondsAndTheWhipFacilitates) {
  // Southwark 69: "both the member concerned and the chief executive should
  // consider whether a meeting may resolve the situation and whether that
  // could be facilitated by the whip or leader of the relevant political
  // group, if any, attending. The chief executive will provide the member
  // with a written response to their complaint."
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a = Resolve(directory, *profile, "cllr-sophie", "off-james", 0);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.handler.person(), "") << "nobody handles a complaint about the chief executive";
  ASSERT_TRUE(a.respondent.has_value());
  EXPECT_EQ(a.respondent->person(), "people/off-james");
  ASSERT_FALSE(a.respondent->reasons().empty());
  EXPECT_EQ(a.respondent->reasons(0).citation().clause(), "Southwark 69");
  ASSERT_TRUE(a.facilitator.has_value());
  EXPECT_EQ(a.facilitator->person(), "people/cllr-tory-whip");
  EXPECT_THAT(a.facilitator->basis(), HasSubstr("whip of groups/conservative"));
  bool cited = false;
  for (const auto& r : a.facilitator->reasons()) cited |= r.citation().clause() == "Southwark 69";
  EXPECT_TRUE(cited);
}

TEST(SouthwarkChiefExecutiveTest, AWhipWhoComplainsIsFacilitatedByTheirLeader) {
  // Southwark 69: "the whip or leader": the whip cannot facilitate their own
  // complaint, so the group's leader may.
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a = Resolve(directory, *profile, "cllr-tory-whip", "off-james", 0);
  ASSERT_TRUE(a.error.ok()) << a.error;
  ASSERT_TRUE(a.facilitator.has_value());
  EXPECT_EQ(a.facilitator->person(), "people/cllr-tory-leader");
  ASSERT_EQ(a.facilitator->passed_over_size(), 1);
  EXPECT_EQ(a.facilitator->passed_over(0).person(), "people/cllr-tory-whip");
}

TEST(SouthwarkChiefExecutiveTest, AMemberInNoGroupHasNoFacilitatorAndTheStageStillOpens) {
  // Southwark 69: "the relevant political group, if any": an independent
  // member's complaint goes ahead without a facilitator, and says why.
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  directory.AddPerson("people/cllr-independent", relations::v1::PERSON_KIND_MEMBER);
  StageAssignment a = Resolve(directory, *profile, "cllr-independent", "off-james", 0);
  ASSERT_TRUE(a.error.ok()) << a.error;
  ASSERT_TRUE(a.facilitator.has_value());
  EXPECT_EQ(a.facilitator->person(), "");
  ASSERT_FALSE(a.facilitator->reasons().empty());
  EXPECT_THAT(a.facilitator->reasons(a.facilitator->reasons_size() - 1).finding(),
              HasSubstr("no facilitator"));
  EXPECT_EQ(a.respondent->person(), "people/off-james");
}

TEST(SheffieldChiefExecutiveTest, TheWhipFacilitatesAndTheChiefExecutiveAnswers) {
  // Sheffield 15: "both the Chief Executive and the Member concerned shall
  // consider whether a meeting facilitated by the relevant whip or party
  // leader could resolve the situation": the whip facilitates, nobody
  // handles, the Chief Executive answers.
  auto profile = Shipped("sheffield");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a = Resolve(directory, *profile, "cllr-ada", "off-james", 0);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.handler.person(), "");
  ASSERT_TRUE(a.facilitator.has_value());
  EXPECT_EQ(a.facilitator->person(), "people/cllr-hannah");
  ASSERT_TRUE(a.respondent.has_value());
  EXPECT_EQ(a.respondent->person(), "people/off-james");
  EXPECT_EQ(a.respondent->reasons(0).citation().clause(), "Sheffield 15");
}

TEST(SheffieldInvestigationTest, TheExecutiveDirectorOverTheOfficerInvestigatesAndReports) {
  // Sheffield 15: "Member may refer the complaint to the Monitoring Officer
  // who will arrange for the Executive Director to investigate and report
  // recommendations back in writing".
  auto profile = Shipped("sheffield");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a = Resolve(directory, *profile, "cllr-sophie", "off-matthew", 1);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.handler.person(), "people/off-hannah") << "the Monitoring Officer arranges";
  ASSERT_TRUE(a.investigator.has_value());
  EXPECT_EQ(a.investigator->person(), "people/off-tunde") << "Director of Place over planning";
  bool cited = false;
  for (const auto& r : a.investigator->reasons()) cited |= r.citation().clause() == "Sheffield 15";
  EXPECT_TRUE(cited);
  ASSERT_TRUE(a.respondent.has_value());
  EXPECT_EQ(a.respondent->person(), "people/off-tunde") << "the investigator reports";
}

TEST(SheffieldInvestigationTest, ARelatedExecutiveDirectorIsPassedOverUpTheChain) {
  // Sheffield 15 with the rule that nobody acts on a matter involving someone
  // they have a declared relationship with.
  auto profile = Shipped("sheffield");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  directory.AddRelationship("people/cllr-sophie", "people/off-tunde", "relationships/rel-ed");
  StageAssignment a = Resolve(directory, *profile, "cllr-sophie", "off-matthew", 1);
  ASSERT_TRUE(a.error.ok()) << a.error;
  ASSERT_TRUE(a.investigator.has_value());
  EXPECT_EQ(a.investigator->person(), "people/off-james");
  ASSERT_GE(a.investigator->passed_over_size(), 1);
  EXPECT_EQ(a.investigator->passed_over(0).person(), "people/off-tunde");
  EXPECT_THAT(a.investigator->passed_over(0).relationships(),
              ::testing::ElementsAre("relationships/rel-ed"));
}

TEST(SheffieldInvestigationTest, AnOfficersComplaintIsInvestigatedByTheirOwnExecutiveDirector) {
  // Sheffield 15, officers' concerns: the member complained about has no
  // director, so "the Executive Director" is the complaining officer's.
  auto profile = Shipped("sheffield");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a = Resolve(directory, *profile, "off-matthew", "cllr-sophie", 1);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.handler.person(), "people/off-hannah");
  ASSERT_TRUE(a.investigator.has_value());
  EXPECT_EQ(a.investigator->person(), "people/off-tunde");
  // A solicitor's director is the Monitoring Officer herself, who arranges:
  // she does not investigate for herself; the next post up does.
  StageAssignment legal = Resolve(directory, *profile, "off-anna", "cllr-sophie", 1);
  ASSERT_TRUE(legal.error.ok()) << legal.error;
  EXPECT_EQ(legal.handler.person(), "people/off-hannah");
  ASSERT_TRUE(legal.investigator.has_value());
  EXPECT_EQ(legal.investigator->person(), "people/off-james");
  ASSERT_GE(legal.investigator->passed_over_size(), 1);
  EXPECT_THAT(legal.investigator->passed_over(0).reason(), HasSubstr("already handles"));
}

TEST(SouthSomersetDirectRouteTest, TheEmployeeMayRaiseItWithTheSeniorHrEmployeeDirectly) {
  // South Somerset 17.4: "The Employee and their TU representative may also
  // raise the matter directly with the Senior Human Resource Employee".
  auto profile = Shipped("south-somerset");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  StageAssignment a =
      Resolve(directory, *profile, "off-matthew", "cllr-sophie", 1, StageOptions{true});
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_TRUE(a.direct);
  EXPECT_EQ(a.handler.person(), "people/off-sian");
  bool cited = false;
  for (const auto& r : a.handler.reasons()) cited |= r.citation().clause() == "South Somerset 17.4";
  EXPECT_TRUE(cited);
  // 17.6 still applies: the councillor and group leader are told.
  std::vector<std::string> told;
  for (const auto& n : a.notifications) told.push_back(n.person());
  EXPECT_THAT(told, ::testing::ElementsAre("people/cllr-sophie", "people/cllr-tory-leader"));
  for (const auto& n : a.notifications) EXPECT_EQ(n.clause().clause(), "South Somerset 17.6");
}

TEST(PassedOverTest, ADeputysHolderPassedOverIsRecordedWithTheRelationship) {
  // Middlesbrough 19.6 with Local Government and Housing Act 1989 s5(7): the
  // Monitoring Officer related to the member complained about is passed over
  // for the deputy; handler.passed_over says who and why, with the
  // declaration behind it.
  auto profile = Shipped("middlesbrough");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  directory.AddRelationship("people/off-hannah", "people/cllr-sophie", "relationships/rel-mo");
  StageAssignment a = Resolve(directory, *profile, "off-matthew", "cllr-sophie", 0);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.handler.person(), "people/off-bronwen");
  ASSERT_EQ(a.handler.passed_over_size(), 1);
  EXPECT_EQ(a.handler.passed_over(0).person(), "people/off-hannah");
  EXPECT_THAT(a.handler.passed_over(0).reason(),
              AllOf(HasSubstr("declared relationship with people/cllr-sophie"),
                    HasSubstr("designations/monitoring-officer")));
  EXPECT_THAT(a.handler.passed_over(0).relationships(),
              ::testing::ElementsAre("relationships/rel-mo"));
}

TEST(ClassifyTest, MemberAboutMemberIsNotThisProtocolsComplaint) {
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  auto facts = GatherPartyFacts(directory, *profile, "people/cllr-sophie", "people/cllr-ada",
                                absl::CivilDay(2026, 3, 2));
  ASSERT_TRUE(facts.ok());
  std::string why;
  auto kind = Classify(profile->complaints(), *facts, &why);
  EXPECT_TRUE(absl::IsInvalidArgument(kind.status()));
  EXPECT_THAT(std::string(kind.status().message()), HasSubstr("Code of Conduct"));
}

TEST(GatherPartyFactsTest, UnknownSubjectIsNotFound) {
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  auto facts = GatherPartyFacts(directory, *profile, "people/cllr-sophie", "people/off-nobody",
                                absl::CivilDay(2026, 3, 2));
  EXPECT_TRUE(absl::IsNotFound(facts.status())) << facts.status();
}

TEST(GatherPartyFactsTest, RelationsOutageIsUnavailableNotNotFound) {
  auto profile = Shipped("southwark");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  directory.SetUnavailable(true);
  auto facts = GatherPartyFacts(directory, *profile, "people/cllr-sophie", "people/off-matthew",
                                absl::CivilDay(2026, 3, 2));
  EXPECT_TRUE(absl::IsUnavailable(facts.status())) << facts.status();
}

TEST(ServiceChainFromPostsTest, StartsAtTheHeadOfServiceAndClimbs) {
  FakeDirectory directory;
  directory.AddStandardCouncil();
  auto posts = directory.ListPosts();
  ASSERT_TRUE(posts.ok());
  auto chain = ServiceChainFromPosts(*posts, "planning", absl::CivilDay(2026, 3, 2));
  ASSERT_TRUE(chain.has_value());
  EXPECT_EQ(chain->own.post, "posts/head-of-planning");
  ASSERT_EQ(chain->above.size(), 2u);
  EXPECT_EQ(chain->above[0].holder, "people/off-tunde");
  EXPECT_TRUE(chain->above[0].chief_officer);
  EXPECT_FALSE(ServiceChainFromPosts(*posts, "no-such-service", absl::CivilDay(2026, 3, 2))
                   .has_value());
}

TEST(AssignStageTest, AsksOnlyForTheConflictsItNeeds) {
  // The pure router asks for conflict facts one candidate at a time, so a
  // gatherer checks the line manager first and stops once someone is eligible.
  auto profile = Shipped("sheffield");
  FakeDirectory directory(profile);
  directory.AddStandardCouncil();
  auto facts = GatherPartyFacts(directory, *profile, "people/cllr-sophie", "people/off-matthew",
                                absl::CivilDay(2026, 3, 2));
  ASSERT_TRUE(facts.ok());
  const auto* route = FindRoute(*profile, kOfficer);
  ASSERT_TRUE(GatherNeeds(directory, *profile, NeedsFor(*route, 0), &*facts).ok());
  StageAssignment first = AssignStage(*profile, *route, 0, *facts);
  ASSERT_EQ(first.need_conflicts.size(), 2u);
  EXPECT_EQ(first.need_conflicts[0].first, "people/off-michael");
  // With "no conflict" facts, the line manager handles.
  facts->conflicts[ConflictKey("people/off-michael", "people/cllr-sophie")] = {};
  facts->conflicts[ConflictKey("people/off-michael", "people/off-matthew")] = {};
  facts->managers["people/off-michael"] = "people/off-adebayo";
  StageAssignment second = AssignStage(*profile, *route, 0, *facts);
  EXPECT_TRUE(second.need_conflicts.empty());
  EXPECT_EQ(second.handler.person(), "people/off-michael");
  EXPECT_EQ(second.handler.manager(), "people/off-adebayo");
}

}  // namespace
}  // namespace council::complaints
