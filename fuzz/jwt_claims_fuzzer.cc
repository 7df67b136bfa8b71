// Fuzzes the part of JwtVerifier::Verify behind the signature check: the input
// is a header JSON and a claims JSON separated by the first newline, signed
// here with the fixed ES256 key, so every input reaches the header checks and,
// with {"alg":"ES256","kid":"fuzz-ec"}, the claims (exp, nbf, iat, iss, aud,
// sub) that a forged token could never reach.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/auth/jwt_signer.h"
#include "common/auth/jwt_verifier.h"
#include "fuzz/fixed_test_keys.h"
#include "fuzz/fuzz_check.h"

namespace {

using council::auth::JwtSigner;
using council::auth::JwtVerifier;

const JwtVerifier& Verifier() {
  static const std::shared_ptr<const JwtVerifier> verifier = [] {
    auto built = JwtVerifier::FromJwks(council::fuzz::kFuzzJwks, council::fuzz::FuzzJwtPolicy());
    FUZZ_CHECK(built.ok());
    return *std::move(built);
  }();
  return *verifier;
}

const JwtSigner& Signer() {
  static const JwtSigner* signer = [] {
    auto built = JwtSigner::FromPrivateKeyPem(council::fuzz::kFuzzEcPrivateKeyPem,
                                              council::fuzz::kFuzzEcKid);
    FUZZ_CHECK(built.ok());
    return new JwtSigner(*std::move(built));
  }();
  return *signer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == absl::string_view::npos) return 0;
  auto token = Signer().SignRawForTesting(input.substr(0, newline), input.substr(newline + 1));
  if (!token.ok()) return 0;
  auto jwt = Verifier().Verify(*token, council::fuzz::kFuzzNow);
  if (jwt.ok()) {
    FUZZ_CHECK(!jwt->subject.empty());
    FUZZ_CHECK(jwt->issuer == council::fuzz::kFuzzIssuer);
    FUZZ_CHECK(jwt->key_id == council::fuzz::kFuzzEcKid);
    FUZZ_CHECK(jwt->expires_at + absl::Seconds(60) > council::fuzz::kFuzzNow);
  } else {
    FUZZ_CHECK(jwt.status().code() == absl::StatusCode::kUnauthenticated);
    FUZZ_CHECK(absl::StartsWith(jwt.status().message(), "jwt: "));
    FUZZ_CHECK(jwt.status().message().size() <= kMaxFuzzedMessageBytes);
  }
  return 0;
}
