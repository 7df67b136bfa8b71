#include "relations-service/relations_store.h"

#include <functional>
#include <thread>


#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/errors/field_error.h"
#include "common/storage/migrations.h"

namespace council::relations {
namespace {

constexpr const char* kTableNames[] = {
    "people",        "bodies",        "memberships",   "posts",
    "designations",  "party_groups",  "wards",         "portfolios",
    "relationships", "interests",     "secret_memberships",
};
constexpr int kKinds = sizeof(kTableNames) / sizeof(kTableNames[0]);

std::vector<storage::Migration> Migrations() {
  std::string directory_tables;
  for (int i = 3; i < kKinds; ++i)
    absl::StrAppend(&directory_tables, storage::RecordTable::CreateTableSql(kTableNames[i]));
  absl::StrAppend(&directory_tables, storage::RecordTable::CreateTableSql("revisions"));
  return {
      {1, "directory records",
       absl::StrCat(storage::RecordTable::CreateTableSql("people"),
                    storage::RecordTable::CreateTableSql("bodies"),
                    storage::RecordTable::CreateTableSql("memberships"))},
      audit::AuditLogMigration(2),
      {3, "posts, designations, groups, wards, portfolios and declarations", directory_tables},
  };
}

template <typename T>
absl::Status LoadAll(storage::RecordTable& table, absl::flat_hash_map<std::string, T>* out,
                     std::vector<T>* list = nullptr) {
  std::string after;
  while (true) {
    auto rows = table.Scan(after, 5000);
    if (!rows.ok()) return rows.status();
    for (auto& [key, bytes] : *rows) {
      T record;
      if (!record.ParseFromString(bytes))
        return absl::DataLossError(absl::StrCat("unreadable record ", key));
      if (list != nullptr) list->push_back(record);
      if (out != nullptr) (*out)[record.name()] = std::move(record);
      after = key;
    }
    if (rows->size() < 5000) return absl::OkStatus();
  }
}

}  // namespace

std::string KeyOf(absl::string_view name) {
  auto slash = name.find('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

// Runs one job at a time on its own long-lived thread; the caller waits.
class SerialWorker {
 public:
  SerialWorker() : thread_([this] { Loop(); }) {}
  ~SerialWorker() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }
  // Runs `job` on the worker's thread and returns its result. One caller at
  // a time (RelationsStore::mu_ serialises them).
  absl::Status Run(const std::function<absl::Status()>& job) {
    absl::MutexLock lock(&mu_);
    job_ = &job;
    mu_.Await(absl::Condition(+[](SerialWorker* w) { return w->job_ == nullptr; }, this));
    return std::move(result_);
  }

 private:
  void Loop() {
    absl::MutexLock lock(&mu_);
    while (true) {
      mu_.Await(absl::Condition(
          +[](SerialWorker* w) { return w->stopping_ || w->job_ != nullptr; }, this));
      if (stopping_) return;
      const std::function<absl::Status()>* job = job_;
      mu_.Unlock();
      absl::Status result = (*job)();
      mu_.Lock();
      result_ = std::move(result);
      job_ = nullptr;
    }
  }

  absl::Mutex mu_;
  const std::function<absl::Status()>* job_ = nullptr;
  bool stopping_ = false;
  absl::Status result_;
  std::thread thread_;
};

RelationsStore::~RelationsStore() = default;

RelationsStore::RelationsStore(std::unique_ptr<storage::Database> db)
    : db_(std::move(db)),
      audit_(db_.get()),
      builders_{std::make_unique<SerialWorker>(), std::make_unique<SerialWorker>()} {
  for (const char* table : kTableNames)
    tables_.push_back(std::make_unique<storage::RecordTable>(db_.get(), table));
  revisions_ = std::make_unique<storage::RecordTable>(db_.get(), "revisions");
}

absl::StatusOr<std::unique_ptr<RelationsStore>> RelationsStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = storage::ApplyMigrations(**db, "relations-service", Migrations()); !s.ok())
    return s;
  std::unique_ptr<RelationsStore> store(new RelationsStore(std::move(*db)));
  absl::MutexLock lock(&store->mu_);
  if (auto s = store->Reload(); !s.ok()) return s;
  return store;
}

