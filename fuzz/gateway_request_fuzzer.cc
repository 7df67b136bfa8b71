// Fuzzes the gateway's look at raw request frames (gateway/request_screen.h):
// the first byte picks one of the suite's methods and a split point, the rest
// is the frame, given to the screen as a ByteBuffer of two slices as gRPC
// hands them over. Whatever the bytes, the screen answers OK or
// INVALID_ARGUMENT with a bounded message; and a frame it passes decodes as
// the method's request type.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/server/caller.h"
#include "fuzz/fuzz_check.h"
#include "gateway/method_policy.h"
#include "gateway/request_screen.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace {

struct Methods {
  std::vector<std::string> names;
  std::vector<const google::protobuf::Descriptor*> inputs;
};

const Methods& SuiteMethods() {
  static const Methods* methods = [] {
    auto* out = new Methods;
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const std::string& service_name : council::gateway::SuiteServices()) {
      const auto* service = pool->FindServiceByName(service_name);
      if (service == nullptr) continue;
      for (int i = 0; i < service->method_count(); ++i) {
        out->names.push_back(council::FullMethodName(service_name, service->method(i)->name()));
        out->inputs.push_back(service->method(i)->input_type());
      }
    }
    return out;
  }();
  return *methods;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const council::gateway::RequestScreen screen;
  const Methods& methods = SuiteMethods();
  if (size < 1 || methods.names.empty()) return 0;
  const size_t pick = data[0] % methods.names.size();
  const std::string frame(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t split = frame.empty() ? 0 : data[0] % (frame.size() + 1);

  grpc::Slice slices[2] = {grpc::Slice(frame.substr(0, split)), grpc::Slice(frame.substr(split))};
  grpc::ByteBuffer buffer(slices, 2);
  const grpc::Status status = screen.Screen(methods.names[pick], &buffer, 0);
  FUZZ_CHECK(status.ok() || status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  FUZZ_CHECK(status.error_message().size() <= kMaxFuzzedMessageBytes);
  FUZZ_CHECK(status.error_details().size() <= 4096);

  // The same frame in one piece gets the same answer.
  const grpc::Status whole = screen.ScreenBytes(methods.names[pick], frame, 0);
  FUZZ_CHECK(whole.error_code() == status.error_code());

  if (status.ok()) {
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> message(
        factory.GetPrototype(methods.inputs[pick])->New());
    FUZZ_CHECK(message->ParseFromString(frame));
  }
  return 0;
}
