// The keyed audit chain: the entry format, and every way someone who can
// write the database file but holds no key might tamper with it, each of
// which must fail verification.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/audit/audit_log.h"
#include "common/audit/chain_key.h"
#include "common/audit/entry_hash.h"
#include "gtest/gtest.h"
#include "tests/common/audit/audit_test_util.h"

namespace council::audit {
namespace {

using ::council::audit::testing::AppendEntries;
using ::council::audit::testing::AttackerExec;
using ::council::audit::testing::OpenMigrated;
using ::council::audit::testing::ReadRows;
using ::council::audit::testing::RemoveDbFiles;
using ::council::audit::testing::RewriteChain;
using ::council::audit::testing::Row;
using ::council::audit::testing::TestPath;

constexpr char kSecret[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
constexpr char kOtherSecret[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

class KeyedChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TestPath(".db");
    RemoveDbFiles(path_);
    db_ = OpenMigrated(path_);
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    db_.reset();
    RemoveDbFiles(path_);
  }

  // Closes the service's connection so the "attacker" can edit the file, and
  // reopens it afterwards through Reopen().
  void Close() { db_.reset(); }
  void Reopen() {
    db_ = OpenMigrated(path_);
    ASSERT_NE(db_, nullptr);
  }

  VerifyOptions WithKey() const {
    VerifyOptions options;
    options.keys[key_->id()] = key_;
    return options;
  }

  // A claim as a checkpoint of the current head would make.
  HeadClaim HeadNow(const std::string& source = "checkpoints:1") {
    auto tail = ReadChainTail(*db_);
    EXPECT_TRUE(tail.ok()) << tail.status();
    return HeadClaim{tail->seq, tail->hash, tail->first_hash, source};
  }

  std::string path_;
  std::unique_ptr<storage::Database> db_;
  std::shared_ptr<const ChainKey> key_ = ChainKey::FromSecret(kSecret);
  std::shared_ptr<const ChainKey> other_key_ = ChainKey::FromSecret(kOtherSecret);
};

TEST_F(KeyedChainTest, KeyedHashMatchesDocumentedEncoding) {
  // Golden values computed independently (Python hashlib and hmac) from the
  // encoding documented in entry_hash.h; changing it breaks stored logs.
  EXPECT_EQ(key_->id(), "9471eac37556d043");
  const std::string zeros(64, '0');
  EXPECT_EQ(KeyedEntryHash(EntryFields{1, "2024-05-01T09:30:00.123456Z", "alice",
                                       "resident.update", "resident/123", "postcode changed",
                                       zeros},
                           *key_),
            "v2:9471eac37556d043:"
            "f6bea7553170a38d8be3a3e59a5035cc17858ead25b33bc64fc6c36832a528d0:"
            "dc4490574530a21ad39aa395f7bb4ae60eef77f1d1c90995dfe04690650986eb");
}

TEST_F(KeyedChainTest, ParseTellsFormatsApart) {
  const std::string legacy(64, 'a');
  EXPECT_EQ(ParseEntryHash(legacy).kind, ParsedEntryHash::Kind::kLegacy);
  const std::string keyed = absl::StrCat("v2:", std::string(16, '1'), ":", std::string(64, '2'),
                                         ":", std::string(64, '3'));
  const ParsedEntryHash parsed = ParseEntryHash(keyed);
  ASSERT_EQ(parsed.kind, ParsedEntryHash::Kind::kKeyed);
  EXPECT_EQ(parsed.key_id, std::string(16, '1'));
  EXPECT_EQ(parsed.digest, std::string(64, '2'));
  EXPECT_EQ(parsed.mac, std::string(64, '3'));
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(64, 'A'), absl::StrCat("v3", keyed.substr(2)),
        keyed.substr(0, keyed.size() - 1), absl::StrCat(keyed, "0"), std::string()}) {
    EXPECT_EQ(ParseEntryHash(bad).kind, ParsedEntryHash::Kind::kMalformed) << bad;
  }
}

