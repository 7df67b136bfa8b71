// Copyright The Council Suite Authors.
//
// -----------------------------------------------------------------------------
// File: internal_assertion.h
// -----------------------------------------------------------------------------
//
// The signed "internal assertion" that carries a verified identity from the
// gateway to a backend, and from one backend to a sibling.
//
// Backends never see people's JWTs. The gateway verifies the JWT, works out
// the caller's roles, and attaches a short-lived assertion, MAC'd with a
// secret shared by the suite's services, in the gRPC metadata entry
// `x-council-assertion` (see `kAssertionMetadataKey`). A backend refuses
// any call without a valid assertion minted for exactly the method being
// called. When a backend calls a sibling it mints its own assertion with
// `caller = "services/<name>"` and `on_behalf_of` set to the person it acts
// for.
//
// Wire format (all ASCII, safe as a gRPC metadata value):
//
//   v1.<base64url(payload)>.<base64url(HMAC-SHA256(key, "v1.<payload>"))>
//
// where the payload is netstring-style fields ("<length>:<bytes>") in a fixed
// order — caller, on_behalf_of, method, nonce, issued-at, expires-at (Unix
// seconds), then each role — cheaper than JSON on both sides of every hop.
//
// Example (gateway side):
//
//   council::auth::Assertion a = council::auth::NewAssertion(
//       "people/cllr-ada-okafor", {"member"},
//       "/council.relations.v1.RelationsService/GetPerson", absl::Now());
//   context->AddMetadata(std::string(council::auth::kAssertionMetadataKey),
//                        council::auth::SignAssertion(a, key));
//
// Example (backend side, one verifier per process):
//
//   static council::auth::AssertionVerifier* verifier = ...;
//   absl::StatusOr<council::auth::Assertion> who =
//       verifier->Verify(token, server_context->method(), absl::Now());
//   if (!who.ok()) return who.status();  // UNAUTHENTICATED, "assertion: ..."
//
// Replay protection is per process: each `AssertionVerifier` remembers the
// nonces it has accepted until they expire, so an assertion is good for one
// call. Consequently callers must mint a fresh assertion for every call and
// every retry attempt; gRPC's automatic retries re-send the same metadata
// and will be refused as replays. Replicas of a backend do not share the
// cache, so a captured assertion could be replayed against another replica
// within its (30 s) lifetime; the method binding and short lifetime bound
// the damage, and transport security (mTLS) must keep assertions secret.

#ifndef COUNCIL_COMMON_AUTH_INTERNAL_ASSERTION_H_
#define COUNCIL_COMMON_AUTH_INTERNAL_ASSERTION_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace council::auth {

// kAssertionMetadataKey
//
// The gRPC metadata key carrying a signed assertion.
inline constexpr absl::string_view kAssertionMetadataKey =
    "x-council-assertion";

// kDefaultAssertionLifetime
//
// How long `NewAssertion()` makes an assertion valid: long enough for one
// hop under load, short enough that a leaked one is soon useless.
inline constexpr absl::Duration kDefaultAssertionLifetime = absl::Seconds(30);

// kMaxAssertionLifetime
//
// Assertions claiming a longer lifetime are refused, so a service that
// holds the key cannot mint long-lived bearer credentials by mistake.
inline constexpr absl::Duration kMaxAssertionLifetime = absl::Minutes(5);

// kAssertionClockSkew
//
// Tolerance for clock drift between services (which share NTP-synced hosts,
// hence much tighter than the JWT skew).
inline constexpr absl::Duration kAssertionClockSkew = absl::Seconds(5);

// Assertion
//
// The identity claims carried by an internal assertion.
struct Assertion {
  // The verified principal making the call, e.g. "people/cllr-ada-okafor"
  // or "services/access-service". Required.
  std::string caller;
  // Roles granted to `caller` (for a person, as worked out by the gateway),
  // e.g. {"member", "monitoring-officer"}. May be empty.
  std::vector<std::string> roles;
  // For service-to-service calls: the person the calling service acts for.
  // Empty when the caller acts on its own behalf.
  std::string on_behalf_of;
  // The full gRPC method the assertion is valid for, e.g.
  // "/council.relations.v1.RelationsService/GetPerson". Required.
  std::string method;
  // Validity window. Encoded with whole-second precision.
  absl::Time issued_at;
  absl::Time expires_at;
  // 128 random bits as 32 lowercase hex characters; makes each assertion
  // unique so the verifier can refuse replays. Required.
  std::string nonce;

  friend bool operator==(const Assertion& a, const Assertion& b) {
    return a.caller == b.caller && a.roles == b.roles &&
           a.on_behalf_of == b.on_behalf_of && a.method == b.method &&
           a.issued_at == b.issued_at && a.expires_at == b.expires_at &&
           a.nonce == b.nonce;
  }
};

// NewAssertion()
//
// Returns an assertion for `caller` with `roles` for `method`, valid from
// `now` for `lifetime`, with a fresh random nonce. `issued_at` is truncated
// to whole seconds so that the returned value round-trips exactly through
// `SignAssertion()` / `AssertionVerifier::Verify()`. Set `on_behalf_of`
// afterwards for sibling calls.
Assertion NewAssertion(std::string caller, std::vector<std::string> roles,
                       std::string method, absl::Time now,
                       absl::Duration lifetime = kDefaultAssertionLifetime);

// NewAssertionNonce()
//
// Returns 128 bits from OpenSSL's CSPRNG as 32 lowercase hex characters.
// Aborts the process if the CSPRNG fails: a predictable nonce would silently
// weaken replay protection.
std::string NewAssertionNonce();

