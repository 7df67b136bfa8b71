// End-to-end tests of access-service: the four real binaries on loopback with
// real SQLite files and the demo council, called through the gateway with real
// tokens. Request -> refusal -> dispute -> grant; FOI routing with its due date
// over Christmas; the interest bar; who-saw-what access control and auditing;
// explain and "what may I see" agreeing with real decisions; the streaming
// records import; and clear errors for unknown documents, asking on behalf of
// someone else, and requests by non-members.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_log.h"
#include "common/errors/grpc_errors.h"
#include "common/storage/database.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using access::v1::AccessRequest;
using access::v1::AccessService;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Demo people (demo/README.md).
constexpr char kAdmin[] = "people/it-admin";
constexpr char kAuditor[] = "people/audit-reader";
constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";
constexpr char kDirectorOfPlace[] = "people/off-tunde-okoro";
constexpr char kOfficer[] = "people/off-jennifer-hayes";
constexpr char kPlanningMember[] = "people/cllr-imran-ahmed";  // interest int-001
constexpr char kHarbourMember[] = "people/cllr-sophie-wright";
constexpr char kLeader[] = "people/cllr-ada-okafor";
constexpr char kPoliticalAssistant[] = "people/pa-chloe-wright";
// Planning Committee paper for Eastmere Retail Park (matter-eastmere-retail-park).
constexpr char kRetailParkPaper[] = "documents/rec-000010";

std::vector<std::string> Clauses(const access::v1::AccessDecision& decision) {
  std::vector<std::string> clauses;
  for (const auto& reason : decision.reasons()) clauses.push_back(reason.citation().clause());
  return clauses;
}

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// Starts one suite per test suite; `today` pins access-service's day (the
// harness passes the environment on to the services it starts).
Suite* StartSuite(const std::string& profile, const char* today) {
  if (today != nullptr) setenv("COUNCIL_TODAY_OVERRIDE", today, 1);
  Suite* suite = Suite::Start(profile).release();
  unsetenv("COUNCIL_TODAY_OVERRIDE");
  EXPECT_EQ(suite->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  return suite;
}

class AccessSteps {
 public:
  explicit AccessSteps(Suite* suite)
      : suite_(suite), stub_(AccessService::NewStub(suite->GatewayChannel())) {}

  grpc::Status CreateDocument(const std::string& id, access::v1::Document document) {
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    access::v1::CreateDocumentRequest request;
    request.set_document_id(id);
    *request.mutable_document() = std::move(document);
    access::v1::Document created;
    return stub_->CreateDocument(&context, request, &created);
  }

  grpc::Status Request(const std::string& member, const std::string& document,
                       access::v1::Capacity capacity, const std::string& purpose,
                       AccessRequest* out, const std::string& requester = "") {
    grpc::ClientContext context;
    suite_->Authorize(&context, member);
    access::v1::CreateAccessRequestRequest request;
    request.mutable_access_request()->set_document(document);
    request.mutable_access_request()->set_capacity(capacity);
    request.mutable_access_request()->set_purpose(purpose);
    request.mutable_access_request()->set_requester(requester);
    return stub_->CreateAccessRequest(&context, request, out);
  }

  grpc::Status Dispute(const std::string& member, const std::string& name,
                       const std::string& grounds, AccessRequest* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, member);
    access::v1::DisputeAccessRequestRequest request;
    request.set_name(name);
    request.set_grounds(grounds);
    return stub_->DisputeAccessRequest(&context, request, out);
  }

  grpc::Status Decide(const std::string& decider, const std::string& name,
                      access::v1::Outcome outcome, const std::string& reasons,
                      const std::string& advice, AccessRequest* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, decider);
    access::v1::DecideDisputeRequest request;
    request.set_name(name);
    request.set_outcome(outcome);
    request.set_reasons(reasons);
    request.set_advice(advice);
    return stub_->DecideDispute(&context, request, out);
  }

  grpc::Status Record(const std::string& reader, access::v1::ListAccessRequestsRequest request,
                      access::v1::ListAccessRequestsResponse* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, reader);
    return stub_->ListAccessRequests(&context, request, out);
  }

  grpc::Status Explain(const std::string& caller, access::v1::ExplainAccessRequest request,
                       access::v1::ExplainAccessResponse* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, caller);
    return stub_->ExplainAccess(&context, request, out);
  }

  grpc::Status Accessible(const std::string& caller,
                          access::v1::ListAccessibleDocumentsRequest request,
                          access::v1::ListAccessibleDocumentsResponse* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, caller);
    return stub_->ListAccessibleDocuments(&context, request, out);
  }

  grpc::Status Get(const std::string& caller, const std::string& name, AccessRequest* out) {
    grpc::ClientContext context;
    suite_->Authorize(&context, caller);
    access::v1::GetAccessRequestRequest request;
    request.set_name(name);
    return stub_->GetAccessRequest(&context, request, out);
  }

  // The access-service audit entries with `action` on `resource`.
  std::vector<audit::AuditEntry> Audited(const std::string& resource) {
    auto db = storage::Database::OpenReadOnly(suite_->DatabasePath("access-service"));
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    audit::AuditLog log(db->get());
    auto entries = log.List(0, audit::AuditLog::kMaxListLimit, resource);
    EXPECT_TRUE(entries.ok()) << entries.status();
    EXPECT_TRUE(audit::VerifyAuditChain(**db).ok) << "the audit chain must verify";
    return entries.ok() ? *entries : std::vector<audit::AuditEntry>{};
  }

 private:
  Suite* suite_;
  std::unique_ptr<AccessService::Stub> stub_;
};

