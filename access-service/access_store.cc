#include "access-service/access_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/storage/migrations.h"

namespace council::access {
namespace {

std::vector<storage::Migration> Migrations() {
  return {
      {1, "documents and access requests",
       absl::StrCat(storage::RecordTable::CreateTableSql("documents"),
                    storage::RecordTable::CreateTableSql("access_requests"))},
      audit::AuditLogMigration(2),
  };
}

absl::string_view LastSegment(absl::string_view name) {
  auto slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

AccessStore::AccessStore(std::unique_ptr<storage::Database> db)
    : db_(std::move(db)),
      documents_(db_.get(), "documents"),
      requests_(db_.get(), "access_requests"),
      audit_(db_.get()) {}

absl::StatusOr<std::unique_ptr<AccessStore>> AccessStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = storage::ApplyMigrations(**db, "access-service", Migrations()); !s.ok()) return s;
  return std::unique_ptr<AccessStore>(new AccessStore(std::move(*db)));
}

absl::Status AccessStore::CreateDocument(const v1::Document& document, absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = documents_.Insert(LastSegment(document.name()), document); !s.ok()) return s;
  if (auto e = audit_.Append(actor, "CreateDocument", document.name(), document.title(),
                             absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<bool> AccessStore::GetDocument(absl::string_view id, v1::Document* out) {
  absl::MutexLock lock(&mu_);
  return documents_.Get(id, out);
}

absl::StatusOr<std::vector<v1::Document>> AccessStore::ListDocuments(absl::string_view after_id,
                                                                     int limit) {
  absl::MutexLock lock(&mu_);
  auto rows = documents_.Scan(after_id, limit);
  if (!rows.ok()) return rows.status();
  std::vector<v1::Document> out(rows->size());
  for (size_t i = 0; i < rows->size(); ++i)
    if (!out[i].ParseFromString((*rows)[i].second))
      return absl::DataLossError(absl::StrCat("unreadable document ", (*rows)[i].first));
  return out;
}

absl::StatusOr<ImportCounts> AccessStore::ImportDocuments(
    const std::vector<v1::Document>& documents, bool validate_only, absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  ImportCounts counts;
  for (const auto& document : documents) {
    auto result = documents_.Upsert(LastSegment(document.name()), document);
    if (!result.ok()) return result.status();
    switch (*result) {
      case storage::UpsertResult::kCreated: ++counts.created; break;
      case storage::UpsertResult::kUpdated: ++counts.updated; break;
      case storage::UpsertResult::kUnchanged: ++counts.unchanged; break;
    }
  }
  if (validate_only) {
    if (auto s = txn->Rollback(); !s.ok()) return s;
    return counts;
  }
  if (counts.created + counts.updated > 0) {
    auto e = audit_.Append(actor, "ImportDocuments", "documents",
                           absl::StrCat("created ", counts.created, ", updated ", counts.updated,
                                        ", unchanged ", counts.unchanged),
                           absl::Now());
    if (!e.ok()) return e.status();
  }
  if (auto s = txn->Commit(); !s.ok()) return s;
  return counts;
}

absl::Status AccessStore::SaveAccessRequest(const v1::AccessRequest& request,
                                            absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = requests_.Insert(LastSegment(request.name()), request); !s.ok()) return s;
  std::string clauses;
  for (const auto& reason : request.decision().reasons())
    absl::StrAppend(&clauses, clauses.empty() ? "" : "; ", reason.citation().clause());
  if (auto e = audit_.Append(actor, "DecideAccessRequest", request.name(),
                             absl::StrCat(request.document(), " ",
                                          v1::Outcome_Name(request.decision().outcome()), " [",
                                          clauses, "]"),
                             absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<bool> AccessStore::GetAccessRequest(absl::string_view id, v1::AccessRequest* out) {
  absl::MutexLock lock(&mu_);
  return requests_.Get(id, out);
}

audit::AuditVerification AccessStore::VerifyAudit() {
  absl::MutexLock lock(&mu_);
  return audit::VerifyAuditChain(*db_);
}

}  // namespace council::access
