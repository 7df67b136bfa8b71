// grpc_errors.h — the one place where the suite turns problems into gRPC
// statuses with `google.rpc.Status` details.
//
// Every service reports bad input, missing resources and rule refusals the same
// way, so a client can act on them without parsing messages:
//
//   if (request.person_id().empty())
//     return InvalidField("person_id", "is required", "AIP-133");
//
// The status carries an `ErrorInfo` (reason from council.common.v1.ErrorReason,
// domain "council.gov.uk", metadata) and, depending on the kind, a `BadRequest`
// field violation or a `PreconditionFailure` naming the clause. Storage and
// driver errors become neutral codes here; their raw text is logged, never sent.
#ifndef COUNCIL_COMMON_ERRORS_GRPC_ERRORS_H_
#define COUNCIL_COMMON_ERRORS_GRPC_ERRORS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "council/common/v1/common.pb.h"
#include "grpcpp/support/status.h"

namespace council {

inline constexpr absl::string_view kErrorDomain = "council.gov.uk";

// InvalidField
//
// Returns INVALID_ARGUMENT naming `field` (a path such as "person.start_date"),
// what is wrong with it, and the rule that requires it.
grpc::Status InvalidField(absl::string_view field, absl::string_view description,
                          absl::string_view rule = {});

// NotFound
//
// Returns NOT_FOUND for the resource name `resource`.
grpc::Status NotFound(absl::string_view resource);

// AlreadyExists
//
// Returns ALREADY_EXISTS for the resource name `resource`.
grpc::Status AlreadyExists(absl::string_view resource);

// RuleForbids
//
// Returns FAILED_PRECONDITION because a clause of the council's protocol forbids
// the operation: `clause` such as "Middlesbrough 14.5", `subject` the resource
// concerned, `description` what the caller must do or know.
grpc::Status RuleForbids(absl::string_view clause, absl::string_view subject,
                         absl::string_view description);

// PermissionDenied
//
// Returns PERMISSION_DENIED with the reason and any metadata (for example the
// method and the caller's roles).
grpc::Status PermissionDenied(absl::string_view message,
                              council::common::v1::ErrorReason reason,
                              const std::map<std::string, std::string>& metadata = {});

// Unauthenticated
//
// Returns UNAUTHENTICATED with `reason` in the message and an ErrorInfo. Never
// pass secrets or tokens.
grpc::Status Unauthenticated(absl::string_view message,
                             council::common::v1::ErrorReason reason =
                                 council::common::v1::ERROR_REASON_UNAUTHENTICATED);

// FromAbsl
//
// Converts an absl::Status from the storage or library layers. Codes that are
// safe to show (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS,
// FAILED_PRECONDITION, UNAUTHENTICATED, PERMISSION_DENIED) keep their message;
// UNAVAILABLE becomes a retryable "storage busy"; anything else is logged with
// `context` and becomes INTERNAL without the raw text.
grpc::Status FromAbsl(const absl::Status& status, absl::string_view context);

// ErrorInfoReason
//
// Returns the ErrorInfo reason in `status`'s details, or empty (for tests and
// clients).
std::string ErrorInfoReason(const grpc::Status& status);

// ErrorInfoMetadata
//
// Returns the value of `key` in the ErrorInfo metadata of `status`, or empty.
std::string ErrorInfoMetadata(const grpc::Status& status, absl::string_view key);

// FieldViolations
//
// Returns "field: description" for each BadRequest violation in `status`.
std::vector<std::string> FieldViolations(const grpc::Status& status);

}  // namespace council

#endif  // COUNCIL_COMMON_ERRORS_GRPC_ERRORS_H_
