// Tests for relations-service/declaration_rules.h over the shipped
// Middlesbrough, Sheffield and Southwark profiles: one row per (profile,
// caller, action) on one declared relationship, with the expected answer and
// the clause behind it. Reading is wider than writing: the auditor reads
// every declaration and writes none (issue 17, defect 1).

#include "relations-service/declaration_rules.h"

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "common/profile/profile_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::council::profile::v1::CouncilProfile;

std::shared_ptr<const CouncilProfile> Shipped(const std::string& id) {
  static auto* const cache = new std::map<std::string, std::shared_ptr<const CouncilProfile>>;
  auto& slot = (*cache)[id];
  if (slot == nullptr) {
    auto loaded = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    slot = loaded.ok() ? *loaded : std::make_shared<CouncilProfile>();
  }
  return slot;
}

// The declaration: a member and an officer, declared to the chief executive
// (the head of paid service).
constexpr char kMember[] = "people/cllr-karen-jenkins";
constexpr char kOfficer[] = "people/off-jennifer-hayes";
constexpr char kChiefExecutive[] = "people/off-james-whitaker";

v1::Relationship Declared() {
  v1::Relationship r;
  r.set_name("relationships/rel-001");
  r.set_member(kMember);
  r.set_officer(kOfficer);
  r.set_kind(v1::RELATIONSHIP_KIND_FAMILY);
  r.set_declared_to(kChiefExecutive);
  return r;
}

enum class Who {
  kMemberParty,
  kOfficerParty,
  kOtherMember,
  kOtherOfficer,
  kChiefExecutiveDeclaredTo,  // named in declared_to; holds head-of-paid-service
  kFormerChiefExecutive,      // named in declared_to; no longer holds head-of-paid-service
  kMonitoringOfficer,
  kAuditor,                   // an officer with the auditor system role
  kAdministrator,             // an officer with the administrator system role
  kHrIntegration,
  kPoliticalAssistant,
  kSiblingService,
};

const char* Name(Who who) {
  switch (who) {
    case Who::kMemberParty: return "MemberParty";
    case Who::kOfficerParty: return "OfficerParty";
    case Who::kOtherMember: return "OtherMember";
    case Who::kOtherOfficer: return "OtherOfficer";
    case Who::kChiefExecutiveDeclaredTo: return "ChiefExecutiveDeclaredTo";
    case Who::kFormerChiefExecutive: return "FormerChiefExecutive";
    case Who::kMonitoringOfficer: return "MonitoringOfficer";
    case Who::kAuditor: return "Auditor";
    case Who::kAdministrator: return "Administrator";
    case Who::kHrIntegration: return "HrIntegration";
    case Who::kPoliticalAssistant: return "PoliticalAssistant";
    case Who::kSiblingService: return "SiblingService";
  }
  return "?";
}

Caller CallerFor(Who who) {
  switch (who) {
    case Who::kMemberParty: return {kMember, {"member"}, ""};
    case Who::kOfficerParty: return {kOfficer, {"officer"}, ""};
    case Who::kOtherMember: return {"people/cllr-sophie-wright", {"member"}, ""};
    case Who::kOtherOfficer: return {"people/off-michael-marsh", {"officer"}, ""};
    case Who::kChiefExecutiveDeclaredTo:
      return {kChiefExecutive, {"officer", "head-of-paid-service", "chief-officer"}, ""};
    case Who::kFormerChiefExecutive: return {kChiefExecutive, {"officer"}, ""};
    case Who::kMonitoringOfficer:
      return {"people/off-hannah-liu", {"officer", "monitoring-officer"}, ""};
    case Who::kAuditor: return {"people/audit-reader", {"officer", "auditor"}, ""};
    case Who::kAdministrator: return {"people/it-admin", {"officer", "administrator"}, ""};
    case Who::kHrIntegration: return {"services/hr-sync", {"hr-integration"}, ""};
    case Who::kPoliticalAssistant: return {"people/pa-chloe-wright", {"political-assistant"}, ""};
    case Who::kSiblingService: return {"services/complaints-service", {}, kMember};
  }
  return {};
}

enum class Action { kRead, kDeclare, kAdvise, kEnd };

