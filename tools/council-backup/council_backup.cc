// council-backup: online backup, verification and restore of a council
// service's SQLite database.
//
//   council-backup backup  --database=FILE --out=FILE [audit flags]
//   council-backup verify  --database=FILE [audit flags]
//   council-backup restore --from=BACKUP --database=FILE [--force] [audit flags]
//   council-backup audit-keys --out_dir=DIR
//
// `backup` copies a database while its service keeps running, with SQLite's
// online backup API (sqlite3_backup_init/step/finish) in one read snapshot:
// the service's writers are not blocked (WAL mode) and the copy is a
// transaction-consistent state. The copy is written beside --out as
// "<out>.partial", switched to a self-contained single file (no -wal),
// checked (PRAGMA integrity_check and the audit log's hash chain, with the
// audit flags: its MACs under the chain keys and the signed checkpoints; see
// audit_options.h), fsynced and only then renamed to --out, so a file named
// --out is always a verified backup.
//
// `restore` checks the backup the same way first, then refuses to touch a
// database that a running process has open unless --force is given. A
// database that is not in use is moved aside (never deleted) as
// "<database>.before-restore-<UTC time>" together with its -wal/-shm files.
//
// `audit-keys` makes a new set of audit keys (chain key, checkpoint key
// pair) for a development setup or a test; production keys are made with
// openssl as the runbook says.
//
// Exit codes: 0 success, 1 failure (message on stderr), 2 a damaged backup or
// database (verification failed), 3 refused (database in use, file exists),
// 64 usage.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/audit/chain_key.h"
#include "common/audit/checkpoint.h"
#include "common/build_info/build_info.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"
#include "tools/council-backup/audit_options.h"

namespace {

using council::backup::AuditCheck;
using council::backup::Flags;

constexpr int kExitFailure = 1;
constexpr int kExitDamaged = 2;
constexpr int kExitRefused = 3;
constexpr int kExitUsage = 64;

constexpr char kUsage[] = R"(council-backup — back up, verify and restore a council service's database.

Usage:
  council-backup backup  --database=FILE --out=FILE [audit flags]
      Online backup of a service's SQLite file while the service runs. The copy
      is verified (integrity check and audit chain) before it is given its
      final name; --out must not exist yet.

  council-backup verify  --database=FILE [audit flags]
      Checks a backup (or a stopped service's database): PRAGMA integrity_check
      and the audit log's chain. Prints the audit entry count and the last
      hash, and what the audit flags covered.

  council-backup restore --from=BACKUP --database=FILE [--force] [audit flags]
      Verifies BACKUP, then writes it to FILE. Refuses if a running process
      (the service) has FILE open: stop the service first. --force restores
      into the open database anyway (restart the service straight after). An
      existing FILE that is not in use is kept as FILE.before-restore-<time>.
      Run as root, the restored file is given the owner of FILE's directory.

  council-backup audit-keys --out_dir=DIR
      Makes a new audit chain key (chain.key) and checkpoint key pair
      (checkpoint-private.pem, checkpoint-public.pem) in DIR, for development
      and tests; prints their key ids. Never overwrites a file.

  council-backup --version
      Prints the suite's version and the source revision it was built from.

Audit flags (each may be repeated):
  --audit_key_file=FILE         check every keyed entry's MAC with this chain
                                key; give retired keys too. Also requires at
                                least one keyed entry.
  --checkpoints=FILE            signed checkpoints the chain must agree with:
                                the service's --audit_checkpoint_file, or its
                                journal (journalctl -o cat -u council-<s>)
  --checkpoint_public_key=FILE  the services' checkpoint public key(s)
  --service=NAME                only that service's checkpoints
  --checkpoints_until=TIME      only checkpoints signed before TIME
                                (2026-03-01T02:00:00Z or 20260301T020000Z;
                                for a backup taken at TIME)

Exit codes: 0 done, 1 failed, 2 verification failed (a damaged database, an
audit chain that does not verify, or a bad checkpoint), 3 refused, 64 usage.
)";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "council-backup: " << problem << "\n\n";
  std::cerr << kUsage;
  return kExitUsage;
}

int Fail(int code, const std::string& message) {
  std::cerr << "council-backup: " << message << "\n";
  return code;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return absl::InternalError(absl::StrCat("fsync ", path, ": ", std::strerror(saved)));
  return absl::OkStatus();
}

