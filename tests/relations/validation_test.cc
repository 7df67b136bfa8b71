// Tests for the request validation and role derivation in
// relations-service/relations_server.h.
//
// Bad input gets INVALID_ARGUMENT with a BadRequest field violation naming the
// field (design brief, "Cross-cutting expectations"; AIP-193), so a client or
// an import tool can point at the offending value.

#include "relations-service/relations_server.h"

#include <string>
#include <vector>

#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::council::relations::v1::Body;
using ::council::relations::v1::Membership;
using ::council::relations::v1::Person;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

void SetDate(common::v1::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

Person Councillor() {
  Person person;
  person.set_display_name("Cllr Ada Okafor");
  person.set_kind(v1::PERSON_KIND_MEMBER);
  person.set_email("ada.okafor@example.gov.uk");
  SetDate(person.mutable_start_date(), 2022, 5, 5);
  person.set_party_group("groups/labour");
  person.set_ward("wards/faraday");
  return person;
}

Person PoliticalAssistant() {
  Person person;
  person.set_display_name("Sam Reid");
  person.set_kind(v1::PERSON_KIND_POLITICAL_ASSISTANT);
  SetDate(person.mutable_start_date(), 2025, 9, 1);
  person.set_party_group("groups/labour");
  return person;
}

Body Committee() {
  Body body;
  body.set_display_name("Planning Committee");
  body.set_kind(v1::BODY_KIND_COMMITTEE);
  return body;
}

Membership Seat() {
  Membership membership;
  membership.set_person("people/cllr-ada-okafor");
  membership.set_role(v1::MEMBERSHIP_ROLE_MEMBER);
  SetDate(membership.mutable_start_date(), 2026, 5, 20);
  return membership;
}

// Asserts `status` is INVALID_ARGUMENT with exactly one violation, and returns
// it ("field: description").
std::string Violation(const grpc::Status& status) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  const std::vector<std::string> violations = FieldViolations(status);
  EXPECT_EQ(violations.size(), 1u);
  return violations.empty() ? "" : violations[0];
}

// --- Valid input ----------------------------------------------------------------

TEST(ValidatePersonTest, CompleteRecordsAreAccepted) {
  // Guards the tests below: each breaks one field of a valid record.
  EXPECT_TRUE(ValidatePerson(Councillor(), "person.").ok());
  EXPECT_TRUE(ValidatePerson(PoliticalAssistant(), "person.").ok());
  EXPECT_TRUE(ValidateBody(Committee(), "body.").ok());
  EXPECT_TRUE(ValidateMembership(Seat(), "membership.").ok());
}

TEST(ValidatePersonTest, LeaverWithEndOnOrAfterStartIsAccepted) {
  // A person who has left keeps their history (Person.end_date).
  Person person = Councillor();
  SetDate(person.mutable_end_date(), 2022, 5, 5);
  EXPECT_TRUE(ValidatePerson(person, "person.").ok()) << "a one-day term is a real term";
}

// --- People ---------------------------------------------------------------------

TEST(ValidatePersonTest, MissingDisplayNameNamesTheField) {
  Person person = Councillor();
  person.clear_display_name();
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")), "person.display_name: is required");
}

TEST(ValidatePersonTest, FieldPathUsesTheCallersPrefix) {
  // ImportDirectory validates many people; the path says which one.
  Person person = Councillor();
  person.clear_display_name();
  EXPECT_EQ(Violation(ValidatePerson(person, "people[3].")),
            "people[3].display_name: is required");
}

TEST(ValidatePersonTest, ControlCharactersNameTheFieldForCreatePersonToo) {
  // CreatePerson validates with the prefix "person.", as an import with
  // "people[i].": a NUL byte is refused either way.
  Person person = Councillor();
  person.set_email(std::string("ada\0@example.gov.uk", 19));
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")),
            "person.email: contains a control character (U+0000 at character 4)");
}

TEST(ValidatePersonTest, MissingKindNamesTheField) {
  Person person = Councillor();
  person.clear_kind();
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")), "person.kind: is required");
}

TEST(ValidatePersonTest, MissingStartDateNamesTheField) {
  Person person = Councillor();
  person.clear_start_date();
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")), "person.start_date: is required");
}

TEST(ValidatePersonTest, EndBeforeStartNamesTheEndDate) {
  Person person = Councillor();
  SetDate(person.mutable_end_date(), 2022, 5, 4);
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")),
            "person.end_date: is before start_date");
}

TEST(ValidatePersonTest, ImpossibleDateIsRefused) {
  // 30 February does not exist; it must not silently become 2 March.
  Person person = Councillor();
  SetDate(person.mutable_start_date(), 2026, 2, 30);
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")),
            "person.start_date: is not a valid date");
}

TEST(ValidatePersonTest, ImpossibleEndDateIsRefused) {
  Person person = Councillor();
  SetDate(person.mutable_end_date(), 2026, 2, 30);
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")), "person.end_date: is not a valid date");
}

TEST(ValidatePersonTest, PoliticalAssistantWithoutPartyGroupIsRefused) {
  // Local Government and Housing Act 1989 s9: a political assistant is
  // appointed to assist a political group.
  Person person = PoliticalAssistant();
  person.clear_party_group();
  const grpc::Status status = ValidatePerson(person, "person.");
  EXPECT_EQ(Violation(status),
            "person.party_group: a political assistant is attached to a party group")
      << "Local Government and Housing Act 1989 s9";
  EXPECT_EQ(ErrorInfoMetadata(status, "rule"), "Local Government and Housing Act 1989 s9")
      << "the error names the rule: LGHA 1989 s9";
  EXPECT_EQ(ErrorInfoMetadata(status, "field"), "person.party_group");
}

