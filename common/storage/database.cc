#include "common/storage/database.h"

#include <unistd.h>

#include <sqlite3.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace council {
namespace storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Waits for a lock another connection holds, for up to kBusyTimeoutMs.
// Locks here are held briefly (a checkpoint restarting the WAL, another
// process's commit), so it polls every 200 µs for the first 10 ms, then every
// millisecond. SQLite's own busy timeout sleeps 1, 2, 5, 10, 15... ms between
// tries, which turned a lock held for 3 ms into a wait of 8 ms: the largest
// part of access-service's decision latency tail at 1,000 decisions/s.
int WaitWhileBusy(void*, int tries) {
  constexpr int kFineTries = 50;
  constexpr int kFineMicros = 200;
  if (tries < kFineTries) {
    usleep(kFineMicros);
    return 1;
  }
  const int waited_ms = kFineTries * kFineMicros / 1000 + (tries - kFineTries);
  if (waited_ms >= kBusyTimeoutMs) return 0;  // SQLITE_BUSY to the caller
  usleep(1000);
  return 1;
}

// Keeps log lines bounded when a long migration script fails.
constexpr size_t kMaxSqlInMessage = 200;

std::string QuoteSql(absl::string_view sql) {
  if (sql.size() <= kMaxSqlInMessage) return absl::StrCat("\"", sql, "\"");
  return absl::StrCat("\"", sql.substr(0, kMaxSqlInMessage), "...\"");
}

absl::Status CodeForSqlite(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(std::move(message));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE ||
          rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_ROWID) {
        return absl::AlreadyExistsError(std::move(message));
      }
      return absl::FailedPreconditionError(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(std::move(message));
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(std::move(message));
    case SQLITE_READONLY:
      return absl::FailedPreconditionError(std::move(message));
    case SQLITE_TOOBIG:
      return absl::InvalidArgumentError(std::move(message));
    case SQLITE_INTERRUPT:
      return absl::CancelledError(std::move(message));
    case SQLITE_ABORT:
      return absl::AbortedError(std::move(message));
    default:  // SQLITE_ERROR, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_MISUSE...
      return absl::InternalError(std::move(message));
  }
}

}  // namespace

absl::Status StatusFromSqlite(int rc, sqlite3* db, absl::string_view context) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return absl::OkStatus();
  }
  std::string message = absl::StrCat(context, ": ");
  // sqlite3_errmsg describes the connection's most recent failure, which is
  // only ours if the codes agree; otherwise fall back to the generic text.
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) {
    absl::StrAppend(&message, sqlite3_errmsg(db));
  } else {
    absl::StrAppend(&message, sqlite3_errstr(rc));
  }
  absl::StrAppend(&message, " [sqlite code ", rc, "]");
  return CodeForSqlite(rc, std::move(message));
}

// ----------------------------------------------------------------------------
// Statement

Statement::~Statement() { sqlite3_finalize(stmt_); }

absl::Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  if (rc == SQLITE_RANGE) {
    return absl::InternalError(absl::StrCat("Bind: parameter index ", index,
                                            " out of range for ",
                                            QuoteSql(sql())));
  }
  return StatusFromSqlite(
      rc, sqlite3_db_handle(stmt_),
      absl::StrCat("Bind ", index, " of ", QuoteSql(sql())));
}

absl::Status Statement::Bind(int index, int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, absl::string_view text) {
  // A null data pointer (as in a default-constructed string_view) would make
  // SQLite bind NULL; an empty string is a different value.
  const char* data = text.data() != nullptr ? text.data() : "";
  return BindResult(sqlite3_bind_text64(stmt_, index, data, text.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8),
                    index);
}

absl::Status Statement::BindBlob(int index, absl::string_view bytes) {
  if (bytes.empty()) {
    // As above: a null pointer would bind NULL, not a zero-length blob.
    return BindResult(sqlite3_bind_zeroblob(stmt_, index, 0), index);
  }
  return BindResult(sqlite3_bind_blob64(stmt_, index, bytes.data(),
                                        bytes.size(), SQLITE_TRANSIENT),
                    index);
}

