// Fuzzes JwtVerifier::Verify with whole bearer tokens, as any caller can send
// them to the gateway: size and shape, base64url, the header's JSON, alg, crit
// and kid, the signature, and (from the seed tokens signed with the fixed
// keys) the claims.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/auth/jwt_verifier.h"
#include "fuzz/fixed_test_keys.h"
#include "fuzz/fuzz_check.h"

namespace {

using council::auth::JwtVerifier;

const JwtVerifier& Verifier() {
  static const std::shared_ptr<const JwtVerifier> verifier = [] {
    auto built = JwtVerifier::FromJwks(council::fuzz::kFuzzJwks, council::fuzz::FuzzJwtPolicy());
    FUZZ_CHECK(built.ok());
    return *std::move(built);
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  auto jwt = Verifier().Verify(token, council::fuzz::kFuzzNow);
  if (jwt.ok()) {
    FUZZ_CHECK(!jwt->subject.empty());
    FUZZ_CHECK(jwt->issuer == council::fuzz::kFuzzIssuer);
    FUZZ_CHECK(jwt->expires_at + absl::Seconds(60) > council::fuzz::kFuzzNow);
  } else {
    // Every refusal is UNAUTHENTICATED with a short "jwt: ..." reason.
    FUZZ_CHECK(jwt.status().code() == absl::StatusCode::kUnauthenticated);
    FUZZ_CHECK(absl::StartsWith(jwt.status().message(), "jwt: "));
    FUZZ_CHECK(jwt.status().message().size() <= kMaxFuzzedMessageBytes);
  }
  return 0;
}