const char* Name(Action action) {
  switch (action) {
    case Action::kRead: return "Read";
    case Action::kDeclare: return "Declare";
    case Action::kAdvise: return "Advise";
    case Action::kEnd: return "End";
  }
  return "?";
}

struct Row {
  std::string profile;
  Who who;
  Action action;
  bool allowed;
  // The clause or duty behind the answer (docs/security.md, "Declarations").
  std::string why;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.profile << "/" << Name(row.who) << "/" << Name(row.action);
}

const std::vector<Row>& Table() {
  using W = Who;
  using A = Action;
  static const auto* const rows = new std::vector<Row>{
      // Middlesbrough 5.4: declared to the head of paid service or the
      // monitoring officer; the protocol is silent on advice, so the officer
      // declared to records it and the refusals cite 5.4.
      {"middlesbrough", W::kMemberParty, A::kRead, true, "a party (5.4)"},
      {"middlesbrough", W::kMemberParty, A::kDeclare, true, "a party declares (5.4)"},
      {"middlesbrough", W::kMemberParty, A::kAdvise, false, "a party does not advise on itself"},
      {"middlesbrough", W::kMemberParty, A::kEnd, true, "a party records the end (5.5)"},
      {"middlesbrough", W::kOfficerParty, A::kRead, true, "a party (5.4)"},
      {"middlesbrough", W::kOfficerParty, A::kDeclare, true, "a party declares (5.4)"},
      {"middlesbrough", W::kOfficerParty, A::kAdvise, false, "a party does not advise on itself"},
      {"middlesbrough", W::kOfficerParty, A::kEnd, true, "a party records the end (5.5)"},
      {"middlesbrough", W::kOtherMember, A::kRead, false, "not a party: not found"},
      {"middlesbrough", W::kOtherMember, A::kDeclare, false, "declares only their own (5.4)"},
      {"middlesbrough", W::kOtherMember, A::kAdvise, false, "not the officer declared to"},
      {"middlesbrough", W::kOtherMember, A::kEnd, false, "not a party"},
      {"middlesbrough", W::kOtherOfficer, A::kRead, false, "not a party: not found"},
      {"middlesbrough", W::kOtherOfficer, A::kDeclare, false, "declares only their own (5.4)"},
      {"middlesbrough", W::kOtherOfficer, A::kAdvise, false, "not the officer declared to"},
      {"middlesbrough", W::kOtherOfficer, A::kEnd, false, "not a party"},
      {"middlesbrough", W::kChiefExecutiveDeclaredTo, A::kRead, true, "declared to them (5.4)"},
      {"middlesbrough", W::kChiefExecutiveDeclaredTo, A::kDeclare, true,
       "records what is declared to them (5.4)"},
      {"middlesbrough", W::kChiefExecutiveDeclaredTo, A::kAdvise, true,
       "the officer declared to advises (5.4, 5.5)"},
      {"middlesbrough", W::kChiefExecutiveDeclaredTo, A::kEnd, true,
       "records the end of what is declared to them"},
      {"middlesbrough", W::kMonitoringOfficer, A::kRead, true, "declarations are made to them (5.4)"},
      {"middlesbrough", W::kMonitoringOfficer, A::kAdvise, true,
       "holds a designation declarations are made to (5.4)"},
      {"middlesbrough", W::kMonitoringOfficer, A::kEnd, true, "as above"},
      {"middlesbrough", W::kAuditor, A::kRead, true, "auditors read every declaration"},
      {"middlesbrough", W::kAuditor, A::kDeclare, false, "auditors are read-only (defect 1)"},
      {"middlesbrough", W::kAuditor, A::kAdvise, false, "auditors are read-only (defect 1)"},
      {"middlesbrough", W::kAuditor, A::kEnd, false, "auditors are read-only (defect 1)"},
      {"middlesbrough", W::kAdministrator, A::kRead, false,
       "IT administration needs no declarations"},
      {"middlesbrough", W::kAdministrator, A::kDeclare, true,
       "loads the council's existing register at go-live (audited)"},
      {"middlesbrough", W::kAdministrator, A::kAdvise, false, "not the officer declared to"},
      {"middlesbrough", W::kAdministrator, A::kEnd, false, "not a party"},
      {"middlesbrough", W::kHrIntegration, A::kRead, false, "HR owns the directory, not declarations"},
      {"middlesbrough", W::kHrIntegration, A::kDeclare, false,
       "declarations are made to 5.4's officers, not HR"},
      {"middlesbrough", W::kHrIntegration, A::kAdvise, false, "not the officer declared to"},
      {"middlesbrough", W::kHrIntegration, A::kEnd, false, "not a party"},
      {"middlesbrough", W::kPoliticalAssistant, A::kRead, false,
       "a political assistant is no reader of others' declarations (defect 2)"},
      {"middlesbrough", W::kPoliticalAssistant, A::kDeclare, false, "declares only their own"},
      {"middlesbrough", W::kPoliticalAssistant, A::kAdvise, false, "not the officer declared to"},
      {"middlesbrough", W::kPoliticalAssistant, A::kEnd, false, "not a party"},
      {"middlesbrough", W::kSiblingService, A::kRead, true,
       "complaints and access check conflicts for routing"},
      {"middlesbrough", W::kSiblingService, A::kAdvise, false, "services give no advice"},

      // Sheffield 4.5-4.6: declared to the Chief Executive, who advises; the
      // monitoring officer reads but does not advise.
      {"sheffield", W::kChiefExecutiveDeclaredTo, A::kAdvise, true, "Sheffield 4.6"},
      {"sheffield", W::kMonitoringOfficer, A::kRead, true, "the monitoring officer reads all"},
      {"sheffield", W::kMonitoringOfficer, A::kAdvise, false, "Sheffield 4.6: the Chief Executive"},
      // Issue 18: the advice is the Chief Executive's, the holder today of
      // head-of-paid-service: being named in declared_to is not enough once
      // they have left the post. They may still record the end of it.
      {"sheffield", W::kFormerChiefExecutive, A::kAdvise, false,
       "Sheffield 4.6: the Chief Executive today"},
      {"sheffield", W::kFormerChiefExecutive, A::kEnd, true, "named in declared_to (4.5)"},
      {"middlesbrough", W::kFormerChiefExecutive, A::kAdvise, false,
       "holds no designation 5.4 names"},
      {"sheffield", W::kAuditor, A::kAdvise, false, "auditors are read-only (defect 1)"},
      {"sheffield", W::kAuditor, A::kEnd, false, "auditors are read-only (defect 1)"},

      // Southwark 13 names nobody: the monitoring officer advises.
      {"southwark", W::kMonitoringOfficer, A::kAdvise, true,
       "no designation named: the monitoring officer (Localism Act 2011 s28)"},
      {"southwark", W::kChiefExecutiveDeclaredTo, A::kAdvise, true, "named in declared_to"},
      {"southwark", W::kFormerChiefExecutive, A::kAdvise, true,
       "no designation named: the officer named in declared_to"},
      {"southwark", W::kAuditor, A::kAdvise, false, "auditors are read-only (defect 1)"},
  };
  return *rows;
}

