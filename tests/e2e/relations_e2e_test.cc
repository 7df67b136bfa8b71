// End-to-end tests of relations-service: the four real binaries on loopback
// with real SQLite files, called through the gateway with real tokens, on the
// demo council (demo/README.md) under the Middlesbrough and Sheffield profiles.
//
// Covers declaring relationships (Middlesbrough 5.4), conflict checks (5.6,
// 6.4, 6.5), the register with its redactions (Localism Act 2011 s32) and its
// history, secret memberships (Sheffield 13.1-13.2), the management chain,
// who acts as a designation, and the CSV import of the directory.
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using relations::v1::RelationsService;

// Demo people (demo/README.md).
constexpr char kAdmin[] = "people/it-admin";
constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";
constexpr char kDeputyMonitoringOfficer[] = "people/off-bronwen-jones";
constexpr char kChiefExecutive[] = "people/off-james-whitaker";
constexpr char kHeadOfPlanning[] = "people/off-adebayo-asante";
constexpr char kPlanningOfficer[] = "people/off-jennifer-hayes";  // rel-001 with Karen Jenkins
constexpr char kManager[] = "people/off-michael-marsh";          // Development Management Manager
constexpr char kRelatedMember[] = "people/cllr-karen-jenkins";
constexpr char kWardMember[] = "people/cllr-sophie-wright";  // no interests, no relationships
constexpr char kSensitiveMember[] = "people/cllr-david-clarke";  // int-012 is sensitive
constexpr char kInterestedMember[] = "people/cllr-imran-ahmed";  // int-001 registered 2025-04-14

using Call = std::function<grpc::Status(RelationsService::Stub&, grpc::ClientContext*)>;

common::v1::Date Date(int year, int month, int day) {
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::vector<std::string> ClausesOf(const relations::v1::CheckConflictResponse& response) {
  std::vector<std::string> clauses;
  for (const auto& reason : response.reasons()) clauses.push_back(reason.citation().clause());
  return clauses;
}

std::vector<std::string> ClausesOf(const relations::v1::Register& reg) {
  std::vector<std::string> clauses;
  for (const auto& clause : reg.clauses()) clauses.push_back(clause.clause());
  return clauses;
}

std::vector<std::string> InterestNames(const relations::v1::Register& reg) {
  std::vector<std::string> names;
  for (const auto& interest : reg.interests()) names.push_back(interest.name());
  return names;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
}

// Copies demo/council into a fresh folder under the suite's directory.
std::string CopyDemoCouncil(const std::string& suite_dir, const std::string& name) {
  const std::string target = absl::StrCat(suite_dir, "/", name);
  std::filesystem::create_directories(target);
  std::filesystem::copy(absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council"), target,
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::overwrite_existing);
  return target;
}

// Appends an officer row to people.csv.
void AddOfficerRow(const std::string& dir, const std::string& hr_id) {
  std::ofstream out(dir + "/people.csv", std::ios::app);
  out << hr_id << ",New Starter," << "officer," << hr_id << "@eastmere.gov.uk,2026-01-05,,,,\n";
}

// Replaces field `column` (0-based) of 1-based `line` of a CSV file without
// quoted fields on that line.
void ReplaceField(const std::string& path, int line, int column, const std::string& value) {
  std::vector<std::string> lines = absl::StrSplit(ReadFile(path), '\n');
  std::vector<std::string> fields = absl::StrSplit(lines.at(line - 1), ',');
  fields.at(column) = value;
  lines[line - 1] = absl::StrJoin(fields, ",");
  WriteFile(path, absl::StrJoin(lines, "\n"));
}

class RelationsTestBase : public ::testing::Test {
 protected:
  // Calls the gateway as `person`.
  static grpc::Status As(const Suite& suite, const std::string& person, const Call& call) {
    auto stub = RelationsService::NewStub(suite.GatewayChannel());
    grpc::ClientContext context;
    suite.Authorize(&context, person);
    return call(*stub, &context);
  }

  static relations::v1::Relationship Declaration(const std::string& member,
                                                 const std::string& officer,
                                                 relations::v1::RelationshipKind kind,
                                                 const std::string& declared_to) {
    relations::v1::Relationship r;
    r.set_member(member);
    r.set_officer(officer);
    r.set_kind(kind);
    *r.mutable_declared_on() = Date(2025, 11, 3);
    r.set_declared_to(declared_to);
    return r;
  }
};

// --- Middlesbrough --------------------------------------------------------------------

class RelationsE2ETest : public RelationsTestBase {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("middlesbrough").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static grpc::Status As(const std::string& person, const Call& call) {
    return RelationsTestBase::As(*suite_, person, call);
  }
  static grpc::Status Declare(const std::string& caller, const std::string& id,
                              const relations::v1::Relationship& relationship,
                              relations::v1::Relationship* out) {
    relations::v1::CreateRelationshipRequest request;
    request.set_relationship_id(id);
    *request.mutable_relationship() = relationship;
    return As(caller, [&](auto& stub, auto* context) {
      return stub.CreateRelationship(context, request, out);
    });
  }
  static grpc::Status GetPerson(const std::string& name) {
    relations::v1::GetPersonRequest request;
    request.set_name(name);
    relations::v1::Person person;
    return As(kAdmin, [&](auto& stub, auto* context) {
      return stub.GetPerson(context, request, &person);
    });
  }
  static relations::v1::Register Register(const std::string& caller, const std::string& person,
                                          relations::v1::RegisterView view,
                                          const common::v1::Date* as_of = nullptr,
                                          grpc::Status* status_out = nullptr) {
    relations::v1::GetRegisterRequest request;
    request.set_person(person);
    request.set_view(view);
    if (as_of != nullptr) *request.mutable_as_of() = *as_of;
    relations::v1::Register reg;
    grpc::Status status = As(caller, [&](auto& stub, auto* context) {
      return stub.GetRegister(context, request, &reg);
    });
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return reg;
  }

  static Suite* suite_;
};
Suite* RelationsE2ETest::suite_ = nullptr;

// Conflict checks -------------------------------------------------------------------------

TEST_F(RelationsE2ETest, MonitoringOfficerFindsAppealHearingConflictFromDeclaredRelationship) {
  // rel-001: Karen Jenkins and Jennifer Hayes are siblings. Middlesbrough 6.5:
  // a member does not sit on an appeal hearing for a relative.
  relations::v1::CheckConflictRequest request;
  request.set_person(kRelatedMember);
  request.set_setting(relations::v1::CONFLICT_SETTING_APPEAL_HEARING);
  request.set_other_person(kPlanningOfficer);
  relations::v1::CheckConflictResponse response;
  grpc::Status status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.CheckConflict(context, request, &response);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.conflicted());
  EXPECT_THAT(ClausesOf(response), ElementsAre("Middlesbrough 6.5"));
  EXPECT_THAT(response.relationships(), ElementsAre("relationships/rel-001"));
  // Northgate's other two members may sit instead.
  EXPECT_THAT(response.alternatives(),
              ElementsAre("people/cllr-maryam-noor", "people/cllr-mei-liu"));
}

