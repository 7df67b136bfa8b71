// Tests for relations-service/conflict_checker.h: each conflict rule, with the
// clause it comes from, against the councils' real profiles.
//
// The directory is built in code so every relationship, interest and ward the
// rules look at is visible in the test:
//
//   ward abbey:  cllr-ada-okafor, cllr-ben-cartwright, cllr-cara-nolan,
//                cllr-dan-hughes (left in 2025)
//   ward harbour: cllr-eve-shaw
//
//   rel-family    ada ~ off-olivia-grant   family
//   rel-household cara ~ off-olivia-grant  household
//   rel-business  ada ~ off-bob-marsh      business
//   rel-friend    ada ~ off-fran-wood      friendship
//   rel-working   ada ~ off-wes-ford       working
//   rel-ended     ada ~ off-eddie-lane     close-personal, ended 2025-06-30
//   rel-worked    ada ~ off-will-pryce     working, ended 2024-12-31
//
// The checks are made on 2026-01-15 unless a test says otherwise.

#include "relations-service/conflict_checker.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/profile/profile_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kAda[] = "people/cllr-ada-okafor";
constexpr char kBen[] = "people/cllr-ben-cartwright";
constexpr char kCara[] = "people/cllr-cara-nolan";
constexpr char kDan[] = "people/cllr-dan-hughes";
constexpr char kEve[] = "people/cllr-eve-shaw";
constexpr char kOlivia[] = "people/off-olivia-grant";
constexpr char kBob[] = "people/off-bob-marsh";
constexpr char kFran[] = "people/off-fran-wood";
constexpr char kWes[] = "people/off-wes-ford";
constexpr char kEddie[] = "people/off-eddie-lane";
constexpr char kWill[] = "people/off-will-pryce";
constexpr char kStranger[] = "people/off-sam-stranger";

constexpr char kRetailPark[] = "matter-eastmere-retail-park";
constexpr char kAdaRetailInterest[] = "people/cllr-ada-okafor/interests/int-001";
constexpr char kBenWasteInterest[] = "people/cllr-ben-cartwright/interests/int-002";

const absl::CivilDay kToday(2026, 1, 15);

