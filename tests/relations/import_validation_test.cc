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
using ::testing::Not;

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

TEST(ValidateDirectoryImportTest, AnEmailAddressBelongsToOnePerson) {
  DirectorySnapshot directory;
  directory.people["people/off-old"] = Officer("off-old");
  directory.people["people/off-old"].set_email("old@eastmere.gov.uk");
  directory.people["people/off-moving"] = Officer("off-moving");
  directory.people["people/off-moving"].set_email("moving@eastmere.gov.uk");
  v1::ImportDirectoryRequest request = ValidImport();
  request.mutable_people(0)->set_email("chief@eastmere.gov.uk");
  request.mutable_people(1)->set_email("Chief@Eastmere.gov.uk");  // the same, in other case
  request.mutable_people(2)->set_email("old@eastmere.gov.uk");    // someone else's already
  // A person the import re-records may keep their own address, and another
  // may take the address they give up.
  *request.add_people() = Officer("off-moving");
  request.mutable_people(3)->set_email("moved@eastmere.gov.uk");
  *request.add_people() = Officer("off-new");
  request.mutable_people(4)->set_email("moving@eastmere.gov.uk");
  grpc::Status status = ValidateDirectoryImport(directory, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("people[1].email: is also the e-mail of people/off-chief (e-mail "
                          "addresses are unique)",
                          "people[2].email: is also the e-mail of people/off-old (e-mail "
                          "addresses are unique)"));
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

// --- What the directory as a whole cannot hold ----------------------------------------

// Every violation's field, in order (descriptions differ with the count: a
// lone violation keeps its rule in the ErrorInfo).
std::vector<std::string> Fields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(status)) fields.push_back(violation.field);
  return fields;
}

void EndTenure(v1::Post* post, int year, int month, int day) {
  SetDate(post->mutable_tenures(0)->mutable_end_date(), year, month, day);
}

TEST(ValidateDirectoryImportTest, EveryPostOnAReportingCycleIsNamedWithTheCycle) {
  // Before this check, GetManagementChain for the planner returned 64 links
  // going round the loop.
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  request.mutable_posts(0)->set_reports_to("posts/planner");  // chief-executive <-> planner
  *request.add_posts() = PostHeldBy("assistant", "planner", "");  // posts[2]: below the loop
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(HasSubstr("posts[0].reports_to: is part of a reporting cycle: "
                                    "posts/chief-executive -> posts/planner -> "
                                    "posts/chief-executive"),
                          HasSubstr("posts[1].reports_to: is part of a reporting cycle: "
                                    "posts/planner -> posts/chief-executive -> posts/planner")))
      << "the assistant's own row is sound: it is the loop above it that is wrong";
}

TEST(ValidateDirectoryImportTest, ACycleThroughAStoredPostNamesOnlyTheImportedRow) {
  DirectorySnapshot directory;
  directory.people["people/off-chief"] = Officer("off-chief");
  directory.posts["posts/chief-executive"] = PostHeldBy("chief-executive", "", "off-chief");
  directory.posts["posts/director"] = PostHeldBy("director", "chief-executive", "");
  v1::ImportDirectoryRequest request;
  // The chief executive now "reports to" the director who reports to them.
  *request.add_posts() = PostHeldBy("chief-executive", "director", "off-chief");
  grpc::Status status = ValidateDirectoryImport(directory, request);
  EXPECT_THAT(Fields(status), ElementsAre("posts[0].reports_to"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("posts/chief-executive -> posts/director -> posts/chief-executive"));
  EXPECT_EQ(ErrorInfoMetadata(status, "rule"),
            "a reporting line leads up to the head of paid service, never back");

  // The import that mends a loop already stored (bad data from before the
  // check) passes: the imported post replaces the stored one.
  directory.posts["posts/chief-executive"].set_reports_to("posts/director");
  v1::ImportDirectoryRequest mend;
  *mend.add_posts() = PostHeldBy("chief-executive", "", "off-chief");
  EXPECT_TRUE(ValidateDirectoryImport(directory, mend).ok());
}

TEST(ValidateDirectoryImportTest, ALongCycleIsDescribedInABoundedMessage) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request;
  constexpr int kPosts = 5000;
  for (int i = 0; i < kPosts; ++i)
    *request.add_posts() =
        PostHeldBy(absl::StrCat("post-", i), absl::StrCat("post-", (i + 1) % kPosts), "");
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoMetadata(status, "violations"), absl::StrCat(kPosts));
  EXPECT_THAT(FieldViolations(status)[0],
              HasSubstr("posts[0].reports_to: is part of a reporting cycle: posts/post-0 -> "
                        "posts/post-1 -> posts/post-2 -> posts/post-3 -> ... (5000 posts in the "
                        "cycle)"));
  EXPECT_LT(status.error_details().size(), 6000u) << "well inside the 8 KiB trailer limit";
}

TEST(ValidateDirectoryImportTest, ALongChainWithoutACyclePasses) {
  // Every post is walked once, so a deep hierarchy costs its length.
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request;
  *request.add_posts() = PostHeldBy("post-0", "", "");
  for (int i = 1; i < 20000; ++i)
    *request.add_posts() = PostHeldBy(absl::StrCat("post-", i), absl::StrCat("post-", i - 1), "");
  EXPECT_TRUE(ValidateDirectoryImport(empty, request).ok());
}

TEST(ValidateDirectoryImportTest, ABodyInsideItselfIsNamed) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  v1::Body panel = Committee("panel");
  panel.set_parent("bodies/sub-panel");
  v1::Body sub_panel = Committee("sub-panel");
  sub_panel.set_parent("bodies/panel");
  *request.add_bodies() = panel;      // bodies[1]
  *request.add_bodies() = sub_panel;  // bodies[2]
  grpc::Status status = ValidateDirectoryImport(empty, request);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(HasSubstr("bodies[1].parent: would put the body inside itself: "
                                    "bodies/panel -> bodies/sub-panel -> bodies/panel"),
                          HasSubstr("bodies[2].parent: would put the body inside itself")));
}

