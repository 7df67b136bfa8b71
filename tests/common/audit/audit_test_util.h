// Helpers for the audit tests: a migrated scratch database, committed
// appends, and what an attacker with write access to the file does (raw
// SQL with the triggers dropped, the chain recomputed).
#ifndef COUNCIL_TESTS_COMMON_AUDIT_AUDIT_TEST_UTIL_H_
#define COUNCIL_TESTS_COMMON_AUDIT_AUDIT_TEST_UTIL_H_

#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/audit/entry_hash.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"
#include "gtest/gtest.h"

namespace council::audit::testing {

inline void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
}

// A path unique to the running test, under the test temp directory.
inline std::string TestPath(const std::string& suffix) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(::testing::TempDir(), "council_audit_", info->test_suite_name(), "_",
                      info->name(), "_", getpid(), suffix);
}

inline absl::Time TestTime(int second) {
  return absl::FromCivil(absl::CivilSecond(2024, 5, 1, 9, 30, second), absl::UTCTimeZone());
}

// Opens (creating) a database with an audit_log, as a service's migrations do.
inline std::unique_ptr<storage::Database> OpenMigrated(const std::string& path) {
  auto db = storage::Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return nullptr;
  absl::Status status = storage::ApplyMigrations(**db, "test", {AuditLogMigration(1)});
  EXPECT_TRUE(status.ok()) << status;
  return *std::move(db);
}

// Appends `count` entries, each in its own committed transaction, with `key`
// (null: legacy entries).
inline void AppendEntries(storage::Database& db, const ChainKey* key, int count,
                          const std::string& prefix = "change") {
  for (int i = 1; i <= count; ++i) {
    auto txn = storage::Transaction::Begin(db);
    ASSERT_TRUE(txn.ok()) << txn.status();
    auto entry = AuditLog(&db, key).Append("people/alice", "thing.update",
                                           absl::StrCat("things/", i),
                                           absl::StrCat(prefix, " ", i), TestTime(i % 60));
    ASSERT_TRUE(entry.ok()) << entry.status();
    ASSERT_TRUE(txn->Commit().ok());
  }
}

// Runs `sql` on a plain SQLite connection, bypassing Database and its
// defensive settings, the way someone with write access to the file could.
// The triggers are dropped first, as an attacker would.
inline void AttackerExec(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* error = nullptr;
  const std::string all = absl::StrCat(
      "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; "
      "DROP TRIGGER IF EXISTS audit_log_seq_contiguous; ",
      sql);
  const int rc = sqlite3_exec(raw, all.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "") << " in " << sql;
  sqlite3_free(error);
  sqlite3_close(raw);
}

struct Row {
  int64_t seq;
  std::string recorded_at, actor, action, resource, detail, prev_hash, hash;
};

inline std::vector<Row> ReadRows(storage::Database& db) {
  std::vector<Row> rows;
  auto stmt = db.PrepareOnce(
      "SELECT seq, recorded_at, actor, action, resource, detail, prev_hash, hash "
      "FROM audit_log ORDER BY seq");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  if (!stmt.ok()) return rows;
  while (true) {
    auto has = (*stmt)->Step();
    EXPECT_TRUE(has.ok()) << has.status();
    if (!has.ok() || !*has) break;
    rows.push_back(Row{(*stmt)->ColumnInt64(0), (*stmt)->ColumnText(1), (*stmt)->ColumnText(2),
                       (*stmt)->ColumnText(3), (*stmt)->ColumnText(4), (*stmt)->ColumnText(5),
                       (*stmt)->ColumnText(6), (*stmt)->ColumnText(7)});
  }
  return rows;
}

// Recomputes every hash and link from entry `from` to the end with
// `hash_of` (the attacker's best effort), after `edit` has changed the rows
// in memory, and writes the rows back: the "change a row and recompute the
// chain to the end" attack.
inline void RewriteChain(const std::string& path,
                         const std::function<void(std::vector<Row>&)>& edit,
                         const std::function<std::string(const EntryFields&)>& hash_of,
                         int64_t from = 1) {
  std::vector<Row> rows;
  {
    auto db = storage::Database::OpenReadOnly(path);
    ASSERT_TRUE(db.ok()) << db.status();
    rows = ReadRows(**db);
  }
  edit(rows);
  std::string prev = from == 1 ? std::string(kGenesisHash) : rows[from - 2].hash;
  for (Row& row : rows) {
    if (row.seq < from) continue;
    row.prev_hash = prev;
    row.hash = hash_of(EntryFields{row.seq, row.recorded_at, row.actor, row.action, row.resource,
                                   row.detail, row.prev_hash});
    prev = row.hash;
  }
  std::string sql = "DELETE FROM audit_log; ";
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += (c == '\'') ? std::string("''") : std::string(1, c);
    return out + "'";
  };
  for (const Row& row : rows) {
    absl::StrAppend(&sql, "INSERT INTO audit_log VALUES (", row.seq, ", ", quote(row.recorded_at),
                    ", ", quote(row.actor), ", ", quote(row.action), ", ", quote(row.resource),
                    ", ", quote(row.detail), ", ", quote(row.prev_hash), ", ", quote(row.hash),
                    "); ");
  }
  AttackerExec(path, sql);
}

}  // namespace council::audit::testing

#endif  // COUNCIL_TESTS_COMMON_AUDIT_AUDIT_TEST_UTIL_H_
