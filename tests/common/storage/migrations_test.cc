#include "common/storage/migrations.h"

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
#include "common/storage/database.h"
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

std::vector<Migration> ThreeMigrations() {
  return {
      {1, "create widget",
       "CREATE TABLE widget(id INTEGER PRIMARY KEY, name TEXT);"},
      {2, "seed widget",
       "INSERT INTO widget(name) VALUES ('first'); "
       "INSERT INTO widget(name) VALUES ('second');"},
      {3, "add colour", "ALTER TABLE widget ADD COLUMN colour TEXT;"},
  };
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = absl::StrCat(::testing::TempDir(), "council_migrations_test_",
                         info->name(), "_", getpid(), ".db");
    RemoveDbFiles(path_);
    Reopen();
  }
  void TearDown() override {
    db_.reset();
    RemoveDbFiles(path_);
  }

  void Reopen() {
    db_.reset();
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  int Version() {
    absl::StatusOr<int> version = SchemaVersion(*db_);
    EXPECT_TRUE(version.ok()) << version.status();
    return version.ok() ? *version : -1;
  }

  int64_t Count(absl::string_view sql) {
    absl::StatusOr<Statement*> stmt = db_->Prepare(sql);
    if (!stmt.ok()) return -1;
    absl::StatusOr<bool> row = (*stmt)->Step();
    if (!row.ok() || !*row) return -1;
    const int64_t value = (*stmt)->ColumnInt64(0);
    (*stmt)->Reset();
    return value;
  }

  bool TableExists(absl::string_view name) {
    return Count(absl::StrCat(
               "SELECT count(*) FROM sqlite_schema WHERE type='table' AND "
               "name='",
               name, "'")) == 1;
  }

  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(MigrationsTest, FreshDatabaseIsVersionZero) {
  EXPECT_EQ(Version(), 0);
  EXPECT_TRUE(ApplyMigrations(*db_, "svc", {}).ok());
  EXPECT_EQ(Version(), 0);
}

TEST_F(MigrationsTest, AppliesAllInOrder) {
  absl::Status status = ApplyMigrations(*db_, "svc", ThreeMigrations());
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Version(), 3);
  // Migration 2 depends on 1 and 3 on 1: order mattered.
  EXPECT_EQ(Count("SELECT count(*) FROM widget WHERE colour IS NULL"), 2);
}

TEST_F(MigrationsTest, IdempotentOnReopen) {
  ASSERT_TRUE(ApplyMigrations(*db_, "svc", ThreeMigrations()).ok());
  Reopen();
  // Re-running migration 1 would fail (table exists) and re-running 2 would
  // duplicate rows, so success plus the row count proves nothing re-ran.
  absl::Status status = ApplyMigrations(*db_, "svc", ThreeMigrations());
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM widget"), 2);
}

TEST_F(MigrationsTest, AppliesOnlyNewMigrations) {
  std::vector<Migration> migrations = ThreeMigrations();
  migrations.pop_back();
  ASSERT_TRUE(ApplyMigrations(*db_, "svc", migrations).ok());
  EXPECT_EQ(Version(), 2);
  Reopen();
  absl::Status status = ApplyMigrations(*db_, "svc", ThreeMigrations());
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM widget WHERE colour IS NULL"), 2);
}

TEST_F(MigrationsTest, RefusesDatabaseNewerThanBinary) {
  ASSERT_TRUE(ApplyMigrations(*db_, "svc", ThreeMigrations()).ok());
  Reopen();
  std::vector<Migration> older = ThreeMigrations();
  older.pop_back();
  absl::Status status = ApplyMigrations(*db_, "profile", older);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            absl::StrCat("profile: database ", path_,
                         " has schema version 3 but this binary only knows up "
                         "to 2; refusing to start (upgrade the binary or "
                         "restore a backup)"));
  EXPECT_EQ(Version(), 3);  // Untouched.
}

TEST_F(MigrationsTest, RejectsMalformedMigrationListsBeforeTouchingFile) {
  const std::vector<std::vector<Migration>> bad_lists = {
      {{0, "zero", "CREATE TABLE a(x);"}},
      {{2, "starts at two", "CREATE TABLE a(x);"}},
      {{1, "one", "CREATE TABLE a(x);"},
       {1, "duplicate", "CREATE TABLE b(x);"}},
      {{1, "one", "CREATE TABLE a(x);"}, {3, "gap", "CREATE TABLE b(x);"}},
      {{2, "two", "CREATE TABLE b(x);"}, {1, "one", "CREATE TABLE a(x);"}},
  };
  for (const std::vector<Migration>& list : bad_lists) {
    absl::Status status = ApplyMigrations(*db_, "svc", list);
    EXPECT_EQ(status.code(), StatusCode::kInternal) << status;
    EXPECT_NE(status.message().find("1.."), absl::string_view::npos) << status;
  }
  EXPECT_EQ(Version(), 0);
  EXPECT_FALSE(TableExists("a"));
}

TEST_F(MigrationsTest, FailedMigrationRollsBackAndKeepsEarlierOnes) {
  std::vector<Migration> migrations = {
      {1, "create widget",
       "CREATE TABLE widget(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
      {2, "half-broken",
       "CREATE TABLE gadget(x); INSERT INTO widget(name) VALUES (NULL);"},
      {3, "never reached", "CREATE TABLE sprocket(x);"},
  };
  absl::Status status = ApplyMigrations(*db_, "svc", migrations);
  // The constraint's code survives the annotation.
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("svc: migration 2 (half-broken)"),
            absl::string_view::npos)
      << status;
  EXPECT_NE(status.message().find("NOT NULL constraint failed"),
            absl::string_view::npos)
      << status;
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Version(), 1);
  EXPECT_TRUE(TableExists("widget"));
  EXPECT_FALSE(TableExists("gadget"));
  EXPECT_FALSE(TableExists("sprocket"));

  // Fixing the migration lets the next start finish the job.
  migrations[1].sql = "CREATE TABLE gadget(x);";
  status = ApplyMigrations(*db_, "svc", migrations);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Version(), 3);
  EXPECT_TRUE(TableExists("sprocket"));
}

TEST_F(MigrationsTest, MigrationMayNotCommitItself) {
  absl::Status status = ApplyMigrations(
      *db_, "svc", {{1, "sneaky", "CREATE TABLE a(x); COMMIT;"}});
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status;
  EXPECT_EQ(Version(), 0);
}

TEST_F(MigrationsTest, SecondConnectionSeesMigratedVersionAndSkips) {
  ASSERT_TRUE(ApplyMigrations(*db_, "svc", ThreeMigrations()).ok());
  absl::StatusOr<std::unique_ptr<Database>> other = Database::Open(path_);
  ASSERT_TRUE(other.ok());
  absl::Status status = ApplyMigrations(**other, "svc", ThreeMigrations());
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(Count("SELECT count(*) FROM widget"), 2);
}

}  // namespace
}  // namespace storage
}  // namespace council
