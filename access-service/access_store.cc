#include "access-service/access_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/errors/field_error.h"
#include "common/server/log.h"
#include "common/storage/migrations.h"
#include "common/storage/record_table.h"

namespace council::access {
namespace {

// Writes queued while one commit is fsynced all go into the next; a cap keeps
// one commit (and the latency of its first caller) bounded.
constexpr size_t kMaxBatch = 512;
// WAL size past which the checkpoint thread makes the WAL start again: SQLite's
// own automatic checkpoint size (1,000 pages). A RESTART holds the writer back
// while it copies what PASSIVE left and syncs, so small and frequent is
// better for decision latency: at 1,000 decisions/s, p99 6.6-7.3 ms with
// 4 MiB, 8.4 ms with 16 MiB, 8-64 ms with 32 MiB (bench/access_bench).
constexpr int64_t kWalRestartBytes = 4 << 20;

absl::Status Put(storage::Database& db, absl::string_view table, absl::string_view key,
                 const google::protobuf::Message& record) {
  auto write = db.Prepare(
      absl::StrCat("INSERT OR REPLACE INTO ", table, " (key, record) VALUES (?, ?)"));
  if (!write.ok()) return write.status();
  if (auto s = (*write)->Bind(1, key); !s.ok()) return s;
  if (auto s = (*write)->BindBlob(2, storage::SerializeDeterministic(record)); !s.ok()) return s;
  return (*write)->Run();
}

// Migration 4: "Not for Publication" moved from a status value to its own
// mark (South Somerset 10 and 11: a document can be exempt and so marked).
// Documents are serialized protos, so the move is made in code: every stored
// document with the old status becomes OPEN with the mark, which is what the
// old status meant (it could hold nothing else).
absl::Status MoveNotForPublicationToItsMark(storage::Database& db) {
  std::vector<v1::Document> moved;
  {
    auto all = db.Prepare("SELECT key, record FROM documents");
    if (!all.ok()) return all.status();
    while (true) {
      auto row = (*all)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      v1::Document document;
      if (!document.ParseFromString((*all)->ColumnBlob(1)))
        return absl::DataLossError(absl::StrCat("unreadable document ", (*all)->ColumnText(0)));
      if (MoveNotForPublicationMark(&document)) moved.push_back(std::move(document));
    }
    (*all)->Reset();
  }
  for (const auto& document : moved)
    if (auto s = Put(db, "documents", IdOf(document.name()), document); !s.ok()) return s;
  if (!moved.empty())
    LogInfo("migration", {{"service", "access-service"},
                          {"change", "Not for Publication status moved to its mark"},
                          {"documents", absl::StrCat(moved.size())}});
  return absl::OkStatus();
}

std::vector<storage::Migration> Migrations() {
  return {
      {1, "documents and access requests",
       absl::StrCat(storage::RecordTable::CreateTableSql("documents"),
                    storage::RecordTable::CreateTableSql("access_requests"))},
      audit::AuditLogMigration(2),
      {3, "who saw what: requests by document, requester and decider",
       "CREATE TABLE access_request_index ("
       "  id TEXT PRIMARY KEY, document TEXT NOT NULL, requester TEXT NOT NULL,"
       "  outcome INTEGER NOT NULL, decider TEXT NOT NULL, dispute_open INTEGER NOT NULL"
       ") WITHOUT ROWID;"
       "CREATE INDEX access_request_by_document ON access_request_index(document, id);"
       "CREATE INDEX access_request_by_requester ON access_request_index(requester, id);"
       // Only disputes and referrals have a decider: a partial index keeps the
       // other decisions from writing to it.
       "CREATE INDEX access_request_by_decider ON access_request_index(decider, id) "
       "WHERE decider != '';"},
      {4, "Not for Publication is a mark beside the status, not a status", "",
       MoveNotForPublicationToItsMark},
  };
}


absl::Status IndexRequest(storage::Database& db, const v1::AccessRequest& request) {
  auto write = db.Prepare(
      "INSERT OR REPLACE INTO access_request_index "
      "(id, document, requester, outcome, decider, dispute_open) VALUES (?, ?, ?, ?, ?, ?)");
  if (!write.ok()) return write.status();
  auto& w = **write;
  if (auto s = w.Bind(1, IdOf(request.name())); !s.ok()) return s;
  if (auto s = w.Bind(2, request.document()); !s.ok()) return s;
  if (auto s = w.Bind(3, request.requester()); !s.ok()) return s;
  if (auto s = w.Bind(4, static_cast<int64_t>(request.outcome())); !s.ok()) return s;
  if (auto s = w.Bind(5, request.dispute().decider()); !s.ok()) return s;
  if (auto s = w.Bind(6, static_cast<int64_t>(request.dispute().state() ==
                                              v1::DISPUTE_STATE_OPEN));
      !s.ok())
    return s;
  return w.Run();
}

std::string Clauses(const v1::AccessDecision& decision) {
  std::vector<std::string> clauses;
  for (const auto& reason : decision.reasons()) clauses.push_back(reason.citation().clause());
  return absl::StrJoin(clauses, "; ");
}

}  // namespace

bool MoveNotForPublicationMark(v1::Document* document) {
  if (document->status() != v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION) return false;
  document->set_status(v1::DOCUMENT_STATUS_OPEN);
  document->set_not_for_publication(true);
  return true;
}

std::string IdOf(absl::string_view name) {
  auto slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

struct AccessStore::PendingWrite {
  WriteOp op;
  absl::Status result;
  // Called with `result` on the writer thread once the batch is durable. It
  // may delete this PendingWrite (WriteAsync's do).
  std::function<void(absl::Status)> done;
};

AccessStore::AccessStore(std::unique_ptr<storage::Database> writer,
                         std::unique_ptr<storage::Database> reader,
                         std::unique_ptr<storage::Database> checkpointer)
    : writer_(std::move(writer)),
      reader_(std::move(reader)),
      checkpointer_(std::move(checkpointer)) {
  writer_thread_ = std::thread([this] { WriterLoop(); });
  if (checkpointer_ != nullptr) checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
}

AccessStore::~AccessStore() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  writer_thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

void AccessStore::CheckpointLoop() {
  while (true) {
    {
      absl::MutexLock lock(&queue_mu_);
      if (queue_mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Milliseconds(100)))
        return;  // the last connection to close checkpoints what is left
    }
    // PASSIVE copies what no reader still needs and never blocks the writer.
    // Under sustained writes the WAL may never be wholly copied at the moment
    // a write begins (which is when SQLite starts it again from the top), so
    // once it holds more than kWalRestartBytes of frames one RESTART
    // checkpoint briefly holds the writer back and lets the WAL start again.
    // The frame count, not the file's size, decides: the file keeps the size
    // of its largest transaction (a bulk import) after it starts again, and
    // taking that size for unchecked growth made every checkpoint a RESTART,
    // holding decisions back ten times a second.
    absl::Status s = PassiveCheckpoint();
    if (!s.ok())
      LogWarning("wal checkpoint failed", {{"error", std::string(s.message())}});
  }
}

absl::Status AccessStore::PassiveCheckpoint() {
  auto passive = checkpointer_->Prepare("PRAGMA wal_checkpoint(PASSIVE)");
  if (!passive.ok()) return passive.status();
  auto row = (*passive)->Step();
  if (!row.ok()) return row.status();
  // One row: busy, frames in the WAL, frames copied into the database.
  const int64_t frames = *row ? (*passive)->ColumnInt64(1) : 0;
  (*passive)->Reset();
  auto page_size = checkpointer_->Prepare("PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();
  row = (*page_size)->Step();
  if (!row.ok()) return row.status();
  const int64_t bytes = frames * (*row ? (*page_size)->ColumnInt64(0) : 4096);
  (*page_size)->Reset();
  if (bytes <= kWalRestartBytes) return absl::OkStatus();
  return checkpointer_->Exec("PRAGMA wal_checkpoint(RESTART)");
}

absl::StatusOr<std::unique_ptr<AccessStore>> AccessStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = storage::ApplyMigrations(**db, "access-service", Migrations()); !s.ok()) return s;
  // Requests filed before the index existed (schema 1-2) are indexed once.
  {
    auto txn = storage::Transaction::Begin(**db);
    if (!txn.ok()) return txn.status();
    auto missing = (*db)->Prepare(
        "SELECT record FROM access_requests WHERE key NOT IN (SELECT id FROM "
        "access_request_index)");
    if (!missing.ok()) return missing.status();
    std::vector<v1::AccessRequest> unindexed;
    while (true) {
      auto row = (*missing)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      v1::AccessRequest request;
      if (request.ParseFromString((*missing)->ColumnBlob(0))) unindexed.push_back(request);
    }
    for (auto& request : unindexed) {
      if (request.outcome() == v1::OUTCOME_UNSPECIFIED)
        request.set_outcome(request.decision().outcome());
      if (auto s = IndexRequest(**db, request); !s.ok()) return s;
    }
    if (auto s = txn->Commit(); !s.ok()) return s;
  }
  std::unique_ptr<storage::Database> reader, checkpointer;
  if (path != ":memory:") {
    auto opened = storage::Database::OpenReadOnly(path);
    if (!opened.ok()) return opened.status();
    reader = std::move(*opened);
    auto second = storage::Database::Open(path);
    if (!second.ok()) return second.status();
    checkpointer = std::move(*second);
    // Commits only append to the WAL; the checkpoint thread moves it into the
    // database file. When the WAL starts again after a bulk import its file
    // is cut back to 64 MiB, so the disk does not keep the import's size.
    if (auto s = (*db)->Exec("PRAGMA wal_autocheckpoint=0"); !s.ok()) return s;
    for (storage::Database* connection : {db->get(), checkpointer.get()})
      if (auto s = connection->Exec("PRAGMA journal_size_limit=67108864"); !s.ok()) return s;
  }
  return std::unique_ptr<AccessStore>(
      new AccessStore(std::move(*db), std::move(reader), std::move(checkpointer)));
}

