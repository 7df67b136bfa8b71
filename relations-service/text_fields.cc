#include "relations-service/text_fields.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors/grpc_errors.h"
#include "google/protobuf/descriptor.h"

namespace council::relations {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kRule[] = "text fields hold no control characters but tab and line breaks";

// The first forbidden byte of `text`: its value and its character position
// (1-based; counted in code points, as the user sees the text).
struct Forbidden {
  unsigned char byte;
  size_t character;
};

std::optional<Forbidden> FirstForbidden(const std::string& text) {
  size_t character = 0;
  for (unsigned char c : text) {
    // UTF-8 continuation bytes do not start a character; control characters
    // are all single bytes, so no multi-byte sequence contains one.
    if ((c & 0xC0) != 0x80) ++character;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
      return Forbidden{c, character};
  }
  return std::nullopt;
}

grpc::Status Refuse(const std::string& field, const Forbidden& found) {
  return InvalidField(field,
                      absl::StrFormat("contains a control character (U+%04X at character %d)",
                                      static_cast<unsigned>(found.byte), found.character),
                      kRule);
}

grpc::Status Check(const Message& message, const std::string& prefix, int depth) {
  // Records nest a level or two; the bound only guards against a recursive
  // message type being abused.
  if (depth > 16) return grpc::Status::OK;
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // set fields, in field-number order
  for (const FieldDescriptor* field : fields) {
    const std::string path = absl::StrCat(prefix, field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i)
          if (auto found = FirstForbidden(reflection->GetRepeatedString(message, field, i)))
            return Refuse(absl::StrCat(path, "[", i, "]"), *found);
      } else if (auto found = FirstForbidden(reflection->GetString(message, field))) {
        return Refuse(path, *found);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i)
          if (auto s = Check(reflection->GetRepeatedMessage(message, field, i),
                             absl::StrCat(path, "[", i, "]."), depth + 1);
              !s.ok())
            return s;
      } else if (auto s = Check(reflection->GetMessage(message, field), path + ".", depth + 1);
                 !s.ok()) {
        return s;
      }
    }
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CheckTextFields(const Message& message, absl::string_view prefix) {
  return Check(message, std::string(prefix), 0);
}

}  // namespace council::relations
