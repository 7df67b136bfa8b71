// End-to-end tests of the foundation: the four real binaries on loopback with
// real SQLite files, called through the gateway with real tokens.
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

#include "absl/synchronization/notification.h"
#include "common/audit/audit_log.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "common/storage/database.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using relations::v1::RelationsService;

// Demo people (demo/README.md).
constexpr char kAdmin[] = "people/it-admin";
constexpr char kPlanningMember[] = "people/cllr-imran-ahmed";
constexpr char kNonPlanningMember[] = "people/cllr-sophie-wright";
constexpr char kOfficer[] = "people/off-jennifer-hayes";

class FoundationE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("southwark").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* FoundationE2ETest::suite_ = nullptr;

// One call of a grpc.health.v1.Health method with `request_bytes`, no token.
grpc::Status CallHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const std::string& request_bytes, std::string* response_bytes) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Slice request_slice(request_bytes);
  grpc::ByteBuffer request(&request_slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   status = s;
                   done.Notify();
                 });
  done.WaitForNotification();
  std::vector<grpc::Slice> slices;
  if (status.ok()) (void)response.Dump(&slices);
  response_bytes->clear();
  for (auto& slice : slices)
    response_bytes->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return status;
}

// grpc.health.v1.Health/Check with an empty request; SERVING encodes as 08 01.
std::string HealthCheck(const std::shared_ptr<grpc::Channel>& channel) {
  std::string bytes;
  const grpc::Status status = CallHealth(channel, "/grpc.health.v1.Health/Check", "", &bytes);
  if (!status.ok()) return "error: " + status.error_message();
  return bytes == std::string("\x08\x01", 2) ? "SERVING" : "NOT_SERVING";
}

TEST_F(FoundationE2ETest, AllFourServicesReportServingOnTheirHealthService) {
  for (const char* service : {"gateway", "relations-service", "access-service", "complaints-service"})
    EXPECT_EQ(HealthCheck(suite_->BackendChannel(service)), "SERVING") << service;
}

// Issue 7: "Health and reflection exposure is itself policy." The gateway
// answers grpc.health.v1.Health/Check itself, for itself only, because the
// shipped policy lets anyone ask (a load balancer has no token); Watch has no
// rule, so it is refused like any method the policy omits.
TEST_F(FoundationE2ETest, GatewayAnswersHealthForItselfAndOnlyAsThePolicyAllows) {
  auto gateway = suite_->GatewayChannel();
  std::string bytes;
  // HealthCheckRequest{service: "council.relations.v1.RelationsService"}
  const std::string relations = "council.relations.v1.RelationsService";
  const std::string named = std::string("\x0a") + static_cast<char>(relations.size()) + relations;
  EXPECT_EQ(CallHealth(gateway, "/grpc.health.v1.Health/Check", named, &bytes).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "the gateway reports on itself, not on services behind it";
  EXPECT_EQ(CallHealth(gateway, "/grpc.health.v1.Health/Check", "\x0a\x0a\x41", &bytes).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CallHealth(gateway, "/grpc.health.v1.Health/Watch", "", &bytes).error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "Watch has no rule in the shipped policy";
}

TEST_F(FoundationE2ETest, MemberReadsTheDirectoryThroughTheGateway) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  grpc::Status status = stub->GetPerson(&context, request, &person);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(person.name(), kOfficer);
  EXPECT_EQ(person.kind(), relations::v1::PERSON_KIND_OFFICER);
}

TEST_F(FoundationE2ETest, GatewayPolicyDeniesAMemberImportingTheDirectory) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::ImportDirectoryRequest request;
  request.set_validate_only(true);
  relations::v1::ImportDirectoryResponse response;
  grpc::Status status = stub->ImportDirectory(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("RelationsService/ImportDirectory"));
  EXPECT_THAT(status.error_message(), HasSubstr("member"));
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_METHOD_NOT_ALLOWED");
}