TEST(ValidateDirectoryImportTest, OnePersonInTwoPostsAtOnceIsNamedOnBothRows) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  // The planner is also put in a second post from 2022: both rows are named.
  *request.add_posts() = PostHeldBy("enforcement", "chief-executive", "off-planner");  // posts[2]
  SetDate(request.mutable_posts(2)->mutable_tenures(0)->mutable_start_date(), 2022, 1, 10);
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(HasSubstr("posts[1].tenures[0].person: people/off-planner also holds "
                                    "posts/enforcement on 2022-01-10"),
                          HasSubstr("posts[2].tenures[0].person: people/off-planner also holds "
                                    "posts/planner on 2022-01-10")));
  EXPECT_THAT(status.error_message(), HasSubstr("a person holds one post at a time"));
}

TEST(ValidateDirectoryImportTest, MovingFromOnePostToAnotherPasses) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  EndTenure(request.mutable_posts(1), 2022, 1, 9);
  *request.add_posts() = PostHeldBy("enforcement", "chief-executive", "off-planner");
  SetDate(request.mutable_posts(2)->mutable_tenures(0)->mutable_start_date(), 2022, 1, 10);
  grpc::Status status = ValidateDirectoryImport(empty, request);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // One day of overlap is one day in two posts.
  SetDate(request.mutable_posts(2)->mutable_tenures(0)->mutable_start_date(), 2022, 1, 9);
  EXPECT_THAT(Fields(ValidateDirectoryImport(empty, request)),
              ElementsAre("posts[1].tenures[0].person", "posts[2].tenures[0].person"));
}

TEST(ValidateDirectoryImportTest, APostAlreadyHeldInTheDirectoryCounts) {
  DirectorySnapshot directory;
  directory.people["people/off-planner"] = Officer("off-planner");
  v1::Post stored = PostHeldBy("old-planner", "", "off-planner");
  SetDate(stored.mutable_tenures(0)->mutable_start_date(), 2019, 1, 7);
  directory.posts["posts/old-planner"] = stored;
  v1::ImportDirectoryRequest request;
  *request.add_posts() = PostHeldBy("planner", "", "off-planner");
  grpc::Status status = ValidateDirectoryImport(directory, request);
  EXPECT_THAT(Fields(status), ElementsAre("posts[0].tenures[0].person"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("people/off-planner also holds posts/old-planner on 2021-04-01"));

  // The same import, ending the stored tenure the day before: a move.
  EndTenure(&stored, 2021, 3, 31);
  *request.add_posts() = stored;
  status = ValidateDirectoryImport(directory, request);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(ValidateDirectoryImportTest, DesignationsAreHeldAlongsideAPostAndEachOther) {
  // Southwark: the chief executive is head of paid service and deputy chief
  // financial officer; designations are not posts.
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  for (const char* id : {"head-of-paid-service", "chief-finance-officer"}) {
    v1::Designation* designation = request.add_designations();
    designation->set_name(absl::StrCat("designations/", id));
    v1::Tenure* tenure = designation->add_tenures();
    tenure->set_person("people/off-chief");
    SetDate(tenure->mutable_start_date(), 2021, 4, 1);
  }
  grpc::Status status = ValidateDirectoryImport(empty, request);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(ValidateDirectoryImportTest, ControlCharactersInTextAreNamedWithoutEchoingTheText) {
  DirectorySnapshot empty;
  v1::ImportDirectoryRequest request = ValidImport();
  request.mutable_people(1)->set_display_name(std::string("Off\0Planner", 11));  // people[1]
  request.mutable_bodies(0)->set_display_name("Planning\x1b[2J");                 // bodies[0]
  request.mutable_posts(1)->set_title(std::string("Planner\0", 8));              // posts[1]
  v1::Ward ward;
  ward.set_name("wards/abbey");
  ward.set_display_name("Abbey\x7f");
  *request.add_wards() = ward;  // wards[0]
  v1::Portfolio portfolio;
  portfolio.set_name("portfolios/environment");
  portfolio.set_display_name("Environment");
  portfolio.add_services("waste");
  portfolio.add_services(std::string("parks\0", 6));
  *request.add_portfolios() = portfolio;  // portfolios[0]
  grpc::Status status = ValidateDirectoryImport(empty, request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(HasSubstr("people[1].display_name: contains a control character "
                                    "(U+0000 at character 4)"),
                          HasSubstr("bodies[0].display_name: contains a control character "
                                    "(U+001B at character 9)"),
                          HasSubstr("posts[1].title: contains a control character (U+0000 at "
                                    "character 8)"),
                          HasSubstr("wards[0].display_name: contains a control character "
                                    "(U+007F at character 6)"),
                          HasSubstr("portfolios[0].services[1]: contains a control character "
                                    "(U+0000 at character 6)")));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("Planner")));

  // Tabs and line breaks are text; characters beyond ASCII are counted as
  // characters, not bytes.
  request = ValidImport();
  request.mutable_people(1)->set_display_name("Zoë\tO'Brien\r\n");
  EXPECT_TRUE(ValidateDirectoryImport(empty, request).ok());
  request.mutable_people(1)->set_display_name(std::string("Zoë\0", 5));
  EXPECT_THAT(FieldViolations(ValidateDirectoryImport(empty, request)),
              ElementsAre(HasSubstr("(U+0000 at character 4)")));
}

}  // namespace
}  // namespace council::relations