// A raw SQLite handle that closes itself.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

absl::StatusOr<SqliteHandle> OpenRaw(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle handle(raw);
  if (rc != SQLITE_OK)
    return council::storage::StatusFromSqlite(rc, raw, absl::StrCat("open ", path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 10000);
  return handle;
}

absl::Status ExecRaw(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return council::storage::StatusFromSqlite(rc, db, sql);
}

// Who holds a lock on `path` in the byte range [start, start+len): the pid of
// one such process, or 0 when nobody does (or the file does not exist).
pid_t LockHolder(const std::string& path, off_t start, off_t len) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct flock probe;
  std::memset(&probe, 0, sizeof(probe));
  probe.l_type = F_WRLCK;  // conflicts with any read or write lock
  probe.l_whence = SEEK_SET;
  probe.l_start = start;
  probe.l_len = len;
  pid_t holder = 0;
  if (::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) holder = probe.l_pid;
  ::close(fd);
  return holder;
}

// DatabaseUser returns the pid of a process that has `path` open through
// SQLite, or 0. A connection in WAL mode holds a shared lock on the "dead
// man's switch" byte of the -shm file for as long as it is open (SQLite's unix
// VFS: byte 128 = (22 + 8) * 4 + 8); connections in other journal modes hold
// locks in the database file's lock-byte range (0x40000000, 512 bytes) while
// they read or write. POSIX locks taken by this process itself are invisible
// to F_GETLK, so call this before opening `path` here.
pid_t DatabaseUser(const std::string& path) {
  if (pid_t pid = LockHolder(path + "-shm", 128, 1); pid != 0) return pid;
  return LockHolder(path, 0x40000000, 512);
}

struct Report {
  int64_t page_count = 0;
  int64_t page_size = 0;
  int schema_version = 0;
  int64_t audit_entries = 0;
  std::string audit_last_hash;
  council::audit::AuditVerification audit;
};

int64_t PragmaInt(council::storage::Database& db, const char* sql) {
  auto statement = db.PrepareOnce(sql);
  if (!statement.ok()) return -1;
  auto row = (*statement)->Step();
  if (!row.ok() || !*row) return -1;
  const int64_t value = (*statement)->ColumnInt64(0);
  (*statement)->Reset();
  return value;
}

