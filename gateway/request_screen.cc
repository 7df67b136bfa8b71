#include "gateway/request_screen.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/bounded_status.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "gateway/method_policy.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace council::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kRule = "gateway request limits";

// A problem with one string: empty if none.
std::string StringProblem(const std::string& value) {
  if (value.size() > kMaxFieldBytes)
    return absl::StrCat("must be at most ", kMaxFieldBytes, " bytes (it has ", value.size(),
                        ")");
  for (size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    // Tabs and line breaks belong in text; other control characters (NUL
    // above all) belong in no council record.
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F)
      return absl::StrCat("must not contain control characters (byte ", i, " is 0x",
                          absl::Hex(byte, absl::kZeroPad2), ")");
  }
  return {};
}

// A problem with one enum value: empty if none. Proto3 enums are open (any
// number decodes), so a number the schema does not name is caught here,
// before a service mistakes it for "unspecified" or stores it.
std::string EnumProblem(const FieldDescriptor* field, int value) {
  if (field->enum_type()->FindValueByNumber(value) != nullptr) return {};
  return absl::StrCat("is not a value of ", field->enum_type()->full_name(), " (it is ", value,
                      ")");
}

// The first bad string or enum value under `message`, as its path and
// problem; false if none.
bool FindBadString(const Message& message, const std::string& prefix, std::string* path,
                   std::string* problem) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = absl::StrCat(prefix, field->name());
    const bool string_field = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    const bool message_field = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    const bool enum_field = field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM;
    if (!string_field && !message_field && !enum_field) continue;
    if (!field->is_repeated()) {
      if (enum_field) {
        *problem = EnumProblem(field, reflection->GetEnumValue(message, field));
        if (!problem->empty()) {
          *path = name;
          return true;
        }
      } else if (string_field) {
        std::string scratch;
        *problem = StringProblem(reflection->GetStringReference(message, field, &scratch));
        if (!problem->empty()) {
          *path = name;
          return true;
        }
      } else if (FindBadString(reflection->GetMessage(message, field), name + ".", path,
                               problem)) {
        return true;
      }
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      const std::string element = absl::StrCat(name, "[", i, "]");
      if (enum_field) {
        *problem = EnumProblem(field, reflection->GetRepeatedEnumValue(message, field, i));
        if (!problem->empty()) {
          *path = element;
          return true;
        }
      } else if (string_field) {
        std::string scratch;
        *problem =
            StringProblem(reflection->GetRepeatedStringReference(message, field, i, &scratch));
        if (!problem->empty()) {
          *path = element;
          return true;
        }
      } else if (FindBadString(reflection->GetRepeatedMessage(message, field, i),
                               element + ".", path, problem)) {
        return true;
      }
    }
  }
  return false;
}

// InvalidField, with the message's position in its stream added to the
// ErrorInfo (so a client streaming chunks knows which one).
grpc::Status WithMessageIndex(const grpc::Status& status, int index) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return status;
  for (auto& any : *details.mutable_details()) {
    google::rpc::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    (*info.mutable_metadata())["message"] = absl::StrCat(index);
    any.PackFrom(info);
  }
  return grpc::Status(status.error_code(), status.error_message(), details.SerializeAsString());
}

grpc::Status Malformed(const Message& prototype, int index) {
  google::rpc::ErrorInfo info;
  info.set_reason(common::v1::ErrorReason_Name(common::v1::ERROR_REASON_MALFORMED_REQUEST));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["message"] = absl::StrCat(index);
  (*info.mutable_metadata())["type"] = prototype.GetDescriptor()->full_name();
  const std::string text =
      absl::StrCat("request message ", index, " is not a valid ",
                   prototype.GetDescriptor()->full_name(),
                   " (not protobuf, or a string field that is not UTF-8); nothing was done");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(text);
  details.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, text, details.SerializeAsString());
}

}  // namespace

RequestScreen::RequestScreen() {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  for (const std::string& service_name : SuiteServices()) {
    const auto* service = pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      prototypes_[FullMethodName(service_name, method->name())] =
          factory->GetPrototype(method->input_type());
    }
  }
}

const Message* RequestScreen::PrototypeFor(absl::string_view method) const {
  auto it = prototypes_.find(method);
  return it == prototypes_.end() ? nullptr : it->second;
}

grpc::Status RequestScreen::CheckFields(const Message& message, int index) {
  std::string path;
  std::string problem;
  if (!FindBadString(message, "", &path, &problem)) return grpc::Status::OK;
  return WithMessageIndex(InvalidField(path, problem, kRule), index);
}

grpc::Status RequestScreen::Screen(absl::string_view method, grpc::ByteBuffer* bytes,
                                   int index) const {
  const Message* prototype = PrototypeFor(method);
  if (prototype == nullptr) return grpc::Status::OK;
  google::protobuf::Arena arena;
  Message* message = prototype->New(&arena);
  // Reads the buffer's slices in place; the buffer is forwarded unchanged.
  grpc::ProtoBufferReader reader(bytes);
  if (!reader.status().ok() || !message->ParseFromZeroCopyStream(&reader))
    return Malformed(*prototype, index);
  return CheckFields(*message, index);
}

grpc::Status RequestScreen::ScreenBytes(absl::string_view method, absl::string_view bytes,
                                        int index) const {
  const Message* prototype = PrototypeFor(method);
  if (prototype == nullptr) return grpc::Status::OK;
  google::protobuf::Arena arena;
  Message* message = prototype->New(&arena);
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Malformed(*prototype, index);
  return CheckFields(*message, index);
}

}  // namespace council::gateway