bool Decide(const Row& row) {
  const CouncilProfile& profile = *Shipped(row.profile);
  const Caller caller = CallerFor(row.who);
  const v1::Relationship r = Declared();
  switch (row.action) {
    case Action::kRead: return MayReadRelationship(caller, profile, r);
    case Action::kDeclare: return MayDeclare(caller, profile, r).ok();
    case Action::kAdvise: return MayAdviseOn(caller, profile, r).ok();
    case Action::kEnd: return MayEnd(caller, profile, r).ok();
  }
  return false;
}

class DeclarationRulesTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(DeclarationRulesTableTest, AnswersAsTheRoleModelSays) {
  const Row& row = GetParam();
  EXPECT_EQ(Decide(row), row.allowed) << row.why;
}

INSTANTIATE_TEST_SUITE_P(Shipped, DeclarationRulesTableTest, ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return absl::StrCat(info.param.profile == "south-somerset"
                                                   ? "southsomerset"
                                                   : info.param.profile,
                                               "_", Name(info.param.who), "_",
                                               Name(info.param.action));
                         });

TEST(DeclarationRulesTest, RefusalsArePermissionDeniedCitingTheClause) {
  const Caller auditor = CallerFor(Who::kAuditor);
  const grpc::Status advice = MayAdviseOn(auditor, *Shipped("sheffield"), Declared());
  EXPECT_EQ(advice.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorInfoReason(advice), "ERROR_REASON_RULE_FORBIDS");
  EXPECT_EQ(ErrorInfoMetadata(advice, "clause"), "Sheffield 4.6");
  // Middlesbrough has no advice clause: the relationships clause is cited.
  EXPECT_EQ(ErrorInfoMetadata(MayAdviseOn(auditor, *Shipped("middlesbrough"), Declared()), "clause"),
            "Middlesbrough 5.4");
  const grpc::Status end = MayEnd(auditor, *Shipped("middlesbrough"), Declared());
  EXPECT_EQ(end.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorInfoMetadata(end, "clause"), "Middlesbrough 5.4");
  const grpc::Status declare = MayDeclare(auditor, *Shipped("middlesbrough"), Declared());
  EXPECT_EQ(declare.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorInfoMetadata(declare, "clause"), "Middlesbrough 5.4");
}

