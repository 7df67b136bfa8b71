// relations_store.h — relations-service's database: the directory's records.
//
// One SQLite file owned by this service. Every method runs under one mutex
// (SQLite connections are single-threaded) and every write appends to the
// hash-chained audit log in the same transaction, so a write and its audit
// entry commit together or not at all.
#ifndef COUNCIL_RELATIONS_SERVICE_RELATIONS_STORE_H_
#define COUNCIL_RELATIONS_SERVICE_RELATIONS_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/record_table.h"
#include "council/relations/v1/relations_service.pb.h"

namespace council::relations {

using v1::Body;
using v1::Membership;
using v1::Person;

// Counts of what an import did (or would do, for a dry run).
struct ImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

class RelationsStore {
 public:
  // Open
  //
  // Opens (creating if needed) the database at `path` and applies migrations;
  // refuses a database newer than this binary.
  static absl::StatusOr<std::unique_ptr<RelationsStore>> Open(const std::string& path);

  absl::Status CreatePerson(const Person& person, absl::string_view actor);
  absl::StatusOr<bool> GetPerson(absl::string_view id, Person* out);
  absl::StatusOr<std::vector<Person>> ListPeople(absl::string_view after_id, int limit);

  absl::Status CreateBody(const Body& body, absl::string_view actor);
  absl::StatusOr<bool> GetBody(absl::string_view id, Body* out);
  absl::StatusOr<std::vector<Body>> ListBodies(absl::string_view after_id, int limit);

  // CreateMembership
  //
  // Adds `membership` to body `body_id`; the person and body must exist.
  absl::Status CreateMembership(absl::string_view body_id, const Membership& membership,
                                absl::string_view actor);
  // ListMemberships
  //
  // Memberships with key ("body/person") after `after_key`, of `body_id` (or
  // every body if empty), in key order, at most `limit`.
  absl::StatusOr<std::vector<std::pair<std::string, Membership>>> ListMemberships(
      absl::string_view body_id, absl::string_view after_key, int limit);

  // Import
  //
  // Upserts every record in one transaction (all or nothing). With
  // `validate_only` the transaction is rolled back after counting.
  absl::StatusOr<ImportCounts> Import(const std::vector<Person>& people,
                                      const std::vector<Body>& bodies,
                                      const std::vector<Membership>& memberships,
                                      bool validate_only, absl::string_view actor);

  // VerifyAudit
  //
  // Verifies the audit chain (for tests and the operations runbook).
  audit::AuditVerification VerifyAudit();

 private:
  explicit RelationsStore(std::unique_ptr<storage::Database> db);

  absl::Mutex mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable people_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable bodies_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable memberships_ ABSL_GUARDED_BY(mu_);
  audit::AuditLog audit_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_RELATIONS_STORE_H_
