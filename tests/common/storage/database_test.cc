#include "common/storage/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace council {
namespace storage {
namespace {

using ::absl::StatusCode;

void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = absl::StrCat(::testing::TempDir(), "council_database_test_",
                         info->name(), "_", getpid(), ".db");
    RemoveDbFiles(path_);
  }
  void TearDown() override { RemoveDbFiles(path_); }

  std::unique_ptr<Database> OpenOrDie() {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path_);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  // Returns the single integer produced by `sql`, or -999 on failure.
  static int64_t QueryInt(Database& db, absl::string_view sql) {
    absl::StatusOr<Statement*> stmt = db.Prepare(sql);
    if (!stmt.ok()) return -999;
    absl::StatusOr<bool> row = (*stmt)->Step();
    if (!row.ok() || !*row) return -999;
    const int64_t value = (*stmt)->ColumnInt64(0);
    (*stmt)->Reset();
    return value;
  }

  static std::string QueryText(Database& db, absl::string_view sql) {
    absl::StatusOr<Statement*> stmt = db.Prepare(sql);
    if (!stmt.ok()) return "<prepare failed>";
    absl::StatusOr<bool> row = (*stmt)->Step();
    if (!row.ok() || !*row) return "<no row>";
    std::string value = (*stmt)->ColumnText(0);
    (*stmt)->Reset();
    return value;
  }

  std::string path_;
};

TEST_F(DatabaseTest, OpenCreatesFileAndConfiguresConnection) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->path(), path_);
  EXPECT_EQ(access(path_.c_str(), F_OK), 0);
  EXPECT_EQ(QueryText(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryInt(*db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(QueryInt(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_FALSE(db->InTransaction());
}

// A writer that finds the database locked gets it soon after it is released
// (common/storage/database.cc, WaitWhileBusy): SQLite's own busy timeout
// retries after 1, 2, 5, 10 ms..., so a lock held 9 ms was taken 18 ms in.
// The best of five tries, so that one slow wake-up on a busy machine does not
// decide.
TEST_F(DatabaseTest, WriterWaitingForALockGetsItSoonAfterRelease) {
  std::unique_ptr<Database> first = OpenOrDie();
  std::unique_ptr<Database> second = OpenOrDie();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  absl::Duration best_lateness = absl::InfiniteDuration();
  for (int attempt = 0; attempt < 5; ++attempt) {
    absl::StatusOr<Transaction> holder = Transaction::Begin(*first);
    ASSERT_TRUE(holder.ok());
    absl::Time released;
    std::thread release([&] {
      absl::SleepFor(absl::Milliseconds(9));
      released = absl::Now();
      ASSERT_TRUE(holder->Commit().ok());
    });
    absl::StatusOr<Transaction> waiter = Transaction::Begin(*second);
    const absl::Time acquired = absl::Now();
    release.join();
    ASSERT_TRUE(waiter.ok()) << waiter.status();
    ASSERT_TRUE(waiter->Commit().ok());
    best_lateness = std::min(best_lateness, acquired - released);
  }
  EXPECT_LT(best_lateness, absl::Milliseconds(3));
}

TEST_F(DatabaseTest, InMemoryDatabaseOpens) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)->Exec("CREATE TABLE t(x)").ok());
}

TEST_F(DatabaseTest, BindStepAndReadColumns) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, "
                       "s TEXT, b BLOB)")
                  .ok());

  absl::StatusOr<Statement*> insert =
      db->Prepare("INSERT INTO t(id, i, s, b) VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok()) << insert.status();
  const std::string blob("a\0b\xff", 4);
  ASSERT_TRUE((*insert)->Bind(1, 1).ok());
  ASSERT_TRUE((*insert)->Bind(2, int64_t{1} << 40).ok());
  ASSERT_TRUE((*insert)->Bind(3, "hello, \xc3\xa9").ok());
  ASSERT_TRUE((*insert)->BindBlob(4, blob).ok());
  ASSERT_TRUE((*insert)->Run().ok());
  EXPECT_EQ(db->LastInsertRowId(), 1);
  EXPECT_EQ(db->Changes(), 1);

  // Empty text and empty blob are values, not NULL.
  insert = db->Prepare("INSERT INTO t(id, i, s, b) VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE((*insert)->Bind(1, 2).ok());
  ASSERT_TRUE((*insert)->BindNull(2).ok());
  ASSERT_TRUE((*insert)->Bind(3, absl::string_view()).ok());
  ASSERT_TRUE((*insert)->BindBlob(4, absl::string_view()).ok());
  ASSERT_TRUE((*insert)->Run().ok());

  absl::StatusOr<Statement*> query =
      db->Prepare("SELECT i, s, b, s IS NULL, b IS NULL FROM t ORDER BY id");
  ASSERT_TRUE(query.ok()) << query.status();
  Statement& q = **query;
  EXPECT_EQ(q.ColumnCount(), 5);

  absl::StatusOr<bool> row = q.Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(q.ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(q.ColumnText(1), "hello, \xc3\xa9");
  EXPECT_EQ(q.ColumnBlob(2), blob);
  EXPECT_FALSE(q.ColumnIsNull(0));

  row = q.Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_TRUE(q.ColumnIsNull(0));
  EXPECT_EQ(q.ColumnInt64(0), 0);
  EXPECT_FALSE(q.ColumnIsNull(1));
  EXPECT_EQ(q.ColumnText(1), "");
  EXPECT_EQ(q.ColumnInt64(3), 0);  // s IS NULL
  EXPECT_EQ(q.ColumnInt64(4), 0);  // b IS NULL
  // Out-of-range columns read as empty instead of undefined behaviour.
  EXPECT_TRUE(q.ColumnIsNull(99));
  EXPECT_EQ(q.ColumnText(-1), "");

  row = q.Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
  EXPECT_EQ(q.ColumnInt64(0), 0);  // No current row.
}

TEST_F(DatabaseTest, PrepareCachesAndResetsStatement) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);").ok());

  absl::StatusOr<Statement*> first =
      db->Prepare("SELECT x, ?1 IS NULL FROM t ORDER BY x");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE((*first)->Bind(1, 42).ok());
  absl::StatusOr<bool> row = (*first)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*first)->ColumnInt64(1), 0);  // Bound.
  row = (*first)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*first)->ColumnInt64(0), 2);

  // Same SQL returns the same object, rewound and with bindings cleared.
  absl::StatusOr<Statement*> second =
      db->Prepare("SELECT x, ?1 IS NULL FROM t ORDER BY x");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  row = (*second)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*second)->ColumnInt64(0), 1);
  EXPECT_EQ((*second)->ColumnInt64(1), 1);  // Binding was cleared.
  (*second)->Reset();
}

