// Tests of relations-service's write methods against the real RelationsServer
// on a loopback port with an in-memory store: a streamed directory import is
// all or nothing even when a chunk cannot be parsed (gRPC's Read cannot tell
// that from the end of the stream: import_stream.h), and the impossibilities
// an import refuses cannot be written by the other write methods either.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/errors/grpc_errors.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "relations-service/relations_server.h"
#include "relations-service/relations_store.h"
#include "tests/e2e/raw_client_stream.h"

namespace council::relations {
namespace {

using ::council::test_streams::CallClientStream;
using ::council::test_streams::RawBytes;
using ::council::test_streams::RawStreamResult;
using ::council::test_streams::Serialized;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kStreamImport[] = "/council.relations.v1.RelationsService/StreamImportDirectory";

// A chunk whose first person's name is the bytes FF FE: a proto3 string that
// is not UTF-8, so the chunk does not parse. Built by hand (field 1 of
// StreamImportDirectoryRequest, field 1 of ImportDirectoryRequest, field 1 of
// Person), as no typed stub would send it.
const std::string kInvalidUtf8Chunk("\x0a\x06\x0a\x04\x0a\x02\xff\xfe", 8);
// A chunk cut off in the middle: its length prefix promises 100 bytes.
const std::string kTruncatedChunk("\x0a\x64\x0a\x04", 4);

v1::Person Officer(const std::string& id) {
  v1::Person person;
  person.set_name("people/" + id);
  person.set_display_name(id);
  person.set_kind(v1::PERSON_KIND_OFFICER);
  *person.mutable_start_date() = ToProtoDate(absl::CivilDay(2024, 1, 8));
  return person;
}

// A chunk of `ids` as officers, marked final or not.
v1::StreamImportDirectoryRequest Chunk(const std::vector<std::string>& ids, bool final_chunk) {
  v1::StreamImportDirectoryRequest chunk;
  for (const auto& id : ids) *chunk.mutable_chunk()->add_people() = Officer(id);
  chunk.set_final_chunk(final_chunk);
  return chunk;
}

class RelationsWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile =
        LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/middlesbrough.textproto"));
    ASSERT_TRUE(profile.ok()) << profile.status();
    auto store = RelationsStore::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = std::make_unique<RelationsServer>(store_.get(), *profile, key_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::RelationsService::NewStub(channel_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // A context as the gateway forwards an administrator's call to `method`.
  std::unique_ptr<grpc::ClientContext> AsAdmin(const char* method) {
    auto context = std::make_unique<grpc::ClientContext>();
    SignCall(context.get(), key_, "people/it-admin", {"administrator"}, "",
             FullMethodName(v1::RelationsService::service_full_name(), method));
    return context;
  }

  RawStreamResult Stream(const std::vector<grpc::ByteBuffer>& messages) {
    return CallClientStream(channel_, AsAdmin("StreamImportDirectory").get(), kStreamImport,
                            messages);
  }

  grpc::StatusCode PersonStatus(const std::string& name) {
    v1::GetPersonRequest request;
    request.set_name(name);
    v1::Person person;
    return stub_->GetPerson(AsAdmin("GetPerson").get(), request, &person).error_code();
  }

  auth::AssertionKey key_ =
      auth::AssertionKey::FromSecretForTesting("relations-write-test-secret-32-bytes+");
  std::unique_ptr<RelationsStore> store_;
  std::unique_ptr<RelationsServer> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RelationsService::Stub> stub_;
};

TEST_F(RelationsWriteTest, AStreamEndingWithItsFinalChunkIsCommitted) {
  // The control for the refusals below: the same chunks, well formed.
  RawStreamResult result = Stream({Serialized(Chunk({"off-a", "off-b"}, false)),
                                   Serialized(Chunk({"off-c"}, false)),
                                   Serialized(Chunk({"off-d"}, true))});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  v1::ImportDirectoryResponse response;
  ASSERT_TRUE(response.ParseFromString(result.response));
  EXPECT_EQ(response.created_count(), 4);
  EXPECT_EQ(PersonStatus("people/off-a"), grpc::StatusCode::OK);
  EXPECT_EQ(PersonStatus("people/off-d"), grpc::StatusCode::OK);
}

TEST_F(RelationsWriteTest, AChunkThatDoesNotParseFailsTheWholeStreamAndWritesNothing) {
  for (const std::string& bad : {kInvalidUtf8Chunk, kTruncatedChunk}) {
    SCOPED_TRACE(bad.size() == kInvalidUtf8Chunk.size() ? "invalid UTF-8" : "truncated");
    // Before the fix: the first two chunks were committed and OK returned.
    RawStreamResult result = Stream({Serialized(Chunk({"off-a", "off-b"}, false)),
                                     Serialized(Chunk({"off-c"}, false)), RawBytes(bad),
                                     Serialized(Chunk({"off-d"}, true))});
    ASSERT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << result.status.error_message();
    EXPECT_THAT(FieldViolations(result.status),
                ElementsAre(HasSubstr("chunks[2]: was not received intact")));
    EXPECT_EQ(ErrorInfoMetadata(result.status, "field"), "chunks[2]");
    EXPECT_EQ(ErrorInfoReason(result.status), "ERROR_REASON_INVALID_FIELD");
    EXPECT_THAT(result.status.error_message(), HasSubstr("nothing was written"));
    for (const char* person : {"people/off-a", "people/off-b", "people/off-c", "people/off-d"})
      EXPECT_EQ(PersonStatus(person), grpc::StatusCode::NOT_FOUND) << person;
  }
}

TEST_F(RelationsWriteTest, AStreamThatStopsBeforeItsFinalChunkWritesNothing) {
  RawStreamResult result = Stream({Serialized(Chunk({"off-a"}, false)),
                                   Serialized(Chunk({"off-b"}, false))});
  ASSERT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("chunks[2]: was not received intact: it could not be parsed (such as a "
                        "string that is not valid UTF-8), or the stream ended after 2 chunks "
                        "without one marked final_chunk"));
  EXPECT_EQ(ErrorInfoMetadata(result.status, "rule"),
            "the last chunk, and only it, sets final_chunk");
  EXPECT_EQ(PersonStatus("people/off-a"), grpc::StatusCode::NOT_FOUND);

  // No chunk at all is no import either.
  result = Stream({});
  EXPECT_EQ(ErrorInfoMetadata(result.status, "field"), "chunks[0]");
}

TEST_F(RelationsWriteTest, AChunkAfterTheFinalOneIsRefused) {
  RawStreamResult result = Stream({Serialized(Chunk({"off-a"}, true)),
                                   Serialized(Chunk({"off-b"}, false))});
  ASSERT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("chunks[1]: comes after chunks[0], which was marked final_chunk"));
  EXPECT_EQ(PersonStatus("people/off-a"), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RelationsWriteTest, ARefusedCycleLeavesTheManagementChainAsItWas) {
  v1::StreamImportDirectoryRequest chunk = Chunk({"off-chief", "off-director"}, true);
  auto post = [&](const char* id, const char* reports_to, const char* holder) {
    v1::Post* p = chunk.mutable_chunk()->add_posts();
    p->set_name(absl::StrCat("posts/", id));
    p->set_title(id);
    p->set_service("corporate");
    p->set_reports_to(reports_to);
    v1::Tenure* tenure = p->add_tenures();
    tenure->set_person(absl::StrCat("people/", holder));
    *tenure->mutable_start_date() = ToProtoDate(absl::CivilDay(2024, 1, 8));
  };
  post("chief-executive", "posts/director", "off-chief");
  post("director", "posts/chief-executive", "off-director");
  RawStreamResult result = Stream({Serialized(chunk)});
  ASSERT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(result.status)) fields.push_back(violation.field);
  EXPECT_THAT(fields, ElementsAre("posts[0].reports_to", "posts[1].reports_to"));

