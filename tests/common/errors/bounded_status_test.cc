// Tests for common/errors/bounded_status.h: no status the suite sends can
// outgrow a caller's metadata limit, and input is echoed only as an excerpt.
#include "common/errors/bounded_status.h"

#include <string>

#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ExcerptTest, ShortPrintableInputIsQuotedWhole) {
  EXPECT_EQ(Excerpt("people/ada"), "\"people/ada\"");
  EXPECT_EQ(Excerpt(""), "\"\"");
  EXPECT_EQ(Excerpt("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
}

TEST(ExcerptTest, LongInputIsCutAndItsLengthSaid) {
  const std::string excerpt = Excerpt(std::string(100000, 'a'));
  EXPECT_THAT(excerpt, StartsWith("\"" + std::string(48, 'a') + "\""));
  EXPECT_THAT(excerpt, HasSubstr("(100000 bytes)"));
  EXPECT_LT(excerpt.size(), 80u);
}

TEST(ExcerptTest, ControlAndInvalidBytesAreShownEscaped) {
  EXPECT_EQ(Excerpt(std::string("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(Excerpt("a\xFF" "b"), "\"a\\xFFb\"");
  EXPECT_EQ(Excerpt("say \"hi\""), "\"say \\\"hi\\\"\"");
  // An overlong encoding of '/' and a lone surrogate are not UTF-8.
  EXPECT_EQ(Excerpt("\xC0\xAF"), "\"\\xC0\\xAF\"");
  EXPECT_EQ(Excerpt("\xED\xA0\x80"), "\"\\xED\\xA0\\x80\"");
}

TEST(ExcerptTest, NeverCutsInsideACharacter) {
  // 30 two-byte characters: 60 bytes, cut at 48 exactly between characters.
  std::string text;
  for (int i = 0; i < 30; ++i) text += "\xC3\xA9";
  const std::string excerpt = Excerpt(text);
  EXPECT_THAT(excerpt, StartsWith("\"" + text.substr(0, 48) + "\""));
  // 47 ASCII bytes then a 3-byte character: the character is left out whole.
  const std::string mixed = std::string(47, 'x') + "\xE2\x82\xAC" + "tail";
  EXPECT_THAT(Excerpt(mixed), StartsWith("\"" + std::string(47, 'x') + "\"\xE2\x80\xA6"));
}

TEST(TruncateUtf8Test, KeepsShortTextAndCutsLongTextOnACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  const std::string cut = TruncateUtf8(std::string(20, 'a'), 10);
  EXPECT_EQ(cut, std::string(7, 'a') + "\xE2\x80\xA6");
  EXPECT_LE(TruncateUtf8("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6).size(), 6u);
  EXPECT_EQ(TruncateUtf8("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6), "\xC3\xA9\xE2\x80\xA6");
}

TEST(BoundStatusTest, StatusWithinBoundsIsUnchanged) {
  const grpc::Status status = InvalidField("name", "is required", "AIP-133");
  const grpc::Status bounded = BoundStatus(status);
  EXPECT_EQ(bounded.error_message(), status.error_message());
  EXPECT_EQ(bounded.error_details(), status.error_details());
}

TEST(BoundStatusTest, HugeMessageAndDetailsAreCutButTheReasonAndFieldSurvive) {
  const std::string huge(100 * 1024, 'n');
  // Built by hand, as a handler that echoes its input would.
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("name");
  violation->set_description(huge);
  google::rpc::ErrorInfo info;
  info.set_reason("ERROR_REASON_INVALID_FIELD");
  info.set_domain("council.gov.uk");
  (*info.mutable_metadata())["field"] = "name";
  (*info.mutable_metadata())["value"] = huge;
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(huge);
  details.add_details()->PackFrom(bad_request);
  details.add_details()->PackFrom(info);
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, huge, details.SerializeAsString());

  const grpc::Status bounded = BoundStatus(status);
  EXPECT_EQ(bounded.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(bounded.error_message().size(), kMaxErrorMessageBytes);
  EXPECT_LE(bounded.error_details().size(), kMaxErrorDetailsBytes);
  EXPECT_EQ(ErrorInfoReason(bounded), "ERROR_REASON_INVALID_FIELD");
  EXPECT_EQ(ErrorInfoMetadata(bounded, "field"), "name");
  ASSERT_EQ(FieldViolationsOf(bounded).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(bounded)[0].field, "name");
}

TEST(BoundStatusTest, UnparsableDetailsAreDroppedNotPassedOn) {
  const grpc::Status status(grpc::StatusCode::INTERNAL, std::string(5000, 'm'),
                            std::string(5000, '\xFF'));
  const grpc::Status bounded = BoundStatus(status);
  EXPECT_TRUE(bounded.error_details().empty());
  EXPECT_LE(bounded.error_message().size(), kMaxErrorMessageBytes);
}

TEST(BoundStatusTest, BuiltErrorsAreBoundedAtTheSource) {
  const grpc::Status status = InvalidField(std::string(20000, 'f'), std::string(20000, 'd'));
  EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
  EXPECT_LE(status.error_details().size(), kMaxErrorDetailsBytes);
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INVALID_FIELD");
}

}  // namespace
}  // namespace council
