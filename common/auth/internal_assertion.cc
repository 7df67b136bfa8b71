// Copyright The Council Suite Authors.

#include "common/auth/internal_assertion.h"

#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/base64url.h"
#include "common/auth/prepared_hmac.h"
#include "absl/strings/numbers.h"

namespace council::auth {
namespace {


constexpr absl::string_view kVersion = "v1";
constexpr std::size_t kMacBytes = 32;  // SHA-256 output.
constexpr std::size_t kNonceHexChars = 32;
// Well under gRPC's default 8 KiB metadata limit; anything larger is not
// something we minted.
constexpr std::size_t kMaxTokenBytes = 6 * 1024;
// 9999-12-31T23:59:59Z; keeps absl::FromUnixSeconds far from overflow.
constexpr double kMaxUnixSeconds = 253402300799.0;

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(absl::StrCat("assertion: ", reason));
}

std::string RandomHex(std::size_t bytes) {
  std::string buf(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()),
                 static_cast<int>(bytes)) != 1) {
    // Continuing with predictable bytes would quietly break the security
    // of keys and nonces; there is no sensible recovery.
    std::abort();
  }
  std::string hex = absl::BytesToHexString(buf);
  OPENSSL_cleanse(buf.data(), buf.size());
  return hex;
}


// The payload is a sequence of netstring-style fields, "<decimal length>:<bytes>",
// in a fixed order: caller, on_behalf_of, method, nonce, issued-at and
// expires-at (Unix seconds, decimal), then the roles. It is a fraction of the
// cost of JSON on both sides of every hop, and trivially bounds-checked.
void AppendField(std::string* out, absl::string_view value) {
  absl::StrAppend(out, value.size(), ":", value);
}

// Reads one field from the front of `*in`; nullopt if malformed.
std::optional<absl::string_view> ReadField(absl::string_view* in) {
  const size_t colon = in->find(':');
  if (colon == absl::string_view::npos || colon == 0 || colon > 5) return std::nullopt;
  size_t length = 0;
  if (!absl::SimpleAtoi(in->substr(0, colon), &length) || length > in->size() - colon - 1)
    return std::nullopt;
  absl::string_view value = in->substr(colon + 1, length);
  in->remove_prefix(colon + 1 + length);
  return value;
}

std::optional<absl::Time> ReadUnixSeconds(absl::string_view* in) {
  auto field = ReadField(in);
  int64_t seconds = 0;
  if (!field || !absl::SimpleAtoi(*field, &seconds) || seconds < 0 ||
      seconds > static_cast<int64_t>(kMaxUnixSeconds))
    return std::nullopt;
  return absl::FromUnixSeconds(seconds);
}

// 16 lowercase hex digits (already checked) as a number.
uint64_t HexToUint64(absl::string_view hex) {
  uint64_t value = 0;
  for (char c : hex) value = value << 4 | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return value;
}

bool IsLowerHex(absl::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Parses the (already authenticated) payload. Returns nullopt if any field
// is missing or malformed; the MAC proves who wrote it, not that it is well
// formed (a sibling with a bug could mint garbage).
std::optional<Assertion> ParsePayload(absl::string_view payload) {
  Assertion a;
  auto caller = ReadField(&payload);
  auto on_behalf_of = ReadField(&payload);
  auto method = ReadField(&payload);
  auto nonce = ReadField(&payload);
  if (!caller || caller->empty() || !on_behalf_of || !method || method->empty() || !nonce ||
      nonce->size() != kNonceHexChars || !IsLowerHex(*nonce))
    return std::nullopt;
  auto issued_at = ReadUnixSeconds(&payload);
  auto expires_at = ReadUnixSeconds(&payload);
  if (!issued_at || !expires_at) return std::nullopt;
  a.caller = std::string(*caller);
  a.on_behalf_of = std::string(*on_behalf_of);
  a.method = std::string(*method);
  a.nonce = std::string(*nonce);
  a.issued_at = *issued_at;
  a.expires_at = *expires_at;
  while (!payload.empty()) {
    auto role = ReadField(&payload);
    if (!role) return std::nullopt;
    a.roles.emplace_back(*role);
  }
  return a;
}

}  // namespace

// ---------------------------------------------------------------------------
// Assertion construction.
// ---------------------------------------------------------------------------

std::string NewAssertionNonce() { return RandomHex(kNonceHexChars / 2); }

Assertion NewAssertion(std::string caller, std::vector<std::string> roles,
                       std::string method, absl::Time now,
                       absl::Duration lifetime) {
  Assertion a;
  a.caller = std::move(caller);
  a.roles = std::move(roles);
  a.method = std::move(method);
  // Whole seconds, as encoded on the wire, so the value round-trips.
  a.issued_at = absl::FromUnixSeconds(absl::ToUnixSeconds(now));
  a.expires_at = absl::FromUnixSeconds(absl::ToUnixSeconds(a.issued_at +
                                                           lifetime));
  a.nonce = NewAssertionNonce();
  return a;
}

// ---------------------------------------------------------------------------
// AssertionKey.
// ---------------------------------------------------------------------------

// The HMAC itself (pads hashed once per key) is common/auth/prepared_hmac.h.

std::string HmacSha256ForTesting(const std::string& key, absl::string_view data) {
  return PreparedHmac(key).Mac(data);
}

AssertionKey::AssertionKey(std::string secret)
    : secret_(new std::string(std::move(secret)), [](const std::string* s) {
        // Wipe before freeing so the secret does not linger in freed heap.
        auto* mutable_s = const_cast<std::string*>(s);
        OPENSSL_cleanse(mutable_s->data(), mutable_s->size());
        delete s;
      }),
      hmac_(std::make_shared<const PreparedHmac>(*secret_)) {}

