// VerifyAuditChain(): the walk over the whole audit_log (see audit_log.h).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_log.h"
#include "common/audit/entry_hash.h"
#include "common/storage/database.h"

namespace council {
namespace audit {
namespace {

using ::council::storage::Statement;

// The walk's state between rows.
class ChainWalk {
 public:
  ChainWalk(const VerifyOptions& options, AuditVerification* result)
      : options_(options), result_(result) {
    for (const HeadClaim& claim : options.checkpoints) claims_.push_back(&claim);
    std::stable_sort(claims_.begin(), claims_.end(),
                     [](const HeadClaim* a, const HeadClaim* b) { return a->seq < b->seq; });
    result_->macs_checked = !options.keys.empty();
  }

  // Checks one row; false (with result_->problem set) at the first problem.
  bool Row(int64_t seq, const EntryFields& fields, const std::string& hash) {
    if (seq != expected_seq_) {
      return Fail(expected_seq_, absl::StrCat("entry ", expected_seq_, " missing (gap after ",
                                              expected_seq_ - 1, ")"));
    }
    // The row against itself first: an edited row should be reported as
    // such, not as a broken link to its successor.
    if (!RowHash(seq, fields, hash)) return false;
    if (fields.prev_hash != result_->last_hash) {
      return Fail(seq, seq == 1 ? std::string("entry 1: prev_hash is not the genesis value")
                                : absl::StrCat("entry ", seq, ": prev_hash does not match entry ",
                                               seq - 1));
    }
    if (seq == 1) first_hash_ = hash;
    for (; next_claim_ < claims_.size() && claims_[next_claim_]->seq == seq; ++next_claim_) {
      if (!Claim(*claims_[next_claim_], hash)) return false;
    }
    result_->last_hash = hash;
    ++result_->entries_checked;
    ++expected_seq_;
    return true;
  }

  // After the last row: what can only be judged on the whole log.
  bool End() {
    if (result_->macs_checked && result_->entries_checked > 0 && result_->keyed_entries == 0) {
      return Fail(1, absl::StrCat(
                         "no keyed entries: all ", result_->entries_checked,
                         " entries are plain SHA-256, which anyone can recompute (the chain was "
                         "rewritten without the chain key, or no service with a chain key has "
                         "opened this database yet)"));
    }
    if (next_claim_ < claims_.size()) {
      const HeadClaim& claim = *claims_[next_claim_];
      const int64_t last = expected_seq_ - 1;
      const std::string removed =
          last + 1 == claim.seq ? absl::StrCat("entry ", claim.seq, " was removed")
                                : absl::StrCat("entries ", last + 1, "..", claim.seq,
                                               " were removed");
      return Fail(0, absl::StrCat(claim.source, ": checkpoint says the log had ", claim.seq,
                                  claim.seq == 1 ? " entry" : " entries", ", but ",
                                  last == 0 ? std::string("it is empty")
                                            : absl::StrCat("it ends at entry ", last),
                                  ": ", removed,
                                  " (or this database is older than the checkpoint, e.g. a "
                                  "restored backup)"));
    }
    return true;
  }

  bool Fail(int64_t seq, std::string problem) {
    result_->first_bad_seq = seq;
    result_->problem = std::move(problem);
    return false;
  }

