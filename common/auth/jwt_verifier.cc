// Copyright The Council Suite Authors.

#include "common/auth/jwt_verifier.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/base64url.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace council::auth {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

// RAII owners for the OpenSSL objects used while loading keys.
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

std::shared_ptr<EVP_PKEY> AdoptPkey(EVP_PKEY* p) {
  return std::shared_ptr<EVP_PKEY>(p, [](EVP_PKEY* k) { EVP_PKEY_free(k); });
}

// Bounds on key sizes: below 2048 bits RSA is not considered safe; above
// 8192 bits a hostile JWKS could make every verification expensive.
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;
constexpr std::size_t kP256CoordinateBytes = 32;

// Latest representable NumericDate we accept (9999-12-31T23:59:59Z). Larger
// values are nonsense and could overflow when converted to absl::Time.
constexpr double kMaxNumericDate = 253402300799.0;

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(absl::StrCat("jwt: ", reason));
}

// Makes an attacker-supplied header value safe to echo in an error message:
// bounded length, printable ASCII only, no quote characters (which would let
// it forge the structure of the message in logs).
std::string Sanitize(absl::string_view s) {
  constexpr std::size_t kMaxEcho = 64;  // Fits RFC 7638 thumbprint kids (43).
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < kMaxEcho; ++i) {
    const char c = s[i];
    out.push_back(c > 0x20 && c < 0x7f && c != '\'' && c != '"' ? c : '?');
  }
  if (s.size() > kMaxEcho) out.append("...");
  return out;
}

bool ParseJsonObject(absl::string_view json, Struct* out) {
  return google::protobuf::util::JsonStringToMessage(
             google::protobuf::StringPiece(json.data(), json.size()), out)
      .ok();
}

const Value* FindField(const Struct& s, const std::string& name) {
  const auto it = s.fields().find(name);
  return it == s.fields().end() ? nullptr : &it->second;
}

// Returns the string member `name`, or nullptr if absent or not a string.
const std::string* FindString(const Struct& s, const std::string& name) {
  const Value* v = FindField(s, name);
  if (v == nullptr || v->kind_case() != Value::kStringValue) return nullptr;
  return &v->string_value();
}

// ---------------------------------------------------------------------------
// JWKS loading.
// ---------------------------------------------------------------------------

absl::StatusOr<std::string> DecodeKeyMember(const Struct& jwk,
                                            const std::string& name) {
  const std::string* b64 = FindString(jwk, name);
  if (b64 == nullptr || b64->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing or non-string member '", name, "'"));
  }
  std::optional<std::string> bytes = Base64UrlDecode(*b64);
  if (!bytes.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("member '", name, "' is not unpadded base64url"));
  }
  return *std::move(bytes);
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> PkeyFromParams(
    const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (params == nullptr || ctx == nullptr ||
      EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) !=
          1 ||
      raw == nullptr) {
    return absl::InvalidArgumentError("OpenSSL refused the key parameters");
  }
  std::shared_ptr<EVP_PKEY> pkey = AdoptPkey(raw);
  // fromdata does not promise full validation (e.g. that an EC point is on
  // the curve for every provider); an explicit public check does.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) {
    return absl::InvalidArgumentError("public key failed validation");
  }
  return pkey;
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaKeyFromJwk(const Struct& jwk) {
  absl::StatusOr<std::string> n = DecodeKeyMember(jwk, "n");
  if (!n.ok()) return n.status();
  absl::StatusOr<std::string> e = DecodeKeyMember(jwk, "e");
  if (!e.ok()) return e.status();
  if (e->size() > 8) {
    return absl::InvalidArgumentError("RSA exponent 'e' is implausibly large");
  }
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                       static_cast<int>(n->size()), nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                       static_cast<int>(e->size()), nullptr));
  if (bn_n == nullptr || bn_e == nullptr) {
    return absl::ResourceExhaustedError("out of memory decoding RSA key");
  }
  const int bits = BN_num_bits(bn_n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError(absl::StrCat(
        "RSA modulus is ", bits, " bits; must be ", kMinRsaBits, "..",
        kMaxRsaBits));
  }
  if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get())) {
    return absl::InvalidArgumentError("RSA exponent 'e' is invalid");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) !=
          1) {
    return absl::ResourceExhaustedError("out of memory building RSA key");
  }
  return PkeyFromParams("RSA", bld.get());
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> EcKeyFromJwk(const Struct& jwk) {
  const std::string* crv = FindString(jwk, "crv");
  if (crv == nullptr || *crv != "P-256") {
    return absl::InvalidArgumentError("EC key 'crv' must be \"P-256\"");
  }
  absl::StatusOr<std::string> x = DecodeKeyMember(jwk, "x");
  if (!x.ok()) return x.status();
  absl::StatusOr<std::string> y = DecodeKeyMember(jwk, "y");
  if (!y.ok()) return y.status();
  // RFC 7518 section 6.2.1.2: coordinates are exactly the field size long.
  if (x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return absl::InvalidArgumentError("EC 'x' and 'y' must be 32 bytes each");
  }
  // SEC1 uncompressed point: 0x04 || X || Y.
  std::string point = absl::StrCat("\x04", *x, *y);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                       point.data(), point.size()) != 1) {
    return absl::ResourceExhaustedError("out of memory building EC key");
  }
  return PkeyFromParams("EC", bld.get());
}

