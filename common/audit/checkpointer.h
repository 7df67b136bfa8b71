// -----------------------------------------------------------------------------
// File: common/audit/checkpointer.h
// -----------------------------------------------------------------------------
//
// Writes a service's signed audit checkpoints (checkpoint.h): one when it
// starts, one at a fixed interval whenever the chain's head has moved, and
// one when it stops. Each goes to two sinks outside the database: appended
// to the checkpoint file (O_APPEND, fsync) and logged as a structured line,
// event "audit_checkpoint", to stderr and so to the journal, where a copy
// survives even if the file is lost or cut.
//
// It reads the head through its own read-only connection, so it never takes
// the service's write lock and sees only committed entries.
//
//   audit::Checkpointer checkpointer({"relations-service", db_path, key,
//                                     "/var/log/council/relations/audit-checkpoints",
//                                     absl::Seconds(60)});
//   if (auto s = checkpointer.Start(); !s.ok()) return s;
//   ... serve ...
//   checkpointer.Stop();   // after the last write: the shutdown checkpoint
#ifndef COUNCIL_COMMON_AUDIT_CHECKPOINTER_H_
#define COUNCIL_COMMON_AUDIT_CHECKPOINTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit/checkpoint.h"
#include "common/storage/database.h"

namespace council {
namespace audit {

struct CheckpointerOptions {
  std::string service;        // the checkpoints' service name
  std::string database_path;  // the service's database (read-only here)
  std::shared_ptr<const CheckpointKey> key;  // a private key
  std::string file;           // the checkpoint file
  // Time between looks at the head; zero: only at start and stop.
  absl::Duration interval = absl::Seconds(60);
  // The clock (tests).
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class Checkpointer {
 public:
  explicit Checkpointer(CheckpointerOptions options);
  ~Checkpointer();  // Stop(), if not done
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Start
  //
  // Opens the database read-only, writes a checkpoint of the current head
  // (if the log is not empty) and starts the interval thread. Fails if the
  // database cannot be opened or that first checkpoint cannot be written
  // (so a misconfigured file is found at start, not an hour later).
  absl::Status Start();

  // Stop
  //
  // Ends the thread and writes the shutdown checkpoint. Call once nothing
  // appends any more (after the server and any batch writer have stopped).
  void Stop();

  // CheckpointNow
  //
  // Writes a checkpoint of the current head, even if it has not moved (the
  // interval thread skips unmoved heads). Not for use while the thread runs
  // a checkpoint itself; Start and Stop serialise with it.
  absl::Status CheckpointNow();

  // How many checkpoints were written (to the file) so far.
  int64_t written() const;

 private:
  // Writes a checkpoint if the head is not the last one written, or always
  // when `even_if_unmoved`.
  absl::Status Checkpoint(bool even_if_unmoved) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  void Run();

  const CheckpointerOptions options_;
  mutable absl::Mutex write_mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(write_mu_);
  int64_t last_seq_ ABSL_GUARDED_BY(write_mu_) = 0;
  std::string last_head_ ABSL_GUARDED_BY(write_mu_);
  int64_t written_ ABSL_GUARDED_BY(write_mu_) = 0;

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace audit
}  // namespace council

#endif  // COUNCIL_COMMON_AUDIT_CHECKPOINTER_H_