storage::RecordTable& RelationsStore::Table(Kind kind) {
  return *tables_[static_cast<int>(kind)];
}

std::shared_ptr<const DirectorySnapshot> RelationsStore::Snapshot() const {
  absl::MutexLock lock(&snapshot_mu_);
  return snapshot_;
}

uint64_t RelationsStore::Revision() const {
  absl::MutexLock lock(&snapshot_mu_);
  return revision_;
}

uint64_t RelationsStore::AwaitRevisionAfter(uint64_t seen, absl::Duration timeout) const {
  absl::MutexLock lock(&snapshot_mu_);
  auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(snapshot_mu_) {
    return revision_ != seen;
  };
  snapshot_mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  return revision_;
}

absl::Status RelationsStore::Reload() {
  SerialWorker& builder = *builders_[next_builder_];
  next_builder_ = 1 - next_builder_;
  // This thread holds mu_ for the builder while it reads the database.
  return builder.Run([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return RebuildSnapshot(); });
}

absl::Status RelationsStore::RebuildSnapshot() {
  auto snapshot = std::make_shared<DirectorySnapshot>();
  std::vector<Membership> memberships;
  absl::Status s = LoadAll(Table(Kind::kPeople), &snapshot->people);
  if (s.ok()) s = LoadAll(Table(Kind::kBodies), &snapshot->bodies);
  if (s.ok()) s = LoadAll<Membership>(Table(Kind::kMemberships), nullptr, &memberships);
  if (s.ok()) s = LoadAll(Table(Kind::kPosts), &snapshot->posts);
  if (s.ok()) s = LoadAll(Table(Kind::kDesignations), &snapshot->designations);
  if (s.ok()) s = LoadAll(Table(Kind::kPartyGroups), &snapshot->party_groups);
  if (s.ok()) s = LoadAll(Table(Kind::kWards), &snapshot->wards);
  if (s.ok()) s = LoadAll(Table(Kind::kPortfolios), &snapshot->portfolios);
  if (s.ok()) s = LoadAll(Table(Kind::kRelationships), &snapshot->relationships);
  if (s.ok()) s = LoadAll(Table(Kind::kInterests), &snapshot->interests);
  if (!s.ok()) return s;
  snapshot->Index(memberships);
  std::shared_ptr<const DirectorySnapshot> previous = std::move(snapshot);
  {
    absl::MutexLock lock(&snapshot_mu_);
    snapshot_.swap(previous);
    ++revision_;  // wakes AwaitRevisionAfter (absl::Mutex re-checks conditions on unlock)
  }
  // The previous snapshot is freed here (unless a reader still holds it); its
  // memory goes back to the system once calls pause (common/server/
  // idle_trimmer.h), after the writing call's own temporaries are freed too.
  previous.reset();
  return absl::OkStatus();
}

absl::Status RelationsStore::Insert(Kind kind, absl::string_view name,
                                    const google::protobuf::Message& record,
                                    const AuditNote& note, const std::vector<AuditNoteAbout>& also) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = Table(kind).Insert(KeyOf(name), record); !s.ok()) return s;
  if (kind == Kind::kRelationships || kind == Kind::kInterests) {
    if (auto s = revisions_->Insert(absl::StrCat(name, "#", absl::StrFormat("%06d", 1)), record);
        !s.ok())
      return s;
  }
  if (auto e = audit_.Append(note.actor, note.action, name, note.detail, absl::Now()); !e.ok())
    return e.status();
  for (const AuditNoteAbout& more : also)
    if (auto e = audit_.Append(more.note.actor, more.note.action, more.resource, more.note.detail,
                               absl::Now());
        !e.ok())
      return e.status();
  if (auto s = txn->Commit(); !s.ok()) return s;
  return Reload();
}

