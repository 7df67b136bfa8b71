#include "common/errors/grpc_errors.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/bounded_status.h"
#include "common/errors/field_error.h"
#include "common/server/log.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace council {
namespace {

using ::council::common::v1::ErrorReason;
using ::council::common::v1::ErrorReason_Name;

google::rpc::ErrorInfo MakeErrorInfo(ErrorReason reason,
                                     const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(ErrorReason_Name(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  return info;
}

// Packs `details` into the binary trailer gRPC sends as grpc-status-details-bin.
grpc::Status Build(grpc::StatusCode code, absl::string_view message,
                   const std::vector<const google::protobuf::Message*>& details) {
  google::rpc::Status status;
  status.set_code(static_cast<int>(code));
  status.set_message(std::string(message));
  for (const auto* detail : details) status.add_details()->PackFrom(*detail);
  return BoundStatus(grpc::Status(code, std::string(message), status.SerializeAsString()));
}

bool Unpack(const grpc::Status& status, google::rpc::Status* out) {
  return !status.error_details().empty() && out->ParseFromString(status.error_details());
}

}  // namespace

grpc::Status InvalidField(absl::string_view field, absl::string_view description,
                          absl::string_view rule) {
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  std::map<std::string, std::string> metadata{{"field", std::string(field)}};
  if (!rule.empty()) metadata["rule"] = std::string(rule);
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_INVALID_FIELD, metadata);
  std::string message = absl::StrCat(field, ": ", description);
  if (!rule.empty()) absl::StrAppend(&message, " (", rule, ")");
  return Build(grpc::StatusCode::INVALID_ARGUMENT, message, {&bad_request, &info});
}

grpc::Status InvalidFields(const std::vector<FieldViolation>& violations, size_t total) {
  if (violations.empty())
    return Internal(absl::InternalError("InvalidFields: no violation given"), "InvalidFields");
  if (violations.size() == 1 && total <= 1)
    return InvalidField(violations[0].field, violations[0].description, violations[0].rule);
  total = std::max(total, violations.size());
  google::rpc::BadRequest bad_request;
  for (const auto& v : violations) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(v.field);
    violation->set_description(v.rule.empty() ? v.description
                                              : absl::StrCat(v.description, " (", v.rule, ")"));
  }
  const FieldViolation& first = violations[0];
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_INVALID_FIELD,
                            {{"field", first.field}, {"violations", absl::StrCat(total)}});
  std::string message = absl::StrCat(first.field, ": ", first.description);
  if (!first.rule.empty()) absl::StrAppend(&message, " (", first.rule, ")");
  absl::StrAppend(&message, " (", total, " invalid fields",
                  total > violations.size()
                      ? absl::StrCat(", the first ", violations.size(), " listed")
                      : "",
                  ")");
  return Build(grpc::StatusCode::INVALID_ARGUMENT, message, {&bad_request, &info});
}

bool FieldViolationList::Add(const grpc::Status& status) {
  if (status.ok()) return true;
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) violations.push_back({"", status.error_message(), ""});
  // InvalidField keeps the rule of its one violation in the ErrorInfo.
  if (violations.size() == 1) violations[0].rule = ErrorInfoMetadata(status, "rule");
  for (auto& violation : violations) Add(std::move(violation));
  return false;
}

void FieldViolationList::Add(FieldViolation violation) {
  ++total_;
  const size_t size = violation.field.size() + violation.description.size() +
                      violation.rule.size();
  if (listed_.size() >= max_listed_ || (!listed_.empty() && bytes_ + size > max_bytes_)) return;
  bytes_ += size;
  listed_.push_back(std::move(violation));
}

grpc::Status FieldViolationList::ToStatus() const {
  if (empty()) return grpc::Status::OK;
  return InvalidFields(listed_, total_);
}

grpc::Status NotFound(absl::string_view resource) {
  google::rpc::ResourceInfo resource_info;
  resource_info.set_resource_name(std::string(resource));
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_RESOURCE_NOT_FOUND,
                            {{"resource", std::string(resource)}});
  return Build(grpc::StatusCode::NOT_FOUND, absl::StrCat(resource, " not found"),
               {&resource_info, &info});
}

grpc::Status AlreadyExists(absl::string_view resource) {
  google::rpc::ResourceInfo resource_info;
  resource_info.set_resource_name(std::string(resource));
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_RESOURCE_EXISTS,
                            {{"resource", std::string(resource)}});
  return Build(grpc::StatusCode::ALREADY_EXISTS, absl::StrCat(resource, " already exists"),
               {&resource_info, &info});
}

