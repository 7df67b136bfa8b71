// -----------------------------------------------------------------------------
// File: common/storage/database.h
// -----------------------------------------------------------------------------
//
// This header defines the thin SQLite wrapper every council service uses for
// its own database file: an RAII connection (`Database`), cached prepared
// statements (`Statement`), and RAII write transactions (`Transaction`).
//
// Each service owns exactly one SQLite file. Errors are reported as
// `absl::Status` with codes chosen so that callers can react without looking
// at SQLite result codes:
//
//   * SQLITE_BUSY / SQLITE_LOCKED            -> UNAVAILABLE (retryable)
//   * UNIQUE / PRIMARY KEY constraint        -> ALREADY_EXISTS
//   * other constraints (NOT NULL, CHECK,
//     FOREIGN KEY, trigger RAISE(ABORT))     -> FAILED_PRECONDITION
//   * SQLITE_CORRUPT / SQLITE_NOTADB         -> DATA_LOSS
//   * I/O and other SQLite failures          -> INTERNAL
//
// Status messages include SQLite's own error text and the SQL statement (with
// `?` placeholders, never bound values, because bound values may hold
// residents' personal data). They are meant for server-side logs; the gRPC
// layer replaces them before anything reaches a client.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<council::storage::Database>> db =
//       council::storage::Database::Open("/var/lib/council/profile.db");
//   if (!db.ok()) return db.status();
//
//   absl::MutexLock lock(&write_mu);  // The connection is not thread-safe.
//   absl::StatusOr<council::storage::Transaction> txn =
//       council::storage::Transaction::Begin(**db);
//   if (!txn.ok()) return txn.status();
//   absl::StatusOr<council::storage::Statement*> insert =
//       (*db)->Prepare("INSERT INTO resident(name) VALUES (?)");
//   if (!insert.ok()) return insert.status();
//   if (absl::Status s = (*insert)->Bind(1, name); !s.ok()) return s;
//   if (absl::Status s = (*insert)->Run(); !s.ok()) return s;
//   return txn->Commit();  // Destroying `txn` uncommitted rolls back.

#ifndef COUNCIL_COMMON_STORAGE_DATABASE_H_
#define COUNCIL_COMMON_STORAGE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace council {
namespace storage {

class Database;

// StatusFromSqlite()
//
// Converts SQLite result code `rc` (extended codes understood) into an
// `absl::Status` using the mapping described at the top of this file. `db`
// may be null; when set, its current error message (`sqlite3_errmsg`) is
// appended, so call this immediately after the failing SQLite call. `context`
// names the operation (e.g. "Prepare") and leads the message. Returns OK for
// SQLITE_OK, SQLITE_ROW and SQLITE_DONE. Exposed for code that must use
// `Database::raw()` directly.
absl::Status StatusFromSqlite(int rc, sqlite3* db, absl::string_view context);

// Statement
//
// A prepared SQL statement owned by a `Database`. Obtain one with
// `Database::Prepare()` (cached; the usual path) or `Database::PrepareOnce()`.
// Parameters are bound by 1-based index and columns read by 0-based index, as
// in SQLite itself.
//
// A `Statement` must not outlive the `Database` that created it and shares
// that connection's lack of thread-safety.
class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Statement::Bind()
  //
  // Binds parameter `index` (1-based) to an integer or a UTF-8 text value.
  // Text is copied, so the view may die before `Step()`. An empty view binds
  // the empty string, never NULL; use `BindNull()` for NULL. Returns INTERNAL
  // if `index` is out of range (a programming error).
  absl::Status Bind(int index, int64_t value);
  absl::Status Bind(int index, absl::string_view text);

  // Statement::BindBlob()
  //
  // Binds parameter `index` to a copy of `bytes` as a BLOB. An empty view
  // binds a zero-length BLOB, never NULL.
  absl::Status BindBlob(int index, absl::string_view bytes);

  // Statement::BindNull()
  //
  // Binds parameter `index` to SQL NULL.
  absl::Status BindNull(int index);

