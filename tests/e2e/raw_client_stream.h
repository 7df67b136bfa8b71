// raw_client_stream.h — a client-streaming call whose messages are raw bytes,
// for tests that must send what no typed stub would: a chunk that does not
// parse (invalid UTF-8 in a string field, a truncated message) between good
// ones.
//
// Uses grpc::GenericStub, so the bytes reach the server (directly, or
// through the gateway, which forwards frames without parsing them) exactly
// as given:
//
//   std::vector<grpc::ByteBuffer> messages = {Serialized(good), RawBytes("\x0a\x02\xff\xfe")};
//   RawStreamResult result = CallClientStream(channel, &context,
//       "/council.relations.v1.RelationsService/StreamImportDirectory", messages);
//   EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
//
// Header-only: the relations, access and end-to-end test binaries all use it.
#ifndef COUNCIL_TESTS_E2E_RAW_CLIENT_STREAM_H_
#define COUNCIL_TESTS_E2E_RAW_CLIENT_STREAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "grpcpp/support/status.h"

namespace council::test_streams {

// `bytes` as one message, unparsed.
inline grpc::ByteBuffer RawBytes(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// `message` serialized, as a typed stub would send it.
inline grpc::ByteBuffer Serialized(const google::protobuf::Message& message) {
  return RawBytes(message.SerializeAsString());
}

struct RawStreamResult {
  grpc::Status status;
  // The response message's bytes when the call succeeded.
  std::string response;
  // How many of the messages were written before the server ended the call.
  int written = 0;
};

// CallClientStream
//
// Opens `method` on `channel` with `context` (metadata and deadline already
// set), writes `messages` in order, half-closes and returns the server's
// answer. Each step waits for the previous one, so every tag is unambiguous.
inline RawStreamResult CallClientStream(const std::shared_ptr<grpc::Channel>& channel,
                                        grpc::ClientContext* context, const std::string& method,
                                        const std::vector<grpc::ByteBuffer>& messages) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  RawStreamResult result;
  auto call = stub.PrepareCall(context, method, &cq);
  int next_tag = 0;
  // Starts one operation with `start(tag)` and waits for it; false if it failed.
  auto step = [&](auto start) {
    void* tag = reinterpret_cast<void*>(static_cast<intptr_t>(++next_tag));
    start(tag);
    void* got = nullptr;
    bool ok = false;
    if (!cq.Next(&got, &ok) || got != tag) return false;
    return ok;
  };
  bool open = step([&](void* tag) { call->StartCall(tag); });
  for (const auto& message : messages) {
    if (!open) break;
    open = step([&](void* tag) { call->Write(message, tag); });
    if (open) ++result.written;
  }
  if (open) step([&](void* tag) { call->WritesDone(tag); });
  grpc::ByteBuffer response;
  if (step([&](void* tag) { call->Read(&response, tag); })) {
    std::vector<grpc::Slice> slices;
    if (response.Dump(&slices).ok())
      for (const auto& slice : slices)
        result.response.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  step([&](void* tag) { call->Finish(&result.status, tag); });
  cq.Shutdown();
  void* ignored_tag = nullptr;
  bool ignored_ok = false;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  return result;
}

}  // namespace council::test_streams

#endif  // COUNCIL_TESTS_E2E_RAW_CLIENT_STREAM_H_
