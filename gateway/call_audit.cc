#include "gateway/call_audit.h"

#include "absl/strings/str_cat.h"
#include "common/audit/audit_log.h"
#include "common/server/log.h"
#include "common/storage/migrations.h"

namespace council::gateway {

absl::StatusOr<std::unique_ptr<CallAudit>> CallAudit::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = storage::ApplyMigrations(**db, "gateway", {audit::AuditLogMigration(1)}); !s.ok())
    return s;
  return std::unique_ptr<CallAudit>(new CallAudit(std::move(*db)));
}

CallAudit::CallAudit(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {
  writer_ = std::thread([this] { Run(); });
}

CallAudit::~CallAudit() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
  Flush();
}

void CallAudit::Record(CallRecord record) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(record));
}

void CallAudit::Run() {
  while (true) {
    bool stopping;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this] { return stopping_ || queue_.size() >= 1000; };
      mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(50));
      stopping = stopping_;
    }
    Flush();
    if (stopping) return;
  }
}

void CallAudit::Flush() {
  std::vector<CallRecord> batch;
  {
    absl::MutexLock lock(&mu_);
    batch.swap(queue_);
  }
  if (!batch.empty()) WriteBatch(std::move(batch));
}

void CallAudit::WriteBatch(std::vector<CallRecord> batch) {
  absl::MutexLock lock(&write_mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) {
    LogError("call_audit_failed", {{"error", txn.status().ToString()}});
    return;
  }
  audit::AuditLog log(db_.get());
  for (const auto& record : batch) {
    auto entry = log.Append(record.caller.empty() ? "unauthenticated" : record.caller,
                            record.allowed ? "call.allowed" : "call.denied", record.method,
                            absl::StrCat("code=", record.code, " micros=", record.micros),
                            record.at);
    if (!entry.ok()) {
      LogError("call_audit_failed", {{"error", entry.status().ToString()}});
      return;
    }
  }
  if (auto s = txn->Commit(); !s.ok())
    LogError("call_audit_failed", {{"error", s.ToString()}});
}

}  // namespace council::gateway
