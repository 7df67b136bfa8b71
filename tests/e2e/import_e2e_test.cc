// End-to-end tests of councilctl's CSV imports against the four real
// binaries, through the gateway: problems the services find (a post reporting
// to a post that does not exist, a membership of someone who does not exist,
// a document for a body that does not exist) are named by file, line and
// column; one bad row and nothing is written; --skip-bad-rows leaves bad rows
// out, and the rows that depend on them, and writes the rest; re-running the
// same files changes nothing.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors/grpc_errors.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/raw_client_stream.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAdmin[] = "people/it-admin";
constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
}

// An HR export of a few new records that refer to the demo council's: the
// import adds to the directory already loaded. Line numbers are given in the
// comments because the tests name them.
std::string WriteHrExport(const std::string& suite_dir, const std::string& name) {
  const std::string dir = absl::StrCat(suite_dir, "/", name);
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/people.csv",
            "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n"
            // 2: an officer, holder of the post on posts.csv line 2
            "off-imp-ann,Ann Import,officer,ann.import@eastmere.gov.uk,2026-01-05,,,,\n"
            // 3: a member
            "cllr-imp-bob,Bob Import,member,cllr.bob.import@eastmere.gov.uk,2026-01-05,,"
            "eastmere-labour,harbour,\n"
            // 4: a member of a ward that does not exist (the service knows)
            "cllr-imp-cat,Cat Import,member,cllr.cat.import@eastmere.gov.uk,2026-01-05,,"
            "eastmere-labour,atlantis,\n");
  WriteFile(dir + "/bodies.csv",
            "body_id,display_name,kind,parent_body_id\n"
            "imp-panel,Import Panel,panel,full-council\n");  // 2
  WriteFile(dir + "/memberships.csv",
            "body_id,hr_id,role,start_date,end_date\n"
            "imp-panel,cllr-imp-bob,member,2026-01-05,\n"   // 2
            "imp-panel,cllr-imp-cat,member,2026-01-05,\n");  // 3: depends on people.csv:4
  WriteFile(dir + "/posts.csv",
            "post_id,title,service,reports_to_post_id,holder_hr_id,start_date,is_chief_officer,"
            "is_head_of_service\n"
            // 2: reports to a post that does not exist
            "imp-officer,Import Officer,planning,director-of-nowhere,off-imp-ann,2026-01-05,false,"
            "false\n"
            // 3: reports to the post on line 2
            "imp-assistant,Import Assistant,planning,imp-officer,,,false,false\n"
            // 4: fine
            "imp-analyst,Import Analyst,planning,chief-executive,,,false,false\n");
  return dir;
}

class ImportE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("middlesbrough").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  static grpc::StatusCode PersonStatus(const std::string& name) {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    relations::v1::GetPersonRequest request;
    request.set_name(name);
    relations::v1::Person person;
    return stub->GetPerson(&context, request, &person).error_code();
  }
  static grpc::StatusCode PostStatus(const std::string& name) {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    relations::v1::GetPostRequest request;
    request.set_name(name);
    relations::v1::Post post;
    return stub->GetPost(&context, request, &post).error_code();
  }
  static grpc::StatusCode BodyStatus(const std::string& name) {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    relations::v1::GetBodyRequest request;
    request.set_name(name);
    relations::v1::Body body;
    return stub->GetBody(&context, request, &body).error_code();
  }
  static std::vector<std::string> Members(const std::string& body) {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    relations::v1::ListMembershipsRequest request;
    request.set_parent(body);
    relations::v1::ListMembershipsResponse response;
    EXPECT_TRUE(stub->ListMemberships(&context, request, &response).ok());
    std::vector<std::string> people;
    for (const auto& m : response.memberships()) people.push_back(m.person());
    return people;
  }
  static int PeopleCount() {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    int count = 0;
    relations::v1::ListPeopleRequest request;
    request.set_page_size(1000);
    do {
      grpc::ClientContext context;
      suite_->Authorize(&context, kAdmin);
      relations::v1::ListPeopleResponse page;
      EXPECT_TRUE(stub->ListPeople(&context, request, &page).ok());
      count += page.people_size();
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return count;
  }
  static grpc::StatusCode DocumentStatus(const std::string& name) {
    auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    access::v1::GetDocumentRequest request;
    request.set_name(name);
    access::v1::Document document;
    return stub->GetDocument(&context, request, &document).error_code();
  }
  static grpc::StatusCode RelationshipStatus(const std::string& name) {
    auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kMonitoringOfficer);
    relations::v1::GetRelationshipRequest request;
    request.set_name(name);
    relations::v1::Relationship relationship;
    return stub->GetRelationship(&context, request, &relationship).error_code();
  }

  static Suite* suite_;
};
Suite* ImportE2ETest::suite_ = nullptr;