 private:
  bool RowHash(int64_t seq, const EntryFields& fields, const std::string& hash) {
    const ParsedEntryHash parsed = ParseEntryHash(hash);
    switch (parsed.kind) {
      case ParsedEntryHash::Kind::kMalformed:
        return Fail(seq, absl::StrCat("entry ", seq,
                                      ": hash is neither plain SHA-256 nor keyed (v2)"));
      case ParsedEntryHash::Kind::kLegacy:
        if (result_->keyed_entries > 0) {
          return Fail(seq, absl::StrCat("entry ", seq,
                                        ": plain SHA-256 after keyed entries (written without the "
                                        "chain key: a rewrite, or a process without the key)"));
        }
        if (LegacyEntryHash(fields) != hash)
          return Fail(seq, absl::StrCat("entry ", seq, ": hash mismatch (row changed)"));
        ++result_->legacy_entries;
        return true;
      case ParsedEntryHash::Kind::kKeyed:
        break;
    }
    if (KeyedEntryDigest(fields, parsed.key_id) != parsed.digest)
      return Fail(seq, absl::StrCat("entry ", seq, ": hash mismatch (row changed)"));
    if (parsed.key_id != current_key_) {
      // A retired key must not come back: whoever still has an old key
      // (leaked, or kept by someone who left) could otherwise append after
      // the rotation.
      if (retired_.count(std::string(parsed.key_id)) > 0) {
        return Fail(seq, absl::StrCat("entry ", seq, ": chain key ", parsed.key_id,
                                      " was replaced by key ", current_key_, " at entry ",
                                      current_key_since_, " and cannot sign later entries"));
      }
      if (!current_key_.empty()) retired_.insert(current_key_);
      current_key_ = std::string(parsed.key_id);
      current_key_since_ = seq;
      result_->key_ids.push_back(current_key_);
    }
    if (result_->macs_checked) {
      auto key = options_.keys.find(current_key_);
      if (key == options_.keys.end()) {
        return Fail(seq, absl::StrCat("entry ", seq, ": keyed with chain key id ", current_key_,
                                      ", which none of the given chain keys has (a retired key "
                                      "not given, or entries written with a key of someone "
                                      "else's)"));
      }
      if (KeyedEntryMac(parsed.digest, *key->second) != parsed.mac) {
        return Fail(seq, absl::StrCat("entry ", seq, ": MAC mismatch under chain key ",
                                      current_key_, " (entry rewritten without the key)"));
      }
    }
    ++result_->keyed_entries;
    return true;
  }

  bool Claim(const HeadClaim& claim, const std::string& hash) {
    if (claim.chain != first_hash_) {
      return Fail(1, absl::StrCat(claim.source,
                                  ": checkpoint is for a chain whose entry 1 has hash ", claim.chain,
                                  ", but this database's entry 1 has hash ",
                                  first_hash_,
                                  " (the chain was rewritten from its start, or the checkpoint "
                                  "is another database's)"));
    }
    if (claim.head != hash) {
      return Fail(claim.seq, absl::StrCat(claim.source, ": checkpoint says entry ", claim.seq,
                                          " has hash ", claim.head, ", but the database's has ",
                                          hash,
                                          " (entries up to ", claim.seq,
                                          " were changed, swapped, removed or rewritten)"));
    }
    ++result_->checkpoints_matched;
    result_->last_checkpoint_seq = claim.seq;
    return true;
  }

  const VerifyOptions& options_;
  AuditVerification* result_;
  std::vector<const HeadClaim*> claims_;
  size_t next_claim_ = 0;
  int64_t expected_seq_ = 1;
  std::string first_hash_;
  std::string current_key_;
  int64_t current_key_since_ = 0;
  std::set<std::string> retired_;
};

}  // namespace

AuditVerification VerifyAuditChain(storage::Database& db, const VerifyOptions& options) {
  AuditVerification result;
  result.last_hash = std::string(kGenesisHash);
  ChainWalk walk(options, &result);

  // One statement is one read snapshot, so concurrent appends cannot make a
  // consistent log look broken half-way through the walk. Uncached: this
  // runs rarely and must not reset a caller's cached statement.
  absl::StatusOr<std::unique_ptr<Statement>> query = db.PrepareOnce(
      "SELECT seq, recorded_at, actor, action, resource, detail, prev_hash, hash "
      "FROM audit_log ORDER BY seq");
  if (!query.ok()) {
    result.problem = absl::StrCat("could not read audit_log: ", query.status().ToString());
    return result;
  }
  Statement& stmt = **query;
  while (true) {
    absl::StatusOr<bool> has_row = stmt.Step();
    if (!has_row.ok()) {
      result.problem =
          absl::StrCat("could not read audit_log: ", has_row.status().ToString());
      return result;
    }
    if (!*has_row) break;
    const std::string recorded_at = stmt.ColumnText(1), actor = stmt.ColumnText(2),
                      action = stmt.ColumnText(3), resource = stmt.ColumnText(4),
                      detail = stmt.ColumnText(5), prev_hash = stmt.ColumnText(6),
                      hash = stmt.ColumnText(7);
    const int64_t seq = stmt.ColumnInt64(0);
    if (!walk.Row(seq, EntryFields{seq, recorded_at, actor, action, resource, detail, prev_hash},
                  hash))
      return result;
  }
  if (!walk.End()) return result;
  result.ok = true;
  return result;
}

}  // namespace audit
}  // namespace council
