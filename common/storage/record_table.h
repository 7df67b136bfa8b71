// record_table.h — a table of protobuf records keyed by resource id.
//
// Most of what the services store is one resource per row: the serialized
// proto under its id. Keeping the proto whole (rather than one column per
// field) means a new field needs no migration and an import can tell
// "unchanged" from "updated" by comparing deterministic serializations:
//
//   RecordTable people(db, "people");
//   absl::StatusOr<UpsertResult> result = people.Upsert("cllr-ada-okafor", person);
//
// Columns the services query on (foreign keys, dates) live in their own
// tables or indexes; this table is only the source of record.
#ifndef COUNCIL_COMMON_STORAGE_RECORD_TABLE_H_
#define COUNCIL_COMMON_STORAGE_RECORD_TABLE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "google/protobuf/message.h"

namespace council {
namespace storage {

enum class UpsertResult { kCreated, kUpdated, kUnchanged };

class RecordTable {
 public:
  // `db` must outlive the table; callers serialise access as for Database.
  RecordTable(Database* db, std::string table);

  // CreateTableSql
  //
  // Returns the DDL for a record table named `table` (used in migrations).
  static std::string CreateTableSql(absl::string_view table);

  // Get
  //
  // Parses the record under `key` into `out`; returns false if there is none.
  absl::StatusOr<bool> Get(absl::string_view key, google::protobuf::Message* out);

  // Insert
  //
  // Adds a record; ALREADY_EXISTS if `key` is taken.
  absl::Status Insert(absl::string_view key, const google::protobuf::Message& record);

  // Upsert
  //
  // Creates or replaces the record under `key`, saying which happened; a record
  // equal to the stored one is left untouched (kUnchanged).
  absl::StatusOr<UpsertResult> Upsert(absl::string_view key,
                                      const google::protobuf::Message& record);

  // Scan
  //
  // Returns up to `limit` (key, serialized record) pairs with key > `after_key`
  // and starting with `key_prefix`, in key order.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      absl::string_view after_key, int limit, absl::string_view key_prefix = {});

 private:
  Database* db_;
  std::string table_;
};

// SerializeDeterministic
//
// Serializes `message` with map entries in a stable order, so equal messages
// give equal bytes.
std::string SerializeDeterministic(const google::protobuf::Message& message);

}  // namespace storage
}  // namespace council

#endif  // COUNCIL_COMMON_STORAGE_RECORD_TABLE_H_
