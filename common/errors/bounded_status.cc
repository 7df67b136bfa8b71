#include "common/errors/bounded_status.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace council {
namespace {

// Each string inside a detail, once bounded.
constexpr size_t kMaxDetailStringBytes = 256;
// BadRequest violations kept when the details are too big.
constexpr int kMaxViolationsKept = 20;

// The length of the valid UTF-8 sequence starting at `text[i]`, or 0.
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  uint32_t min_code_point = 0;
  if (byte < 0x80) return 1;
  if ((byte & 0xE0) == 0xC0) {
    length = 2;
    min_code_point = 0x80;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
    min_code_point = 0x800;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
    min_code_point = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  uint32_t code_point = byte & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  // Overlong encodings, surrogates and values past Unicode are not UTF-8.
  if (code_point < min_code_point || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF))
    return 0;
  return length;
}

bool IsControl(unsigned char byte) { return byte < 0x20 || byte == 0x7F; }

std::string Bounded(const std::string& text) { return TruncateUtf8(text, kMaxDetailStringBytes); }

void BoundStrings(google::rpc::ErrorInfo* info) {
  info->set_reason(Bounded(info->reason()));
  info->set_domain(Bounded(info->domain()));
  google::protobuf::Map<std::string, std::string> bounded;
  for (const auto& [key, value] : info->metadata()) bounded[Bounded(key)] = Bounded(value);
  *info->mutable_metadata() = std::move(bounded);
}

// Cuts every string of the details we know; drops the rest. Returns whether
// anything of `any` is kept.
bool BoundDetail(google::protobuf::Any* any) {
  if (google::rpc::ErrorInfo info; any->UnpackTo(&info)) {
    BoundStrings(&info);
    any->PackFrom(info);
    return true;
  }
  if (google::rpc::BadRequest bad; any->UnpackTo(&bad)) {
    google::rpc::BadRequest kept;
    for (int i = 0; i < bad.field_violations_size() && i < kMaxViolationsKept; ++i) {
      auto* violation = kept.add_field_violations();
      violation->set_field(Bounded(bad.field_violations(i).field()));
      violation->set_description(Bounded(bad.field_violations(i).description()));
    }
    any->PackFrom(kept);
    return true;
  }
  if (google::rpc::PreconditionFailure failure; any->UnpackTo(&failure)) {
    google::rpc::PreconditionFailure kept;
    for (int i = 0; i < failure.violations_size() && i < kMaxViolationsKept; ++i) {
      auto* violation = kept.add_violations();
      violation->set_type(Bounded(failure.violations(i).type()));
      violation->set_subject(Bounded(failure.violations(i).subject()));
      violation->set_description(Bounded(failure.violations(i).description()));
    }
    any->PackFrom(kept);
    return true;
  }
  if (google::rpc::ResourceInfo resource; any->UnpackTo(&resource)) {
    resource.set_resource_type(Bounded(resource.resource_type()));
    resource.set_resource_name(Bounded(resource.resource_name()));
    resource.set_owner(Bounded(resource.owner()));
    resource.set_description(Bounded(resource.description()));
    any->PackFrom(resource);
    return true;
  }
  if (any->Is<google::rpc::RetryInfo>()) return true;  // a duration: fixed size
  return false;
}

}  // namespace

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // …
  size_t end = 0;
  while (end < text.size()) {
    size_t length = Utf8SequenceLength(text, end);
    if (length == 0) length = 1;  // invalid byte: cut as a byte
    if (end + length + kEllipsis.size() > max_bytes) break;
    end += length;
  }
  return absl::StrCat(text.substr(0, end), kEllipsis);
}

std::string Excerpt(absl::string_view input, size_t max_bytes) {
  std::string out = "\"";
  size_t i = 0;
  while (i < input.size() && i < max_bytes) {
    const size_t length = Utf8SequenceLength(input, i);
    const auto byte = static_cast<unsigned char>(input[i]);
    if (length == 0 || (length == 1 && IsControl(byte))) {
      absl::StrAppendFormat(&out, "\\x%02X", byte);
      ++i;
    } else if (length == 1 && (byte == '"' || byte == '\\')) {
      absl::StrAppend(&out, "\\", input.substr(i, 1));
      ++i;
    } else {
      if (i + length > max_bytes) break;  // no half character
      absl::StrAppend(&out, input.substr(i, length));
      i += length;
    }
  }
  out += "\"";
  if (i < input.size()) absl::StrAppend(&out, "\xE2\x80\xA6 (", input.size(), " bytes)");
  return out;
}

grpc::Status BoundStatus(const grpc::Status& status) {
  if (status.error_message().size() <= kMaxErrorMessageBytes &&
      status.error_details().size() <= kMaxErrorDetailsBytes)
    return status;
  const std::string message = TruncateUtf8(status.error_message(), kMaxErrorMessageBytes);
  if (status.error_details().empty()) return grpc::Status(status.error_code(), message);
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details()))
    return grpc::Status(status.error_code(), message);
  details.set_message(message);
  google::rpc::Status kept;
  kept.set_code(details.code());
  kept.set_message(message);
  for (auto& any : *details.mutable_details())
    if (BoundDetail(&any)) *kept.add_details() = std::move(any);
  std::string serialized = kept.SerializeAsString();
  if (serialized.size() > kMaxErrorDetailsBytes) {
    // Still too big (many long metadata keys): the reason alone must get through.
    google::rpc::Status reason_only;
    reason_only.set_code(kept.code());
    reason_only.set_message(message);
    for (const auto& any : kept.details()) {
      google::rpc::ErrorInfo info;
      if (!any.UnpackTo(&info)) continue;
      info.clear_metadata();
      reason_only.add_details()->PackFrom(info);
      break;
    }
    serialized = reason_only.SerializeAsString();
  }
  return grpc::Status(status.error_code(), message, std::move(serialized));
}

}  // namespace council
