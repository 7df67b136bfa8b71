// End-to-end test of the audit log's tamper evidence (issue 17, defect 5):
// the suite runs with audit chain keys and signed checkpoints, the demo
// council is loaded through the gateway, the services stop gracefully
// (each writes its shutdown checkpoint), and then copies of
// relations-service's database are tampered with the way someone who can
// write the file but holds no key would (sqlite3, triggers dropped first).
// `council-backup verify`, given the chain key and the checkpoints, must
// refuse every tampered copy (exit 2, naming the problem) and accept the
// untouched database and every service's database (exit 0).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/audit/chain_key.h"
#include "common/audit/entry_hash.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/audit/audit_test_util.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::council::audit::testing::AttackerExec;
using ::council::audit::testing::RewriteChain;
using ::council::audit::testing::Row;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

constexpr char kBackupTool[] = "tools/council-backup/council-backup";
constexpr int kExitDamaged = 2;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> CheckpointLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (absl::StartsWith(line, "council-audit-checkpoint/1 ")) lines.push_back(line);
  return lines;
}

int64_t EntryCount(const std::string& database) {
  auto db = storage::Database::OpenReadOnly(database);
  if (!db.ok()) return -1;
  auto tail = audit::ReadChainTail(**db);
  return tail.ok() ? tail->seq : -1;
}

class AuditTamperE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SuiteOptions options;
    options.audit_keys = true;
    suite_ = Suite::Start("southwark", options).release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0);
    relations_db_ = suite_->DatabasePath("relations-service");
    const int64_t entries = EntryCount(relations_db_);
    ASSERT_GT(entries, 10);
    // The interval checkpoint (1 s in the harness) catches up with the
    // writes while the service runs.
    const std::string checkpoints = suite_->AuditFile("relations-service.checkpoints");
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline &&
           !absl::StrContains(ReadFile(checkpoints), absl::StrCat(" seq=", entries, " ")))
      absl::SleepFor(absl::Milliseconds(100));
    EXPECT_THAT(ReadFile(checkpoints), HasSubstr(absl::StrCat(" seq=", entries, " ")))
        << "no interval checkpoint of the head within 20 s";
    // Graceful stop of everything: each service writes its shutdown checkpoint.
    for (const char* service :
         {"gateway", "access-service", "complaints-service", "relations-service"})
      EXPECT_EQ(suite_->Stop(service), 0) << service;
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  // The audit flags for relations-service's database, with `checkpoints`.
  static std::vector<std::string> AuditFlags(const std::string& checkpoints) {
    return {"--audit_key_file=" + suite_->AuditFile("chain.key"),
            "--checkpoints=" + checkpoints,
            "--checkpoint_public_key=" + suite_->AuditFile("checkpoint-public.pem")};
  }

  // council-backup verify of `database` with the chain key and checkpoints;
  // returns the exit code, output in `output`.
  static int Verify(const std::string& database, std::string* output,
                    const std::string& checkpoints = "") {
    std::vector<std::string> args = {"verify", "--database=" + database};
    for (const std::string& flag :
         AuditFlags(checkpoints.empty() ? suite_->AuditFile("relations-service.checkpoints")
                                        : checkpoints))
      args.push_back(flag);
    return Suite::RunBinary(kBackupTool, args, output);
  }

  // A copy of relations-service's (stopped) database to tamper with.
  std::string Copy(const std::string& name) {
    const std::string copy = absl::StrCat(suite_->dir(), "/", name, ".db");
    std::filesystem::copy_file(relations_db_, copy,
                               std::filesystem::copy_options::overwrite_existing);
    EXPECT_FALSE(std::filesystem::exists(relations_db_ + "-wal") &&
                 std::filesystem::file_size(relations_db_ + "-wal") > 0)
        << "a gracefully stopped service leaves no WAL behind";
    return copy;
  }

  static Suite* suite_;
  static std::string relations_db_;
};

Suite* AuditTamperE2eTest::suite_ = nullptr;
std::string AuditTamperE2eTest::relations_db_;

TEST_F(AuditTamperE2eTest, ShutdownCheckpointCoversTheWholeChainInFileAndJournal) {
  const int64_t entries = EntryCount(relations_db_);
  const std::vector<std::string> lines =
      CheckpointLines(suite_->AuditFile("relations-service.checkpoints"));
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.back(), HasSubstr(absl::StrCat(" seq=", entries, " ")));
  EXPECT_THAT(lines.back(), HasSubstr(" service=relations-service "));
  // The same checkpoint is in the service's log (the journal's copy), which
  // verify reads as it is.
  const std::string log = absl::StrCat(suite_->dir(), "/relations-service.log");
  EXPECT_THAT(ReadFile(log), HasSubstr(lines.back()));
  std::string output;
  EXPECT_EQ(Verify(relations_db_, &output, log), 0) << output;
  EXPECT_THAT(output, ContainsRegex("[0-9]+ signed checkpoints? holds?"));
}