TEST_F(RelationsE2ETest, OfficerChecksABodyConflictAndAnUnrelatedMemberIsClear) {
  // The Head of Planning arranging a committee item on Jennifer Hayes
  // (Middlesbrough 5.6).
  relations::v1::CheckConflictRequest request;
  request.set_person(kRelatedMember);
  request.set_setting(relations::v1::CONFLICT_SETTING_BODY_OR_DECISION);
  request.set_other_person(kPlanningOfficer);
  relations::v1::CheckConflictResponse response;
  ASSERT_TRUE(As(kHeadOfPlanning, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &response);
              }).ok());
  EXPECT_TRUE(response.conflicted());
  EXPECT_THAT(ClausesOf(response), ElementsAre("Middlesbrough 5.6"));

  request.set_person(kWardMember);
  relations::v1::CheckConflictResponse clear;
  ASSERT_TRUE(As(kHeadOfPlanning, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &clear);
              }).ok());
  EXPECT_FALSE(clear.conflicted());
  EXPECT_THAT(clear.relationships(), IsEmpty());
  EXPECT_THAT(ClausesOf(clear), ElementsAre("Middlesbrough 5.6"));
}

TEST_F(RelationsE2ETest, InterestInMatterConflictCitesMiddlesbrough146) {
  relations::v1::CheckConflictRequest request;
  request.set_person(kInterestedMember);
  request.set_setting(relations::v1::CONFLICT_SETTING_INTEREST_IN_MATTER);
  request.set_matter("matter-eastmere-retail-park");
  relations::v1::CheckConflictResponse response;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &response);
              }).ok());
  EXPECT_TRUE(response.conflicted());
  EXPECT_THAT(response.interests(), ElementsAre("people/cllr-imran-ahmed/interests/int-001"));
  EXPECT_THAT(ClausesOf(response), ElementsAre("Middlesbrough 14.6"));
}

TEST_F(RelationsE2ETest, EndedDemoRelationshipConflictsOnlyUpToItsEndDate) {
  // rel-004 (close-personal) ended on 2025-06-30.
  relations::v1::CheckConflictRequest request;
  request.set_person("people/cllr-rachel-thompson");
  request.set_setting(relations::v1::CONFLICT_SETTING_BODY_OR_DECISION);
  request.set_other_person("people/off-anna-marsh");
  *request.mutable_as_of() = Date(2025, 6, 30);
  relations::v1::CheckConflictResponse on_end, after_end;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &on_end);
              }).ok());
  *request.mutable_as_of() = Date(2025, 7, 1);
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &after_end);
              }).ok());
  EXPECT_TRUE(on_end.conflicted());
  EXPECT_THAT(on_end.relationships(), ElementsAre("relationships/rel-004"));
  EXPECT_FALSE(after_end.conflicted());
}

TEST_F(RelationsE2ETest, EndedWorkingRelationshipStillBarsAnAppealHearingButNotAPanel) {
  // Middlesbrough 6.5: "an officer with whom the member has had a working
  // relationship". Sophie Wright worked with Jennifer Hayes until 2025-11-30.
  relations::v1::Relationship worked = Declaration(
      kWardMember, kPlanningOfficer, relations::v1::RELATIONSHIP_KIND_WORKING, kMonitoringOfficer);
  *worked.mutable_end_date() = Date(2025, 11, 30);
  relations::v1::Relationship created;
  grpc::Status status = Declare(kWardMember, "rel-e2e-worked", worked, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();

  relations::v1::CheckConflictRequest request;
  request.set_person(kWardMember);
  request.set_other_person(kPlanningOfficer);
  request.set_setting(relations::v1::CONFLICT_SETTING_APPEAL_HEARING);
  relations::v1::CheckConflictResponse appeal;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &appeal);
              }).ok());
  EXPECT_TRUE(appeal.conflicted());
  EXPECT_THAT(appeal.relationships(), ElementsAre(created.name()));
  EXPECT_THAT(ClausesOf(appeal), ElementsAre("Middlesbrough 6.5"));
  ASSERT_EQ(appeal.reasons_size(), 1);
  EXPECT_THAT(appeal.reasons(0).finding(), HasSubstr("ended 2025-11-30"));

  // Middlesbrough 6.4: a working relationship alone does not bar an
  // appointment panel, ended or not.
  request.set_setting(relations::v1::CONFLICT_SETTING_APPOINTMENT_PANEL);
  relations::v1::CheckConflictResponse panel;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, request, &panel);
              }).ok());
  EXPECT_FALSE(panel.conflicted());
  EXPECT_THAT(ClausesOf(panel), Contains("Middlesbrough 6.4"));
}

TEST_F(RelationsE2ETest, APersonAskedAboutThemselvesIsConflictedInEverySetting) {
  // Issue 18: "no conflict" for a member hearing their own appeal. The rule
  // against bias disqualifies a party to the cause in every setting.
  for (auto setting : {relations::v1::CONFLICT_SETTING_BODY_OR_DECISION,
                       relations::v1::CONFLICT_SETTING_APPOINTMENT_PANEL,
                       relations::v1::CONFLICT_SETTING_APPEAL_HEARING,
                       relations::v1::CONFLICT_SETTING_HANDLING}) {
    relations::v1::CheckConflictRequest request;
    request.set_person(kRelatedMember);
    request.set_other_person(kRelatedMember);
    request.set_setting(setting);
    relations::v1::CheckConflictResponse response;
    grpc::Status status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
      return stub.CheckConflict(context, request, &response);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
    const std::string label = relations::v1::ConflictSetting_Name(setting);
    EXPECT_TRUE(response.conflicted()) << label;
    ASSERT_EQ(response.reasons_size(), 1) << label;
    EXPECT_THAT(response.reasons(0).citation().clause(), StartsWith("Rule against bias")) << label;
    EXPECT_THAT(response.reasons(0).finding(), HasSubstr(kRelatedMember)) << label;
  }
}