// Verify opens `path` read-only and runs PRAGMA integrity_check and the audit
// chain check (with `check`'s keys and checkpoints). Returns DATA_LOSS
// describing the first problem found.
absl::StatusOr<Report> Verify(const std::string& path, const AuditCheck& check) {
  if (!Exists(path)) return absl::NotFoundError(absl::StrCat("no file at ", path));
  auto db = council::storage::Database::OpenReadOnly(path);
  if (!db.ok())
    return absl::Status(db.status().code(),
                        absl::StrCat("cannot open ", path, " as a SQLite database: ",
                                     db.status().message()));
  Report report;
  {
    auto check = (*db)->PrepareOnce("PRAGMA integrity_check");
    if (!check.ok())
      return absl::DataLossError(absl::StrCat(path, " is not a readable SQLite database: ",
                                              check.status().message()));
    std::vector<std::string> problems;
    while (true) {
      auto row = (*check)->Step();
      if (!row.ok())
        return absl::DataLossError(absl::StrCat("integrity_check of ", path, " failed: ",
                                                row.status().message()));
      if (!*row) break;
      const std::string line = (*check)->ColumnText(0);
      if (line != "ok" && problems.size() < 5) problems.push_back(line);
    }
    if (!problems.empty()) {
      std::string joined;
      for (const auto& p : problems) absl::StrAppend(&joined, "\n    ", p);
      return absl::DataLossError(
          absl::StrCat("integrity_check of ", path, " found problems:", joined));
    }
  }
  report.page_count = PragmaInt(**db, "PRAGMA page_count");
  report.page_size = PragmaInt(**db, "PRAGMA page_size");
  auto version = council::storage::SchemaVersion(**db);
  if (version.ok()) report.schema_version = *version;
  {
    auto has_audit = (*db)->PrepareOnce(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'");
    if (!has_audit.ok()) return has_audit.status();
    auto row = (*has_audit)->Step();
    if (!row.ok()) return row.status();
    const bool present = *row && (*has_audit)->ColumnInt64(0) > 0;
    (*has_audit)->Reset();
    if (!present)
      return absl::DataLossError(absl::StrCat(
          path, " has no audit_log table: not a council service database (or an empty one)"));
  }
  const council::audit::AuditVerification chain =
      council::audit::VerifyAuditChain(**db, check.options);
  if (!chain.ok) {
    const std::string hint = council::backup::AuditHint(check, chain);
    return absl::DataLossError(absl::StrCat("audit chain of ", path,
                                            " does not verify: ", chain.problem,
                                            hint.empty() ? "" : "\n", hint));
  }
  report.audit_entries = chain.entries_checked;
  report.audit_last_hash = chain.last_hash;
  report.audit = chain;
  return report;
}

void PrintReport(const std::string& path, const Report& report, const AuditCheck& check) {
  std::cout << "  file:            " << path << "\n"
            << "  size:            " << report.page_count * report.page_size << " bytes ("
            << report.page_count << " pages of " << report.page_size << ")\n"
            << "  schema version:  " << report.schema_version << "\n"
            << "  integrity_check: ok\n"
            << "  audit chain:     ok, " << report.audit_entries << " entries, last hash "
            << report.audit_last_hash << "\n";
  council::backup::PrintAuditReport(std::cout, check, report.audit);
}

// The audit flags' keys and checkpoints, or the exit code for why not.
int LoadCheck(const Flags& flags, AuditCheck* check) {
  auto loaded = council::backup::LoadAuditCheck(flags);
  if (loaded.ok()) {
    *check = *std::move(loaded);
    return 0;
  }
  switch (loaded.status().code()) {
    case absl::StatusCode::kInvalidArgument:
      if (!absl::StartsWith(loaded.status().message(), "--audit_key_file") &&
          !absl::StartsWith(loaded.status().message(), "--checkpoint_public_key"))
        return Usage(std::string(loaded.status().message()));
      return Fail(kExitFailure, std::string(loaded.status().message()));
    case absl::StatusCode::kDataLoss:
      return Fail(kExitDamaged, absl::StrCat("checkpoint refused: ", loaded.status().message()));
    default:
      return Fail(kExitFailure, std::string(loaded.status().message()));
  }
}

// The value of a flag given once (the last, if repeated), or nullptr.
const std::string* Get(const Flags& flags, const std::string& name) {
  auto it = flags.find(name);
  return it == flags.end() || it->second.empty() ? nullptr : &it->second.back();
}

// CopyDatabase copies the whole of `source` (an open handle) into a new file
// at `destination` with the online backup API, in one step: one read
// snapshot, so the copy is consistent even while the service writes (in WAL
// mode its writers are not blocked). Busy/locked results are retried for up
// to a minute. The copy is left in rollback-journal mode (DELETE): one
// self-contained file.
absl::Status CopyDatabase(sqlite3* source, const std::string& destination) {
  auto dest = OpenRaw(destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest.ok()) return dest.status();
  sqlite3_backup* backup = sqlite3_backup_init(dest->get(), "main", source, "main");
  if (backup == nullptr)
    return council::storage::StatusFromSqlite(sqlite3_errcode(dest->get()), dest->get(),
                                              "sqlite3_backup_init");
  const absl::Time deadline = absl::Now() + absl::Minutes(1);
  int rc;
  while (true) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_DONE) break;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(100));
      continue;
    }
    break;
  }
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE)
    return council::storage::StatusFromSqlite(rc, dest->get(), "sqlite3_backup_step");
  if (finish != SQLITE_OK)
    return council::storage::StatusFromSqlite(finish, dest->get(), "sqlite3_backup_finish");
  // The copied header says WAL if the source was in WAL mode; a backup is
  // better as one file.
  return ExecRaw(dest->get(), "PRAGMA journal_mode=DELETE");
}