TEST_F(FoundationE2ETest, GatewayAuditsAllowedAndDeniedCallsInItsOwnDatabase) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  relations::v1::ImportDirectoryRequest request;
  request.set_validate_only(true);
  relations::v1::ImportDirectoryResponse response;
  grpc::ClientContext denied;
  suite_->Authorize(&denied, kNonPlanningMember);
  ASSERT_EQ(stub->ImportDirectory(&denied, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext allowed;
  suite_->Authorize(&allowed, kAdmin);
  ASSERT_TRUE(stub->ImportDirectory(&allowed, request, &response).ok());
  absl::SleepFor(absl::Milliseconds(300));  // the audit writer batches every 50 ms

  auto db = storage::Database::OpenReadOnly(suite_->DatabasePath("gateway"));
  ASSERT_TRUE(db.ok()) << db.status();
  audit::AuditLog log(db->get());
  auto entries = log.List(0, 1000, "/council.relations.v1.RelationsService/ImportDirectory");
  ASSERT_TRUE(entries.ok()) << entries.status();
  bool saw_denied = false, saw_allowed = false;
  for (const auto& entry : *entries) {
    saw_denied |= entry.actor == kNonPlanningMember && entry.action == "call.denied";
    saw_allowed |= entry.actor == kAdmin && entry.action == "call.allowed";
  }
  EXPECT_TRUE(saw_denied);
  EXPECT_TRUE(saw_allowed);
  EXPECT_TRUE(audit::VerifyAuditChain(**db).ok);
}

TEST_F(FoundationE2ETest, GatewayDeniesAMethodNotInThePolicy) {
  // ResolvePrincipal exists but is deliberately absent from the policy.
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kAdmin);
  relations::v1::ResolvePrincipalRequest request;
  request.set_subject(kPlanningMember);
  relations::v1::Principal response;
  EXPECT_EQ(stub->ResolvePrincipal(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(FoundationE2ETest, CallWithoutTokenIsUnauthenticated) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  grpc::Status status = stub->GetPerson(&context, request, &person);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(person.name().empty());
}

TEST_F(FoundationE2ETest, TokenSignedByAnotherKeyIsUnauthenticated) {
  auto key = auth::GeneratePrivateKeyPem(auth::KeyType::kEcP256);
  ASSERT_TRUE(key.ok());
  auto signer = auth::JwtSigner::FromPrivateKeyPem(key->first, key->second);
  ASSERT_TRUE(signer.ok());
  auth::JwtSigner::Claims claims{kAdmin, "council-dev", "council-suite", absl::Now(),
                                 absl::InfinitePast(), absl::Now() + absl::Hours(1)};
  auto token = signer->Sign(claims);
  ASSERT_TRUE(token.ok());
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + *token);
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  grpc::Status status = stub->GetPerson(&context, request, &person);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("kid"));
}