TEST_F(RelationsE2ETest, MemberCallingCheckConflictIsDeniedByTheGatewayPolicy) {
  // Answers reveal declarations, so members do not call it directly.
  relations::v1::CheckConflictRequest request;
  request.set_person(kRelatedMember);
  request.set_setting(relations::v1::CONFLICT_SETTING_APPEAL_HEARING);
  request.set_other_person(kPlanningOfficer);
  relations::v1::CheckConflictResponse response;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CheckConflict(context, request, &response);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("RelationsService/CheckConflict"));
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_METHOD_NOT_ALLOWED");
  EXPECT_FALSE(response.conflicted());
  EXPECT_THAT(response.relationships(), IsEmpty());
}

TEST_F(RelationsE2ETest, CheckConflictAboutAnUnknownPersonIsNotFound) {
  relations::v1::CheckConflictRequest request;
  request.set_person(kRelatedMember);
  request.set_setting(relations::v1::CONFLICT_SETTING_APPOINTMENT_PANEL);
  request.set_other_person("people/off-nobody-here");
  relations::v1::CheckConflictResponse response;
  grpc::Status status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.CheckConflict(context, request, &response);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("people/off-nobody-here"));
}

// Declaring relationships -----------------------------------------------------------------

TEST_F(RelationsE2ETest, SelfRelationIsInvalidNamingRelationshipOfficer) {
  relations::v1::Relationship out;
  grpc::Status status =
      Declare(kWardMember, "rel-self",
              Declaration(kWardMember, kWardMember, relations::v1::RELATIONSHIP_KIND_FAMILY,
                          kMonitoringOfficer),
              &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  const auto violations = FieldViolations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_THAT(violations[0], StartsWith("relationship.officer:"));
  EXPECT_THAT(violations[0], HasSubstr("themselves"));
}

TEST_F(RelationsE2ETest, DeclarationWithAnUnknownPersonIsNotFound) {
  relations::v1::Relationship out;
  grpc::Status status =
      Declare(kWardMember, "rel-unknown",
              Declaration(kWardMember, "people/off-nobody-here",
                          relations::v1::RELATIONSHIP_KIND_FRIENDSHIP, kMonitoringOfficer),
              &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("people/off-nobody-here"));
  EXPECT_EQ(ErrorInfoMetadata(status, "resource"), "people/off-nobody-here");
}

TEST_F(RelationsE2ETest, DeclarationToSomeoneWhoIsNotHeadOfPaidServiceOrMonitoringOfficerIsRefused) {
  // Middlesbrough 5.4: inform the Head of Paid Service or the Monitoring
  // Officer. Jennifer Hayes is neither.
  relations::v1::Relationship out;
  grpc::Status status =
      Declare(kWardMember, "rel-wrong-recipient",
              Declaration(kWardMember, kManager, relations::v1::RELATIONSHIP_KIND_FRIENDSHIP,
                          kPlanningOfficer),
              &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("Middlesbrough 5.4"),
                                            HasSubstr(kPlanningOfficer)));
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Middlesbrough 5.4");
  // ... and nothing was recorded under that id.
  relations::v1::GetRelationshipRequest get;
  get.set_name("relationships/rel-wrong-recipient");
  relations::v1::Relationship found;
  EXPECT_EQ(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
              return stub.GetRelationship(context, get, &found);
            }).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RelationsE2ETest, DuplicateDeclarationWithOverlappingDatesAlreadyExists) {
  // rel-001 (family, declared 2025-05-27, current) is on record; Karen declares
  // it again from 2025-06-01 to the Chief Executive.
  relations::v1::Relationship again = Declaration(
      kRelatedMember, kPlanningOfficer, relations::v1::RELATIONSHIP_KIND_FAMILY, kChiefExecutive);
  *again.mutable_declared_on() = Date(2025, 6, 1);
  relations::v1::Relationship out;
  grpc::Status status = Declare(kRelatedMember, "rel-001-again", again, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("relationships/rel-001"),
                                            HasSubstr("overlapping")));
}