TEST_F(KeyedChainTest, KeyedChainVerifiesWithAndWithoutKey) {
  AppendEntries(*db_, key_.get(), 5);
  const std::vector<Row> rows = ReadRows(*db_);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(absl::StartsWith(rows[0].hash, "v2:" + key_->id() + ":"));
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);

  AuditVerification with_key = VerifyAuditChain(*db_, WithKey());
  EXPECT_TRUE(with_key.ok) << with_key.problem;
  EXPECT_EQ(with_key.entries_checked, 5);
  EXPECT_EQ(with_key.keyed_entries, 5);
  EXPECT_EQ(with_key.legacy_entries, 0);
  EXPECT_TRUE(with_key.macs_checked);
  EXPECT_EQ(with_key.key_ids, std::vector<std::string>{key_->id()});
  EXPECT_EQ(with_key.last_hash, rows[4].hash);

  // Without the key the digests and links are still checked, not the MACs.
  AuditVerification without = VerifyAuditChain(*db_);
  EXPECT_TRUE(without.ok) << without.problem;
  EXPECT_FALSE(without.macs_checked);
  EXPECT_EQ(without.keyed_entries, 5);
}

TEST_F(KeyedChainTest, ProcessKeyIsUsedByDefault) {
  std::shared_ptr<const ChainKey> previous = SetProcessChainKey(key_);
  AppendEntries(*db_, ProcessChainKey(), 1);
  {
    auto txn = storage::Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    auto entry = AuditLog(db_.get()).Append("people/bob", "x", "r", "d", absl::Now());
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_TRUE(absl::StartsWith(entry->hash, "v2:" + key_->id())) << entry->hash;
    ASSERT_TRUE(txn->Commit().ok());
  }
  SetProcessChainKey(previous);
  EXPECT_TRUE(VerifyAuditChain(*db_, WithKey()).ok);
}

TEST_F(KeyedChainTest, UnkeyedAppendAfterKeyedEntryIsRefused) {
  AppendEntries(*db_, key_.get(), 2);
  auto txn = storage::Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  auto entry = AuditLog(db_.get(), nullptr).Append("people/bob", "x", "r", "d", absl::Now());
  EXPECT_EQ(entry.status().code(), absl::StatusCode::kFailedPrecondition) << entry.status();
  EXPECT_TRUE(absl::StrContains(entry.status().message(), "--audit_key_file"));
}

// --- Tampering: each must fail verification. -------------------------------

TEST_F(KeyedChainTest, ChangedEntryFails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  AttackerExec(path_, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3;");
  Reopen();
  for (const VerifyOptions& options : {VerifyOptions(), WithKey()}) {
    AuditVerification result = VerifyAuditChain(*db_, options);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.first_bad_seq, 3);
    EXPECT_EQ(result.problem, "entry 3: hash mismatch (row changed)");
  }
}

TEST_F(KeyedChainTest, ChangedEntryWithDigestsRecomputedFailsOnTheMac) {
  // The attacker knows the format and recomputes every digest and link to
  // the end, but cannot compute the MACs, so keeps the old ones.
  AppendEntries(*db_, key_.get(), 5);
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[2].detail = "nothing to see"; },
      [this](const EntryFields& fields) {
        return absl::StrCat("v2:", key_->id(), ":", KeyedEntryDigest(fields, key_->id()), ":",
                            std::string(64, '0'));
      },
      3);
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_EQ(result.problem, absl::StrCat("entry 3: MAC mismatch under chain key ", key_->id(),
                                         " (entry rewritten without the key)"));
}

TEST_F(KeyedChainTest, DeletedMiddleEntryFails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  AttackerExec(path_, "DELETE FROM audit_log WHERE seq = 2;");
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
  EXPECT_EQ(result.problem, "entry 2 missing (gap after 1)");
}

TEST_F(KeyedChainTest, DeletedMiddleEntryWithSeqsRenumberedFails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  AttackerExec(path_,
               "DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = seq - 1 "
               "WHERE seq > 2;");
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);  // seq is in the digest
}

