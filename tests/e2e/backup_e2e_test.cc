// End-to-end test of backup and restore (tools/council-backup): the suite
// runs, data is written through the gateway, relations-service's database is
// backed up with SQLite's online backup API while the service keeps running
// and taking writes, the backup is restored into a fresh directory, a fresh
// relations-service is started on it in place of the old one, and the data is
// read back through the gateway. The audit chain verifies after the restore
// and keeps growing from the restored tail.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using relations::v1::RelationsService;

constexpr char kAdmin[] = "people/it-admin";
constexpr char kBackupTool[] = "tools/council-backup/council-backup";

grpc::Status CreateOfficer(const Suite& suite, RelationsService::Stub& stub,
                           const std::string& id, const std::string& display_name) {
  relations::v1::CreatePersonRequest request;
  request.set_person_id(id);
  request.mutable_person()->set_display_name(display_name);
  request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
  auto* start = request.mutable_person()->mutable_start_date();
  start->set_year(2026);
  start->set_month(1);
  start->set_day(5);
  grpc::ClientContext context;
  suite.Authorize(&context, kAdmin);
  relations::v1::Person created;
  return stub.CreatePerson(&context, request, &created);
}

// Reads a person through the gateway, retrying while the backend behind it is
// (re)starting.
grpc::Status GetPerson(const Suite& suite, RelationsService::Stub& stub, const std::string& name,
                       relations::v1::Person* person) {
  grpc::Status status;
  for (int attempt = 0; attempt < 100; ++attempt) {
    grpc::ClientContext context;
    suite.Authorize(&context, kAdmin);
    relations::v1::GetPersonRequest get;
    get.set_name(name);
    status = stub.GetPerson(&context, get, person);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return status;
}

// A relations-service the test starts itself, on a database of its choosing.
std::unique_ptr<ServiceProcess> FreshRelationsService(const Suite& suite, const std::string& dir,
                                                      const std::string& database, int port) {
  return std::make_unique<ServiceProcess>(
      std::vector<std::string>{
          absl::StrCat(COUNCIL_BINARY_DIR, "/relations-service/relations-service"),
          absl::StrCat("--listen=127.0.0.1:", port),
          "--port_file=" + dir + "/relations-service.port",
          "--database=" + database,
          "--internal_key_file=" + suite.internal_key_file(),
          absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/southwark.textproto"),
      },
      dir + "/relations-service.port", dir + "/relations-service.log");
}

TEST(BackupE2ETest, OnlineBackupRestoresIntoAFreshRelationsServiceWithItsAuditChain) {
  auto suite = Suite::Start("southwark");
  auto stub = RelationsService::NewStub(suite->GatewayChannel());

  // 1. Data written through the gateway before the backup.
  constexpr int kBefore = 25;
  for (int i = 0; i < kBefore; ++i) {
    grpc::Status status = CreateOfficer(*suite, *stub, absl::StrCat("off-backup-", i),
                                        absl::StrCat("Backup Officer ", i));
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // 2. Online backup while relations-service runs and keeps taking writes.
  std::atomic<bool> writing{true};
  std::atomic<int> written_during{0};
  std::atomic<int> failed_during{0};
  std::thread writer([&] {
    auto writer_stub = RelationsService::NewStub(suite->GatewayChannel());
    for (int i = 0; writing.load() && i < 500; ++i) {
      if (CreateOfficer(*suite, *writer_stub, absl::StrCat("off-during-", i),
                        absl::StrCat("During Backup ", i))
              .ok()) {
        ++written_during;
      } else {
        ++failed_during;
      }
    }
  });
  while (written_during.load() < 3) absl::SleepFor(absl::Milliseconds(5));
  const std::string live_db = suite->DatabasePath("relations-service");
  const std::string backup = suite->dir() + "/relations-backup.db";
  std::string output;
  const int backup_rc =
      Suite::RunBinary(kBackupTool, {"backup", "--database=" + live_db, "--out=" + backup},
                       &output);
  writing = false;
  writer.join();
  ASSERT_EQ(backup_rc, 0) << output;
  EXPECT_THAT(output, HasSubstr("integrity_check: ok"));
  EXPECT_THAT(output, HasSubstr("audit chain:     ok"));
  EXPECT_THAT(output, HasSubstr("backup OK"));
  EXPECT_EQ(failed_during.load(), 0) << "the backup must not disturb the service's writes";
  EXPECT_FALSE(std::filesystem::exists(backup + "-wal")) << "a backup is one self-contained file";

  // A second backup never overwrites the first.
  EXPECT_EQ(Suite::RunBinary(kBackupTool, {"backup", "--database=" + live_db, "--out=" + backup},
                             &output),
            3)
      << output;
  EXPECT_THAT(output, HasSubstr("already exists"));

  // 3. Restoring over the database the running service has open is refused.
  EXPECT_EQ(Suite::RunBinary(kBackupTool, {"restore", "--from=" + backup, "--database=" + live_db},
                             &output),
            3)
      << output;
  EXPECT_THAT(output, HasSubstr("is in use by process"));
  EXPECT_THAT(output, HasSubstr("--force"));

  // 4. Restore into a fresh directory.
  char tmpl[] = "/tmp/council-restore-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string fresh_dir = tmpl;
  const std::string restored = fresh_dir + "/relations.db";
  ASSERT_EQ(Suite::RunBinary(kBackupTool, {"restore", "--from=" + backup, "--database=" + restored},
                             &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("restore OK"));
  int64_t restored_entries = 0;
  {
    auto db = storage::Database::OpenReadOnly(restored);
    ASSERT_TRUE(db.ok()) << db.status();
    audit::AuditVerification verification = audit::VerifyAuditChain(**db);
    ASSERT_TRUE(verification.ok) << verification.problem;
    restored_entries = verification.entries_checked;
    EXPECT_GE(restored_entries, kBefore);
  }

  // 5. A fresh relations-service on the restored file, in place of the old one
  //    (same port, so the gateway's channel finds it).
  const int port = suite->Port("relations-service");
  ASSERT_EQ(suite->Stop("relations-service"), 0);
  auto fresh = FreshRelationsService(*suite, fresh_dir, restored, port);
  ASSERT_TRUE(fresh->WaitListening()) << fresh->log();

  // The data written before the backup reads back through the gateway.
  for (int i : {0, kBefore / 2, kBefore - 1}) {
    relations::v1::Person person;
    grpc::Status status = GetPerson(*suite, *stub, absl::StrCat("people/off-backup-", i), &person);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << fresh->log();
    EXPECT_EQ(person.display_name(), absl::StrCat("Backup Officer ", i));
  }
  // The restored instance takes writes, chained on to the restored audit log.
  {
    grpc::Status status = CreateOfficer(*suite, *stub, "off-after-restore", "After Restore");
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(fresh->Stop(), 0) << fresh->log();

  auto db = storage::Database::OpenReadOnly(restored);
  ASSERT_TRUE(db.ok()) << db.status();
  audit::AuditVerification after = audit::VerifyAuditChain(**db);
  EXPECT_TRUE(after.ok) << after.problem;
  EXPECT_GT(after.entries_checked, restored_entries);
  db->reset();

  // And the tool's own verification agrees.
  EXPECT_EQ(Suite::RunBinary(kBackupTool, {"verify", "--database=" + restored}, &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("verify OK"));
  std::filesystem::remove_all(fresh_dir);
}

}  // namespace
}  // namespace council::e2e