TEST_F(RelationsE2ETest, DeclareAdviseEndAndListRevisionsOldestFirst) {
  relations::v1::Relationship created;
  grpc::Status status =
      Declare(kWardMember, "rel-e2e-friendship",
              Declaration(kWardMember, kManager, relations::v1::RELATIONSHIP_KIND_FRIENDSHIP,
                          kMonitoringOfficer),
              &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.name(), "relationships/rel-e2e-friendship");
  EXPECT_EQ(created.revision(), 1);
  ASSERT_GE(created.clauses_size(), 1);
  EXPECT_EQ(created.clauses(0).clause(), "Middlesbrough 5.4");

  // The Monitoring Officer records advice (revision 2).
  relations::v1::UpdateRelationshipRequest advise;
  advise.mutable_relationship()->set_name(created.name());
  advise.mutable_relationship()->set_advice("Do not sit on any panel involving this officer.");
  advise.add_update_mask("advice");
  relations::v1::Relationship advised;
  status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, advise, &advised);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(advised.revision(), 2);
  EXPECT_EQ(advised.advice_by(), kMonitoringOfficer);

  // The member ends it (revision 3).
  relations::v1::UpdateRelationshipRequest end;
  end.mutable_relationship()->set_name(created.name());
  *end.mutable_relationship()->mutable_end_date() = Date(2025, 12, 31);
  end.add_update_mask("end_date");
  relations::v1::Relationship ended;
  status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, end, &ended);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ended.revision(), 3);

  relations::v1::ListRelationshipRevisionsRequest list;
  list.set_name(created.name());
  relations::v1::ListRelationshipRevisionsResponse revisions;
  status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.ListRelationshipRevisions(context, list, &revisions);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(revisions.revisions_size(), 3);
  EXPECT_EQ(revisions.revisions(0).revision(), 1);
  EXPECT_EQ(revisions.revisions(1).revision(), 2);
  EXPECT_EQ(revisions.revisions(2).revision(), 3);
  EXPECT_TRUE(revisions.revisions(0).advice().empty()) << "the first revision is kept as it was";
  EXPECT_FALSE(revisions.revisions(0).has_end_date());
  EXPECT_EQ(revisions.revisions(1).advice(), "Do not sit on any panel involving this officer.");
  EXPECT_FALSE(revisions.revisions(1).has_end_date());
  EXPECT_EQ(revisions.revisions(2).end_date().year(), 2025);
  EXPECT_EQ(revisions.revisions(2).advice(), revisions.revisions(1).advice());

  // Another member is told it does not exist.
  relations::v1::GetRelationshipRequest get;
  get.set_name(created.name());
  relations::v1::Relationship seen;
  status = As(kRelatedMember, [&](auto& stub, auto* context) {
    return stub.GetRelationship(context, get, &seen);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_TRUE(seen.name().empty());
  // ... and cannot list its revisions either.
  relations::v1::ListRelationshipRevisionsResponse peek;
  EXPECT_EQ(As(kRelatedMember, [&](auto& stub, auto* context) {
              return stub.ListRelationshipRevisions(context, list, &peek);
            }).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(peek.revisions_size(), 0);

  // The ended friendship no longer conflicts in 2026 (ended 2025-12-31).
  relations::v1::CheckConflictRequest check;
  check.set_person(kWardMember);
  check.set_setting(relations::v1::CONFLICT_SETTING_APPOINTMENT_PANEL);
  check.set_other_person(kManager);
  relations::v1::CheckConflictResponse in_2025, in_2026;
  *check.mutable_as_of() = Date(2025, 12, 31);
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, check, &in_2025);
              }).ok());
  *check.mutable_as_of() = Date(2026, 1, 1);
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.CheckConflict(context, check, &in_2026);
              }).ok());
  EXPECT_TRUE(in_2025.conflicted());
  EXPECT_THAT(in_2025.relationships(), ElementsAre(created.name()));
  EXPECT_FALSE(in_2026.conflicted());
}

TEST_F(RelationsE2ETest, MemberCannotRecordAdviceOnTheirOwnDeclaration) {
  relations::v1::Relationship created;
  ASSERT_TRUE(Declare(kWardMember, "rel-e2e-business",
                      Declaration(kWardMember, kHeadOfPlanning,
                                  relations::v1::RELATIONSHIP_KIND_BUSINESS, kChiefExecutive),
                      &created)
                  .ok());
  relations::v1::UpdateRelationshipRequest advise;
  advise.mutable_relationship()->set_name(created.name());
  advise.mutable_relationship()->set_advice("No restriction.");
  advise.add_update_mask("advice");
  relations::v1::Relationship out;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, advise, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
}

TEST_F(RelationsE2ETest, AdviceByIsNotMaskableItIsWhoeverRecordsTheAdvice) {
  // The proto lists "advice" and "end_date"; "advice_by" is refused naming
  // the mask entry, and nothing changes.
  const std::string name = "relationships/rel-001";
  relations::v1::UpdateRelationshipRequest update;
  update.mutable_relationship()->set_name(name);
  update.mutable_relationship()->set_advice_by(kChiefExecutive);
  update.add_update_mask("advice_by");
  relations::v1::Relationship out;
  grpc::Status status = As(kChiefExecutive, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, update, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorInfoMetadata(status, "field"), "update_mask[0]");
  EXPECT_THAT(status.error_message(), HasSubstr("advice_by"));
  relations::v1::GetRelationshipRequest get;
  get.set_name(name);
  relations::v1::Relationship after;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.GetRelationship(context, get, &after);
              }).ok());
  EXPECT_EQ(after.advice_by(), kMonitoringOfficer) << "unchanged (the demo's advice)";
}

// The register ----------------------------------------------------------------------------

TEST_F(RelationsE2ETest, PublicRegisterWithholdsASensitiveInterestCitingSection32) {
  // int-012: David Clarke's home address, withheld (Localism Act 2011 s32).
  const relations::v1::Register reg =
      Register(kWardMember, kSensitiveMember, relations::v1::REGISTER_VIEW_PUBLIC);
  EXPECT_EQ(reg.view(), relations::v1::REGISTER_VIEW_PUBLIC);
  ASSERT_THAT(InterestNames(reg), Contains("people/cllr-david-clarke/interests/int-012"));
  for (const auto& interest : reg.interests()) {
    if (interest.name() != "people/cllr-david-clarke/interests/int-012") continue;
    EXPECT_THAT(interest.description(), StartsWith("Withheld"));
    EXPECT_THAT(interest.description(), Not(HasSubstr("Residential property")));
    EXPECT_EQ(interest.category(), relations::v1::INTEREST_CATEGORY_LAND);
    EXPECT_THAT(interest.matters(), IsEmpty());
  }
  EXPECT_THAT(ClausesOf(reg), Contains("Localism Act 2011 s32(2)"));
}

TEST_F(RelationsE2ETest, FullRegisterIsForTheMonitoringOfficerOnly) {
  const relations::v1::Register full =
      Register(kMonitoringOfficer, kSensitiveMember, relations::v1::REGISTER_VIEW_FULL);
  EXPECT_EQ(full.view(), relations::v1::REGISTER_VIEW_FULL);
  bool found = false;
  for (const auto& interest : full.interests()) {
    if (interest.name() != "people/cllr-david-clarke/interests/int-012") continue;
    found = true;
    EXPECT_THAT(interest.description(), StartsWith("Residential property (home)"));
  }
  EXPECT_TRUE(found);

  // Not even the member may ask for the full view of their own register.
  grpc::Status status;
  const relations::v1::Register own = Register(
      kSensitiveMember, kSensitiveMember, relations::v1::REGISTER_VIEW_FULL, nullptr, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("Localism Act 2011 s32"));
  EXPECT_THAT(own.interests(), IsEmpty());
}

