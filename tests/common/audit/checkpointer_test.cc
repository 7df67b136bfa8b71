// The checkpointer (start, interval, stop) and the seal a service writes
// when it first runs with a chain key (upgrade) or a new one (rotation).
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/audit/checkpoint.h"
#include "common/audit/checkpointer.h"
#include "common/audit/service_audit.h"
#include "gtest/gtest.h"
#include "tests/common/audit/audit_test_util.h"

namespace council::audit {
namespace {

using ::council::audit::testing::AppendEntries;
using ::council::audit::testing::OpenMigrated;
using ::council::audit::testing::ReadRows;
using ::council::audit::testing::RemoveDbFiles;
using ::council::audit::testing::TestPath;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = TestPath(".db");
    file_ = TestPath(".checkpoints");
    RemoveDbFiles(db_path_);
    std::remove(file_.c_str());
    db_ = OpenMigrated(db_path_);
    ASSERT_NE(db_, nullptr);
    auto pair = CheckpointKey::Generate();
    ASSERT_TRUE(pair.ok());
    auto key = CheckpointKey::FromPrivateKeyPem(pair->first, "test");
    ASSERT_TRUE(key.ok());
    key_ = *key;
    auto pub = CheckpointKey::FromPublicKeyPem(pair->second, "test");
    ASSERT_TRUE(pub.ok());
    public_keys_[(*pub)->id()] = *pub;
  }
  void TearDown() override {
    db_.reset();
    RemoveDbFiles(db_path_);
    std::remove(file_.c_str());
  }

  CheckpointerOptions Options(absl::Duration interval) {
    CheckpointerOptions options;
    options.service = "relations-service";
    options.database_path = db_path_;
    options.key = key_;
    options.file = file_;
    options.interval = interval;
    return options;
  }

  std::string db_path_, file_;
  std::unique_ptr<storage::Database> db_;
  std::shared_ptr<const CheckpointKey> key_;
  CheckpointKeys public_keys_;
  std::shared_ptr<const ChainKey> chain_key_ =
      ChainKey::FromSecret("0123456789abcdef0123456789abcdef0123456789abcdef");
};

TEST_F(CheckpointerTest, EmptyLogGetsNoCheckpointButTheFileIsCreated) {
  Checkpointer checkpointer(Options(absl::ZeroDuration()));
  ASSERT_TRUE(checkpointer.Start().ok());
  checkpointer.Stop();
  EXPECT_EQ(checkpointer.written(), 0);
  EXPECT_TRUE(Lines(file_).empty());
  std::ifstream exists(file_);
  EXPECT_TRUE(exists.good());
}

TEST_F(CheckpointerTest, StartAndStopCheckpointsVerifyAgainstTheChain) {
  AppendEntries(*db_, chain_key_.get(), 3);
  Checkpointer checkpointer(Options(absl::ZeroDuration()));
  ASSERT_TRUE(checkpointer.Start().ok());
  AppendEntries(*db_, chain_key_.get(), 2);
  checkpointer.Stop();
  EXPECT_EQ(checkpointer.written(), 2);
  const std::vector<std::string> lines = Lines(file_);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(absl::StrContains(lines[0], " seq=3 ")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[1], " seq=5 ")) << lines[1];

  auto claims = ReadCheckpointFile(file_, public_keys_);
  ASSERT_TRUE(claims.ok()) << claims.status();
  VerifyOptions options;
  options.keys[chain_key_->id()] = chain_key_;
  options.checkpoints = *claims;
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.checkpoints_matched, 2);
  EXPECT_EQ(result.last_checkpoint_seq, 5);
}

