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

#include <cstddef>
#include <map>
#include <string>
#include <vector>

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

// FieldViolation
//
// One invalid field of a request: the field's path ("people[3].ward"), what is
// wrong with it, and the rule that requires it (may be empty).
struct FieldViolation {
  std::string field;
  std::string description;
  std::string rule;
};

// InvalidFields
//
// Returns INVALID_ARGUMENT with one BadRequest violation per entry of
// `violations` (which must not be empty), so a client can point at every bad
// record of a bulk request at once. `total` is how many were found, when the
// caller listed only some (see FieldViolationList); the message names the
// first and says how many there are ("... (250 invalid fields, the first 40
// listed)"). The ErrorInfo metadata carries the
// first `field` and the total as `violations`.
grpc::Status InvalidFields(const std::vector<FieldViolation>& violations, size_t total = 0);

// FieldViolationList
//
// Collects the violations of a bulk request's records, listing at most
// `max_listed` of them and at most `max_bytes` of their text, so the status
// stays well inside gRPC's 8 KiB trailing-metadata limit; the rest are only
// counted.
//
//   FieldViolationList violations;
//   for (int i = 0; i < request.people_size(); ++i)
//     violations.Add(ValidatePerson(request.people(i), absl::StrCat("people[", i, "].")));
//   if (!violations.empty()) return violations.ToStatus();
class FieldViolationList {
 public:
  explicit FieldViolationList(size_t max_listed = 100, size_t max_bytes = 3000)
      : max_listed_(max_listed), max_bytes_(max_bytes) {}

  // Add
  //
  // Records the field violations of a failed `status` (an OK status adds
  // nothing); a failure without field violations counts as one violation of
  // no field, described by its message. Returns `status.ok()`.
  bool Add(const grpc::Status& status);
  // Records one violation.
  void Add(FieldViolation violation);

  bool empty() const { return total_ == 0; }
  // How many were found, listed or not.
  size_t total() const { return total_; }
  const std::vector<FieldViolation>& listed() const { return listed_; }

  // ToStatus
  //
  // InvalidFields of the listed violations with the total; OK if empty.
  grpc::Status ToStatus() const;

 private:
  size_t max_listed_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  size_t total_ = 0;
  std::vector<FieldViolation> listed_;
};

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
// The one conversion every handler ends in: turns an absl::Status from the
// layers below the servers into a gRPC status that always carries an
// ErrorInfo. A status made by field_error.h keeps its payload: a FieldError
// becomes InvalidField, a RuleForbidsError RuleForbids (PreconditionFailure
// naming the clause), a ResourceNotFoundError / ResourceExistsError gets a
// ResourceInfo, and WithReason's reason and metadata go in the ErrorInfo (its
// retry delay in a RetryInfo), all with the status's own message. A status without a payload gets the reason
// its code implies:
//
//   INVALID_ARGUMENT    INVALID_FIELD (BadRequest: the "field: " the message
//                       starts with, else "request")
//   OUT_OF_RANGE        INVALID_FIELD            message kept
//   NOT_FOUND           RESOURCE_NOT_FOUND       message kept
//   ALREADY_EXISTS      RESOURCE_EXISTS          message kept
//   FAILED_PRECONDITION PRECONDITION_FAILED      message kept
//   ABORTED             CONCURRENT_MODIFICATION  message kept
//   UNAUTHENTICATED     UNAUTHENTICATED          message kept
//   PERMISSION_DENIED   METHOD_NOT_ALLOWED       message kept
//   UNIMPLEMENTED       UNIMPLEMENTED            message kept
//   CANCELLED           CANCELLED                "<context> was cancelled"
//   DEADLINE_EXCEEDED   DEADLINE_EXCEEDED        neutral message, logged
//   UNAVAILABLE         STORAGE_UNAVAILABLE      "storage busy; retry", logged
//   RESOURCE_EXHAUSTED  STORAGE_FULL             neutral message, logged
//   anything else       INTERNAL (code INTERNAL) "internal error in <context>",
//                                                 logged with the raw text
grpc::Status FromAbsl(const absl::Status& status, absl::string_view context);

// Internal
//
// Logs `status` with `context` and returns INTERNAL with reason
// ERROR_REASON_INTERNAL, without the raw text.
grpc::Status Internal(const absl::Status& status, absl::string_view context);

// ErrorInfoReason
//
// Returns the ErrorInfo reason in `status`'s details, or empty (for tests and
// clients).
std::string ErrorInfoReason(const grpc::Status& status);

// ErrorInfoDomain
//
// Returns the ErrorInfo domain in `status`'s details (kErrorDomain for every
// status the suite sends), or empty.
std::string ErrorInfoDomain(const grpc::Status& status);

// ResourceInfoName
//
// Returns the resource name of the ResourceInfo in `status`'s details, or empty.
std::string ResourceInfoName(const grpc::Status& status);

// ErrorInfoMetadata
//
// Returns the value of `key` in the ErrorInfo metadata of `status`, or empty.
std::string ErrorInfoMetadata(const grpc::Status& status, absl::string_view key);

// FieldViolations
//
// Returns "field: description" for each BadRequest violation in `status`.
std::vector<std::string> FieldViolations(const grpc::Status& status);

// PreconditionSubject
//
// Returns the subject of the first PreconditionFailure violation in `status`
// (the resource a RuleForbids names), or empty.
std::string PreconditionSubject(const grpc::Status& status);

// FieldViolationsOf
//
// Returns each BadRequest violation in `status` (empty if none); `rule` is
// left empty (BadRequest does not carry it).
std::vector<FieldViolation> FieldViolationsOf(const grpc::Status& status);

}  // namespace council

#endif  // COUNCIL_COMMON_ERRORS_GRPC_ERRORS_H_
