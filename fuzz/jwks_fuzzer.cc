// Fuzzes JwtVerifier::FromJwks: the JWKS document an operator (or a council's
// identity provider, on rotation) gives the gateway.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/auth/jwt_verifier.h"
#include "fuzz/fixed_test_keys.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view jwks(reinterpret_cast<const char*>(data), size);
  auto verifier =
      council::auth::JwtVerifier::FromJwks(jwks, council::fuzz::FuzzJwtPolicy());
  if (verifier.ok()) {
    // A verifier with no keys would refuse everything silently.
    FUZZ_CHECK((*verifier)->key_count() > 0);
    // Any key set must cope with a token it did not sign.
    FUZZ_CHECK(!(*verifier)->Verify("e30.e30.", council::fuzz::kFuzzNow).ok());
  } else {
    FUZZ_CHECK(verifier.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(verifier.status().message().size() <= kMaxFuzzedMessageBytes);
  }
  return 0;
}
