// gateway: the suite's only door from outside.
#include <algorithm>
#include <iostream>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "common/audit/service_audit.h"
#include "common/auth/jwt_verifier.h"
#include "common/profile/profile_loader.h"
#include "common/server/flags.h"
#include "common/server/flags_usage.h"
#include "common/server/internal_channel.h"
#include "common/server/log.h"
#include "common/server/server_runner.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gateway/forwarder.h"

ABSL_FLAG(std::string, policy_file, "", "Gateway method policy (text-format GatewayPolicy).");
ABSL_FLAG(std::string, jwks_file, "", "JWKS file with the public keys people's tokens are signed with.");
ABSL_FLAG(std::string, jwt_issuer, "", "Required `iss` of people's tokens.");
ABSL_FLAG(std::string, jwt_audience, "council-suite", "Required `aud` of people's tokens.");
ABSL_FLAG(absl::Duration, jwt_max_lifetime, absl::Hours(12),
          "Longest lifetime a person's token may claim (exp - iat, or exp - now without iat); "
          "a longer-lived token is refused as UNAUTHENTICATED. Must be positive.");
ABSL_FLAG(std::string, access_address, "", "host:port of access-service.");
ABSL_FLAG(std::string, complaints_address, "", "host:port of complaints-service.");
ABSL_FLAG(double, rate_limit_per_second, 50,
          "Sustained calls per second allowed per caller; 0 disables rate limiting.");
ABSL_FLAG(double, rate_limit_burst, 200, "Calls a caller may make at once after being idle.");
ABSL_FLAG(int, forwarding_threads, 1,
          "Threads that receive and forward calls, each with its own completion queue. One "
          "thread polling alone answers soonest; more help only with more cores.");
ABSL_FLAG(int, reply_poll_us, 200,
          "While a backend's reply is due, a forwarding thread polls for it for up to this many "
          "microseconds (yielding to other work) before it sleeps: a reply caught so saves a "
          "thread wake-up, which on virtual machines costs tens of microseconds. Polling stops "
          "by itself while replies take longer. 0 never polls.");
ABSL_FLAG(int, max_message_bytes, 16 * 1024 * 1024,
          "Largest request message accepted from outside (bulk imports are streamed in chunks).");

namespace {

council::auth::JwtPolicy JwtPolicyFromFlags() {
  council::auth::JwtPolicy policy{absl::GetFlag(FLAGS_jwt_issuer),
                                  absl::GetFlag(FLAGS_jwt_audience)};
  policy.max_lifetime = absl::GetFlag(FLAGS_jwt_max_lifetime);
  return policy;
}

}  // namespace

