// relations_store.h — relations-service's database and its in-memory snapshot.
//
// One SQLite file owned by this service. Every write runs under one mutex in
// one transaction that also appends to the hash-chained audit log; after it
// commits, a fresh DirectorySnapshot is swapped in for readers. Declarations
// (relationships, interests) are never deleted: each change stores a new
// revision and keeps the old ones.
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
#include "relations-service/directory_snapshot.h"

namespace council::relations {

using v1::Body;
using v1::Membership;
using v1::Person;

// The kinds of record the service stores, one table each.
enum class Kind {
  kPeople,
  kBodies,
  kMemberships,
  kPosts,
  kDesignations,
  kPartyGroups,
  kWards,
  kPortfolios,
  kRelationships,
  kInterests,
  kSecretMemberships,
};

// Counts of what an import did (or would do, for a dry run).
struct ImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// What to write to the audit log with a change.
struct AuditNote {
  std::string actor;
  std::string action;
  std::string detail;
};

// A further audit entry written with a change, about `resource` (a person
// whose system role the change grants or withdraws).
struct AuditNoteAbout {
  std::string resource;
  AuditNote note;
};

class RelationsStore {
 public:
  // Open
  //
  // Opens (creating if needed) the database at `path`, applies migrations
  // (refusing a database newer than this binary) and loads the snapshot.
  static absl::StatusOr<std::unique_ptr<RelationsStore>> Open(const std::string& path);

  // Snapshot
  //
  // The current read model; cheap (a shared pointer copy).
  std::shared_ptr<const DirectorySnapshot> Snapshot() const;

  // Revision
  //
  // Counts the snapshots published since this process started (1 after
  // Open): it changes exactly when the directory may have changed.
  uint64_t Revision() const;

  // AwaitRevisionAfter
  //
  // Blocks until the revision differs from `seen` or `timeout` passes;
  // returns the revision then (watchers poll their cancellation in between).
  uint64_t AwaitRevisionAfter(uint64_t seen, absl::Duration timeout) const;

  // Insert
  //
  // Adds a record named `name` (a resource name); ALREADY_EXISTS if taken.
  // `also` are further audit entries written in the same transaction (a
  // person's system roles granted, one entry each).
  absl::Status Insert(Kind kind, absl::string_view name, const google::protobuf::Message& record,
                      const AuditNote& note, const std::vector<AuditNoteAbout>& also = {});

  // Revise
  //
  // Replaces the record named `name`, keeping the previous one as a revision
  // (for declarations). NOT_FOUND if absent.
  absl::Status Revise(Kind kind, absl::string_view name, const google::protobuf::Message& record,
                      const AuditNote& note);

  // Get
  //
  // Reads the record named `name`; false if absent.
  absl::StatusOr<bool> Get(Kind kind, absl::string_view name, google::protobuf::Message* out);

  // Scan
  //
  // Records of `kind` with names after `after_name` and starting with
  // `prefix`, in name order, at most `limit`, serialized.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      Kind kind, absl::string_view after_name, int limit, absl::string_view prefix = {});

  // Revisions
  //
  // Every stored revision of `name` (a declaration), oldest first, serialized.
  absl::StatusOr<std::vector<std::string>> Revisions(Kind kind, absl::string_view name);

  // Import
  //
  // Upserts every record of `request` in one transaction (all or nothing). With
  // `validate_only` the transaction is rolled back after counting. `also` are
  // audit entries written with it (system roles granted and withdrawn).
  absl::StatusOr<ImportCounts> Import(const v1::ImportDirectoryRequest& request,
                                      bool validate_only, absl::string_view actor,
                                      const std::vector<AuditNoteAbout>& also = {});

  // VerifyAudit
  //
  // Verifies the audit chain (for tests and the operations runbook).
  audit::AuditVerification VerifyAudit();

  // Convenience wrappers used by the foundation's handlers.
  absl::StatusOr<bool> GetPerson(absl::string_view id, Person* out);

 private:
  explicit RelationsStore(std::unique_ptr<storage::Database> db);
 public:
  ~RelationsStore();
 private:
  storage::RecordTable& Table(Kind kind) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Rebuilds the snapshot from the database (see builders_).
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RebuildSnapshot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<storage::RecordTable>> tables_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<storage::RecordTable> revisions_ ABSL_GUARDED_BY(mu_);
  audit::AuditLog audit_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex snapshot_mu_;
  std::shared_ptr<const DirectorySnapshot> snapshot_ ABSL_GUARDED_BY(snapshot_mu_);
  uint64_t revision_ ABSL_GUARDED_BY(snapshot_mu_) = 0;
  // Snapshots are built on two long-lived threads in turn. Each thread has
  // its own malloc arena, and the snapshot a thread built last was freed
  // when the other thread's replaced it, so every snapshot is laid out in an
  // emptied arena, apart from the request threads' temporaries, and the one
  // it replaces can be handed back whole. Built on the writing thread, a
  // 20,000-person import left the process about 15 MB larger than the same
  // directory loaded at start (its pages shared with freed temporaries).
  std::unique_ptr<class SerialWorker> builders_[2];
  int next_builder_ ABSL_GUARDED_BY(mu_) = 0;
};

// KeyOf
//
// The table key of a resource name: the name without its first collection
// ("people/x/interests/y" -> "x/interests/y"), which keeps a parent's children
// in one key range.
std::string KeyOf(absl::string_view name);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_RELATIONS_STORE_H_
