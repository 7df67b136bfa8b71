// backend_status.h — what a caller is told when a backend call ends.
//
// A backend's own errors come back with an ErrorInfo of the suite's domain
// (common/errors/grpc_errors.h) and pass through, bounded. Everything else
// was said by gRPC on the backend's behalf: a refused connection, a passed
// deadline, a torn stream. Its text names internal addresses and transport
// states ("ipv4:127.0.0.1:8102: Connection refused") that callers cannot act
// on and outsiders must not learn, so it is logged here and replaced with a
// neutral status that names the service and carries an ErrorInfo (and, when
// a retry will help, a RetryInfo):
//
//   UNAVAILABLE,       ERROR_REASON_BACKEND_UNAVAILABLE + RetryInfo (1 s)
//   CANCELLED          (a backend stopping cancels the calls it holds)
//   DEADLINE_EXCEEDED  ERROR_REASON_DEADLINE_EXCEEDED
//   other codes        ERROR_REASON_BACKEND_ERROR; the message is kept only
//                      for codes a service gives for bad requests
//
// A service status of any other code that lacks the suite's ErrorInfo breaks
// the services' promise (README, "Errors"): the ErrorInfo the gateway adds
// then carries metadata "service_details": "none", which the e2e tests look
// for (tests/e2e/error_contract.h).
#ifndef COUNCIL_GATEWAY_BACKEND_STATUS_H_
#define COUNCIL_GATEWAY_BACKEND_STATUS_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace council::gateway {

// How long a caller is told to wait before retrying an unavailable service:
// the backends' internal channels reconnect at least this often.
inline constexpr absl::Duration kBackendRetryDelay = absl::Seconds(1);

// BackendUnavailable
//
// UNAVAILABLE naming `service` (e.g. "council.access.v1.AccessService"),
// with ErrorInfo and RetryInfo.
grpc::Status BackendUnavailable(absl::string_view service);

// StatusForCaller
//
// The status to send a caller for `backend_status`, the end of a call to
// `service`'s backend (see the file comment). Never longer than
// common/errors/bounded_status.h allows.
grpc::Status StatusForCaller(const grpc::Status& backend_status, absl::string_view service);

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_BACKEND_STATUS_H_
