// -----------------------------------------------------------------------------
// File: common/audit/audit_log.h
// -----------------------------------------------------------------------------
//
// An append-only, hash-chained audit trail stored in the service's own SQLite
// file, in a table named `audit_log`.
//
// Every entry records who (`actor`) did what (`action`) to which
// `resource`, with free-text `detail`, and carries a `hash` over its own
// contents and the previous entry's hash (`prev_hash`). Because the audit row
// is written inside the same transaction as the change it describes, a change
// and its audit entry commit or roll back together.
//
// Tamper evidence comes in three layers:
//
//   * SQL triggers make UPDATE and DELETE on `audit_log` fail and reject
//     inserts that are not exactly "last seq + 1", which stops application
//     bugs and casual edits (including INSERT OR REPLACE, which would
//     otherwise delete a row without firing a DELETE trigger).
//   * The keyed chain: with an audit chain key (chain_key.h; a file outside
//     the database), each hash carries an HMAC under that key, so someone
//     who can write the file but does not hold the key cannot change, swap
//     or rewrite entries and recompute a chain that verifies.
//   * Signed checkpoints (checkpoint.h, checkpointer.h): the service signs
//     (seq, head hash) with an Ed25519 key at a fixed interval and on
//     shutdown and appends it to a file elsewhere and to its journal, so
//     removing entries from the end, or rewriting the chain even with the
//     chain key, contradicts a signed checkpoint.
//
// `VerifyAuditChain()` recomputes the chain and, given the keys and the
// checkpoints, checks all three. The hash formats (legacy plain SHA-256, and
// keyed "v2:...") are defined in entry_hash.h. A database written before
// chain keys holds legacy entries; the first keyed entry (a service started
// with a key appends one at once, see service_audit.h) seals them, and a
// legacy entry after a keyed one fails verification.
//
// Example:
//
//   // In the service's migration list:
//   council::audit::AuditLogMigration(2),
//
//   // In a write path, under the service's write mutex:
//   absl::StatusOr<Transaction> txn = Transaction::Begin(db);
//   if (!txn.ok()) return txn.status();
//   ... update the resident row ...
//   council::audit::AuditLog audit(&db);
//   absl::StatusOr<council::audit::AuditEntry> entry = audit.Append(
//       caller_id, "resident.update_address", "resident/123",
//       "postcode changed", absl::Now());
//   if (!entry.ok()) return entry.status();  // Rolls back the update too.
//   return txn->Commit();

#ifndef COUNCIL_COMMON_AUDIT_AUDIT_LOG_H_
#define COUNCIL_COMMON_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/chain_key.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"

namespace council {
namespace audit {

// AuditLogMigration()
//
// Returns the migration that creates the `audit_log` table, its
// `(resource, seq)` index and its append-only triggers, numbered `version`
// in the calling service's migration list. The table is:
//
//   audit_log(seq INTEGER PRIMARY KEY, recorded_at TEXT, actor TEXT,
//             action TEXT, resource TEXT, detail TEXT, prev_hash TEXT,
//             hash TEXT)
//
// with `recorded_at` in RFC 3339 UTC with microseconds
// ("2024-05-01T09:30:00.123456Z").
storage::Migration AuditLogMigration(int version);

// AuditEntry
//
// One row of the audit log. `seq` starts at 1 and has no gaps.
struct AuditEntry {
  int64_t seq = 0;
  absl::Time recorded_at;
  std::string actor;
  std::string action;
  std::string resource;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

// AuditLog
//
// Appends to and reads the `audit_log` table through a `Database` that must
// outlive it. Like `Database` it is not thread-safe; use it under the same
// lock that serialises the service's writes.
//
// It deliberately keeps no cached "last hash": each `Append()` reads the
// tail row inside the caller's transaction (one B-tree descent on the
// INTEGER PRIMARY KEY). A cache would go stale whenever the caller's
// transaction rolled back, or another connection (say, an admin tool)
// appended, and a stale prev_hash would break the chain permanently.
class AuditLog {
 public:
  // Upper bound on `List()` page size, so one call cannot load the whole
  // log into memory.
  static constexpr int kMaxListLimit = 1000;

  // Appends with the process's chain key (`ProcessChainKey()`, read at each
  // append), or legacy entries if none is installed.
  explicit AuditLog(storage::Database* db) : db_(db) {}
  // Appends with `key`, or legacy entries if `key` is null. `key` must
  // outlive this object.
  AuditLog(storage::Database* db, const ChainKey* key)
      : db_(db), use_process_key_(false), key_(key) {}

