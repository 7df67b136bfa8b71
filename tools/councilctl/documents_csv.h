// documents_csv.h — the records system's document export (documents.csv,
// columns in demo/README.md) as access-service documents, with where each came
// from so any error, councilctl's or the service's, names file:line:column.
//
//   absl::StatusOr<CsvTable> csv = ReadDocumentsCsv("export.csv");
//   DocumentsImport built = BuildDocumentsImport(*csv, /*skip=*/{});
//   // built.documents[i] came from built.sources.Locate("documents[i]")
//   built.sources.Locate("documents[12].title")->ToString();  // "export.csv:14:2 (title)"
#ifndef COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_
#define COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/util/csv.h"
#include "council/access/v1/access_service.pb.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {

// ReadDocumentsCsv
//
// Reads the export and checks its header. Columns: record_id, title,
// owning_service, status (required); holding_chief_officer_hr_id, body_id,
// meeting_date, agenda_item, ward_ids, portfolio_id, party_group_id, matters,
// third_party_personal_data, exempt_paragraphs, requested_advice_for_hr_id.
// Fails (naming the file) only for what no row can be skipped past; rows that
// cannot be read are kept in `bad_rows`.
absl::StatusOr<CsvTable> ReadDocumentsCsv(const std::string& path);

// Documents built from the rows not skipped.
struct DocumentsImport {
  std::vector<access::v1::Document> documents;
  // "documents[i]" -> its row.
  SourceMap sources;
  // Rows left out because they are invalid, with the first problem of each.
  std::vector<RowProblem> problems;
};

// BuildDocumentsImport
//
// A document per row of `csv` not in `skip` that passes councilctl's own
// checks (ids, required columns, dates, booleans, statuses, paragraph
// numbers, a record_id that appears again), in file order.
DocumentsImport BuildDocumentsImport(const CsvTable& csv, const RowSet& skip);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_