TEST_F(ImportE2ETest, DirectoryRowsTheServiceRefusesAreNamedByFileLineAndColumnAndNothingIsWritten) {
  const std::string dir = WriteHrExport(suite_->dir(), "hr-refused");
  const int people_before = PeopleCount();
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  // Every row the service refused, not just the first, each at its cell.
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/posts.csv:2:4 (reports_to_post_id): "
                                             "posts/director-of-nowhere does not exist\n")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/people.csv:4:8 (ward_id): wards/atlantis does not "
                                             "exist\n")));
  EXPECT_THAT(output, HasSubstr("nothing was imported: the service refused 2 rows"));
  // Read back through the gateway: not one of the good rows was written.
  EXPECT_EQ(PersonStatus("people/off-imp-ann"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PersonStatus("people/cllr-imp-bob"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(BodyStatus("bodies/imp-panel"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PostStatus("posts/imp-analyst"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PeopleCount(), people_before);
}

TEST_F(ImportE2ETest, SkippingBadRowsWritesTheRestAndLeavesOutRowsThatDependOnThem) {
  const std::string dir = WriteHrExport(suite_->dir(), "hr-skip");
  const int people_before = PeopleCount();

  // A dry run says what would be skipped and written, and writes nothing.
  std::string output;
  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--skip-bad-rows", "--dry-run"}, kAdmin,
                           &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/memberships.csv:3:2 (hr_id): "
                                             "people/cllr-imp-cat does not exist")));
  EXPECT_THAT(output, HasSubstr("dry run: would create 5, update 0, leave 0 unchanged (5 rows "
                                "would be imported, 4 rows skipped); nothing was written"));
  EXPECT_EQ(PersonStatus("people/off-imp-ann"), grpc::StatusCode::NOT_FOUND);

  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--skip-bad-rows"}, kAdmin, &output), 0)
      << output;
  // The refused rows...
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/people.csv:4:8 (ward_id): wards/atlantis does not "
                                             "exist\n")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/posts.csv:2:4 (reports_to_post_id): "
                                             "posts/director-of-nowhere does not exist\n")));
  // ...and those that depended on them: a membership of the person left
  // out, a post reporting to the post left out.
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/memberships.csv:3:2 (hr_id): "
                                             "people/cllr-imp-cat does not exist\n")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/posts.csv:3:4 (reports_to_post_id): "
                                             "posts/imp-officer does not exist\n")));
  EXPECT_THAT(output, HasSubstr("created 5, updated 0, left 0 unchanged (5 rows imported, 4 rows "
                                "skipped)"));
  EXPECT_THAT(output, HasSubstr("created_count: 5"));
  // Read back: the good rows are there, the skipped ones are not.
  EXPECT_EQ(PersonStatus("people/off-imp-ann"), grpc::StatusCode::OK);
  EXPECT_EQ(PersonStatus("people/cllr-imp-bob"), grpc::StatusCode::OK);
  EXPECT_EQ(PersonStatus("people/cllr-imp-cat"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PostStatus("posts/imp-analyst"), grpc::StatusCode::OK);
  EXPECT_EQ(PostStatus("posts/imp-officer"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PostStatus("posts/imp-assistant"), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(Members("bodies/imp-panel"), ::testing::ElementsAre("people/cllr-imp-bob"));
  EXPECT_EQ(PeopleCount(), people_before + 2);

  // Re-running the same file changes nothing: the same rows are skipped,
  // everything else is unchanged.
  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--skip-bad-rows"}, kAdmin, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("created 0, updated 0, left 5 unchanged (5 rows imported, 4 rows "
                                "skipped)"));
  EXPECT_THAT(output, AllOf(HasSubstr("unchanged_count: 5"), Not(HasSubstr("created_count"))));
  EXPECT_EQ(PeopleCount(), people_before + 2);
}

TEST_F(ImportE2ETest, RowsThatFailCouncilctlsOwnChecksAreSkippedToo) {
  const std::string dir = absl::StrCat(suite_->dir(), "/hr-local");
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/people.csv",
            "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n"
            "off-imp-dan,Dan Import,officer,dan.import@eastmere.gov.uk,2026-01-05,,,,\n"
            "off-imp-eve,Eve Import,officer,eve.import@eastmere.gov.uk,05/01/2026,,,,\n"
            "off-imp-fay,Fay Import,officer,fay\"import@eastmere.gov.uk,2026-01-05,,,,\n");
  WriteFile(dir + "/bodies.csv", "body_id,display_name,kind,parent_body_id\n");
  WriteFile(dir + "/memberships.csv", "body_id,hr_id,role,start_date,end_date\n");
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/people.csv:3:5 (start_date): \"05/01/2026\" is not "
                                             "a date (YYYY-MM-DD)")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir, "/people.csv:4:4: stray quote")));
  EXPECT_EQ(PersonStatus("people/off-imp-dan"), grpc::StatusCode::NOT_FOUND);

  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--skip-bad-rows"}, kAdmin, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir, "/people.csv:3:5 (start_date)")));
  EXPECT_THAT(output, HasSubstr("(1 row imported, 2 rows skipped)"));
  EXPECT_EQ(PersonStatus("people/off-imp-dan"), grpc::StatusCode::OK);
  EXPECT_EQ(PersonStatus("people/off-imp-eve"), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ImportE2ETest, DocumentsForABodyThatDoesNotExistAreNamedAndSkippedOnRequest) {
  const std::string path = absl::StrCat(suite_->dir(), "/records-export.csv");
  WriteFile(path,
            "record_id,title,owning_service,holding_chief_officer_hr_id,body_id,meeting_date,"
            "agenda_item,ward_ids,portfolio_id,party_group_id,matters,third_party_personal_data,"
            "status,exempt_paragraphs\n"
            // 2: fine
            "imp-doc-1,\"Planning report, item 4\",planning,off-tunde-okoro,planning-committee,"
            "2026-03-10,4,,,,,false,open,\n"
            // 3: a misspelt body: only the service knows
            "imp-doc-2,Background paper,planning,off-tunde-okoro,planning-comittee,2026-03-10,4,,,,,"
            "false,open,\n"
            // 4: fine
            "imp-doc-3,Harbour ward matter,planning,off-tunde-okoro,,,,harbour,,,,false,open,\n"
            // 5: a ward that does not exist
            "imp-doc-4,Atlantis ward matter,planning,off-tunde-okoro,,,,harbour;atlantis,,,,false,"
            "open,\n");
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "documents", path}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", path,
                                             ":3:5 (body_id): bodies/planning-comittee is not in "
                                             "the council directory\n")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", path,
                                             ":5:8 (ward_ids): wards/atlantis is not in the "
                                             "council directory\n")));
  EXPECT_THAT(output, HasSubstr("nothing was imported"));
  EXPECT_EQ(DocumentStatus("documents/imp-doc-1"), grpc::StatusCode::NOT_FOUND);

  ASSERT_EQ(suite_->RunCtl({"import", "documents", path, "--skip-bad-rows"}, kAdmin, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", path, ":3:5 (body_id)")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", path, ":5:8 (ward_ids)")));
  EXPECT_THAT(output, HasSubstr("created 2, updated 0, left 0 unchanged (2 rows imported, 2 rows "
                                "skipped)"));
  EXPECT_EQ(DocumentStatus("documents/imp-doc-1"), grpc::StatusCode::OK);
  EXPECT_EQ(DocumentStatus("documents/imp-doc-3"), grpc::StatusCode::OK);
  EXPECT_EQ(DocumentStatus("documents/imp-doc-2"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(DocumentStatus("documents/imp-doc-4"), grpc::StatusCode::NOT_FOUND);

  // Again, for scripts: nothing changes.
  ASSERT_EQ(suite_->RunCtl({"--json", "import", "documents", path, "--skip-bad-rows"}, kAdmin,
                           &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("\"unchangedCount\": 2"));
  EXPECT_THAT(output, Not(HasSubstr("createdCount")));
}

TEST_F(ImportE2ETest, DeclarationsAreAllCheckedBeforeAnyIsWritten) {
  const std::string dir = absl::StrCat(suite_->dir(), "/declarations");
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/relationships.csv",
            "relationship_id,member_hr_id,officer_hr_id,kind,declared_on,declared_to_hr_id,advice,"
            "advice_by_hr_id,end_date\n"
            // 2: fine
            "rel-imp-1,cllr-sophie-wright,off-michael-marsh,friendship,2025-06-02,off-hannah-liu,,,\n"
            // 3: a member the directory does not know
            "rel-imp-2,cllr-nobody-here,off-michael-marsh,friendship,2025-06-02,off-hannah-liu,,,\n");
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "declarations", dir}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/relationships.csv:3:2 (member_hr_id): "
                                             "people/cllr-nobody-here not found")));
  EXPECT_EQ(RelationshipStatus("relationships/rel-imp-1"), grpc::StatusCode::NOT_FOUND)
      << "the good row was only checked, not written";

  ASSERT_EQ(suite_->RunCtl({"import", "declarations", dir, "--skip-bad-rows"}, kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("skipped: ", dir,
                                             "/relationships.csv:3:2 (member_hr_id)")));
  EXPECT_THAT(output, HasSubstr("created_count: 1\nunchanged_count: 0"));
  EXPECT_EQ(RelationshipStatus("relationships/rel-imp-1"), grpc::StatusCode::OK);

  ASSERT_EQ(suite_->RunCtl({"import", "declarations", dir, "--skip-bad-rows"}, kAdmin, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("created_count: 0\nunchanged_count: 1"));
}