  // AuditLog::Append()
  //
  // Appends one entry inside the caller's open transaction, so it commits
  // or rolls back with the change it records; returns INTERNAL if no
  // transaction is open. `now` is truncated to microseconds, the precision
  // stored; the returned entry carries the stored values. Timestamps are not
  // required to increase (clocks step), so ordering comes from `seq` only.
  //
  // Returns INVALID_ARGUMENT if `actor` or `action` is empty or `now` is
  // outside years 1970..9999, and FAILED_PRECONDITION without a key when the
  // last entry is keyed (an unkeyed entry after it would never verify).
  absl::StatusOr<AuditEntry> Append(absl::string_view actor,
                                    absl::string_view action,
                                    absl::string_view resource,
                                    absl::string_view detail, absl::Time now);

  // AuditLog::List()
  //
  // Returns up to `limit` entries with seq greater than `after_seq`, oldest
  // first; pass the last returned seq to fetch the next page. With a
  // non-empty `resource_filter`, returns only entries whose resource equals
  // it exactly. `limit` is capped at `kMaxListLimit`; returns
  // INVALID_ARGUMENT if it is not positive, DATA_LOSS if a stored timestamp
  // cannot be parsed.
  absl::StatusOr<std::vector<AuditEntry>> List(
      int64_t after_seq, int limit, absl::string_view resource_filter = {});

 private:
  storage::Database* db_;
  bool use_process_key_ = true;
  const ChainKey* key_ = nullptr;
};

// ChainTail
//
// The last entry's seq and hash (0 and the genesis value for an empty log),
// entry 1's hash (the chain's identity in checkpoints; empty for an empty
// log) and the key id of the last entry ("" if it is legacy).
struct ChainTail {
  int64_t seq = 0;
  std::string hash;
  std::string first_hash;
  std::string key_id;
};

// ReadChainTail()
//
// Reads the tail in one snapshot (two primary-key lookups).
absl::StatusOr<ChainTail> ReadChainTail(storage::Database& db);

// HeadClaim
//
// What a signed checkpoint says about the chain (see checkpoint.h), for
// `VerifyAuditChain()`: the log had `seq` entries, entry `seq`'s hash was
// `head` and entry 1's hash was `chain`. `source` names the checkpoint in
// messages ("file:line").
struct HeadClaim {
  int64_t seq = 0;
  std::string head;
  std::string chain;
  std::string source;
};

// VerifyOptions
//
// What `VerifyAuditChain()` checks beyond the hashes anyone can recompute.
struct VerifyOptions {
  // Chain keys by id. With at least one, every keyed entry's MAC is checked,
  // a key id none of them has fails, a key may not come back after another
  // replaced it, and the log must hold at least one keyed entry (so that a
  // chain rewritten as plain SHA-256 fails). Empty: MACs are not checked.
  ChainKeyring keys;
  // Claims from signed checkpoints, in any order; each must hold.
  std::vector<HeadClaim> checkpoints;
};

// AuditVerification
//
// The outcome of `VerifyAuditChain()`.
struct AuditVerification {
  // True if every check passed (also true for an empty log).
  bool ok = false;
  // Entries whose hash and link were verified before stopping.
  int64_t entries_checked = 0;
  // The first seq found to be bad (for a gap, the missing seq); 0 if `ok`,
  // if the log could not be read at all, or if the problem is a checkpoint
  // beyond the log's end.
  int64_t first_bad_seq = 0;
  // Human-readable reason, e.g. "entry 17: hash mismatch (row changed)",
  // "entry 18 missing (gap after 17)", "entry 19: prev_hash does not match
  // entry 18", "relations.checkpoints:12: checkpoint says ...", or "could not
  // read audit_log: ..."; empty if `ok`.
  std::string problem;
  // Hash of the last verified entry, the genesis value for an empty log.
  std::string last_hash;
  // Of the entries checked: legacy (plain SHA-256) ones, all before the
  // first keyed one, and keyed ones.
  int64_t legacy_entries = 0;
  int64_t keyed_entries = 0;
  // Whether keyed entries' MACs were checked (keys were given).
  bool macs_checked = false;
  // Key ids of the keyed entries, in the order they took over.
  std::vector<std::string> key_ids;
  // Checkpoint claims that matched, and the highest seq among them.
  int64_t checkpoints_matched = 0;
  int64_t last_checkpoint_seq = 0;
};

// VerifyAuditChain()
//
// Walks the whole `audit_log` in seq order within one read snapshot and
// stops at the first problem: a seq gap, a row whose hash does not match its
// contents (for keyed entries: the digest, and the MAC when keys are given),
// a prev_hash that does not equal the previous entry's hash, a legacy entry
// after a keyed one, or a checkpoint claim the chain contradicts (entry 1 or
// entry `seq` with another hash, or a log shorter than `seq`). Memory use is
// constant apart from the claims; time is linear in the log's length, so
// run it from an admin path or a periodic job, not per request.
AuditVerification VerifyAuditChain(storage::Database& db,
                                   const VerifyOptions& options = {});

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_AUDIT_LOG_H_
