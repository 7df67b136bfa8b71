// access_server_internal.h — helpers shared by the access_server*.cc files.
// Not part of the service's interface.
#ifndef COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_INTERNAL_H_
#define COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_INTERNAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/support/status.h"

namespace council::access::internal {

inline constexpr char kService[] = "council.access.v1.AccessService";
inline constexpr int kMaxText = 4000;

// Declares `const Caller& caller` for the method, or returns UNAUTHENTICATED.
#define COUNCIL_ACCESS_AUTHENTICATE(caller, method)                   \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context,     \
                                 ::council::FullMethodName(           \
                                     ::council::access::internal::kService, method))

// INVALID_ARGUMENT from a ParseName/ToCivilDay/PageSize/DecodePageToken
// status, with the ErrorInfo and the BadRequest naming its field (FromAbsl).
inline grpc::Status Invalid(const absl::Status& status) { return FromAbsl(status, "request"); }

inline google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
}

// UNAVAILABLE because relations-service (the council directory) could not be
// asked: retryable, with an ErrorInfo naming the service.
inline absl::Status DirectoryUnreachable(absl::string_view message) {
  return WithReason(absl::UnavailableError(message),
                    common::v1::ERROR_REASON_BACKEND_UNAVAILABLE,
                    {{"service", "council.relations.v1.RelationsService"}});
}

// Maps a relations-service failure: NOT_FOUND keeps its message, a failed
// precondition becomes RuleForbids under `clause`, anything else UNAVAILABLE
// (retry).
inline grpc::Status RelationsError(const absl::Status& status, absl::string_view clause,
                                   absl::string_view subject) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return NotFound(subject);
    case absl::StatusCode::kFailedPrecondition:
      return RuleForbids(clause, subject, status.message());
    default:
      return FromAbsl(DirectoryUnreachable(
                          absl::StrCat("cannot reach the council directory: ", status.message())),
                      "relations-service");
  }
}

}  // namespace council::access::internal

#endif  // COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_INTERNAL_H_