access::v1::Document ExecutivePaper() {
  // An open Executive report for a meeting, about no ward.
  access::v1::Document document;
  document.set_title("Regeneration delivery plan 2027-2030");
  document.set_owning_service("planning");
  document.set_holding_chief_officer(kDirectorOfPlace);
  document.set_body("bodies/executive");
  *document.mutable_meeting_date() = ToProtoDate(absl::CivilDay(2027, 1, 19));
  document.set_agenda_item("4");
  document.set_status(access::v1::DOCUMENT_STATUS_OPEN);
  return document;
}

// --- Southwark, with access-service's day pinned to Friday 4 December 2026 -------

class SouthwarkAccessE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = StartSuite("southwark", "2026-12-04");
    AccessSteps steps(suite_);
    ASSERT_TRUE(steps.CreateDocument("e2e-executive-paper", ExecutivePaper()).ok());
    access::v1::Document service_file = ExecutivePaper();
    service_file.set_title("Highways asset condition survey 2026");
    service_file.set_owning_service("highways");
    service_file.clear_body();
    service_file.clear_meeting_date();
    service_file.clear_agenda_item();
    ASSERT_TRUE(steps.CreateDocument("e2e-highways-survey", service_file).ok());
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  AccessSteps steps_{suite_};
  static Suite* suite_;
};
Suite* SouthwarkAccessE2ETest::suite_ = nullptr;

