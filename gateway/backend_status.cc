#include "gateway/backend_status.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors/bounded_status.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/server/log.h"
#include "council/common/v1/common.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace council::gateway {
namespace {

using common::v1::ErrorReason;

// True if `status` carries an ErrorInfo of the suite: a service's own answer.
bool FromSuiteService(const grpc::Status& status) {
  if (status.error_details().empty()) return false;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.domain() == kErrorDomain) return true;
  }
  return false;
}

// Codes a service gives for the request itself; gRPC's transport does not
// produce them, so their message is the service's and safe to pass on.
bool IsRequestError(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
      return true;
    default:
      return false;
  }
}

// The reason a service's bare status of `code` would have carried.
ErrorReason ReasonForRequestError(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return common::v1::ERROR_REASON_INVALID_FIELD;
    case grpc::StatusCode::NOT_FOUND:
      return common::v1::ERROR_REASON_RESOURCE_NOT_FOUND;
    case grpc::StatusCode::ALREADY_EXISTS:
      return common::v1::ERROR_REASON_RESOURCE_EXISTS;
    case grpc::StatusCode::UNAUTHENTICATED:
      return common::v1::ERROR_REASON_UNAUTHENTICATED;
    default:
      return common::v1::ERROR_REASON_BACKEND_ERROR;
  }
}

// Marks an ErrorInfo the gateway supplied because a service's own error came
// without one: the services promise one on every error (README, "Errors"),
// so tests treat this mark as a broken promise; clients may ignore it.
constexpr char kServiceDetailsKey[] = "service_details";

grpc::Status WithErrorInfo(grpc::StatusCode code, const std::string& message,
                           ErrorReason reason, absl::string_view service,
                           bool retry_after_delay, bool service_sent_none = false) {
  std::map<std::string, std::string> metadata{{"service", std::string(service)}};
  if (service_sent_none) metadata[kServiceDetailsKey] = "none";
  return FromAbsl(WithReason(absl::Status(static_cast<absl::StatusCode>(code), message), reason,
                             metadata, retry_after_delay ? kBackendRetryDelay : absl::ZeroDuration()),
                  service);
}

}  // namespace

grpc::Status BackendUnavailable(absl::string_view service) {
  return WithErrorInfo(grpc::StatusCode::UNAVAILABLE,
                       absl::StrCat(service, " is unavailable (stopped or restarting); retry in ",
                                    absl::FormatDuration(kBackendRetryDelay)),
                       common::v1::ERROR_REASON_BACKEND_UNAVAILABLE, service,
                       /*retry_after_delay=*/true);
}

grpc::Status StatusForCaller(const grpc::Status& backend_status, absl::string_view service) {
  if (backend_status.ok()) return backend_status;
  if (FromSuiteService(backend_status)) return BoundStatus(backend_status);
  const grpc::StatusCode code = backend_status.error_code();
  // (A cancelled call: the caller went away, or the backend is stopping,
  // which it logs itself.)
  if (code != grpc::StatusCode::CANCELLED)
    LogWarning("backend_error", {{"service", std::string(service)},
                                 {"code", std::to_string(code)},
                                 {"error", TruncateUtf8(backend_status.error_message(), 200)}});
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    // A backend's server cancels the calls it still holds as it stops (a
    // caller who cancelled is no longer listening): to the caller, the
    // service went away, and a retry will reach it once it is back.
    case grpc::StatusCode::CANCELLED:
      return BackendUnavailable(service);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return WithErrorInfo(code,
                           absl::StrCat(service, " did not answer before the call's deadline; "
                                                 "a write may or may not have been made: read "
                                                 "before retrying"),
                           common::v1::ERROR_REASON_DEADLINE_EXCEEDED, service, false);
    default:
      break;
  }
  if (!IsRequestError(code))
    return WithErrorInfo(code,
                         absl::StrCat(service, " could not answer the call (code ", code,
                                      "); the gateway's log has the detail"),
                         common::v1::ERROR_REASON_BACKEND_ERROR, service, false,
                         /*service_sent_none=*/true);
  return WithErrorInfo(code, backend_status.error_message(), ReasonForRequestError(code),
                       service, false, /*service_sent_none=*/true);
}

}  // namespace council::gateway
