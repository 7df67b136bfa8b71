// access_store.h — access-service's database: document metadata and the
// record of requests and decisions.
//
// Every write appends to the hash-chained audit log in the same transaction.
#ifndef COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_
#define COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"
#include "common/storage/record_table.h"
#include "council/access/v1/access_service.pb.h"

namespace council::access {

struct ImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

class AccessStore {
 public:
  static absl::StatusOr<std::unique_ptr<AccessStore>> Open(const std::string& path);

  absl::Status CreateDocument(const v1::Document& document, absl::string_view actor);
  absl::StatusOr<bool> GetDocument(absl::string_view id, v1::Document* out);
  absl::StatusOr<std::vector<v1::Document>> ListDocuments(absl::string_view after_id, int limit);
  absl::StatusOr<ImportCounts> ImportDocuments(const std::vector<v1::Document>& documents,
                                               bool validate_only, absl::string_view actor);

  // SaveAccessRequest
  //
  // Records a decided request and audits the decision.
  absl::Status SaveAccessRequest(const v1::AccessRequest& request, absl::string_view actor);
  absl::StatusOr<bool> GetAccessRequest(absl::string_view id, v1::AccessRequest* out);

  audit::AuditVerification VerifyAudit();

 private:
  explicit AccessStore(std::unique_ptr<storage::Database> db);

  absl::Mutex mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable documents_ ABSL_GUARDED_BY(mu_);
  storage::RecordTable requests_ ABSL_GUARDED_BY(mu_);
  audit::AuditLog audit_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_ACCESS_STORE_H_