absl::Status Statement::BindNull(int index) {
  return BindResult(sqlite3_bind_null(stmt_, index), index);
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return false;
  }
  // Build the status before resetting: reset rewrites the error message.
  absl::Status status = StatusFromSqlite(
      rc, sqlite3_db_handle(stmt_), absl::StrCat("Step ", QuoteSql(sql())));
  sqlite3_reset(stmt_);
  return status;
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() { sqlite3_reset(stmt_); }

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::ValidColumn(int i) const {
  // sqlite3_data_count is 0 unless the statement is positioned on a row, so
  // this also guards reads after Step() returned false.
  return i >= 0 && i < sqlite3_data_count(stmt_);
}

int64_t Statement::ColumnInt64(int i) const {
  if (!ValidColumn(i)) return 0;
  return sqlite3_column_int64(stmt_, i);
}

std::string Statement::ColumnText(int i) const {
  if (!ValidColumn(i)) return std::string();
  // Fetch the pointer before the length, as SQLite documents: the text
  // conversion can change the byte count.
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::string Statement::ColumnBlob(int i) const {
  if (!ValidColumn(i)) return std::string();
  const void* blob = sqlite3_column_blob(stmt_, i);
  if (blob == nullptr) return std::string();
  return std::string(static_cast<const char*>(blob),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

bool Statement::ColumnIsNull(int i) const {
  if (!ValidColumn(i)) return true;
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

std::string Statement::sql() const {
  const char* text = sqlite3_sql(stmt_);
  return text != nullptr ? std::string(text) : std::string();
}

// ----------------------------------------------------------------------------
// Database

absl::StatusOr<std::unique_ptr<Database>> Database::OpenWithFlags(
    const std::string& path, int flags) {
  sqlite3* handle = nullptr;
  // NOMUTEX: the class contract already requires external serialisation, so
  // SQLite's per-connection mutex would only add cost.
  const int rc =
      sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX,
                      /*zVfs=*/nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status =
        StatusFromSqlite(rc, handle, absl::StrCat("open ", path));
    sqlite3_close_v2(handle);  // SQLite may allocate a handle even on failure.
    return status;
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  // Extended codes let us tell UNIQUE from FOREIGN KEY violations.
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_handler(handle, WaitWhileBusy, nullptr);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  return db;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenWithFlags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();

  {
    // journal_mode reports the mode actually in effect, which differs from
    // the request when WAL is impossible (in-memory databases, some network
    // filesystems); running without WAL would silently change durability
    // and concurrency, so refuse instead.
    absl::StatusOr<std::unique_ptr<Statement>> pragma =
        (*db)->PrepareOnce("PRAGMA journal_mode=WAL");
    if (!pragma.ok()) return pragma.status();
    absl::StatusOr<bool> row = (*pragma)->Step();
    if (!row.ok()) return row.status();
    const std::string mode =
        *row ? absl::AsciiStrToLower((*pragma)->ColumnText(0)) : "";
    (*pragma)->Reset();
    const bool in_memory = path == ":memory:" && mode == "memory";
    if (mode != "wal" && !in_memory) {
      return absl::InternalError(absl::StrCat(
          "open ", path, ": could not enable WAL journal mode (got \"", mode,
          "\")"));
    }
  }
  absl::Status status =
      (*db)->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!status.ok()) return status;
  return db;
}

absl::StatusOr<std::unique_ptr<Database>> Database::OpenReadOnly(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenWithFlags(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  // SQLite reads the header lazily; touch the schema now so a garbage file
  // fails here with DATA_LOSS rather than on the first query.
  absl::Status status = (*db)->Exec("SELECT count(*) FROM sqlite_schema");
  if (!status.ok()) return status;
  return db;
}

Database::~Database() {
  cache_.clear();  // Finalize statements before closing the connection.
  // close_v2 defers the close if an uncached Statement is (wrongly) still
  // alive, instead of leaking the connection.
  sqlite3_close_v2(db_);
}

absl::Status Database::Exec(absl::string_view sql) {
  const std::string copy(sql);  // sqlite3_exec needs NUL termination.
  const int rc = sqlite3_exec(db_, copy.c_str(), /*callback=*/nullptr,
                              /*arg=*/nullptr, /*errmsg=*/nullptr);
  return StatusFromSqlite(rc, db_, absl::StrCat("Exec ", QuoteSql(sql)));
}

absl::StatusOr<std::unique_ptr<Statement>> Database::Compile(
    absl::string_view sql) {
  if (sql.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InternalError("Prepare: SQL text too long");
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return StatusFromSqlite(rc, db_, absl::StrCat("Prepare ", QuoteSql(sql)));
  }
  if (stmt == nullptr) {
    return absl::InternalError(
        absl::StrCat("Prepare: no SQL statement in ", QuoteSql(sql)));
  }
  auto statement = std::unique_ptr<Statement>(new Statement(stmt));
  const size_t consumed = static_cast<size_t>(tail - sql.data());
  // Silently ignoring a second statement would hide a bug (it would never
  // run), so demand exactly one.
  if (!absl::StripAsciiWhitespace(sql.substr(consumed)).empty()) {
    return absl::InternalError(absl::StrCat(
        "Prepare: expected exactly one SQL statement in ", QuoteSql(sql)));
  }
  return statement;
}

absl::StatusOr<Statement*> Database::Prepare(absl::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    sqlite3_reset(it->second->stmt_);
    sqlite3_clear_bindings(it->second->stmt_);
    return it->second.get();
  }
  absl::StatusOr<std::unique_ptr<Statement>> compiled = Compile(sql);
  if (!compiled.ok()) return compiled.status();
  Statement* result = compiled->get();
  cache_.emplace(std::move(key), *std::move(compiled));
  return result;
}

absl::StatusOr<std::unique_ptr<Statement>> Database::PrepareOnce(
    absl::string_view sql) {
  return Compile(sql);
}

bool Database::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

int64_t Database::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

void Database::ResetCachedStatements() {
  for (auto& entry : cache_) sqlite3_reset(entry.second->stmt_);
}

// ----------------------------------------------------------------------------
// Transaction

absl::StatusOr<Transaction> Transaction::Begin(Database& db) {
  if (db.InTransaction()) {
    return absl::InternalError(
        absl::StrCat("Transaction::Begin: a transaction is already open on ",
                     db.path(), " (transactions do not nest)"));
  }
  absl::Status status = db.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(other.db_) {
  other.db_ = nullptr;
}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  // Errors cannot be reported from a destructor. If ROLLBACK itself fails
  // the connection is in trouble anyway and the next Begin() will say so.
  (void)Rollback();
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError(
        "Transaction::Commit: transaction already finished");
  }
  Database* db = db_;
  db_ = nullptr;
  // Some failures (SQLITE_FULL, SQLITE_IOERR, ...) make SQLite roll the whole
  // transaction back on its own; committing now would commit nothing.
  if (!db->InTransaction()) {
    return absl::AbortedError(absl::StrCat(
        "Transaction::Commit on ", db->path(),
        ": SQLite already rolled the transaction back after an earlier error"));
  }
  db->ResetCachedStatements();
  absl::Status status = db->Exec("COMMIT");
  if (!status.ok() && db->InTransaction()) {
    // Leave the connection usable; the caller must treat the write as lost.
    sqlite3_exec(db->raw(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return status;
}

absl::Status Transaction::Rollback() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError(
        "Transaction::Rollback: transaction already finished");
  }
  Database* db = db_;
  db_ = nullptr;
  db->ResetCachedStatements();
  if (!db->InTransaction()) return absl::OkStatus();  // SQLite already did.
  return db->Exec("ROLLBACK");
}

}  // namespace storage
}  // namespace council
