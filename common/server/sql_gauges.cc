#include "common/server/sql_gauges.h"

#include <vector>

#include "common/server/metrics.h"

namespace council {

absl::StatusOr<std::shared_ptr<SqlGauges>> SqlGauges::Open(const std::string& database_path) {
  auto db = storage::Database::OpenReadOnly(database_path);
  if (!db.ok()) return db.status();
  auto gauges = std::make_shared<SqlGauges>();
  {
    absl::MutexLock lock(&gauges->mu_);
    gauges->db_ = std::move(*db);
  }
  // Gauges are read by the metrics thread until the process exits, after
  // main's locals are gone: keep every SqlGauges alive for the process.
  static auto* keep_alive = new std::vector<std::shared_ptr<SqlGauges>>();
  keep_alive->push_back(gauges);
  return gauges;
}

double SqlGauges::Read(const std::string& sql, const std::function<int64_t()>& parameter) {
  absl::MutexLock lock(&mu_);
  auto statement = db_->Prepare(sql);
  if (!statement.ok()) return -1;
  if (parameter && !(*statement)->Bind(1, parameter()).ok()) return -1;
  auto row = (*statement)->Step();
  if (!row.ok() || !*row) return -1;
  const double value = static_cast<double>((*statement)->ColumnInt64(0));
  (*statement)->Reset();
  return value;
}

void SqlGauges::Register(const std::string& name, const std::string& help, const std::string& sql,
                         std::function<int64_t()> parameter) {
  // `this` lives for the process (see Open).
  Metrics::Global().RegisterGauge(name, help, [this, sql, parameter] { return Read(sql, parameter); });
}

}  // namespace council
