// Copyright The Council Suite Authors.

#include "common/auth/jwt_signer.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/auth/base64url.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace council::auth {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

std::shared_ptr<EVP_PKEY> AdoptPkey(EVP_PKEY* p) {
  return std::shared_ptr<EVP_PKEY>(p, [](EVP_PKEY* k) { EVP_PKEY_free(k); });
}

constexpr int kMinRsaBits = 2048;
constexpr int kP256CoordinateBytes = 32;

// Refuses to prompt: OpenSSL's default callback would read a passphrase from
// the controlling terminal, hanging a daemon that was given an encrypted key.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len))
                 : std::string();
}

std::string ToJson(const Struct& s) {
  std::string out;
  // Serialising a Struct we built ourselves cannot fail.
  (void)google::protobuf::util::MessageToJsonString(s, &out);
  return out;
}

void SetString(Struct& s, const std::string& name, std::string value) {
  (*s.mutable_fields())[name].set_string_value(std::move(value));
}

// Big-endian unsigned bytes of an integer parameter, left-padded to `pad`
// bytes when `pad` > 0.
std::optional<std::string> BnParam(const EVP_PKEY* pkey, const char* name,
                                   int pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1 || raw == nullptr) {
    return std::nullopt;
  }
  BnPtr bn(raw);
  const int len = pad > 0 ? pad : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(len), '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()),
                   len) != len) {
    return std::nullopt;
  }
  return out;
}

// Public JWK members (the RFC 7638 "required members"), base64url-encoded.
struct PublicJwkMembers {
  std::string n, e;  // RSA
  std::string x, y;  // EC
};

std::optional<PublicJwkMembers> GetPublicMembers(const EVP_PKEY* pkey,
                                                 bool is_rsa) {
  PublicJwkMembers m;
  if (is_rsa) {
    std::optional<std::string> n = BnParam(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
    std::optional<std::string> e = BnParam(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!n || !e) return std::nullopt;
    m.n = Base64UrlEncode(*n);
    m.e = Base64UrlEncode(*e);
  } else {
    std::optional<std::string> x =
        BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateBytes);
    std::optional<std::string> y =
        BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateBytes);
    if (!x || !y) return std::nullopt;
    m.x = Base64UrlEncode(*x);
    m.y = Base64UrlEncode(*y);
  }
  return m;
}

// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic
// order with no whitespace. All member values are base64url or fixed, so no
// JSON escaping is needed.
std::optional<std::string> Thumbprint(const EVP_PKEY* pkey, bool is_rsa) {
  std::optional<PublicJwkMembers> m = GetPublicMembers(pkey, is_rsa);
  if (!m) return std::nullopt;
  const std::string canonical =
      is_rsa ? absl::StrCat(R"({"e":")", m->e, R"(","kty":"RSA","n":")", m->n,
                            R"("})")
             : absl::StrCat(R"({"crv":"P-256","kty":"EC","x":")", m->x,
                            R"(","y":")", m->y, R"("})");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &digest_len,
                 EVP_sha256(), nullptr) != 1) {
    return std::nullopt;
  }
  return Base64UrlEncode(absl::string_view(
      reinterpret_cast<const char*>(digest), digest_len));
}

// Converts OpenSSL's DER ECDSA signature to JOSE's raw R || S.
std::optional<std::string> DerEcdsaToRaw(absl::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (sig == nullptr) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kP256CoordinateBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kP256CoordinateBytes) != kP256CoordinateBytes ||
      BN_bn2binpad(s, out + kP256CoordinateBytes, kP256CoordinateBytes) !=
          kP256CoordinateBytes) {
    return std::nullopt;
  }
  return raw;
}

absl::StatusOr<std::string> SignBytes(EVP_PKEY* pkey, bool is_rsa,
                                      absl::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) !=
          1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) {
    return absl::InternalError("jwt signer: signing failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &len, in, input.size()) != 1) {
    return absl::InternalError("jwt signer: signing failed");
  }
  sig.resize(len);
  if (is_rsa) return sig;
  std::optional<std::string> raw = DerEcdsaToRaw(sig);
  if (!raw) return absl::InternalError("jwt signer: bad ECDSA signature");
  return *std::move(raw);
}

bool IsP256(const EVP_PKEY* pkey) {
  char group[64] = {0};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                     sizeof(group), &len) != 1) {
    return false;
  }
  const absl::string_view name(group, len);
  return name == "prime256v1" || name == "P-256" || name == "secp256r1";
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> GeneratePrivateKeyPem(
    KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::kRsa2048:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
      break;
    case KeyType::kEcP256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
  }
  if (raw == nullptr) return absl::InternalError("key generation failed");
  std::shared_ptr<EVP_PKEY> pkey = AdoptPkey(raw);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    return absl::InternalError("could not encode generated key as PEM");
  }
  std::optional<std::string> kid =
      Thumbprint(pkey.get(), type == KeyType::kRsa2048);
  if (!kid) return absl::InternalError("could not compute key thumbprint");
  return std::make_pair(BioContents(bio.get()), *std::move(kid));
}

JwtSigner::JwtSigner(std::shared_ptr<EVP_PKEY> pkey, bool is_rsa,
                     std::string kid)
    : pkey_(std::move(pkey)), is_rsa_(is_rsa), kid_(std::move(kid)) {}

