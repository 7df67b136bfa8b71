#include "gateway/request_screen.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/bounded_status.h"
#include "common/errors/field_error.h"
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

// One step of the way from the request to a field: the field, and the
// element's index in a repeated field (-1 for a singular one).
struct Step {
  const FieldDescriptor* field;
  int index;
};

// "chunk.people[3].display_name" for the steps of `trail`.
std::string PathOf(const std::vector<Step>& trail) {
  std::string path;
  for (const Step& step : trail) {
    if (!path.empty()) path += '.';
    absl::StrAppend(&path, step.field->name());
    if (step.index >= 0) absl::StrAppend(&path, "[", step.index, "]");
  }
  return path;
}

// The problem with one value of `field` (element `index`, or -1), if it is
// a string or an enum, else empty; a message value is walked by the caller.
std::string ValueProblem(const Message& message, const Reflection* reflection,
                         const FieldDescriptor* field, int index) {
  std::string scratch;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return StringProblem(
          index < 0 ? reflection->GetStringReference(message, field, &scratch)
                    : reflection->GetRepeatedStringReference(message, field, index, &scratch));
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumProblem(field, index < 0
                                    ? reflection->GetEnumValue(message, field)
                                    : reflection->GetRepeatedEnumValue(message, field, index));
    default:
      return {};
  }
}

// Finds the first bad string or enum value under `message`: returns true
// with `trail` leading to it and `problem` saying what is wrong. The path is
// only spelled out for a bad value, so a good request costs no allocation
// per field.
bool FindBadValue(const Message& message, std::vector<Step>* trail, std::string* problem) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const FieldDescriptor::CppType type = field->cpp_type();
    if (type != FieldDescriptor::CPPTYPE_STRING && type != FieldDescriptor::CPPTYPE_ENUM &&
        type != FieldDescriptor::CPPTYPE_MESSAGE)
      continue;
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const int index = field->is_repeated() ? i : -1;
      trail->push_back({field, index});
      if (type == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& child = index < 0 ? reflection->GetMessage(message, field)
                                         : reflection->GetRepeatedMessage(message, field, index);
        if (FindBadValue(child, trail, problem)) return true;
      } else {
        *problem = ValueProblem(message, reflection, field, index);
        if (!problem->empty()) return true;
      }
      trail->pop_back();
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
  const std::string type = prototype.GetDescriptor()->full_name();
  return FromAbsl(
      WithReason(absl::InvalidArgumentError(absl::StrCat(
                     "request message ", index, " is not a valid ", type,
                     " (not protobuf, or a string field that is not UTF-8); nothing was done")),
                 common::v1::ERROR_REASON_MALFORMED_REQUEST,
                 {{"message", absl::StrCat(index)}, {"type", type}}),
      "request screen");
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
  std::vector<Step> trail;
  std::string problem;
  if (!FindBadValue(message, &trail, &problem)) return grpc::Status::OK;
  return WithMessageIndex(InvalidField(PathOf(trail), problem, kRule), index);
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