void RemoveQuietly(const std::string& path) {
  std::remove(path.c_str());
  std::remove((path + "-journal").c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}

std::string UtcStamp() {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
}

// ---------------------------------------------------------------------------

int Backup(const Flags& flags) {
  const std::string* database = Get(flags, "database");
  const std::string* out = Get(flags, "out");
  if (database == nullptr || out == nullptr)
    return Usage("backup needs --database=FILE and --out=FILE");
  const std::string source_path = *database;
  const std::string out_path = *out;
  // Before the snapshot: every checkpoint read then describes a state the
  // snapshot contains.
  AuditCheck check;
  if (int code = LoadCheck(flags, &check); code != 0) return code;
  if (!Exists(source_path))
    return Fail(kExitFailure, absl::StrCat("no database at ", source_path,
                                           " (check the service's --database flag)"));
  if (Exists(out_path))
    return Fail(kExitRefused, absl::StrCat(out_path,
                                           " already exists; choose a new name (backups are "
                                           "never overwritten)"));
  const std::string partial = out_path + ".partial";
  RemoveQuietly(partial);

  // Read-only: the backup never writes the live database. Run as root, any
  // -shm file SQLite has to create gets the database file's owner.
  auto source = OpenRaw(source_path, SQLITE_OPEN_READONLY);
  if (!source.ok())
    return Fail(kExitFailure, absl::StrCat("cannot open ", source_path, ": ",
                                           source.status().message()));
  const absl::Time started = absl::Now();
  if (absl::Status s = CopyDatabase(source->get(), partial); !s.ok()) {
    RemoveQuietly(partial);
    return Fail(kExitFailure, absl::StrCat("backup of ", source_path, " failed: ", s.message()));
  }
  source->reset();
  auto report = Verify(partial, check);
  if (!report.ok()) {
    RemoveQuietly(partial);
    return Fail(report.status().code() == absl::StatusCode::kDataLoss ? kExitDamaged
                                                                      : kExitFailure,
                absl::StrCat("the copy did not verify, nothing written: ",
                             report.status().message()));
  }
  // Backups hold residents' personal data: owner and group only.
  ::chmod(partial.c_str(), 0640);
  if (absl::Status s = FsyncPath(partial, false); !s.ok()) {
    RemoveQuietly(partial);
    return Fail(kExitFailure, std::string(s.message()));
  }
  if (std::rename(partial.c_str(), out_path.c_str()) != 0) {
    const int saved = errno;
    RemoveQuietly(partial);
    return Fail(kExitFailure, absl::StrCat("cannot rename ", partial, " to ", out_path, ": ",
                                           std::strerror(saved)));
  }
  (void)FsyncPath(DirName(out_path), true);
  std::cout << "backup of " << source_path << " taken in "
            << absl::FormatDuration(absl::Trunc(absl::Now() - started, absl::Milliseconds(1)))
            << "\n";
  PrintReport(out_path, *report, check);
  std::cout << "backup OK: " << out_path << "\n";
  return 0;
}

int VerifyCommand(const Flags& flags) {
  const std::string* database = Get(flags, "database");
  if (database == nullptr) return Usage("verify needs --database=FILE");
  AuditCheck check;
  if (int code = LoadCheck(flags, &check); code != 0) return code;
  auto report = Verify(*database, check);
  if (!report.ok())
    return Fail(report.status().code() == absl::StatusCode::kDataLoss ? kExitDamaged
                                                                      : kExitFailure,
                std::string(report.status().message()));
  PrintReport(*database, *report, check);
  std::cout << "verify OK: " << *database << "\n";
  return 0;
}

// ChownLikeDirectory gives the restored file the owner of its directory when
// we run as root (the service's user, e.g. council), so the service can open
// it.
void ChownLikeDirectory(const std::string& file) {
  if (::geteuid() != 0) return;
  struct stat dir;
  if (::stat(DirName(file).c_str(), &dir) != 0) return;
  if (::chown(file.c_str(), dir.st_uid, dir.st_gid) != 0)
    std::cerr << "council-backup: warning: cannot give " << file << " the owner of its directory: "
              << std::strerror(errno) << "\n";
}

int Restore(const Flags& flags) {
  const std::string* from = Get(flags, "from");
  const std::string* database = Get(flags, "database");
  if (from == nullptr || database == nullptr)
    return Usage("restore needs --from=BACKUP and --database=FILE");
  const bool force = flags.count("force") > 0;
  const std::string backup_path = *from;
  const std::string target = *database;
  AuditCheck check;
  if (int code = LoadCheck(flags, &check); code != 0) return code;
  if (!Exists(DirName(target)))
    return Fail(kExitFailure, absl::StrCat("directory ", DirName(target),
                                           " does not exist; create it (owned by the service's "
                                           "user) first"));

  // 1. The backup must verify before anything is touched.
  auto report = Verify(backup_path, check);
  if (!report.ok())
    return Fail(report.status().code() == absl::StatusCode::kDataLoss ? kExitDamaged
                                                                      : kExitFailure,
                absl::StrCat("backup refused, nothing changed: ", report.status().message()));
  std::cout << "backup verified:\n";
  PrintReport(backup_path, *report, check);

  // 2. Is a service using the target?
  const pid_t user = DatabaseUser(target);
  if (user != 0 && !force)
    return Fail(kExitRefused,
                absl::StrCat("refusing to restore: ", target, " is in use by process ", user,
                             " (is the service still running? stop it first, e.g. `systemctl "
                             "stop council-<service>`, or pass --force to overwrite the live "
                             "database and restart the service straight after)"));

  auto source = OpenRaw(backup_path, SQLITE_OPEN_READONLY);
  if (!source.ok())
    return Fail(kExitFailure, absl::StrCat("cannot open ", backup_path, ": ",
                                           source.status().message()));

  if (user != 0) {
    // --force on a live database: copy through SQLite into the open file, so
    // the running process sees a consistent switch (its locks are honoured)
    // rather than a file replaced underneath it.
    std::cout << "--force: restoring into " << target << " while process " << user
              << " has it open\n";
    auto dest = OpenRaw(target, SQLITE_OPEN_READWRITE);
    if (!dest.ok())
      return Fail(kExitFailure, absl::StrCat("cannot open ", target, ": ", dest.status().message()));
    sqlite3_backup* backup = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
    if (backup == nullptr)
      return Fail(kExitFailure, absl::StrCat("sqlite3_backup_init: ", sqlite3_errmsg(dest->get())));
    int rc;
    const absl::Time deadline = absl::Now() + absl::Minutes(1);
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (absl::Now() >= deadline) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finish != SQLITE_OK)
      return Fail(kExitFailure, absl::StrCat("restore into the live database failed (",
                                             sqlite3_errstr(rc != SQLITE_DONE ? rc : finish),
                                             "); the database is unchanged"));
    dest->reset();
    source->reset();
  } else {
    // 3. Not in use: build the restored file beside the target, verify it,
    //    then move the old files aside and put it in place.
    const std::string partial = target + ".restore-partial";
    RemoveQuietly(partial);
    if (absl::Status s = CopyDatabase(source->get(), partial); !s.ok()) {
      RemoveQuietly(partial);
      return Fail(kExitFailure, absl::StrCat("restore failed, nothing changed: ", s.message()));
    }
    source->reset();
    if (auto again = Verify(partial, check); !again.ok()) {
      RemoveQuietly(partial);
      return Fail(kExitDamaged, absl::StrCat("restored copy did not verify, nothing changed: ",
                                             again.status().message()));
    }
    if (absl::Status s = FsyncPath(partial, false); !s.ok()) {
      RemoveQuietly(partial);
      return Fail(kExitFailure, std::string(s.message()));
    }
    ::chmod(partial.c_str(), 0640);
    ChownLikeDirectory(partial);
    if (Exists(target) || Exists(target + "-wal")) {
      // The -wal may hold committed transactions of the old file: it moves
      // with it (a stale -wal beside the new file would be replayed into it).
      const std::string aside = absl::StrCat(target, ".before-restore-", UtcStamp());
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string from_path = target + suffix;
        if (!Exists(from_path)) continue;
        if (std::rename(from_path.c_str(), (aside + suffix).c_str()) != 0)
          return Fail(kExitFailure, absl::StrCat("cannot move ", from_path, " aside: ",
                                                 std::strerror(errno), " (", partial,
                                                 " holds the restored copy)"));
      }
      std::cout << "previous database kept as " << aside << "\n";
    }
    if (std::rename(partial.c_str(), target.c_str()) != 0)
      return Fail(kExitFailure, absl::StrCat("cannot rename ", partial, " to ", target, ": ",
                                             std::strerror(errno)));
    (void)FsyncPath(DirName(target), true);
  }

  auto restored = Verify(target, check);
  if (!restored.ok())
    return Fail(kExitDamaged, absl::StrCat("restored database does not verify: ",
                                           restored.status().message()));
  std::cout << "restored:\n";
  PrintReport(target, *restored, check);
  std::cout << "restore OK: " << target
            << (user != 0 ? " (restart the service now)" : " (start the service now)") << "\n";
  return 0;
}

