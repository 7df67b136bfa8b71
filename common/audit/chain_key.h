// -----------------------------------------------------------------------------
// File: common/audit/chain_key.h
// -----------------------------------------------------------------------------
//
// The audit chain key: the secret that MACs every audit entry (HMAC-SHA256),
// kept outside the database, so that someone who can write the database file
// but does not hold the key cannot write an entry that verifies.
//
// A key file holds at least 32 bytes after trimming surrounding whitespace
// (`openssl rand -hex 32` writes 64 hex characters, used as text, like the
// internal key). Each key has a public *key id*: the first 16 hex digits of
// HMAC-SHA256(key, "council.audit.key-id"). Keyed entries name the id of the
// key that MAC'd them, so a verifier given several keys (old ones after a
// rotation) knows which one to use; the id reveals nothing about the key.
//
// A service installs its key once at start with `SetProcessChainKey()`;
// every `AuditLog` without a key of its own then uses it.
#ifndef COUNCIL_COMMON_AUDIT_CHAIN_KEY_H_
#define COUNCIL_COMMON_AUDIT_CHAIN_KEY_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/prepared_hmac.h"

namespace council {
namespace audit {

class ChainKey {
 public:
  // As for the internal key: below the MAC's own size, guessing the key
  // gets easier than forging a MAC.
  static constexpr std::size_t kMinSecretBytes = 32;
  // Hex digits in a key id.
  static constexpr std::size_t kKeyIdChars = 16;

  // ChainKey::FromFile()
  //
  // Loads the key from `path`. Returns NOT_FOUND if the file cannot be read
  // and INVALID_ARGUMENT if it holds fewer than `kMinSecretBytes` bytes after
  // trimming whitespace. Messages name the file, never its content.
  static absl::StatusOr<std::shared_ptr<const ChainKey>> FromFile(const std::string& path);

  // ChainKey::FromSecret()
  //
  // Wraps `secret` as it is, with no length check (tests; key generation).
  static std::shared_ptr<const ChainKey> FromSecret(absl::string_view secret);

  // ChainKey::GenerateSecretHex()
  //
  // 32 random bytes as 64 lowercase hex characters: the content of a new key
  // file. Aborts if the CSPRNG fails.
  static std::string GenerateSecretHex();

  // The key's public id (16 lowercase hex digits).
  const std::string& id() const { return id_; }

  // Mac
  //
  // HMAC-SHA256 of `data` as 64 lowercase hex digits ("" if OpenSSL failed,
  // which never equals a MAC).
  std::string MacHex(absl::string_view data) const;

  ChainKey(const ChainKey&) = delete;
  ChainKey& operator=(const ChainKey&) = delete;

 private:
  explicit ChainKey(absl::string_view secret);

  auth::PreparedHmac hmac_;
  std::string id_;
};

// ChainKeyring
//
// The keys a verifier holds, by id (the current key and any retired ones).
using ChainKeyring = std::map<std::string, std::shared_ptr<const ChainKey>>;

// SetProcessChainKey()
//
// Makes `key` (may be null: unkeyed, legacy entries) the key that every
// `AuditLog` constructed without an explicit key uses from now on, and
// returns the previous one (so tests can put it back). Call in main before
// any thread appends; the key stays alive for the rest of the process.
std::shared_ptr<const ChainKey> SetProcessChainKey(std::shared_ptr<const ChainKey> key);

// ProcessChainKey()
//
// The key installed by `SetProcessChainKey()`, or null. Lock-free.
const ChainKey* ProcessChainKey();

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_CHAIN_KEY_H_