// --- Group commit ---------------------------------------------------------------

absl::Status AccessStore::Write(WriteOp op) {
  absl::Notification durable;
  absl::Status result;
  WriteAsync(std::move(op), [&](absl::Status status) {
    result = std::move(status);
    durable.Notify();
  });
  durable.WaitForNotification();
  return result;
}

void AccessStore::WriteAsync(WriteOp op, std::function<void(absl::Status)> done) {
  auto* write = new PendingWrite;
  write->op = std::move(op);
  // Whoever calls this closure moves it out of `write` first, so deleting
  // `write` here does not destroy the closure while it runs.
  write->done = [write, done = std::move(done)](absl::Status status) {
    delete write;
    done(std::move(status));
  };
  {
    absl::MutexLock lock(&queue_mu_);
    if (!stopping_) {
      queue_.push_back(write);
      return;
    }
  }
  auto refuse = std::move(write->done);
  refuse(WithReason(absl::UnavailableError("access-service is shutting down; retry when it is back"),
                    common::v1::ERROR_REASON_BACKEND_UNAVAILABLE,
                    {{"service", "council.access.v1.AccessService"}}));
}

void AccessStore::WriterLoop() {
  while (true) {
    std::vector<PendingWrite*> batch;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](AccessStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
            return s->stopping_ || !s->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
  }
}

