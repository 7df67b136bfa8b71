#include "complaints-service/complaints_store.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/storage/migrations.h"
#include "complaints-service/deadlines.h"
#include "complaints-service/ladder.h"
#include "google/protobuf/util/time_util.h"

namespace council::complaints {
namespace {

constexpr int kMaxBatch = 512;

constexpr char kStepsSql[] = R"sql(
CREATE TABLE complaint_steps (
  due_day INTEGER NOT NULL,
  complaint_id TEXT NOT NULL,
  step TEXT NOT NULL,
  stage TEXT NOT NULL,
  action INTEGER NOT NULL,
  notified INTEGER NOT NULL DEFAULT 0,
  recipients TEXT NOT NULL DEFAULT '',
  clause TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (due_day, complaint_id, step)
) WITHOUT ROWID;
CREATE UNIQUE INDEX complaint_steps_by_complaint ON complaint_steps (complaint_id, step);
CREATE INDEX complaint_steps_pending ON complaint_steps (due_day) WHERE notified < 2;
CREATE TABLE complaint_events (
  position INTEGER PRIMARY KEY,
  complaint_id TEXT NOT NULL,
  event BLOB NOT NULL
);
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, position);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TABLE complaint_participants (
  person TEXT NOT NULL,
  complaint_id TEXT NOT NULL,
  PRIMARY KEY (person, complaint_id)
) WITHOUT ROWID;
CREATE TABLE complaint_state (
  complaint_id TEXT PRIMARY KEY,
  state INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX complaint_state_open ON complaint_state (complaint_id) WHERE state = 1;
CREATE TABLE service_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// The steps the sweeper watches for `complaint`.
std::vector<DueStep> StepsOf(const v1::Complaint& complaint) {
  std::vector<DueStep> steps;
  const std::string id = IdOf(complaint.name());
  if (complaint.state() == v1::COMPLAINT_STATE_OPEN) {
    const v1::StageRecord* stage = CurrentStage(complaint);
    if (stage != nullptr && !stage->has_left_date()) {
      const std::string recipients = absl::StrJoin(WarningRecipients(complaint), ",");
      for (const auto& d : stage->deadlines()) {
        if (d.has_met_date()) continue;
        DueStep step;
        step.complaint_id = id;
        step.step = d.step();
        step.stage = stage->stage();
        step.due = Day(d.due_date());
        step.action = stage->on_missed_limit() == profile::v1::MISSED_LIMIT_ACTION_ESCALATE
                          ? kStepEscalate
                          : kStepWarn;
        step.recipients = recipients;
        step.clause = d.clause().clause();
        steps.push_back(std::move(step));
      }
    }
  }
  if (complaint.has_follow_up() && !complaint.follow_up().has_completed_date()) {
    DueStep step;
    step.complaint_id = id;
    step.step = "follow-up";
    step.stage = complaint.outcome().stage();
    step.due = Day(complaint.follow_up().due_date());
    step.action = kStepFollowUp;
    step.recipients = complaint.follow_up().assigned_to();
    step.clause = complaint.follow_up().clause().clause();
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

struct ComplaintsStore::PendingWrite {
  std::function<absl::Status()> write;
  absl::Status status;
  bool done = false;
};

absl::StatusOr<std::unique_ptr<ComplaintsStore>> ComplaintsStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  // A sweep touches thousands of rows across a large file: keep its pages in
  // memory (64 MiB per connection) rather than re-reading them.
  if (auto s = (*db)->Exec("PRAGMA cache_size = -65536"); !s.ok()) return s;
  std::vector<storage::Migration> migrations = {
      {1, "complaints", storage::RecordTable::CreateTableSql("complaints")},
      audit::AuditLogMigration(2),
      {3, "steps, outbox, participants, state, meta", kStepsSql},
  };
  if (auto s = storage::ApplyMigrations(**db, "complaints-service", migrations); !s.ok()) return s;
  std::unique_ptr<storage::Database> reader;
  if (path != ":memory:") {
    auto opened = storage::Database::OpenReadOnly(path);
    if (!opened.ok()) return opened.status();
    if (auto s = (*opened)->Exec("PRAGMA cache_size = -65536"); !s.ok()) return s;
    reader = std::move(*opened);
  }
  std::unique_ptr<ComplaintsStore> store(new ComplaintsStore(std::move(*db), std::move(reader)));
  {
    absl::MutexLock lock(&store->mu_);
    auto last = store->db_->Prepare("SELECT COALESCE(MAX(position), 0) FROM complaint_events");
    if (!last.ok()) return last.status();
    auto row = (*last)->Step();
    if (!row.ok()) return row.status();
    const int64_t position = (*last)->ColumnInt64(0);
    (*last)->Reset();
    absl::MutexLock events(&store->events_mu_);
    store->last_position_ = position;
  }
  return store;
}

ComplaintsStore::ComplaintsStore(std::unique_ptr<storage::Database> writer,
                                 std::unique_ptr<storage::Database> reader)
    : db_(std::move(writer)),
      complaints_(db_.get(), "complaints"),
      audit_(db_.get()),
      reader_(std::move(reader)) {}

ComplaintsStore::~ComplaintsStore() { Stop(); }

// --- group commit ---------------------------------------------------------

absl::Status ComplaintsStore::Submit(std::function<absl::Status()> write) {
  PendingWrite pending;
  pending.write = std::move(write);
  absl::MutexLock lock(&queue_mu_);
  queue_.push_back(&pending);
  while (!pending.done) {
    if (writing_) {
      queue_cv_.Wait(&queue_mu_);
      continue;
    }
    writing_ = true;
    std::vector<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < static_cast<size_t>(kMaxBatch)) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    queue_mu_.Unlock();
    RunBatch(batch);
    queue_mu_.Lock();
    for (PendingWrite* p : batch) p->done = true;
    writing_ = false;
    queue_cv_.SignalAll();
  }
  return pending.status;
}

void ComplaintsStore::RunBatch(const std::vector<PendingWrite*>& batch) {
  int64_t last = 0;
  {
    absl::MutexLock lock(&mu_);
    auto txn = storage::Transaction::Begin(*db_);
    if (!txn.ok()) {
      for (PendingWrite* p : batch) p->status = txn.status();
      return;
    }
    bool any_ok = false;
    for (PendingWrite* p : batch) {
      if (auto s = db_->Exec("SAVEPOINT write_item"); !s.ok()) {
        p->status = s;
        continue;
      }
      p->status = p->write();
      if (!p->status.ok()) (void)db_->Exec("ROLLBACK TO write_item");
      (void)db_->Exec("RELEASE write_item");
      any_ok = any_ok || p->status.ok();
    }
    if (!any_ok) {
      (void)txn->Rollback();
      return;
    }
    if (auto s = txn->Commit(); !s.ok()) {
      for (PendingWrite* p : batch)
        if (p->status.ok()) p->status = s;
      return;
    }
    auto max = db_->Prepare("SELECT COALESCE(MAX(position), 0) FROM complaint_events");
    if (max.ok()) {
      auto row = (*max)->Step();
      if (row.ok() && *row) last = (*max)->ColumnInt64(0);
      (*max)->Reset();
    }
  }
  {
    absl::MutexLock lock(&events_mu_);
    if (last > last_position_) last_position_ = last;
    events_cv_.SignalAll();
  }
  absl::ReaderMutexLock lock(&listener_mu_);
  if (listener_ && last > 0) listener_(last);
}

void ComplaintsStore::SetCommitListener(std::function<void(int64_t)> listener) {
  absl::MutexLock lock(&listener_mu_);
  listener_ = std::move(listener);
}

// --- write helpers (inside the transaction) --------------------------------

absl::Status ComplaintsStore::WriteComplaint(const v1::Complaint& complaint, bool create) {
  const std::string id = IdOf(complaint.name());
  if (create) {
    if (auto s = complaints_.Insert(id, complaint); !s.ok()) return s;
  } else {
    auto update = db_->Prepare("UPDATE complaints SET record = ? WHERE key = ?");
    if (!update.ok()) return update.status();
    if (auto s = (*update)->BindBlob(1, storage::SerializeDeterministic(complaint)); !s.ok())
      return s;
    if (auto s = (*update)->Bind(2, id); !s.ok()) return s;
    if (auto s = (*update)->Run(); !s.ok()) return s;
  }
  auto state = db_->Prepare(
      "INSERT INTO complaint_state (complaint_id, state) VALUES (?, ?) "
      "ON CONFLICT (complaint_id) DO UPDATE SET state = excluded.state");
  if (!state.ok()) return state.status();
  if (auto s = (*state)->Bind(1, id); !s.ok()) return s;
  if (auto s = (*state)->Bind(2, static_cast<int64_t>(complaint.state())); !s.ok()) return s;
  if (auto s = (*state)->Run(); !s.ok()) return s;
  if (auto s = SyncSteps(complaint); !s.ok()) return s;
  return SyncParticipants(complaint);
}

absl::Status ComplaintsStore::AppendEvents(std::vector<v1::ComplaintEvent>* events) {
  auto insert =
      db_->Prepare("INSERT INTO complaint_events (complaint_id, event) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  for (auto& event : *events) {
    event.clear_position();
    if (auto s = (*insert)->Bind(1, IdOf(event.complaint())); !s.ok()) return s;
    if (auto s = (*insert)->BindBlob(2, event.SerializeAsString()); !s.ok()) return s;
    if (auto s = (*insert)->Run(); !s.ok()) return s;
    event.set_position(db_->LastInsertRowId());
  }
  return absl::OkStatus();
}

absl::Status ComplaintsStore::SyncSteps(const v1::Complaint& complaint) {
  const std::string id = IdOf(complaint.name());
  const std::vector<DueStep> steps = StepsOf(complaint);
  absl::flat_hash_set<std::string> keep;
  for (const auto& step : steps) keep.insert(step.step);
  auto existing = db_->Prepare("SELECT step FROM complaint_steps WHERE complaint_id = ?");
  if (!existing.ok()) return existing.status();
  if (auto s = (*existing)->Bind(1, id); !s.ok()) return s;
  std::vector<std::string> stale;
  while (true) {
    auto row = (*existing)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string step = (*existing)->ColumnText(0);
    if (!keep.contains(step)) stale.push_back(std::move(step));
  }
  auto remove = db_->Prepare("DELETE FROM complaint_steps WHERE complaint_id = ? AND step = ?");
  if (!remove.ok()) return remove.status();
  for (const auto& step : stale) {
    if (auto s = (*remove)->Bind(1, id); !s.ok()) return s;
    if (auto s = (*remove)->Bind(2, step); !s.ok()) return s;
    if (auto s = (*remove)->Run(); !s.ok()) return s;
  }
  // A step whose stage and due day are unchanged keeps what the sweeper has
  // already reported; anything moved is reported afresh.
  auto upsert = db_->Prepare(
      "INSERT INTO complaint_steps (complaint_id, step, stage, due_day, action, notified, "
      "recipients, clause) VALUES (?, ?, ?, ?, ?, 0, ?, ?) "
      "ON CONFLICT (complaint_id, step) DO UPDATE SET "
      "notified = CASE WHEN due_day = excluded.due_day AND stage = excluded.stage "
      "THEN notified ELSE 0 END, "
      "stage = excluded.stage, due_day = excluded.due_day, action = excluded.action, "
      "recipients = excluded.recipients, clause = excluded.clause");
  if (!upsert.ok()) return upsert.status();
  for (const auto& step : steps) {
    if (auto s = (*upsert)->Bind(1, id); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(2, step.step); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(3, step.stage); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(4, DayNumber(step.due)); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(5, static_cast<int64_t>(step.action)); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(6, step.recipients); !s.ok()) return s;
    if (auto s = (*upsert)->Bind(7, step.clause); !s.ok()) return s;
    if (auto s = (*upsert)->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ComplaintsStore::SyncParticipants(const v1::Complaint& complaint) {
  const std::string id = IdOf(complaint.name());
  auto insert = db_->Prepare(
      "INSERT OR IGNORE INTO complaint_participants (person, complaint_id) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  std::vector<std::string> people = {complaint.complainant(), complaint.subject()};
  for (const auto& p : complaint.participants()) people.push_back(p.person());
  for (const auto& person : people) {
    if (person.empty()) continue;
    if (auto s = (*insert)->Bind(1, person); !s.ok()) return s;
    if (auto s = (*insert)->Bind(2, id); !s.ok()) return s;
    if (auto s = (*insert)->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// --- writes ------------------------------------------------------------------

absl::Status ComplaintsStore::Create(const v1::Complaint& complaint,
                                     std::vector<v1::ComplaintEvent> events,
                                     absl::string_view actor, absl::string_view audit_detail) {
  return Submit([&]() -> absl::Status {
    mu_.AssertHeld();
    if (auto s = WriteComplaint(complaint, /*create=*/true); !s.ok()) return s;
    if (auto s = AppendEvents(&events); !s.ok()) return s;
    auto entry = audit_.Append(actor, "CreateComplaint", complaint.name(), audit_detail,
                               absl::Now());
    return entry.status();
  });
}

absl::StatusOr<v1::Complaint> ComplaintsStore::Update(absl::string_view id,
                                                      absl::string_view actor,
                                                      std::optional<int64_t> expected_revision,
                                                      const Mutator& mutate, absl::Time now) {
  v1::Complaint stored;
  absl::Status status = Submit([&]() -> absl::Status {
    mu_.AssertHeld();
    auto found = complaints_.Get(id, &stored);
    if (!found.ok()) return found.status();
    if (!*found) return absl::NotFoundError(absl::StrCat("complaints/", id));
    if (expected_revision.has_value() && stored.revision() != *expected_revision)
      return absl::AbortedError(absl::StrCat(
          "complaints/", id, " changed while the request was being prepared; try again"));
    v1::Complaint changed = stored;
    auto change = mutate(&changed);
    if (!change.ok()) return change.status();
    changed.set_revision(stored.revision() + 1);
    *changed.mutable_update_time() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
    if (auto s = WriteComplaint(changed, /*create=*/false); !s.ok()) return s;
    if (auto s = AppendEvents(&change->events); !s.ok()) return s;
    auto entry = audit_.Append(actor, change->audit_action, changed.name(), change->audit_detail,
                               now);
    if (!entry.ok()) return entry.status();
    stored = std::move(changed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<int> ComplaintsStore::RecordSweep(std::vector<StepNotice> notices,
                                                 absl::string_view summary, absl::Time now) {
  int applied = 0;
  absl::Status status = Submit([&]() -> absl::Status {
    mu_.AssertHeld();
    applied = 0;
    auto mark = db_->Prepare(
        "UPDATE complaint_steps SET notified = ? WHERE complaint_id = ? AND step = ? "
        "AND due_day = ? AND notified < ?");
    if (!mark.ok()) return mark.status();
    int64_t first = 0, last = 0;
    for (auto& notice : notices) {
      if (auto s = (*mark)->Bind(1, static_cast<int64_t>(notice.new_notified)); !s.ok()) return s;
      if (auto s = (*mark)->Bind(2, notice.step.complaint_id); !s.ok()) return s;
      if (auto s = (*mark)->Bind(3, notice.step.step); !s.ok()) return s;
      if (auto s = (*mark)->Bind(4, DayNumber(notice.step.due)); !s.ok()) return s;
      if (auto s = (*mark)->Bind(5, static_cast<int64_t>(notice.new_notified)); !s.ok()) return s;
      if (auto s = (*mark)->Run(); !s.ok()) return s;
      if (db_->Changes() == 0) continue;  // changed since it was read: the next sweep sees it
      ++applied;
      std::vector<v1::ComplaintEvent> one = {notice.event};
      if (auto s = AppendEvents(&one); !s.ok()) return s;
      if (first == 0) first = one.front().position();
      last = one.front().position();
      if (notice.audit) {
        auto entry = audit_.Append(kSweeper,
                                   v1::ComplaintEventType_Name(notice.event.type()),
                                   notice.event.complaint(), notice.event.detail(), now);
        if (!entry.ok()) return entry.status();
      }
    }
    // The sweep's reports are in the append-only outbox; the audit chain
    // records the sweep and the positions it wrote, tying them to the chain.
    auto entry = audit_.Append(
        kSweeper, "Sweep", "complaints",
        absl::StrCat(summary, "; ", applied, " events",
                     applied > 0 ? absl::StrCat(" at outbox positions ", first, "-", last)
                                 : std::string()),
        now);
    return entry.status();
  });
  if (!status.ok()) return status;
  return applied;
}

absl::Status ComplaintsStore::SetMeta(absl::string_view key, absl::string_view value,
                                      absl::string_view actor, absl::Time now) {
  return Submit([&]() -> absl::Status {
    mu_.AssertHeld();
    auto write = db_->Prepare(
        "INSERT INTO service_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!write.ok()) return write.status();
    if (auto s = (*write)->Bind(1, key); !s.ok()) return s;
    if (auto s = (*write)->Bind(2, value); !s.ok()) return s;
    if (auto s = (*write)->Run(); !s.ok()) return s;
    auto entry = audit_.Append(actor, "SetServiceSetting", absl::StrCat("settings/", key), value,
                               now);
    return entry.status();
  });
}

absl::Status ComplaintsStore::AuditRead(absl::string_view actor, absl::string_view action,
                                        absl::string_view resource, absl::string_view detail,
                                        absl::Time now) {
  return Submit([&]() -> absl::Status {
    mu_.AssertHeld();
    return audit_.Append(actor, action, resource, detail, now).status();
  });
}

// --- reads -------------------------------------------------------------------

// Runs `read` against the reader connection (or the writer, for :memory:).
#define COUNCIL_WITH_READER(db)                                  \
  absl::MutexLock read_lock(&read_mu_);                          \
  std::optional<absl::MutexLock> write_lock;                     \
  if (reader_ == nullptr) write_lock.emplace(&mu_);              \
  storage::Database* db = reader_ != nullptr ? reader_.get() : db_.get()

absl::StatusOr<bool> ComplaintsStore::Get(absl::string_view id, v1::Complaint* out) {
  COUNCIL_WITH_READER(db);
  storage::RecordTable table(db, "complaints");
  return table.Get(id, out);
}

absl::StatusOr<std::vector<v1::Complaint>> ComplaintsStore::List(absl::string_view participant,
                                                                 absl::string_view after_id,
                                                                 int limit,
                                                                 v1::ComplaintState state) {
  COUNCIL_WITH_READER(db);
  std::vector<v1::Complaint> out;
  absl::StatusOr<storage::Statement*> query =
      participant.empty()
          ? db->Prepare(
                "SELECT c.record FROM complaint_state s JOIN complaints c ON c.key = "
                "s.complaint_id WHERE s.complaint_id > ? AND (? = 0 OR s.state = ?) "
                "ORDER BY s.complaint_id LIMIT ?")
          : db->Prepare(
                "SELECT c.record FROM complaint_participants p JOIN complaint_state s ON "
                "s.complaint_id = p.complaint_id JOIN complaints c ON c.key = p.complaint_id "
                "WHERE p.person = ? AND p.complaint_id > ? AND (? = 0 OR s.state = ?) "
                "ORDER BY p.complaint_id LIMIT ?");
  if (!query.ok()) return query.status();
  int i = 1;
  if (!participant.empty())
    if (auto s = (*query)->Bind(i++, participant); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, after_id); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, static_cast<int64_t>(state)); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, static_cast<int64_t>(state)); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, static_cast<int64_t>(limit)); !s.ok()) return s;
  while (true) {
    auto row = (*query)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::Complaint complaint;
    if (!complaint.ParseFromString((*query)->ColumnBlob(0)))
      return absl::DataLossError("unreadable complaint record");
    out.push_back(std::move(complaint));
  }
  return out;
}

absl::StatusOr<std::vector<v1::ComplaintEvent>> ComplaintsStore::Events(
    int64_t after, int limit, absl::string_view complaint_id) {
  COUNCIL_WITH_READER(db);
  std::vector<v1::ComplaintEvent> out;
  absl::StatusOr<storage::Statement*> query =
      complaint_id.empty()
          ? db->Prepare(
                "SELECT position, event FROM complaint_events WHERE position > ? "
                "ORDER BY position LIMIT ?")
          : db->Prepare(
                "SELECT position, event FROM complaint_events WHERE complaint_id = ? AND "
                "position > ? ORDER BY position LIMIT ?");
  if (!query.ok()) return query.status();
  int i = 1;
  if (!complaint_id.empty())
    if (auto s = (*query)->Bind(i++, complaint_id); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, after); !s.ok()) return s;
  if (auto s = (*query)->Bind(i++, static_cast<int64_t>(limit)); !s.ok()) return s;
  while (true) {
    auto row = (*query)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::ComplaintEvent event;
    if (!event.ParseFromString((*query)->ColumnBlob(1)))
      return absl::DataLossError("unreadable complaint event");
    event.set_position((*query)->ColumnInt64(0));
    out.push_back(std::move(event));
  }
  return out;
}

absl::StatusOr<std::vector<DueStep>> ComplaintsStore::DueSteps(absl::CivilDay today) {
  COUNCIL_WITH_READER(db);
  std::vector<DueStep> out;
  auto query = db->Prepare(
      "SELECT complaint_id, step, stage, due_day, action, notified, recipients, clause "
      "FROM complaint_steps WHERE notified < 2 AND due_day <= ? ORDER BY due_day, complaint_id");
  if (!query.ok()) return query.status();
  if (auto s = (*query)->Bind(1, DayNumber(today)); !s.ok()) return s;
  while (true) {
    auto row = (*query)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    DueStep step;
    step.complaint_id = (*query)->ColumnText(0);
    step.step = (*query)->ColumnText(1);
    step.stage = (*query)->ColumnText(2);
    step.due = FromDayNumber((*query)->ColumnInt64(3));
    step.action = static_cast<int>((*query)->ColumnInt64(4));
    step.notified = static_cast<int>((*query)->ColumnInt64(5));
    step.recipients = (*query)->ColumnText(6);
    step.clause = (*query)->ColumnText(7);
    out.push_back(std::move(step));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ComplaintsStore::OpenComplaintIds(
    absl::string_view after_id, int limit) {
  COUNCIL_WITH_READER(db);
  std::vector<std::string> out;
  auto query = db->Prepare(
      "SELECT complaint_id FROM complaint_state WHERE state = 1 AND complaint_id > ? "
      "ORDER BY complaint_id LIMIT ?");
  if (!query.ok()) return query.status();
  if (auto s = (*query)->Bind(1, after_id); !s.ok()) return s;
  if (auto s = (*query)->Bind(2, static_cast<int64_t>(limit)); !s.ok()) return s;
  while (true) {
    auto row = (*query)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back((*query)->ColumnText(0));
  }
  return out;
}

absl::StatusOr<std::string> ComplaintsStore::GetMeta(absl::string_view key) {
  COUNCIL_WITH_READER(db);
  auto query = db->Prepare("SELECT value FROM service_meta WHERE key = ?");
  if (!query.ok()) return query.status();
  if (auto s = (*query)->Bind(1, key); !s.ok()) return s;
  auto row = (*query)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::string();
  std::string value = (*query)->ColumnText(0);
  (*query)->Reset();
  return value;
}

int64_t ComplaintsStore::LastPosition() {
  absl::MutexLock lock(&events_mu_);
  return last_position_;
}

bool ComplaintsStore::WaitForEvents(int64_t position, absl::Duration timeout) {
  absl::MutexLock lock(&events_mu_);
  const absl::Time deadline = absl::Now() + timeout;
  while (last_position_ <= position && !stopped_) {
    if (events_cv_.WaitWithDeadline(&events_mu_, deadline)) break;
  }
  return last_position_ > position;
}

void ComplaintsStore::Stop() {
  absl::MutexLock lock(&events_mu_);
  stopped_ = true;
  events_cv_.SignalAll();
}

bool ComplaintsStore::stopped() {
  absl::MutexLock lock(&events_mu_);
  return stopped_;
}

audit::AuditVerification ComplaintsStore::VerifyAudit() {
  absl::MutexLock lock(&mu_);
  return audit::VerifyAuditChain(*db_);
}

absl::StatusOr<std::vector<audit::AuditEntry>> ComplaintsStore::AuditEntries(
    absl::string_view resource) {
  absl::MutexLock lock(&mu_);
  std::vector<audit::AuditEntry> all;
  int64_t after = 0;
  while (true) {
    auto page = audit_.List(after, audit::AuditLog::kMaxListLimit, resource);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    after = page->back().seq;
    for (auto& e : *page) all.push_back(std::move(e));
  }
  return all;
}

}  // namespace council::complaints
