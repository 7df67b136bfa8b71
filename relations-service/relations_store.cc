#include "relations-service/relations_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/storage/migrations.h"

namespace council::relations {
namespace {

std::vector<storage::Migration> Migrations() {
  return {
      {1, "directory records",
       absl::StrCat(storage::RecordTable::CreateTableSql("people"),
                    storage::RecordTable::CreateTableSql("bodies"),
                    storage::RecordTable::CreateTableSql("memberships"))},
      audit::AuditLogMigration(2),
  };
}

absl::string_view LastSegment(absl::string_view name) {
  auto slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

// Memberships are keyed "body/person" so one body's seats are a key range.
std::string MembershipKey(absl::string_view membership_name) {
  std::vector<absl::string_view> parts = absl::StrSplit(membership_name, '/');
  return parts.size() == 4 ? absl::StrCat(parts[1], "/", parts[3]) : std::string();
}

}  // namespace

RelationsStore::RelationsStore(std::unique_ptr<storage::Database> db)
    : db_(std::move(db)),
      people_(db_.get(), "people"),
      bodies_(db_.get(), "bodies"),
      memberships_(db_.get(), "memberships"),
      audit_(db_.get()) {}

absl::StatusOr<std::unique_ptr<RelationsStore>> RelationsStore::Open(const std::string& path) {
  auto db = storage::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto s = storage::ApplyMigrations(**db, "relations-service", Migrations()); !s.ok())
    return s;
  return std::unique_ptr<RelationsStore>(new RelationsStore(std::move(*db)));
}

absl::Status RelationsStore::CreatePerson(const Person& person, absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = people_.Insert(LastSegment(person.name()), person); !s.ok()) return s;
  if (auto e = audit_.Append(actor, "CreatePerson", person.name(), person.display_name(),
                             absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<bool> RelationsStore::GetPerson(absl::string_view id, Person* out) {
  absl::MutexLock lock(&mu_);
  return people_.Get(id, out);
}

template <typename T>
static absl::StatusOr<std::vector<T>> ParseRows(
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<T> out(rows->size());
  for (size_t i = 0; i < rows->size(); ++i)
    if (!out[i].ParseFromString((*rows)[i].second))
      return absl::DataLossError(absl::StrCat("unreadable record ", (*rows)[i].first));
  return out;
}

absl::StatusOr<std::vector<Person>> RelationsStore::ListPeople(absl::string_view after_id,
                                                               int limit) {
  absl::MutexLock lock(&mu_);
  return ParseRows<Person>(people_.Scan(after_id, limit));
}

absl::Status RelationsStore::CreateBody(const Body& body, absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = bodies_.Insert(LastSegment(body.name()), body); !s.ok()) return s;
  if (auto e = audit_.Append(actor, "CreateBody", body.name(), body.display_name(), absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<bool> RelationsStore::GetBody(absl::string_view id, Body* out) {
  absl::MutexLock lock(&mu_);
  return bodies_.Get(id, out);
}

absl::StatusOr<std::vector<Body>> RelationsStore::ListBodies(absl::string_view after_id,
                                                             int limit) {
  absl::MutexLock lock(&mu_);
  return ParseRows<Body>(bodies_.Scan(after_id, limit));
}

absl::Status RelationsStore::CreateMembership(absl::string_view body_id,
                                              const Membership& membership,
                                              absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  Person person;
  Body body;
  auto has_body = bodies_.Get(body_id, &body);
  if (!has_body.ok()) return has_body.status();
  if (!*has_body) return absl::NotFoundError(absl::StrCat("bodies/", body_id, " not found"));
  auto has_person = people_.Get(LastSegment(membership.person()), &person);
  if (!has_person.ok()) return has_person.status();
  if (!*has_person) return absl::NotFoundError(absl::StrCat(membership.person(), " not found"));
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (auto s = memberships_.Insert(MembershipKey(membership.name()), membership); !s.ok())
    return s;
  if (auto e = audit_.Append(actor, "CreateMembership", membership.name(),
                             v1::MembershipRole_Name(membership.role()), absl::Now());
      !e.ok())
    return e.status();
  return txn->Commit();
}

absl::StatusOr<std::vector<std::pair<std::string, Membership>>> RelationsStore::ListMemberships(
    absl::string_view body_id, absl::string_view after_key, int limit) {
  absl::MutexLock lock(&mu_);
  auto rows = memberships_.Scan(after_key, limit,
                                body_id.empty() ? std::string() : absl::StrCat(body_id, "/"));
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, Membership>> out(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    out[i].first = (*rows)[i].first;
    if (!out[i].second.ParseFromString((*rows)[i].second))
      return absl::DataLossError(absl::StrCat("unreadable membership ", (*rows)[i].first));
  }
  return out;
}

absl::StatusOr<ImportCounts> RelationsStore::Import(const std::vector<Person>& people,
                                                    const std::vector<Body>& bodies,
                                                    const std::vector<Membership>& memberships,
                                                    bool validate_only,
                                                    absl::string_view actor) {
  absl::MutexLock lock(&mu_);
  auto txn = storage::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  ImportCounts counts;
  auto count = [&counts](storage::UpsertResult result) {
    switch (result) {
      case storage::UpsertResult::kCreated: ++counts.created; break;
      case storage::UpsertResult::kUpdated: ++counts.updated; break;
      case storage::UpsertResult::kUnchanged: ++counts.unchanged; break;
    }
  };
  for (const Person& person : people) {
    auto result = people_.Upsert(LastSegment(person.name()), person);
    if (!result.ok()) return result.status();
    count(*result);
  }
  for (const Body& body : bodies) {
    auto result = bodies_.Upsert(LastSegment(body.name()), body);
    if (!result.ok()) return result.status();
    count(*result);
  }
  for (const Membership& membership : memberships) {
    auto result = memberships_.Upsert(MembershipKey(membership.name()), membership);
    if (!result.ok()) return result.status();
    count(*result);
  }
  if (validate_only) {
    if (auto s = txn->Rollback(); !s.ok()) return s;
    return counts;
  }
  if (counts.created + counts.updated > 0) {
    auto e = audit_.Append(actor, "ImportDirectory", "people",
                           absl::StrCat("created ", counts.created, ", updated ", counts.updated,
                                        ", unchanged ", counts.unchanged),
                           absl::Now());
    if (!e.ok()) return e.status();
  }
  if (auto s = txn->Commit(); !s.ok()) return s;
  return counts;
}

audit::AuditVerification RelationsStore::VerifyAudit() {
  absl::MutexLock lock(&mu_);
  return audit::VerifyAuditChain(*db_);
}

}  // namespace council::relations