void AccessStore::CommitBatch(std::vector<PendingWrite*>& batch) {
  absl::MutexLock lock(&writer_mu_);
  storage::Database& db = *writer_;
  auto finish_all = [&](const absl::Status& status) {
    for (PendingWrite* w : batch) {
      if (w->result.ok()) w->result = status;
      // Moved out first: `done` may delete `w` (and with it the function).
      auto done = std::move(w->done);
      done(std::move(w->result));
    }
  };
  auto txn = storage::Transaction::Begin(db);
  if (!txn.ok()) {
    finish_all(txn.status());
    return;
  }
  // Cached statements: each decision opens and releases a savepoint, and
  // parsing those two statements every time was measurable.
  auto run = [&db](const char* sql) -> absl::Status {
    auto statement = db.Prepare(sql);
    return statement.ok() ? (*statement)->Run() : statement.status();
  };
  for (PendingWrite* w : batch) {
    if (auto s = run("SAVEPOINT write_op"); !s.ok()) {
      w->result = s;
      continue;
    }
    w->result = w->op(db);
    absl::Status undo = run(w->result.ok() ? "RELEASE write_op" : "ROLLBACK TO write_op");
    if (undo.ok() && !w->result.ok()) undo = run("RELEASE write_op");
    if (!undo.ok()) {
      // The transaction is in an unknown state: give up on the whole batch.
      (void)txn->Rollback();
      LogError("group commit: savepoint failed", {{"error", std::string(undo.message())}});
      finish_all(undo);
      return;
    }
  }
  finish_all(txn->Commit());
}

