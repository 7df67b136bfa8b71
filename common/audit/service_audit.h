// -----------------------------------------------------------------------------
// File: common/audit/service_audit.h
// -----------------------------------------------------------------------------
//
// What a service binary does about its audit keys and checkpoints, from the
// flags --audit_key_file, --audit_checkpoint_key_file,
// --audit_checkpoint_file and --audit_checkpoint_interval_seconds
// (common/server/flags.h), so that each main needs three calls:
//
//   auto audit = council::audit::ServiceAudit::FromFlags("relations-service");
//   if (!audit.ok()) return council::ExitWithError("audit flags", audit.status());
//   ... open the store (migrations), --check_config exits here ...
//   if (auto s = (*audit)->Start(database_path); !s.ok())
//     return council::ExitWithError("audit flags", s);
//   ... serve until SIGTERM, stop the server and any batch writer ...
//   (*audit)->Stop();   // the shutdown checkpoint
//
// Upgrade path: a database written before chain keys holds plain SHA-256
// entries. The first start with --audit_key_file appends one keyed entry,
// "audit.chain_key", which seals them (they still verify, as legacy, and can
// no longer be rewritten without breaking the keyed entry after them). A key
// rotation appends the same entry naming the old and the new key id.
#ifndef COUNCIL_COMMON_AUDIT_SERVICE_AUDIT_H_
#define COUNCIL_COMMON_AUDIT_SERVICE_AUDIT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/audit/chain_key.h"
#include "common/audit/checkpoint.h"
#include "common/audit/checkpointer.h"

namespace council {
namespace audit {

class ServiceAudit {
 public:
  // FromFlags
  //
  // Loads the keys the flags name and installs the chain key for this
  // process (`SetProcessChainKey`), so call it before anything appends.
  // Checks that the checkpoint flags come together and that an existing
  // --database's chain is not keyed while no chain key is given. Logs a
  // warning for each protection left off. Errors name the flag.
  static absl::StatusOr<std::unique_ptr<ServiceAudit>> FromFlags(std::string service);

  // Start
  //
  // With `database_path` open and migrated: refuses a keyed chain without a
  // chain key (FAILED_PRECONDITION), appends the "audit.chain_key" entry if
  // the chain's last entry is not keyed with the loaded key, and starts the
  // checkpoints (the first one is written now).
  absl::Status Start(const std::string& database_path);

  // Stop
  //
  // Writes the shutdown checkpoint and ends the interval thread.
  void Stop();

  ~ServiceAudit();

 private:
  ServiceAudit() = default;

  std::string service_;
  std::shared_ptr<const ChainKey> chain_key_;
  std::shared_ptr<const CheckpointKey> checkpoint_key_;
  std::string checkpoint_file_;
  absl::Duration interval_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

// SealChainWithKey()
//
// If the last entry of the log in `database_path` is legacy or keyed with
// another key than `key`, appends the "audit.chain_key" entry (actor
// "system/audit") with `key`, in its own transaction, and returns its seq;
// returns 0 if nothing was needed (an empty log, or already keyed with
// `key`). The connection is its own: call it before the service writes, or
// rely on SQLite's locking.
absl::StatusOr<int64_t> SealChainWithKey(const std::string& database_path, const ChainKey& key);

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_SERVICE_AUDIT_H_
