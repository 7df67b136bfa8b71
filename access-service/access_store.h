// access_store.h — access-service's database: document metadata and the
// record of requests, decisions and disputes.
//
// Every write appends to the hash-chained audit log in the same transaction,
// and so does every read of the record (AuditRead). Writes are group-committed:
// one writer thread takes every write queued while the previous commit was
// being fsynced and commits them together, each inside its own savepoint (so
// one failing write does not undo its neighbours). A caller returns only once
// its transaction is durable, so the promise "acknowledged means on disk" is
// kept while one fsync serves many decisions:
//
//   auto store = AccessStore::Open("/var/lib/council/access.db");
//   absl::Status saved = (*store)->SaveAccessRequest(request, "people/cllr-ada-okafor");
//
// Reads use a second, read-only connection (WAL lets it read while the writer
// commits); an in-memory database (":memory:", tests) shares the writer's. A
// third connection checkpoints the WAL into the database file every 100 ms in
// the background, so the writer thread never stops to do it.
#ifndef COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_
#define COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "council/access/v1/access_service.pb.h"

namespace council::access {

// MoveNotForPublicationMark
//
// Turns the deprecated status DOCUMENT_STATUS_NOT_FOR_PUBLICATION into what
// it meant: status OPEN with `not_for_publication` set. Returns whether it
// changed `document`. Applied to documents on the way in (CreateDocument,
// imports) and, once, to those already stored (migration 4).
bool MoveNotForPublicationMark(v1::Document* document);

struct ImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// Filters of ListAccessRequests; empty fields match everything.
struct RequestFilter {
  std::string document;
  std::string requester;
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  std::string decider;
  bool open_disputes_only = false;
};

class AccessStore {
 public:
  static absl::StatusOr<std::unique_ptr<AccessStore>> Open(const std::string& path);
  // Finishes every queued write, then stops the writer thread.
  ~AccessStore();

  // CreateDocument
  //
  // Adds a document; ALREADY_EXISTS if the name is taken.
  absl::Status CreateDocument(const v1::Document& document, absl::string_view actor);

  // LoadDocuments
  //
  // Every document, in name order (start-up, to fill the in-memory catalogue).
  absl::StatusOr<std::vector<v1::Document>> LoadDocuments();

  // ImportDocuments
  //
  // Writes the documents that are new or changed (`changed`, already counted
  // by the caller against the catalogue) in one transaction, audited once.
  absl::Status ImportDocuments(const std::vector<const v1::Document*>& changed,
                               const ImportCounts& counts, absl::string_view actor);

  // SaveAccessRequest
  //
  // Records a newly decided request and audits the decision
  // ("DecideAccessRequest", with the outcome and the clauses applied).
  absl::Status SaveAccessRequest(const v1::AccessRequest& request, absl::string_view actor);

  // SaveAccessRequestAsync
  //
  // As SaveAccessRequest, without blocking: `done` runs on the writer thread
  // once the request is durable (or failed). For callback handlers, which
  // finish the call from there instead of parking a server thread.
  void SaveAccessRequestAsync(v1::AccessRequest request, std::string actor,
                              std::function<void(absl::Status)> done);

  // UpdateAccessRequest
  //
  // Replaces a request (a dispute opened or decided), auditing `action` with
  // `detail`, provided the stored request still equals `read` (the version the
  // change was made from): ABORTED if another call changed it in between
  // (retry from the read), NOT_FOUND if it does not exist.
  absl::Status UpdateAccessRequest(const v1::AccessRequest& read,
                                   const v1::AccessRequest& request, absl::string_view actor,
                                   absl::string_view action, absl::string_view detail);

  // GetAccessRequest
  //
  // Reads a request by id; false if there is none.
  absl::StatusOr<bool> GetAccessRequest(absl::string_view id, v1::AccessRequest* out);

  // ListAccessRequests
  //
  // Up to `limit` requests matching `filter` with id > `after_id`, in id
  // (that is, filing) order.
  absl::StatusOr<std::vector<v1::AccessRequest>> ListAccessRequests(const RequestFilter& filter,
                                                                    absl::string_view after_id,
                                                                    int limit);

  // AuditRead
  //
  // Appends an audit entry for a read of the record (or an explanation).
  absl::Status AuditRead(absl::string_view actor, absl::string_view action,
                         absl::string_view resource, absl::string_view detail);

  audit::AuditVerification VerifyAudit();

 private:
  using WriteOp = std::function<absl::Status(storage::Database&)>;
  struct PendingWrite;

  AccessStore(std::unique_ptr<storage::Database> writer, std::unique_ptr<storage::Database> reader,
              std::unique_ptr<storage::Database> checkpointer);
  // Queues `op` for the next group commit and waits until it is durable (or
  // failed). `op` runs on the writer thread inside a savepoint.
  absl::Status Write(WriteOp op);
  // As Write, but returns at once; `done` runs on the writer thread with the
  // result once the batch holding `op` is durable (or failed).
  void WriteAsync(WriteOp op, std::function<void(absl::Status)> done);
  void WriterLoop();
  void CheckpointLoop();
  // One PASSIVE checkpoint, and a RESTART when the WAL holds too many frames.
  absl::Status PassiveCheckpoint();
  void CommitBatch(std::vector<PendingWrite*>& batch);
  // Runs `read` on the reader connection (or the writer's, in memory).
  template <typename Fn>
  auto Read(Fn&& read);

  absl::Mutex writer_mu_;
  std::unique_ptr<storage::Database> writer_ ABSL_GUARDED_BY(writer_mu_);
  absl::Mutex reader_mu_;
  std::unique_ptr<storage::Database> reader_ ABSL_GUARDED_BY(reader_mu_);

  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread writer_thread_;

  // Only the checkpoint thread uses it; null in memory.
  std::unique_ptr<storage::Database> checkpointer_;
  std::thread checkpoint_thread_;
};

// DocumentsFromRequests-style helpers for the index table.
std::string IdOf(absl::string_view name);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_
