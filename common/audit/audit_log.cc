#include "common/audit/audit_log.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/entry_hash.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"

namespace council {
namespace audit {
namespace {

using ::council::storage::Database;
using ::council::storage::Statement;

// RFC 3339, UTC, always six fractional digits so the stored text (which is
// what gets hashed) has exactly one spelling per instant.
constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%E6SZ";
constexpr char kTimeParseFormat[] = "%Y-%m-%d%ET%H:%M:%E*SZ";

constexpr char kSelectColumns[] =
    "SELECT seq, recorded_at, actor, action, resource, detail, prev_hash, "
    "hash FROM audit_log ";

// Columns as returned by kSelectColumns, in text form.
struct StoredRow {
  int64_t seq;
  std::string recorded_at, actor, action, resource, detail, prev_hash, hash;
};

StoredRow ReadRow(const Statement& stmt) {
  return StoredRow{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2),
                   stmt.ColumnText(3),  stmt.ColumnText(4), stmt.ColumnText(5),
                   stmt.ColumnText(6),  stmt.ColumnText(7)};
}

}  // namespace

storage::Migration AuditLogMigration(int version) {
  return storage::Migration{version, "create append-only audit_log",
                            R"sql(
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,  -- assigned by AuditLog::Append, no gaps
  recorded_at TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  resource    TEXT NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_by_resource ON audit_log(resource, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;

-- INSERT OR REPLACE deletes the conflicting row without firing DELETE
-- triggers, and an explicit seq could leave a gap; insisting on max+1
-- closes both holes.
CREATE TRIGGER audit_log_seq_contiguous BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_log)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: seq must be last seq + 1');
END;
)sql"};
}

absl::StatusOr<AuditEntry> AuditLog::Append(absl::string_view actor,
                                            absl::string_view action,
                                            absl::string_view resource,
                                            absl::string_view detail,
                                            absl::Time now) {
  if (!db_->InTransaction()) {
    return absl::InternalError(
        "AuditLog::Append must run inside the caller's transaction so the "
        "entry commits or rolls back with the change it records");
  }
  if (actor.empty() || action.empty()) {
    return absl::InvalidArgumentError(
        "AuditLog::Append: actor and action must be non-empty");
  }
  static const absl::Time kEarliest = absl::UnixEpoch();
  static const absl::Time kLatest =
      absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone());
  if (now < kEarliest || now >= kLatest) {
    return absl::InvalidArgumentError(
        absl::StrCat("AuditLog::Append: timestamp out of range: ",
                     absl::FormatTime(now, absl::UTCTimeZone())));
  }

  AuditEntry entry;
  entry.recorded_at = absl::FromUnixMicros(absl::ToUnixMicros(now));
  entry.actor = std::string(actor);
  entry.action = std::string(action);
  entry.resource = std::string(resource);
  entry.detail = std::string(detail);

  absl::StatusOr<Statement*> tail =
      db_->Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!tail.ok()) return tail.status();
  absl::StatusOr<bool> has_tail = (*tail)->Step();
  if (!has_tail.ok()) return has_tail.status();
  if (*has_tail) {
    entry.seq = (*tail)->ColumnInt64(0) + 1;
    entry.prev_hash = (*tail)->ColumnText(1);
    (*tail)->Reset();
  } else {
    entry.seq = 1;
    entry.prev_hash = std::string(kGenesisHash);
  }

  const ChainKey* key = use_process_key_ ? ProcessChainKey() : key_;
  if (key == nullptr &&
      ParseEntryHash(entry.prev_hash).kind == ParsedEntryHash::Kind::kKeyed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "audit_log entry ", entry.seq - 1,
        " is keyed, and no audit chain key is loaded: an unkeyed entry after it "
        "would never verify (give the service its --audit_key_file)"));
  }

  const std::string recorded_at =
      absl::FormatTime(kTimeFormat, entry.recorded_at, absl::UTCTimeZone());
  const EntryFields fields{entry.seq,      recorded_at,     entry.actor,
                           entry.action,   entry.resource,  entry.detail,
                           entry.prev_hash};
  entry.hash = key != nullptr ? KeyedEntryHash(fields, *key) : LegacyEntryHash(fields);
  if (entry.hash.empty()) {
    return absl::InternalError("AuditLog::Append: SHA-256 unavailable");
  }

  absl::StatusOr<Statement*> insert = db_->Prepare(
      "INSERT INTO audit_log(seq, recorded_at, actor, action, resource, "
      "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  Statement& stmt = **insert;
  for (absl::Status s :
       {stmt.Bind(1, entry.seq), stmt.Bind(2, recorded_at),
        stmt.Bind(3, entry.actor), stmt.Bind(4, entry.action),
        stmt.Bind(5, entry.resource), stmt.Bind(6, entry.detail),
        stmt.Bind(7, entry.prev_hash), stmt.Bind(8, entry.hash)}) {
    if (!s.ok()) return s;
  }
  if (absl::Status s = stmt.Run(); !s.ok()) return s;
  return entry;
}