common::v1::Date Date(int year, int month, int day) {
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::shared_ptr<const CouncilProfile> Profile(const std::string& id) {
  auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? *profile : std::make_shared<const CouncilProfile>();
}

class ConflictCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddMember(kAda, "wards/abbey");
    AddMember(kBen, "wards/abbey");
    AddMember(kCara, "wards/abbey");
    AddMember(kDan, "wards/abbey", /*left=*/true);
    AddMember(kEve, "wards/harbour");
    for (const char* officer : {kOlivia, kBob, kFran, kWes, kEddie, kWill, kStranger})
      AddOfficer(officer);
    AddRelationship("rel-family", kAda, kOlivia, v1::RELATIONSHIP_KIND_FAMILY);
    AddRelationship("rel-household", kCara, kOlivia, v1::RELATIONSHIP_KIND_HOUSEHOLD);
    AddRelationship("rel-business", kAda, kBob, v1::RELATIONSHIP_KIND_BUSINESS);
    AddRelationship("rel-friend", kAda, kFran, v1::RELATIONSHIP_KIND_FRIENDSHIP);
    AddRelationship("rel-working", kAda, kWes, v1::RELATIONSHIP_KIND_WORKING);
    v1::Relationship& ended =
        AddRelationship("rel-ended", kAda, kEddie, v1::RELATIONSHIP_KIND_CLOSE_PERSONAL);
    *ended.mutable_end_date() = Date(2025, 6, 30);
    v1::Relationship& worked =
        AddRelationship("rel-worked", kAda, kWill, v1::RELATIONSHIP_KIND_WORKING);
    *worked.mutable_end_date() = Date(2024, 12, 31);

    v1::Interest& retail = AddInterest(kAdaRetailInterest, kRetailPark);
    retail.set_holder(v1::INTEREST_HOLDER_PARTNER);
    v1::Interest& waste = AddInterest(kBenWasteInterest, "matter-waste-collection-contract");
    *waste.mutable_end_date() = Date(2025, 3, 31);
    directory_.Index({});

    middlesbrough_ = Profile("middlesbrough");
    sheffield_ = Profile("sheffield");
    south_somerset_ = Profile("south-somerset");
  }

  void AddMember(const std::string& name, const std::string& ward, bool left = false) {
    v1::Person& person = directory_.people[name];
    person.set_name(name);
    person.set_display_name(name);
    person.set_kind(v1::PERSON_KIND_MEMBER);
    *person.mutable_start_date() = Date(2023, 5, 8);
    if (left) *person.mutable_end_date() = Date(2025, 1, 31);
    person.set_ward(ward);
  }

  void AddOfficer(const std::string& name) {
    v1::Person& person = directory_.people[name];
    person.set_name(name);
    person.set_display_name(name);
    person.set_kind(v1::PERSON_KIND_OFFICER);
    *person.mutable_start_date() = Date(2015, 4, 1);
  }

  v1::Relationship& AddRelationship(const std::string& id, const std::string& member,
                                    const std::string& officer, v1::RelationshipKind kind) {
    const std::string name = "relationships/" + id;
    v1::Relationship& relationship = directory_.relationships[name];
    relationship.set_name(name);
    relationship.set_member(member);
    relationship.set_officer(officer);
    relationship.set_kind(kind);
    *relationship.mutable_declared_on() = Date(2024, 1, 10);
    relationship.set_revision(1);
    return relationship;
  }

  v1::Interest& AddInterest(const std::string& name, const std::string& matter) {
    v1::Interest& interest = directory_.interests[name];
    interest.set_name(name);
    interest.set_category(v1::INTEREST_CATEGORY_EMPLOYMENT);
    interest.set_description("Employed by the promoter");
    interest.set_holder(v1::INTEREST_HOLDER_MEMBER);
    *interest.mutable_arose_on() = Date(2024, 1, 1);
    *interest.mutable_registered_on() = Date(2024, 1, 20);
    interest.add_matters(matter);
    return interest;
  }

  v1::CheckConflictResponse Check(const CouncilProfile& profile, const std::string& person,
                                  v1::ConflictSetting setting, const std::string& other,
                                  absl::CivilDay day = kToday) {
    v1::CheckConflictRequest request;
    request.set_person(person);
    request.set_setting(setting);
    request.set_other_person(other);
    return CheckConflict(directory_, profile, request, day);
  }

  v1::CheckConflictResponse CheckInterest(const CouncilProfile& profile, const std::string& person,
                                          const std::string& matter, absl::CivilDay day = kToday) {
    v1::CheckConflictRequest request;
    request.set_person(person);
    request.set_setting(v1::CONFLICT_SETTING_INTEREST_IN_MATTER);
    request.set_matter(matter);
    return CheckConflict(directory_, profile, request, day);
  }

  DirectorySnapshot directory_;
  std::shared_ptr<const CouncilProfile> middlesbrough_, sheffield_, south_somerset_;
};

// The clauses a response cites, in order.
std::vector<std::string> Clauses(const v1::CheckConflictResponse& response) {
  std::vector<std::string> clauses;
  for (const auto& reason : response.reasons()) clauses.push_back(reason.citation().clause());
  return clauses;
}

std::string Findings(const v1::CheckConflictResponse& response) {
  std::string findings;
  for (const auto& reason : response.reasons()) absl::StrAppend(&findings, reason.finding(), "\n");
  return findings;
}

// --- Middlesbrough 5.6: bodies and decisions ---------------------------------------

