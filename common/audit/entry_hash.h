// -----------------------------------------------------------------------------
// File: common/audit/entry_hash.h
// -----------------------------------------------------------------------------
//
// How an audit entry's `hash` is computed and read back. Two formats:
//
// Legacy (written before audit chain keys, or by a process without one):
//   64 lowercase hex digits, SHA-256 over the netstrings
//   ("<byte length>:<bytes>,") of "council.audit.v1", seq (decimal),
//   recorded_at (the stored text), actor, action, resource, detail and
//   prev_hash. Anyone can recompute it, so anyone with write access to the
//   file can rewrite a legacy chain consistently.
//
// Keyed (v2):
//   "v2:<key id>:<digest>:<mac>", where
//     digest = SHA-256 hex over the netstrings of "council.audit.v2", key id,
//              seq, recorded_at, actor, action, resource, detail, prev_hash;
//     mac    = HMAC-SHA256 hex, under the chain key named by key id, of
//              "council.audit.v2.mac:" + digest.
//   Two layers on purpose: the digest commits publicly to the entry and its
//   predecessor, so an auditor holding only the checkpoint public key can
//   check the chain up to a signed checkpoint's head; the MAC lets the
//   holder of the chain key check every entry, including those after the
//   last checkpoint. Without the key nobody can write a MAC that verifies.
//
// The length prefixes make both encodings unambiguous; prev_hash of entry 1
// is 64 '0' characters; prev_hash of any later entry is the previous entry's
// whole hash text, whatever its format.
#ifndef COUNCIL_COMMON_AUDIT_ENTRY_HASH_H_
#define COUNCIL_COMMON_AUDIT_ENTRY_HASH_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/audit/chain_key.h"

namespace council {
namespace audit {

// The prev_hash of entry 1.
inline constexpr absl::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// EntryFields
//
// An entry's stored text, as hashed.
struct EntryFields {
  int64_t seq = 0;
  absl::string_view recorded_at, actor, action, resource, detail, prev_hash;
};

// LegacyEntryHash()
//
// The legacy (plain SHA-256) hash text; "" only if OpenSSL fails.
std::string LegacyEntryHash(const EntryFields& entry);

// KeyedEntryHash()
//
// The keyed (v2) hash text under `key`; "" only if OpenSSL fails.
std::string KeyedEntryHash(const EntryFields& entry, const ChainKey& key);

// KeyedEntryDigest(), KeyedEntryMac()
//
// The two parts of a keyed hash, for verifiers that check them one by one.
std::string KeyedEntryDigest(const EntryFields& entry, absl::string_view key_id);
std::string KeyedEntryMac(absl::string_view digest, const ChainKey& key);

// ParsedEntryHash
//
// A stored hash text taken apart (views into it).
struct ParsedEntryHash {
  enum class Kind { kLegacy, kKeyed, kMalformed };
  Kind kind = Kind::kMalformed;
  absl::string_view key_id;  // keyed only
  absl::string_view digest;  // keyed: the digest; legacy: the whole hash
  absl::string_view mac;     // keyed only
};

// ParseEntryHash()
//
// Tells the formats apart by shape (64 hex digits, or "v2:" with a 16-digit
// key id and two 64-digit hex parts); anything else is kMalformed.
ParsedEntryHash ParseEntryHash(absl::string_view hash);

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_ENTRY_HASH_H_