TEST(DeclarationRulesTest, AnOfficerDeclaredToWhoIsAPartyDoesNotAdviseOnTheirOwn) {
  // The monitoring officer's own relationship, declared to the chief executive.
  v1::Relationship own = Declared();
  own.set_officer("people/off-hannah-liu");
  EXPECT_FALSE(MayAdviseOn(CallerFor(Who::kMonitoringOfficer), *Shipped("middlesbrough"), own).ok());
  EXPECT_TRUE(MayEnd(CallerFor(Who::kMonitoringOfficer), *Shipped("middlesbrough"), own).ok());
}

// --- Advice recorded with a declaration (CheckAdviceDeclared, issue 18) ----------------

constexpr char kMonitoringOfficerPerson[] = "people/off-hannah-liu";
constexpr char kOtherOfficerPerson[] = "people/off-michael-marsh";

// The directory the advice rows are checked against: the chief executive has
// held head-of-paid-service since 2019-09-02, the monitoring officer
// monitoring-officer since 2023-01-12.
const DirectorySnapshot& Directory() {
  static const DirectorySnapshot* const directory = [] {
    auto* d = new DirectorySnapshot;
    for (const char* name : {kMember, kOfficer, kChiefExecutive, kMonitoringOfficerPerson,
                             kOtherOfficerPerson, "people/it-admin"}) {
      d->people[name].set_name(name);
    }
    auto designate = [&](const std::string& id, const std::string& person, int y, int m,
                         int day) {
      v1::Designation& designation = d->designations["designations/" + id];
      designation.set_name("designations/" + id);
      v1::Tenure* tenure = designation.add_tenures();
      tenure->set_person(person);
      tenure->mutable_start_date()->set_year(y);
      tenure->mutable_start_date()->set_month(m);
      tenure->mutable_start_date()->set_day(day);
    };
    designate("head-of-paid-service", kChiefExecutive, 2019, 9, 2);
    designate("monitoring-officer", kMonitoringOfficerPerson, 2023, 1, 12);
    d->Index({});
    return d;
  }();
  return *directory;
}

struct AdviceRow {
  std::string name;
  std::string profile;
  Who who;
  std::string advice;
  std::string advice_by;
  absl::CivilDay declared_on;
  grpc::StatusCode code;
  // The clause the refusal cites (ErrorInfo metadata or BadRequest rule), or
  // the field an INVALID_ARGUMENT names.
  std::string clause_or_field;
};

void PrintTo(const AdviceRow& row, std::ostream* os) { *os << row.name; }