TEST_F(ConflictCheckerTest, FamilyRelationshipBarsSittingOnABodyAffectingTheOfficer) {
  // Middlesbrough 5.6: "a member should not sit on a body or participate in any
  // decision which directly affects the officer on a personal basis."
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kOlivia);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), ElementsAre("relationships/rel-family"));
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 5.6"));
  EXPECT_THAT(answer.reasons(0).finding(),
              AllOf(HasSubstr("family"), HasSubstr("relationships/rel-family"), HasSubstr(kAda),
                    HasSubstr(kOlivia)));
  EXPECT_FALSE(answer.reasons(0).citation().summary().empty());
  EXPECT_THAT(answer.interests(), IsEmpty());
}

TEST_F(ConflictCheckerTest, BusinessAndHouseholdRelationshipsAlsoConflictOnABody) {
  // Middlesbrough 5.3 names "a family or business connection"; the profile's
  // 5.6 rule covers every personal kind.
  auto business = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kBob);
  EXPECT_TRUE(business.conflicted());
  EXPECT_THAT(business.relationships(), ElementsAre("relationships/rel-business"));
  EXPECT_THAT(Clauses(business), ElementsAre("Middlesbrough 5.6"));
  auto household = Check(*middlesbrough_, kCara, v1::CONFLICT_SETTING_BODY_OR_DECISION, kOlivia);
  EXPECT_TRUE(household.conflicted());
  EXPECT_THAT(household.relationships(), ElementsAre("relationships/rel-household"));
}

TEST_F(ConflictCheckerTest, RelationshipIsSymmetricForTheCheck) {
  // Asked the other way round (the officer as `person`), the same declaration
  // is found.
  auto answer = Check(*middlesbrough_, kOlivia, v1::CONFLICT_SETTING_BODY_OR_DECISION, kAda);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), ElementsAre("relationships/rel-family"));
}

TEST_F(ConflictCheckerTest, NoDeclaredRelationshipIsNoConflictAndSaysSo) {
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kStranger);
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), IsEmpty());
  EXPECT_THAT(answer.alternatives(), IsEmpty()) << "nobody needs replacing";
  ASSERT_EQ(answer.reasons_size(), 1);
  EXPECT_EQ(answer.reasons(0).citation().clause(), "Middlesbrough 5.6");
  EXPECT_THAT(answer.reasons(0).finding(), HasSubstr("no declared relationship in force"));
}

// --- Middlesbrough 6.4: appointment panels ------------------------------------------

TEST_F(ConflictCheckerTest, FriendOrRelativeCandidateBarsTheAppointmentPanel) {
  // Middlesbrough 6.4: "not take part where one of the candidates is a close
  // friend or relative".
  auto friend_answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kFran);
  EXPECT_TRUE(friend_answer.conflicted());
  EXPECT_THAT(friend_answer.relationships(), ElementsAre("relationships/rel-friend"));
  EXPECT_THAT(Clauses(friend_answer), ElementsAre("Middlesbrough 6.4"));
  EXPECT_THAT(friend_answer.reasons(0).finding(), HasSubstr("friendship"));

  auto relative = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kOlivia);
  EXPECT_TRUE(relative.conflicted());
  EXPECT_THAT(relative.relationships(), ElementsAre("relationships/rel-family"));
  EXPECT_THAT(Clauses(relative), ElementsAre("Middlesbrough 6.4"));
}

TEST_F(ConflictCheckerTest, WorkingRelationshipDoesNotBarTheAppointmentPanel) {
  // 6.4 names friends and relatives only; working with a candidate is for
  // appeals (6.5). The declaration is still reported as considered.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kWes);
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), IsEmpty());
  EXPECT_THAT(Clauses(answer), Contains("Middlesbrough 6.4"));
  EXPECT_THAT(Findings(answer), AllOf(HasSubstr("relationships/rel-working"),
                                      HasSubstr("not a kind this rule covers")));
}

TEST_F(ConflictCheckerTest, BusinessRelationshipDoesNotBarTheAppointmentPanel) {
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kBob);
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(Clauses(answer), Contains("Middlesbrough 6.4"));
}

