// ServiceAudit: what a service binary does with the --audit_* flags.
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/audit/chain_key.h"
#include "common/audit/checkpoint.h"
#include "common/audit/service_audit.h"
#include "common/server/flags.h"
#include "gtest/gtest.h"
#include "tests/common/audit/audit_test_util.h"

namespace council::audit {
namespace {

using ::council::audit::testing::AppendEntries;
using ::council::audit::testing::OpenMigrated;
using ::council::audit::testing::ReadRows;
using ::council::audit::testing::RemoveDbFiles;
using ::council::audit::testing::TestPath;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::trunc) << content;
}

class ServiceAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_key_ = SetProcessChainKey(nullptr);
    db_path_ = TestPath(".db");
    RemoveDbFiles(db_path_);
    chain_key_file_ = TestPath(".chain.key");
    private_key_file_ = TestPath(".checkpoint.pem");
    public_key_file_ = TestPath(".checkpoint.pub");
    checkpoint_file_ = TestPath(".checkpoints");
    std::remove(checkpoint_file_.c_str());
    WriteFile(chain_key_file_, ChainKey::GenerateSecretHex() + "\n");
    auto pair = CheckpointKey::Generate();
    ASSERT_TRUE(pair.ok());
    WriteFile(private_key_file_, pair->first);
    WriteFile(public_key_file_, pair->second);
    absl::SetFlag(&FLAGS_database, db_path_);
    absl::SetFlag(&FLAGS_audit_key_file, chain_key_file_);
    absl::SetFlag(&FLAGS_audit_checkpoint_key_file, private_key_file_);
    absl::SetFlag(&FLAGS_audit_checkpoint_file, checkpoint_file_);
    absl::SetFlag(&FLAGS_audit_checkpoint_interval_seconds, 0);
  }
  void TearDown() override {
    for (auto* flag : {&FLAGS_database, &FLAGS_audit_key_file, &FLAGS_audit_checkpoint_key_file,
                       &FLAGS_audit_checkpoint_file})
      absl::SetFlag(flag, "");
    absl::SetFlag(&FLAGS_audit_checkpoint_interval_seconds, 60);
    SetProcessChainKey(previous_key_);
    RemoveDbFiles(db_path_);
    for (const std::string& path :
         {chain_key_file_, private_key_file_, public_key_file_, checkpoint_file_})
      std::remove(path.c_str());
  }

  std::shared_ptr<const ChainKey> previous_key_;
  std::string db_path_, chain_key_file_, private_key_file_, public_key_file_, checkpoint_file_;
};

TEST_F(ServiceAuditTest, UpgradeSealsLegacyEntriesAndCheckpointsOnStop) {
  {
    auto db = OpenMigrated(db_path_);
    AppendEntries(*db, nullptr, 3, "before the upgrade");
  }
  auto audit = ServiceAudit::FromFlags("relations-service");
  ASSERT_TRUE(audit.ok()) << audit.status();
  ASSERT_NE(ProcessChainKey(), nullptr) << "the chain key is installed for the process";
  ASSERT_TRUE((*audit)->Start(db_path_).ok());
  {
    auto db = OpenMigrated(db_path_);
    AppendEntries(*db, ProcessChainKey(), 2, "after");  // as the service's store would
    const auto rows = ReadRows(*db);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[3].action, "audit.chain_key");
  }
  (*audit)->Stop();

  auto chain_key = ChainKey::FromFile(chain_key_file_);
  auto public_key = CheckpointKey::FromPublicKeyFile(public_key_file_);
  ASSERT_TRUE(chain_key.ok() && public_key.ok());
  auto claims = ReadCheckpointFile(checkpoint_file_, {{(*public_key)->id(), *public_key}});
  ASSERT_TRUE(claims.ok()) << claims.status();
  ASSERT_EQ(claims->size(), 2u);  // at start (after the seal) and at stop
  EXPECT_EQ((*claims)[0].seq, 4);
  EXPECT_EQ((*claims)[1].seq, 6);
  VerifyOptions options;
  options.keys[(*chain_key)->id()] = *chain_key;
  options.checkpoints = *claims;
  auto db = OpenMigrated(db_path_);
  AuditVerification result = VerifyAuditChain(*db, options);
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.legacy_entries, 3);
  EXPECT_EQ(result.keyed_entries, 3);
}

TEST_F(ServiceAuditTest, KeyedChainWithoutKeyIsRefusedAtFlagsAndAtStart) {
  {
    auto db = OpenMigrated(db_path_);
    auto key = ChainKey::FromFile(chain_key_file_);
    ASSERT_TRUE(key.ok());
    AppendEntries(*db, key->get(), 1);
  }
  absl::SetFlag(&FLAGS_audit_key_file, "");
  auto audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(audit.status().message(), "--audit_key_file: the audit chain in "))
      << audit.status();
  EXPECT_EQ(ProcessChainKey(), nullptr);

  // Start checks again (the gateway opens its database after the flags).
  absl::SetFlag(&FLAGS_database, "");
  audit = ServiceAudit::FromFlags("gateway");
  ASSERT_TRUE(audit.ok()) << audit.status();
  absl::Status started = (*audit)->Start(db_path_);
  EXPECT_EQ(started.code(), absl::StatusCode::kFailedPrecondition) << started;
}

TEST_F(ServiceAuditTest, FlagProblemsNameTheFlag) {
  absl::SetFlag(&FLAGS_audit_key_file, chain_key_file_ + ".absent");
  auto audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(audit.status().message(), "--audit_key_file: audit chain key file"))
      << audit.status();

  absl::SetFlag(&FLAGS_audit_key_file, chain_key_file_);
  absl::SetFlag(&FLAGS_audit_checkpoint_file, "");
  audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(audit.status().message(), "go together")) << audit.status();

  absl::SetFlag(&FLAGS_audit_checkpoint_file, db_path_ + "-wal");
  audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(audit.status().message(), "--audit_checkpoint_file: "))
      << audit.status();

  absl::SetFlag(&FLAGS_audit_checkpoint_file, checkpoint_file_);
  absl::SetFlag(&FLAGS_audit_checkpoint_key_file, chain_key_file_);  // not a PEM key
  audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(audit.status().message(),
                               "--audit_checkpoint_key_file: checkpoint private key file"))
      << audit.status();

  absl::SetFlag(&FLAGS_audit_checkpoint_key_file, private_key_file_);
  absl::SetFlag(&FLAGS_audit_checkpoint_interval_seconds, -1);
  audit = ServiceAudit::FromFlags("relations-service");
  EXPECT_EQ(audit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(audit.status().message(), "--audit_checkpoint_interval_seconds"));
}

TEST_F(ServiceAuditTest, CheckpointFileThatCannotBeWrittenFailsStart) {
  { auto db = OpenMigrated(db_path_); }
  absl::SetFlag(&FLAGS_audit_checkpoint_file, "/nonexistent-dir/audit-checkpoints");
  auto audit = ServiceAudit::FromFlags("relations-service");
  ASSERT_TRUE(audit.ok()) << audit.status();
  absl::Status started = (*audit)->Start(db_path_);
  EXPECT_FALSE(started.ok());
  EXPECT_TRUE(absl::StartsWith(started.message(), "--audit_checkpoint_file: cannot open "))
      << started;
}

}  // namespace
}  // namespace council::audit
