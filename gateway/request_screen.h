// request_screen.h — the gateway's look at every request message before it
// is forwarded.
//
// The gateway forwards bytes, so a request that is not protobuf, a string
// that is not UTF-8, a 100 KB "name" or a NUL byte in a text field would
// otherwise reach a backend, which would fail on it its own way (a parse
// error without detail, a stored NUL, an echo of the whole field). The screen
// decodes each message as the method's request type and walks every field
// that is set, so outsiders get one clear answer for all such input:
//
//   INVALID_ARGUMENT, ERROR_REASON_MALFORMED_REQUEST   the bytes do not decode
//   INVALID_ARGUMENT, ERROR_REASON_INVALID_FIELD       a string too long or
//       with a control character, or an enum number the schema does not
//       name; the BadRequest names the field's path
//       ("chunk.people[3].display_name")
//
// Both carry the message's position in its stream (metadata "message",
// counting from 0) and echo no input beyond a short excerpt. The limits are
// generous bounds for any field; each service still applies its own, tighter
// ones (a title's 1,000 characters, a complaint's 10,000).
#ifndef COUNCIL_GATEWAY_REQUEST_SCREEN_H_
#define COUNCIL_GATEWAY_REQUEST_SCREEN_H_

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/status.h"

namespace council::gateway {

// The longest string any field may hold, in bytes: above every service's own
// limit (10,000 characters of UTF-8 text is at most 40,000 bytes).
inline constexpr size_t kMaxFieldBytes = 40000;

class RequestScreen {
 public:
  // Knows the request type of every method of the suite's services.
  RequestScreen();

  // Screen
  //
  // Checks `message`, the `index`th request message of a call to `method`
  // ("/package.Service/Method"). OK for a method the screen does not know
  // (the policy refuses those before anything is read).
  grpc::Status Screen(absl::string_view method, grpc::ByteBuffer* message, int index) const;

  // ScreenBytes
  //
  // As Screen, for a message already in one piece (fuzzing and tests).
  grpc::Status ScreenBytes(absl::string_view method, absl::string_view bytes, int index) const;

  // CheckFields
  //
  // The field checks alone, on a decoded message; OK or INVALID_ARGUMENT.
  static grpc::Status CheckFields(const google::protobuf::Message& message, int index);

 private:
  const google::protobuf::Message* PrototypeFor(absl::string_view method) const;

  // Full method name -> default instance of its request type.
  absl::flat_hash_map<std::string, const google::protobuf::Message*> prototypes_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_REQUEST_SCREEN_H_
