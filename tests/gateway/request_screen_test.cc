// Tests for gateway/request_screen.h: every request message is decoded as its
// method's type and its strings bounded before the gateway forwards it.
#include "gateway/request_screen.h"

#include <string>

#include "common/errors/grpc_errors.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "council/relations/v1/relations_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kGetPerson[] = "/council.relations.v1.RelationsService/GetPerson";
constexpr char kImport[] = "/council.relations.v1.RelationsService/StreamImportDirectory";
constexpr char kCreatePerson[] = "/council.relations.v1.RelationsService/CreatePerson";

TEST(RequestScreenTest, ValidRequestPasses) {
  RequestScreen screen;
  relations::v1::GetPersonRequest request;
  request.set_name("people/cllr-ada-okafor");
  EXPECT_TRUE(screen.ScreenBytes(kGetPerson, request.SerializeAsString(), 0).ok());
  // Tabs and line breaks are text.
  relations::v1::CreatePersonRequest create;
  create.mutable_person()->set_display_name("Ada\tOkafor\r\n");
  EXPECT_TRUE(screen.ScreenBytes(kCreatePerson, create.SerializeAsString(), 0).ok());
}

TEST(RequestScreenTest, BytesThatAreNotTheRequestTypeAreMalformed) {
  RequestScreen screen;
  for (const std::string& bytes : {std::string("\xff\xff\xff"),
                                  std::string("\x0a\x02\xff\xfe", 4),  // name: not UTF-8
                                  std::string("\x0a\x10" "short", 7)}) {  // truncated
    const grpc::Status status = screen.ScreenBytes(kGetPerson, bytes, 3);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_MALFORMED_REQUEST");
    EXPECT_EQ(ErrorInfoMetadata(status, "message"), "3");
    EXPECT_EQ(ErrorInfoMetadata(status, "type"), "council.relations.v1.GetPersonRequest");
  }
}

TEST(RequestScreenTest, OverlongStringIsNamedByItsPathInsideRepeatedMessages) {
  RequestScreen screen;
  relations::v1::StreamImportDirectoryRequest chunk;
  chunk.mutable_chunk()->add_people();
  chunk.mutable_chunk()->add_people()->set_display_name(std::string(kMaxFieldBytes + 1, 'x'));
  const grpc::Status status = screen.ScreenBytes(kImport, chunk.SerializeAsString(), 7);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(HasSubstr("chunk.people[1].display_name: must be at most 40000 bytes")));
  EXPECT_EQ(ErrorInfoMetadata(status, "message"), "7");
  EXPECT_LT(status.error_message().size(), 200u);
}

TEST(RequestScreenTest, StringAtTheLimitPasses) {
  RequestScreen screen;
  relations::v1::CreatePersonRequest request;
  request.mutable_person()->set_display_name(std::string(kMaxFieldBytes, 'x'));
  EXPECT_TRUE(screen.ScreenBytes(kCreatePerson, request.SerializeAsString(), 0).ok());
}

TEST(RequestScreenTest, NulAndOtherControlCharactersAreRefused) {
  RequestScreen screen;
  for (const char control : {'\0', '\x01', '\x1b', '\x7f'}) {
    relations::v1::CreatePersonRequest request;
    request.mutable_person()->set_display_name(std::string("Ada ") + control + "Okafor");
    const grpc::Status status = screen.ScreenBytes(kCreatePerson, request.SerializeAsString(), 0);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << int{control};
    EXPECT_THAT(FieldViolations(status),
                ElementsAre(HasSubstr("person.display_name: must not contain control characters "
                                      "(byte 4")));
  }
}

TEST(RequestScreenTest, EnumNumberTheSchemaDoesNotNameIsRefused) {
  RequestScreen screen;
  constexpr char kList[] = "/council.complaints.v1.ComplaintsService/ListComplaints";
  for (const int state : {-1, 9999}) {
    complaints::v1::ListComplaintsRequest request;
    request.set_state(static_cast<complaints::v1::ComplaintState>(state));
    const grpc::Status status = screen.ScreenBytes(kList, request.SerializeAsString(), 0);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << state;
    EXPECT_THAT(FieldViolations(status),
                ElementsAre(HasSubstr("state: is not a value of council.complaints.v1.ComplaintState")));
  }
  complaints::v1::ListComplaintsRequest known;
  known.set_state(static_cast<complaints::v1::ComplaintState>(1));
  EXPECT_TRUE(screen.ScreenBytes(kList, known.SerializeAsString(), 0).ok());
}

TEST(RequestScreenTest, UnknownMethodIsLeftToThePolicy) {
  RequestScreen screen;
  EXPECT_TRUE(screen.ScreenBytes("/no.Such/Method", "\xff\xff", 0).ok());
}

}  // namespace
}  // namespace council::gateway