TEST_F(KeyedChainTest, DeletedLastEntriesFailOnlyAgainstACheckpoint) {
  AppendEntries(*db_, key_.get(), 5);
  const HeadClaim checkpoint = HeadNow("relations.checkpoints:7");
  Close();
  AttackerExec(path_, "DELETE FROM audit_log WHERE seq >= 4;");
  Reopen();
  // A shorter chain is a valid chain: the key alone cannot tell...
  EXPECT_TRUE(VerifyAuditChain(*db_, WithKey()).ok);
  // ...a checkpoint can.
  VerifyOptions options = WithKey();
  options.checkpoints.push_back(checkpoint);
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problem,
            "relations.checkpoints:7: checkpoint says the log had 5 entries, but it ends at "
            "entry 3: entries 4..5 were removed (or this database is older than the "
            "checkpoint, e.g. a restored backup)");
  // The same without the chain key: the public half is enough.
  options.keys.clear();
  EXPECT_FALSE(VerifyAuditChain(*db_, options).ok);
}

TEST_F(KeyedChainTest, SwappedEntriesFail) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  // Swap the contents (hashes included) of entries 2 and 4, keeping seqs.
  AttackerExec(path_,
               "UPDATE audit_log SET seq = -2 WHERE seq = 2; "
               "UPDATE audit_log SET seq = 2 WHERE seq = 4; "
               "UPDATE audit_log SET seq = 4 WHERE seq = -2;");
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
  EXPECT_EQ(result.problem, "entry 2: hash mismatch (row changed)");
}

TEST_F(KeyedChainTest, ChainRewrittenAsPlainSha256FailsWithTheKey) {
  AppendEntries(*db_, key_.get(), 5);
  const HeadClaim checkpoint = HeadNow();
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[1].detail = "rewritten"; }, LegacyEntryHash);
  Reopen();
  // Without the key or checkpoints, a legacy chain looks fine: that is the
  // hole this change closes.
  EXPECT_TRUE(VerifyAuditChain(*db_).ok);
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(absl::StartsWith(result.problem, "no keyed entries: all 5 entries are plain SHA-256"))
      << result.problem;
  VerifyOptions public_only;
  public_only.checkpoints.push_back(checkpoint);
  result = VerifyAuditChain(*db_, public_only);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(absl::StartsWith(result.problem, "checkpoints:1: checkpoint is for a chain whose "
                                               "entry 1 has hash"))
      << result.problem;
}

TEST_F(KeyedChainTest, TailRewrittenAsPlainSha256Fails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[3].detail = "rewritten"; }, LegacyEntryHash, 4);
  Reopen();
  for (const VerifyOptions& options : {VerifyOptions(), WithKey()}) {
    AuditVerification result = VerifyAuditChain(*db_, options);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.first_bad_seq, 4);
    EXPECT_TRUE(absl::StartsWith(result.problem, "entry 4: plain SHA-256 after keyed entries"))
        << result.problem;
  }
}

TEST_F(KeyedChainTest, ChainRewrittenWithAnotherKeyFails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[1].detail = "rewritten"; },
      [this](const EntryFields& fields) { return KeyedEntryHash(fields, *other_key_); });
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 1);
  EXPECT_TRUE(absl::StrContains(result.problem, absl::StrCat("keyed with chain key id ",
                                                             other_key_->id(),
                                                             ", which none of the given")))
      << result.problem;
}

TEST_F(KeyedChainTest, ChainRewrittenWithAnotherKeyUnderTheRightKeyIdFails) {
  AppendEntries(*db_, key_.get(), 5);
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[1].detail = "rewritten"; },
      [this](const EntryFields& fields) {
        // The genuine key id, a MAC under the attacker's own key.
        const std::string digest = KeyedEntryDigest(fields, key_->id());
        return absl::StrCat("v2:", key_->id(), ":", digest, ":",
                            KeyedEntryMac(digest, *other_key_));
      });
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 1);
  EXPECT_TRUE(absl::StartsWith(result.problem, "entry 1: MAC mismatch")) << result.problem;
}

TEST_F(KeyedChainTest, ChainRewrittenWithTheRightKeyFailsAgainstACheckpoint) {
  // Someone who has the chain key (an insider) but not the checkpoint key.
  AppendEntries(*db_, key_.get(), 5);
  const HeadClaim checkpoint = HeadNow("cp:3");
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[1].detail = "rewritten"; },
      [this](const EntryFields& fields) { return KeyedEntryHash(fields, *key_); }, 2);
  Reopen();
  EXPECT_TRUE(VerifyAuditChain(*db_, WithKey()).ok);
  VerifyOptions options = WithKey();
  options.checkpoints.push_back(checkpoint);
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
  EXPECT_TRUE(absl::StartsWith(result.problem, "cp:3: checkpoint says entry 5 has hash "))
      << result.problem;
}

