#include "common/audit/checkpointer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/audit/audit_log.h"
#include "common/server/log.h"

namespace council {
namespace audit {
namespace {

// Opens `path` for appending, creating it (0640) if absent, and closes it.
absl::Status CheckWritable(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return absl::InternalError(absl::StrCat("cannot open checkpoint file ", path,
                                            " for appending: ", std::strerror(errno)));
  ::close(fd);
  return absl::OkStatus();
}

}  // namespace

Checkpointer::Checkpointer(CheckpointerOptions options) : options_(std::move(options)) {}

Checkpointer::~Checkpointer() {
  if (started_) Stop();
}

int64_t Checkpointer::written() const {
  absl::MutexLock lock(&write_mu_);
  return written_;
}

absl::Status Checkpointer::Start() {
  {
    absl::MutexLock lock(&write_mu_);
    auto db = storage::Database::OpenReadOnly(options_.database_path);
    if (!db.ok()) return db.status();
    db_ = std::move(*db);
    // Found now rather than at the first write, which for a new database
    // may be days away.
    if (absl::Status s = CheckWritable(options_.file); !s.ok()) return s;
    if (absl::Status s = Checkpoint(/*even_if_unmoved=*/true); !s.ok()) return s;
  }
  started_ = true;
  if (options_.interval > absl::ZeroDuration()) thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Checkpointer::Run() {
  while (true) {
    {
      absl::MutexLock lock(&stop_mu_);
      if (stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.interval)) return;
    }
    absl::MutexLock write_lock(&write_mu_);
    // Errors are logged inside; the next round tries again.
    (void)Checkpoint(/*even_if_unmoved=*/false);
  }
}

void Checkpointer::Stop() {
  if (!started_) return;
  started_ = false;
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&write_mu_);
  // Always, even if unmoved: the time of a clean stop is worth stating.
  (void)Checkpoint(/*even_if_unmoved=*/true);
  db_.reset();
}

absl::Status Checkpointer::CheckpointNow() {
  absl::MutexLock lock(&write_mu_);
  return Checkpoint(/*even_if_unmoved=*/true);
}

absl::Status Checkpointer::Checkpoint(bool even_if_unmoved) {
  if (db_ == nullptr) return absl::FailedPreconditionError("checkpointer not started");
  absl::StatusOr<ChainTail> tail = ReadChainTail(*db_);
  if (!tail.ok()) {
    LogError("audit_checkpoint_failed", {{"error", tail.status().ToString()}});
    return tail.status();
  }
  if (tail->seq == 0) return absl::OkStatus();  // nothing to state yet
  if (!even_if_unmoved && tail->seq == last_seq_ && tail->hash == last_head_)
    return absl::OkStatus();
  audit::Checkpoint checkpoint;
  checkpoint.service = options_.service;
  checkpoint.chain = tail->first_hash;
  checkpoint.seq = tail->seq;
  checkpoint.head = tail->hash;
  checkpoint.time = options_.now();
  absl::StatusOr<std::string> line = options_.key->Sign(checkpoint);
  if (!line.ok()) {
    LogError("audit_checkpoint_failed", {{"error", line.status().ToString()}});
    return line.status();
  }
  // The journal first: if the file cannot be written, this copy still is.
  LogInfo("audit_checkpoint", {{"seq", absl::StrCat(tail->seq)}, {"checkpoint", *line}});
  if (absl::Status s = AppendCheckpointLine(options_.file, *line); !s.ok()) {
    LogError("audit_checkpoint_failed",
             {{"file", options_.file},
              {"error", s.ToString()},
              {"effect", "this checkpoint is only in the journal (the line above)"}});
    return s;
  }
  last_seq_ = tail->seq;
  last_head_ = tail->hash;
  ++written_;
  return absl::OkStatus();
}

}  // namespace audit
}  // namespace council