// --- Middlesbrough 6.5: appeal hearings ---------------------------------------------

TEST_F(ConflictCheckerTest, WorkingRelationshipBarsTheAppealHearing) {
  // Middlesbrough 6.5: not "if the appellant is a friend, a relative, or an
  // officer with whom the member has had a working relationship."
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kWes);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), ElementsAre("relationships/rel-working"));
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 6.5"));
  EXPECT_THAT(answer.reasons(0).finding(), HasSubstr("working"));
}

TEST_F(ConflictCheckerTest, FriendAndRelativeBarTheAppealHearingButBusinessDoesNot) {
  EXPECT_TRUE(Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kFran).conflicted());
  EXPECT_TRUE(
      Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kOlivia).conflicted());
  auto business = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kBob);
  EXPECT_FALSE(business.conflicted());
  EXPECT_THAT(Clauses(business), Contains("Middlesbrough 6.5"));
}

TEST_F(ConflictCheckerTest, WorkingRelationshipDoesNotConflictUnderMiddlesbrough56) {
  // Working together is not a personal relationship within 5.6.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kWes);
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(Clauses(answer), Contains("Middlesbrough 5.6"));
}

// --- Handling a matter ----------------------------------------------------------------

TEST_F(ConflictCheckerTest, NobodyHandlesAMatterAboutThemselves) {
  auto answer = Check(*middlesbrough_, kOlivia, v1::CONFLICT_SETTING_HANDLING, kOlivia);
  EXPECT_TRUE(answer.conflicted());
  ASSERT_EQ(answer.reasons_size(), 1);
  EXPECT_THAT(answer.reasons(0).citation().clause(), HasSubstr("Rule against bias"));
  EXPECT_THAT(answer.reasons(0).finding(), HasSubstr("is the subject of the matter"));
  EXPECT_THAT(answer.relationships(), IsEmpty());
}

TEST_F(ConflictCheckerTest, NobodyHandlesAMatterAboutSomeoneTheyAreRelatedTo) {
  // Handling has no kind list: any declared relationship in force conflicts,
  // under the clause relationships are declared by (Middlesbrough 5.4).
  auto answer = Check(*middlesbrough_, kWes, v1::CONFLICT_SETTING_HANDLING, kAda);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), ElementsAre("relationships/rel-working"));
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 5.4"));

  auto unrelated = Check(*middlesbrough_, kStranger, v1::CONFLICT_SETTING_HANDLING, kAda);
  EXPECT_FALSE(unrelated.conflicted());
  EXPECT_THAT(Clauses(unrelated), ElementsAre("Middlesbrough 5.4"));
}

TEST_F(ConflictCheckerTest, HandlingAppliesEvenWhereTheProtocolHasNoBodyRule) {
  // Sheffield has no 5.6-style rule, but nobody handles a matter about a
  // relative whatever the protocol: cited under Sheffield 4.5.
  auto answer = Check(*sheffield_, kOlivia, v1::CONFLICT_SETTING_HANDLING, kAda);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(Clauses(answer), ElementsAre("Sheffield 4.5"));
  auto self = Check(*sheffield_, kAda, v1::CONFLICT_SETTING_HANDLING, kAda);
  EXPECT_TRUE(self.conflicted());
  EXPECT_THAT(self.reasons(0).citation().clause(), HasSubstr("Rule against bias"));
}

// --- Interest in a matter -----------------------------------------------------------

TEST_F(ConflictCheckerTest, InterestInTheMatterIsReferredUnderMiddlesbrough146) {
  // Middlesbrough 14.6: Monitoring Officer advice first where the member has
  // an interest in the subject matter.
  auto answer = CheckInterest(*middlesbrough_, kAda, kRetailPark);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.interests(), ElementsAre(kAdaRetailInterest));
  EXPECT_THAT(answer.relationships(), IsEmpty());
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 14.6"));
  EXPECT_THAT(answer.reasons(0).finding(),
              AllOf(HasSubstr("partner's"), HasSubstr(kAdaRetailInterest), HasSubstr(kRetailPark)));
}