TEST_F(DatabaseTest, PrepareOnceIsIndependentOfCache) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  absl::StatusOr<std::unique_ptr<Statement>> a = db->PrepareOnce("SELECT 7");
  absl::StatusOr<std::unique_ptr<Statement>> b = db->PrepareOnce("SELECT 7");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  absl::StatusOr<bool> row = (*a)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*a)->ColumnInt64(0), 7);
  EXPECT_EQ((*a)->sql(), "SELECT 7");
}

TEST_F(DatabaseTest, PrepareRejectsBadSql) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);

  absl::StatusOr<Statement*> stmt = db->Prepare("SELEC 1");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kInternal);
  EXPECT_NE(stmt.status().message().find("syntax error"),
            absl::string_view::npos)
      << stmt.status();
  EXPECT_NE(stmt.status().message().find("SELEC 1"), absl::string_view::npos);

  stmt = db->Prepare("SELECT * FROM missing_table");
  ASSERT_FALSE(stmt.ok());
  EXPECT_NE(stmt.status().message().find("no such table: missing_table"),
            absl::string_view::npos)
      << stmt.status();

  stmt = db->Prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kInternal);
  EXPECT_NE(stmt.status().message().find("exactly one"),
            absl::string_view::npos);

  stmt = db->Prepare("   ");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kInternal);

  // A trailing semicolon and whitespace are fine.
  EXPECT_TRUE(db->Prepare("SELECT 1;  \n").ok());
}

