// exit_codes.h — councilctl's exit codes, one per kind of failure a script
// may want to tell apart, from BSD's sysexits.h (documented in
// docs/operations.md, section "councilctl"):
//
//   0   done
//   64  usage: unknown command or flag, a flag's value malformed (EX_USAGE)
//   65  invalid: the service or councilctl refused the data — INVALID_ARGUMENT,
//       FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS; bad CSV rows
//       (EX_DATAERR)
//   66  not found: NOT_FOUND (EX_NOINPUT)
//   69  unavailable: UNAVAILABLE, DEADLINE_EXCEEDED (EX_UNAVAILABLE)
//   70  the service failed: INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED
//       (EX_SOFTWARE)
//   75  try again later: RESOURCE_EXHAUSTED, ABORTED, CANCELLED (EX_TEMPFAIL)
//   77  permission: PERMISSION_DENIED, UNAUTHENTICATED (EX_NOPERM)
//
//   return ExitCodeFor(status.error_code());
#ifndef COUNCIL_TOOLS_COUNCILCTL_EXIT_CODES_H_
#define COUNCIL_TOOLS_COUNCILCTL_EXIT_CODES_H_

#include <string>

#include "grpcpp/support/status.h"

namespace council::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kUsageError = 64;        // EX_USAGE
inline constexpr int kDataError = 65;         // EX_DATAERR
inline constexpr int kNotFound = 66;          // EX_NOINPUT
inline constexpr int kUnavailable = 69;       // EX_UNAVAILABLE
inline constexpr int kServiceFailed = 70;     // EX_SOFTWARE
inline constexpr int kTryAgain = 75;          // EX_TEMPFAIL
inline constexpr int kPermissionDenied = 77;  // EX_NOPERM

// ExitCodeFor
//
// The exit code for a call that ended with `code` (0 for OK).
int ExitCodeFor(grpc::StatusCode code);

// StatusCodeName
//
// The canonical name of `code` ("NOT_FOUND"), or "CODE_<n>" for a number
// outside gRPC's codes.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_EXIT_CODES_H_
