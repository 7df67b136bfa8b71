// Copyright The Council Suite Authors.
//
// -----------------------------------------------------------------------------
// File: jwt_verifier.h
// -----------------------------------------------------------------------------
//
// Verifies the bearer JWTs that people present to the gateway.
//
// A `JwtVerifier` holds a fixed set of public keys loaded from a JWKS document
// plus a `JwtPolicy` naming the issuer and audience we accept. Only RS256
// (RSA keys) and ES256 (P-256 keys) are accepted, and the token's `alg` must
// match the type of the key named by its `kid`: the algorithm is chosen by
// our key, never by the token. That closes the classic "alg: none" and
// "HS256 with the RSA public key as HMAC secret" forgeries.
//
// Every token problem is reported as `absl::StatusCode::kUnauthenticated`
// whose message is a short, stable reason such as "jwt: expired" or
// "jwt: unknown kid 'k1'", suitable for metrics labels and audit logs. The
// token itself and key material never appear in messages.
//
// Example:
//
//   council::auth::JwtPolicy policy;
//   policy.issuer = "https://id.example-council.gov.uk";
//   policy.audience = "council-gateway";
//   absl::StatusOr<std::shared_ptr<const council::auth::JwtVerifier>> v =
//       council::auth::JwtVerifier::FromJwksFile("/etc/council/jwks.json",
//                                                policy);
//   if (!v.ok()) return v.status();  // bad config: fail at startup
//   ...
//   absl::StatusOr<council::auth::VerifiedJwt> jwt =
//       (*v)->Verify(bearer_token, absl::Now());
//   if (!jwt.ok()) return jwt.status();  // UNAUTHENTICATED, "jwt: ..."
//   std::string person = jwt->subject;
//
// Thread safety: a `JwtVerifier` is immutable after construction; `Verify()`
// may be called concurrently from any number of threads. Key rotation is done
// by building a new verifier and swapping the `shared_ptr`.

#ifndef COUNCIL_COMMON_AUTH_JWT_VERIFIER_H_
#define COUNCIL_COMMON_AUTH_JWT_VERIFIER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// Forward declarations so that users of this header do not pull in OpenSSL.
typedef struct evp_pkey_st EVP_PKEY;

namespace council::auth {

// JwtPolicy
//
// The claims a token must carry to be accepted. `issuer` and `audience` must
// both be non-empty; a verifier built with an empty one is refused, because
// an empty expectation would silently accept tokens minted for anyone.
struct JwtPolicy {
  // Exact value required in the `iss` claim.
  std::string issuer;
  // Value that must appear in the `aud` claim (a string or an array).
  std::string audience;
  // Tolerance applied to `exp`, `nbf` and `iat` to absorb clock drift
  // between the identity provider and us. Must not be negative.
  absl::Duration clock_skew = absl::Seconds(60);
  // The longest lifetime a token may claim: `exp - iat`, or `exp - now` for a
  // token with no `iat`. A longer one is refused ("jwt: lifetime ... exceeds
  // the maximum ..."), so a token minted to last for years (an `exp` in the
  // year 9999) is not a standing credential. Must be positive. The gateway
  // sets it from --jwt_max_lifetime.
  absl::Duration max_lifetime = absl::Hours(12);
};

// VerifiedJwt
//
// The parts of a successfully verified token that callers may rely on.
struct VerifiedJwt {
  // The `sub` claim: the person's principal. Never empty.
  std::string subject;
  // The `iss` claim (equal to `JwtPolicy::issuer`).
  std::string issuer;
  // The `kid` of the key that verified the signature.
  std::string key_id;
  // The `exp` claim.
  absl::Time expires_at;
  // The `iat` claim, or `absl::InfinitePast()` if the token has none.
  absl::Time issued_at;
};

// JwtVerifier
//
// Verifies compact-serialised JWS tokens against a fixed key set and policy.
// Construct with `FromJwksFile()` or `FromJwks()`; the instance is shared
// because gateways hand one verifier to many concurrent handlers.
class JwtVerifier {
 public:
  // Tokens longer than this are refused before any decoding, so a caller
  // cannot make us base64-decode and JSON-parse megabytes per request.
  static constexpr std::size_t kMaxTokenBytes = 8 * 1024;