TEST_F(DatabaseTest, BindOutOfRangeIsInternal) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Statement*> stmt = db->Prepare("SELECT ?");
  ASSERT_TRUE(stmt.ok());
  absl::Status status = (*stmt)->Bind(2, 1);
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status;
  EXPECT_EQ((*stmt)->Bind(0, "x").code(), StatusCode::kInternal);
}

TEST_F(DatabaseTest, ExecReportsErrors) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  absl::Status status = db->Exec("CREATE TABLE t(x); CREATE TABLE t(x);");
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("table t already exists"),
            absl::string_view::npos)
      << status;
}

TEST_F(DatabaseTest, CommittedTransactionIsVisibleToNewConnection) {
  {
    std::unique_ptr<Database> db = OpenOrDie();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").ok());
    absl::StatusOr<Transaction> txn = Transaction::Begin(*db);
    ASSERT_TRUE(txn.ok()) << txn.status();
    EXPECT_TRUE(db->InTransaction());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(txn->Commit().ok());
    EXPECT_FALSE(db->InTransaction());
    EXPECT_EQ(txn->Commit().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(txn->Rollback().code(), StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM t"), 1);
}

TEST_F(DatabaseTest, TransactionRollsBackOnDestruction) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").ok());
  {
    absl::StatusOr<Transaction> txn = Transaction::Begin(*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM t"), 1);
  }
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM t"), 0);
}

TEST_F(DatabaseTest, ExplicitRollbackAndMovedTransaction) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").ok());

  absl::StatusOr<Transaction> txn = Transaction::Begin(*db);
  ASSERT_TRUE(txn.ok());
  Transaction moved = *std::move(txn);
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(moved.Rollback().ok());
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM t"), 0);
}

TEST_F(DatabaseTest, TransactionsDoNotNest) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Transaction> outer = Transaction::Begin(*db);
  ASSERT_TRUE(outer.ok());
  absl::StatusOr<Transaction> inner = Transaction::Begin(*db);
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(db->InTransaction());  // Outer transaction unaffected.
}

TEST_F(DatabaseTest, CommitSucceedsWithUnfinishedCachedStatements) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").ok());
  absl::StatusOr<Transaction> txn = Transaction::Begin(*db);
  ASSERT_TRUE(txn.ok());
  // A write statement stepped once but not finished would make a bare
  // COMMIT fail with "SQL statements in progress".
  absl::StatusOr<Statement*> insert =
      db->Prepare("INSERT INTO t VALUES (1), (2) RETURNING x");
  ASSERT_TRUE(insert.ok());
  absl::StatusOr<bool> row = (*insert)->Step();
  ASSERT_TRUE(row.ok() && *row);
  absl::Status status = txn->Commit();
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM t"), 2);
}

TEST_F(DatabaseTest, ConstraintViolationsMapToStatusCodes) {
  std::unique_ptr<Database> db = OpenOrDie();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec(R"sql(
      CREATE TABLE parent(id INTEGER PRIMARY KEY, code TEXT UNIQUE,
                          n INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0));
      CREATE TABLE parent_text(k TEXT PRIMARY KEY);
      CREATE TABLE child(id INTEGER PRIMARY KEY,
                         parent_id INTEGER NOT NULL REFERENCES parent(id));
      INSERT INTO parent(id, code) VALUES (1, 'a');
      INSERT INTO parent_text VALUES ('k');
  )sql")
                  .ok());

  struct Case {
    const char* sql;
    StatusCode code;
    const char* message_part;
  };
  const Case cases[] = {
      {"INSERT INTO parent(id, code) VALUES (2, 'a')",
       StatusCode::kAlreadyExists, "UNIQUE constraint failed: parent.code"},
      {"INSERT INTO parent(id, code) VALUES (1, 'b')",
       StatusCode::kAlreadyExists, "UNIQUE constraint failed: parent.id"},
      {"INSERT INTO parent_text VALUES ('k')", StatusCode::kAlreadyExists,
       "UNIQUE constraint failed: parent_text.k"},
      {"INSERT INTO parent(id, code, n) VALUES (3, 'c', NULL)",
       StatusCode::kFailedPrecondition, "NOT NULL constraint failed"},
      {"INSERT INTO parent(id, code, n) VALUES (4, 'd', -1)",
       StatusCode::kFailedPrecondition, "CHECK constraint failed"},
      {"INSERT INTO child(id, parent_id) VALUES (1, 99)",
       StatusCode::kFailedPrecondition, "FOREIGN KEY constraint failed"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Statement*> stmt = db->Prepare(c.sql);
    ASSERT_TRUE(stmt.ok()) << stmt.status();
    absl::Status status = (*stmt)->Run();
    EXPECT_EQ(status.code(), c.code) << c.sql << " -> " << status;
    EXPECT_NE(status.message().find(c.message_part), absl::string_view::npos)
        << status;
  }
}

