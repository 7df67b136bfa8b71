// -----------------------------------------------------------------------------
// File: common/audit/audit_log.h
// -----------------------------------------------------------------------------
//
// An append-only, hash-chained audit trail stored in the service's own SQLite
// file, in a table named `audit_log`.
//
// Every entry records who (`actor`) did what (`action`) to which
// `resource`, with free-text `detail`, and carries the SHA-256 `hash` of its
// own contents plus the previous entry's hash (`prev_hash`). Because the
// audit row is written inside the same transaction as the change it
// describes, a change and its audit entry commit or roll back together.
//
// Tamper evidence comes in two layers:
//
//   * SQL triggers make UPDATE and DELETE on `audit_log` fail and reject
//     inserts that are not exactly "last seq + 1", which stops application
//     bugs and casual edits (including INSERT OR REPLACE, which would
//     otherwise delete a row without firing a DELETE trigger).
//   * `VerifyAuditChain()` recomputes the chain, detecting rows edited,
//     removed or swapped by someone who bypassed the triggers with direct
//     file access. Removing entries from the *end* of the log leaves a valid
//     shorter chain; to detect that, record `AuditVerification::last_hash`
//     (and the entry count) somewhere outside this database.
//
// Entry hash: lowercase hex SHA-256 over the concatenation, for each of the
// fields "council.audit.v1", seq (decimal ASCII), recorded_at (the stored
// text), actor, action, resource, detail and prev_hash, of
// `<byte length in decimal>:<bytes>,` (a netstring). The length prefixes
// make the encoding unambiguous: no two distinct entries encode the same.
// The first entry's prev_hash is 64 '0' characters.
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

  explicit AuditLog(storage::Database* db) : db_(db) {}

  // AuditLog::Append()
  //
  // Appends one entry inside the caller's open transaction, so it commits
  // or rolls back with the change it records; returns INTERNAL if no
  // transaction is open. `now` is truncated to microseconds, the precision
  // stored; the returned entry carries the stored values. Timestamps are not
  // required to increase (clocks step), so ordering comes from `seq` only.
  //
  // Returns INVALID_ARGUMENT if `actor` or `action` is empty or `now` is
  // outside years 1970..9999.
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
};

// AuditVerification
//
// The outcome of `VerifyAuditChain()`.
struct AuditVerification {
  // True if every entry checked out (also true for an empty log).
  bool ok = false;
  // Entries whose hash and link were verified before stopping.
  int64_t entries_checked = 0;
  // The first seq found to be bad (for a gap, the missing seq); 0 if `ok`
  // or if the log could not be read at all.
  int64_t first_bad_seq = 0;
  // Human-readable reason, e.g. "entry 17: hash mismatch (row changed)",
  // "entry 18 missing (gap after 17)", "entry 19: prev_hash does not match
  // entry 18", or "could not read audit_log: ..."; empty if `ok`.
  std::string problem;
  // Hash of the last verified entry, 64 '0' for an empty log. Store it
  // outside the database to detect later truncation of the log's tail.
  std::string last_hash;
};

// VerifyAuditChain()
//
// Walks the whole `audit_log` in seq order within one read snapshot and
// stops at the first problem: a seq gap, a row whose hash does not match its
// contents, or a prev_hash that does not equal the previous entry's hash.
// Memory use is constant; time is linear in the log's length, so run it from
// an admin path or a periodic job, not per request.
AuditVerification VerifyAuditChain(storage::Database& db);

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_AUDIT_LOG_H_