TEST_F(RelationsE2ETest, RegisterAsOfADayBeforeRegistrationDoesNotContainTheInterest) {
  // int-001 was registered on 2025-04-14.
  const std::string interest = "people/cllr-imran-ahmed/interests/int-001";
  const common::v1::Date before = Date(2025, 4, 13);
  const relations::v1::Register earlier =
      Register(kWardMember, kInterestedMember, relations::v1::REGISTER_VIEW_PUBLIC, &before);
  EXPECT_THAT(InterestNames(earlier), Not(Contains(interest)));
  const relations::v1::Register now =
      Register(kWardMember, kInterestedMember, relations::v1::REGISTER_VIEW_PUBLIC);
  EXPECT_THAT(InterestNames(now), Contains(interest));
}

TEST_F(RelationsE2ETest, RegisterOfADayBeforeTheInterestWasRecordedDoesNotShowIt) {
  // Issue 18: the register's history runs on one clock, the day each revision
  // was recorded. int-001 says it was registered on 2025-04-14, but the suite
  // recorded it only when the demo was loaded (today): the register as it
  // stood on 2025-04-14 or 2025-10-01 did not have it. Today's does, with its
  // registered_on.
  const std::string interest = "people/cllr-imran-ahmed/interests/int-001";
  for (const common::v1::Date& day : {Date(2025, 4, 14), Date(2025, 10, 1)}) {
    const relations::v1::Register reg =
        Register(kWardMember, kInterestedMember, relations::v1::REGISTER_VIEW_PUBLIC, &day);
    EXPECT_THAT(InterestNames(reg), Not(Contains(interest))) << day.ShortDebugString();
  }
  const common::v1::Date today = ToProtoDate(TodayInLondon());
  const relations::v1::Register now =
      Register(kWardMember, kInterestedMember, relations::v1::REGISTER_VIEW_PUBLIC, &today);
  ASSERT_THAT(InterestNames(now), Contains(interest));
  for (const auto& entry : now.interests()) {
    if (entry.name() != interest) continue;
    EXPECT_EQ(entry.registered_on().ShortDebugString(), Date(2025, 4, 14).ShortDebugString());
  }
}

TEST_F(RelationsE2ETest, ARegistrationDatedBackDoesNotRewriteTheRegisterOfEarlierDays) {
  // A member who registers today, claiming a registration ten days ago, is
  // not on the register as it stood yesterday (issue 18: one clock).
  const absl::CivilDay today = TodayInLondon();
  relations::v1::CreateInterestRequest create;
  create.set_parent(kWardMember);
  create.set_interest_id("int-e2e-backdated");
  auto* interest = create.mutable_interest();
  interest->set_category(relations::v1::INTEREST_CATEGORY_CONTRACTS);
  interest->set_description("Contract to supply Eastmere's libraries");
  interest->set_holder(relations::v1::INTEREST_HOLDER_MEMBER);
  *interest->mutable_arose_on() = ToProtoDate(today - 40);
  *interest->mutable_registered_on() = ToProtoDate(today - 10);
  relations::v1::Interest created;
  ASSERT_TRUE(As(kWardMember, [&](auto& stub, auto* context) {
                return stub.CreateInterest(context, create, &created);
              }).ok());
  const common::v1::Date claimed = ToProtoDate(today - 10), yesterday = ToProtoDate(today - 1);
  for (const common::v1::Date* day : {&claimed, &yesterday})
    EXPECT_THAT(InterestNames(Register(kMonitoringOfficer, kWardMember,
                                       relations::v1::REGISTER_VIEW_FULL, day)),
                Not(Contains(created.name())))
        << day->ShortDebugString();
  EXPECT_THAT(InterestNames(Register(kMonitoringOfficer, kWardMember,
                                     relations::v1::REGISTER_VIEW_FULL)),
              Contains(created.name()));
}

TEST_F(RelationsE2ETest, ChangedInterestKeepsThePreviousVersionInTheRegisterHistory) {
  // Sophie registers an interest today; the register of yesterday does not
  // have it, today's does. Changing it keeps a new revision.
  const absl::CivilDay today = TodayInLondon();
  relations::v1::CreateInterestRequest create;
  create.set_parent(kWardMember);
  create.set_interest_id("int-e2e-governor");
  auto* interest = create.mutable_interest();
  interest->set_category(relations::v1::INTEREST_CATEGORY_OTHER);
  interest->set_description("School governor, Harbour Primary School");
  interest->set_holder(relations::v1::INTEREST_HOLDER_MEMBER);
  *interest->mutable_arose_on() = ToProtoDate(today - 3);
  *interest->mutable_registered_on() = ToProtoDate(today);
  relations::v1::Interest created;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CreateInterest(context, create, &created);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.name(), "people/cllr-sophie-wright/interests/int-e2e-governor");

  relations::v1::UpdateInterestRequest update;
  update.mutable_interest()->set_name(created.name());
  update.mutable_interest()->set_description("Chair of governors, Harbour Primary School");
  update.add_update_mask("description");
  relations::v1::Interest updated;
  status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.UpdateInterest(context, update, &updated);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.revision(), 2);

  const common::v1::Date yesterday = ToProtoDate(today - 1);
  EXPECT_THAT(InterestNames(Register(kAdmin, kWardMember, relations::v1::REGISTER_VIEW_PUBLIC,
                                     &yesterday)),
              Not(Contains(created.name())));
  const relations::v1::Register now =
      Register(kAdmin, kWardMember, relations::v1::REGISTER_VIEW_PUBLIC);
  ASSERT_THAT(InterestNames(now), Contains(created.name()));
  for (const auto& entry : now.interests()) {
    if (entry.name() == created.name()) {
      EXPECT_EQ(entry.description(), "Chair of governors, Harbour Primary School");
    }
  }
}