TEST_F(AuditTamperE2eTest, UntouchedDatabasesOfAllFourServicesVerify) {
  for (const char* service :
       {"relations-service", "access-service", "complaints-service", "gateway"}) {
    std::string output;
    const int rc = Suite::RunBinary(
        kBackupTool,
        {"verify", "--database=" + suite_->DatabasePath(service),
         "--audit_key_file=" + suite_->AuditFile("chain.key"),
         "--checkpoints=" + suite_->AuditFile(absl::StrCat(service, ".checkpoints")),
         "--checkpoint_public_key=" + suite_->AuditFile("checkpoint-public.pem")},
        &output);
    EXPECT_EQ(rc, 0) << service << ":\n" << output;
    EXPECT_THAT(output, HasSubstr("verify OK")) << service;
    if (EntryCount(suite_->DatabasePath(service)) > 0) {
      EXPECT_THAT(output, HasSubstr("MACs verified")) << service;
      EXPECT_THAT(output, ContainsRegex("[0-9]+ signed checkpoints? holds?"))
          << service << ":\n"
          << output;
    }
  }
}

TEST_F(AuditTamperE2eTest, ChangedEntryIsRefused) {
  const std::string copy = Copy("changed");
  AttackerExec(copy, "UPDATE audit_log SET actor = 'people/someone-else' WHERE seq = 5;");
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr("entry 5: hash mismatch (row changed)"));
}

TEST_F(AuditTamperE2eTest, ChangedEntryWithTheChainRecomputedIsRefused) {
  // The attacker knows the format: recomputes every digest and link after
  // the change, keeping the MACs it cannot compute.
  const std::string copy = Copy("recomputed");
  RewriteChain(
      copy, [](std::vector<Row>& rows) { rows[4].detail = "nothing happened"; },
      [](const audit::EntryFields& fields) {
        const audit::ParsedEntryHash original = audit::ParseEntryHash(fields.prev_hash);
        const std::string id =
            original.kind == audit::ParsedEntryHash::Kind::kKeyed ? std::string(original.key_id)
                                                                  : std::string(16, '0');
        return absl::StrCat("v2:", id, ":", audit::KeyedEntryDigest(fields, id), ":",
                            std::string(64, '0'));
      },
      5);
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr("entry 5: MAC mismatch under chain key"));
}

TEST_F(AuditTamperE2eTest, DeletedMiddleEntryIsRefused) {
  const std::string copy = Copy("deleted-middle");
  AttackerExec(copy, "DELETE FROM audit_log WHERE seq = 7;");
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr("entry 7 missing (gap after 6)"));
}

TEST_F(AuditTamperE2eTest, DeletedLastEntriesAreRefusedByTheCheckpoints) {
  const int64_t entries = EntryCount(relations_db_);
  const std::string copy = Copy("truncated");
  AttackerExec(copy, absl::StrCat("DELETE FROM audit_log WHERE seq > ", entries - 3, ";"));
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("relations-service.checkpoints:")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("but it ends at entry ", entries - 3, ": entries ",
                                             entries - 2, "..")));
  // Without the checkpoints the shorter chain is a valid chain, and verify
  // says what it could not check.
  EXPECT_EQ(Suite::RunBinary(kBackupTool,
                             {"verify", "--database=" + copy,
                              "--audit_key_file=" + suite_->AuditFile("chain.key")},
                             &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("entries removed from the end would not show"));
}

TEST_F(AuditTamperE2eTest, SwappedEntriesAreRefused) {
  const std::string copy = Copy("swapped");
  AttackerExec(copy,
               "UPDATE audit_log SET seq = -1 WHERE seq = 3; "
               "UPDATE audit_log SET seq = 3 WHERE seq = 4; "
               "UPDATE audit_log SET seq = 4 WHERE seq = -1;");
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr("entry 3: hash mismatch (row changed)"));
}

TEST_F(AuditTamperE2eTest, ChainRewrittenAsPlainSha256IsRefused) {
  const std::string copy = Copy("rewritten-sha256");
  RewriteChain(
      copy, [](std::vector<Row>& rows) { rows[2].detail = "rewritten"; },
      audit::LegacyEntryHash);
  std::string output;
  // The chain key alone sees it...
  EXPECT_EQ(Suite::RunBinary(kBackupTool,
                             {"verify", "--database=" + copy,
                              "--audit_key_file=" + suite_->AuditFile("chain.key")},
                             &output),
            kExitDamaged)
      << output;
  EXPECT_THAT(output, HasSubstr("no keyed entries"));
  // ...and so do the checkpoints alone (no chain key).
  EXPECT_EQ(Suite::RunBinary(
                kBackupTool,
                {"verify", "--database=" + copy,
                 "--checkpoints=" + suite_->AuditFile("relations-service.checkpoints"),
                 "--checkpoint_public_key=" + suite_->AuditFile("checkpoint-public.pem")},
                &output),
            kExitDamaged)
      << output;
  EXPECT_THAT(output, HasSubstr("checkpoint is for a chain whose entry 1 has hash"));
}

