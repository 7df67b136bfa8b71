// workflow_errors.h — errors from the workflow that the gRPC layer turns into
// rich statuses (common/errors/grpc_errors.h).
//
// The workflow speaks absl::Status; a refusal carries the clause behind it and
// a bad field carries the field's path as payloads, so the server can answer
// with a PreconditionFailure naming the clause or a BadRequest naming the
// field:
//
//   return Refuse("Southwark 70", "\"leader-decision\" is the last stage");
//   ...
//   return ToGrpc(status, "complaints/c-1", "EscalateComplaint");
#ifndef COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_ERRORS_H_
#define COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace council::complaints {

// Refuse
//
// FAILED_PRECONDITION because `clause` of the protocol (or the profile's
// protocol source) does not allow it.
absl::Status Refuse(absl::string_view clause, absl::string_view message);

// BadField
//
// INVALID_ARGUMENT naming the request field at fault.
absl::Status BadField(absl::string_view field, absl::string_view message);

// NotFoundResource
//
// NOT_FOUND for the resource name `name`.
absl::Status NotFoundResource(absl::string_view name);

// ToGrpc
//
// Converts a workflow or store status: refusals become RuleForbids with the
// clause, bad fields InvalidField, NOT_FOUND names the resource (the payload's,
// else `resource`), UNAVAILABLE and ABORTED keep their message (retryable),
// anything else goes through FromAbsl with `context`.
grpc::Status ToGrpc(const absl::Status& status, absl::string_view resource,
                    absl::string_view context);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_ERRORS_H_
