// complaints_store.h — complaints-service's database.
//
// Every write appends to the hash-chained audit log in the same transaction;
// a complaint acknowledged to its complainant is on disk (see common/storage).
#ifndef COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_
#define COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/record_table.h"
#include "council/complaints/v1/complaints_service.pb.h"

namespace council::complaints {

class ComplaintsStore {
 public:
  static absl::StatusOr<std::unique_ptr<ComplaintsStore>> Open(const std::string& path);

  absl::Status CreateComplaint(const v1::Complaint& complaint, absl::string_view actor);
  absl::StatusOr<bool> GetComplaint(absl::string_view id, v1::Complaint* out);
  audit::AuditVerification VerifyAudit();

 private:
  explicit ComplaintsStore(std::unique_ptr<storage::Database> db);

  absl::Mutex mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable complaints_ ABSL_GUARDED_BY(mu_);
  audit::AuditLog audit_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_STORE_H_