TEST_F(ConflictCheckerTest, InterestInTheMatterBarsInspectionUnderSouthSomerset9) {
  auto answer = CheckInterest(*south_somerset_, kAda, kRetailPark);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.interests(), ElementsAre(kAdaRetailInterest));
  EXPECT_THAT(Clauses(answer), ElementsAre("South Somerset 9"));
}

TEST_F(ConflictCheckerTest, InterestInAnotherMatterDoesNotConflict) {
  auto answer = CheckInterest(*middlesbrough_, kAda, "matter-harbour-road-land-sale");
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(answer.interests(), IsEmpty());
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 14.6"));
  EXPECT_THAT(answer.reasons(0).finding(), HasSubstr("no interest"));
}

TEST_F(ConflictCheckerTest, EndedInterestNoLongerConflicts) {
  // Ben's interest in the waste contract ended on 2025-03-31.
  const std::string matter = "matter-waste-collection-contract";
  auto while_held = CheckInterest(*middlesbrough_, kBen, matter, absl::CivilDay(2025, 3, 31));
  EXPECT_TRUE(while_held.conflicted()) << "still held on its last day";
  EXPECT_THAT(while_held.interests(), ElementsAre(kBenWasteInterest));
  auto after = CheckInterest(*middlesbrough_, kBen, matter, absl::CivilDay(2025, 4, 1));
  EXPECT_FALSE(after.conflicted());
  EXPECT_THAT(after.interests(), IsEmpty());
  EXPECT_THAT(Clauses(after), ElementsAre("Middlesbrough 14.6"));
}

TEST_F(ConflictCheckerTest, InterestDoesNotConflictBeforeItArose) {
  auto before = CheckInterest(*middlesbrough_, kAda, kRetailPark, absl::CivilDay(2023, 12, 31));
  EXPECT_FALSE(before.conflicted());
  EXPECT_TRUE(CheckInterest(*middlesbrough_, kAda, kRetailPark, absl::CivilDay(2024, 1, 1))
                  .conflicted());
}

TEST_F(ConflictCheckerTest, ProfileWithoutAnInterestRuleStillCitesTheStatute) {
  // Sheffield's protocol has no interest bar of its own; a DPI in the matter
  // still conflicts under the Localism Act.
  auto answer = CheckInterest(*sheffield_, kAda, kRetailPark);
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(Clauses(answer), ElementsAre("Localism Act 2011 s31"));
}

// --- Dates: ended relationships -------------------------------------------------------

TEST_F(ConflictCheckerTest, EndedRelationshipStillConflictsOnItsEndDate) {
  // rel-ended's end_date 2025-06-30 is the last day it applies.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kEddie,
                      absl::CivilDay(2025, 6, 30));
  EXPECT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), ElementsAre("relationships/rel-ended"));
  EXPECT_THAT(Clauses(answer), ElementsAre("Middlesbrough 5.6"));
}

TEST_F(ConflictCheckerTest, EndedRelationshipStopsConflictingTheDayAfterItsEnd) {
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kEddie,
                      absl::CivilDay(2025, 7, 1));
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), IsEmpty());
  EXPECT_THAT(Findings(answer), HasSubstr("no declared relationship in force"));
  // ... and it stays in the directory as history.
  EXPECT_TRUE(directory_.relationships.contains("relationships/rel-ended"));
}

TEST_F(ConflictCheckerTest, RelationshipDeclaredLaterStillConflictsOnAnEarlierDay) {
  // A declaration records a fact, not its start: a family tie declared in
  // January 2024 also existed in 2023.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kOlivia,
                      absl::CivilDay(2023, 6, 1));
  EXPECT_TRUE(answer.conflicted());
}

// --- A rule the protocol does not have --------------------------------------------

