#include "common/audit/audit_log.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"

namespace council {
namespace audit {
namespace {

using ::council::storage::Database;
using ::council::storage::Statement;

constexpr absl::string_view kHashDomain = "council.audit.v1";
constexpr absl::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// RFC 3339, UTC, always six fractional digits so the stored text (which is
// what gets hashed) has exactly one spelling per instant.
constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%E6SZ";
constexpr char kTimeParseFormat[] = "%Y-%m-%d%ET%H:%M:%E*SZ";

constexpr char kSelectColumns[] =
    "SELECT seq, recorded_at, actor, action, resource, detail, prev_hash, "
    "hash FROM audit_log ";

void AppendField(std::string* out, absl::string_view field) {
  absl::StrAppend(out, field.size(), ":", field, ",");
}

// Hashes the stored text form of an entry; see the header for the encoding.
std::string EntryHash(int64_t seq, absl::string_view recorded_at,
                      absl::string_view actor, absl::string_view action,
                      absl::string_view resource, absl::string_view detail,
                      absl::string_view prev_hash) {
  std::string encoded;
  AppendField(&encoded, kHashDomain);
  AppendField(&encoded, absl::StrCat(seq));
  AppendField(&encoded, recorded_at);
  AppendField(&encoded, actor);
  AppendField(&encoded, action);
  AppendField(&encoded, resource);
  AppendField(&encoded, detail);
  AppendField(&encoded, prev_hash);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(encoded.data(), encoded.size(), digest, &digest_len,
                 EVP_sha256(), nullptr) != 1) {
    // Only possible if OpenSSL is unusable; an empty hash can never verify,
    // so the failure surfaces rather than producing a plausible value.
    return std::string();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_len));
}

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

  const std::string recorded_at =
      absl::FormatTime(kTimeFormat, entry.recorded_at, absl::UTCTimeZone());
  entry.hash = EntryHash(entry.seq, recorded_at, entry.actor, entry.action,
                         entry.resource, entry.detail, entry.prev_hash);
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

AuditVerification VerifyAuditChain(storage::Database& db) {
  AuditVerification result;
  result.last_hash = std::string(kGenesisHash);

  // One statement is one read snapshot, so concurrent appends cannot make a
  // consistent log look broken half-way through the walk. Uncached: this
  // runs rarely and must not reset a caller's cached statement.
  absl::StatusOr<std::unique_ptr<Statement>> query =
      db.PrepareOnce(absl::StrCat(kSelectColumns, "ORDER BY seq"));
  if (!query.ok()) {
    result.problem =
        absl::StrCat("could not read audit_log: ", query.status().ToString());
    return result;
  }
  Statement& stmt = **query;

  int64_t expected_seq = 1;
  while (true) {
    absl::StatusOr<bool> has_row = stmt.Step();
    if (!has_row.ok()) {
      result.problem = absl::StrCat("could not read audit_log: ",
                                    has_row.status().ToString());
      return result;
    }
    if (!*has_row) break;
    const StoredRow row = ReadRow(stmt);

    if (row.seq != expected_seq) {
      result.first_bad_seq = expected_seq;
      result.problem =
          absl::StrCat("entry ", expected_seq, " missing (gap after ",
                       expected_seq - 1, ")");
      return result;
    }
    const std::string computed =
        EntryHash(row.seq, row.recorded_at, row.actor, row.action, row.resource,
                  row.detail, row.prev_hash);
    // Check the row against itself first: an edited row should be reported
    // as such, not as a broken link to its successor.
    if (computed != row.hash) {
      result.first_bad_seq = row.seq;
      result.problem =
          absl::StrCat("entry ", row.seq, ": hash mismatch (row changed)");
      return result;
    }
    if (row.prev_hash != result.last_hash) {
      result.first_bad_seq = row.seq;
      result.problem =
          row.seq == 1
              ? std::string("entry 1: prev_hash is not the genesis value")
              : absl::StrCat("entry ", row.seq,
                             ": prev_hash does not match entry ", row.seq - 1);
      return result;
    }
    result.last_hash = row.hash;
    ++result.entries_checked;
    ++expected_seq;
  }
  result.ok = true;
  return result;
}

}  // namespace audit
}  // namespace council
