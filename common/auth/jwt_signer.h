// Copyright The Council Suite Authors.
//
// -----------------------------------------------------------------------------
// File: jwt_signer.h
// -----------------------------------------------------------------------------
//
// Mints RS256/ES256 JWTs and generates development key pairs.
//
// In production people's tokens come from the council's identity provider;
// this signer exists so that `councilctl token` can mint tokens for demo
// people against a locally generated key, and so tests can build tokens. Its
// output is exactly what `JwtVerifier` (jwt_verifier.h) accepts.
//
// Example (what `councilctl keygen` + `councilctl token` do):
//
//   auto generated = council::auth::GeneratePrivateKeyPem(
//       council::auth::KeyType::kEcP256);
//   if (!generated.ok()) return generated.status();
//   auto& [private_pem, kid] = *generated;
//   // ... write private_pem somewhere only the operator can read ...
//   auto signer = council::auth::JwtSigner::FromPrivateKeyPem(private_pem,
//                                                             kid);
//   if (!signer.ok()) return signer.status();
//   std::string jwks = signer->PublicJwks();  // give this to the gateway
//
//   council::auth::JwtSigner::Claims claims;
//   claims.subject = "people/cllr-ada-okafor";
//   claims.issuer = "https://id.example-council.gov.uk";
//   claims.audience = "council-gateway";
//   claims.issued_at = absl::Now();
//   claims.expires_at = claims.issued_at + absl::Hours(1);
//   absl::StatusOr<std::string> token = signer->Sign(claims);
//
// Error messages name files but never include key material.

#ifndef COUNCIL_COMMON_AUTH_JWT_SIGNER_H_
#define COUNCIL_COMMON_AUTH_JWT_SIGNER_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// Forward declaration so that users of this header do not pull in OpenSSL.
typedef struct evp_pkey_st EVP_PKEY;

namespace council::auth {

// KeyType
//
// The key pairs `GeneratePrivateKeyPem()` can create; these are the only two
// kinds `JwtVerifier` accepts.
enum class KeyType {
  kRsa2048,  // RSA, 2048-bit modulus, e = 65537; signs RS256.
  kEcP256,   // ECDSA on NIST P-256; signs ES256.
};

// GeneratePrivateKeyPem()
//
// Generates a fresh key pair and returns `{private_key_pem, kid}`. The PEM is
// unencrypted PKCS#8 ("-----BEGIN PRIVATE KEY-----"), so callers must write
// it with owner-only permissions. The kid is the RFC 7638 JWK thumbprint of
// the public key (SHA-256, base64url), so the same key always gets the same
// kid and distinct keys practically never collide.
absl::StatusOr<std::pair<std::string, std::string>> GeneratePrivateKeyPem(
    KeyType type);

// JwtSigner
//
// Signs JWTs with one private key. RSA keys (at least 2048 bits) sign RS256;
// EC P-256 keys sign ES256; other keys are refused at construction.
//
// Copies share the underlying key. `Sign()` is const and may be called
// concurrently from several threads.
class JwtSigner {
 public:
  // JwtSigner::Claims
  //
  // The registered claims written into a token. All times are truncated to
  // whole seconds, as NumericDate values conventionally are.
  struct Claims {
    std::string subject;   // `sub`; required.
    std::string issuer;    // `iss`; required.
    std::string audience;  // `aud` (written as a single string); required.
    absl::Time issued_at;  // `iat`; required, finite.
    // `nbf`; omitted from the token when left at `absl::InfinitePast()`.
    absl::Time not_before = absl::InfinitePast();
    absl::Time expires_at;  // `exp`; required, after `issued_at`.
  };

  // JwtSigner::FromPrivateKeyPemFile()
  //
  // Loads an unencrypted PEM private key (PKCS#8 or traditional) from `path`.
  // Returns `NOT_FOUND` if the file cannot be read and `INVALID_ARGUMENT`
  // naming the file if the key is unreadable, encrypted, or of an
  // unsupported type or size. `kid` must be non-empty.
  static absl::StatusOr<JwtSigner> FromPrivateKeyPemFile(
      const std::string& path, std::string kid);

  // JwtSigner::FromPrivateKeyPem()
  //
  // As `FromPrivateKeyPemFile()`, from PEM text in memory. Encrypted keys
  // are refused rather than prompting for a passphrase on the terminal
  // (OpenSSL's default), which would hang a server.
  static absl::StatusOr<JwtSigner> FromPrivateKeyPem(absl::string_view pem,
                                                     std::string kid);

  // JwtSigner::Sign()
  //
  // Returns a compact JWS whose header is
  // `{"alg": <RS256|ES256>, "typ": "JWT", "kid": <kid>}` and whose payload
  // holds the claims. Returns `INVALID_ARGUMENT` if a required claim is
  // empty, a time is infinite, or `expires_at <= issued_at`.
  absl::StatusOr<std::string> Sign(const Claims& claims) const;

  // JwtSigner::PublicJwks()
  //
  // Returns the public half as a one-key JWKS document (with `kid`, `alg`
  // and `"use": "sig"`) that `JwtVerifier::FromJwks()` accepts.
  std::string PublicJwks() const;

  // JwtSigner::PublicKeyPem()
  //
  // Returns the public key as SubjectPublicKeyInfo PEM
  // ("-----BEGIN PUBLIC KEY-----").
  std::string PublicKeyPem() const;

  // JwtSigner::kid()
  //
  // Returns the key id written into every token's header.
  const std::string& kid() const { return kid_; }

  // JwtSigner::algorithm()
  //
  // Returns "RS256" or "ES256".
  absl::string_view algorithm() const;

  // JwtSigner::SignRawForTesting()
  //
  // Tests only. Base64url-encodes `header_json` and `payload_json` verbatim
  // and signs them with this key using this key's algorithm, whatever the
  // header claims. Lets tests build tokens with a wrong `alg`, a missing
  // `kid`, odd claims and so on. Performs no validation.
  absl::StatusOr<std::string> SignRawForTesting(
      absl::string_view header_json, absl::string_view payload_json) const;

 private:
  JwtSigner(std::shared_ptr<EVP_PKEY> pkey, bool is_rsa, std::string kid);

  std::shared_ptr<EVP_PKEY> pkey_;
  bool is_rsa_;
  std::string kid_;
};

// HmacSha256SignRawForTesting()
//
// Tests only. Builds `b64(header_json).b64(payload_json).b64(mac)` where mac
// is HMAC-SHA256 keyed with `secret`. Used to forge the "HS256 with the RSA
// public key as the HMAC secret" attack against the verifier.
std::string HmacSha256SignRawForTesting(absl::string_view header_json,
                                        absl::string_view payload_json,
                                        absl::string_view secret);

// UnsignedRawForTesting()
//
// Tests only. Builds `b64(header_json).b64(payload_json).` (empty signature),
// i.e. an "alg: none" token if the header says so.
std::string UnsignedRawForTesting(absl::string_view header_json,
                                  absl::string_view payload_json);

}  // namespace council::auth

#endif  // COUNCIL_COMMON_AUTH_JWT_SIGNER_H_
