// sql_gauges.h — service figures for the metrics endpoint, counted in the
// service's own database at scrape time.
//
// A read-only connection of its own (WAL lets it read while the service
// writes), so a scrape never waits on the write path:
//
//   SqlGauges gauges("/var/lib/council/complaints/complaints.db");
//   gauges.Register("council_complaints_open", "Open complaints.",
//                   "SELECT COUNT(*) FROM complaint_state WHERE state = 1");
#ifndef COUNCIL_COMMON_SERVER_SQL_GAUGES_H_
#define COUNCIL_COMMON_SERVER_SQL_GAUGES_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/database.h"

namespace council {

class SqlGauges {
 public:
  // Opens `database_path` read-only (the service has already created it).
  static absl::StatusOr<std::shared_ptr<SqlGauges>> Open(const std::string& database_path);

  // Register
  //
  // Adds a gauge whose value is the first column of `sql`'s first row; if
  // `parameter` is set, its value is bound to the query's single `?` at each
  // scrape (for example today's day number). A failing query reads as -1.
  void Register(const std::string& name, const std::string& help, const std::string& sql,
                std::function<int64_t()> parameter = nullptr);

 private:
  double Read(const std::string& sql, const std::function<int64_t()>& parameter);

  absl::Mutex mu_;
  std::unique_ptr<storage::Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_SQL_GAUGES_H_