absl::StatusOr<JwtSigner> JwtSigner::FromPrivateKeyPemFile(
    const std::string& path, std::string kid) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("private key file '", path, "' cannot be read"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  absl::StatusOr<JwtSigner> signer =
      FromPrivateKeyPem(contents.str(), std::move(kid));
  if (!signer.ok()) {
    return absl::Status(signer.status().code(),
                        absl::StrCat("private key file '", path,
                                     "': ", signer.status().message()));
  }
  return signer;
}

absl::StatusOr<JwtSigner> JwtSigner::FromPrivateKeyPem(absl::string_view pem,
                                                       std::string kid) {
  if (kid.empty()) return absl::InvalidArgumentError("kid must not be empty");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::ResourceExhaustedError("out of memory");
  EVP_PKEY* raw =
      PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr);
  if (raw == nullptr) {
    return absl::InvalidArgumentError(
        "not an unencrypted PEM private key");
  }
  std::shared_ptr<EVP_PKEY> pkey = AdoptPkey(raw);
  if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
    if (EVP_PKEY_get_bits(pkey.get()) < kMinRsaBits) {
      return absl::InvalidArgumentError(
          absl::StrCat("RSA key must be at least ", kMinRsaBits, " bits"));
    }
    return JwtSigner(std::move(pkey), /*is_rsa=*/true, std::move(kid));
  }
  if (EVP_PKEY_is_a(pkey.get(), "EC")) {
    if (!IsP256(pkey.get())) {
      return absl::InvalidArgumentError("EC key must be on curve P-256");
    }
    return JwtSigner(std::move(pkey), /*is_rsa=*/false, std::move(kid));
  }
  return absl::InvalidArgumentError("key must be RSA or EC P-256");
}

absl::string_view JwtSigner::algorithm() const {
  return is_rsa_ ? "RS256" : "ES256";
}

absl::StatusOr<std::string> JwtSigner::Sign(const Claims& claims) const {
  if (claims.subject.empty() || claims.issuer.empty() ||
      claims.audience.empty()) {
    return absl::InvalidArgumentError(
        "jwt signer: subject, issuer and audience are required");
  }
  const auto finite = [](absl::Time t) {
    return t != absl::InfinitePast() && t != absl::InfiniteFuture();
  };
  if (!finite(claims.issued_at) || !finite(claims.expires_at) ||
      claims.not_before == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("jwt signer: times must be finite");
  }
  if (claims.expires_at <= claims.issued_at) {
    return absl::InvalidArgumentError(
        "jwt signer: expires_at must be after issued_at");
  }
  Struct header;
  SetString(header, "alg", std::string(algorithm()));
  SetString(header, "typ", "JWT");
  SetString(header, "kid", kid_);

  Struct payload;
  SetString(payload, "sub", claims.subject);
  SetString(payload, "iss", claims.issuer);
  SetString(payload, "aud", claims.audience);
  auto& fields = *payload.mutable_fields();
  fields["iat"].set_number_value(
      static_cast<double>(absl::ToUnixSeconds(claims.issued_at)));
  fields["exp"].set_number_value(
      static_cast<double>(absl::ToUnixSeconds(claims.expires_at)));
  if (claims.not_before != absl::InfinitePast()) {
    fields["nbf"].set_number_value(
        static_cast<double>(absl::ToUnixSeconds(claims.not_before)));
  }
  return SignRawForTesting(ToJson(header), ToJson(payload));
}

absl::StatusOr<std::string> JwtSigner::SignRawForTesting(
    absl::string_view header_json, absl::string_view payload_json) const {
  std::string token = absl::StrCat(Base64UrlEncode(header_json), ".",
                                   Base64UrlEncode(payload_json));
  absl::StatusOr<std::string> sig = SignBytes(pkey_.get(), is_rsa_, token);
  if (!sig.ok()) return sig.status();
  absl::StrAppend(&token, ".", Base64UrlEncode(*sig));
  return token;
}

std::string JwtSigner::PublicJwks() const {
  std::optional<PublicJwkMembers> m = GetPublicMembers(pkey_.get(), is_rsa_);
  if (!m) return std::string();  // Only on allocation failure.
  Struct jwk;
  SetString(jwk, "kid", kid_);
  SetString(jwk, "use", "sig");
  SetString(jwk, "alg", std::string(algorithm()));
  if (is_rsa_) {
    SetString(jwk, "kty", "RSA");
    SetString(jwk, "n", m->n);
    SetString(jwk, "e", m->e);
  } else {
    SetString(jwk, "kty", "EC");
    SetString(jwk, "crv", "P-256");
    SetString(jwk, "x", m->x);
    SetString(jwk, "y", m->y);
  }
  Struct jwks;
  *(*jwks.mutable_fields())["keys"]
       .mutable_list_value()
       ->add_values()
       ->mutable_struct_value() = std::move(jwk);
  return ToJson(jwks);
}

std::string JwtSigner::PublicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
    return std::string();
  }
  return BioContents(bio.get());
}

std::string HmacSha256SignRawForTesting(absl::string_view header_json,
                                        absl::string_view payload_json,
                                        absl::string_view secret) {
  std::string token = absl::StrCat(Base64UrlEncode(header_json), ".",
                                   Base64UrlEncode(payload_json));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(token.data()), token.size(), mac,
       &mac_len);
  absl::StrAppend(&token, ".",
                  Base64UrlEncode(absl::string_view(
                      reinterpret_cast<const char*>(mac), mac_len)));
  return token;
}

std::string UnsignedRawForTesting(absl::string_view header_json,
                                  absl::string_view payload_json) {
  return absl::StrCat(Base64UrlEncode(header_json), ".",
                      Base64UrlEncode(payload_json), ".");
}

}  // namespace council::auth
