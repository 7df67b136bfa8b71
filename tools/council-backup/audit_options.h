// audit_options.h — council-backup's audit flags: which chain keys and
// signed checkpoints a verification uses, and how its outcome is printed.
//
//   --audit_key_file=FILE         a chain key (repeat for retired keys)
//   --checkpoints=FILE            signed checkpoints: the service's checkpoint
//                                 file, or its journal (repeat for several)
//   --checkpoint_public_key=FILE  a checkpoint public key (repeat after a
//                                 rotation)
//   --service=NAME                only that service's checkpoints
//   --checkpoints_until=TIME      only checkpoints signed before TIME
//                                 (RFC 3339 or 20260301T020000Z, for a backup
//                                 taken then)
#ifndef COUNCIL_TOOLS_COUNCIL_BACKUP_AUDIT_OPTIONS_H_
#define COUNCIL_TOOLS_COUNCIL_BACKUP_AUDIT_OPTIONS_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit/audit_log.h"

namespace council::backup {

// Flags as given: every value of every flag, in order.
using Flags = std::map<std::string, std::vector<std::string>>;

// The flag names above.
extern const char* const kAuditFlagNames[];

// AuditCheck
//
// What to verify the audit chain with, and what was given (for the report).
struct AuditCheck {
  audit::VerifyOptions options;
  std::vector<std::string> checkpoint_files;
  size_t checkpoint_public_keys = 0;
};

// LoadAuditCheck()
//
// Reads the keys and checkpoint files the flags name. INVALID_ARGUMENT for
// a usage problem (--checkpoints without --checkpoint_public_key, a bad
// --checkpoints_until); NOT_FOUND or INVALID_ARGUMENT naming the flag for a
// key file that cannot be used; DATA_LOSS "file:line: ..." for a checkpoint
// that is malformed, signed by an unknown key or whose signature does not
// verify. Read before a backup's snapshot is taken, so that every
// checkpoint read describes a state the snapshot contains.
absl::StatusOr<AuditCheck> LoadAuditCheck(const Flags& flags);

// PrintAuditReport()
//
// The lines after "audit chain: ok ..." saying what the keys and
// checkpoints covered, and what was not checked.
void PrintAuditReport(std::ostream& out, const AuditCheck& check,
                      const audit::AuditVerification& result);

// AuditHint()
//
// A line of advice for a verification problem (which flag would help, what
// it may mean), or "".
std::string AuditHint(const AuditCheck& check, const audit::AuditVerification& result);

}  // namespace council::backup

#endif  // COUNCIL_TOOLS_COUNCIL_BACKUP_AUDIT_OPTIONS_H_
