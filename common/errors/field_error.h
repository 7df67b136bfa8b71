// field_error.h — the one module that builds absl statuses carrying what a
// client needs to act on them, for the layers below the servers (resource
// names, dates, page tokens, stores, rules) that return absl statuses.
//
// The field, resource, clause or reason travels as a status payload, so
// FromAbsl (grpc_errors.h), the one conversion every handler ends in, turns
// the status into the same details the grpc_errors.h builders give: an
// ErrorInfo always, plus a BadRequest naming the field, a ResourceInfo naming
// the resource or a PreconditionFailure naming the clause. Servers need not
// re-wrap such statuses, and cannot forget to:
//
//   absl::Status s = FieldError("document", "is not a valid documents resource name", "AIP-122");
//   return FromAbsl(s, "GetDocument");   // INVALID_ARGUMENT, BadRequest{document}
//
//   return ResourceNotFoundError(name);                       // NOT_FOUND, ResourceInfo
//   return RuleForbidsError(clause.clause(), name, "...");    // FAILED_PRECONDITION
//   return WithReason(absl::UnavailableError("..."),          // any code, any reason
//                     common::v1::ERROR_REASON_BACKEND_UNAVAILABLE, {{"service", "..."}});
#ifndef COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_
#define COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "council/common/v1/common.pb.h"

namespace council {

// FieldError
//
// Returns INVALID_ARGUMENT with the message "<field>: <description>" and a
// payload naming `field` and `rule` (may be empty), for FieldErrorOf.
absl::Status FieldError(absl::string_view field, absl::string_view description,
                        absl::string_view rule = {});

// The field, description and rule a FieldError carries.
struct FieldErrorParts {
  std::string field;
  std::string description;
  std::string rule;
};

// FieldErrorOf
//
// Returns the parts of a status made by FieldError; nullopt for any other
// status (including OK and an INVALID_ARGUMENT without the payload).
std::optional<FieldErrorParts> FieldErrorOf(const absl::Status& status);

// ResourceNotFoundError
//
// Returns NOT_FOUND about the resource name `resource`, with the message
// "<resource> not found" or, if given, `message`; FromAbsl adds a
// ResourceInfo naming it.
absl::Status ResourceNotFoundError(absl::string_view resource, absl::string_view message = {});

// ResourceExistsError
//
// Returns ALREADY_EXISTS about `resource`, as ResourceNotFoundError.
absl::Status ResourceExistsError(absl::string_view resource, absl::string_view message = {});

// RuleForbidsError
//
// Returns FAILED_PRECONDITION because `clause` of the council's protocol (such
// as "Middlesbrough 14.5", never a file name) forbids the operation on
// `subject`; the message is "<description> (<clause>)". FromAbsl makes it
// what RuleForbids gives.
absl::Status RuleForbidsError(absl::string_view clause, absl::string_view subject,
                              absl::string_view description);

// WithReason
//
// Returns `status` (which must not be OK) carrying `reason` and `metadata` for
// its ErrorInfo; the message is sent as it is, so it must be fit for callers.
// A positive `retry_delay` becomes a RetryInfo (how long to wait before
// retrying). Replaces any payload made here before.
absl::Status WithReason(absl::Status status, common::v1::ErrorReason reason,
                        const std::map<std::string, std::string>& metadata = {},
                        absl::Duration retry_delay = absl::ZeroDuration());

// What ResourceNotFoundError, ResourceExistsError, RuleForbidsError and
// WithReason attach.
struct ErrorPayload {
  common::v1::ErrorReason reason = common::v1::ERROR_REASON_UNSPECIFIED;
  // ErrorInfo metadata; "resource" becomes a ResourceInfo, "clause" and
  // "subject" a PreconditionFailure.
  std::map<std::string, std::string> metadata;
  // A RetryInfo's delay, if positive.
  absl::Duration retry_delay = absl::ZeroDuration();
};

// ErrorPayloadOf
//
// Returns the payload of a status made by the functions above; nullopt for
// any other status (a FieldError included: see FieldErrorOf).
std::optional<ErrorPayload> ErrorPayloadOf(const absl::Status& status);

}  // namespace council

#endif  // COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_
