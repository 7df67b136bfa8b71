#include "tools/council-backup/audit_options.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/audit/chain_key.h"
#include "common/audit/checkpoint.h"

namespace council::backup {
namespace {

// "1 entry", "2 entries".
std::string Count(int64_t n, const char* one, const char* many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

const std::vector<std::string>& Values(const Flags& flags, const std::string& name) {
  static const std::vector<std::string> kNone;
  auto it = flags.find(name);
  return it == flags.end() ? kNone : it->second;
}

absl::Status WithFlag(const std::string& flag, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(flag, ": ", status.message()));
}

}  // namespace

const char* const kAuditFlagNames[] = {"audit_key_file",  "checkpoints",
                                       "checkpoint_public_key", "service",
                                       "checkpoints_until", nullptr};

absl::StatusOr<AuditCheck> LoadAuditCheck(const Flags& flags) {
  AuditCheck check;
  for (const std::string& path : Values(flags, "audit_key_file")) {
    auto key = audit::ChainKey::FromFile(path);
    if (!key.ok()) return WithFlag("--audit_key_file", key.status());
    check.options.keys[(*key)->id()] = *key;
  }
  audit::CheckpointKeys public_keys;
  for (const std::string& path : Values(flags, "checkpoint_public_key")) {
    auto key = audit::CheckpointKey::FromPublicKeyFile(path);
    if (!key.ok()) return WithFlag("--checkpoint_public_key", key.status());
    public_keys[(*key)->id()] = *key;
  }
  check.checkpoint_public_keys = public_keys.size();
  const std::vector<std::string>& files = Values(flags, "checkpoints");
  if (!files.empty() && public_keys.empty())
    return absl::InvalidArgumentError(
        "--checkpoints needs --checkpoint_public_key=FILE (the services' checkpoint public "
        "key; repeat it for keys retired by a rotation)");
  if (files.empty() && !public_keys.empty())
    return absl::InvalidArgumentError("--checkpoint_public_key is only used with --checkpoints");
  const std::vector<std::string>& services = Values(flags, "service");
  const std::string service = services.empty() ? "" : services.back();
  absl::Time until = absl::InfiniteFuture();
  if (const auto& values = Values(flags, "checkpoints_until"); !values.empty()) {
    std::string error;
    // RFC 3339, or the UTC stamp in backup names (20260301T020000Z).
    if (!absl::ParseTime(absl::RFC3339_full, values.back(), &until, &error) &&
        !absl::ParseTime("%Y%m%dT%H%M%SZ", values.back(), absl::UTCTimeZone(), &until, &error))
      return absl::InvalidArgumentError(absl::StrCat(
          "--checkpoints_until: \"", values.back(),
          "\" is not a time such as 2026-03-01T02:00:00Z or 20260301T020000Z"));
  }
  for (const std::string& path : files) {
    auto claims = audit::ReadCheckpointFile(path, public_keys, service, until);
    if (!claims.ok()) {
      if (claims.status().code() == absl::StatusCode::kDataLoss) return claims.status();
      return WithFlag("--checkpoints", claims.status());
    }
    for (auto& claim : *claims) check.options.checkpoints.push_back(std::move(claim));
    check.checkpoint_files.push_back(path);
  }
  return check;
}

void PrintAuditReport(std::ostream& out, const AuditCheck& check,
                      const audit::AuditVerification& result) {
  out << "  audit keys:      ";
  if (result.keyed_entries == 0) {
    out << "no keyed entries";
  } else if (result.macs_checked) {
    out << Count(result.keyed_entries, "keyed entry", "keyed entries")
        << ", MACs verified (chain key "
        << absl::StrJoin(result.key_ids, ", then ") << ")";
  } else {
    out << Count(result.keyed_entries, "keyed entry", "keyed entries")
        << ", MACs NOT checked (no --audit_key_file)";
  }
  if (result.legacy_entries > 0)
    out << "; " << Count(result.legacy_entries, "plain SHA-256 entry", "plain SHA-256 entries")
        << " before them";
  out << "\n  checkpoints:     ";
  if (check.checkpoint_files.empty()) {
    out << "none given (--checkpoints): entries removed from the end would not show\n";
  } else if (result.checkpoints_matched == 0) {
    out << "none of the signed checkpoints in " << absl::StrJoin(check.checkpoint_files, ", ")
        << " applies (wrong file, --service or --checkpoints_until?)\n";
  } else {
    out << Count(result.checkpoints_matched, "signed checkpoint holds", "signed checkpoints hold")
        << ", the latest at entry "
        << result.last_checkpoint_seq << " (" << absl::StrJoin(check.checkpoint_files, ", ")
        << ")\n";
  }
}

std::string AuditHint(const AuditCheck& check, const audit::AuditVerification& result) {
  if (absl::StrContains(result.problem, "which none of the given chain keys has"))
    return check.options.keys.empty()
               ? ""
               : "hint: give every chain key the service has used, retired ones too, each "
                 "with --audit_key_file";
  if (absl::StrContains(result.problem, "or this database is older than the checkpoint"))
    return "hint: for a backup, add --checkpoints_until=<the time the backup was taken>, so "
           "that only checkpoints written before it are checked";
  if (absl::StartsWith(result.problem, "no keyed entries"))
    return "hint: a database not yet opened by a service with --audit_key_file (an old "
           "backup) verifies without --audit_key_file; a live one should not";
  return "";
}

}  // namespace council::backup