  // Statement::Step()
  //
  // Advances to the next result row. Returns true when a row is available
  // for the `Column*()` accessors, false when the statement has finished, or
  // an error status. On finishing or failing the statement is reset (its
  // bindings kept), which releases its read snapshot straight away: a
  // forgotten, half-stepped reader would otherwise pin the WAL and stop
  // checkpoints. Stepping again after `false` re-executes the statement.
  absl::StatusOr<bool> Step();

  // Statement::Run()
  //
  // Executes the statement to completion, discarding any result rows (so
  // `INSERT ... RETURNING` also works). Use it for INSERT/UPDATE/DELETE.
  absl::Status Run();

  // Statement::Reset()
  //
  // Rewinds the statement so it can be executed again, keeping bindings. Call
  // it when abandoning a query before `Step()` returns false.
  void Reset();

  // Statement::ColumnCount()
  //
  // Returns the number of columns in the result set.
  int ColumnCount() const;

  // Statement::ColumnInt64() / ColumnText() / ColumnBlob() / ColumnIsNull()
  //
  // Read column `i` (0-based) of the current row; valid only after `Step()`
  // returned true. NULL reads as 0 or the empty string, so use
  // `ColumnIsNull()` where NULL is meaningful. An out-of-range `i` also reads
  // as 0 / empty / NULL rather than invoking SQLite's undefined behaviour.
  int64_t ColumnInt64(int i) const;
  std::string ColumnText(int i) const;
  std::string ColumnBlob(int i) const;
  bool ColumnIsNull(int i) const;

  // Statement::sql()
  //
  // Returns the SQL text this statement was prepared from.
  std::string sql() const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  absl::Status BindResult(int rc, int index);
  bool ValidColumn(int i) const;

  sqlite3_stmt* stmt_;
};

// Database
//
// One SQLite connection to one file. The class is NOT thread-safe: callers
// serialise all use of a given `Database` (services hold an `absl::Mutex`
// around their write path) and open extra connections with `OpenReadOnly()`
// for concurrent readers. WAL mode lets those readers proceed while a write
// is in progress.
class Database {
 public:
  // Database::Open()
  //
  // Opens `path` read-write, creating the file if needed, and configures the
  // connection:
  //
  //   * journal_mode=WAL: readers on other connections are not blocked by the
  //     writer, and a commit is one sequential append to the -wal file.
  //   * synchronous=FULL: each COMMIT fsyncs the WAL before returning. A
  //     commit is already safe against kill -9 as soon as it is written to
  //     the OS (the page cache survives the process); FULL additionally makes
  //     it survive power loss or a kernel crash. With NORMAL, WAL mode only
  //     syncs at checkpoints, so the last acknowledged transactions could
  //     vanish on power loss, which is unacceptable once we have told a
  //     caller "saved".
  //   * foreign_keys=ON: SQLite leaves FK enforcement off by default for
  //     backwards compatibility; it is a per-connection setting.
  //   * busy_timeout=5000 ms: wait for another connection's write lock (a
  //     backup, an admin tool) instead of failing at once; after 5 s the
  //     caller gets UNAVAILABLE.
  //   * SQLITE_DBCONFIG_DEFENSIVE: forbids writable_schema and similar
  //     features that can corrupt the file, which no service needs.
  //
  // The path ":memory:" opens a private in-memory database (no WAL) for
  // tests. Returns INTERNAL if the file cannot be opened or WAL cannot be
  // enabled, DATA_LOSS if the file is not a valid database.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);

  // Database::OpenReadOnly()
  //
  // Opens an existing database at `path` read-only, for reader connections
  // beside the single writer. Sets busy_timeout as `Open()` does; WAL mode is
  // a property of the file, so it is already active if the writer ran
  // `Open()`. Any write through this connection fails with
  // FAILED_PRECONDITION. Returns INTERNAL if the file does not exist.
  static absl::StatusOr<std::unique_ptr<Database>> OpenReadOnly(
      const std::string& path);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Database::Exec()
  //
  // Runs one or more semicolon-separated SQL statements without parameters
  // or results; intended for DDL and pragmas. Never build `sql` from
  // untrusted input: use `Prepare()` and `Bind()` for values.
  absl::Status Exec(absl::string_view sql);