TEST_F(SouthwarkAccessE2ETest, RequestIsRefusedThenDisputedThenGrantedWithBothDecisionsKept) {
  // Southwark 52: no stated need, no access ("no roving commission").
  AccessRequest filed;
  ASSERT_TRUE(steps_.Request(kHarbourMember, "documents/e2e-executive-paper",
                             access::v1::CAPACITY_OTHER, "", &filed)
                  .ok());
  ASSERT_EQ(filed.decision().outcome(), access::v1::OUTCOME_REFUSED);
  EXPECT_THAT(Clauses(filed.decision()), ElementsAre("Southwark 52"));
  EXPECT_THAT(filed.decision().reasons(0).finding(), HasSubstr("no roving commission"));

  // The member disputes: the chief officer holding the document decides, with
  // the Monitoring Officer's advice (Southwark 52).
  AccessRequest disputed;
  ASSERT_TRUE(steps_.Dispute(kHarbourMember, filed.name(),
                             "Harbour residents will be affected by phase 2; I need the plan to "
                             "represent them at the consultation.",
                             &disputed)
                  .ok());
  EXPECT_EQ(disputed.dispute().origin(), access::v1::DISPUTE_ORIGIN_MEMBER);
  EXPECT_EQ(disputed.dispute().state(), access::v1::DISPUTE_STATE_OPEN);
  EXPECT_EQ(disputed.dispute().decider(), kDirectorOfPlace);
  EXPECT_EQ(disputed.dispute().advised_by(), kMonitoringOfficer);
  EXPECT_EQ(disputed.outcome(), access::v1::OUTCOME_REFUSED) << "refused until decided";
  ASSERT_FALSE(disputed.dispute().reasons().empty());
  EXPECT_EQ(disputed.dispute().reasons(0).citation().clause(), "Southwark 52");

  // A second dispute, or one by someone else, is refused with a clear error.
  AccessRequest again;
  grpc::Status twice = steps_.Dispute(kHarbourMember, filed.name(), "Again.", &again);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoMetadata(twice, "clause"), "Southwark 52");
  EXPECT_EQ(steps_.Dispute(kLeader, filed.name(), "Mine now.", &again).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Only the decider decides: the Monitoring Officer (who advises and reads the
  // record) is told who does; a member is stopped by the gateway.
  AccessRequest decided;
  grpc::Status not_decider =
      steps_.Decide(kMonitoringOfficer, filed.name(), access::v1::OUTCOME_GRANTED, "Fine.",
                    "Fine.", &decided);
  EXPECT_EQ(not_decider.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(not_decider.error_message(), HasSubstr(kDirectorOfPlace));
  EXPECT_EQ(steps_.Decide(kLeader, filed.name(), access::v1::OUTCOME_GRANTED, "Fine.", "",
                          &decided)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The decider must record the Monitoring Officer's advice first.
  grpc::Status no_advice = steps_.Decide(kDirectorOfPlace, filed.name(),
                                         access::v1::OUTCOME_GRANTED, "Need shown.", "",
                                         &decided);
  EXPECT_EQ(no_advice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(no_advice), ElementsAre(HasSubstr("advice")));

  ASSERT_TRUE(steps_.Decide(kDirectorOfPlace, filed.name(), access::v1::OUTCOME_GRANTED,
                            "The member represents residents directly affected by phase 2.",
                            "A ward member representing affected residents has a need to know.",
                            &decided)
                  .ok());
  EXPECT_EQ(decided.outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_EQ(decided.decision().outcome(), access::v1::OUTCOME_REFUSED)
      << "the record keeps the first decision";
  const auto& resolution = decided.dispute().resolution();
  EXPECT_EQ(resolution.outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_EQ(resolution.decided_by(), kDirectorOfPlace);
  EXPECT_THAT(Clauses(resolution),
              ElementsAre("Southwark 52", "Southwark 52", "Southwark 55", "Southwark 54"))
      << "advice, the decision, then Southwark's grant conditions";
  EXPECT_THAT(resolution.reasons(1).finding(), HasSubstr("directly affected"));
  EXPECT_EQ(decided.dispute().state(), access::v1::DISPUTE_STATE_DECIDED);

  // Stored as decided, and every step audited against the request.
  AccessRequest stored;
  ASSERT_TRUE(steps_.Get(kHarbourMember, filed.name(), &stored).ok());
  EXPECT_EQ(stored.outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_EQ(stored.decision().outcome(), access::v1::OUTCOME_REFUSED);
  std::vector<std::string> actions;
  for (const auto& entry : steps_.Audited(filed.name())) actions.push_back(entry.action);
  EXPECT_THAT(actions, ElementsAre("DecideAccessRequest", "DisputeAccessRequest", "DecideDispute",
                                   "ReadAccessRequest"));
}

TEST_F(SouthwarkAccessE2ETest, RequestUnrelatedToAMeetingIsFoiDueAfterChristmas) {
  // Southwark 60 and FOI Act 2000 s10(1): received Fri 4 Dec 2026, due Thu 7
  // Jan 2027 on the FOI Act's UK-wide working days (s10(6)).
  AccessRequest filed;
  ASSERT_TRUE(steps_.Request(kHarbourMember, "documents/e2e-highways-survey",
                             access::v1::CAPACITY_OTHER,
                             "Harbour Road's condition is raised by residents every week.",
                             &filed)
                  .ok());
  ASSERT_EQ(filed.decision().outcome(), access::v1::OUTCOME_HANDLED_AS_FOI);
  EXPECT_THAT(Clauses(filed.decision()), ElementsAre("Southwark 60"));
  ASSERT_TRUE(filed.decision().has_foi_due_date());
  EXPECT_EQ(Day(filed.decision().foi_due_date()), absl::CivilDay(2027, 1, 7));
  std::vector<std::string> holidays;
  for (const auto& day : filed.decision().foi_skipped_days())
    if (day.reason().find("bank holiday") != std::string::npos)
      holidays.push_back(FormatDay(Day(day.date())));
  EXPECT_THAT(holidays, ElementsAre("2026-12-25", "2026-12-28", "2027-01-01", "2027-01-04"));
}

TEST_F(SouthwarkAccessE2ETest, CommitteeMemberIsGrantedTheirCommitteesPaperDespiteAnInterest) {
  // Southwark has no interest rule: the body presumption (53) grants.
  AccessRequest filed;
  ASSERT_TRUE(steps_.Request(kPlanningMember, kRetailParkPaper, access::v1::CAPACITY_BODY_MEMBER,
                             "", &filed)
                  .ok());
  EXPECT_EQ(filed.decision().outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_THAT(Clauses(filed.decision()),
              ElementsAre("Southwark 53", "Southwark 55", "Southwark 54"));
}

TEST_F(SouthwarkAccessE2ETest, WhoSawWhatIsForTheRecordReadersAndEveryReadIsAudited) {
  AccessRequest granted;
  ASSERT_TRUE(steps_.Request(kLeader, "documents/e2e-executive-paper",
                             access::v1::CAPACITY_BODY_MEMBER, "", &granted)
                  .ok());
  ASSERT_EQ(granted.decision().outcome(), access::v1::OUTCOME_GRANTED)
      << "the Leader sits on the Executive (Southwark 53)";

  access::v1::ListAccessRequestsRequest grants;
  grants.set_document("documents/e2e-executive-paper");
  grants.set_outcome(access::v1::OUTCOME_GRANTED);
  access::v1::ListAccessRequestsResponse listed;
  // The Monitoring Officer and the auditor read the record (Southwark 51).
  for (const char* reader : {kMonitoringOfficer, kAuditor}) {
    SCOPED_TRACE(reader);
    listed.Clear();
    ASSERT_TRUE(steps_.Record(reader, grants, &listed).ok());
    bool found = false;
    for (const auto& r : listed.access_requests()) {
      EXPECT_EQ(r.outcome(), access::v1::OUTCOME_GRANTED);
      found |= r.name() == granted.name() && r.requester() == kLeader &&
               r.decision().conditions_size() == 2;
    }
    EXPECT_TRUE(found) << "the grant with its grounds and conditions";
  }
  // A member or an officer without the role is refused, naming the clause.
  for (const char* outsider : {kHarbourMember, kOfficer}) {
    SCOPED_TRACE(outsider);
    grpc::Status denied = steps_.Record(outsider, grants, &listed);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(ErrorInfoMetadata(denied, "clause"), "Southwark 51");
  }
  // A member may list their own requests, and nobody else's.
  access::v1::ListAccessRequestsRequest own;
  own.set_requester(kLeader);
  listed.Clear();
  ASSERT_TRUE(steps_.Record(kLeader, own, &listed).ok());
  EXPECT_GE(listed.access_requests_size(), 1);
  for (const auto& r : listed.access_requests()) EXPECT_EQ(r.requester(), kLeader);
  EXPECT_EQ(steps_.Record(kHarbourMember, own, &listed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Reading one request: others are told it does not exist.
  AccessRequest read;
  EXPECT_EQ(steps_.Get(kHarbourMember, granted.name(), &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(steps_.Get(kMonitoringOfficer, granted.name(), &read).ok());

  bool audited_listing = false;
  for (const auto& entry : steps_.Audited("documents/e2e-executive-paper"))
    audited_listing |= entry.action == "ListAccessRequests" && entry.actor == kAuditor;
  EXPECT_TRUE(audited_listing) << "every read of the record is audited";
  bool audited_read = false;
  for (const auto& entry : steps_.Audited(granted.name()))
    audited_read |= entry.action == "ReadAccessRequest" && entry.actor == kMonitoringOfficer;
  EXPECT_TRUE(audited_read);
}

TEST_F(SouthwarkAccessE2ETest, ExplainAndWhatIMaySeeAgreeWithRealDecisions) {
  access::v1::ExplainAccessRequest explain;
  explain.set_document("documents/e2e-executive-paper");
  explain.set_capacity(access::v1::CAPACITY_OTHER);
  explain.set_purpose("I need to brief residents.");
  access::v1::ExplainAccessResponse explained;
  ASSERT_TRUE(steps_.Explain(kHarbourMember, explain, &explained).ok());
  AccessRequest filed;
  ASSERT_TRUE(steps_.Request(kHarbourMember, "documents/e2e-executive-paper",
                             access::v1::CAPACITY_OTHER, "I need to brief residents.", &filed)
                  .ok());
  EXPECT_EQ(explained.decision().outcome(), filed.decision().outcome());
  EXPECT_EQ(Clauses(explained.decision()), Clauses(filed.decision()));
  EXPECT_EQ(filed.decision().outcome(), access::v1::OUTCOME_REFERRED);
  EXPECT_EQ(explained.decider(), kDirectorOfPlace);
  EXPECT_EQ(filed.dispute().origin(), access::v1::DISPUTE_ORIGIN_REFERRAL)
      << "a referral opens a dispute for the decider";
  EXPECT_EQ(filed.dispute().decider(), kDirectorOfPlace);
  EXPECT_EQ(explained.facts().ward(), "wards/harbour");

  // Explaining someone else's access is for the record's readers.
  explain.set_person(kPlanningMember);
  EXPECT_EQ(steps_.Explain(kHarbourMember, explain, &explained).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(steps_.Explain(kMonitoringOfficer, explain, &explained).ok());
  EXPECT_THAT(explained.facts().bodies(), ::testing::Contains("bodies/planning-committee"));

  // What may the planning member see: every listed document is granted, and
  // pages join up without repeats.
  access::v1::ListAccessibleDocumentsRequest list;
  list.set_body("bodies/planning-committee");
  list.set_page_size(7);
  std::set<std::string> seen;
  int pages = 0;
  do {
    access::v1::ListAccessibleDocumentsResponse page;
    ASSERT_TRUE(steps_.Accessible(kPlanningMember, list, &page).ok());
    for (const auto& entry : page.documents()) {
      EXPECT_TRUE(seen.insert(entry.document().name()).second) << entry.document().name();
      EXPECT_EQ(entry.decision().outcome(), access::v1::OUTCOME_GRANTED);
      EXPECT_EQ(entry.decision().reasons(0).citation().clause(), "Southwark 53");
    }
    list.set_page_token(page.next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 100);
  EXPECT_GT(pages, 1);
  EXPECT_GE(seen.size(), 20u) << "the Planning Committee's papers";
  ASSERT_TRUE(seen.count(kRetailParkPaper));
  AccessRequest real;
  ASSERT_TRUE(steps_.Request(kPlanningMember, kRetailParkPaper, access::v1::CAPACITY_OTHER, "",
                             &real)
                  .ok());
  EXPECT_EQ(real.decision().outcome(), access::v1::OUTCOME_GRANTED)
      << "a listed document is granted when asked for";
  // The harbour member, not on the committee, sees only its papers about
  // Harbour ward, as ward member acting for a constituent (Southwark 53).
  list.set_page_token("");
  list.set_page_size(1000);
  access::v1::ListAccessibleDocumentsResponse harbour;
  ASSERT_TRUE(steps_.Accessible(kHarbourMember, list, &harbour).ok());
  EXPECT_LT(harbour.documents_size(), static_cast<int>(seen.size()));
  for (const auto& entry : harbour.documents()) {
    EXPECT_THAT(entry.document().wards(), ::testing::Contains("wards/harbour"));
    EXPECT_THAT(entry.decision().reasons(0).finding(), HasSubstr("represents wards/harbour"));
  }
  EXPECT_TRUE(harbour.next_page_token().empty()) << "the whole catalogue was searched";
}

TEST_F(SouthwarkAccessE2ETest, UnknownDocumentOnBehalfOfSomeoneElseAndNonMembersGetClearErrors) {
  AccessRequest out;
  grpc::Status unknown = steps_.Request(kHarbourMember, "documents/rec-999999",
                                        access::v1::CAPACITY_OTHER, "", &out);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(), HasSubstr("documents/rec-999999"));

  grpc::Status on_behalf = steps_.Request(kHarbourMember, kRetailParkPaper,
                                          access::v1::CAPACITY_OTHER, "", &out, kPlanningMember);
  EXPECT_EQ(on_behalf.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(on_behalf.error_message(), HasSubstr("a member asks for themselves"));

  grpc::Status officer = steps_.Request(kOfficer, kRetailParkPaper, access::v1::CAPACITY_OTHER,
                                        "", &out);
  EXPECT_EQ(officer.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorInfoReason(officer), "ERROR_REASON_METHOD_NOT_ALLOWED");

  // Southwark gives political assistants no members' level of access.
  grpc::Status assistant = steps_.Request(kPoliticalAssistant, kRetailParkPaper,
                                          access::v1::CAPACITY_OTHER, "", &out);
  EXPECT_EQ(assistant.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(assistant.error_message(), HasSubstr("political assistant"));

  grpc::Status no_capacity = steps_.Request(kHarbourMember, kRetailParkPaper,
                                            access::v1::CAPACITY_UNSPECIFIED, "", &out);
  EXPECT_EQ(no_capacity.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(no_capacity), ElementsAre(HasSubstr("access_request.capacity")));
}

TEST_F(SouthwarkAccessE2ETest, StreamingImportIsAllOrNothingWithFileLineAndColumn) {
  const std::string path = suite_->dir() + "/records-export.csv";
  {
    std::ofstream out(path);
    out << "record_id,title,owning_service,holding_chief_officer_hr_id,body_id,meeting_date,"
           "agenda_item,ward_ids,portfolio_id,party_group_id,matters,third_party_personal_data,"
           "status,exempt_paragraphs\n";
    for (int i = 1; i <= 2500; ++i)
      out << "e2e-import-" << i << ",Imported record " << i
          << ",waste,off-tunde-okoro,,,,harbour,,,,false,open,\n";
    // Valid CSV, but paragraph 9 does not exist in Southwark's (post-2006)
    // numbering: only the server knows, and the error still names the cell.
    out << "e2e-import-bad,Bad record,legal,off-hannah-liu,,,,,,,,false,exempt,9\n";
  }
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "documents", path}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr("records-export.csv:2502:14 (exempt_paragraphs)"));
  EXPECT_THAT(output, HasSubstr("nothing was imported"));
  AccessRequest out;
  EXPECT_EQ(steps_.Request(kHarbourMember, "documents/e2e-import-1", access::v1::CAPACITY_OTHER,
                           "", &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "one bad row and nothing is written";

  // Without the bad row: a dry run writes nothing, then the import, then a
  // re-run changes nothing.
  std::string text;
  {
    std::ifstream in(path);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text = text.substr(0, text.rfind("e2e-import-bad"));
  {
    std::ofstream rewrite(path, std::ios::trunc);
    rewrite << text;
  }
  ASSERT_EQ(suite_->RunCtl({"--json", "import", "documents", path, "--dry-run"}, kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"createdCount\": 2500"));
  EXPECT_EQ(steps_.Request(kHarbourMember, "documents/e2e-import-1", access::v1::CAPACITY_OTHER,
                           "", &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "a dry run writes nothing";
  ASSERT_EQ(suite_->RunCtl({"--json", "import", "documents", path, "--chunk-size=1000"}, kAdmin,
                           &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"createdCount\": 2500"));
  ASSERT_EQ(suite_->RunCtl({"--json", "import", "documents", path}, kAdmin, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"unchangedCount\": 2500"));
  // An imported ward document: the harbour member acting for a constituent.
  ASSERT_TRUE(steps_.Request(kHarbourMember, "documents/e2e-import-1",
                             access::v1::CAPACITY_WARD_MEMBER, "", &out)
                  .ok());
  EXPECT_EQ(out.decision().outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_THAT(Clauses(out.decision()), ElementsAre("Southwark 53", "Southwark 55", "Southwark 54"));
  bool audited = false;
  for (const auto& entry : steps_.Audited("documents"))
    audited |= entry.action == "ImportDocuments" && entry.detail.find("created 2500") == 0;
  EXPECT_TRUE(audited);
}

// --- The interest bar: South Somerset refuses, Middlesbrough refers ---------------

TEST(InterestBarE2ETest, SouthSomersetRefusesAMemberWithAPecuniaryInterest) {
  std::unique_ptr<Suite> suite(StartSuite("south-somerset", nullptr));
  AccessSteps steps(suite.get());
  // South Somerset 9: Imran's partner works for the developer (int-001).
  AccessRequest barred;
  ASSERT_TRUE(steps.Request(kPlanningMember, kRetailParkPaper, access::v1::CAPACITY_BODY_MEMBER,
                            "I sit on the Planning Committee that decides it.", &barred)
                  .ok());
  EXPECT_EQ(barred.decision().outcome(), access::v1::OUTCOME_REFUSED);
  EXPECT_THAT(Clauses(barred.decision()), ElementsAre("South Somerset 9"));
  EXPECT_THAT(barred.decision().reasons(0).finding(), HasSubstr("int-001"));
  EXPECT_THAT(barred.decision().reasons(0).finding(), HasSubstr("matter-eastmere-retail-park"));
  // Another member with the same purpose and no interest is granted (8).
  AccessRequest granted;
  ASSERT_TRUE(steps.Request(kHarbourMember, kRetailParkPaper, access::v1::CAPACITY_OTHER,
                            "Residents have asked me about the retail park.", &granted)
                  .ok());
  EXPECT_EQ(granted.decision().outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_THAT(Clauses(granted.decision()), ElementsAre("South Somerset 8"));
  // The explanation names the interest behind the bar.
  access::v1::ExplainAccessRequest explain;
  explain.set_document(kRetailParkPaper);
  explain.set_purpose("I sit on the Planning Committee that decides it.");
  access::v1::ExplainAccessResponse explained;
  ASSERT_TRUE(steps.Explain(kPlanningMember, explain, &explained).ok());
  EXPECT_EQ(explained.decision().outcome(), access::v1::OUTCOME_REFUSED);
  EXPECT_THAT(explained.facts().interests_in_document(),
              ElementsAre(HasSubstr("int-001")));
}

TEST(InterestBarE2ETest, MiddlesbroughRefersToTheMonitoringOfficerWhoDecides) {
  std::unique_ptr<Suite> suite(StartSuite("middlesbrough", nullptr));
  AccessSteps steps(suite.get());
  // Middlesbrough 14.6: Monitoring Officer advice first, even for a committee
  // member (14.3); the Monitoring Officer determines it (14.5).
  AccessRequest referred;
  ASSERT_TRUE(steps.Request(kPlanningMember, kRetailParkPaper, access::v1::CAPACITY_BODY_MEMBER,
                            "", &referred)
                  .ok());
  EXPECT_EQ(referred.decision().outcome(), access::v1::OUTCOME_REFERRED);
  EXPECT_THAT(Clauses(referred.decision()),
              ElementsAre("Middlesbrough 14.6", "Middlesbrough 14.5"));
  EXPECT_EQ(referred.dispute().decider(), kMonitoringOfficer);
  EXPECT_EQ(referred.dispute().state(), access::v1::DISPUTE_STATE_OPEN);
  // The Monitoring Officer finds the referral in their queue and decides.
  access::v1::ListAccessRequestsRequest queue;
  queue.set_decider(kMonitoringOfficer);
  queue.set_open_disputes_only(true);
  access::v1::ListAccessRequestsResponse open;
  ASSERT_TRUE(steps.Record(kMonitoringOfficer, queue, &open).ok());
  ASSERT_EQ(open.access_requests_size(), 1);
  EXPECT_EQ(open.access_requests(0).name(), referred.name());
  AccessRequest decided;
  ASSERT_TRUE(steps.Decide(kMonitoringOfficer, referred.name(), access::v1::OUTCOME_REFUSED,
                           "The member's partner is employed by the applicant; inspecting the "
                           "officers' assessment would breach the code of conduct.",
                           "", &decided)
                  .ok());
  EXPECT_EQ(decided.outcome(), access::v1::OUTCOME_REFUSED);
  EXPECT_EQ(decided.decision().outcome(), access::v1::OUTCOME_REFERRED);
  open.Clear();
  ASSERT_TRUE(steps.Record(kMonitoringOfficer, queue, &open).ok());
  EXPECT_EQ(open.access_requests_size(), 0) << "decided: no longer open";
  // A political assistant has members' level of access (12.5), for their group.
  AccessRequest assistant;
  ASSERT_TRUE(steps.Request(kPoliticalAssistant, "documents/rec-000093",
                            access::v1::CAPACITY_OTHER, "", &assistant)
                  .ok());
  EXPECT_EQ(assistant.decision().reasons(0).citation().clause(), "Middlesbrough 12.5");
}

// --- Issue 18: the protocols read again -------------------------------------------

access::v1::Document ObjectorsLetters() {
  // A Planning Committee background paper holding objectors' letters:
  // personal information about third parties.
  access::v1::Document document = ExecutivePaper();
  document.set_title("Objections received: land at Mill Lane");
  document.set_body("bodies/planning-committee");
  document.set_third_party_personal_data(true);
  return document;
}

grpc::Status AskWithJustification(Suite* suite, const std::string& member,
                                  const std::string& document, access::v1::Capacity capacity,
                                  const std::string& purpose, const std::string& justification,
                                  AccessRequest* out) {
  auto stub = AccessService::NewStub(suite->GatewayChannel());
  grpc::ClientContext context;
  suite->Authorize(&context, member);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document(document);
  request.mutable_access_request()->set_capacity(capacity);
  request.mutable_access_request()->set_purpose(purpose);
  request.mutable_access_request()->set_justification(justification);
  return stub->CreateAccessRequest(&context, request, out);
}

TEST(ProtocolFidelityE2ETest, SheffieldAsksEveryMemberToJustifyThirdPartiesPersonalData) {
  // Sheffield 14.6: even the committee's own member justifies a request for
  // personal information about third parties, and such a paper is outside
  // the statutory right to meeting papers (14.3).
  std::unique_ptr<Suite> suite(Suite::Start("sheffield"));
  // The directory is what matters here (documents are created below).
  suite->LoadDemoCouncil();
  AccessSteps steps(suite.get());
  ASSERT_TRUE(steps.CreateDocument("e2e-objectors-letters", ObjectorsLetters()).ok());
  const std::string paper = "documents/e2e-objectors-letters";
  AccessRequest unjustified;
  ASSERT_TRUE(AskWithJustification(suite.get(), kPlanningMember, paper,
                                   access::v1::CAPACITY_BODY_MEMBER, "", "", &unjustified)
                  .ok());
  EXPECT_EQ(unjustified.decision().outcome(), access::v1::OUTCOME_NEEDS_JUSTIFICATION);
  EXPECT_THAT(Clauses(unjustified.decision()), ElementsAre("Sheffield 14.6"));
  AccessRequest other_member;
  ASSERT_TRUE(AskWithJustification(suite.get(), kHarbourMember, paper,
                                   access::v1::CAPACITY_OTHER, "Residents asked me about it.", "",
                                   &other_member)
                  .ok());
  EXPECT_EQ(other_member.decision().outcome(), access::v1::OUTCOME_NEEDS_JUSTIFICATION)
      << "no longer granted to any member under 14.3";
  const std::string justification =
      "The committee decides the application on 19 January; I must weigh the objections.";
  AccessRequest justified;
  ASSERT_TRUE(AskWithJustification(suite.get(), kPlanningMember, paper,
                                   access::v1::CAPACITY_BODY_MEMBER, "", justification, &justified)
                  .ok());
  EXPECT_EQ(justified.decision().outcome(), access::v1::OUTCOME_GRANTED);
  ASSERT_GE(justified.decision().reasons_size(), 2);
  EXPECT_EQ(justified.decision().reasons(0).citation().clause(), "Sheffield 14.6");
  EXPECT_THAT(justified.decision().reasons(0).finding(), HasSubstr(justification));
  // The justification is on the record.
  AccessRequest read;
  ASSERT_TRUE(steps.Get(kPlanningMember, justified.name(), &read).ok());
  EXPECT_EQ(read.justification(), justification);
  // Explain says the same as the real requests.
  access::v1::ExplainAccessRequest explain;
  explain.set_document(paper);
  explain.set_capacity(access::v1::CAPACITY_BODY_MEMBER);
  access::v1::ExplainAccessResponse explained;
  ASSERT_TRUE(steps.Explain(kPlanningMember, explain, &explained).ok());
  EXPECT_EQ(explained.decision().outcome(), access::v1::OUTCOME_NEEDS_JUSTIFICATION);
  explain.set_justification(justification);
  ASSERT_TRUE(steps.Explain(kPlanningMember, explain, &explained).ok());
  EXPECT_EQ(explained.decision().outcome(), access::v1::OUTCOME_GRANTED);
}

TEST(ProtocolFidelityE2ETest, MiddlesbroughAdviceAMemberAskedForDoesNotExistForOthers) {
  // Middlesbrough 14.10: to another member, the advice's metadata is
  // NOT_FOUND, as for a document nobody registered.
  std::unique_ptr<Suite> suite(StartSuite("middlesbrough", nullptr));
  AccessSteps steps(suite.get());
  access::v1::Document advice = ExecutivePaper();
  advice.set_title("Advice to Cllr Wright on the harbour lease");
  advice.clear_body();
  advice.clear_meeting_date();
  advice.clear_agenda_item();
  advice.set_requested_advice_for(kHarbourMember);
  ASSERT_TRUE(steps.CreateDocument("e2e-harbour-lease-advice", advice).ok());
  auto stub = AccessService::NewStub(suite->GatewayChannel());
  auto get = [&](const std::string& caller, const std::string& name) {
    grpc::ClientContext context;
    suite->Authorize(&context, caller);
    access::v1::GetDocumentRequest request;
    request.set_name(name);
    access::v1::Document out;
    return stub->GetDocument(&context, request, &out);
  };
  auto in_catalogue = [&](const std::string& caller) {
    access::v1::ListDocumentsRequest request;
    request.set_page_size(1000);
    for (int page = 0; page < 10; ++page) {
      grpc::ClientContext context;
      suite->Authorize(&context, caller);
      access::v1::ListDocumentsResponse out;
      EXPECT_TRUE(stub->ListDocuments(&context, request, &out).ok());
      for (const auto& d : out.documents())
        if (d.name() == "documents/e2e-harbour-lease-advice") return true;
      if (out.next_page_token().empty()) break;
      request.set_page_token(out.next_page_token());
    }
    return false;
  };
  EXPECT_TRUE(get(kHarbourMember, "documents/e2e-harbour-lease-advice").ok());
  EXPECT_TRUE(get(kMonitoringOfficer, "documents/e2e-harbour-lease-advice").ok());
  EXPECT_TRUE(in_catalogue(kHarbourMember));
  grpc::Status hidden = get(kPlanningMember, "documents/e2e-harbour-lease-advice");
  grpc::Status absent = get(kPlanningMember, "documents/e2e-harbour-lease-advicx");
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorInfoReason(hidden), ErrorInfoReason(absent));
  EXPECT_THAT(hidden.error_message(), ::testing::Not(HasSubstr("Wright")));
  EXPECT_FALSE(in_catalogue(kPlanningMember)) << "nor listed in the catalogue";
  AccessRequest asked;
  EXPECT_EQ(steps.Request(kPlanningMember, "documents/e2e-harbour-lease-advice",
                          access::v1::CAPACITY_OTHER, "Need.", &asked)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(ProtocolFidelityE2ETest, SouthSomersetExemptAndNotForPublicationAndAVacantProperOfficer) {
  std::unique_ptr<Suite> suite(StartSuite("south-somerset", nullptr));
  AccessSteps steps(suite.get());
  // South Somerset 10 and 11: exempt (under paragraph 7, which 10 does not
  // rely on) and "Not for Publication" at once.
  access::v1::Document both = ExecutivePaper();
  both.set_status(access::v1::DOCUMENT_STATUS_EXEMPT);
  both.add_exempt_paragraphs(7);
  both.set_not_for_publication(true);
  ASSERT_TRUE(steps.CreateDocument("e2e-exempt-and-marked", both).ok());
  AccessRequest granted;
  ASSERT_TRUE(steps.Request(kHarbourMember, "documents/e2e-exempt-and-marked",
                            access::v1::CAPACITY_OTHER, "Residents asked me.", &granted)
                  .ok());
  EXPECT_EQ(granted.decision().outcome(), access::v1::OUTCOME_GRANTED);
  EXPECT_THAT(Clauses(granted.decision()),
              ElementsAre("South Somerset 10", "South Somerset 8", "South Somerset 11"));

  // Nobody holds the Proper Officer designation (and the profile names no
  // deputy): a referral to them (10) is refused alike by a real request and
  // by ExplainAccess, citing 10, and nothing is filed.
  access::v1::Document confidential = ExecutivePaper();
  confidential.set_status(access::v1::DOCUMENT_STATUS_CONFIDENTIAL);
  ASSERT_TRUE(steps.CreateDocument("e2e-confidential", confidential).ok());
  {
    auto relations = relations::v1::RelationsService::NewStub(suite->GatewayChannel());
    grpc::ClientContext context;
    suite->Authorize(&context, kAdmin);
    relations::v1::ImportDirectoryRequest import;
    auto* designation = import.add_designations();
    designation->set_name("designations/proper-officer");
    auto* tenure = designation->add_tenures();
    tenure->set_person("people/off-piotr-lis");
    *tenure->mutable_start_date() = ToProtoDate(absl::CivilDay(2020, 4, 1));
    *tenure->mutable_end_date() = ToProtoDate(absl::CivilDay(2026, 1, 31));
    relations::v1::ImportDirectoryResponse imported;
    grpc::Status status = relations->ImportDirectory(&context, import, &imported);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  AccessRequest refused;
  grpc::Status filed = steps.Request(kHarbourMember, "documents/e2e-confidential",
                                     access::v1::CAPACITY_OTHER, "Residents asked me.", &refused);
  access::v1::ExplainAccessRequest explain;
  explain.set_document("documents/e2e-confidential");
  explain.set_capacity(access::v1::CAPACITY_OTHER);
  explain.set_purpose("Residents asked me.");
  access::v1::ExplainAccessResponse explained;
  grpc::Status explained_status = steps.Explain(kHarbourMember, explain, &explained);
  EXPECT_EQ(filed.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << filed.error_message();
  EXPECT_EQ(explained_status.error_code(), filed.error_code());
  EXPECT_EQ(explained_status.error_message(), filed.error_message());
  EXPECT_EQ(ErrorInfoMetadata(filed, "clause"), "South Somerset 10");
  EXPECT_EQ(ErrorInfoMetadata(explained_status, "clause"), "South Somerset 10");
  EXPECT_THAT(filed.error_message(), ::testing::Not(HasSubstr(".txt")));
  access::v1::ListAccessRequestsRequest mine;
  mine.set_requester(kHarbourMember);
  mine.set_document("documents/e2e-confidential");
  access::v1::ListAccessRequestsResponse listed;
  ASSERT_TRUE(steps.Record(kHarbourMember, mine, &listed).ok());
  EXPECT_EQ(listed.access_requests_size(), 0) << "nothing filed";
}

}  // namespace
}  // namespace council::e2e