const std::vector<AdviceRow>& AdviceTable() {
  using W = Who;
  using C = grpc::StatusCode;
  const absl::CivilDay declared(2025, 5, 27);
  static const auto* const rows = new std::vector<AdviceRow>{
      // Sheffield 4.6: "The Chief Executive will advise".
      {"Sheffield46_AdministratorLoadsTheChiefExecutivesAdvice", "sheffield", W::kAdministrator,
       "Avoid planning cases", kChiefExecutive, declared, C::OK, ""},
      {"Sheffield46_AdviceByTheMonitoringOfficerIsRefused", "sheffield", W::kAdministrator,
       "Avoid planning cases", kMonitoringOfficerPerson, declared, C::FAILED_PRECONDITION,
       "Sheffield 4.6"},
      {"Sheffield46_TheChiefExecutiveRecordsTheirOwnAdvice", "sheffield",
       W::kChiefExecutiveDeclaredTo, "Avoid planning cases", kChiefExecutive, declared, C::OK, ""},
      {"Sheffield46_TheMonitoringOfficerCannotRecordTheirs", "sheffield", W::kMonitoringOfficer,
       "Avoid planning cases", kMonitoringOfficerPerson, declared, C::FAILED_PRECONDITION,
       "Sheffield 4.6"},
      {"Sheffield46_APartyDoesNotRecordTheChiefExecutivesAdvice", "sheffield", W::kMemberParty,
       "Avoid planning cases", kChiefExecutive, declared, C::PERMISSION_DENIED, "Sheffield 4.6"},
      {"Sheffield46_NotYetChiefExecutiveOnTheDayOfDeclaration", "sheffield", W::kAdministrator,
       "Avoid planning cases", kChiefExecutive, absl::CivilDay(2019, 9, 1),
       C::FAILED_PRECONDITION, "Sheffield 4.6"},
      {"Sheffield46_APartyIsNeverTheAdviser", "sheffield", W::kAdministrator,
       "Avoid planning cases", kOfficer, declared, C::FAILED_PRECONDITION, "Sheffield 4.6"},
      {"Sheffield46_AdviceWithoutWhoGaveIt", "sheffield", W::kAdministrator,
       "Avoid planning cases", "", declared, C::INVALID_ARGUMENT, "relationship.advice_by"},
      {"Sheffield46_WhoGaveAdviceWithoutTheAdvice", "sheffield", W::kAdministrator, "",
       kChiefExecutive, declared, C::INVALID_ARGUMENT, "relationship.advice"},
      {"Sheffield46_AnAdviserTheDirectoryDoesNotKnow", "sheffield", W::kAdministrator,
       "Avoid planning cases", "people/off-nobody", declared, C::NOT_FOUND, ""},
      {"Sheffield46_NoAdviceIsNothingToCheck", "sheffield", W::kMemberParty, "", "", declared,
       C::OK, ""},
      // Middlesbrough 5.4 names the head of paid service or the monitoring
      // officer; it has no advice clause, so refusals cite 5.4.
      {"Middlesbrough54_TheMonitoringOfficerMayHaveAdvised", "middlesbrough", W::kAdministrator,
       "Declare at meetings", kMonitoringOfficerPerson, declared, C::OK, ""},
      {"Middlesbrough54_AnotherOfficerMayNot", "middlesbrough", W::kAdministrator,
       "Declare at meetings", kOtherOfficerPerson, declared, C::FAILED_PRECONDITION,
       "Middlesbrough 5.4"},
      // Southwark names no designation: the officer declared to, or the
      // monitoring officer.
      {"Southwark_TheMonitoringOfficer", "southwark", W::kAdministrator, "Declare at meetings",
       kMonitoringOfficerPerson, declared, C::OK, ""},
      {"Southwark_TheOfficerDeclaredTo", "southwark", W::kAdministrator, "Declare at meetings",
       kChiefExecutive, declared, C::OK, ""},
      {"Southwark_AnotherOfficer", "southwark", W::kAdministrator, "Declare at meetings",
       kOtherOfficerPerson, declared, C::FAILED_PRECONDITION, ""},
  };
  return *rows;
}

class AdviceDeclaredTableTest : public ::testing::TestWithParam<AdviceRow> {};

TEST_P(AdviceDeclaredTableTest, OnlyTheNamedRecipientsAdviceIsRecorded) {
  const AdviceRow& row = GetParam();
  v1::Relationship r = Declared();
  r.set_advice(row.advice);
  r.set_advice_by(row.advice_by);
  const grpc::Status status =
      CheckAdviceDeclared(CallerFor(row.who), Directory(), *Shipped(row.profile), r,
                          row.declared_on);
  EXPECT_EQ(status.error_code(), row.code) << status.error_message();
  if (row.clause_or_field.empty()) return;
  if (row.code == grpc::StatusCode::INVALID_ARGUMENT) {
    EXPECT_EQ(ErrorInfoMetadata(status, "field"), row.clause_or_field) << status.error_message();
  } else {
    EXPECT_EQ(ErrorInfoMetadata(status, "clause"), row.clause_or_field) << status.error_message();
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, AdviceDeclaredTableTest, ::testing::ValuesIn(AdviceTable()),
                         [](const ::testing::TestParamInfo<AdviceRow>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace council::relations