grpc::Status RuleForbids(absl::string_view clause, absl::string_view subject,
                         absl::string_view description) {
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type("PROTOCOL_RULE");
  violation->set_subject(std::string(subject));
  violation->set_description(absl::StrCat(clause, ": ", description));
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_RULE_FORBIDS,
                            {{"clause", std::string(clause)}});
  return Build(grpc::StatusCode::FAILED_PRECONDITION,
               absl::StrCat(description, " (", clause, ")"), {&failure, &info});
}

grpc::Status PermissionDenied(absl::string_view message, ErrorReason reason,
                              const std::map<std::string, std::string>& metadata) {
  auto info = MakeErrorInfo(reason, metadata);
  return Build(grpc::StatusCode::PERMISSION_DENIED, message, {&info});
}

grpc::Status Unauthenticated(absl::string_view message, ErrorReason reason) {
  // The specific check that failed ("jwt: expired") travels in the details
  // too, so clients can act on it without parsing the message.
  auto info = MakeErrorInfo(reason, {{"detail", std::string(message)}});
  return Build(grpc::StatusCode::UNAUTHENTICATED, message, {&info});
}

namespace {

// A status a lower layer made with a payload (field_error.h): its reason and
// metadata in the ErrorInfo, its resource in a ResourceInfo, its clause in a
// PreconditionFailure.
grpc::Status FromPayload(const absl::Status& status, const ErrorPayload& payload) {
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::map<std::string, std::string> metadata = payload.metadata;
  const auto take = [&metadata](const char* key) {
    auto it = metadata.find(key);
    if (it == metadata.end()) return std::string();
    std::string value = std::move(it->second);
    metadata.erase(it);
    return value;
  };
  const std::string subject = take("subject");
  const std::string description = take("description");
  google::rpc::PreconditionFailure failure;
  google::rpc::ResourceInfo resource_info;
  std::vector<const google::protobuf::Message*> details;
  if (auto clause = metadata.find("clause"); clause != metadata.end()) {
    auto* violation = failure.add_violations();
    violation->set_type("PROTOCOL_RULE");
    violation->set_subject(subject);
    violation->set_description(absl::StrCat(
        clause->second, ": ", description.empty() ? status.message() : description));
    details.push_back(&failure);
  }
  if (auto resource = metadata.find("resource"); resource != metadata.end()) {
    resource_info.set_resource_name(resource->second);
    details.push_back(&resource_info);
  }
  auto info = MakeErrorInfo(payload.reason, metadata);
  details.push_back(&info);
  google::rpc::RetryInfo retry;
  if (payload.retry_delay > absl::ZeroDuration()) {
    const int64_t nanos = absl::ToInt64Nanoseconds(payload.retry_delay);
    retry.mutable_retry_delay()->set_seconds(nanos / 1000000000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
    details.push_back(&retry);
  }
  return Build(code, status.message(), details);
}

// A status without a payload: the reason its code implies; the message only
// where the code is one that lower layers give for the request itself.
grpc::Status FromBareStatus(const absl::Status& status, absl::string_view context) {
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const auto with_reason = [&](ErrorReason reason,
                               const std::map<std::string, std::string>& metadata = {}) {
    auto info = MakeErrorInfo(reason, metadata);
    return Build(code, status.message(), {&info});
  };
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: {
      // A lower layer's "field: problem" without the payload: still a
      // BadRequest, naming the field where the message starts with one.
      const std::string message(status.message());
      const size_t colon = message.find(": ");
      const bool named = colon != std::string::npos && colon > 0 &&
                         message.find_first_not_of(
                             "abcdefghijklmnopqrstuvwxyz0123456789_.[]") >= colon;
      return named ? InvalidField(message.substr(0, colon), message.substr(colon + 2))
                   : InvalidField("request", message);
    }
    case absl::StatusCode::kOutOfRange:
      return with_reason(common::v1::ERROR_REASON_INVALID_FIELD);
    case absl::StatusCode::kNotFound:
      return with_reason(common::v1::ERROR_REASON_RESOURCE_NOT_FOUND);
    case absl::StatusCode::kAlreadyExists:
      return with_reason(common::v1::ERROR_REASON_RESOURCE_EXISTS);
    case absl::StatusCode::kFailedPrecondition:
      return with_reason(common::v1::ERROR_REASON_PRECONDITION_FAILED);
    case absl::StatusCode::kAborted:
      return with_reason(common::v1::ERROR_REASON_CONCURRENT_MODIFICATION);
    case absl::StatusCode::kUnauthenticated:
      return Unauthenticated(status.message());
    case absl::StatusCode::kPermissionDenied:
      return PermissionDenied(status.message(), common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
    case absl::StatusCode::kUnimplemented:
      return with_reason(common::v1::ERROR_REASON_UNIMPLEMENTED,
                         {{"method", std::string(context)}});
    case absl::StatusCode::kCancelled: {
      auto info = MakeErrorInfo(common::v1::ERROR_REASON_CANCELLED, {});
      return Build(code, absl::StrCat(context, " was cancelled"), {&info});
    }
    case absl::StatusCode::kDeadlineExceeded: {
      LogWarning("deadline_exceeded", {{"context", std::string(context)},
                                       {"error", std::string(status.message())}});
      auto info = MakeErrorInfo(common::v1::ERROR_REASON_DEADLINE_EXCEEDED, {});
      return Build(code,
                   absl::StrCat(context, " did not finish before the call's deadline; a write "
                                         "may or may not have been made: read before retrying"),
                   {&info});
    }
    case absl::StatusCode::kUnavailable: {
      LogWarning("storage_unavailable", {{"context", std::string(context)},
                                         {"error", std::string(status.message())}});
      auto info = MakeErrorInfo(common::v1::ERROR_REASON_STORAGE_UNAVAILABLE, {});
      return Build(code, "storage busy; retry", {&info});
    }
    case absl::StatusCode::kResourceExhausted: {
      // SQLite's SQLITE_FULL (common/storage/database.cc): the disk, or the
      // database's size limit, is full. The transaction was rolled back;
      // reads go on, and writes work again once space is freed.
      LogError("storage_full", {{"context", std::string(context)},
                                {"error", std::string(status.message())},
                                {"effect", "writes refused until disk space is freed"}});
      auto info = MakeErrorInfo(common::v1::ERROR_REASON_STORAGE_FULL, {});
      return Build(code,
                   "the service's storage is full: nothing was written; reads still work; "
                   "retry once the council's IT team has freed disk space",
                   {&info});
    }
    default:
      return Internal(status, context);
  }
}

}  // namespace

grpc::Status Internal(const absl::Status& status, absl::string_view context) {
  LogError("internal_error", {{"context", std::string(context)},
                              {"error", status.ToString()}});
  auto info = MakeErrorInfo(common::v1::ERROR_REASON_INTERNAL,
                            {{"context", std::string(context)}});
  return Build(grpc::StatusCode::INTERNAL, absl::StrCat("internal error in ", context), {&info});
}

grpc::Status FromAbsl(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return grpc::Status::OK;
  if (auto field = FieldErrorOf(status))
    return InvalidField(field->field, field->description, field->rule);
  if (auto payload = ErrorPayloadOf(status)) return FromPayload(status, *payload);
  return FromBareStatus(status, context);
}

std::string ErrorInfoReason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!Unpack(status, &details)) return {};
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return {};
}