TEST_F(RelationsE2ETest, OverdueInterestsListsOneUnregisteredAfter28Days) {
  // Localism Act 2011 s30(1): register within 28 days of the interest arising.
  const absl::CivilDay today = TodayInLondon();
  for (const auto& [id, days_ago] :
       std::vector<std::pair<std::string, int>>{{"int-e2e-overdue", 40}, {"int-e2e-recent", 10}}) {
    relations::v1::CreateInterestRequest create;
    create.set_parent(kWardMember);
    create.set_interest_id(id);
    auto* interest = create.mutable_interest();
    interest->set_category(relations::v1::INTEREST_CATEGORY_SECURITIES);
    interest->set_description("Shares in Harbour Holdings Ltd");
    interest->set_holder(relations::v1::INTEREST_HOLDER_PARTNER);
    *interest->mutable_arose_on() = ToProtoDate(today - days_ago);
    relations::v1::Interest created;
    grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
      return stub.CreateInterest(context, create, &created);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  relations::v1::ListOverdueInterestsRequest request;
  relations::v1::ListOverdueInterestsResponse response;
  grpc::Status status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.ListOverdueInterests(context, request, &response);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> names;
  for (const auto& interest : response.interests()) names.push_back(interest.name());
  EXPECT_THAT(names, Contains("people/cllr-sophie-wright/interests/int-e2e-overdue"));
  EXPECT_THAT(names, Not(Contains("people/cllr-sophie-wright/interests/int-e2e-recent")));

  // Members do not monitor compliance.
  relations::v1::ListOverdueInterestsResponse denied;
  EXPECT_EQ(As(kWardMember, [&](auto& stub, auto* context) {
              return stub.ListOverdueInterests(context, request, &denied);
            }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RelationsE2ETest, OverdueFromTheTwentyNinthDayCountingTheDayItArose) {
  // Localism Act 2011 s30(1): "before the end of 28 days beginning with the
  // day": the day it arose is day 1. Arisen 27 days ago, today is day 28 (in
  // time); 28 days ago, today is day 29 (overdue; the suite used to wait a
  // day longer).
  const absl::CivilDay today = TodayInLondon();
  for (const auto& [id, days_ago] : std::vector<std::pair<std::string, int>>{
           {"int-e2e-day-28", 27}, {"int-e2e-day-29", 28}}) {
    relations::v1::CreateInterestRequest create;
    create.set_parent(kRelatedMember);
    create.set_interest_id(id);
    auto* interest = create.mutable_interest();
    interest->set_category(relations::v1::INTEREST_CATEGORY_LICENCES);
    interest->set_description("Licence to occupy the Quay Street allotments");
    interest->set_holder(relations::v1::INTEREST_HOLDER_MEMBER);
    *interest->mutable_arose_on() = ToProtoDate(today - days_ago);
    relations::v1::Interest created;
    ASSERT_TRUE(As(kRelatedMember, [&](auto& stub, auto* context) {
                  return stub.CreateInterest(context, create, &created);
                }).ok());
  }
  relations::v1::ListOverdueInterestsRequest request;
  relations::v1::ListOverdueInterestsResponse response;
  ASSERT_TRUE(As(kMonitoringOfficer, [&](auto& stub, auto* context) {
                return stub.ListOverdueInterests(context, request, &response);
              }).ok());
  std::vector<std::string> names;
  for (const auto& interest : response.interests()) names.push_back(interest.name());
  EXPECT_THAT(names, Contains("people/cllr-karen-jenkins/interests/int-e2e-day-29"));
  EXPECT_THAT(names, Not(Contains("people/cllr-karen-jenkins/interests/int-e2e-day-28")));
}

TEST_F(RelationsE2ETest, SecretMembershipIsRefusedWhereTheProtocolHasNoSuchRule) {
  // Middlesbrough's protocol is silent on secret societies.
  relations::v1::CreateSecretMembershipRequest request;
  request.set_parent(kWardMember);
  request.set_secret_membership_id("sm-e2e");
  request.mutable_secret_membership()->set_organisation("The Order of the Quay");
  *request.mutable_secret_membership()->mutable_declared_on() = Date(2026, 1, 5);
  relations::v1::SecretMembership out;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CreateSecretMembership(context, request, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
}

// Structure -------------------------------------------------------------------------------

TEST_F(RelationsE2ETest, ManagementChainListsTheManagerFirstAndTheChiefExecutiveLast) {
  relations::v1::GetManagementChainRequest request;
  request.set_person(kPlanningOfficer);
  relations::v1::GetManagementChainResponse response;
  grpc::Status status = As(kRelatedMember, [&](auto& stub, auto* context) {
    return stub.GetManagementChain(context, request, &response);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.post().post(), "posts/principal-planning-officer");
  EXPECT_EQ(response.post().holder(), kPlanningOfficer);
  ASSERT_EQ(response.chain_size(), 4);
  EXPECT_EQ(response.chain(0).post(), "posts/development-management-manager");
  EXPECT_EQ(response.chain(0).holder(), kManager);
  EXPECT_EQ(response.chain(1).post(), "posts/head-of-planning-and-building-control");
  EXPECT_EQ(response.chain(2).post(), "posts/director-of-place");
  EXPECT_EQ(response.chain(3).post(), "posts/chief-executive");
  EXPECT_EQ(response.chain(3).holder(), kChiefExecutive);
  ASSERT_TRUE(response.has_chief_officer());
  EXPECT_EQ(response.chief_officer().post(), "posts/director-of-place");
  EXPECT_EQ(response.chief_officer().holder(), "people/off-tunde-okoro");
}

TEST_F(RelationsE2ETest, ActingMonitoringOfficerIsTheDeputyWhenTheHolderIsExcluded) {
  relations::v1::GetActingHolderRequest request;
  request.set_designation("designations/monitoring-officer");
  relations::v1::ActingHolder holder;
  ASSERT_TRUE(As(kPlanningOfficer, [&](auto& stub, auto* context) {
                return stub.GetActingHolder(context, request, &holder);
              }).ok());
  EXPECT_EQ(holder.person(), kMonitoringOfficer);

  request.add_exclude_related_to(kMonitoringOfficer);
  relations::v1::ActingHolder deputy;
  grpc::Status status = As(kPlanningOfficer, [&](auto& stub, auto* context) {
    return stub.GetActingHolder(context, request, &deputy);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(deputy.person(), kDeputyMonitoringOfficer);
  EXPECT_EQ(deputy.designation(), "designations/deputy-monitoring-officer");
  ASSERT_GE(deputy.reasons_size(), 2);
  EXPECT_THAT(deputy.reasons(0).finding(),
              AllOf(HasSubstr("passed over"), HasSubstr(kMonitoringOfficer)));
}

TEST_F(RelationsE2ETest, ActingHolderErrorsAreNotFoundAndFailedPrecondition) {
  relations::v1::GetActingHolderRequest request;
  request.set_designation("designations/lord-high-admiral");
  relations::v1::ActingHolder holder;
  EXPECT_EQ(As(kPlanningOfficer, [&](auto& stub, auto* context) {
              return stub.GetActingHolder(context, request, &holder);
            }).error_code(),
            grpc::StatusCode::NOT_FOUND);

  request.set_designation("designations/monitoring-officer");
  request.add_exclude_related_to(kMonitoringOfficer);
  request.add_exclude_related_to(kDeputyMonitoringOfficer);
  grpc::Status status = As(kPlanningOfficer, [&](auto& stub, auto* context) {
    return stub.GetActingHolder(context, request, &holder);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr(kMonitoringOfficer), HasSubstr(kDeputyMonitoringOfficer)));
}

// Directory import ------------------------------------------------------------------------

TEST_F(RelationsE2ETest, BrokenPostsCsvRowExits65NamingFileLineColumnAndWritesNothing) {
  const std::string dir = CopyDemoCouncil(suite_->dir(), "broken-posts");
  AddOfficerRow(dir, "off-broken-import-starter");
  // Line 4 is head-of-planning-and-building-control; column 4 its line manager.
  ReplaceField(dir + "/posts.csv", 4, 3, "Director-of-Place");
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, AllOf(HasSubstr("posts.csv:4:4"), HasSubstr("reports_to_post_id"),
                            HasSubstr("Director-of-Place")));
  EXPECT_EQ(GetPerson("people/off-broken-import-starter").error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "a good row of the same import must not be written";
}

TEST_F(RelationsE2ETest, ImportWithADanglingReferenceIsRefusedByTheServiceAndWritesNothing) {
  // Well-formed CSV, but a post reports to a post that does not exist: the
  // service checks every reference before writing any record.
  const std::string dir = CopyDemoCouncil(suite_->dir(), "dangling-posts");
  AddOfficerRow(dir, "off-dangling-import-starter");
  ReplaceField(dir + "/posts.csv", 4, 3, "director-of-nowhere");
  std::string output;
  EXPECT_NE(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 0) << output;
  EXPECT_THAT(output, AllOf(HasSubstr("reports_to"), HasSubstr("posts/director-of-nowhere")));
  EXPECT_EQ(GetPerson("people/off-dangling-import-starter").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RelationsE2ETest, ReimportingTheDemoDirectoryReportsNothingCreatedOrUpdated) {
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"import", "directory", std::string(COUNCIL_SOURCE_DIR) + "/demo/council"},
                           kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("unchanged_count:"));
  EXPECT_THAT(output, Not(HasSubstr("created_count")));
  EXPECT_THAT(output, Not(HasSubstr("updated_count")));

  // Declarations already on record count as unchanged too.
  ASSERT_EQ(suite_->RunCtl({"import", "declarations",
                            std::string(COUNCIL_SOURCE_DIR) + "/demo/council"},
                           kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("created_count: 0"));
  EXPECT_THAT(output, HasSubstr("unchanged_count: 36"));
}

TEST_F(RelationsE2ETest, DryRunReportsWhatWouldChangeAndWritesNothing) {
  const std::string dir = CopyDemoCouncil(suite_->dir(), "dry-run");
  AddOfficerRow(dir, "off-dry-run-starter");
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--dry-run"}, kAdmin, &output), 0)
      << output;
  EXPECT_THAT(output, AllOf(HasSubstr("dry run"), HasSubstr("created_count: 1")));
  EXPECT_EQ(GetPerson("people/off-dry-run-starter").error_code(), grpc::StatusCode::NOT_FOUND);

  // The same import for real creates exactly that person.
  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("created_count: 1"));
  EXPECT_TRUE(GetPerson("people/off-dry-run-starter").ok());
}

TEST_F(RelationsE2ETest, MemberCannotImportTheDirectory) {
  std::string output;
  EXPECT_NE(suite_->RunCtl({"import", "directory", std::string(COUNCIL_SOURCE_DIR) + "/demo/council"},
                           std::string(kWardMember), &output),
            0);
  EXPECT_THAT(output, HasSubstr("ERROR_REASON_METHOD_NOT_ALLOWED"));
}

// --- Sheffield: secret memberships (Sheffield 13.1-13.2) ---------------------------------

class RelationsSheffieldE2ETest : public RelationsTestBase {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("sheffield").release();
    // The directory only: the demo's declarations are made partly to the
    // Monitoring Officer, which Sheffield 4.5 does not allow (see below).
    std::string output;
    ASSERT_EQ(suite_->RunCtl({"import", "directory",
                              std::string(COUNCIL_SOURCE_DIR) + "/demo/council"},
                             kAdmin, &output),
              0)
        << output;
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static grpc::Status As(const std::string& person, const Call& call) {
    return RelationsTestBase::As(*suite_, person, call);
  }
  static Suite* suite_;
};
Suite* RelationsSheffieldE2ETest::suite_ = nullptr;

TEST_F(RelationsSheffieldE2ETest, SecretMembershipIsSeenByTheMonitoringOfficerOnly) {
  constexpr char kOrganisation[] = "The Ancient Order of Eastmere Ferrymen";
  relations::v1::CreateSecretMembershipRequest request;
  request.set_parent(kRelatedMember);
  request.set_secret_membership_id("sm-ferrymen");
  request.mutable_secret_membership()->set_organisation(kOrganisation);
  *request.mutable_secret_membership()->mutable_declared_on() = Date(2026, 1, 5);
  relations::v1::SecretMembership declared;
  grpc::Status status = As(kRelatedMember, [&](auto& stub, auto* context) {
    return stub.CreateSecretMembership(context, request, &declared);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(declared.name(), "people/cllr-karen-jenkins/secretMemberships/sm-ferrymen");

  // The Monitoring Officer sees it.
  relations::v1::ListSecretMembershipsRequest list;
  list.set_parent(kRelatedMember);
  relations::v1::ListSecretMembershipsResponse seen;
  status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.ListSecretMemberships(context, list, &seen);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(seen.secret_memberships_size(), 1);
  EXPECT_EQ(seen.secret_memberships(0).organisation(), kOrganisation);

  // An administrator does not; nor does the Chief Executive.
  for (const char* person : {kAdmin, kChiefExecutive}) {
    relations::v1::ListSecretMembershipsResponse denied;
    status = As(person, [&](auto& stub, auto* context) {
      return stub.ListSecretMemberships(context, list, &denied);
    });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << person;
    EXPECT_EQ(denied.secret_memberships_size(), 0) << person;
  }

  // Never on the register, public or full (Sheffield 13.2), though the
  // register has other entries.
  relations::v1::CreateInterestRequest create;
  create.set_parent(kRelatedMember);
  create.set_interest_id("int-e2e-employment");
  create.mutable_interest()->set_category(relations::v1::INTEREST_CATEGORY_EMPLOYMENT);
  create.mutable_interest()->set_description("Bookkeeper, Northgate Traders");
  create.mutable_interest()->set_holder(relations::v1::INTEREST_HOLDER_MEMBER);
  *create.mutable_interest()->mutable_arose_on() = Date(2025, 11, 1);
  *create.mutable_interest()->mutable_registered_on() = Date(2025, 11, 10);
  relations::v1::Interest interest;
  ASSERT_TRUE(As(kRelatedMember, [&](auto& stub, auto* context) {
                return stub.CreateInterest(context, create, &interest);
              }).ok());
  const std::vector<std::pair<std::string, relations::v1::RegisterView>> views = {
      {kWardMember, relations::v1::REGISTER_VIEW_PUBLIC},
      {kMonitoringOfficer, relations::v1::REGISTER_VIEW_FULL}};
  for (const auto& [caller, view] : views) {
    relations::v1::GetRegisterRequest get;
    get.set_person(kRelatedMember);
    get.set_view(view);
    relations::v1::Register reg;
    status = As(caller, [&](auto& stub, auto* context) {
      return stub.GetRegister(context, get, &reg);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(reg.interests_size(), 1) << reg.ShortDebugString();
    EXPECT_EQ(reg.interests(0).name(), interest.name());
    EXPECT_THAT(reg.ShortDebugString(), Not(HasSubstr("Ferrymen")));
    EXPECT_THAT(ClausesOf(reg), Contains("Sheffield 13.1"));
  }
}

TEST_F(RelationsSheffieldE2ETest, NobodyElseDeclaresAMembersSecretMembership) {
  relations::v1::CreateSecretMembershipRequest request;
  request.set_parent(kRelatedMember);
  request.set_secret_membership_id("sm-by-colleague");
  request.mutable_secret_membership()->set_organisation("The Lodge");
  *request.mutable_secret_membership()->mutable_declared_on() = Date(2026, 1, 5);
  relations::v1::SecretMembership out;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CreateSecretMembership(context, request, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Sheffield 13.1");
}

TEST_F(RelationsSheffieldE2ETest, RelationshipsAreDeclaredToTheChiefExecutiveOnly) {
  // Sheffield 4.5: "to the Chief Executive" -- not the Monitoring Officer, as
  // Middlesbrough 5.4 allows.
  relations::v1::CreateRelationshipRequest request;
  request.set_relationship_id("rel-sheffield");
  *request.mutable_relationship() = RelationsTestBase::Declaration(
      kWardMember, kManager, relations::v1::RELATIONSHIP_KIND_FRIENDSHIP, kMonitoringOfficer);
  relations::v1::Relationship out;
  grpc::Status status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CreateRelationship(context, request, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Sheffield 4.5");

  request.mutable_relationship()->set_declared_to(kChiefExecutive);
  status = As(kWardMember, [&](auto& stub, auto* context) {
    return stub.CreateRelationship(context, request, &out);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.clauses(0).clause(), "Sheffield 4.5");
}

TEST_F(RelationsSheffieldE2ETest, AdviceIsTheChiefExecutivesNeverTheMonitoringOfficers) {
  // Sheffield 4.6: "The Chief Executive will advise both the Member and the
  // Officer". Issue 18: the monitoring officer could record advice labelled
  // 4.6.
  relations::v1::CreateRelationshipRequest request;
  request.set_relationship_id("rel-sheffield-advice");
  *request.mutable_relationship() = RelationsTestBase::Declaration(
      kRelatedMember, kManager, relations::v1::RELATIONSHIP_KIND_BUSINESS, kChiefExecutive);
  // Loaded from the existing register with advice the monitoring officer
  // gave: refused, nothing written.
  request.mutable_relationship()->set_advice("Declare at meetings on planning.");
  request.mutable_relationship()->set_advice_by(kMonitoringOfficer);
  relations::v1::Relationship out;
  grpc::Status status = As(kAdmin, [&](auto& stub, auto* context) {
    return stub.CreateRelationship(context, request, &out);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Sheffield 4.6");
  EXPECT_THAT(status.error_message(), HasSubstr(kMonitoringOfficer));
  relations::v1::GetRelationshipRequest get;
  get.set_name("relationships/rel-sheffield-advice");
  relations::v1::Relationship found;
  EXPECT_EQ(As(kChiefExecutive, [&](auto& stub, auto* context) {
              return stub.GetRelationship(context, get, &found);
            }).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Declared without advice, the monitoring officer cannot add theirs ...
  request.mutable_relationship()->clear_advice();
  request.mutable_relationship()->clear_advice_by();
  status = As(kRelatedMember, [&](auto& stub, auto* context) {
    return stub.CreateRelationship(context, request, &out);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  relations::v1::UpdateRelationshipRequest advise;
  advise.mutable_relationship()->set_name(out.name());
  advise.mutable_relationship()->set_advice("Declare at meetings on planning.");
  advise.add_update_mask("advice");
  relations::v1::Relationship advised;
  status = As(kMonitoringOfficer, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, advise, &advised);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(ErrorInfoMetadata(status, "clause"), "Sheffield 4.6");

  // ... and the Chief Executive records theirs, cited under 4.6.
  status = As(kChiefExecutive, [&](auto& stub, auto* context) {
    return stub.UpdateRelationship(context, advise, &advised);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(advised.advice_by(), kChiefExecutive);
  std::vector<std::string> clauses;
  for (const auto& clause : advised.clauses()) clauses.push_back(clause.clause());
  EXPECT_THAT(clauses, ElementsAre("Sheffield 4.5", "Sheffield 4.6"));
}

}  // namespace
}  // namespace council::e2e
