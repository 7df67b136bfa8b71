#include "common/server/caller.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace council {

bool Caller::HasRole(absl::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Caller::IsService() const {
  for (absl::string_view own : kSuiteServicePrincipals)
    if (principal == own) return true;
  return false;
}

const std::string& Caller::Person() const {
  return IsService() && !on_behalf_of.empty() ? on_behalf_of : principal;
}

// A hop's assertion only has to live from signing to the backend's check, so
// it is short: with a 10 s lifetime (+5 s skew) the replay cache holds at most
// 15 s of calls — 500,000 entries covers over 30,000 calls a second.
constexpr absl::Duration kHopAssertionLifetime = absl::Seconds(10);
constexpr std::size_t kReplayCacheCapacity = 500000;

// How long calls must pause before expired nonces are forgotten and freed
// memory is handed back.
constexpr absl::Duration kIdleAfter = absl::Milliseconds(200);

CallerAuthenticator::CallerAuthenticator(auth::AssertionKey key)
    : verifier_(std::move(key), kReplayCacheCapacity),
      idle_trimmer_(kIdleAfter, [this] { return verifier_.ForgetExpired(absl::Now()); }) {}

absl::StatusOr<Caller> CallerAuthenticator::Authenticate(const grpc::ServerContextBase& context,
                                                         absl::string_view method) {
  idle_trimmer_.Touch();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(kAssertionMetadataKey.data(), kAssertionMetadataKey.size()));
  if (it == metadata.end())
    return absl::UnauthenticatedError(
        "this service only accepts calls through the gateway or from a sibling service "
        "(no internal assertion)");
  absl::StatusOr<auth::Assertion> assertion = verifier_.Verify(
      absl::string_view(it->second.data(), it->second.size()), method, absl::Now());
  if (!assertion.ok())
    return absl::UnauthenticatedError(
        absl::StrCat("internal assertion refused: ", assertion.status().message()));
  return Caller{assertion->caller, assertion->roles, assertion->on_behalf_of};
}

void SignCall(grpc::ClientContext* context, const auth::AssertionKey& key,
              absl::string_view principal, const std::vector<std::string>& roles,
              absl::string_view on_behalf_of, absl::string_view method) {
  auth::Assertion assertion;
  assertion.caller = std::string(principal);
  assertion.roles = roles;
  assertion.on_behalf_of = std::string(on_behalf_of);
  assertion.method = std::string(method);
  assertion.issued_at = absl::Now();
  assertion.expires_at = assertion.issued_at + kHopAssertionLifetime;
  assertion.nonce = auth::NewAssertionNonce();
  context->AddMetadata(std::string(kAssertionMetadataKey), auth::SignAssertion(assertion, key));
}

std::string FullMethodName(absl::string_view service_full_name, absl::string_view method) {
  return absl::StrCat("/", service_full_name, "/", method);
}

}  // namespace council