std::string ErrorInfoDomain(const grpc::Status& status) {
  google::rpc::Status details;
  if (!Unpack(status, &details)) return {};
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.domain();
  }
  return {};
}

std::string ResourceInfoName(const grpc::Status& status) {
  google::rpc::Status details;
  if (!Unpack(status, &details)) return {};
  for (const auto& any : details.details()) {
    google::rpc::ResourceInfo info;
    if (any.UnpackTo(&info)) return info.resource_name();
  }
  return {};
}

std::string ErrorInfoMetadata(const grpc::Status& status, absl::string_view key) {
  google::rpc::Status details;
  if (!Unpack(status, &details)) return {};
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    auto it = info.metadata().find(std::string(key));
    if (it != info.metadata().end()) return it->second;
  }
  return {};
}

std::string PreconditionSubject(const grpc::Status& status) {
  google::rpc::Status details;
  if (!Unpack(status, &details)) return {};
  for (const auto& any : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (any.UnpackTo(&failure) && failure.violations_size() > 0)
      return failure.violations(0).subject();
  }
  return {};
}

std::vector<FieldViolation> FieldViolationsOf(const grpc::Status& status) {
  std::vector<FieldViolation> out;
  google::rpc::Status details;
  if (!Unpack(status, &details)) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations())
      out.push_back({v.field(), v.description(), ""});
  }
  return out;
}

std::vector<std::string> FieldViolations(const grpc::Status& status) {
  std::vector<std::string> out;
  google::rpc::Status details;
  if (!Unpack(status, &details)) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations())
      out.push_back(absl::StrCat(v.field(), ": ", v.description()));
  }
  return out;
}

}  // namespace council
