// Checks the promise behind synchronous=FULL + WAL: once Transaction::Commit()
// returns OK, the row survives the process being killed with SIGKILL at any
// moment (including in the middle of the next commit), and the file stays
// intact.
//
// A forked child opens the database and commits rows one per transaction,
// writing "acked <id>\n" to a pipe after each successful commit. The parent
// SIGKILLs it after a number of acks, drains the pipe (acks written before
// death count too), reopens the file, and requires every acknowledged row to
// be present with the right contents. Several rounds run against the same
// file so later children also start from a crash-recovered WAL.
//
// This cannot simulate power loss (that needs a VM or a fault-injecting
// filesystem); it covers the application-crash half of the guarantee.

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "gtest/gtest.h"

namespace council {
namespace storage {
namespace {

// Rows a child would commit if never killed. Far more than the parent lets
// it reach, so the kill always lands mid-stream even on fast storage where a
// commit takes microseconds; it also bounds the test if the kill misfires.
constexpr int64_t kRowsPerChild = 2000;
constexpr int kRounds = 3;
constexpr int kKillAfterAcks[kRounds] = {50, 37, 64};
constexpr int kPipeTimeoutMs = 5000;

// Large enough to span several pages per transaction, so a torn write would
// show up as wrong contents rather than only a missing row.
std::string PayloadFor(int64_t id) {
  std::string payload = absl::StrCat("row ", id, ":");
  while (payload.size() < 3000) {
    payload.push_back(static_cast<char>('a' + (id + payload.size()) % 26));
  }
  return payload;
}

void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

bool WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Child body. Never returns normally into gtest: the caller _exit()s with
// the result so no test-framework state is flushed twice.
int ChildMain(const std::string& path, int ack_fd) {
  const auto fail = [&](const absl::Status& status) {
    WriteAll(ack_fd, absl::StrCat("error ", status.ToString(), "\n"));
    return 2;
  };
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return fail(db.status());

  // Continue after whatever the previous (killed) child committed, which may
  // include a row it never got to acknowledge.
  int64_t next_id = 1;
  {
    absl::StatusOr<Statement*> max =
        (*db)->Prepare("SELECT coalesce(max(id), 0) FROM item");
    if (!max.ok()) return fail(max.status());
    absl::StatusOr<bool> row = (*max)->Step();
    if (!row.ok()) return fail(row.status());
    next_id = (*max)->ColumnInt64(0) + 1;
    (*max)->Reset();
  }

  for (int64_t i = 0; i < kRowsPerChild; ++i, ++next_id) {
    absl::StatusOr<Transaction> txn = Transaction::Begin(**db);
    if (!txn.ok()) return fail(txn.status());
    absl::StatusOr<Statement*> insert =
        (*db)->Prepare("INSERT INTO item(id, payload) VALUES (?, ?)");
    if (!insert.ok()) return fail(insert.status());
    if (absl::Status s = (*insert)->Bind(1, next_id); !s.ok()) return fail(s);
    if (absl::Status s = (*insert)->BindBlob(2, PayloadFor(next_id)); !s.ok()) {
      return fail(s);
    }
    if (absl::Status s = (*insert)->Run(); !s.ok()) return fail(s);
    if (absl::Status s = txn->Commit(); !s.ok()) return fail(s);
    // Only now is the row acknowledged, exactly as a service would reply.
    if (!WriteAll(ack_fd, absl::StrCat("acked ", next_id, "\n"))) return 3;
  }
  return 0;
}

struct RoundResult {
  int64_t max_acked = 0;
  int acks = 0;
};

// Reads acks until EOF, killing the child after `kill_after` of them.
void RunRound(const std::string& path, int kill_after, RoundResult* result) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  fflush(nullptr);  // Don't let the child inherit buffered gtest output.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    _exit(ChildMain(path, fds[1]));
  }
  close(fds[1]);

  bool killed = false;
  std::string buffer;
  std::string child_error;
  while (true) {
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = poll(&pfd, 1, kPipeTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ADD_FAILURE() << "child produced no output for " << kPipeTimeoutMs
                    << " ms";
      kill(pid, SIGKILL);
      break;
    }
    char chunk[4096];
    const ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is gone.
    buffer.append(chunk, static_cast<size_t>(n));

    size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      int64_t id = 0;
      if (absl::string_view(line).substr(0, 6) == "acked " &&
          absl::SimpleAtoi(absl::string_view(line).substr(6), &id)) {
        EXPECT_GT(id, result->max_acked) << "acks out of order";
        result->max_acked = id;
        ++result->acks;
      } else {
        child_error = line;
      }
      if (!killed && result->acks >= kill_after) {
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        killed = true;
      }
    }
  }
  close(fds[0]);

  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  EXPECT_EQ(child_error, "");
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "child was not killed mid-stream (exit status "
      << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1)
      << "); raise kRowsPerChild";
  EXPECT_GE(result->acks, kill_after);
}

TEST(Kill9DurabilityTest, AcknowledgedCommitsSurviveSigkill) {
  const std::string path = absl::StrCat(
      ::testing::TempDir(), "council_kill9_durability_test_", getpid(), ".db");
  RemoveDbFiles(path);
  {
    // Schema is created before forking: SQLite connections must not be
    // carried across fork(), so the parent holds none while children run.
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)
                    ->Exec("CREATE TABLE item(id INTEGER PRIMARY KEY, "
                           "payload BLOB NOT NULL)")
                    .ok());
  }

  int64_t max_acked = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    RoundResult result;
    RunRound(path, kKillAfterAcks[round], &result);
    if (HasFatalFailure()) break;
    ASSERT_GT(result.max_acked, max_acked);
    max_acked = result.max_acked;

    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status();

    absl::StatusOr<Statement*> check = (*db)->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    absl::StatusOr<bool> row = (*check)->Step();
    ASSERT_TRUE(row.ok() && *row) << row.status();
    EXPECT_EQ((*check)->ColumnText(0), "ok");
    (*check)->Reset();

    // Rows are committed in id order, so "every acked row is present" means
    // ids 1..n with n >= max_acked. n may exceed max_acked by one: a commit
    // that completed just before the kill, before its ack was written.
    absl::StatusOr<Statement*> rows =
        (*db)->Prepare("SELECT id, payload FROM item ORDER BY id");
    ASSERT_TRUE(rows.ok());
    int64_t expected_id = 1;
    int bad_payloads = 0;
    while (true) {
      row = (*rows)->Step();
      ASSERT_TRUE(row.ok()) << row.status();
      if (!*row) break;
      ASSERT_EQ((*rows)->ColumnInt64(0), expected_id) << "gap in committed ids";
      if ((*rows)->ColumnBlob(1) != PayloadFor(expected_id)) ++bad_payloads;
      ++expected_id;
    }
    const int64_t present = expected_id - 1;
    EXPECT_EQ(bad_payloads, 0);
    EXPECT_GE(present, max_acked) << "acknowledged rows lost";
    EXPECT_LE(present, max_acked + 1)
        << "more unacknowledged rows than possible";
  }
  RemoveDbFiles(path);
}

}  // namespace
}  // namespace storage
}  // namespace council