TEST(ValidatePersonTest, MalformedPartyGroupAndWardNameTheField) {
  Person person = Councillor();
  person.set_party_group("Labour");
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")),
            "person.party_group: must be groups/{group}");
  person = Councillor();
  person.set_ward("faraday");
  EXPECT_EQ(Violation(ValidatePerson(person, "person.")), "person.ward: must be wards/{ward}");
}

TEST(ValidatePersonTest, UnknownSystemRoleNamesTheIndex) {
  // Only the four system roles IT administrators grant exist
  // (Person.system_roles); anything else could smuggle in a privilege.
  Person person = Councillor();
  person.add_system_roles("auditor");
  person.add_system_roles("superuser");
  const std::string violation = Violation(ValidatePerson(person, "person."));
  EXPECT_THAT(violation, HasSubstr("person.system_roles[1]: \"superuser\" is not one of"));
}

// --- Bodies ---------------------------------------------------------------------

TEST(ValidateBodyTest, MissingDisplayNameNamesTheField) {
  Body body = Committee();
  body.clear_display_name();
  EXPECT_EQ(Violation(ValidateBody(body, "body.")), "body.display_name: is required");
}

TEST(ValidateBodyTest, MissingKindNamesTheField) {
  Body body = Committee();
  body.clear_kind();
  EXPECT_EQ(Violation(ValidateBody(body, "body.")), "body.kind: is required");
}

TEST(ValidateBodyTest, ParentMustBeABodyName) {
  Body body = Committee();
  body.set_kind(v1::BODY_KIND_SUB_COMMITTEE);
  body.set_parent("planning-committee");
  EXPECT_EQ(Violation(ValidateBody(body, "body.")), "body.parent: must be bodies/{body}");
  body.set_parent("bodies/planning-committee");
  EXPECT_TRUE(ValidateBody(body, "body.").ok());
}

TEST(ValidateBodyTest, ControlCharactersNameTheField) {
  Body body = Committee();
  body.set_display_name("Planning\x1b]0;owned\x07");
  EXPECT_EQ(Violation(ValidateBody(body, "body.")),
            "body.display_name: contains a control character (U+001B at character 9)");
}

// --- Memberships ----------------------------------------------------------------

TEST(ValidateMembershipTest, PersonMustBeAPersonName) {
  Membership membership = Seat();
  membership.set_person("cllr-ada-okafor");
  EXPECT_EQ(Violation(ValidateMembership(membership, "membership.")),
            "membership.person: must be people/{person}");
}

TEST(ValidateMembershipTest, MissingRoleNamesTheField) {
  Membership membership = Seat();
  membership.clear_role();
  EXPECT_EQ(Violation(ValidateMembership(membership, "membership.")),
            "membership.role: is required");
}

TEST(ValidateMembershipTest, EndBeforeStartNamesTheEndDate) {
  Membership membership = Seat();
  SetDate(membership.mutable_end_date(), 2026, 5, 19);
  EXPECT_EQ(Violation(ValidateMembership(membership, "membership.")),
            "membership.end_date: is before start_date");
}

TEST(ValidateMembershipTest, ImpossibleDateIsRefused) {
  Membership membership = Seat();
  SetDate(membership.mutable_start_date(), 2026, 2, 30);
  EXPECT_EQ(Violation(ValidateMembership(membership, "membership.")),
            "membership.start_date: is not a valid date");
}

// --- Roles ----------------------------------------------------------------------

TEST(RolesOfTest, CoOptedMemberIsAMemberAndACoOptedMember) {
  // Principal.roles: "member" (elected and co-opted), "co-opted-member"; a
  // co-opted member is treated as a member for access and conduct
  // (PersonKind.PERSON_KIND_CO_OPTED_MEMBER).
  Person person = Councillor();
  person.set_kind(v1::PERSON_KIND_CO_OPTED_MEMBER);
  EXPECT_THAT(RolesOf(person), ElementsAre("member", "co-opted-member"))
      << "co-opted members are treated as members (PersonKind.CO_OPTED_MEMBER)";
}

TEST(RolesOfTest, ElectedMemberIsOnlyAMember) {
  EXPECT_THAT(RolesOf(Councillor()), ElementsAre("member"));
}

TEST(RolesOfTest, PoliticalAssistantHoldsOnlyTheirOwnRole) {
  // A political assistant is employed to assist their group, with members'
  // level of access (Middlesbrough 12.1, 12.5): not a member, so member-only
  // methods stay closed to them, and not "officer", which opened methods for
  // officers serving the council as a whole -- CheckConflict showed them
  // declared relationships (issue 17, defect 2). The policy grants what they
  // do by "political-assistant" (docs/security.md).
  EXPECT_THAT(RolesOf(PoliticalAssistant()), ElementsAre("political-assistant"))
      << "PersonKind.POLITICAL_ASSISTANT: exactly their own role";
}

TEST(RolesOfTest, SystemRolesFollowTheDirectoryRoles) {
  Person person;
  person.set_kind(v1::PERSON_KIND_OFFICER);
  person.add_system_roles("auditor");
  person.add_system_roles("hr-integration");
  EXPECT_THAT(RolesOf(person), ElementsAre("officer", "auditor", "hr-integration"));
}

TEST(RolesOfTest, PersonWithoutKindGetsNoDirectoryRole) {
  // Deny by default: an unclassified record confers nothing.
  EXPECT_THAT(RolesOf(Person()), IsEmpty());
}

}  // namespace
}  // namespace council::relations