template <typename Fn>
auto AccessStore::Read(Fn&& read) {
  absl::MutexLock lock(&reader_mu_);
  if (reader_ != nullptr) return read(*reader_);
  absl::MutexLock write_lock(&writer_mu_);
  return read(*writer_);
}

// --- Documents ---------------------------------------------------------------------

absl::Status AccessStore::CreateDocument(const v1::Document& document, absl::string_view actor) {
  const std::string actor_copy(actor);
  return Write([&](storage::Database& db) -> absl::Status {
    storage::RecordTable documents(&db, "documents");
    if (auto s = documents.Insert(IdOf(document.name()), document); !s.ok()) return s;
    auto entry = audit::AuditLog(&db).Append(actor_copy, "CreateDocument", document.name(),
                                              document.title(), absl::Now());
    return entry.status();
  });
}

absl::StatusOr<std::vector<v1::Document>> AccessStore::LoadDocuments() {
  return Read([](storage::Database& db) -> absl::StatusOr<std::vector<v1::Document>> {
    auto all = db.Prepare("SELECT key, record FROM documents ORDER BY key");
    if (!all.ok()) return all.status();
    std::vector<v1::Document> out;
    while (true) {
      auto row = (*all)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.emplace_back();
      if (!out.back().ParseFromString((*all)->ColumnBlob(1)))
        return absl::DataLossError(absl::StrCat("unreadable document ", (*all)->ColumnText(0)));
    }
    return out;
  });
}

absl::Status AccessStore::ImportDocuments(const std::vector<const v1::Document*>& changed,
                                          const ImportCounts& counts, absl::string_view actor) {
  if (changed.empty()) return absl::OkStatus();
  const std::string actor_copy(actor);
  return Write([&](storage::Database& db) -> absl::Status {
    for (const v1::Document* document : changed)
      if (auto s = Put(db, "documents", IdOf(document->name()), *document); !s.ok()) return s;
    auto entry = audit::AuditLog(&db).Append(
        actor_copy, "ImportDocuments", "documents",
        absl::StrCat("created ", counts.created, ", updated ", counts.updated, ", unchanged ",
                     counts.unchanged),
        absl::Now());
    return entry.status();
  });
}

// --- Requests ----------------------------------------------------------------------

namespace {

// The writes of one newly decided request: the record, its index row and the
// audit entry naming the outcome and clauses.
absl::Status SaveRequestInTransaction(storage::Database& db, const v1::AccessRequest& request,
                                      const std::string& actor) {
  storage::RecordTable requests(&db, "access_requests");
  if (auto s = requests.Insert(IdOf(request.name()), request); !s.ok()) return s;
  if (auto s = IndexRequest(db, request); !s.ok()) return s;
  auto entry = audit::AuditLog(&db).Append(
      actor, "DecideAccessRequest", request.name(),
      absl::StrCat(request.document(), " ", v1::Outcome_Name(request.decision().outcome()), " [",
                   Clauses(request.decision()), "]",
                   request.dispute().decider().empty()
                       ? ""
                       : absl::StrCat(" referred to ", request.dispute().decider())),
      absl::Now());
  return entry.status();
}

}  // namespace

absl::Status AccessStore::SaveAccessRequest(const v1::AccessRequest& request,
                                            absl::string_view actor) {
  const std::string actor_copy(actor);
  return Write([&](storage::Database& db) -> absl::Status {
    return SaveRequestInTransaction(db, request, actor_copy);
  });
}

void AccessStore::SaveAccessRequestAsync(v1::AccessRequest request, std::string actor,
                                         std::function<void(absl::Status)> done) {
  auto saved = std::make_shared<const v1::AccessRequest>(std::move(request));
  WriteAsync(
      [saved, actor = std::move(actor)](storage::Database& db) {
        return SaveRequestInTransaction(db, *saved, actor);
      },
      std::move(done));
}

