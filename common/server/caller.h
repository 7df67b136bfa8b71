// caller.h — who is calling a backend, as the gateway (or a sibling) vouched.
//
// Backends never trust identity a caller asserts about itself. Each call must
// carry an internal assertion (metadata "x-council-assertion") signed with the
// suite's internal key and bound to the method called; anything else is refused
// with UNAUTHENTICATED, including a direct call that merely sets a header:
//
//   CallerAuthenticator authenticator(std::move(key));
//   absl::StatusOr<Caller> caller = authenticator.Authenticate(*context, kGetPerson);
//
// A sibling service calling another (access-service asking relations-service)
// signs its own assertion as "services/access-service", acting on behalf of the
// person it serves, with SignCall.
#ifndef COUNCIL_COMMON_SERVER_CALLER_H_
#define COUNCIL_COMMON_SERVER_CALLER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/internal_assertion.h"
#include "common/server/idle_trimmer.h"
#include "common/errors/grpc_errors.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

namespace council {

using auth::kAssertionMetadataKey;

// The principals the suite's own services sign sibling calls with. Nothing
// else is a sibling, whatever its name: the gateway policy refuses these names
// for service accounts.
inline constexpr absl::string_view kSuiteServicePrincipals[] = {
    "services/gateway", "services/relations-service", "services/access-service",
    "services/complaints-service"};

// The verified caller of one backend call.
struct Caller {
  // "people/{person}", one of kSuiteServicePrincipals, or a service account's
  // "services/{id}".
  std::string principal;
  // Roles resolved by the gateway from relations-service.
  std::vector<std::string> roles;
  // For a sibling service's call: the person it acts for (may be empty).
  std::string on_behalf_of;

  // HasRole
  //
  // Returns true if `role` is among `roles`.
  bool HasRole(absl::string_view role) const;
  // IsService
  //
  // Returns true if the principal is one of the suite's own services
  // (kSuiteServicePrincipals), which backends trust as siblings. A service
  // account from outside (e.g. "services/hr-sync", registered in the gateway
  // policy and authenticated by its client certificate) is not: its roles
  // decide, as a person's do.
  bool IsService() const;
  // Person
  //
  // Returns the person the call is for: `on_behalf_of` for a service, else the
  // principal.
  const std::string& Person() const;
};

// Verifies the internal assertion on each incoming backend call. It sees
// every call, so it also notices when calls pause: then it forgets the nonces
// of expired assertions (the replay cache holds the last 15 s of calls) and
// hands freed memory back to the system (IdleTrimmer), so that a service
// that is idle after a burst is as small as one that never had it.
class CallerAuthenticator {
 public:
  explicit CallerAuthenticator(auth::AssertionKey key);

  // remembered_assertions
  //
  // Returns how many assertion nonces the replay cache holds (for tests).
  std::size_t remembered_assertions() { return verifier_.remembered(); }

  // Authenticate
  //
  // Returns the verified caller of `context` for the full method `method`
  // ("/package.Service/Method"), or UNAUTHENTICATED (reason NOT_FROM_GATEWAY) if
  // the assertion is missing, forged, expired, replayed or for another method.
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& context,
                                      absl::string_view method);

 private:
  auth::AssertionVerifier verifier_;
  // Declared after verifier_: stopped before it is destroyed.
  IdleTrimmer idle_trimmer_;
};

// SignCall
//
// Attaches to `context` an assertion that `principal` (with `roles`, acting for
// `on_behalf_of`) calls `method`; used by the gateway and by sibling calls.
void SignCall(grpc::ClientContext* context, const auth::AssertionKey& key,
              absl::string_view principal, const std::vector<std::string>& roles,
              absl::string_view on_behalf_of, absl::string_view method);

// FullMethodName
//
// Returns "/<service_full_name>/<method>".
std::string FullMethodName(absl::string_view service_full_name, absl::string_view method);

}  // namespace council

// COUNCIL_AUTHENTICATE_OR_RETURN
//
// In a sync service method: declares `const Caller& caller` verified by
// `authenticator` for `full_method`, or returns UNAUTHENTICATED from the method.
#define COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator, context, full_method)      \
  auto caller##_or = (authenticator).Authenticate(*(context), (full_method));           \
  if (!caller##_or.ok())                                                                \
    return ::council::Unauthenticated(caller##_or.status().message(),                   \
                                      ::council::common::v1::ERROR_REASON_NOT_FROM_GATEWAY); \
  [[maybe_unused]] const ::council::Caller& caller = *caller##_or

#endif  // COUNCIL_COMMON_SERVER_CALLER_H_