TEST_F(FoundationE2ETest, UnknownPersonWithValidTokenIsUnauthenticated) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, "people/nobody-here");
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  EXPECT_EQ(stub->GetPerson(&context, request, &person).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(FoundationE2ETest, BackendsRefuseCallsThatBypassTheGateway) {
  for (const char* service : {"relations-service", "access-service", "complaints-service"}) {
    // A caller that merely claims an identity in headers, or sends a garbage
    // assertion, or even a gateway token, is refused by every backend.
    for (int attempt = 0; attempt < 3; ++attempt) {
      grpc::ClientContext context;
      if (attempt == 0) context.AddMetadata("x-council-person", kAdmin);
      if (attempt == 1) context.AddMetadata("x-council-assertion", "v1.forged.forged");
      if (attempt == 2) suite_->Authorize(&context, kAdmin);
      grpc::Status status;
      if (std::string(service) == "relations-service") {
        relations::v1::GetPersonRequest request;
        request.set_name(kOfficer);
        relations::v1::Person person;
        status = RelationsService::NewStub(suite_->BackendChannel(service))
                     ->GetPerson(&context, request, &person);
      } else if (std::string(service) == "access-service") {
        access::v1::GetDocumentRequest request;
        request.set_name("documents/rec-000001");
        access::v1::Document document;
        status = access::v1::AccessService::NewStub(suite_->BackendChannel(service))
                     ->GetDocument(&context, request, &document);
      } else {
        complaints::v1::GetComplaintRequest request;
        request.set_name("complaints/c-000000000000-00000000");
        complaints::v1::Complaint complaint;
        status = complaints::v1::ComplaintsService::NewStub(suite_->BackendChannel(service))
                     ->GetComplaint(&context, request, &complaint);
      }
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << service << " attempt " << attempt;
      EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_NOT_FROM_GATEWAY") << service;
    }
  }
}

TEST_F(FoundationE2ETest, AssertionMintedForOneMethodCannotCallAnother) {
  auto key = auth::AssertionKey::FromFile(suite_->internal_key_file());
  ASSERT_TRUE(key.ok());
  grpc::ClientContext context;
  // Signed with the real key, but for GetPerson; used for ImportDirectory.
  SignCall(&context, *key, kAdmin, {"administrator"}, "",
           "/council.relations.v1.RelationsService/GetPerson");
  relations::v1::ImportDirectoryRequest request;
  relations::v1::ImportDirectoryResponse response;
  grpc::Status status = RelationsService::NewStub(suite_->BackendChannel("relations-service"))
                            ->ImportDirectory(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(FoundationE2ETest, CommitteeMemberIsGrantedTheirCommitteesPaperWithTheClause) {
  auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-000010");
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_BODY_MEMBER);
  access::v1::AccessRequest response;
  grpc::Status status = stub->CreateAccessRequest(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.requester(), kPlanningMember);
  EXPECT_EQ(response.decision().outcome(), access::v1::OUTCOME_GRANTED);
  ASSERT_GT(response.decision().reasons_size(), 0);
  // Southwark 53: committee members are presumed to need their committee's papers.
  EXPECT_EQ(response.decision().reasons(0).citation().clause(), "Southwark 53");
  EXPECT_EQ(response.decision().profile(), "southwark");

  // The decision is on record and readable by the requester.
  grpc::ClientContext get_context;
  suite_->Authorize(&get_context, kPlanningMember);
  access::v1::GetAccessRequestRequest get;
  get.set_name(response.name());
  access::v1::AccessRequest stored;
  ASSERT_TRUE(stub->GetAccessRequest(&get_context, get, &stored).ok());
  EXPECT_EQ(stored.decision().outcome(), access::v1::OUTCOME_GRANTED);
}

TEST_F(FoundationE2ETest, NonMemberWithoutAStatedNeedIsNotSimplyGranted) {
  auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kNonPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-000010");
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_OTHER);
  access::v1::AccessRequest response;
  grpc::Status status = stub->CreateAccessRequest(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(response.decision().outcome(), access::v1::OUTCOME_GRANTED);
  ASSERT_GT(response.decision().reasons_size(), 0);
  EXPECT_THAT(response.decision().reasons(0).citation().clause(), HasSubstr("Southwark"));
}

TEST_F(FoundationE2ETest, MemberCannotAskOnBehalfOfSomeoneElse) {
  auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kNonPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-000010");
  request.mutable_access_request()->set_requester(kPlanningMember);
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_BODY_MEMBER);
  access::v1::AccessRequest response;
  EXPECT_EQ(stub->CreateAccessRequest(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(FoundationE2ETest, UnknownDocumentIsNotFound) {
  auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-999999");
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_OTHER);
  access::v1::AccessRequest response;
  EXPECT_EQ(stub->CreateAccessRequest(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoundationE2ETest, BadInputNamesTheFieldAndWritesNothing) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kAdmin);
  relations::v1::CreatePersonRequest request;
  request.set_person_id("new-officer");
  request.mutable_person()->set_display_name("New Officer");
  request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
  auto* start = request.mutable_person()->mutable_start_date();
  start->set_year(2026);
  start->set_month(2);
  start->set_day(30);  // no such day
  relations::v1::Person person;
  grpc::Status status = stub->CreatePerson(&context, request, &person);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status), ::testing::ElementsAre(HasSubstr("person.start_date")));

  grpc::ClientContext get_context;
  suite_->Authorize(&get_context, kAdmin);
  relations::v1::GetPersonRequest get;
  get.set_name("people/new-officer");
  EXPECT_EQ(stub->GetPerson(&get_context, get, &person).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoundationE2ETest, BrokenCsvRowIsReportedWithFileLineAndColumnAndNothingIsWritten) {
  const std::string path = suite_->dir() + "/broken-documents.csv";
  {
    std::ofstream out(path);
    out << "record_id,title,owning_service,status\n"
        << "rec-900001,Good row,planning,open\n"
        << "rec-900002,Bad row,planning,secret\n";
  }
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "documents", path}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr("broken-documents.csv:3:4 (status)"));
  auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kAdmin);
  access::v1::GetDocumentRequest get;
  get.set_name("documents/rec-900001");
  access::v1::Document document;
  EXPECT_EQ(stub->GetDocument(&context, get, &document).error_code(), grpc::StatusCode::NOT_FOUND)
      << "the good row must not be written when another row is bad";
}