// Writes `content` to a new file `path` with `mode`; refuses an existing one.
absl::Status WriteNewFile(const std::string& path, const std::string& content, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return errno == EEXIST
               ? absl::AlreadyExistsError(absl::StrCat(path, " already exists; keys are never "
                                                       "overwritten (move it aside first)"))
               : absl::InternalError(absl::StrCat("cannot create ", path, ": ",
                                                  std::strerror(errno)));
  const ssize_t written = ::write(fd, content.data(), content.size());
  const bool synced = written == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

int AuditKeys(const Flags& flags) {
  const std::string* out_dir = Get(flags, "out_dir");
  if (out_dir == nullptr) return Usage("audit-keys needs --out_dir=DIR");
  if (!Exists(*out_dir) && ::mkdir(out_dir->c_str(), 0750) != 0)
    return Fail(kExitFailure, absl::StrCat("cannot create ", *out_dir, ": ", std::strerror(errno)));
  const std::string chain_path = *out_dir + "/chain.key";
  const std::string private_path = *out_dir + "/checkpoint-private.pem";
  const std::string public_path = *out_dir + "/checkpoint-public.pem";
  for (const std::string& path : {chain_path, private_path, public_path})
    if (Exists(path))
      return Fail(kExitRefused, absl::StrCat(path, " already exists; keys are never overwritten "
                                                   "(move it aside first)"));
  auto pair = council::audit::CheckpointKey::Generate();
  if (!pair.ok()) return Fail(kExitFailure, std::string(pair.status().message()));
  std::string chain_secret = council::audit::ChainKey::GenerateSecretHex() + "\n";
  const std::string chain_id = council::audit::ChainKey::FromSecret(
                                   absl::StripAsciiWhitespace(chain_secret))->id();
  auto checkpoint_key = council::audit::CheckpointKey::FromPublicKeyPem(pair->second, "new key");
  if (!checkpoint_key.ok())
    return Fail(kExitFailure, std::string(checkpoint_key.status().message()));
  for (const auto& [path, content, mode] :
       {std::tuple<std::string, const std::string*, mode_t>{chain_path, &chain_secret, 0640},
        {private_path, &pair->first, 0640},
        {public_path, &pair->second, 0644}}) {
    if (absl::Status s = WriteNewFile(path, *content, mode); !s.ok())
      return Fail(s.code() == absl::StatusCode::kAlreadyExists ? kExitRefused : kExitFailure,
                  std::string(s.message()));
  }
  OPENSSL_cleanse(chain_secret.data(), chain_secret.size());
  OPENSSL_cleanse(pair->first.data(), pair->first.size());
  std::cout << "chain key:              " << chain_path << " (key id " << chain_id << ")\n"
            << "checkpoint private key: " << private_path << " (key id "
            << (*checkpoint_key)->id() << ")\n"
            << "checkpoint public key:  " << public_path << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positionals;
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << council::VersionText("council-backup");
      return 0;
    }
    if (absl::StartsWith(arg, "--")) {
      const size_t eq = arg.find('=');
      const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      bool known = name == "database" || name == "out" || name == "from" || name == "force" ||
                   name == "out_dir";
      for (const char* const* audit = council::backup::kAuditFlagNames; *audit != nullptr; ++audit)
        known = known || name == *audit;
      if (!known) return Usage(absl::StrCat("unknown flag ", arg));
      if (name == "force") {
        flags[name].push_back("true");
        continue;
      }
      std::string value;
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else if (i + 1 < argc) {
        value = argv[++i];
      }
      if (value.empty()) return Usage(absl::StrCat(arg, " needs a value"));
      flags[name].push_back(value);
    } else {
      positionals.push_back(arg);
    }
  }
  if (positionals.size() != 1) return Usage(positionals.empty() ? "" : "one command at a time");
  const std::string& command = positionals[0];
  if (command == "backup") return Backup(flags);
  if (command == "verify") return VerifyCommand(flags);
  if (command == "restore") return Restore(flags);
  if (command == "audit-keys") return AuditKeys(flags);
  return Usage(absl::StrCat("unknown command ", command));
}
