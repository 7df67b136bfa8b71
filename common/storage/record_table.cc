#include "common/storage/record_table.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace council {
namespace storage {

std::string SerializeDeterministic(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

RecordTable::RecordTable(Database* db, std::string table) : db_(db), table_(std::move(table)) {}

std::string RecordTable::CreateTableSql(absl::string_view table) {
  return absl::StrCat("CREATE TABLE ", table,
                      " (key TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;");
}

absl::StatusOr<bool> RecordTable::Get(absl::string_view key, google::protobuf::Message* out) {
  auto statement = db_->Prepare(absl::StrCat("SELECT record FROM ", table_, " WHERE key = ?"));
  if (!statement.ok()) return statement.status();
  if (auto s = (*statement)->Bind(1, key); !s.ok()) return s;
  auto row = (*statement)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return false;
  if (!out->ParseFromString((*statement)->ColumnBlob(0)))
    return absl::DataLossError(absl::StrCat("unreadable record ", table_, "/", key));
  (*statement)->Reset();
  return true;
}

absl::Status RecordTable::Insert(absl::string_view key, const google::protobuf::Message& record) {
  auto statement =
      db_->Prepare(absl::StrCat("INSERT INTO ", table_, " (key, record) VALUES (?, ?)"));
  if (!statement.ok()) return statement.status();
  if (auto s = (*statement)->Bind(1, key); !s.ok()) return s;
  if (auto s = (*statement)->BindBlob(2, SerializeDeterministic(record)); !s.ok()) return s;
  return (*statement)->Run();
}

absl::StatusOr<UpsertResult> RecordTable::Upsert(absl::string_view key,
                                                 const google::protobuf::Message& record) {
  const std::string bytes = SerializeDeterministic(record);
  auto select = db_->Prepare(absl::StrCat("SELECT record FROM ", table_, " WHERE key = ?"));
  if (!select.ok()) return select.status();
  if (auto s = (*select)->Bind(1, key); !s.ok()) return s;
  auto row = (*select)->Step();
  if (!row.ok()) return row.status();
  const bool existed = *row;
  if (existed && (*select)->ColumnBlob(0) == bytes) {
    (*select)->Reset();
    return UpsertResult::kUnchanged;
  }
  (*select)->Reset();
  auto write = db_->Prepare(
      absl::StrCat("INSERT OR REPLACE INTO ", table_, " (key, record) VALUES (?, ?)"));
  if (!write.ok()) return write.status();
  if (auto s = (*write)->Bind(1, key); !s.ok()) return s;
  if (auto s = (*write)->BindBlob(2, bytes); !s.ok()) return s;
  if (auto s = (*write)->Run(); !s.ok()) return s;
  return existed ? UpsertResult::kUpdated : UpsertResult::kCreated;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RecordTable::Scan(
    absl::string_view after_key, int limit, absl::string_view key_prefix) {
  // The prefix bound uses the next code point after the prefix so the range
  // query stays on the primary-key index.
  std::string upper = std::string(key_prefix) + "\xff";
  auto statement = db_->Prepare(absl::StrCat(
      "SELECT key, record FROM ", table_,
      " WHERE key > ? AND key >= ? AND key < ? ORDER BY key LIMIT ?"));
  if (!statement.ok()) return statement.status();
  if (auto s = (*statement)->Bind(1, after_key); !s.ok()) return s;
  if (auto s = (*statement)->Bind(2, key_prefix); !s.ok()) return s;
  if (auto s = (*statement)->Bind(3, upper); !s.ok()) return s;
  if (auto s = (*statement)->Bind(4, static_cast<int64_t>(limit)); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> rows;
  while (true) {
    auto row = (*statement)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rows.emplace_back((*statement)->ColumnText(0), (*statement)->ColumnBlob(1));
  }
  return rows;
}

}  // namespace storage
}  // namespace council
