// Tests for relations-service/acting_holder.h: who acts as a designation.
//
// The holder acts unless absent, a party to the matter, or related to a party;
// then the deputy the profile names (Middlesbrough: monitoring-officer ->
// deputy-monitoring-officer, whose duty comes from the Local Government and
// Housing Act 1989 s5(7)). Each designation passed over is explained.

#include "relations-service/acting_holder.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/profile/profile_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";
constexpr char kDeputy[] = "people/off-bronwen-jones";
constexpr char kPreviousMonitoringOfficer[] = "people/off-gareth-price";
constexpr char kChiefExecutive[] = "people/off-james-whitaker";
constexpr char kMember[] = "people/cllr-karen-jenkins";
constexpr char kComplainant[] = "people/off-jennifer-hayes";

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

class ActingHolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* officer :
         {kMonitoringOfficer, kDeputy, kPreviousMonitoringOfficer, kChiefExecutive, kComplainant}) {
      v1::Person& person = directory_.people[officer];
      person.set_name(officer);
      person.set_kind(v1::PERSON_KIND_OFFICER);
      *person.mutable_start_date() = Date(2012, 11, 12);
    }
    v1::Person& member = directory_.people[kMember];
    member.set_name(kMember);
    member.set_kind(v1::PERSON_KIND_MEMBER);
    *member.mutable_start_date() = Date(2023, 5, 8);

    // Gareth was monitoring officer until 2023-01-11; Hannah since 2023-01-12.
    v1::Designation& mo = Designation("monitoring-officer");
    AddTenure(&mo, kPreviousMonitoringOfficer, Date(2018, 4, 1), Date(2023, 1, 11));
    AddTenure(&mo, kMonitoringOfficer, Date(2023, 1, 12));
    AddTenure(&Designation("deputy-monitoring-officer"), kDeputy, Date(2021, 11, 29));
    AddTenure(&Designation("head-of-paid-service"), kChiefExecutive, Date(2019, 9, 2));
    middlesbrough_ = Profile("middlesbrough");
  }

  v1::Designation& Designation(const std::string& id) {
    const std::string name = "designations/" + id;
    v1::Designation& designation = directory_.designations[name];
    designation.set_name(name);
    return designation;
  }

  static void AddTenure(v1::Designation* designation, const std::string& person,
                        const common::v1::Date& start, const common::v1::Date* end = nullptr) {
    v1::Tenure* tenure = designation->add_tenures();
    tenure->set_person(person);
    *tenure->mutable_start_date() = start;
    if (end != nullptr) *tenure->mutable_end_date() = *end;
  }
  static void AddTenure(v1::Designation* designation, const std::string& person,
                        const common::v1::Date& start, const common::v1::Date& end) {
    AddTenure(designation, person, start, &end);
  }

  v1::Relationship& Relate(const std::string& id, const std::string& member,
                           const std::string& officer) {
    const std::string name = "relationships/" + id;
    v1::Relationship& relationship = directory_.relationships[name];
    relationship.set_name(name);
    relationship.set_member(member);
    relationship.set_officer(officer);
    relationship.set_kind(v1::RELATIONSHIP_KIND_FRIENDSHIP);
    *relationship.mutable_declared_on() = Date(2024, 3, 4);
    return relationship;
  }

  absl::StatusOr<v1::ActingHolder> Resolve(const std::string& designation,
                                           std::vector<std::string> excluded = {},
                                           absl::CivilDay day = kToday) {
    Reindex();
    return ResolveActingHolder(directory_, *middlesbrough_, designation, day, excluded);
  }

  // Rebuilds the snapshot's indexes after the test changed its records.
  void Reindex() {
    directory_.memberships_by_person.clear();
    directory_.relationships_by_person.clear();
    directory_.interests_by_person.clear();
    directory_.members_by_ward.clear();
    directory_.posts_by_person.clear();
    directory_.Index({});
  }

  DirectorySnapshot directory_;
  std::shared_ptr<const CouncilProfile> middlesbrough_;
};

TEST_F(ActingHolderTest, HolderActsWhenPresentAndUnconflicted) {
  auto acting = Resolve("monitoring-officer", {kMember, kComplainant});
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kMonitoringOfficer);
  EXPECT_EQ(acting->designation(), "designations/monitoring-officer");
  ASSERT_EQ(acting->reasons_size(), 1);
  EXPECT_EQ(acting->reasons(0).citation().clause(), "Middlesbrough 14.5");
  EXPECT_THAT(acting->reasons(0).finding(),
              AllOf(HasSubstr(kMonitoringOfficer), HasSubstr("acts as Monitoring Officer")));
}