// ---------------------------------------------------------------------------
// Verification helpers.
// ---------------------------------------------------------------------------

// Converts a JOSE ES256 signature (R || S, 32 bytes each) to the DER
// ECDSA-Sig-Value that OpenSSL expects. Returns nullopt on a wrong length.
std::optional<std::string> RawEcdsaToDer(absl::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(bytes, kP256CoordinateBytes, nullptr));
  BnPtr s(BN_bin2bn(bytes + kP256CoordinateBytes, kP256CoordinateBytes,
                    nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr ||
      ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return std::nullopt;
  }
  // ECDSA_SIG_set0 took ownership.
  r.release();
  s.release();
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return std::nullopt;
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) return std::nullopt;
  return der;
}

bool VerifySignature(EVP_PKEY* pkey, absl::string_view signing_input,
                     absl::string_view signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) !=
          1) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
             signature.size(),
             reinterpret_cast<const unsigned char*>(signing_input.data()),
             signing_input.size()) == 1;
}

// Reads an optional NumericDate claim. Returns:
//   - OK with nullopt if the claim is absent,
//   - OK with the time if it is a finite number in range,
//   - UNAUTHENTICATED "jwt: malformed <name>" otherwise.
absl::StatusOr<std::optional<absl::Time>> NumericDate(const Struct& claims,
                                                      const std::string& name) {
  const Value* v = FindField(claims, name);
  if (v == nullptr) return std::optional<absl::Time>();
  if (v->kind_case() != Value::kNumberValue ||
      !std::isfinite(v->number_value()) || v->number_value() < 0 ||
      v->number_value() > kMaxNumericDate) {
    return Unauthenticated(absl::StrCat("malformed ", name));
  }
  return std::optional<absl::Time>(absl::UnixEpoch() +
                                   absl::Seconds(v->number_value()));
}