// --- All or nothing, whatever the stream carries (issue 16, defect 3) --------------------

relations::v1::StreamImportDirectoryRequest PeopleChunk(const std::vector<std::string>& ids,
                                                        bool final_chunk) {
  relations::v1::StreamImportDirectoryRequest chunk;
  for (const auto& id : ids) {
    relations::v1::Person* person = chunk.mutable_chunk()->add_people();
    person->set_name("people/" + id);
    person->set_display_name(id);
    person->set_kind(relations::v1::PERSON_KIND_OFFICER);
    person->mutable_start_date()->set_year(2026);
    person->mutable_start_date()->set_month(1);
    person->mutable_start_date()->set_day(5);
  }
  chunk.set_final_chunk(final_chunk);
  return chunk;
}

// The chunk a refusal names: the service's `chunks[n]` field, or the
// gateway's position of the message it would not forward.
std::string ChunkNamed(const grpc::Status& status) {
  const std::string field = ErrorInfoMetadata(status, "field");
  if (!field.empty()) return field;
  const std::string message = ErrorInfoMetadata(status, "message");
  return message.empty() ? "" : absl::StrCat("chunks[", message, "]");
}

TEST_F(ImportE2ETest, AChunkThatDoesNotParseFailsTheWholeStreamThroughTheGateway) {
  // Person name FF FE: not UTF-8 (field 1 of the chunk, of the import, of the
  // Person); the document's name likewise.
  const std::string bad_directory_chunk("\x0a\x06\x0a\x04\x0a\x02\xff\xfe", 8);
  const std::string bad_documents_chunk("\x0a\x04\x0a\x02\xff\xfe", 6);
  const int people_before = PeopleCount();
  {
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    auto result = test_streams::CallClientStream(
        suite_->GatewayChannel(), &context,
        "/council.relations.v1.RelationsService/StreamImportDirectory",
        {test_streams::Serialized(PeopleChunk({"off-stm-a", "off-stm-b"}, false)),
         test_streams::Serialized(PeopleChunk({"off-stm-c"}, false)),
         test_streams::RawBytes(bad_directory_chunk),
         test_streams::Serialized(PeopleChunk({"off-stm-d"}, true))});
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << result.status.error_message();
    EXPECT_EQ(ChunkNamed(result.status), "chunks[2]") << result.status.error_message();
  }
  for (const char* person : {"people/off-stm-a", "people/off-stm-c", "people/off-stm-d"})
    EXPECT_EQ(PersonStatus(person), grpc::StatusCode::NOT_FOUND) << person;
  EXPECT_EQ(PeopleCount(), people_before);

  {
    access::v1::StreamImportDocumentsRequest good;
    access::v1::Document* document = good.add_documents();
    document->set_name("documents/stm-doc-1");
    document->set_title("Streamed");
    document->set_owning_service("planning");
    document->set_status(access::v1::DOCUMENT_STATUS_OPEN);
    grpc::ClientContext context;
    suite_->Authorize(&context, kAdmin);
    auto result = test_streams::CallClientStream(
        suite_->GatewayChannel(), &context,
        "/council.access.v1.AccessService/StreamImportDocuments",
        {test_streams::Serialized(good), test_streams::RawBytes(bad_documents_chunk)});
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << result.status.error_message();
    EXPECT_EQ(ChunkNamed(result.status), "chunks[1]") << result.status.error_message();
  }
  EXPECT_EQ(DocumentStatus("documents/stm-doc-1"), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ImportE2ETest, ACallerThatGoesAwayMidStreamCommitsNothing) {
  // The gateway passes the caller's going away on as the end of the stream
  // (WritesDone) or as a cancellation; either way the chunks sent so far,
  // none of them marked final, must not be committed.
  auto stub = relations::v1::RelationsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kAdmin);
  relations::v1::ImportDirectoryResponse response;
  auto writer = stub->StreamImportDirectory(&context, &response);
  ASSERT_TRUE(writer->Write(PeopleChunk({"off-gone-a"}, false)));
  ASSERT_TRUE(writer->Write(PeopleChunk({"off-gone-b"}, false)));
  absl::SleepFor(absl::Milliseconds(200));  // both chunks reach relations-service
  context.TryCancel();
  EXPECT_FALSE(writer->Finish().ok());
  // Whatever relations-service was told, it has answered well within this.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(PersonStatus("people/off-gone-a"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PersonStatus("people/off-gone-b"), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ImportE2ETest, ANonUtf8ByteInALateRowIsRefusedByItsCellBeforeAnythingIsSent) {
  // The report: 30,000 rows, an invalid byte in row 25,001; councilctl said
  // "created 24000 ... (30000 rows imported)" and exited 0.
  const std::string dir = absl::StrCat(suite_->dir(), "/hr-latin1");
  std::filesystem::create_directories(dir);
  std::string people =
      "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,system_roles\n";
  for (int row = 1; row <= 30000; ++row)
    absl::StrAppend(&people, "off-lat-", row, ",", row == 25001 ? "Ren\xe9 Latin" : "Officer",
                    ",officer,,2026-01-05,,,,\n");
  WriteFile(dir + "/people.csv", people);
  WriteFile(dir + "/bodies.csv", "body_id,display_name,kind,parent_body_id\n");
  WriteFile(dir + "/memberships.csv", "body_id,hr_id,role,start_date,end_date\n");
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  // Row 25,001 is line 25,002 (the header is line 1); display_name is column 2.
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/people.csv:25002:2: the display_name cell is not "
                                             "valid UTF-8 (its byte 4 is 0xE9); save the file as "
                                             "UTF-8\n")));
  EXPECT_THAT(output, HasSubstr("nothing was imported: 1 row failed councilctl's checks"));
  EXPECT_THAT(output, Not(HasSubstr("created")));
  EXPECT_EQ(PersonStatus("people/off-lat-1"), grpc::StatusCode::NOT_FOUND);

  // The same in a documents export.
  const std::string path = absl::StrCat(suite_->dir(), "/records-latin1.csv");
  std::string documents =
      "record_id,title,owning_service,holding_chief_officer_hr_id,body_id,meeting_date,"
      "agenda_item,ward_ids,portfolio_id,party_group_id,matters,third_party_personal_data,"
      "status,exempt_paragraphs\n";
  for (int row = 1; row <= 3000; ++row)
    absl::StrAppend(&documents, "lat-doc-", row, ",", row == 2501 ? "Caf\xe9 licence" : "Report",
                    ",planning,off-tunde-okoro,,,,,,,,false,open,\n");
  WriteFile(path, documents);
  EXPECT_EQ(suite_->RunCtl({"import", "documents", path}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", path,
                                             ":2502:2: the title cell is not valid UTF-8 (its "
                                             "byte 4 is 0xE9)")));
  EXPECT_EQ(DocumentStatus("documents/lat-doc-1"), grpc::StatusCode::NOT_FOUND);
}