  // Nothing was written, so there is no chain to go round.
  v1::GetManagementChainRequest request;
  request.set_person("people/off-director");
  v1::GetManagementChainResponse chain;
  EXPECT_EQ(stub_->GetManagementChain(AsAdmin("GetManagementChain").get(), request, &chain)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RelationsWriteTest, CreateBodyRefusesABodyInsideItselfOrUnderNoBody) {
  v1::CreateBodyRequest request;
  request.set_body_id("planning");
  request.mutable_body()->set_display_name("Planning");
  request.mutable_body()->set_kind(v1::BODY_KIND_COMMITTEE);
  request.mutable_body()->set_parent("bodies/planning");
  v1::Body body;
  grpc::Status status = stub_->CreateBody(AsAdmin("CreateBody").get(), request, &body);
  EXPECT_THAT(FieldViolations(status), ElementsAre("body.parent: a body cannot be its own parent"));
  request.mutable_body()->set_parent("bodies/no-such-council");
  status = stub_->CreateBody(AsAdmin("CreateBody").get(), request, &body);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("body.parent: bodies/no-such-council does not exist"));
  request.mutable_body()->clear_parent();
  status = stub_->CreateBody(AsAdmin("CreateBody").get(), request, &body);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(RelationsWriteTest, DeclarationsRefuseControlCharactersNamingTheField) {
  v1::CreateRelationshipRequest relationship;
  relationship.set_relationship_id("rel-1");
  relationship.mutable_relationship()->set_member("people/cllr-a");
  relationship.mutable_relationship()->set_officer("people/off-a");
  relationship.mutable_relationship()->set_kind(v1::RELATIONSHIP_KIND_FAMILY);
  relationship.mutable_relationship()->set_advice(std::string("Withdraw\0", 9));
  v1::Relationship created;
  grpc::Status status =
      stub_->CreateRelationship(AsAdmin("CreateRelationship").get(), relationship, &created);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("relationship.advice: contains a control character (U+0000 at "
                          "character 9)"));

  v1::CreateInterestRequest interest;
  interest.set_parent("people/cllr-a");
  interest.set_interest_id("int-1");
  interest.mutable_interest()->set_description("Land at \x1b[31mHarbour Road");
  v1::Interest registered;
  status = stub_->CreateInterest(AsAdmin("CreateInterest").get(), interest, &registered);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("interest.description: contains a control character (U+001B at "
                          "character 9)"));

  v1::CreatePersonRequest person;
  person.set_person_id("off-a");
  *person.mutable_person() = Officer("off-a");
  person.mutable_person()->set_display_name(std::string("A\0", 2));
  v1::Person stored;
  status = stub_->CreatePerson(AsAdmin("CreatePerson").get(), person, &stored);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre("person.display_name: contains a control character (U+0000 at "
                          "character 2)"));
  EXPECT_EQ(PersonStatus("people/off-a"), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace council::relations
