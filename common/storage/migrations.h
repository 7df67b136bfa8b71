// -----------------------------------------------------------------------------
// File: common/storage/migrations.h
// -----------------------------------------------------------------------------
//
// Versioned, forward-only schema migrations for a service's SQLite file.
//
// The schema version lives in SQLite's `PRAGMA user_version` header field,
// which is updated in the same transaction as the schema change, so a crash
// mid-migration leaves the file at the previous version with the previous
// schema. There are no down-migrations: rolling a service back means running
// the newer binary or restoring a backup, and `ApplyMigrations()` refuses to
// run an older binary against a newer file rather than guess.
//
// Example:
//
//   const std::vector<council::storage::Migration>& ProfileMigrations() {
//     static const auto* const kMigrations =
//         new std::vector<council::storage::Migration>{
//             {1, "create resident", "CREATE TABLE resident(...);"},
//             council::audit::AuditLogMigration(2),
//             {3, "index resident by postcode",
//              "CREATE INDEX resident_postcode ON resident(postcode);"},
//         };
//     return *kMigrations;
//   }
//
//   absl::Status status = council::storage::ApplyMigrations(
//       *db, "profile", ProfileMigrations());
//   if (!status.ok()) return status;  // Do not start serving.
//
// Once released, a migration must never be edited or renumbered: files in
// the field already record that it ran. Add a new one instead.

#ifndef COUNCIL_COMMON_STORAGE_MIGRATIONS_H_
#define COUNCIL_COMMON_STORAGE_MIGRATIONS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"

namespace council {
namespace storage {

// Migration
//
// One schema step. `version` numbers start at 1 and increase by one per
// migration in list order. `sql` may hold several statements; it runs inside
// a transaction, so it must not contain BEGIN/COMMIT, VACUUM, or
// `PRAGMA foreign_keys` (a no-op inside a transaction; use
// `PRAGMA defer_foreign_keys=ON` for table rebuilds).
//
// `rewrite`, if set, runs after `sql` in the same transaction, for data SQL
// cannot change: records stored as serialized protos (record_table.h) whose
// meaning moved to another field. It reads and writes through `db` and must
// not end the transaction either.
struct Migration {
  int version;
  std::string description;
  std::string sql;
  std::function<absl::Status(Database&)> rewrite = nullptr;
};

// ApplyMigrations()
//
// Brings `db` up to the newest version in `migrations`, running each
// migration whose version exceeds the file's `user_version` in its own
// transaction and setting `user_version` in that same transaction. Already
// applied migrations are skipped, so calling this on every start is cheap
// and idempotent. The version is re-read after taking the write lock, so two
// processes starting at once cannot apply the same migration twice.
// `service_name` only labels error messages.
//
// Returns:
//   * INTERNAL if `migrations` is not exactly versions 1..N in order (a
//     programming error, caught before touching the file);
//   * FAILED_PRECONDITION if the file's version is newer than N, with a
//     message naming the path and both versions, e.g. "database
//     /var/lib/council/profile.db has schema version 7 but this binary only
//     knows up to 5; refusing to start (upgrade the binary or restore a
//     backup)";
//   * the failing statement's status, prefixed with the migration's version
//     and description, if a migration fails; that migration is rolled back
//     and earlier ones stay applied.
absl::Status ApplyMigrations(Database& db, absl::string_view service_name,
                             const std::vector<Migration>& migrations);

// SchemaVersion()
//
// Returns the file's current `PRAGMA user_version` (0 for a new file).
absl::StatusOr<int> SchemaVersion(Database& db);

}  // namespace storage
}  // namespace council

#endif  // COUNCIL_COMMON_STORAGE_MIGRATIONS_H_