  // JwtVerifier::FromJwksFile()
  //
  // Reads a JWKS document from `path` and builds a verifier; see `FromJwks()`
  // for the accepted format. Returns `NOT_FOUND` if the file cannot be read
  // and `INVALID_ARGUMENT` (naming the file) if its contents are refused.
  static absl::StatusOr<std::shared_ptr<const JwtVerifier>> FromJwksFile(
      const std::string& path, JwtPolicy policy);

  // JwtVerifier::FromJwks()
  //
  // Builds a verifier from a JWKS JSON document of the form
  //
  //   {"keys": [
  //     {"kty": "RSA", "kid": "r1", "alg": "RS256", "n": "...", "e": "AQAB"},
  //     {"kty": "EC", "crv": "P-256", "kid": "e1", "x": "...", "y": "..."}
  //   ]}
  //
  // Every key must have a non-empty, unique `kid`. `alg`, if present, must be
  // RS256 for RSA and ES256 for EC; `use`, if present, must be "sig". RSA
  // moduli must be at least 2048 bits. EC points must lie on P-256. Keys of
  // any other `kty` (including symmetric "oct" keys) are refused rather than
  // skipped, so a misconfigured JWKS fails loudly at startup. Private key
  // members (e.g. `d`) are refused too: a private key in a verifier's config
  // is a leak waiting to happen.
  //
  // Returns `INVALID_ARGUMENT` naming the index of the first bad key, or if
  // the document is not JSON, has no keys, or `policy` is incomplete.
  static absl::StatusOr<std::shared_ptr<const JwtVerifier>> FromJwks(
      absl::string_view jwks_json, JwtPolicy policy);

  JwtVerifier(const JwtVerifier&) = delete;
  JwtVerifier& operator=(const JwtVerifier&) = delete;

  // JwtVerifier::Verify()
  //
  // Verifies `token` (compact JWS, without any "Bearer " prefix) as of `now`.
  // Checks, in order: size and shape (three base64url parts); the header's
  // `alg` ("none" is refused outright); `crit` (refused: we implement no
  // extensions); `kid` (required, must be in the key set); that `alg` matches
  // the key (RS256 for RSA, ES256 for EC); the signature (ES256 signatures
  // are the 64-byte raw R||S form of RFC 7518, not DER); then the claims:
  // `exp` required, `now < exp + clock_skew`; `nbf` optional,
  // `now + clock_skew >= nbf`; `iat` optional, `iat <= now + clock_skew`;
  // the lifetime, `exp - iat` (or `exp - now` without `iat`), at most
  // `max_lifetime` (plus `clock_skew` when measured from `now`);
  // `iss` equals the policy issuer; `aud` (string or array of strings)
  // contains the policy audience; `sub` a non-empty string.
  //
  // Claims are only parsed after the signature has been verified.
  //
  // Returns the verified claims, or `UNAUTHENTICATED` with a reason of the
  // form "jwt: <reason>".
  absl::StatusOr<VerifiedJwt> Verify(absl::string_view token,
                                     absl::Time now) const;

  // JwtVerifier::key_count()
  //
  // Returns the number of keys loaded; useful for startup logging.
  std::size_t key_count() const { return keys_.size(); }

 private:
  enum class KeyType { kRsa, kEc };
  struct Key {
    KeyType type;
    std::shared_ptr<EVP_PKEY> pkey;
  };

  JwtVerifier(JwtPolicy policy, std::map<std::string, Key, std::less<>> keys);

  const JwtPolicy policy_;
  // std::less<> allows lookups by string_view without copying the kid.
  const std::map<std::string, Key, std::less<>> keys_;
};

}  // namespace council::auth

#endif  // COUNCIL_COMMON_AUTH_JWT_VERIFIER_H_