TEST_F(FoundationE2ETest, ReimportingTheSameDirectoryChangesNothing) {
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"--json", "import", "directory",
                            std::string(COUNCIL_SOURCE_DIR) + "/demo/council"},
                           kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"unchangedCount\""));
  EXPECT_THAT(output, ::testing::Not(HasSubstr("createdCount")));
  EXPECT_THAT(output, ::testing::Not(HasSubstr("updatedCount")));
}

TEST_F(FoundationE2ETest, ComplaintAboutOneselfIsRefusedAndUnknownSubjectIsNotFound) {
  auto stub = complaints::v1::ComplaintsService::NewStub(suite_->GatewayChannel());
  complaints::v1::CreateComplaintRequest request;
  request.mutable_complaint()->set_kind(profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER);
  request.mutable_complaint()->set_summary("Did not reply");
  request.mutable_complaint()->set_subject(kPlanningMember);
  complaints::v1::Complaint complaint;
  grpc::ClientContext self_context;
  suite_->Authorize(&self_context, kPlanningMember);
  EXPECT_EQ(stub->CreateComplaint(&self_context, request, &complaint).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.mutable_complaint()->set_subject("people/no-such-officer");
  grpc::ClientContext unknown_context;
  suite_->Authorize(&unknown_context, kPlanningMember);
  EXPECT_EQ(stub->CreateComplaint(&unknown_context, request, &complaint).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FoundationE2ETest, AcknowledgedWriteSurvivesKill9AndRestart) {
  auto stub = RelationsService::NewStub(suite_->GatewayChannel());
  relations::v1::CreatePersonRequest request;
  request.set_person_id("off-durable-dora");
  request.mutable_person()->set_display_name("Dora Durable");
  request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
  auto* start = request.mutable_person()->mutable_start_date();
  start->set_year(2026);
  start->set_month(1);
  start->set_day(5);
  relations::v1::Person created;
  {
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    grpc::Status status = stub->CreatePerson(&context, request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  suite_->Kill9("relations-service");
  suite_->Restart("relations-service");
  // The gateway reconnects by itself; allow it a moment.
  grpc::Status status;
  relations::v1::Person read;
  for (int attempt = 0; attempt < 50; ++attempt) {
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    relations::v1::GetPersonRequest get;
    get.set_name("people/off-durable-dora");
    status = stub->GetPerson(&context, get, &read);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(read.display_name(), "Dora Durable");

  // The audit chain written before the kill still verifies.
  auto db = storage::Database::OpenReadOnly(suite_->DatabasePath("relations-service"));
  ASSERT_TRUE(db.ok());
  audit::AuditVerification verification = audit::VerifyAuditChain(**db);
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_GT(verification.entries_checked, 0);
}

TEST(StartupE2ETest, InvalidProfileStopsStartUpNamingFileAndLine) {
  char tmpl[] = "/tmp/council-profile-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string profile = dir + "/broken.textproto";
  {
    std::ofstream out(profile);
    out << "id: \"broken\"\n"
        << "display_name: \"Broken Council\"\n"
        << "nation: NATION_ENGLAND_AND_WALES\n"
        << "designations { id: \"head-of-paid-service\" }\n";  // no monitoring officer
  }
  {
    std::ofstream(dir + "/internal.key") << auth::AssertionKey::GenerateSecretHex();
  }
  std::string output;
  const int rc = Suite::RunBinary(
      "access-service/access-service",
      {"--profile=" + profile, "--database=" + dir + "/access.db",
       "--internal_key_file=" + dir + "/internal.key", "--relations_address=127.0.0.1:1",
       "--check_config"},
      &output);
  EXPECT_NE(rc, 0);
  EXPECT_THAT(output, HasSubstr("broken.textproto:"));
  EXPECT_THAT(output, HasSubstr("monitoring-officer"));
  std::filesystem::remove_all(dir);
}

TEST(StartupE2ETest, EveryServiceStopsCleanlyOnSigterm) {
  auto suite = Suite::Start("middlesbrough");
  for (const char* service : {"gateway", "access-service", "complaints-service", "relations-service"})
    EXPECT_EQ(suite->Stop(service), 0) << service;
}

// South Somerset is the protocol with working-day limits on the first stage.
TEST(ComplaintsE2ETest, FiledComplaintGetsItsFirstWorkingDayDeadlinesFromTheProfile) {
  auto suite = Suite::Start("south-somerset");
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  auto stub = complaints::v1::ComplaintsService::NewStub(suite->GatewayChannel());
  grpc::ClientContext context;
  suite->Authorize(&context, kPlanningMember);
  complaints::v1::CreateComplaintRequest request;
  request.mutable_complaint()->set_kind(profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER);
  request.mutable_complaint()->set_subject(kOfficer);
  request.mutable_complaint()->set_summary("Repeatedly late with committee papers");
  auto* filed = request.mutable_complaint()->mutable_filed_date();
  filed->set_year(2026);
  filed->set_month(4);
  filed->set_day(1);  // Wednesday before Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr)
  complaints::v1::Complaint complaint;
  grpc::Status status = stub->CreateComplaint(&context, request, &complaint);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(complaint.complainant(), kPlanningMember);
  EXPECT_EQ(complaint.state(), complaints::v1::COMPLAINT_STATE_OPEN);
  bool saw_respond = false;
  for (const auto& deadline : complaint.deadlines()) {
    if (deadline.step() != "respond") continue;
    saw_respond = true;
    // South Somerset 16.3: report within 10 working days. From Wed 1 Apr 2026,
    // skipping Good Friday 3 Apr and Easter Monday 6 Apr: Fri 17 Apr.
    EXPECT_EQ(deadline.working_days(), 10);
    EXPECT_EQ(deadline.due_date().month(), 4);
    EXPECT_EQ(deadline.due_date().day(), 17);
    EXPECT_THAT(deadline.clause().clause(), HasSubstr("South Somerset 16"));
    EXPECT_THAT(absl::StrJoin(deadline.skipped_days(), "|"), HasSubstr("2026-04-03"));
  }
  EXPECT_TRUE(saw_respond);

  // Only the parties (and the profile's readers) can read it.
  grpc::ClientContext other;
  suite->Authorize(&other, kNonPlanningMember);
  complaints::v1::GetComplaintRequest get;
  get.set_name(complaint.name());
  complaints::v1::Complaint read;
  EXPECT_EQ(stub->GetComplaint(&other, get, &read).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext mine;
  suite->Authorize(&mine, kPlanningMember);
  EXPECT_TRUE(stub->GetComplaint(&mine, get, &read).ok());
}

}  // namespace
}  // namespace council::e2e
