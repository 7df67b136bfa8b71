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
      {"SouthwarkChiefExecutiveMeetingFacilitatedByComplainantsWhip", "southwark", "cllr-sophie",
       "off-james", kChiefExecutive, 0, "cllr-tory-whip", "Southwark 69"},
      {"SouthwarkWhipWhoComplainsHandsToGroupLeader", "southwark", "cllr-tory-whip",
       "off-james", kChiefExecutive, 0, "cllr-tory-leader", "Southwark 69", {"cllr-tory-whip"}},
      {"SouthwarkMonitoringOfficerAndHeadOfHrReportJointly", "southwark", "cllr-sophie",
       "off-james", kChiefExecutive, 1, "off-hannah", "Southwark 70", {}, {"off-sian"}},
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
      {"SheffieldChiefExecutiveComplaintGoesToWhip", "sheffield", "cllr-ada", "off-james",
       kChiefExecutive, 0, "cllr-hannah", "Sheffield 15"},
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
      {"MiddlesbroughMonitoringOfficersOwnComplaintGoesToDeputy", "middlesbrough", "off-hannah",
       "cllr-sophie", kAboutMember, 0, "off-bronwen", "Middlesbrough 19.6"},
      {"MiddlesbroughMonitoringOfficerRelatedToSubjectHandsToDeputy", "middlesbrough",
       "off-matthew", "cllr-sophie", kAboutMember, 0, "off-bronwen", "Middlesbrough 19.6", {},
       {}, {}, {{"off-hannah", "cllr-sophie"}}},
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
      {"SouthSomersetFormalEmployeeComplaintTellsMembersGroupLeader", "south-somerset",
       "off-matthew", "cllr-sophie", kAboutMember, 1, "off-michael", "South Somerset 17.5", {},
       {}, {"cllr-tory-leader"}},
      {"SouthSomersetGroupLeaderComplainedAboutIsToldAsAParty", "south-somerset", "off-matthew",
       "cllr-tory-leader", kAboutMember, 1, "off-michael", "South Somerset 17.5"},

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
