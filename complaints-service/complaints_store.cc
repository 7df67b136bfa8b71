#include "complaints-service/complaints_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/storage/migrations.h"

namespace council::complaints {

ComplaintsStore::ComplaintsStore(std::unique_ptr<storage::Database> db)
    : db_(std::move(db)), complaints_(db_.get(), "complaints"), audit_(db_.get()) {}

absl::StatusOr<std::unique_ptr<ComplaintsStore>> ComplaintsStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  std::vector<storage::Migration> migrations = {
      {1, "complaints", storage::RecordTable::CreateTableSql("complaints")},
      audit::AuditLogMigration(2),
  };
  if (auto s = storage::ApplyMigrations(**db, "complaints-service", migrations); !s.ok()) return s;
  return std::unique_ptr<ComplaintsStore>(new ComplaintsStore(std::move(*db)));
}

absl::Status ComplaintsStore::CreateComplaint(const v1::Complaint& complaint,
                                              absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  const std::string id = complaint.name().substr(complaint.name().rfind('/') + 1);
  if (auto s = complaints_.Insert(id, complaint); !s.ok()) return s;
  if (auto e = audit_.Append(actor, "CreateComplaint", complaint.name(),
                             absl::StrCat(profile::v1::ComplaintKind_Name(complaint.kind()),
                                          " about ", complaint.subject(), " at stage ",
                                          complaint.current_stage()),
                             absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<bool> ComplaintsStore::GetComplaint(absl::string_view id, v1::Complaint* out) {
  absl::MutexLock lock(&mu_);
  return complaints_.Get(id, out);
}

audit::AuditVerification ComplaintsStore::VerifyAudit() {
  absl::MutexLock lock(&mu_);
  return audit::VerifyAuditChain(*db_);
}

}  // namespace council::complaints
