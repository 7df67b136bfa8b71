#include "common/audit/service_audit.h"

#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/server/flags.h"
#include "common/server/log.h"
#include "common/storage/database.h"

namespace council {
namespace audit {
namespace {

absl::Status WithFlag(absl::string_view flag, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(flag, ": ", status.message()));
}

// FAILED_PRECONDITION if the log in `database_path` ends with a keyed entry:
// a process without the chain key would append entries that never verify.
absl::Status RefuseKeyedChainWithoutKey(const std::string& database_path) {
  auto db = storage::Database::OpenReadOnly(database_path);
  if (!db.ok()) return absl::OkStatus();  // not there yet: nothing keyed
  auto tail = ReadChainTail(**db);
  if (!tail.ok() || tail->key_id.empty()) return absl::OkStatus();  // no audit_log yet, or legacy
  return absl::FailedPreconditionError(absl::StrCat(
      "the audit chain in ", database_path, " is keyed (chain key id ", tail->key_id,
      ") but no --audit_key_file is given; refusing to start, since entries appended without "
      "the key would never verify (give the service its chain key file)"));
}

}  // namespace

absl::StatusOr<int64_t> SealChainWithKey(const std::string& database_path, const ChainKey& key) {
  auto db = storage::Database::Open(database_path);
  if (!db.ok()) return db.status();
  auto txn = storage::Transaction::Begin(**db);
  if (!txn.ok()) return txn.status();
  auto tail = ReadChainTail(**db);
  if (!tail.ok()) return tail.status();
  if (tail->seq == 0 || tail->key_id == key.id()) return 0;  // rolls back: nothing written
  const std::string detail =
      tail->key_id.empty()
          ? absl::StrCat("entries up to ", tail->seq,
                         " were written without a chain key (plain SHA-256); from entry ",
                         tail->seq + 1, " every entry is keyed with chain key ", key.id())
          : absl::StrCat("chain key ", key.id(), " replaces chain key ", tail->key_id,
                         " from entry ", tail->seq + 1);
  auto entry = AuditLog(db->get(), &key)
                   .Append("system/audit", "audit.chain_key", "audit_log", detail, absl::Now());
  if (!entry.ok()) return entry.status();
  if (absl::Status s = txn->Commit(); !s.ok()) return s;
  return entry->seq;
}

absl::StatusOr<std::unique_ptr<ServiceAudit>> ServiceAudit::FromFlags(std::string service) {
  std::unique_ptr<ServiceAudit> audit(new ServiceAudit());
  audit->service_ = std::move(service);
  const std::string database = absl::GetFlag(FLAGS_database);

  if (const std::string path = absl::GetFlag(FLAGS_audit_key_file); !path.empty()) {
    auto key = ChainKey::FromFile(path);
    if (!key.ok()) return WithFlag("--audit_key_file", key.status());
    audit->chain_key_ = *std::move(key);
  } else if (!database.empty()) {
    if (absl::Status s = RefuseKeyedChainWithoutKey(database); !s.ok())
      return WithFlag("--audit_key_file", s);
  }

  const std::string checkpoint_key = absl::GetFlag(FLAGS_audit_checkpoint_key_file);
  audit->checkpoint_file_ = absl::GetFlag(FLAGS_audit_checkpoint_file);
  if (checkpoint_key.empty() != audit->checkpoint_file_.empty())
    return absl::InvalidArgumentError(
        "--audit_checkpoint_key_file and --audit_checkpoint_file go together: set both, or "
        "neither");
  if (!checkpoint_key.empty()) {
    auto key = CheckpointKey::FromPrivateKeyFile(checkpoint_key);
    if (!key.ok()) return WithFlag("--audit_checkpoint_key_file", key.status());
    audit->checkpoint_key_ = *std::move(key);
    // The point of the file is to be somewhere the database is not.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      if (!database.empty() && audit->checkpoint_file_ == database + suffix)
        return absl::InvalidArgumentError(absl::StrCat(
            "--audit_checkpoint_file: ", audit->checkpoint_file_,
            " is the database's own file; give a file on another path"));
    }
  }
  const int interval = absl::GetFlag(FLAGS_audit_checkpoint_interval_seconds);
  if (interval < 0)
    return absl::InvalidArgumentError(
        "--audit_checkpoint_interval_seconds: must be 0 (start and stop only) or more");
  audit->interval_ = absl::Seconds(interval);

  if (audit->chain_key_ != nullptr) {
    SetProcessChainKey(audit->chain_key_);
    LogInfo("audit_chain_key", {{"key_id", audit->chain_key_->id()}});
  } else if (!database.empty()) {
    LogWarning("audit_chain_unkeyed",
               {{"effect", "audit entries are plain SHA-256, which whoever can write the "
                           "database file can recompute"},
                {"fix", "set --audit_key_file (docs/operations.md, Audit keys)"}});
  }
  if (audit->checkpoint_key_ != nullptr) {
    LogInfo("audit_checkpoint_key",
            {{"key_id", audit->checkpoint_key_->id()}, {"file", audit->checkpoint_file_}});
  } else if (!database.empty()) {
    LogWarning("audit_checkpoints_off",
               {{"effect", "no signed checkpoints: removing the newest audit entries, or "
                           "rewriting the chain with its key, cannot be detected"},
                {"fix", "set --audit_checkpoint_key_file and --audit_checkpoint_file "
                        "(docs/operations.md, Audit keys)"}});
  }
  return audit;
}

absl::Status ServiceAudit::Start(const std::string& database_path) {
  if (chain_key_ != nullptr) {
    auto sealed = SealChainWithKey(database_path, *chain_key_);
    if (!sealed.ok()) return WithFlag("--audit_key_file", sealed.status());
    if (*sealed > 0)
      LogInfo("audit_chain_key_entry",
              {{"seq", absl::StrCat(*sealed)}, {"key_id", chain_key_->id()}});
  } else if (absl::Status s = RefuseKeyedChainWithoutKey(database_path); !s.ok()) {
    return WithFlag("--audit_key_file", s);
  }
  if (checkpoint_key_ == nullptr) return absl::OkStatus();
  CheckpointerOptions options;
  options.service = service_;
  options.database_path = database_path;
  options.key = checkpoint_key_;
  options.file = checkpoint_file_;
  options.interval = interval_;
  checkpointer_ = std::make_unique<Checkpointer>(std::move(options));
  if (absl::Status s = checkpointer_->Start(); !s.ok()) {
    checkpointer_.reset();
    return WithFlag("--audit_checkpoint_file", s);
  }
  return absl::OkStatus();
}

void ServiceAudit::Stop() {
  if (checkpointer_ != nullptr) checkpointer_->Stop();
}

ServiceAudit::~ServiceAudit() { Stop(); }

}  // namespace audit
}  // namespace council
