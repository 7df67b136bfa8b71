// fixed_test_keys.h — the keys, policy and clock the auth fuzz targets use.
//
// Fixed, not generated per run, so that the seed tokens in fuzz/corpus/ (made
// with these keys at kFuzzNow) stay valid and reach the code behind the
// signature check, and a crash input replays the same way every time. These
// keys exist only for fuzzing: nothing in the suite trusts them.
#ifndef COUNCIL_FUZZ_FIXED_TEST_KEYS_H_
#define COUNCIL_FUZZ_FIXED_TEST_KEYS_H_

#include "absl/time/time.h"
#include "common/auth/jwt_verifier.h"

namespace council::fuzz {

inline constexpr char kFuzzIssuer[] = "https://id.fuzz-council.example";
inline constexpr char kFuzzAudience[] = "council-gateway";
inline constexpr char kFuzzEcKid[] = "fuzz-ec";

// 2027-01-15: the seed tokens' iat/exp bracket this instant.
inline const absl::Time kFuzzNow = absl::FromUnixSeconds(1800000000);

// The EC P-256 private key behind kid "fuzz-ec" (signs ES256 in
// jwt_claims_fuzzer; its public half is in kFuzzJwks).
inline constexpr char kFuzzEcPrivateKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMVeuKFjLbZJM/up1
BMdo7NyHYuXTPqV0fZNccy2v2ZChRANCAASeXpiPAo5vhoTEYxx5Nyv54AcvLH8H
AdoJ80EpALPN+g6hOISyzDKP/hy03mZTAW9lAd1EawqlcgVkGaH7/NU7
-----END PRIVATE KEY-----
)";

// The public keys a fuzzed gateway trusts: "fuzz-rsa" (RS256; its private
// key signed the RS256 seed tokens and is not kept) and "fuzz-ec" (ES256).
inline constexpr char kFuzzJwks[] = R"({"keys": [
{"kty": "RSA", "kid": "fuzz-rsa", "alg": "RS256", "use": "sig", "n": "xg9-04vRAsLgweXGSmCcY2w9dNObttWYZeyqlv8WLUXaiYPxirCSQwOrE8SYgRUPRLfTenlWys0U8yuqjprMK52-rurwGZOk10eI-eoad3HV7VRiXHrtGOjmdJe1WyJysAfEK219MbBa97U_EiqGOoB1r00V9vtVkBu4OhBO-LuUBsvLuaaNdr7TpcmF3zU1BTfOeJ9apqtyAIKgnMKnKebVtSG41KL-KUdwV4rWt7HEoYtI6Ffmdf9tPvn01KwyxxTvhY_e6L3AYHQXjMTyb7cpPMfpyio4mDqNU2QZD5XqukB2fBXMDb807WTor4LAa7BUNQtOigkXgxsLJHjBpQ", "e": "AQAB"},
{"kty": "EC", "crv": "P-256", "kid": "fuzz-ec", "alg": "ES256", "use": "sig", "x": "nl6YjwKOb4aExGMceTcr-eAHLyx_BwHaCfNBKQCzzfo", "y": "DqE4hLLMMo_-HLTeZlMBb2UB3URrCqVyBWQZofv81Ts"}
]})";

// The shared secret behind the internal assertions of
// internal_assertion_fuzzer (32 bytes, the minimum AssertionKey accepts).
inline constexpr char kFuzzAssertionSecret[] = "fuzz-only-assertion-secret-32byt";

inline auth::JwtPolicy FuzzJwtPolicy() {
  auth::JwtPolicy policy;
  policy.issuer = kFuzzIssuer;
  policy.audience = kFuzzAudience;
  return policy;
}

}  // namespace council::fuzz

#endif  // COUNCIL_FUZZ_FIXED_TEST_KEYS_H_
