// bounded_status.h — error messages that never grow with the input.
//
// A status travels in HTTP/2 trailers, which both ends cap (gRPC's default is
// 8 KiB of metadata): a message that echoes a 100 KB field makes the caller's
// transport refuse the whole answer and tear the stream down, and an echo of
// hostile bytes ends up in every log on the way. So the suite echoes input
// only as a short excerpt, and every status that leaves a process passes
// through BoundStatus:
//
//   return absl::InvalidArgumentError(
//       absl::StrCat("name: ", Excerpt(name), " is not a valid person name"));
//   ...
//   methods->ModifySendStatus(BoundStatus(status));  // the last safety net
#ifndef COUNCIL_COMMON_ERRORS_BOUNDED_STATUS_H_
#define COUNCIL_COMMON_ERRORS_BOUNDED_STATUS_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace council {

// The most of a status message sent to a caller, in bytes.
inline constexpr size_t kMaxErrorMessageBytes = 1024;
// The most of a status's serialized google.rpc.Status details, in bytes: with
// the message, well inside gRPC's 8 KiB metadata default.
inline constexpr size_t kMaxErrorDetailsBytes = 4096;

// Excerpt
//
// Returns `input` quoted, if it is at most `max_bytes` long, printable UTF-8
// and free of control characters; otherwise its first whole characters up to
// `max_bytes`, with control and invalid bytes shown as "\xNN", quoted and
// followed by how long the whole is:
//
//   Excerpt("people/ada")            == "\"people/ada\""
//   Excerpt(std::string(100000, 'a')) == "\"aaaa…aaaa\"… (100000 bytes)"
std::string Excerpt(absl::string_view input, size_t max_bytes = 48);

// TruncateUtf8
//
// Returns the longest prefix of `text` of at most `max_bytes` that does not
// end inside a UTF-8 sequence, with "…" appended when anything was cut.
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// BoundStatus
//
// Returns `status` with its message cut to kMaxErrorMessageBytes and its
// details to kMaxErrorDetailsBytes: every string in the ErrorInfo, BadRequest,
// PreconditionFailure, ResourceInfo and RetryInfo details is cut to a few
// hundred bytes, details of any other type are dropped, and if that is still
// too big only the ErrorInfo is kept. Details that do not parse as a
// google.rpc.Status are dropped. A status within bounds is returned as it is.
grpc::Status BoundStatus(const grpc::Status& status);

}  // namespace council

#endif  // COUNCIL_COMMON_ERRORS_BOUNDED_STATUS_H_