int main(int argc, char** argv) {
  council::ConfigureFlagsUsage("gateway");
  absl::SetProgramUsageMessage(
      "gateway --listen=HOST:PORT --policy_file=FILE --jwks_file=FILE --jwt_issuer=ISS "
      "--internal_key_file=FILE --relations_address=A --access_address=A --complaints_address=A");
  absl::ParseCommandLine(argc, argv);
  council::BlockShutdownSignals();
  council::ServerRunner runner("gateway");

  // People's tools reach the gateway on --listen, with TLS and client
  // certificates; a plaintext socket beside it would be a second door.
  if (!absl::GetFlag(FLAGS_unix_socket).empty())
    return council::ExitWithError(
        "--unix_socket", absl::InvalidArgumentError(
                             "the gateway serves on --listen only; --unix_socket is for the "
                             "services behind it"));

  // With --profile (the file the services read), the policy may also name that
  // council's designations as roles; without it, only the suite's roles and
  // the designations every profile has. Any other role name is refused.
  std::vector<std::string> designations;
  if (!absl::GetFlag(FLAGS_profile).empty()) {
    auto profile = council::LoadProfile(absl::GetFlag(FLAGS_profile));
    if (!profile.ok()) return council::ExitWithError("--profile", profile.status());
    for (const auto& designation : (*profile)->designations())
      designations.push_back(designation.id());
  }
  auto policy =
      council::gateway::MethodPolicy::Load(absl::GetFlag(FLAGS_policy_file), designations);
  if (!policy.ok()) return council::ExitWithError("--policy_file", policy.status());
  for (const auto& method : (*policy)->UncoveredMethods())
    council::LogWarning("method_not_in_policy", {{"method", method}, {"effect", "denied"}});
  if (absl::GetFlag(FLAGS_jwt_max_lifetime) <= absl::ZeroDuration())
    return council::ExitWithError("--jwt_max_lifetime",
                                  absl::InvalidArgumentError("must be positive"));
  auto verifier = council::auth::JwtVerifier::FromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                                           JwtPolicyFromFlags());
  if (!verifier.ok()) return council::ExitWithError("--jwks_file", verifier.status());
  auto key = council::auth::AssertionKey::FromFile(absl::GetFlag(FLAGS_internal_key_file));
  if (!key.ok()) return council::ExitWithError("--internal_key_file", key.status());
  // Before the call audit opens: the audit chain key must be in place before any append.
  auto audit_keys = council::audit::ServiceAudit::FromFlags("gateway");
  if (!audit_keys.ok()) return council::ExitWithError("audit flags", audit_keys.status());
  if (absl::GetFlag(FLAGS_relations_address).empty())
    return council::ExitWithError("--relations_address", absl::InvalidArgumentError("required"));
  // TLS, and mTLS for service accounts: the checks Start makes, so that
  // --check_config also catches a missing file, an inconsistent flag or a
  // plaintext --listen off loopback; then the hops to the backends.
  auto security = runner.LoadTransportSecurity();
  if (!security.ok()) return council::ExitWithError("TLS flags", security.status());
  if (auto listen = (*security)->ServerCredentials(absl::GetFlag(FLAGS_listen), false);
      !listen.ok())
    return council::ExitWithError("TLS flags", listen.status());
  council::gateway::Backends backends;
  std::shared_ptr<grpc::Channel> relations;
  for (const auto& [flag, service, address] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"--relations_address",
            council::relations::v1::RelationsService::service_full_name(),
            absl::GetFlag(FLAGS_relations_address)},
           {"--access_address", council::access::v1::AccessService::service_full_name(),
            absl::GetFlag(FLAGS_access_address)},
           {"--complaints_address",
            council::complaints::v1::ComplaintsService::service_full_name(),
            absl::GetFlag(FLAGS_complaints_address)}}) {
    if (address.empty()) continue;
    auto channel = council::InternalChannel(flag, address, **security);
    if (!channel.ok()) return council::ExitWithError("TLS flags", channel.status());
    backends.channels[service] = *channel;
    if (flag == "--relations_address") relations = *channel;
  }
  if ((*policy)->service_account_count() > 0 && absl::GetFlag(FLAGS_tls_client_ca_file).empty())
    council::LogWarning("service_accounts_without_client_ca",
                        {{"accounts", std::to_string((*policy)->service_account_count())},
                         {"effect", "no client certificate is asked for, so no service "
                                    "account can call (set --tls_client_ca_file)"}});
  if (absl::GetFlag(FLAGS_check_config)) {
    std::cout << "gateway: configuration OK\n";
    return 0;
  }

  std::unique_ptr<council::gateway::CallAudit> audit;
  if (!absl::GetFlag(FLAGS_database).empty()) {
    auto opened = council::gateway::CallAudit::Open(absl::GetFlag(FLAGS_database));
    if (!opened.ok()) return council::ExitWithError("--database", opened.status());
    audit = std::move(*opened);
    if (auto s = (*audit_keys)->Start(absl::GetFlag(FLAGS_database)); !s.ok())
      return council::ExitWithError("audit flags", s);
  }

  council::gateway::Forwarder forwarder(
      *policy,
      std::make_unique<council::gateway::CallerResolver>(*verifier, relations, *key),
      backends, *key, audit.get(),
      council::gateway::RateLimit{absl::GetFlag(FLAGS_rate_limit_per_second),
                                  absl::GetFlag(FLAGS_rate_limit_burst)});
  // Cached roles are dropped as soon as relations-service reports a change.
  forwarder.WatchDirectory();
  forwarder.SetReplyPollBudget(absl::Microseconds(std::max(0, absl::GetFlag(FLAGS_reply_poll_us))));
  runner.AddAsyncGenericService(&forwarder, absl::GetFlag(FLAGS_forwarding_threads));
  // No reflection here: it would describe every method to anyone without a
  // token. Through the gateway it is a method like any other, for the policy.
  runner.SetMaxReceiveMessageBytes(absl::GetFlag(FLAGS_max_message_bytes));
  if (auto s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok())
    return council::ExitWithError("--listen", s);
  // SIGHUP reloads the JWKS file (key rotation) without dropping calls.
  runner.WaitForShutdownSignal(absl::Seconds(10), [&forwarder] {
    auto reloaded = council::auth::JwtVerifier::FromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                                             JwtPolicyFromFlags());
    if (!reloaded.ok()) {
      council::LogError("jwks_reload_failed", {{"error", reloaded.status().ToString()},
                                               {"effect", "keeping the previous keys"}});
      return;
    }
    forwarder.resolver().ReplaceVerifier(*reloaded);
    council::LogInfo("jwks_reloaded", {{"file", absl::GetFlag(FLAGS_jwks_file)}});
  });
  audit.reset();  // the last call records written...
  (*audit_keys)->Stop();  // ...then the shutdown checkpoint
  return 0;
}
