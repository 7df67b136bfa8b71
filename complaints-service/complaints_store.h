// complaints_store.h — complaints-service's database.
//
// One SQLite file (WAL, fsync on commit: an acknowledged write survives
// kill -9 and power loss) holding:
//   * `complaints`: each complaint as a whole proto under its id;
//   * `complaint_steps`: one row per open deadline or follow-up check, with
//     its due day as a number and how far the sweeper has reported it, so a
//     sweep reads only what is due (a partial index), never every complaint;
//   * `complaint_events`: the append-only outbox and timeline, positions
//     gapless and increasing (triggers refuse UPDATE and DELETE);
//   * `complaint_participants`: who may read which complaint, for listings;
//   * `audit_log`: the hash-chained audit log, appended in the same
//     transaction as each change.
//
// Writes are group-committed: concurrent writers queue, and one of them
// commits the whole queue in a single transaction (each write in its own
// savepoint, so one refused write does not undo the others). Each write is
// acknowledged only after that transaction's fsync.
//
//   auto store = ComplaintsStore::Open("/var/lib/council/complaints.db");
//   (*store)->Create(complaint, events, "people/cllr-x", "filed ...");
//   (*store)->Update("c-1", "people/off-y", "AcknowledgeComplaint",
//                    [&](v1::Complaint* c) -> absl::StatusOr<Change> { ... });
#ifndef COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_
#define COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/record_table.h"
#include "council/complaints/v1/complaints_service.pb.h"

namespace council::complaints {

// What a write does besides the complaint itself.
struct Change {
  std::vector<v1::ComplaintEvent> events;
  std::string audit_action;  // e.g. "AcknowledgeComplaint"
  std::string audit_detail;
};

// A sweeper-visible step: an open deadline or follow-up check.
struct DueStep {
  std::string complaint_id;
  std::string step;   // "acknowledge", "holding-notice", "respond", "follow-up"
  std::string stage;
  absl::CivilDay due;
  int action = 0;     // kStepWarn, kStepEscalate, kStepFollowUp
  int notified = 0;   // 0 nothing reported, 1 due-today reported, 2 missed reported
  std::string recipients;  // comma-separated people
  std::string clause;
};

inline constexpr int kStepWarn = 1;
inline constexpr int kStepEscalate = 2;
inline constexpr int kStepFollowUp = 3;

// What the sweeper reports about one step.
struct StepNotice {
  DueStep step;
  int new_notified = 0;
  v1::ComplaintEvent event;
  bool audit = false;  // audited individually (blocked escalations); the rest by the sweep
};

class ComplaintsStore {
 public:
  // Open
  //
  // Opens (creating if needed) and migrates the database at `path`.
  static absl::StatusOr<std::unique_ptr<ComplaintsStore>> Open(const std::string& path);
  ~ComplaintsStore();

  // Create
  //
  // Stores a new complaint with its events; ALREADY_EXISTS if the name is
  // taken.
  absl::Status Create(const v1::Complaint& complaint, std::vector<v1::ComplaintEvent> events,
                      absl::string_view actor, absl::string_view audit_detail);

  using Mutator = std::function<absl::StatusOr<Change>(v1::Complaint*)>;

  // Update
  //
  // Reads complaint `id` inside the write transaction, applies `mutate` and,
  // if it succeeds, stores the result with its events and audit entry
  // (incrementing `revision`). If `expected_revision` is set and the stored
  // revision differs, returns ABORTED without calling `mutate` (something
  // else changed it: read again and retry). NOT_FOUND if there is no such
  // complaint. Returns the stored complaint.
  absl::StatusOr<v1::Complaint> Update(absl::string_view id, absl::string_view actor,
                                       std::optional<int64_t> expected_revision,
                                       const Mutator& mutate, absl::Time now);

  // Get
  //
  // Reads complaint `id`; false if there is none.
  absl::StatusOr<bool> Get(absl::string_view id, v1::Complaint* out);

  // List
  //
  // Up to `limit` complaints with id greater than `after_id`, in id order:
  // all of them when `participant` is empty, else only those `participant`
  // takes part in. `state` filters when not UNSPECIFIED.
  absl::StatusOr<std::vector<v1::Complaint>> List(absl::string_view participant,
                                                  absl::string_view after_id, int limit,
                                                  v1::ComplaintState state);