  // Database::Prepare()
  //
  // Returns a prepared statement for `sql`, compiling it on first use and
  // reusing it afterwards (keyed by the exact SQL text). Each call resets the
  // statement and clears its bindings, so the caller always starts fresh;
  // the consequence is that a statement from an earlier `Prepare()` of the
  // same SQL is reset underneath any loop still stepping it. The pointer is
  // owned by this `Database` and stays valid until it is destroyed.
  //
  // `sql` must be exactly one statement and should be a constant: the cache
  // never evicts, so use `PrepareOnce()` for SQL built at run time. Returns
  // INTERNAL on a syntax error, an empty string or trailing statements.
  absl::StatusOr<Statement*> Prepare(absl::string_view sql);

  // Database::PrepareOnce()
  //
  // Like `Prepare()` but uncached: the caller owns the result, which must be
  // destroyed before this `Database`.
  absl::StatusOr<std::unique_ptr<Statement>> PrepareOnce(absl::string_view sql);

  // Database::InTransaction()
  //
  // Returns true while an explicit transaction (BEGIN ... COMMIT) is open.
  bool InTransaction() const;

  // Database::LastInsertRowId()
  //
  // Returns the rowid of the most recent successful INSERT on this
  // connection, or 0 if none.
  int64_t LastInsertRowId() const;

  // Database::Changes()
  //
  // Returns the number of rows changed by the most recent INSERT, UPDATE or
  // DELETE on this connection (not counting trigger side effects).
  int64_t Changes() const;

  // Database::raw()
  //
  // Returns the underlying handle for the rare operation this class does not
  // wrap (e.g. the online backup API). Do not close it.
  sqlite3* raw() { return db_; }

  // Database::path()
  //
  // Returns the path this connection was opened with.
  const std::string& path() const { return path_; }

 private:
  friend class Transaction;
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  static absl::StatusOr<std::unique_ptr<Database>> OpenWithFlags(
      const std::string& path, int flags);
  absl::StatusOr<std::unique_ptr<Statement>> Compile(absl::string_view sql);
  // Resets every cached statement. Called before COMMIT/ROLLBACK because
  // SQLite refuses to commit while a write statement is mid-execution and
  // a half-stepped reader would keep a stale snapshot across transactions.
  void ResetCachedStatements();

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Transaction
//
// An RAII write transaction. `Begin()` issues BEGIN IMMEDIATE, which takes
// the database write lock up front: with a deferred BEGIN, a transaction
// that reads first and writes later can fail with SQLITE_BUSY at the first
// write without the busy timeout ever applying, after work has been done.
// Destroying a `Transaction` that was not committed rolls it back, so early
// `return status;` paths never leave half-written data behind.
//
// Transactions do not nest; `Begin()` on a connection that already has one
// open returns INTERNAL. Committing or rolling back resets all of the
// connection's cached statements (see `Database::Prepare()`).
//
// Example:
//
//   absl::StatusOr<Transaction> txn = Transaction::Begin(db);
//   if (!txn.ok()) return txn.status();
//   ... writes that may return early ...
//   return txn->Commit();
class Transaction {
 public:
  // Transaction::Begin()
  //
  // Starts a transaction on `db`, which must outlive the result. Returns
  // UNAVAILABLE if another connection holds the write lock past the busy
  // timeout.
  static absl::StatusOr<Transaction> Begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Transaction::Commit()
  //
  // Commits. Once this returns OK the data is durable (see
  // `Database::Open()`). If COMMIT fails the transaction is rolled back
  // (now, or by the destructor), so the caller must report failure rather
  // than retry the commit alone. Returns FAILED_PRECONDITION if the
  // transaction has already finished.
  absl::Status Commit();

  // Transaction::Rollback()
  //
  // Rolls back explicitly; useful when the caller wants the error status.
  // Returns FAILED_PRECONDITION if the transaction has already finished.
  absl::Status Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}

  Database* db_;  // Null once committed, rolled back, or moved from.
};

}  // namespace storage
}  // namespace council

#endif  // COUNCIL_COMMON_STORAGE_DATABASE_H_