TEST_F(ConflictCheckerTest, DisabledRuleAnswersNotConflictedAndSaysWhy) {
  // Sheffield's protocol has no rule on members sitting on bodies affecting a
  // related officer (body_or_decision is disabled), even for a family tie.
  auto answer = Check(*sheffield_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kOlivia);
  EXPECT_FALSE(answer.conflicted());
  EXPECT_THAT(answer.relationships(), IsEmpty());
  EXPECT_THAT(answer.alternatives(), IsEmpty());
  ASSERT_EQ(answer.reasons_size(), 1);
  EXPECT_THAT(answer.reasons(0).finding(), HasSubstr("no conflict rule applies"));
  EXPECT_THAT(answer.reasons(0).citation().clause(), HasSubstr("Sheffield"));
  EXPECT_THAT(answer.reasons(0).citation().summary(), HasSubstr("no rule for this setting"));
}

TEST_F(ConflictCheckerTest, DisabledRuleInSouthSomersetForPanels) {
  for (auto setting : {v1::CONFLICT_SETTING_APPOINTMENT_PANEL, v1::CONFLICT_SETTING_APPEAL_HEARING,
                       v1::CONFLICT_SETTING_BODY_OR_DECISION}) {
    auto answer = Check(*south_somerset_, kAda, setting, kFran);
    EXPECT_FALSE(answer.conflicted()) << v1::ConflictSetting_Name(setting);
    EXPECT_THAT(Findings(answer), HasSubstr("no conflict rule applies"));
  }
}

TEST_F(ConflictCheckerTest, SheffieldPanelRulesUseTheirOwnKindsAndClause) {
  // Sheffield 3.2 covers friends, relatives and household members, but not
  // working relationships, on appeals.
  auto household =
      Check(*sheffield_, kCara, v1::CONFLICT_SETTING_APPEAL_HEARING, kOlivia);
  EXPECT_TRUE(household.conflicted());
  EXPECT_THAT(Clauses(household), ElementsAre("Sheffield 3.2"));
  auto working = Check(*sheffield_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kWes);
  EXPECT_FALSE(working.conflicted());
  EXPECT_THAT(Clauses(working), Contains("Sheffield 3.2"));
}

// --- Who may act instead ------------------------------------------------------------

TEST_F(ConflictCheckerTest, AlternativesAreTheOtherCurrentUnconflictedWardMembers) {
  // Ada is conflicted about Olivia. Of Abbey's other members, Cara is related
  // to Olivia herself, Dan has left; Eve is for another ward. Only Ben remains.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_BODY_OR_DECISION, kOlivia);
  ASSERT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.alternatives(), ElementsAre(kBen));
  EXPECT_THAT(answer.alternatives(), Not(Contains(kAda)));
  EXPECT_THAT(answer.alternatives(), Not(Contains(kCara)));
  EXPECT_THAT(answer.alternatives(), Not(Contains(kDan)));
  EXPECT_THAT(answer.alternatives(), Not(Contains(kEve)));
}

TEST_F(ConflictCheckerTest, AlternativesFollowTheSettingsRule) {
  // Cara's household tie does not bar an appointment panel (6.4: friends and
  // relatives), so she is an alternative there, in name order.
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kOlivia);
  ASSERT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.alternatives(), ElementsAre(kBen, kCara));
}

TEST_F(ConflictCheckerTest, AlternativesForAnInterestExcludeMembersWithTheSameInterest) {
  directory_.interests["people/cllr-ben-cartwright/interests/int-003"] =
      directory_.interests.at(kAdaRetailInterest);
  directory_.interests["people/cllr-ben-cartwright/interests/int-003"].set_name(
      "people/cllr-ben-cartwright/interests/int-003");
  directory_.interests_by_person[kBen].push_back("people/cllr-ben-cartwright/interests/int-003");
  auto answer = CheckInterest(*middlesbrough_, kAda, kRetailPark);
  ASSERT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.alternatives(), ElementsAre(kCara));
}

