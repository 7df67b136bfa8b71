#include "common/storage/migrations.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"

namespace council {
namespace storage {
namespace {

absl::Status ValidateMigrations(absl::string_view service_name,
                                const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return absl::InternalError(absl::StrCat(
          service_name, ": migration list must be versions 1..",
          migrations.size(), " in order without gaps or duplicates, but entry ",
          i, " (\"", migrations[i].description, "\") has version ",
          migrations[i].version, " where ", expected, " was expected"));
    }
  }
  return absl::OkStatus();
}

// Keeps the original status code (so e.g. a busy lock still reads as
// UNAVAILABLE) while saying which migration failed.
absl::Status Annotate(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(),
                      absl::StrCat(prefix, ": ", status.message()));
}

}  // namespace

absl::StatusOr<int> SchemaVersion(Database& db) {
  absl::StatusOr<Statement*> stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA user_version returned no row");
  const int version = static_cast<int>((*stmt)->ColumnInt64(0));
  (*stmt)->Reset();
  return version;
}

absl::Status ApplyMigrations(Database& db, absl::string_view service_name,
                             const std::vector<Migration>& migrations) {
  if (absl::Status s = ValidateMigrations(service_name, migrations); !s.ok()) {
    return s;
  }
  const int newest = static_cast<int>(migrations.size());
  const auto too_new = [&](int version) {
    return absl::FailedPreconditionError(absl::StrCat(
        service_name, ": database ", db.path(), " has schema version ", version,
        " but this binary only knows up to ", newest,
        "; refusing to start (upgrade the binary or restore a backup)"));
  };

  // Cheap read-only check first so an up-to-date file never takes the
  // write lock at start-up.
  absl::StatusOr<int> current = SchemaVersion(db);
  if (!current.ok()) return Annotate(current.status(), service_name);
  if (*current > newest) return too_new(*current);

  for (const Migration& migration : migrations) {
    if (migration.version <= *current) continue;
    const std::string label =
        absl::StrCat(service_name, ": migration ", migration.version, " (",
                     migration.description, ") on ", db.path());

    absl::StatusOr<Transaction> txn = Transaction::Begin(db);
    if (!txn.ok()) return Annotate(txn.status(), label);
    // Another process may have migrated while we waited for the lock.
    current = SchemaVersion(db);
    if (!current.ok()) return Annotate(current.status(), label);
    if (*current > newest) return too_new(*current);
    if (migration.version <= *current) continue;  // ~Transaction rolls back.

    if (absl::Status s = db.Exec(migration.sql); !s.ok()) {
      return Annotate(s, label);
    }
    if (migration.rewrite) {
      if (absl::Status s = migration.rewrite(db); !s.ok()) return Annotate(s, label);
    }
    if (!db.InTransaction()) {
      // A COMMIT/ROLLBACK inside the script would let the schema change and
      // the version bump land separately; a crash between them would re-run
      // the migration on next start.
      return absl::InternalError(absl::StrCat(
          label, ": migration SQL must not end the transaction itself"));
    }
    // PRAGMA cannot take a bound parameter; the version is our own integer.
    if (absl::Status s =
            db.Exec(absl::StrCat("PRAGMA user_version = ", migration.version));
        !s.ok()) {
      return Annotate(s, label);
    }
    if (absl::Status s = txn->Commit(); !s.ok()) return Annotate(s, label);
    *current = migration.version;
  }
  return absl::OkStatus();
}

}  // namespace storage
}  // namespace council
