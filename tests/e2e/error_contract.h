// error_contract.h — the check e2e tests apply to every error they see: the
// README's promise ("Errors") that every status leaving a service carries a
// google.rpc.ErrorInfo of the suite's domain with a reason from
// council.common.v1.ErrorReason.
//
// Through the gateway a status a service sent without one still arrives with
// an ErrorInfo (gateway/backend_status.h adds it, marked "service_details":
// "none"), so the check looks for that mark too: it is the service's fault.
#ifndef COUNCIL_TESTS_E2E_ERROR_CONTRACT_H_
#define COUNCIL_TESTS_E2E_ERROR_CONTRACT_H_

#include <string>

#include "common/errors/grpc_errors.h"
#include "grpcpp/support/status.h"

namespace council::e2e {

// ErrorContractProblem
//
// Empty if `status` is OK or keeps the promise; otherwise what is missing.
inline std::string ErrorContractProblem(const grpc::Status& status) {
  if (status.ok()) return {};
  if (ErrorInfoDomain(status) != kErrorDomain) return "no ErrorInfo of domain council.gov.uk";
  const std::string reason = ErrorInfoReason(status);
  if (reason.empty() || reason == "ERROR_REASON_UNSPECIFIED") return "an ErrorInfo without a reason";
  if (ErrorInfoMetadata(status, "service_details") == "none")
    return "the service sent no ErrorInfo (the gateway supplied " + reason + ")";
  return {};
}

}  // namespace council::e2e

#endif  // COUNCIL_TESTS_E2E_ERROR_CONTRACT_H_