  // Events
  //
  // Up to `limit` events with position greater than `after`, oldest first,
  // optionally only complaint `complaint_id`'s.
  absl::StatusOr<std::vector<v1::ComplaintEvent>> Events(int64_t after, int limit,
                                                         absl::string_view complaint_id = {});

  // LastPosition
  //
  // The position of the newest committed event (0 if none).
  int64_t LastPosition();

  // WaitForEvents
  //
  // Blocks until an event after `position` is committed, `timeout` passes or
  // `Stop()` is called; returns true if there is a newer event.
  bool WaitForEvents(int64_t position, absl::Duration timeout);

  // SetCommitListener
  //
  // Calls `listener` with the newest event position after each commit, on
  // the committing thread and outside the store's locks (it must be quick);
  // nullptr removes it. Once this returns, the previous listener is not
  // running and will not be called again.
  void SetCommitListener(std::function<void(int64_t last_position)> listener);

  // Stop
  //
  // Wakes every waiter for good (shutdown).
  void Stop();
  bool stopped();

  // DueSteps
  //
  // Open steps due on or before `today` that the sweeper has not yet fully
  // reported (a partial index: cost follows what is due, not what is open).
  absl::StatusOr<std::vector<DueStep>> DueSteps(absl::CivilDay today);

  // RecordSweep
  //
  // In one transaction: marks each step's new report level (only if the step
  // is unchanged), appends the events, and audits the sweep as a whole (with
  // the outbox positions it wrote) plus any notice marked `audit`. Returns how
  // many notices applied.
  absl::StatusOr<int> RecordSweep(std::vector<StepNotice> notices, absl::string_view summary,
                                  absl::Time now);

  // OpenComplaintIds
  //
  // Up to `limit` ids of open complaints after `after_id`, in order.
  absl::StatusOr<std::vector<std::string>> OpenComplaintIds(absl::string_view after_id, int limit);

  // GetMeta / SetMeta
  //
  // Service settings kept in the database (the calendar fingerprint).
  // SetMeta audits the change.
  absl::StatusOr<std::string> GetMeta(absl::string_view key);
  absl::Status SetMeta(absl::string_view key, absl::string_view value, absl::string_view actor,
                       absl::Time now);

  // AuditRead
  //
  // Appends an audit entry for a read of a confidential record.
  absl::Status AuditRead(absl::string_view actor, absl::string_view action,
                         absl::string_view resource, absl::string_view detail, absl::Time now);

  // VerifyAudit
  //
  // Verifies the audit chain.
  audit::AuditVerification VerifyAudit();

  // AuditEntries
  //
  // Audit entries about `resource`, oldest first (for tests and tools).
  absl::StatusOr<std::vector<audit::AuditEntry>> AuditEntries(absl::string_view resource);

 private:
  struct PendingWrite;
  ComplaintsStore(std::unique_ptr<storage::Database> writer,
                  std::unique_ptr<storage::Database> reader);

  // Submit
  //
  // Runs `write` inside a group-committed transaction; returns its status
  // (or the commit's, if the commit fails).
  absl::Status Submit(std::function<absl::Status()> write);
  void RunBatch(const std::vector<PendingWrite*>& batch);

  // Helpers run inside a write transaction (under mu_).
  absl::Status WriteComplaint(const v1::Complaint& complaint, bool create)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AppendEvents(std::vector<v1::ComplaintEvent>* events)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SyncSteps(const v1::Complaint& complaint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SyncParticipants(const v1::Complaint& complaint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;  // the write connection
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable complaints_ ABSL_GUARDED_BY(mu_);
  audit::AuditLog audit_ ABSL_GUARDED_BY(mu_);

  absl::Mutex read_mu_;  // the read connection
  std::unique_ptr<storage::Database> reader_ ABSL_GUARDED_BY(read_mu_);

  absl::Mutex queue_mu_;
  absl::CondVar queue_cv_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool writing_ ABSL_GUARDED_BY(queue_mu_) = false;

  absl::Mutex events_mu_;
  absl::CondVar events_cv_;
  int64_t last_position_ ABSL_GUARDED_BY(events_mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(events_mu_) = false;

  absl::Mutex listener_mu_;  // held while the listener runs
  std::function<void(int64_t)> listener_ ABSL_GUARDED_BY(listener_mu_);
};

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_