// AssertionKey
//
// The HMAC-SHA256 secret shared by the gateway and backends. Copies share
// the secret, which is wiped from memory when the last copy goes away.
class AssertionKey {
 public:
  // Secrets shorter than this are refused: 32 bytes is the HMAC-SHA256
  // output size, below which brute-forcing the key gets easier than forging
  // the MAC.
  static constexpr std::size_t kMinSecretBytes = 32;

  // AssertionKey::FromFile()
  //
  // Loads the secret from `path`. Leading and trailing whitespace (such as
  // the trailing newline editors add) is ignored; the remaining bytes are
  // the key verbatim (a hex string as written by `GenerateSecretHex()` is
  // used as text, not decoded). Returns `NOT_FOUND` if the file cannot be
  // read and `INVALID_ARGUMENT` naming the file if fewer than
  // `kMinSecretBytes` bytes remain. Messages never include the secret.
  static absl::StatusOr<AssertionKey> FromFile(const std::string& path);

  // AssertionKey::FromSecretForTesting()
  //
  // Wraps `secret` as-is, with no length check.
  static AssertionKey FromSecretForTesting(std::string secret);

  // AssertionKey::GenerateSecretHex()
  //
  // Returns 32 random bytes as 64 lowercase hex characters, suitable as the
  // contents of a key file. Aborts if the CSPRNG fails.
  static std::string GenerateSecretHex();

 private:
  explicit AssertionKey(std::string secret);

  friend std::string SignAssertion(const Assertion&, const AssertionKey&);
  friend class AssertionVerifier;

  std::shared_ptr<const std::string> secret_;
  // HMAC-SHA256 with the key already absorbed (see internal_assertion.cc).
  std::shared_ptr<const class PreparedHmac> hmac_;
};

// HmacSha256ForTesting
//
// HMAC-SHA256 of `data` under `key` computed the way assertions are MAC'd
// (from precomputed pad states), for comparison with OpenSSL's HMAC().
std::string HmacSha256ForTesting(const std::string& key, absl::string_view data);

// SignAssertion()
//
// Serialises and MACs `assertion` with `key`, returning the compact token to
// put in the `x-council-assertion` metadata entry. Signs the fields as given
// and does not validate them; use `NewAssertion()` to fill in the times and
// nonce.
std::string SignAssertion(const Assertion& assertion, const AssertionKey& key);

// AssertionVerifier
//
// Verifies assertions and remembers accepted nonces to refuse replays.
// Thread-safe: `Verify()` may be called concurrently. The MAC and field
// checks run without locks; a mutex guards only the replay cache.
class AssertionVerifier {
 public:
  // Default bound on remembered nonces. With 30 s assertions this allows a
  // sustained ~3,000 calls per second per process, in roughly 20 MB.
  static constexpr std::size_t kDefaultReplayCacheCapacity = 100000;

  // AssertionVerifier::AssertionVerifier()
  //
  // Verifies with `key`, remembering at most `replay_cache_capacity` nonces.
  explicit AssertionVerifier(
      AssertionKey key,
      std::size_t replay_cache_capacity = kDefaultReplayCacheCapacity);

  AssertionVerifier(const AssertionVerifier&) = delete;
  AssertionVerifier& operator=(const AssertionVerifier&) = delete;

  // AssertionVerifier::Verify()
  //
  // Verifies `token` for a call to `called_method` at time `now`, and on
  // success records its nonce so the same token is refused next time.
  // Checks, in order: size and format; the MAC (constant-time); the payload
  // fields; lifetime at most `kMaxAssertionLifetime`; not issued more than
  // `kAssertionClockSkew` in the future; not expired more than
  // `kAssertionClockSkew` ago; `method == called_method`; nonce not seen
  // before. Nothing is recorded unless every other check passed, so forged
  // or stale tokens cannot fill the cache.
  //
  // Returns the assertion, or `UNAUTHENTICATED` with a reason of the form
  // "assertion: <reason>". If the replay cache is full of unexpired nonces,
  // returns `UNAVAILABLE` ("assertion: replay cache full") rather than
  // evicting entries early, which would reopen a replay window; the caller
  // may retry with a fresh assertion.
  absl::StatusOr<Assertion> Verify(absl::string_view token,
                                   absl::string_view called_method,
                                   absl::Time now);

  // ForgetExpired
  //
  // Drops the nonces of assertions that can no longer pass the expiry check
  // (Verify does this too, but only when a call comes) and returns how many
  // were dropped, so that an idle service can give their memory back.
  std::size_t ForgetExpired(absl::Time now);

  // remembered
  //
  // Returns how many nonces the replay cache holds now.
  std::size_t remembered();

 private:
  // Drops nonces whose assertions can no longer pass the expiry check.
  std::size_t PruneLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const AssertionKey key_;
  const std::size_t capacity_;

  absl::Mutex mu_;
  // Nonces currently remembered, as the 128-bit numbers their 32 hex digits
  // spell: about 55 bytes per call remembered instead of about 200 as
  // strings, which at 10,000 calls a second over the 15 s window is the
  // difference between 11 MB and 40 MB.
  absl::flat_hash_set<absl::uint128> seen_ ABSL_GUARDED_BY(mu_);
  // (forget_after, nonce), soonest first, so pruning is exact even when
  // assertions have different lifetimes.
  using Entry = std::pair<absl::Time, absl::uint128>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>>
      by_expiry_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace council::auth

#endif  // COUNCIL_COMMON_AUTH_INTERNAL_ASSERTION_H_
