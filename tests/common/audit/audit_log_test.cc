#include "common/audit/audit_log.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"
#include "gtest/gtest.h"

namespace council {
namespace audit {
namespace {

using ::absl::StatusCode;
using ::council::storage::Database;
using ::council::storage::Migration;
using ::council::storage::Statement;
using ::council::storage::Transaction;

const std::string kZeroHash(64, '0');

void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

absl::Time TestTime(int second, int64_t nanos = 0) {
  return absl::FromCivil(absl::CivilSecond(2024, 5, 1, 9, 30, second),
                         absl::UTCTimeZone()) +
         absl::Nanoseconds(nanos);
}

// Runs `sql` on a plain SQLite connection, bypassing Database (and its
// defensive settings) the way someone with file access could.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "") << " in " << sql;
  sqlite3_free(error);
  sqlite3_close(raw);
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    base_ = absl::StrCat(::testing::TempDir(), "council_audit_test_",
                         info->name(), "_", getpid());
    path_ = base_ + ".db";
    RemoveDbFiles(path_);
    db_ = OpenMigrated(path_);
  }
  void TearDown() override {
    db_.reset();
    RemoveDbFiles(path_);
  }

  static std::unique_ptr<Database> OpenMigrated(const std::string& path) {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    const std::vector<Migration> migrations = {
        {1, "create thing",
         "CREATE TABLE thing(id INTEGER PRIMARY KEY, name TEXT);"},
        AuditLogMigration(2),
    };
    absl::Status status = storage::ApplyMigrations(**db, "test", migrations);
    EXPECT_TRUE(status.ok()) << status;
    return *std::move(db);
  }

  // Appends one entry in its own committed transaction.
  static AuditEntry AppendCommitted(Database& db, absl::string_view detail,
                                    absl::string_view resource = "thing/1",
                                    absl::Time now = TestTime(0)) {
    absl::StatusOr<Transaction> txn = Transaction::Begin(db);
    EXPECT_TRUE(txn.ok()) << txn.status();
    AuditLog log(&db);
    absl::StatusOr<AuditEntry> entry =
        log.Append("alice", "thing.update", resource, detail, now);
    EXPECT_TRUE(entry.ok()) << entry.status();
    absl::Status status = txn->Commit();
    EXPECT_TRUE(status.ok()) << status;
    return entry.ok() ? *entry : AuditEntry();
  }

  void AppendCommitted(int count) {
    for (int i = 1; i <= count; ++i) {
      AppendCommitted(*db_, absl::StrCat("change ", i));
    }
  }

  std::string base_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, AppendBuildsChain) {
  const AuditEntry first = AppendCommitted(*db_, "one");
  const AuditEntry second = AppendCommitted(*db_, "two");
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kZeroHash);
  EXPECT_EQ(first.hash.size(), 64u);
  EXPECT_EQ(first.hash.find_first_not_of("0123456789abcdef"),
            std::string::npos);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_NE(second.hash, first.hash);
}

TEST_F(AuditLogTest, HashMatchesDocumentedEncoding) {
  // Golden value computed independently (Python hashlib) from the encoding
  // documented in audit_log.h; changing the encoding breaks every stored log.
  absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  AuditLog log(db_.get());
  absl::StatusOr<AuditEntry> entry =
      log.Append("alice", "resident.update", "resident/123", "postcode changed",
                 TestTime(0, 123456789));
  ASSERT_TRUE(entry.ok()) << entry.status();
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(entry->hash,
            "aa4979ec79f95a8f9e321370438823b1baac6a351ebd24d0f46c51d32ec1f9e2");

  absl::StatusOr<Statement*> stmt =
      db_->Prepare("SELECT recorded_at FROM audit_log WHERE seq = 1");
  ASSERT_TRUE(stmt.ok());
  absl::StatusOr<bool> row = (*stmt)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*stmt)->ColumnText(0), "2024-05-01T09:30:00.123456Z");
  (*stmt)->Reset();
}