TEST_F(KeyedChainTest, MalformedHashFails) {
  AppendEntries(*db_, key_.get(), 2);
  Close();
  AttackerExec(path_, "UPDATE audit_log SET hash = 'v2:zz' WHERE seq = 2;");
  Reopen();
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problem, "entry 2: hash is neither plain SHA-256 nor keyed (v2)");
}

// --- Upgrade and rotation. ---------------------------------------------------

TEST_F(KeyedChainTest, LegacyEntriesBeforeTheFirstKeyedOneVerify) {
  AppendEntries(*db_, nullptr, 3, "before the upgrade");
  AppendEntries(*db_, key_.get(), 2, "after");
  AuditVerification result = VerifyAuditChain(*db_, WithKey());
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.legacy_entries, 3);
  EXPECT_EQ(result.keyed_entries, 2);
}

TEST_F(KeyedChainTest, RewrittenLegacyPrefixFails) {
  // Plain SHA-256 is public, so the legacy entries can be rewritten
  // consistently; but the first keyed entry covers the last legacy hash, and
  // its own hash cannot be recomputed without the key.
  AppendEntries(*db_, nullptr, 3, "before the upgrade");
  AppendEntries(*db_, key_.get(), 2, "after");
  std::vector<std::string> original;
  for (const Row& row : ReadRows(*db_)) original.push_back(row.hash);
  Close();
  RewriteChain(
      path_, [](std::vector<Row>& rows) { rows[0].detail = "rewritten"; },
      [&original](const EntryFields& fields) {
        return fields.seq <= 3 ? LegacyEntryHash(fields) : original[fields.seq - 1];
      });
  Reopen();
  for (const VerifyOptions& options : {VerifyOptions(), WithKey()}) {
    AuditVerification result = VerifyAuditChain(*db_, options);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.first_bad_seq, 4);
    EXPECT_EQ(result.problem, "entry 4: hash mismatch (row changed)");
  }
}

TEST_F(KeyedChainTest, RotatedKeyVerifiesWithBothKeysAndNotWithTheNewOneAlone) {
  AppendEntries(*db_, key_.get(), 2);
  AppendEntries(*db_, other_key_.get(), 2);
  VerifyOptions both = WithKey();
  both.keys[other_key_->id()] = other_key_;
  AuditVerification result = VerifyAuditChain(*db_, both);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.key_ids, (std::vector<std::string>{key_->id(), other_key_->id()}));

  VerifyOptions new_only;
  new_only.keys[other_key_->id()] = other_key_;
  result = VerifyAuditChain(*db_, new_only);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 1);
}

TEST_F(KeyedChainTest, RetiredKeyCannotComeBack) {
  AppendEntries(*db_, key_.get(), 2);
  AppendEntries(*db_, other_key_.get(), 2);
  AppendEntries(*db_, key_.get(), 1);  // the old key, after the rotation
  VerifyOptions both = WithKey();
  both.keys[other_key_->id()] = other_key_;
  AuditVerification result = VerifyAuditChain(*db_, both);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
  EXPECT_EQ(result.problem, absl::StrCat("entry 5: chain key ", key_->id(), " was replaced by key ",
                                         other_key_->id(),
                                         " at entry 3 and cannot sign later entries"));
}

TEST_F(KeyedChainTest, CheckpointsThatHoldAreCounted) {
  AppendEntries(*db_, key_.get(), 3);
  VerifyOptions options = WithKey();
  options.checkpoints.push_back(HeadNow("cp:1"));
  AppendEntries(*db_, key_.get(), 2);
  options.checkpoints.push_back(HeadNow("cp:2"));
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.checkpoints_matched, 2);
  EXPECT_EQ(result.last_checkpoint_seq, 5);
}

}  // namespace
}  // namespace council::audit
