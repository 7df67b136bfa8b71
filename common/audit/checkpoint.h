// -----------------------------------------------------------------------------
// File: common/audit/checkpoint.h
// -----------------------------------------------------------------------------
//
// Signed audit checkpoints: what a service states about its audit chain at a
// moment, signed with its Ed25519 checkpoint key, like the signed tree heads
// of Certificate Transparency. Published outside the database (an append-only
// file on another path, and the journal), they make removing entries from the
// end of the log, or rewriting it, contradict something the service signed;
// anyone holding the public key can check them, without the chain key.
//
// One checkpoint is one line of ASCII text (no newline inside):
//
//   council-audit-checkpoint/1 service=<name> chain=<hash of entry 1>
//       seq=<n> head=<hash of entry n> time=<YYYY-MM-DDTHH:MM:SSZ>
//       key=<signing key id> sig=<signature>
//
// (one line; wrapped here), the fields in exactly this order, separated by
// single spaces. The signature is Ed25519 (RFC 8032) over the line's bytes up
// to, not including, " sig=", in unpadded base64url. The key id is the first
// 16 hex digits of SHA-256 over the raw 32-byte public key. "chain" names
// the database's chain (entry 1's hash), so a checkpoint of one database
// cannot pass for another's.
//
// A file of checkpoints may hold other lines: a line is read as a checkpoint
// wherever "council-audit-checkpoint/" occurs in it, up to the end of the
// line or a double quote, so the service's JSON log lines (event
// "audit_checkpoint", field "checkpoint") exported from the journal can be
// given as they are.
#ifndef COUNCIL_COMMON_AUDIT_CHECKPOINT_H_
#define COUNCIL_COMMON_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace council {
namespace audit {

// The tag a checkpoint line starts with.
inline constexpr absl::string_view kCheckpointTag = "council-audit-checkpoint/1";

// Checkpoint
//
// What a checkpoint states.
struct Checkpoint {
  std::string service;  // e.g. "relations-service"
  std::string chain;    // hash of entry 1
  int64_t seq = 0;      // entries in the log (>= 1)
  std::string head;     // hash of entry `seq`
  absl::Time time;      // when it was signed, whole seconds
  std::string key_id;   // the signing key's id
};

// CheckpointKey
//
// An Ed25519 key (private, to sign; or public only, to verify).
class CheckpointKey {
 public:
  // FromPrivateKeyFile(), FromPublicKeyFile()
  //
  // Load a PEM key (PKCS#8 "PRIVATE KEY" as `openssl genpkey -algorithm
  // ed25519` writes; "PUBLIC KEY" as `openssl pkey -pubout` writes). NOT_FOUND
  // if the file cannot be read; INVALID_ARGUMENT naming the file if it holds
  // no such key or a key of another type. Messages never include key bytes.
  static absl::StatusOr<std::shared_ptr<const CheckpointKey>> FromPrivateKeyFile(
      const std::string& path);
  static absl::StatusOr<std::shared_ptr<const CheckpointKey>> FromPublicKeyFile(
      const std::string& path);
  // As above, from PEM text; `source` names it in messages.
  static absl::StatusOr<std::shared_ptr<const CheckpointKey>> FromPrivateKeyPem(
      absl::string_view pem, absl::string_view source);
  static absl::StatusOr<std::shared_ptr<const CheckpointKey>> FromPublicKeyPem(
      absl::string_view pem, absl::string_view source);

  // Generate()
  //
  // A new key pair, as (private PEM, public PEM).
  static absl::StatusOr<std::pair<std::string, std::string>> Generate();

  ~CheckpointKey();
  CheckpointKey(const CheckpointKey&) = delete;
  CheckpointKey& operator=(const CheckpointKey&) = delete;

  const std::string& id() const { return id_; }
  bool has_private() const { return has_private_; }
  // The public half, PEM.
  std::string PublicKeyPem() const;

  // Sign()
  //
  // The checkpoint line (no newline) for `checkpoint`, whose key_id is set
  // to this key's id. FAILED_PRECONDITION for a public-only key;
  // INVALID_ARGUMENT if a field cannot be written in the line format.
  absl::StatusOr<std::string> Sign(Checkpoint checkpoint) const;

  // Verify()
  //
  // True if `signature` is this key's signature of `message`.
  bool Verify(absl::string_view message, absl::string_view signature) const;

 private:
  CheckpointKey(EVP_PKEY* key, bool has_private);

  EVP_PKEY* key_;
  bool has_private_;
  std::string id_;
};

// CheckpointKeys
//
// Public keys by id: the current one and retired ones (after a rotation,
// checkpoints signed with the old key still verify with its public key).
using CheckpointKeys = std::map<std::string, std::shared_ptr<const CheckpointKey>>;

// ParseCheckpointLine()
//
// Finds the checkpoint in `line` (see the file comment), checks its format
// and its signature against `keys` (by key id) and returns it.
// INVALID_ARGUMENT saying what is wrong: malformed, signed with a key id not
// in `keys`, or a signature that does not verify. NOT_FOUND if `line` holds
// no checkpoint tag.
absl::StatusOr<Checkpoint> ParseCheckpointLine(absl::string_view line, const CheckpointKeys& keys);

// ReadCheckpointFile()
//
// Reads every checkpoint in the file at `path`, as claims for
// `VerifyAuditChain()` (source "path:line"). A line that carries the tag
// but does not parse or verify fails the whole read with DATA_LOSS
// "path:line: ..."; other lines are skipped. With a non-empty `service`,
// checkpoints of other services are skipped (the service name is signed).
// With `until` finite, only checkpoints signed before it are kept (to check
// a backup taken at `until` against a file that has gone on growing).
// NOT_FOUND if the file cannot be read.
absl::StatusOr<std::vector<HeadClaim>> ReadCheckpointFile(const std::string& path,
                                                          const CheckpointKeys& keys,
                                                          absl::string_view service = {},
                                                          absl::Time until =
                                                              absl::InfiniteFuture());

// AppendCheckpointLine()
//
// Appends `line` and a newline to the file at `path` (created 0640 if
// absent), in one write with O_APPEND, then fsyncs it, so a line is either
// wholly there after a crash or not at all, and nothing before it is
// rewritten (`chattr +a` on the file makes the kernel hold the service to
// that too). INTERNAL naming the file and the error otherwise.
absl::Status AppendCheckpointLine(const std::string& path, absl::string_view line);

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_CHECKPOINT_H_
