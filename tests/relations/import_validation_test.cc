// Tests for relations-service/import_validation.h: a directory import is
// checked record by record and reference by reference, and every bad record
// is named (bounded), so an import tool can point at each CSV row at once.
#include "relations-service/import_validation.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

void SetDate(common::v1::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

v1::Person Officer(const std::string& id) {
  v1::Person person;
  person.set_name("people/" + id);
  person.set_display_name(id);
  person.set_kind(v1::PERSON_KIND_OFFICER);
  SetDate(person.mutable_start_date(), 2020, 1, 6);
  return person;
}

v1::Person Member(const std::string& id) {
  v1::Person person = Officer(id);
  person.set_kind(v1::PERSON_KIND_MEMBER);
  return person;
}

v1::Post PostHeldBy(const std::string& id, const std::string& reports_to,
                    const std::string& holder) {
  v1::Post post;
  post.set_name("posts/" + id);
  post.set_title(id);
  post.set_service("planning");
  if (!reports_to.empty()) post.set_reports_to("posts/" + reports_to);
  if (!holder.empty()) {
    v1::Tenure* tenure = post.add_tenures();
    tenure->set_person("people/" + holder);
    SetDate(tenure->mutable_start_date(), 2021, 4, 1);
  }
  return post;
}

v1::Body Committee(const std::string& id) {
  v1::Body body;
  body.set_name("bodies/" + id);
  body.set_display_name(id);
  body.set_kind(v1::BODY_KIND_COMMITTEE);
  return body;
}

v1::Membership Seat(const std::string& body, const std::string& person) {
  v1::Membership membership;
  membership.set_name(absl::StrCat("bodies/", body, "/memberships/", person));
  membership.set_person("people/" + person);
  membership.set_role(v1::MEMBERSHIP_ROLE_MEMBER);
  SetDate(membership.mutable_start_date(), 2025, 5, 21);
  return membership;
}

// A valid import: two officers in a chain, a member on a committee.
v1::ImportDirectoryRequest ValidImport() {
  v1::ImportDirectoryRequest request;
  *request.add_people() = Officer("off-chief");
  *request.add_people() = Officer("off-planner");
  *request.add_people() = Member("cllr-ada");
  *request.add_bodies() = Committee("planning");
  *request.add_memberships() = Seat("planning", "cllr-ada");
  *request.add_posts() = PostHeldBy("chief-executive", "", "off-chief");
  *request.add_posts() = PostHeldBy("planner", "chief-executive", "off-planner");
  return request;
}

TEST(ValidateDirectoryImportTest, AValidImportPasses) {
  DirectorySnapshot empty;
  grpc::Status status = ValidateDirectoryImport(empty, ValidImport());
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(ValidateDirectoryImportTest, EveryBadRecordIsNamedNotJustTheFirst) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  *request.add_posts() = PostHeldBy("lost", "director-of-nowhere", "");   // posts[2]
  *request.add_memberships() = Seat("planning", "cllr-gone");             // memberships[1]
  *request.add_memberships() = Seat("no-such-committee", "cllr-ada");     // memberships[2]
  *request.add_people() = Officer("off-planner");                         // people[3], twice
  request.mutable_people(0)->clear_display_name();                        // people[0]
  *request.add_posts() = PostHeldBy("vacant", "chief-executive", "off-nobody");  // posts[3]
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("people[0].display_name: is required",
                          "people[3].name: appears twice in the import",
                          "memberships[1].person: people/cllr-gone does not exist",
                          "memberships[2].name: bodies/no-such-committee does not exist",
                          "posts[2].reports_to: posts/director-of-nowhere does not exist",
                          "posts[3].tenures[0].person: people/off-nobody does not exist"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("people[0].display_name: is required (6 invalid fields)"));
  EXPECT_EQ(ErrorInfoMetadata(status, "violations"), "6");
}

TEST(ValidateDirectoryImportTest, ReferencesMayBeToRecordsAlreadyInTheDirectory) {
  DirectorySnapshot directory;
  directory.people["people/cllr-old"] = Member("cllr-old");
  directory.bodies["bodies/licensing"] = Committee("licensing");
  v1::ImportDirectoryRequest request;
  *request.add_memberships() = Seat("licensing", "cllr-old");
  EXPECT_TRUE(ValidateDirectoryImport(directory, request).ok());
}

TEST(ValidateDirectoryImportTest, DroppingAPersonInvalidatesTheirMembership) {
  // What an import tool that leaves out rejected rows relies on: once a
  // person's row is left out, the rows that refer to them are named next.
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  request.mutable_people()->DeleteSubrange(2, 1);  // cllr-ada
  EXPECT_THAT(FieldViolations(ValidateDirectoryImport(empty, request)),
              ElementsAre("memberships[0].person: people/cllr-ada does not exist"));
}

TEST(ValidateDirectoryImportTest, EachBadTenureOfADesignationIsNamed) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  v1::Designation* designation = request.add_designations();
  designation->set_name("designations/monitoring-officer");
  for (const char* holder : {"off-chief", "off-gone", "off-planner", "off-also-gone"}) {
    v1::Tenure* tenure = designation->add_tenures();
    tenure->set_person(absl::StrCat("people/", holder));
    SetDate(tenure->mutable_start_date(), 2022, 1, 1);
    SetDate(tenure->mutable_end_date(), 2022, 12, 31);
  }
  EXPECT_THAT(FieldViolations(ValidateDirectoryImport(empty, request)),
              ElementsAre("designations[0].tenures[1].person: people/off-gone does not exist",
                          "designations[0].tenures[3].person: people/off-also-gone does not exist"));
}

TEST(ValidateDirectoryImportTest, ManyBadRecordsAreCountedButABoundedNumberListed) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request;
  for (int i = 0; i < 500; ++i) {
    v1::Person person = Member(absl::StrCat("cllr-", i));
    person.set_ward(absl::StrCat("wards/ward-", i));
    *request.add_people() = person;
  }
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> listed = FieldViolations(status);
  EXPECT_GE(listed.size(), 20u);
  EXPECT_LE(listed.size(), 100u);
  EXPECT_EQ(listed[0], "people[0].ward: wards/ward-0 does not exist");
  EXPECT_EQ(ErrorInfoMetadata(status, "violations"), "500");
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat("(500 invalid fields, the first ", listed.size(), " listed)")));
  EXPECT_LT(status.error_details().size(), 6000u) << "well inside the 8 KiB trailer limit";
}

TEST(ValidateDirectoryImportTest, AnEmptyImportPasses) {
  DirectorySnapshot empty;
  EXPECT_THAT(FieldViolations(ValidateDirectoryImport(empty, {})), IsEmpty());
}

}  // namespace
}  // namespace council::relations