absl::Status AccessStore::UpdateAccessRequest(const v1::AccessRequest& read,
                                              const v1::AccessRequest& request,
                                              absl::string_view actor, absl::string_view action,
                                              absl::string_view detail) {
  const std::string actor_copy(actor), action_copy(action), detail_copy(detail);
  return Write([&](storage::Database& db) -> absl::Status {
    storage::RecordTable requests(&db, "access_requests");
    v1::AccessRequest existing;
    auto found = requests.Get(IdOf(request.name()), &existing);
    if (!found.ok()) return found.status();
    if (!*found) return ResourceNotFoundError(request.name());
    if (storage::SerializeDeterministic(existing) != storage::SerializeDeterministic(read))
      return WithReason(
          absl::AbortedError(absl::StrCat(request.name(),
                                          " changed while this call was handling it; read it "
                                          "again and retry")),
          common::v1::ERROR_REASON_CONCURRENT_MODIFICATION, {{"resource", request.name()}});
    if (auto s = Put(db, "access_requests", IdOf(request.name()), request); !s.ok()) return s;
    if (auto s = IndexRequest(db, request); !s.ok()) return s;
    auto entry = audit::AuditLog(&db).Append(actor_copy, action_copy, request.name(),
                                              detail_copy, absl::Now());
    return entry.status();
  });
}

absl::StatusOr<bool> AccessStore::GetAccessRequest(absl::string_view id, v1::AccessRequest* out) {
  return Read([&](storage::Database& db) {
    storage::RecordTable requests(&db, "access_requests");
    return requests.Get(id, out);
  });
}

absl::StatusOr<std::vector<v1::AccessRequest>> AccessStore::ListAccessRequests(
    const RequestFilter& filter, absl::string_view after_id, int limit) {
  // One SQL text per combination of filters (at most 32, so the statement
  // cache stays bounded), letting SQLite pick the matching index.
  std::string sql =
      "SELECT r.key, r.record FROM access_request_index i JOIN access_requests r ON r.key = i.id "
      "WHERE i.id > ?1";
  if (!filter.document.empty()) sql += " AND i.document = ?2";
  if (!filter.requester.empty()) sql += " AND i.requester = ?3";
  if (filter.outcome != v1::OUTCOME_UNSPECIFIED) sql += " AND i.outcome = ?4";
  if (!filter.decider.empty()) sql += " AND i.decider = ?5";
  if (filter.open_disputes_only) sql += " AND i.dispute_open = 1";
  sql += " ORDER BY i.id LIMIT ?6";
  return Read([&](storage::Database& db) -> absl::StatusOr<std::vector<v1::AccessRequest>> {
    auto query = db.Prepare(sql);
    if (!query.ok()) return query.status();
    auto& q = **query;
    if (auto s = q.Bind(1, after_id); !s.ok()) return s;
    if (!filter.document.empty())
      if (auto s = q.Bind(2, filter.document); !s.ok()) return s;
    if (!filter.requester.empty())
      if (auto s = q.Bind(3, filter.requester); !s.ok()) return s;
    if (filter.outcome != v1::OUTCOME_UNSPECIFIED)
      if (auto s = q.Bind(4, static_cast<int64_t>(filter.outcome)); !s.ok()) return s;
    if (!filter.decider.empty())
      if (auto s = q.Bind(5, filter.decider); !s.ok()) return s;
    if (auto s = q.Bind(6, static_cast<int64_t>(limit)); !s.ok()) return s;
    std::vector<v1::AccessRequest> out;
    while (true) {
      auto row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.emplace_back();
      if (!out.back().ParseFromString(q.ColumnBlob(1)))
        return absl::DataLossError(absl::StrCat("unreadable access request ", q.ColumnText(0)));
    }
    return out;
  });
}

absl::Status AccessStore::AuditRead(absl::string_view actor, absl::string_view action,
                                    absl::string_view resource, absl::string_view detail) {
  const std::string a(actor), b(action), c(resource), d(detail);
  return Write([&](storage::Database& db) -> absl::Status {
    return audit::AuditLog(&db).Append(a, b, c, d, absl::Now()).status();
  });
}

audit::AuditVerification AccessStore::VerifyAudit() {
  return Read([](storage::Database& db) { return audit::VerifyAuditChain(db); });
}

}  // namespace council::access