absl::StatusOr<AssertionKey> AssertionKey::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("assertion key file '", path, "' cannot be read"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string raw = contents.str();
  const absl::string_view trimmed = absl::StripAsciiWhitespace(raw);
  if (trimmed.size() < kMinSecretBytes) {
    OPENSSL_cleanse(raw.data(), raw.size());
    return absl::InvalidArgumentError(absl::StrCat(
        "assertion key file '", path, "' holds ", trimmed.size(),
        " bytes after trimming whitespace; at least ", kMinSecretBytes,
        " are required"));
  }
  AssertionKey key{std::string(trimmed)};
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

AssertionKey AssertionKey::FromSecretForTesting(std::string secret) {
  return AssertionKey(std::move(secret));
}

std::string AssertionKey::GenerateSecretHex() { return RandomHex(32); }

// ---------------------------------------------------------------------------
// Signing.
// ---------------------------------------------------------------------------

std::string SignAssertion(const Assertion& assertion, const AssertionKey& key) {
  std::string payload;
  AppendField(&payload, assertion.caller);
  AppendField(&payload, assertion.on_behalf_of);
  AppendField(&payload, assertion.method);
  AppendField(&payload, assertion.nonce);
  AppendField(&payload, absl::StrCat(absl::ToUnixSeconds(assertion.issued_at)));
  AppendField(&payload, absl::StrCat(absl::ToUnixSeconds(assertion.expires_at)));
  for (const std::string& role : assertion.roles) AppendField(&payload, role);

  std::string token = absl::StrCat(kVersion, ".", Base64UrlEncode(payload));
  const std::string mac = key.hmac_->Mac(token);
  absl::StrAppend(&token, ".", Base64UrlEncode(mac));
  return token;
}

// ---------------------------------------------------------------------------
// Verification.
// ---------------------------------------------------------------------------

AssertionVerifier::AssertionVerifier(AssertionKey key,
                                     std::size_t replay_cache_capacity)
    : key_(std::move(key)), capacity_(replay_cache_capacity) {}

std::size_t AssertionVerifier::PruneLocked(absl::Time now) {
  std::size_t dropped = 0;
  while (!by_expiry_.empty() && by_expiry_.top().first <= now) {
    seen_.erase(by_expiry_.top().second);
    by_expiry_.pop();
    ++dropped;
  }
  if (by_expiry_.empty() && dropped > 0) {
    // Hand the emptied tables' memory back too, not just their entries.
    seen_ = {};
    by_expiry_ = {};
  }
  return dropped;
}

std::size_t AssertionVerifier::ForgetExpired(absl::Time now) {
  absl::MutexLock lock(&mu_);
  return PruneLocked(now);
}

std::size_t AssertionVerifier::remembered() {
  absl::MutexLock lock(&mu_);
  return seen_.size();
}

absl::StatusOr<Assertion> AssertionVerifier::Verify(
    absl::string_view token, absl::string_view called_method, absl::Time now) {
  if (token.empty()) return Unauthenticated("missing");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("too large");
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Unauthenticated("malformed");
  if (parts[0] != kVersion) return Unauthenticated("unsupported version");

  // MAC first: nothing in the payload is looked at until it is authentic.
  std::optional<std::string> mac = Base64UrlDecode(parts[2]);
  if (!mac.has_value() || mac->size() != kMacBytes) {
    return Unauthenticated("malformed");
  }
  const absl::string_view signed_part =
      token.substr(0, parts[0].size() + 1 + parts[1].size());
  const std::string expected = key_.hmac_->Mac(signed_part);
  // Constant time, so response timing reveals nothing about how many MAC
  // bytes an attacker got right.
  if (expected.size() != kMacBytes ||
      CRYPTO_memcmp(expected.data(), mac->data(), kMacBytes) != 0) {
    return Unauthenticated("bad mac");
  }

  std::optional<std::string> payload = Base64UrlDecode(parts[1]);
  if (!payload.has_value()) return Unauthenticated("malformed payload");
  std::optional<Assertion> assertion = ParsePayload(*payload);
  if (!assertion.has_value()) return Unauthenticated("malformed payload");

  const absl::Duration lifetime = assertion->expires_at - assertion->issued_at;
  if (lifetime <= absl::ZeroDuration()) {
    return Unauthenticated("expires before issued");
  }
  if (lifetime > kMaxAssertionLifetime) {
    return Unauthenticated("lifetime too long");
  }
  if (assertion->issued_at > now + kAssertionClockSkew) {
    return Unauthenticated("issued in the future");
  }
  const absl::Time forget_after = assertion->expires_at + kAssertionClockSkew;
  if (now >= forget_after) return Unauthenticated("expired");
  if (assertion->method != called_method) {
    return Unauthenticated("method mismatch");
  }

  // ParsePayload accepted exactly 32 lowercase hex digits.
  const absl::uint128 nonce = absl::MakeUint128(
      HexToUint64(absl::string_view(assertion->nonce).substr(0, 16)),
      HexToUint64(absl::string_view(assertion->nonce).substr(16, 16)));
  absl::MutexLock lock(&mu_);
  PruneLocked(now);
  if (seen_.contains(nonce)) return Unauthenticated("replayed");
  if (seen_.size() >= capacity_) {
    return absl::UnavailableError("assertion: replay cache full");
  }
  seen_.insert(nonce);
  by_expiry_.emplace(forget_after, nonce);
  return *std::move(assertion);
}

}  // namespace council::auth