absl::StatusOr<std::vector<AuditEntry>> AuditLog::List(
    int64_t after_seq, int limit, absl::string_view resource_filter) {
  if (limit <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("AuditLog::List: limit must be positive, got ", limit));
  }
  limit = std::min(limit, kMaxListLimit);

  absl::StatusOr<Statement*> query =
      resource_filter.empty()
          ? db_->Prepare(absl::StrCat(kSelectColumns,
                                      "WHERE seq > ?1 ORDER BY seq LIMIT ?2"))
          : db_->Prepare(absl::StrCat(
                kSelectColumns,
                "WHERE resource = ?3 AND seq > ?1 ORDER BY seq LIMIT ?2"));
  if (!query.ok()) return query.status();
  Statement& stmt = **query;
  if (absl::Status s = stmt.Bind(1, after_seq); !s.ok()) return s;
  if (absl::Status s = stmt.Bind(2, int64_t{limit}); !s.ok()) return s;
  if (!resource_filter.empty()) {
    if (absl::Status s = stmt.Bind(3, resource_filter); !s.ok()) return s;
  }

  std::vector<AuditEntry> entries;
  while (true) {
    absl::StatusOr<bool> has_row = stmt.Step();
    if (!has_row.ok()) return has_row.status();
    if (!*has_row) break;
    StoredRow row = ReadRow(stmt);
    AuditEntry entry;
    entry.seq = row.seq;
    std::string error;
    if (!absl::ParseTime(kTimeParseFormat, row.recorded_at, absl::UTCTimeZone(),
                         &entry.recorded_at, &error)) {
      stmt.Reset();
      return absl::DataLossError(absl::StrCat("audit_log entry ", row.seq,
                                              ": unparseable recorded_at \"",
                                              row.recorded_at, "\": ", error));
    }
    entry.actor = std::move(row.actor);
    entry.action = std::move(row.action);
    entry.resource = std::move(row.resource);
    entry.detail = std::move(row.detail);
    entry.prev_hash = std::move(row.prev_hash);
    entry.hash = std::move(row.hash);
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<ChainTail> ReadChainTail(storage::Database& db) {
  // Both lookups in one statement, so they come from one snapshot.
  absl::StatusOr<std::unique_ptr<Statement>> query = db.PrepareOnce(
      "SELECT (SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), "
      "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), "
      "(SELECT hash FROM audit_log WHERE seq = 1)");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = (*query)->Step();
  if (!row.ok()) return row.status();
  ChainTail tail;
  tail.hash = std::string(kGenesisHash);
  if (*row && !(*query)->ColumnIsNull(0)) {
    tail.seq = (*query)->ColumnInt64(0);
    tail.hash = (*query)->ColumnText(1);
    tail.first_hash = (*query)->ColumnText(2);
    const ParsedEntryHash parsed = ParseEntryHash(tail.hash);
    if (parsed.kind == ParsedEntryHash::Kind::kKeyed) tail.key_id = std::string(parsed.key_id);
  }
  return tail;
}

}  // namespace audit
}  // namespace council