TEST_F(ConflictCheckerTest, OfficerWithoutAWardHasNoAlternatives) {
  auto answer = Check(*middlesbrough_, kWes, v1::CONFLICT_SETTING_HANDLING, kAda);
  ASSERT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.alternatives(), IsEmpty());
}

// --- Issue 18: past tense, and a person asked about themselves ------------------------

// One conflict check and its expected answer, with the clause behind it.
struct Row {
  std::string name;
  std::string profile;
  std::string person;
  v1::ConflictSetting setting;
  std::string other;
  absl::CivilDay day;
  bool conflicted;
  // The clause of the first reason (a prefix is enough for the rule against
  // bias, whose citation names the cases).
  std::string clause;
  // The relationships behind a conflict.
  std::vector<std::string> relationships;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

const std::vector<Row>& Table() {
  constexpr auto kBody = v1::CONFLICT_SETTING_BODY_OR_DECISION;
  constexpr auto kPanel = v1::CONFLICT_SETTING_APPOINTMENT_PANEL;
  constexpr auto kAppeal = v1::CONFLICT_SETTING_APPEAL_HEARING;
  constexpr auto kHandling = v1::CONFLICT_SETTING_HANDLING;
  constexpr char kBias[] = "Rule against bias";
  static const auto* const rows = new std::vector<Row>{
      // Middlesbrough 6.5: "an officer with whom the member has had a working
      // relationship": ended (2024-12-31) and still barring the hearing.
      {"Middlesbrough65_EndedWorkingRelationshipStillBarsTheAppealHearing", "middlesbrough", kAda,
       kAppeal, kWill, kToday, true, "Middlesbrough 6.5", {"relationships/rel-worked"}},
      {"Middlesbrough65_WorkingRelationshipBarsItWhileCurrent", "middlesbrough", kAda, kAppeal,
       kWill, absl::CivilDay(2024, 6, 1), true, "Middlesbrough 6.5", {"relationships/rel-worked"}},
      {"Middlesbrough65_EndedOnlyYesterdayStillBars", "middlesbrough", kAda, kAppeal, kWill,
       absl::CivilDay(2025, 1, 1), true, "Middlesbrough 6.5", {"relationships/rel-worked"}},
      // 6.5's "is a friend, a relative" is the present tense: a close-personal
      // relationship ended on 2025-06-30 no longer bars the hearing.
      {"Middlesbrough65_EndedCloseRelationshipNoLongerBars", "middlesbrough", kAda, kAppeal,
       kEddie, kToday, false, "Middlesbrough 6.5", {}},
      // 6.4: a working relationship alone never bars an appointment panel,
      // current or ended.
      {"Middlesbrough64_EndedWorkingRelationshipDoesNotBarThePanel", "middlesbrough", kAda, kPanel,
       kWill, kToday, false, "Middlesbrough 6.4", {}},
      {"Middlesbrough64_CurrentWorkingRelationshipDoesNotBarThePanel", "middlesbrough", kAda,
       kPanel, kWill, absl::CivilDay(2024, 6, 1), false, "Middlesbrough 6.4", {}},
      // 5.6 and handling are in the present: the ended one is history.
      {"Middlesbrough56_EndedWorkingRelationshipIsHistory", "middlesbrough", kAda, kBody, kWill,
       kToday, false, "Middlesbrough 5.6", {}},
      {"Middlesbrough54_HandlingIgnoresAnEndedRelationship", "middlesbrough", kWill, kHandling,
       kAda, kToday, false, "Middlesbrough 5.4", {}},
      // Sheffield 3.2 does not name working relationships at all.
      {"Sheffield32_EndedWorkingRelationshipDoesNotBarTheAppeal", "sheffield", kAda, kAppeal, kWill,
       kToday, false, "Sheffield 3.2", {}},

      // A person asked about themselves: the strongest conflict, in every
      // setting and under every profile, even where the protocol has no rule
      // for the setting (automatic disqualification of a party).
      {"OwnCause_BodyOrDecision", "middlesbrough", kOlivia, kBody, kOlivia, kToday, true, kBias,
       {}},
      {"OwnCause_AppointmentPanel", "middlesbrough", kAda, kPanel, kAda, kToday, true, kBias, {}},
      {"OwnCause_AppealHearing", "middlesbrough", kWes, kAppeal, kWes, kToday, true, kBias, {}},
      {"OwnCause_Handling", "middlesbrough", kOlivia, kHandling, kOlivia, kToday, true, kBias, {}},
      {"OwnCause_SheffieldHasNoBodyRule", "sheffield", kAda, kBody, kAda, kToday, true, kBias, {}},
      {"OwnCause_SouthSomersetHasNoAppealRule", "south-somerset", kAda, kAppeal, kAda, kToday,
       true, kBias, {}},
      {"OwnCause_SheffieldAppeal", "sheffield", kCara, kAppeal, kCara, kToday, true, kBias, {}},
  };
  return *rows;
}

class ConflictTableTest : public ConflictCheckerTest,
                          public ::testing::WithParamInterface<Row> {};

TEST_P(ConflictTableTest, AnswersWithTheClause) {
  const Row& row = GetParam();
  auto answer = Check(*Profile(row.profile), row.person, row.setting, row.other, row.day);
  EXPECT_EQ(answer.conflicted(), row.conflicted) << Findings(answer);
  ASSERT_GE(answer.reasons_size(), 1);
  EXPECT_THAT(answer.reasons(0).citation().clause(), ::testing::StartsWith(row.clause));
  EXPECT_FALSE(answer.reasons(0).citation().summary().empty());
  EXPECT_THAT(answer.relationships(), ::testing::ElementsAreArray(row.relationships));
}

INSTANTIATE_TEST_SUITE_P(Issue18, ConflictTableTest, ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

TEST_F(ConflictCheckerTest, EndedWorkingRelationshipSaysItEndedAndWhyItStillCounts) {
  auto answer = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPEAL_HEARING, kWill);
  ASSERT_TRUE(answer.conflicted());
  EXPECT_THAT(answer.reasons(0).finding(),
              AllOf(HasSubstr("working"), HasSubstr("relationships/rel-worked"),
                    HasSubstr("ended 2024-12-31"), HasSubstr("past tense")));
}

TEST_F(ConflictCheckerTest, OwnCauseNamesThePartyTheyAreInTheSetting) {
  auto appeal = Check(*middlesbrough_, kWes, v1::CONFLICT_SETTING_APPEAL_HEARING, kWes);
  ASSERT_EQ(appeal.reasons_size(), 1);
  EXPECT_THAT(appeal.reasons(0).finding(),
              AllOf(HasSubstr(kWes), HasSubstr("the appellant"), HasSubstr("own cause")));
  EXPECT_THAT(appeal.reasons(0).citation().summary(), HasSubstr("Pinochet"));
  EXPECT_THAT(appeal.alternatives(), IsEmpty()) << "an officer has no ward";
  // A ward member conflicted about themselves: the ward's other current
  // members may act instead.
  auto panel = Check(*middlesbrough_, kAda, v1::CONFLICT_SETTING_APPOINTMENT_PANEL, kAda);
  EXPECT_THAT(panel.reasons(0).finding(), HasSubstr("the candidate"));
  EXPECT_THAT(panel.alternatives(), ElementsAre(kBen, kCara));
}

TEST(KindNameTest, UsesTheProfilesLowerCaseHyphenatedNames) {
  EXPECT_EQ(KindName(v1::RELATIONSHIP_KIND_CLOSE_PERSONAL), "close-personal");
  EXPECT_EQ(KindName(v1::RELATIONSHIP_KIND_FAMILY), "family");
  EXPECT_EQ(KindName(v1::RELATIONSHIP_KIND_WORKING), "working");
}

}  // namespace
}  // namespace council::relations
