#include "complaints-service/workflow_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "common/errors/grpc_errors.h"

namespace council::complaints {
namespace {

constexpr char kClauseUrl[] = "council.gov.uk/clause";
constexpr char kFieldUrl[] = "council.gov.uk/field";
constexpr char kResourceUrl[] = "council.gov.uk/resource";

std::string Payload(const absl::Status& status, absl::string_view url) {
  auto payload = status.GetPayload(url);
  return payload.has_value() ? std::string(*payload) : std::string();
}

}  // namespace

absl::Status Refuse(absl::string_view clause, absl::string_view message) {
  absl::Status status = absl::FailedPreconditionError(message);
  status.SetPayload(kClauseUrl, absl::Cord(clause));
  return status;
}

absl::Status BadField(absl::string_view field, absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kFieldUrl, absl::Cord(field));
  return status;
}

absl::Status NotFoundResource(absl::string_view name) {
  absl::Status status = absl::NotFoundError(name);
  status.SetPayload(kResourceUrl, absl::Cord(name));
  return status;
}

grpc::Status ToGrpc(const absl::Status& status, absl::string_view resource,
                    absl::string_view context) {
  if (status.ok()) return grpc::Status::OK;
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition: {
      const std::string clause = Payload(status, kClauseUrl);
      if (!clause.empty()) return RuleForbids(clause, resource, message);
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, message);
    }
    case absl::StatusCode::kInvalidArgument: {
      const std::string field = Payload(status, kFieldUrl);
      return InvalidField(field.empty() ? "request" : field, message);
    }
    case absl::StatusCode::kNotFound: {
      const std::string name = Payload(status, kResourceUrl);
      return NotFound(name.empty() ? resource : name);
    }
    case absl::StatusCode::kUnavailable:
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, message);
    case absl::StatusCode::kAborted:
      return grpc::Status(grpc::StatusCode::ABORTED, message);
    default:
      return FromAbsl(status, context);
  }
}

}  // namespace council::complaints