TEST_F(AuditLogTest, ListPagesAndFilters) {
  const absl::Time with_nanos = TestTime(5, 123456789);
  AppendCommitted(*db_, "a1", "thing/a", with_nanos);
  AppendCommitted(*db_, "b1", "thing/b");
  AppendCommitted(*db_, "a2", "thing/a");
  AppendCommitted(*db_, "b2", "thing/b");

  AuditLog log(db_.get());
  absl::StatusOr<std::vector<AuditEntry>> all = log.List(0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].seq, 1);
  EXPECT_EQ((*all)[0].actor, "alice");
  EXPECT_EQ((*all)[0].action, "thing.update");
  EXPECT_EQ((*all)[0].resource, "thing/a");
  EXPECT_EQ((*all)[0].detail, "a1");
  EXPECT_EQ((*all)[0].prev_hash, kZeroHash);
  // Stored with microsecond precision.
  EXPECT_EQ((*all)[0].recorded_at, TestTime(5, 123456000));
  EXPECT_EQ((*all)[3].prev_hash, (*all)[2].hash);

  absl::StatusOr<std::vector<AuditEntry>> page = log.List(1, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 2);
  EXPECT_EQ((*page)[1].seq, 3);

  absl::StatusOr<std::vector<AuditEntry>> only_b = log.List(0, 100, "thing/b");
  ASSERT_TRUE(only_b.ok());
  ASSERT_EQ(only_b->size(), 2u);
  EXPECT_EQ((*only_b)[0].detail, "b1");
  EXPECT_EQ((*only_b)[1].detail, "b2");

  only_b = log.List(2, 100, "thing/b");
  ASSERT_TRUE(only_b.ok());
  ASSERT_EQ(only_b->size(), 1u);
  EXPECT_EQ((*only_b)[0].seq, 4);

  absl::StatusOr<std::vector<AuditEntry>> none = log.List(4, 100);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  EXPECT_EQ(log.List(0, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, AppendValidatesInput) {
  AuditLog log(db_.get());
  absl::StatusOr<AuditEntry> entry =
      log.Append("alice", "thing.update", "thing/1", "", TestTime(0));
  EXPECT_EQ(entry.status().code(), StatusCode::kInternal)
      << "outside a transaction: " << entry.status();

  absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(
      log.Append("", "thing.update", "r", "d", TestTime(0)).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(log.Append("alice", "", "r", "d", TestTime(0)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(log.Append("alice", "a", "r", "d", absl::InfiniteFuture())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // Empty resource and detail are allowed.
  EXPECT_TRUE(log.Append("alice", "a", "", "", TestTime(0)).ok());
}

TEST_F(AuditLogTest, VerifyPassesOnGoodChain) {
  AuditVerification empty = VerifyAuditChain(*db_);
  EXPECT_TRUE(empty.ok) << empty.problem;
  EXPECT_EQ(empty.entries_checked, 0);
  EXPECT_EQ(empty.last_hash, kZeroHash);

  AppendCommitted(4);
  const AuditEntry last = AppendCommitted(*db_, "fifth");
  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.entries_checked, 5);
  EXPECT_EQ(result.first_bad_seq, 0);
  EXPECT_EQ(result.problem, "");
  EXPECT_EQ(result.last_hash, last.hash);
}

TEST_F(AuditLogTest, TriggersRefuseUpdateDeleteAndOutOfOrderInsert) {
  AppendCommitted(3);
  const char* const refused[] = {
      "UPDATE audit_log SET detail = 'edited' WHERE seq = 2",
      "DELETE FROM audit_log WHERE seq = 3",
      "DELETE FROM audit_log",
      // REPLACE would delete row 1 without firing the DELETE trigger.
      "INSERT OR REPLACE INTO audit_log VALUES "
      "(1, 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
      "INSERT INTO audit_log VALUES (9, 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
      "INSERT INTO audit_log(recorded_at, actor, action, resource, detail, "
      "prev_hash, hash) VALUES ('x', 'x', 'x', 'x', 'x', 'x', 'x')",
  };
  for (const char* sql : refused) {
    absl::Status status = db_->Exec(sql);
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition)
        << sql << " -> " << status;
    EXPECT_NE(status.message().find("append-only"), absl::string_view::npos)
        << status;
  }
  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.entries_checked, 3);
}

TEST_F(AuditLogTest, VerifyDetectsChangedRow) {
  AppendCommitted(5);
  db_.reset();
  RawExec(path_,
          "DROP TRIGGER audit_log_no_update; "
          "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3;");
  db_ = OpenMigrated(path_);

  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_EQ(result.entries_checked, 2);
  EXPECT_EQ(result.problem, "entry 3: hash mismatch (row changed)");
}

TEST_F(AuditLogTest, VerifyDetectsDeletedRow) {
  AppendCommitted(5);
  db_.reset();
  RawExec(path_,
          "DROP TRIGGER audit_log_no_delete; "
          "DELETE FROM audit_log WHERE seq = 4;");
  db_ = OpenMigrated(path_);

  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_EQ(result.entries_checked, 3);
  EXPECT_EQ(result.problem, "entry 4 missing (gap after 3)");
}

TEST_F(AuditLogTest, VerifyDetectsDeletedFirstRow) {
  AppendCommitted(2);
  db_.reset();
  RawExec(path_,
          "DROP TRIGGER audit_log_no_delete; "
          "DELETE FROM audit_log WHERE seq = 1;");
  db_ = OpenMigrated(path_);

  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 1);
  EXPECT_EQ(result.entries_checked, 0);
}

TEST_F(AuditLogTest, VerifyDetectsRowSplicedFromAnotherChain) {
  // A self-consistent row (its own hash is right) that does not link to its
  // predecessor: the attacker rebuilt one entry with a valid hash.
  AppendCommitted(3);
  const std::string other_path = base_ + "_other.db";
  RemoveDbFiles(other_path);
  {
    std::unique_ptr<Database> other = OpenMigrated(other_path);
    ASSERT_NE(other, nullptr);
    AppendCommitted(*other, "forged 1");
    AppendCommitted(*other, "forged 2");
    AppendCommitted(*other, "forged 3");
  }
  db_.reset();
  RawExec(path_, absl::StrCat("ATTACH '", other_path,
                              "' AS other; "
                              "DROP TRIGGER audit_log_no_delete; "
                              "DROP TRIGGER audit_log_seq_contiguous; "
                              "DELETE FROM main.audit_log WHERE seq = 3; "
                              "INSERT INTO main.audit_log "
                              "SELECT * FROM other.audit_log WHERE seq = 3;"));
  RemoveDbFiles(other_path);
  db_ = OpenMigrated(path_);

  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_EQ(result.entries_checked, 2);
  EXPECT_EQ(result.problem, "entry 3: prev_hash does not match entry 2");
}

TEST_F(AuditLogTest, RolledBackAppendDoesNotBreakChain) {
  AuditLog log(db_.get());  // One instance across the rollback.
  const AuditEntry first = AppendCommitted(*db_, "kept");
  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO thing(name) VALUES ('doomed')").ok());
    absl::StatusOr<AuditEntry> doomed =
        log.Append("alice", "thing.create", "thing/2", "doomed", TestTime(1));
    ASSERT_TRUE(doomed.ok()) << doomed.status();
    EXPECT_EQ(doomed->seq, 2);
    // Leaving scope without Commit() rolls back both rows.
  }

  absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  absl::StatusOr<AuditEntry> second =
      log.Append("bob", "thing.create", "thing/3", "real", TestTime(2));
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, first.hash);

  absl::StatusOr<Statement*> count = db_->Prepare("SELECT count(*) FROM thing");
  ASSERT_TRUE(count.ok());
  absl::StatusOr<bool> row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*count)->ColumnInt64(0), 0);
  (*count)->Reset();

  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.entries_checked, 2);
}

TEST_F(AuditLogTest, SeesAppendsFromAnotherConnection) {
  AuditLog log(db_.get());
  AppendCommitted(*db_, "one");
  {
    absl::StatusOr<std::unique_ptr<Database>> admin = Database::Open(path_);
    ASSERT_TRUE(admin.ok());
    AppendCommitted(**admin, "from admin tool");
  }
  absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  absl::StatusOr<AuditEntry> third =
      log.Append("alice", "thing.update", "thing/1", "three", TestTime(3));
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(third->seq, 3);
  AuditVerification result = VerifyAuditChain(*db_);
  EXPECT_TRUE(result.ok) << result.problem;
}

TEST_F(AuditLogTest, VerifyReportsMissingTable) {
  absl::StatusOr<std::unique_ptr<Database>> bare = Database::Open(":memory:");
  ASSERT_TRUE(bare.ok());
  AuditVerification result = VerifyAuditChain(**bare);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.problem.find("could not read audit_log"), std::string::npos)
      << result.problem;
}

}  // namespace
}  // namespace audit
}  // namespace council