// --- What the directory cannot hold (issue 16, defect 6) ----------------------------------

TEST_F(ImportE2ETest, ACycleTwoPostsAtOnceAndANulByteAreNamedByTheirCellsAndNothingIsWritten) {
  const std::string dir = absl::StrCat(suite_->dir(), "/hr-impossible");
  std::filesystem::create_directories(dir);
  auto write_people = [&](const std::string& head_name) {
    WriteFile(dir + "/people.csv",
              "hr_id,display_name,kind,email,start_date,end_date,party_group_id,ward_id,"
              "system_roles\n"
              "off-imp-head," + head_name + ",officer,,2026-01-05,,,,\n"  // 2
              "off-imp-deputy,Dee Deputy,officer,,2026-01-05,,,,\n"       // 3
              "off-imp-twice,Tim Twice,officer,,2026-01-05,,,,\n");       // 4
  };
  write_people(std::string("Ann\0Head", 8));  // a NUL byte in a display name
  WriteFile(dir + "/bodies.csv", "body_id,display_name,kind,parent_body_id\n");
  WriteFile(dir + "/memberships.csv", "body_id,hr_id,role,start_date,end_date\n");
  WriteFile(dir + "/posts.csv",
            "post_id,title,service,reports_to_post_id,holder_hr_id,start_date,is_chief_officer,"
            "is_head_of_service\n"
            // 2 and 3: each reports to the other
            "imp-head,Head,corporate,imp-deputy,off-imp-head,2026-01-05,false,false\n"
            "imp-deputy,Deputy,corporate,imp-head,off-imp-deputy,2026-01-05,false,false\n"
            // 4 and 5: one officer in two posts, the second from 2 February
            "imp-one,One,planning,chief-executive,off-imp-twice,2026-01-05,false,false\n"
            "imp-two,Two,planning,chief-executive,off-imp-twice,2026-02-02,false,false\n");

  // The NUL byte: refused (by the gateway's screen of every message, or by
  // relations-service behind it) at its cell.
  std::string output;
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, AllOf(HasSubstr(absl::StrCat("error: ", dir,
                                                   "/people.csv:2:2 (display_name): ")),
                            HasSubstr("control character")));
  EXPECT_EQ(PersonStatus("people/off-imp-deputy"), grpc::StatusCode::NOT_FOUND);

  // Without it, the structure: the cycle's rows and both posts of the one
  // officer, each at its cell.
  write_people("Ann Head");
  EXPECT_EQ(suite_->RunCtl({"import", "directory", dir}, kAdmin, &output), 65) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/posts.csv:2:4 (reports_to_post_id): is part of a "
                                             "reporting cycle: posts/imp-head -> posts/imp-deputy "
                                             "-> posts/imp-head")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/posts.csv:3:4 (reports_to_post_id): is part of a "
                                             "reporting cycle")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/posts.csv:4:5 (holder_hr_id): people/off-imp-twice "
                                             "also holds posts/imp-two on 2026-02-02")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("error: ", dir,
                                             "/posts.csv:5:5 (holder_hr_id): people/off-imp-twice "
                                             "also holds posts/imp-one on 2026-02-02")));
  EXPECT_THAT(output, HasSubstr("nothing was imported: the service refused 4 rows"));
  EXPECT_EQ(PostStatus("posts/imp-head"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PostStatus("posts/imp-one"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PersonStatus("people/off-imp-deputy"), grpc::StatusCode::NOT_FOUND);

  // With --skip-bad-rows those rows are left out and the rest written; no
  // management chain can then go round a loop.
  ASSERT_EQ(suite_->RunCtl({"import", "directory", dir, "--skip-bad-rows"}, kAdmin, &output), 0)
      << output;
  EXPECT_EQ(PersonStatus("people/off-imp-deputy"), grpc::StatusCode::OK);
  EXPECT_EQ(PostStatus("posts/imp-head"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(PostStatus("posts/imp-two"), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace council::e2e