TEST_F(AuditTamperE2eTest, ChainRewrittenWithAnotherKeyIsRefused) {
  const std::string copy = Copy("rewritten-other-key");
  std::shared_ptr<const audit::ChainKey> attacker =
      audit::ChainKey::FromSecret(audit::ChainKey::GenerateSecretHex());
  RewriteChain(
      copy, [](std::vector<Row>& rows) { rows[2].detail = "rewritten"; },
      [&attacker](const audit::EntryFields& fields) {
        return audit::KeyedEntryHash(fields, *attacker);
      });
  std::string output;
  EXPECT_EQ(Verify(copy, &output), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("entry 1: keyed with chain key id ", attacker->id(),
                                             ", which none of the given chain keys has")));
}

TEST_F(AuditTamperE2eTest, ForgedCheckpointIsRefusedNamingItsLine) {
  // A checkpoint moved back to match a truncated log: its signature breaks.
  const std::vector<std::string> lines =
      CheckpointLines(suite_->AuditFile("relations-service.checkpoints"));
  ASSERT_FALSE(lines.empty());
  const std::string last = lines.back();
  const size_t seq_at = last.find(" seq=");
  const size_t seq_end = last.find(' ', seq_at + 1);
  const std::string forged_line =
      absl::StrCat(last.substr(0, seq_at), " seq=1", last.substr(seq_end));
  const std::string forged = suite_->dir() + "/forged.checkpoints";
  std::ofstream(forged) << lines.front() << "\n" << forged_line << "\n";
  std::string output;
  EXPECT_EQ(Verify(relations_db_, &output, forged), kExitDamaged) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("checkpoint refused: ", forged,
                                             ":2: checkpoint signature does not verify")));
}

// A relations-service the test starts itself, with a command line of its
// own, on the suite's database.
std::unique_ptr<ServiceProcess> OwnRelationsService(const Suite& suite,
                                                    const std::vector<std::string>& extra_flags) {
  std::vector<std::string> args = {
      absl::StrCat(COUNCIL_BINARY_DIR, "/relations-service/relations-service"),
      "--listen=127.0.0.1:0",
      "--port_file=" + suite.dir() + "/own-relations.port",
      "--database=" + suite.DatabasePath("relations-service"),
      "--internal_key_file=" + suite.internal_key_file(),
      absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/southwark.textproto"),
  };
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  return std::make_unique<ServiceProcess>(std::move(args), suite.dir() + "/own-relations.port",
                                          suite.dir() + "/own-relations.log");
}

// The upgrade path: a database written without audit keys (every deployment
// before this release) is sealed by the first start with a chain key, and
// from then on a start without the key is refused.
TEST(AuditUpgradeE2eTest, UnkeyedDatabaseIsSealedByTheFirstStartWithAKey) {
  auto suite = Suite::Start("southwark");  // no audit keys
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  ASSERT_EQ(suite->Stop("relations-service"), 0);
  const std::string database = suite->DatabasePath("relations-service");
  const int64_t legacy = EntryCount(database);
  ASSERT_GT(legacy, 10);

  const std::string keys = suite->dir() + "/audit-keys";
  std::string output;
  ASSERT_EQ(Suite::RunBinary(kBackupTool, {"audit-keys", "--out_dir=" + keys}, &output), 0)
      << output;
  const std::string checkpoints = suite->dir() + "/relations.checkpoints";
  const std::vector<std::string> audit_flags = {
      "--audit_key_file=" + keys + "/chain.key",
      "--audit_checkpoint_key_file=" + keys + "/checkpoint-private.pem",
      "--audit_checkpoint_file=" + checkpoints};
  {
    auto keyed = OwnRelationsService(*suite, audit_flags);
    ASSERT_TRUE(keyed->WaitListening()) << keyed->log();
    EXPECT_EQ(keyed->Stop(), 0) << keyed->log();
    EXPECT_THAT(keyed->log(),
                HasSubstr(absl::StrCat("\"event\":\"audit_chain_key_entry\",\"seq\":\"",
                                       legacy + 1, "\"")));
  }
  EXPECT_EQ(EntryCount(database), legacy + 1);
  ASSERT_EQ(Suite::RunBinary(kBackupTool,
                             {"verify", "--database=" + database,
                              "--audit_key_file=" + keys + "/chain.key",
                              "--checkpoints=" + checkpoints,
                              "--checkpoint_public_key=" + keys + "/checkpoint-public.pem"},
                             &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("1 keyed entry, MACs verified"));
  EXPECT_THAT(output, HasSubstr(absl::StrCat(legacy, " plain SHA-256 entries before them")));

  // Without the key now: refused, at --check_config and at start.
  EXPECT_EQ(Suite::RunBinary("relations-service/relations-service",
                             {"--database=" + database,
                              "--internal_key_file=" + suite->internal_key_file(),
                              absl::StrCat("--profile=", COUNCIL_SOURCE_DIR,
                                           "/profiles/southwark.textproto"),
                              "--check_config"},
                             &output),
            1);
  EXPECT_THAT(output, HasSubstr("audit flags: --audit_key_file: the audit chain in"));
  auto unkeyed = OwnRelationsService(*suite, {});
  EXPECT_FALSE(unkeyed->WaitListening());
  EXPECT_EQ(unkeyed->exit_code(), 1);
  EXPECT_EQ(EntryCount(database), legacy + 1) << "nothing appended without the key";
}

}  // namespace
}  // namespace council::e2e