absl::Status RelationsStore::Revise(Kind kind, absl::string_view name,
                                    const google::protobuf::Message& record,
                                    const AuditNote& note) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  auto previous = Table(kind).Upsert(KeyOf(name), record);
  if (!previous.ok()) return previous.status();
  if (*previous == storage::UpsertResult::kCreated)
    return ResourceNotFoundError(name);
  // The revision number is the record's own field (checked by the caller).
  const auto* revision_field = record.GetDescriptor()->FindFieldByName("revision");
  const int revision =
      revision_field ? record.GetReflection()->GetInt32(record, revision_field) : 0;
  if (auto s = revisions_->Insert(absl::StrCat(name, "#", absl::StrFormat("%06d", revision)),
                                  record);
      !s.ok())
    return s;
  if (auto e = audit_.Append(note.actor, note.action, name, note.detail, absl::Now()); !e.ok())
    return e.status();
  if (auto s = txn->Commit(); !s.ok()) return s;
  return Reload();
}

absl::StatusOr<bool> RelationsStore::Get(Kind kind, absl::string_view name,
                                         google::protobuf::Message* out) {
  absl::MutexLock lock(&mu_);
  return Table(kind).Get(KeyOf(name), out);
}

absl::StatusOr<bool> RelationsStore::GetPerson(absl::string_view id, Person* out) {
  return Get(Kind::kPeople, absl::StrCat("people/", id), out);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RelationsStore::Scan(
    Kind kind, absl::string_view after_name, int limit, absl::string_view prefix) {
  absl::MutexLock lock(&mu_);
  return Table(kind).Scan(after_name.empty() ? std::string() : KeyOf(after_name), limit,
                          prefix.empty() ? std::string() : KeyOf(prefix));
}

absl::StatusOr<std::vector<std::string>> RelationsStore::Revisions(Kind, absl::string_view name) {
  absl::MutexLock lock(&mu_);
  auto rows = revisions_->Scan("", 100000, absl::StrCat(name, "#"));
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (auto& [key, bytes] : *rows) out.push_back(std::move(bytes));
  return out;
}

absl::StatusOr<ImportCounts> RelationsStore::Import(const v1::ImportDirectoryRequest& request,
                                                    bool validate_only, absl::string_view actor,
                                                    const std::vector<AuditNoteAbout>& also) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  ImportCounts counts;
  auto upsert = [&](Kind kind, const auto& records) -> absl::Status {
    for (const auto& record : records) {
      auto result = Table(kind).Upsert(KeyOf(record.name()), record);
      if (!result.ok()) return result.status();
      switch (*result) {
        case storage::UpsertResult::kCreated: ++counts.created; break;
        case storage::UpsertResult::kUpdated: ++counts.updated; break;
        case storage::UpsertResult::kUnchanged: ++counts.unchanged; break;
      }
    }
    return absl::OkStatus();
  };
  absl::Status s = upsert(Kind::kPeople, request.people());
  if (s.ok()) s = upsert(Kind::kBodies, request.bodies());
  if (s.ok()) s = upsert(Kind::kMemberships, request.memberships());
  if (s.ok()) s = upsert(Kind::kPosts, request.posts());
  if (s.ok()) s = upsert(Kind::kDesignations, request.designations());
  if (s.ok()) s = upsert(Kind::kPartyGroups, request.party_groups());
  if (s.ok()) s = upsert(Kind::kWards, request.wards());
  if (s.ok()) s = upsert(Kind::kPortfolios, request.portfolios());
  if (!s.ok()) return s;
  if (validate_only) {
    if (auto r = txn->Rollback(); !r.ok()) return r;
    return counts;
  }
  if (counts.created + counts.updated > 0) {
    auto e = audit_.Append(actor, "ImportDirectory", "directory",
                           absl::StrCat("created ", counts.created, ", updated ", counts.updated,
                                        ", unchanged ", counts.unchanged),
                           absl::Now());
    if (!e.ok()) return e.status();
  }
  for (const AuditNoteAbout& more : also)
    if (auto e = audit_.Append(more.note.actor, more.note.action, more.resource, more.note.detail,
                               absl::Now());
        !e.ok())
      return e.status();
  if (auto c = txn->Commit(); !c.ok()) return c;
  if (counts.created + counts.updated > 0) {
    if (auto r = Reload(); !r.ok()) return r;
  }
  return counts;
}

audit::AuditVerification RelationsStore::VerifyAudit() {
  absl::MutexLock lock(&mu_);
  return audit::VerifyAuditChain(*db_);
}

}  // namespace council::relations