TEST_F(ActingHolderTest, HolderOnTheDayActsForPastDates) {
  // In 2022 Gareth held the designation; on his last day he still acts.
  auto acting = Resolve("monitoring-officer", {}, absl::CivilDay(2023, 1, 11));
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kPreviousMonitoringOfficer);
  auto next_day = Resolve("monitoring-officer", {}, absl::CivilDay(2023, 1, 12));
  ASSERT_TRUE(next_day.ok()) << next_day.status();
  EXPECT_EQ(next_day->person(), kMonitoringOfficer);
}

TEST_F(ActingHolderTest, AbsentHolderPassesToTheDeputyTheProfileNames) {
  // Hannah's tenure ended on 2025-12-31 and nobody has been appointed since:
  // the deputy-monitoring-officer acts (Local Government and Housing Act 1989
  // s5(7)), and the answer says why the monitoring officer was passed over.
  v1::Designation& mo = directory_.designations["designations/monitoring-officer"];
  *mo.mutable_tenures(1)->mutable_end_date() = Date(2025, 12, 31);
  auto acting = Resolve("monitoring-officer");
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kDeputy);
  EXPECT_EQ(acting->designation(), "designations/deputy-monitoring-officer");
  ASSERT_EQ(acting->reasons_size(), 2);
  EXPECT_EQ(acting->reasons(0).citation().clause(), "Middlesbrough 14.5");
  EXPECT_THAT(acting->reasons(0).finding(),
              AllOf(HasSubstr("passed over"), HasSubstr("designations/monitoring-officer"),
                    HasSubstr("no holder on that day")));
  EXPECT_EQ(acting->reasons(1).citation().clause(),
            "Local Government and Housing Act 1989 s5(7)");
  EXPECT_THAT(acting->reasons(1).finding(),
              AllOf(HasSubstr(kDeputy), HasSubstr("Deputy Monitoring Officer")));
  // The same, structured (issue 18: complaints record it in passed_over).
  ASSERT_EQ(acting->passed_over_size(), 1);
  EXPECT_EQ(acting->passed_over(0).designation(), "designations/monitoring-officer");
  EXPECT_EQ(acting->passed_over(0).person(), "");
  EXPECT_EQ(acting->passed_over(0).reason(), "has no holder on that day");
}

TEST_F(ActingHolderTest, HolderWhoIsAPartyToTheMatterPassesToTheDeputy) {
  // A complaint about the monitoring officer is not handled by her.
  auto acting = Resolve("monitoring-officer", {kMember, kMonitoringOfficer});
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kDeputy);
  EXPECT_EQ(acting->designation(), "designations/deputy-monitoring-officer");
  ASSERT_EQ(acting->reasons_size(), 2);
  EXPECT_THAT(acting->reasons(0).finding(),
              AllOf(HasSubstr("passed over"), HasSubstr(kMonitoringOfficer),
                    HasSubstr("party to the matter")));
  EXPECT_FALSE(acting->reasons(0).citation().clause().empty());
  ASSERT_EQ(acting->passed_over_size(), 1);
  EXPECT_EQ(acting->passed_over(0).person(), kMonitoringOfficer);
  EXPECT_EQ(acting->passed_over(0).reason(), "is a party to the matter");
}

TEST_F(ActingHolderTest, HolderRelatedToAnExcludedPersonPassesToTheDeputy) {
  // Hannah has declared a friendship with the member complained about; the
  // declaration is cited under the clause relationships are declared by.
  Relate("rel-mo-friend", kMember, kMonitoringOfficer);
  auto acting = Resolve("monitoring-officer", {kComplainant, kMember});
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kDeputy);
  ASSERT_EQ(acting->reasons_size(), 2);
  EXPECT_EQ(acting->reasons(0).citation().clause(), "Middlesbrough 5.4");
  EXPECT_THAT(acting->reasons(0).finding(),
              AllOf(HasSubstr("passed over"), HasSubstr("declared relationship"),
                    HasSubstr(kMember), HasSubstr("relationships/rel-mo-friend")));
  ASSERT_EQ(acting->passed_over_size(), 1);
  EXPECT_EQ(acting->passed_over(0).person(), kMonitoringOfficer);
  EXPECT_EQ(acting->passed_over(0).designation(), "designations/monitoring-officer");
  EXPECT_THAT(acting->passed_over(0).reason(), HasSubstr(kMember));
  EXPECT_THAT(acting->passed_over(0).relationships(),
              ::testing::ElementsAre("relationships/rel-mo-friend"));
}