bool AudienceMatches(const Value& aud, absl::string_view want) {
  if (aud.kind_case() == Value::kStringValue) return aud.string_value() == want;
  if (aud.kind_case() == Value::kListValue) {
    for (const Value& entry : aud.list_value().values()) {
      if (entry.kind_case() == Value::kStringValue &&
          entry.string_value() == want) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

JwtVerifier::JwtVerifier(JwtPolicy policy,
                         std::map<std::string, Key, std::less<>> keys)
    : policy_(std::move(policy)), keys_(std::move(keys)) {}

absl::StatusOr<std::shared_ptr<const JwtVerifier>> JwtVerifier::FromJwksFile(
    const std::string& path, JwtPolicy policy) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("JWKS file '", path, "' cannot be read"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(
        absl::StrCat("JWKS file '", path, "' cannot be read"));
  }
  absl::StatusOr<std::shared_ptr<const JwtVerifier>> verifier =
      FromJwks(contents.str(), std::move(policy));
  if (!verifier.ok()) {
    return absl::Status(verifier.status().code(),
                        absl::StrCat("JWKS file '", path,
                                     "': ", verifier.status().message()));
  }
  return verifier;
}

absl::StatusOr<std::shared_ptr<const JwtVerifier>> JwtVerifier::FromJwks(
    absl::string_view jwks_json, JwtPolicy policy) {
  if (policy.issuer.empty() || policy.audience.empty()) {
    return absl::InvalidArgumentError(
        "JWT policy needs a non-empty issuer and audience");
  }
  if (policy.clock_skew < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("JWT policy clock_skew is negative");
  }
  if (policy.max_lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("JWT policy max_lifetime must be positive");
  }
  Struct doc;
  if (!ParseJsonObject(jwks_json, &doc)) {
    return absl::InvalidArgumentError("JWKS is not a JSON object");
  }
  const Value* keys = FindField(doc, "keys");
  if (keys == nullptr || keys->kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("JWKS has no \"keys\" array");
  }
  if (keys->list_value().values().empty()) {
    return absl::InvalidArgumentError("JWKS \"keys\" array is empty");
  }

  std::map<std::string, Key, std::less<>> parsed;
  int index = 0;
  for (const Value& entry : keys->list_value().values()) {
    auto bad_key = [index](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key #", index, ": ", why));
    };
    if (entry.kind_case() != Value::kStructValue) {
      return bad_key("not a JSON object");
    }
    const Struct& jwk = entry.struct_value();
    const std::string* kid = FindString(jwk, "kid");
    if (kid == nullptr || kid->empty()) return bad_key("missing 'kid'");
    if (parsed.count(*kid) != 0) {
      return bad_key(absl::StrCat("duplicate kid '", *kid, "'"));
    }
    if (FindField(jwk, "d") != nullptr || FindField(jwk, "p") != nullptr ||
        FindField(jwk, "k") != nullptr) {
      return bad_key("contains private or symmetric key material");
    }
    if (const Value* use = FindField(jwk, "use");
        use != nullptr && (use->kind_case() != Value::kStringValue ||
                           use->string_value() != "sig")) {
      return bad_key("'use' must be \"sig\"");
    }
    const std::string* kty = FindString(jwk, "kty");
    const std::string* alg = FindString(jwk, "alg");
    if (FindField(jwk, "alg") != nullptr && alg == nullptr) {
      return bad_key("'alg' is not a string");
    }
    Key key;
    absl::StatusOr<std::shared_ptr<EVP_PKEY>> pkey;
    if (kty != nullptr && *kty == "RSA") {
      if (alg != nullptr && *alg != "RS256") {
        return bad_key("RSA key 'alg' must be RS256");
      }
      key.type = KeyType::kRsa;
      pkey = RsaKeyFromJwk(jwk);
    } else if (kty != nullptr && *kty == "EC") {
      if (alg != nullptr && *alg != "ES256") {
        return bad_key("EC key 'alg' must be ES256");
      }
      key.type = KeyType::kEc;
      pkey = EcKeyFromJwk(jwk);
    } else {
      return bad_key("'kty' must be \"RSA\" or \"EC\"");
    }
    if (!pkey.ok()) return bad_key(pkey.status().message());
    key.pkey = *std::move(pkey);
    parsed.emplace(*kid, std::move(key));
    ++index;
  }
  return std::shared_ptr<const JwtVerifier>(
      new JwtVerifier(std::move(policy), std::move(parsed)));
}

absl::StatusOr<VerifiedJwt> JwtVerifier::Verify(absl::string_view token,
                                                absl::Time now) const {
  if (token.empty()) return Unauthenticated("empty token");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("token too large");

  // --- Shape -----------------------------------------------------------------
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) {
    return Unauthenticated("malformed (expected 3 dot-separated parts)");
  }
  const absl::string_view header_b64 = parts[0];
  const absl::string_view payload_b64 = parts[1];
  const absl::string_view signature_b64 = parts[2];

  // --- Header ----------------------------------------------------------------
  std::optional<std::string> header_json = Base64UrlDecode(header_b64);
  if (!header_json.has_value()) {
    return Unauthenticated("malformed header encoding");
  }
  Struct header;
  if (!ParseJsonObject(*header_json, &header)) {
    return Unauthenticated("malformed header");
  }
  const std::string* alg = FindString(header, "alg");
  if (alg == nullptr || alg->empty()) return Unauthenticated("missing alg");
  // Compared case-insensitively: some libraries have accepted "None"/"NONE".
  if (absl::EqualsIgnoreCase(*alg, "none")) {
    return Unauthenticated("algorithm 'none' not allowed");
  }
  // RFC 7515 section 4.1.11: unknown critical extensions must be refused,
  // and we understand none.
  if (FindField(header, "crit") != nullptr) {
    return Unauthenticated("unsupported crit header");
  }
  const Value* kid_value = FindField(header, "kid");
  if (kid_value == nullptr) return Unauthenticated("missing kid");
  if (kid_value->kind_case() != Value::kStringValue ||
      kid_value->string_value().empty()) {
    return Unauthenticated("malformed kid");
  }
  const std::string& kid = kid_value->string_value();
  const auto key_it = keys_.find(kid);
  if (key_it == keys_.end()) {
    return Unauthenticated(absl::StrCat("unknown kid '", Sanitize(kid), "'"));
  }
  const Key& key = key_it->second;
  // The key decides the algorithm. Accepting the token's choice is what lets
  // "HS256 keyed with the RSA public key" forgeries through.
  const char* expected_alg = key.type == KeyType::kRsa ? "RS256" : "ES256";
  if (*alg != expected_alg) {
    return Unauthenticated(absl::StrCat(
        "algorithm ", Sanitize(*alg), " not allowed for an ",
        key.type == KeyType::kRsa ? "RSA" : "EC", " key"));
  }

  // --- Signature -------------------------------------------------------------
  std::optional<std::string> signature = Base64UrlDecode(signature_b64);
  if (!signature.has_value() || signature->empty()) {
    return Unauthenticated("malformed signature encoding");
  }
  if (key.type == KeyType::kEc) {
    signature = RawEcdsaToDer(*signature);
    if (!signature.has_value()) return Unauthenticated("bad signature");
  }
  // The signing input is the encoded text exactly as received.
  const absl::string_view signing_input = token.substr(
      0, header_b64.size() + 1 + payload_b64.size());
  if (!VerifySignature(key.pkey.get(), signing_input, *signature)) {
    return Unauthenticated("bad signature");
  }

  // --- Claims (authenticated from here on) -----------------------------------
  std::optional<std::string> payload_json = Base64UrlDecode(payload_b64);
  if (!payload_json.has_value()) {
    return Unauthenticated("malformed payload encoding");
  }
  Struct claims;
  if (!ParseJsonObject(*payload_json, &claims)) {
    return Unauthenticated("malformed payload");
  }

  absl::StatusOr<std::optional<absl::Time>> exp = NumericDate(claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return Unauthenticated("missing exp");
  absl::StatusOr<std::optional<absl::Time>> nbf = NumericDate(claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  absl::StatusOr<std::optional<absl::Time>> iat = NumericDate(claims, "iat");
  if (!iat.ok()) return iat.status();

  const absl::Duration skew = policy_.clock_skew;
  if (now >= **exp + skew) return Unauthenticated("expired");
  if (nbf->has_value() && now + skew < **nbf) {
    return Unauthenticated("not yet valid");
  }
  if (iat->has_value() && **iat > now + skew) {
    return Unauthenticated("issued in the future");
  }
  // A token that lives longer than the policy allows is a standing credential
  // (an `exp` in the year 9999 would otherwise be accepted until then).
  const absl::Duration lifetime =
      iat->has_value() ? **exp - **iat : **exp - now - skew;
  if (lifetime > policy_.max_lifetime) {
    return Unauthenticated(absl::StrCat(
        "lifetime ", absl::FormatDuration(absl::Trunc(lifetime, absl::Seconds(1))),
        " exceeds the maximum ", absl::FormatDuration(policy_.max_lifetime),
        iat->has_value() ? " (exp - iat)" : " (exp - now, no iat)"));
  }

  const Value* iss = FindField(claims, "iss");
  if (iss == nullptr) return Unauthenticated("missing iss");
  if (iss->kind_case() != Value::kStringValue ||
      iss->string_value() != policy_.issuer) {
    return Unauthenticated("wrong issuer");
  }
  const Value* aud = FindField(claims, "aud");
  if (aud == nullptr) return Unauthenticated("missing aud");
  if (!AudienceMatches(*aud, policy_.audience)) {
    return Unauthenticated("wrong audience");
  }
  const std::string* sub = FindString(claims, "sub");
  if (sub == nullptr || sub->empty()) return Unauthenticated("missing sub");

  VerifiedJwt result;
  result.subject = *sub;
  result.issuer = iss->string_value();
  result.key_id = kid;
  result.expires_at = **exp;
  result.issued_at = iat->has_value() ? **iat : absl::InfinitePast();
  return result;
}

}  // namespace council::auth
