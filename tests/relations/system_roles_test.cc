// Tests for relations-service/system_roles.h: who may grant or withdraw a
// system role through the writes of people (imports, CreatePerson), what is
// audited, and the last administrator (issue 17, defect 3). One table of
// imports by the HR integration and by an administrator over a small
// directory, then CreatePerson.

#include "relations-service/system_roles.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::CivilDay kToday(2026, 12, 7);

v1::Person PersonOf(const std::string& name, std::vector<std::string> roles) {
  v1::Person person;
  person.set_name(name);
  person.set_display_name(name);
  person.set_kind(v1::PERSON_KIND_OFFICER);
  *person.mutable_start_date() = ToProtoDate(absl::CivilDay(2020, 1, 6));
  for (auto& role : roles) person.add_system_roles(role);
  return person;
}

// The directory: one administrator, the HR integration's account, an
// auditor and an officer without system roles.
constexpr char kAdmin[] = "people/it-admin";
constexpr char kHr[] = "people/off-vikram-dhillon";
constexpr char kAuditor[] = "people/audit-reader";
constexpr char kOfficer[] = "people/off-kieran-quinn";
constexpr char kNewcomer[] = "people/off-new-starter";

DirectorySnapshot Directory() {
  DirectorySnapshot directory;
  for (const auto& person :
       {PersonOf(kAdmin, {"administrator"}), PersonOf(kHr, {"hr-integration"}),
        PersonOf(kAuditor, {"auditor"}), PersonOf(kOfficer, {})})
    directory.people[person.name()] = person;
  return directory;
}

const Caller kAsAdmin{kAdmin, {"officer", "administrator"}, ""};
const Caller kAsHr{kHr, {"officer", "hr-integration"}, ""};
const Caller kAsHrServiceAccount{"services/hr-sync", {"hr-integration"}, ""};

