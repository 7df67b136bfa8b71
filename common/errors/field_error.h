// field_error.h — an absl INVALID_ARGUMENT that remembers which request field
// it is about, for the layers below the servers (resource names, dates, page
// sizes and tokens) that return absl statuses.
//
// The field and the rule travel as a status payload, so FromAbsl
// (grpc_errors.h) turns the status into exactly what InvalidField gives: an
// ErrorInfo (ERROR_REASON_INVALID_FIELD) and a BadRequest naming the field.
// Servers need not re-wrap such statuses, and cannot forget to:
//
//   absl::Status s = FieldError("document", "is not a valid documents resource name", "AIP-122");
//   return FromAbsl(s, "GetDocument");   // INVALID_ARGUMENT, BadRequest{document}
#ifndef COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_
#define COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

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

}  // namespace council

#endif  // COUNCIL_COMMON_ERRORS_FIELD_ERROR_H_