TEST_F(CheckpointerTest, IntervalWritesOnlyWhenTheHeadMoved) {
  AppendEntries(*db_, chain_key_.get(), 1);
  Checkpointer checkpointer(Options(absl::Milliseconds(50)));
  ASSERT_TRUE(checkpointer.Start().ok());
  EXPECT_EQ(checkpointer.written(), 1);
  absl::SleepFor(absl::Milliseconds(300));  // several rounds, nothing new
  EXPECT_EQ(checkpointer.written(), 1);
  AppendEntries(*db_, chain_key_.get(), 1);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (checkpointer.written() < 2 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(checkpointer.written(), 2);
  checkpointer.Stop();
  EXPECT_EQ(checkpointer.written(), 3);  // the shutdown one, even though unmoved
  auto claims = ReadCheckpointFile(file_, public_keys_);
  ASSERT_TRUE(claims.ok()) << claims.status();
  ASSERT_EQ(claims->size(), 3u);
  EXPECT_EQ((*claims)[1].seq, 2);
}

TEST_F(CheckpointerTest, UnwritableFileFailsAtStart) {
  CheckpointerOptions options = Options(absl::ZeroDuration());
  options.file = "/nonexistent-dir/checkpoints";
  Checkpointer checkpointer(options);
  absl::Status status = checkpointer.Start();
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StrContains(status.message(), "/nonexistent-dir/checkpoints")) << status;
}

TEST_F(CheckpointerTest, TruncationAfterACheckpointIsDetected) {
  AppendEntries(*db_, chain_key_.get(), 4);
  {
    Checkpointer checkpointer(Options(absl::ZeroDuration()));
    ASSERT_TRUE(checkpointer.Start().ok());
  }  // the destructor stops it
  db_.reset();
  testing::AttackerExec(db_path_, "DELETE FROM audit_log WHERE seq = 4;");
  db_ = OpenMigrated(db_path_);
  auto claims = ReadCheckpointFile(file_, public_keys_);
  ASSERT_TRUE(claims.ok());
  VerifyOptions options;
  options.checkpoints = *claims;
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(absl::StartsWith(result.problem, absl::StrCat(file_, ":1: checkpoint says the log "
                                                                   "had 4 entries")))
      << result.problem;
}

// --- Sealing legacy entries, recording a rotation. ---------------------------

TEST_F(CheckpointerTest, SealAppendsOneKeyedEntryAfterLegacyOnes) {
  AppendEntries(*db_, nullptr, 3);
  auto sealed = SealChainWithKey(db_path_, *chain_key_);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 4);
  const auto rows = ReadRows(*db_);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3].actor, "system/audit");
  EXPECT_EQ(rows[3].action, "audit.chain_key");
  EXPECT_EQ(rows[3].detail,
            absl::StrCat("entries up to 3 were written without a chain key (plain SHA-256); "
                         "from entry 4 every entry is keyed with chain key ",
                         chain_key_->id()));
  VerifyOptions options;
  options.keys[chain_key_->id()] = chain_key_;
  AuditVerification result = VerifyAuditChain(*db_, options);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.legacy_entries, 3);
  EXPECT_EQ(result.keyed_entries, 1);

  // Again with the same key: nothing to do.
  sealed = SealChainWithKey(db_path_, *chain_key_);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*sealed, 0);
  EXPECT_EQ(ReadRows(*db_).size(), 4u);
}

TEST_F(CheckpointerTest, SealOfAnEmptyLogWritesNothing) {
  auto sealed = SealChainWithKey(db_path_, *chain_key_);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*sealed, 0);
  EXPECT_TRUE(ReadRows(*db_).empty());
}

TEST_F(CheckpointerTest, SealRecordsARotation) {
  AppendEntries(*db_, chain_key_.get(), 2);
  std::shared_ptr<const ChainKey> next =
      ChainKey::FromSecret("fedcba9876543210fedcba9876543210fedcba9876543210");
  auto sealed = SealChainWithKey(db_path_, *next);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*sealed, 3);
  EXPECT_EQ(ReadRows(*db_)[2].detail, absl::StrCat("chain key ", next->id(),
                                                   " replaces chain key ", chain_key_->id(),
                                                   " from entry 3"));
  VerifyOptions options;
  options.keys[chain_key_->id()] = chain_key_;
  options.keys[next->id()] = next;
  EXPECT_TRUE(VerifyAuditChain(*db_, options).ok);
}

}  // namespace
}  // namespace council::audit