TEST_F(ActingHolderTest, EndedRelationshipDoesNotPassTheHolderOver) {
  v1::Relationship& relationship = Relate("rel-mo-ended", kMember, kMonitoringOfficer);
  *relationship.mutable_end_date() = Date(2025, 6, 30);
  auto acting = Resolve("monitoring-officer", {kMember});
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kMonitoringOfficer);
  auto while_current = Resolve("monitoring-officer", {kMember}, absl::CivilDay(2025, 6, 30));
  ASSERT_TRUE(while_current.ok()) << while_current.status();
  EXPECT_EQ(while_current->person(), kDeputy);
}

TEST_F(ActingHolderTest, NobodyCanActIsFailedPreconditionListingWhy) {
  // The monitoring officer is a party and the deputy is related to the other
  // party; the profile names no deputy for the deputy.
  Relate("rel-deputy", kMember, kDeputy);
  auto acting = Resolve("monitoring-officer", {kMonitoringOfficer, kMember});
  ASSERT_FALSE(acting.ok());
  EXPECT_EQ(acting.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(acting.status().message(),
              AllOf(HasSubstr("nobody can act as designations/monitoring-officer"),
                    HasSubstr(absl::StrCat(kMonitoringOfficer,
                                           " (designations/monitoring-officer) is a party")),
                    HasSubstr(absl::StrCat(kDeputy, " (designations/deputy-monitoring-officer) "
                                                    "has a declared relationship with ",
                                           kMember)),
                    HasSubstr("relationships/rel-deputy"), HasSubstr("no further deputy")));
}

TEST_F(ActingHolderTest, DesignationWithoutHolderOrDeputyCannotBeActedFor) {
  // The chief finance officer designation is in the profile but nobody holds
  // it in this directory, and Middlesbrough names no deputy.
  auto acting = Resolve("chief-finance-officer");
  ASSERT_FALSE(acting.ok());
  EXPECT_EQ(acting.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(acting.status().message(),
              AllOf(HasSubstr("designations/chief-finance-officer has no holder on that day"),
                    HasSubstr("no further deputy")));
}

TEST_F(ActingHolderTest, UnknownDesignationIsNotFound) {
  auto acting = Resolve("lord-high-admiral");
  ASSERT_FALSE(acting.ok());
  EXPECT_EQ(acting.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(acting.status().message(),
              AllOf(HasSubstr("designations/lord-high-admiral"), HasSubstr("Middlesbrough")));
}

TEST_F(ActingHolderTest, DesignationHeldInTheDirectoryButNotInTheProfileIsNotFound) {
  // HR may record designations the protocol never uses (head-of-hr here);
  // the profile decides which ones can act.
  AddTenure(&Designation("head-of-hr"), kChiefExecutive, Date(2024, 2, 19));
  auto acting = Resolve("head-of-hr");
  EXPECT_EQ(acting.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ActingHolderTest, SheffieldDeputyChainFromTheDirectorOfLegalAndGovernance) {
  // Sheffield 10.3.2 names the Director of Legal and Governance, whose deputy
  // is the deputy monitoring officer.
  auto sheffield = Profile("sheffield");
  AddTenure(&Designation("director-of-legal-and-governance"), kMonitoringOfficer,
            Date(2023, 1, 12));
  Reindex();
  auto acting = ResolveActingHolder(directory_, *sheffield, "director-of-legal-and-governance",
                                    kToday, {kMonitoringOfficer});
  ASSERT_TRUE(acting.ok()) << acting.status();
  EXPECT_EQ(acting->person(), kDeputy);
  EXPECT_EQ(acting->designation(), "designations/deputy-monitoring-officer");
  EXPECT_EQ(acting->reasons(0).citation().clause().substr(0, 9), "Sheffield");
}

}  // namespace
}  // namespace council::relations