TEST_F(DatabaseTest, BusyWriterMapsToUnavailable) {
  std::unique_ptr<Database> first = OpenOrDie();
  std::unique_ptr<Database> second = OpenOrDie();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  absl::StatusOr<Transaction> holder = Transaction::Begin(*first);
  ASSERT_TRUE(holder.ok());
  sqlite3_busy_timeout(second->raw(), 20);  // Keep the test fast.
  absl::StatusOr<Transaction> blocked = Transaction::Begin(*second);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kUnavailable)
      << blocked.status();
  EXPECT_NE(blocked.status().message().find("locked"), absl::string_view::npos)
      << blocked.status();
}

TEST_F(DatabaseTest, GarbageFileIsDataLoss) {
  {
    std::ofstream out(path_, std::ios::binary);
    out << std::string(4096, 'x');
  }
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status();
  EXPECT_NE(db.status().message().find("not a database"),
            absl::string_view::npos)
      << db.status();

  db = Database::OpenReadOnly(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status();
}

TEST_F(DatabaseTest, ReadOnlyConnectionSeesCommitsAndRefusesWrites) {
  std::unique_ptr<Database> writer = OpenOrDie();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(
      writer->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);").ok());

  absl::StatusOr<std::unique_ptr<Database>> reader =
      Database::OpenReadOnly(path_);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(QueryInt(**reader, "SELECT count(*) FROM t"), 1);

  // WAL: the reader is not blocked by an open write transaction and does not
  // see it until it commits.
  absl::StatusOr<Transaction> txn = Transaction::Begin(*writer);
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(writer->Exec("INSERT INTO t VALUES (2)").ok());
  EXPECT_EQ(QueryInt(**reader, "SELECT count(*) FROM t"), 1);
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(QueryInt(**reader, "SELECT count(*) FROM t"), 2);

  absl::Status status = (*reader)->Exec("INSERT INTO t VALUES (3)");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("readonly"), absl::string_view::npos)
      << status;
}

TEST_F(DatabaseTest, OpenReadOnlyMissingFileFails) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::OpenReadOnly(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find(path_), absl::string_view::npos)
      << db.status();
  EXPECT_NE(access(path_.c_str(), F_OK), 0);  // Not created.
}

TEST_F(DatabaseTest, OpenInMissingDirectoryFails) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(path_ + ".nonexistent-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kInternal) << db.status();
}

TEST(StatusFromSqliteTest, MapsCodes) {
  EXPECT_TRUE(StatusFromSqlite(SQLITE_OK, nullptr, "x").ok());
  EXPECT_TRUE(StatusFromSqlite(SQLITE_DONE, nullptr, "x").ok());
  EXPECT_EQ(StatusFromSqlite(SQLITE_BUSY, nullptr, "x").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_LOCKED_SHAREDCACHE, nullptr, "x").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CONSTRAINT_PRIMARYKEY, nullptr, "x").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CONSTRAINT_TRIGGER, nullptr, "x").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CORRUPT, nullptr, "x").code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(StatusFromSqlite(SQLITE_IOERR_FSYNC, nullptr, "x").code(),
            StatusCode::kInternal);
  absl::Status status = StatusFromSqlite(SQLITE_IOERR_FSYNC, nullptr, "Commit");
  EXPECT_NE(status.message().find("Commit: disk I/O error"),
            absl::string_view::npos)
      << status;
}

}  // namespace
}  // namespace storage
}  // namespace council
