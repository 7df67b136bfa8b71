#include "common/errors/field_error.h"

#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"

namespace council {
namespace {

// Not a protobuf type: the payload only ever travels inside this process.
constexpr absl::string_view kPayloadType = "council.gov.uk/field-error";
// A serialized google.rpc.ErrorInfo: the reason and metadata FromAbsl sends.
constexpr absl::string_view kReasonPayloadType = "council.gov.uk/error-reason";
// The metadata key that carries WithReason's retry delay (nanoseconds) inside
// the process; ErrorPayloadOf takes it out again.
constexpr char kRetryDelayKey[] = "\x01retry_delay_ns";

absl::Status ResourceError(absl::Status status, common::v1::ErrorReason reason,
                           absl::string_view resource) {
  return WithReason(std::move(status), reason, {{"resource", std::string(resource)}});
}

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view description,
                        absl::string_view rule) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(field, ": ", description));
  // field NUL rule NUL description: none of them can hold a NUL that matters
  // (the gateway refuses NULs in strings; fields and rules are ours).
  status.SetPayload(kPayloadType,
                    absl::Cord(absl::StrCat(field, std::string(1, '\0'), rule,
                                            std::string(1, '\0'), description)));
  return status;
}

std::optional<FieldErrorParts> FieldErrorOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return std::nullopt;
  auto payload = status.GetPayload(kPayloadType);
  if (!payload) return std::nullopt;
  const std::string flat(*payload);
  std::vector<std::string> parts = absl::StrSplit(flat, absl::MaxSplits('\0', 2));
  if (parts.size() != 3) return std::nullopt;
  return FieldErrorParts{std::move(parts[0]), std::move(parts[2]), std::move(parts[1])};
}

absl::Status ResourceNotFoundError(absl::string_view resource, absl::string_view message) {
  return ResourceError(
      absl::NotFoundError(message.empty() ? absl::StrCat(resource, " not found") : message),
      common::v1::ERROR_REASON_RESOURCE_NOT_FOUND, resource);
}

absl::Status ResourceExistsError(absl::string_view resource, absl::string_view message) {
  return ResourceError(absl::AlreadyExistsError(message.empty()
                                                    ? absl::StrCat(resource, " already exists")
                                                    : message),
                       common::v1::ERROR_REASON_RESOURCE_EXISTS, resource);
}

absl::Status RuleForbidsError(absl::string_view clause, absl::string_view subject,
                              absl::string_view description) {
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(description, " (", clause, ")")),
      common::v1::ERROR_REASON_RULE_FORBIDS,
      {{"clause", std::string(clause)},
       {"subject", std::string(subject)},
       {"description", std::string(description)}});
}

absl::Status WithReason(absl::Status status, common::v1::ErrorReason reason,
                        const std::map<std::string, std::string>& metadata,
                        absl::Duration retry_delay) {
  google::rpc::ErrorInfo info;
  info.set_reason(common::v1::ErrorReason_Name(reason));
  if (retry_delay > absl::ZeroDuration())
    (*info.mutable_metadata())[kRetryDelayKey] = absl::StrCat(absl::ToInt64Nanoseconds(retry_delay));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(kReasonPayloadType, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<ErrorPayload> ErrorPayloadOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  auto payload = status.GetPayload(kReasonPayloadType);
  if (!payload) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  ErrorPayload out;
  if (!common::v1::ErrorReason_Parse(info.reason(), &out.reason)) return std::nullopt;
  out.metadata.insert(info.metadata().begin(), info.metadata().end());
  if (auto it = out.metadata.find(kRetryDelayKey); it != out.metadata.end()) {
    int64_t retry_nanos = 0;
    if (absl::SimpleAtoi(it->second, &retry_nanos)) out.retry_delay = absl::Nanoseconds(retry_nanos);
    out.metadata.erase(it);
  }
  return out;
}

}  // namespace council
