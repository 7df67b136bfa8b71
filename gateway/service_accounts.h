// service_accounts.h — from a verified client certificate to a service account.
//
// People call the gateway with a bearer JWT. Integrations such as the nightly
// HR and records syncs are not people: council IT lists them in the gateway
// policy (GatewayPolicy.service_accounts) and issues each a client certificate
// from the CA given as --tls_client_ca_file. The gateway's TLS handshake has
// already verified any certificate a client sends against that CA (a
// certificate that does not chain to it never gets this far), so here only the
// certificate's identity is mapped to the account and its roles:
//
//   // In the forwarder, for a call with no "authorization" header:
//   if (auto account = ServiceAccountCaller(context->auth_context().get(), policy)) {
//     if (!account->ok()) return Deny(account->status());  // UNAUTHENTICATED
//     Authorize(**account);  // {"services/hr-sync", {"hr-integration"}}
//   }
//   // std::nullopt: no client certificate; the caller is unauthenticated.
//
// A bearer token always takes precedence: the forwarder consults the
// certificate only when the call carries no token.
#ifndef COUNCIL_GATEWAY_SERVICE_ACCOUNTS_H_
#define COUNCIL_GATEWAY_SERVICE_ACCOUNTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/caller_resolver.h"
#include "gateway/method_policy.h"
#include "grpcpp/security/auth_context.h"

namespace council::gateway {

// CertificateIdentities
//
// Returns the identities of the client certificate the peer presented: every
// subject alternative name (auth context property
// "x509_subject_alternative_name": DNS names, URIs and the like) or, for a
// certificate with none, its subject common name ("x509_common_name"). Returns
// an empty vector for a null context, a plaintext connection, or a TLS
// connection without a client certificate. The certificate is as verified as
// the server's TLS settings make it: ServerRunner verifies every presented
// certificate against --tls_client_ca_file.
std::vector<std::string> CertificateIdentities(const grpc::AuthContext* context);

// ServiceAccountCaller
//
// Maps certificate `identities` (as CertificateIdentities returns them) to the
// registered service account whose certificate_identity is one of them:
//
//   * no identities (no certificate): std::nullopt;
//   * exactly one account matches: ResolvedCaller{account name, account roles};
//   * none matches: UNAUTHENTICATED naming the identities ("... is not a
//     registered service account");
//   * identities of two different accounts: UNAUTHENTICATED (ambiguous).
std::optional<absl::StatusOr<ResolvedCaller>> ServiceAccountCaller(
    const std::vector<std::string>& identities, const MethodPolicy& policy);

// ServiceAccountCaller
//
// As above, for the certificate of the peer described by `context` (may be
// null).
std::optional<absl::StatusOr<ResolvedCaller>> ServiceAccountCaller(
    const grpc::AuthContext* context, const MethodPolicy& policy);

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_SERVICE_ACCOUNTS_H_
