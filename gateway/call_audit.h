// call_audit.h — the gateway's record of every call: who, which method,
// allowed or denied, the status and the latency.
//
// Entries go into the hash-chained audit table of the gateway's own SQLite
// file. Writing one transaction per call would put an fsync on every call's
// path, so a background thread appends them in batches (at most every 50 ms);
// on SIGTERM the queue is flushed before exit. A kill -9 can lose at most the
// last batch of call records — never a service's data, which each backend
// commits before answering.
#ifndef COUNCIL_GATEWAY_CALL_AUDIT_H_
#define COUNCIL_GATEWAY_CALL_AUDIT_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/database.h"

namespace council::gateway {

struct CallRecord {
  std::string caller;
  std::string method;
  bool allowed = false;
  int code = 0;
  int64_t micros = 0;
  absl::Time at;
};

class CallAudit {
 public:
  // Open
  //
  // Opens (creating and migrating) the gateway's database and starts the writer.
  static absl::StatusOr<std::unique_ptr<CallAudit>> Open(const std::string& path);
  ~CallAudit();  // flushes and stops the writer

  // Record
  //
  // Queues one call record; never blocks on disk.
  void Record(CallRecord record);

  // Flush
  //
  // Writes everything queued so far (for tests and shutdown).
  void Flush();

 private:
  explicit CallAudit(std::unique_ptr<storage::Database> db);
  void Run();
  void WriteBatch(std::vector<CallRecord> batch);

  absl::Mutex mu_;
  std::vector<CallRecord> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex write_mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(write_mu_);
  std::thread writer_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_CALL_AUDIT_H_