struct Row {
  std::string name;
  Caller caller;
  // The people rows imported.
  std::vector<v1::Person> rows;
  grpc::StatusCode code;
  // OK: the system roles each row is written with. Refused: a substring of
  // each field violation (INVALID_ARGUMENT) or the precondition's subject.
  std::vector<std::vector<std::string>> written;
  std::vector<std::string> refusals;
  // OK: "action role person" for each audit entry.
  std::vector<std::string> audited;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

v1::Person Left(v1::Person person) {
  *person.mutable_end_date() = ToProtoDate(kToday - 1);
  return person;
}

const std::vector<Row>& Table() {
  using C = grpc::StatusCode;
  static const auto* const rows = new std::vector<Row>{
      // The HR integration: system roles are not its data.
      {"HrGrantsItselfAdministrator", kAsHr,
       {PersonOf(kHr, {"hr-integration", "administrator"})}, C::INVALID_ARGUMENT, {},
       {"people[0].system_roles: would grant administrator"}, {}},
      {"HrServiceAccountGrantsAdministrator", kAsHrServiceAccount,
       {PersonOf(kOfficer, {"administrator"})}, C::INVALID_ARGUMENT, {},
       {"people[0].system_roles: would grant administrator for people/off-kieran-quinn"}, {}},
      {"HrRowWithoutRolesKeepsTheStoredOnes", kAsHr, {PersonOf(kAuditor, {})}, C::OK,
       {{"auditor"}}, {}, {}},
      {"HrRowWithTheSameRolesIsUnchanged", kAsHr, {PersonOf(kAuditor, {"auditor"})}, C::OK,
       {{"auditor"}}, {}, {}},
      {"HrRowChangingARoleIsRefused", kAsHr, {PersonOf(kAuditor, {"records-integration"})},
       C::INVALID_ARGUMENT, {},
       {"would grant records-integration and withdraw auditor"}, {}},
      {"HrNewPersonWithARoleIsRefused", kAsHr, {PersonOf(kNewcomer, {"auditor"})},
       C::INVALID_ARGUMENT, {}, {"people[0].system_roles: would grant auditor"}, {}},
      {"HrNewPersonWithoutRoles", kAsHr, {PersonOf(kNewcomer, {})}, C::OK, {{}}, {}, {}},
      {"HrEveryBadRowIsNamed", kAsHr,
       {PersonOf(kOfficer, {}), PersonOf(kHr, {"administrator"}), PersonOf(kAuditor, {}),
        PersonOf(kNewcomer, {"records-integration"})},
       C::INVALID_ARGUMENT, {},
       {"people[1].system_roles: would grant administrator and withdraw hr-integration",
        "people[3].system_roles: would grant records-integration"},
       {}},
      // An administrator's rows are authoritative; every change is audited.
      {"AdminGrants", kAsAdmin, {PersonOf(kOfficer, {"auditor"})}, C::OK, {{"auditor"}}, {},
       {"GrantSystemRole auditor people/off-kieran-quinn"}},
      {"AdminWithdraws", kAsAdmin, {PersonOf(kAuditor, {})}, C::OK, {{}}, {},
       {"WithdrawSystemRole auditor people/audit-reader"}},
      {"AdminChanges", kAsAdmin, {PersonOf(kHr, {"records-integration"})}, C::OK,
       {{"records-integration"}}, {},
       {"GrantSystemRole records-integration people/off-vikram-dhillon",
        "WithdrawSystemRole hr-integration people/off-vikram-dhillon"}},
      {"AdminReordersNothing", kAsAdmin,
       {PersonOf(kHr, {"hr-integration", "hr-integration"})}, C::OK, {{"hr-integration"}}, {},
       {}},
      {"AdminGrantsANewcomer", kAsAdmin, {PersonOf(kNewcomer, {"auditor"})}, C::OK,
       {{"auditor"}}, {}, {"GrantSystemRole auditor people/off-new-starter"}},
      // The last administrator in post stays.
      {"LastAdministratorWithdrawn", kAsAdmin, {PersonOf(kAdmin, {})}, C::FAILED_PRECONDITION,
       {}, {kAdmin}, {}},
      {"LastAdministratorLeaves", kAsAdmin, {Left(PersonOf(kAdmin, {"administrator"}))},
       C::FAILED_PRECONDITION, {}, {kAdmin}, {}},
      {"AdministratorHandsOver", kAsAdmin,
       {PersonOf(kAdmin, {}), PersonOf(kOfficer, {"administrator"})}, C::OK, {{}, {"administrator"}},
       {},
       {"WithdrawSystemRole administrator people/it-admin",
        "GrantSystemRole administrator people/off-kieran-quinn"}},
  };
  return *rows;
}

class SystemRolesTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(SystemRolesTableTest, ImportIsReviewedAsTheRoleModelSays) {
  const Row& row = GetParam();
  google::protobuf::RepeatedPtrField<v1::Person> people;
  for (const auto& person : row.rows) *people.Add() = person;
  std::vector<AuditNoteAbout> notes;
  const grpc::Status status =
      ReviewImportedPeople(row.caller, Directory(), kToday, &people, &notes);
  ASSERT_EQ(status.error_code(), row.code) << status.error_message();
  if (row.code == grpc::StatusCode::OK) {
    ASSERT_EQ(people.size(), static_cast<int>(row.written.size()));
    for (int i = 0; i < people.size(); ++i)
      EXPECT_THAT(people.Get(i).system_roles(), ElementsAreArray(row.written[i])) << i;
    std::vector<std::string> audited;
    for (const auto& entry : notes) {
      EXPECT_EQ(entry.note.actor, row.caller.Person());
      audited.push_back(absl::StrCat(entry.note.action, " ", entry.note.detail, " ", entry.resource));
    }
    EXPECT_THAT(audited, ElementsAreArray(row.audited));
    return;
  }
  EXPECT_THAT(notes, IsEmpty()) << "nothing to audit: nothing is written";
  if (row.code == grpc::StatusCode::INVALID_ARGUMENT) {
    const std::vector<std::string> violations = FieldViolations(status);
    ASSERT_EQ(violations.size(), row.refusals.size()) << absl::StrJoin(violations, "\n");
    for (size_t i = 0; i < violations.size(); ++i) {
      EXPECT_THAT(violations[i], HasSubstr(row.refusals[i]));
      EXPECT_THAT(violations[i], HasSubstr("only an administrator grants or withdraws"));
    }
  } else {
    EXPECT_EQ(PreconditionSubject(status), row.refusals.at(0));
    EXPECT_THAT(status.error_message(), HasSubstr("last administrator"));
    EXPECT_EQ(ErrorInfoMetadata(status, "clause"), kSystemRolesRule);
  }
}

INSTANTIATE_TEST_SUITE_P(Imports, SystemRolesTableTest, ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(SystemRolesTest, AnEmptyDirectoryMayBeLoadedWithoutAnAdministrator) {
  // Before the first import nobody is an administrator (the bootstrap
  // administrator aside): "the last one stays" has nothing to keep.
  google::protobuf::RepeatedPtrField<v1::Person> people;
  *people.Add() = PersonOf(kOfficer, {});
  std::vector<AuditNoteAbout> notes;
  EXPECT_TRUE(ReviewImportedPeople(kAsAdmin, DirectorySnapshot(), kToday, &people, &notes).ok());
}

TEST(SystemRolesTest, ActiveAdministratorsCountsThoseInPostToday) {
  DirectorySnapshot directory = Directory();
  EXPECT_EQ(ActiveAdministrators(directory, {}, kToday), 1);
  directory.people[kOfficer] = PersonOf(kOfficer, {"administrator"});
  EXPECT_EQ(ActiveAdministrators(directory, {}, kToday), 2);
  directory.people[kOfficer] = Left(PersonOf(kOfficer, {"administrator"}));
  EXPECT_EQ(ActiveAdministrators(directory, {}, kToday), 1);
  google::protobuf::RepeatedPtrField<v1::Person> replacing;
  *replacing.Add() = PersonOf(kAdmin, {"auditor"});
  EXPECT_EQ(ActiveAdministrators(directory, replacing, kToday), 0);
}

TEST(SystemRolesTest, OnlyAnAdministratorCreatesAPersonWithASystemRole) {
  std::vector<AuditNoteAbout> notes;
  const grpc::Status refused = ReviewNewPerson(kAsHr, PersonOf(kNewcomer, {"auditor"}), &notes);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_RULE_FORBIDS");
  EXPECT_EQ(ErrorInfoMetadata(refused, "field"), "person.system_roles");
  EXPECT_THAT(refused.error_message(), HasSubstr("only an administrator grants system roles"));
  EXPECT_THAT(notes, IsEmpty());

  EXPECT_TRUE(ReviewNewPerson(kAsHr, PersonOf(kNewcomer, {}), &notes).ok());
  EXPECT_THAT(notes, IsEmpty());

  ASSERT_TRUE(
      ReviewNewPerson(kAsAdmin, PersonOf(kNewcomer, {"auditor", "records-integration"}), &notes)
          .ok());
  std::vector<std::string> audited;
  for (const auto& entry : notes)
    audited.push_back(absl::StrCat(entry.note.actor, " ", entry.note.action, " ", entry.note.detail));
  EXPECT_THAT(audited, ElementsAre("people/it-admin GrantSystemRole auditor",
                                   "people/it-admin GrantSystemRole records-integration"));
}

}  // namespace
}  // namespace council::relations
