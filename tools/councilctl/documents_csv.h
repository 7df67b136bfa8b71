// documents_csv.h — the records system's document export (documents.csv,
// columns in demo/README.md) as access-service documents, with where each came
// from so any error, ours or the server's, names file:line:column.
//
//   absl::StatusOr<DocumentsCsv> csv = ReadDocumentsCsv("export.csv");
//   // csv->documents[i] came from line csv->lines[i]
//   std::string where = csv->WhereField(i, "documents[i].title");  // "export.csv:12:2 (title)"
#ifndef COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_
#define COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "council/access/v1/access_service.pb.h"

namespace council::ctl {

struct DocumentsCsv {
  std::string path;
  std::vector<std::string> header;
  std::vector<access::v1::Document> documents;
  // 1-based line of each document's row.
  std::vector<int> lines;

  // WhereField
  //
  // For a server error naming `field` ("documents[12].title",
  // "documents[3].wards[1]"), returns "path:line:column (csv column)", or
  // "path:line" if the field has no column, or empty if it names no document.
  std::string WhereField(absl::string_view field) const;
};

// ReadDocumentsCsv
//
// Reads and checks every row; INVALID_ARGUMENT "path:line:column (column):
// problem" for the first bad one. Columns: record_id, title, owning_service,
// status (required); holding_chief_officer_hr_id, body_id, meeting_date,
// agenda_item, ward_ids, portfolio_id, party_group_id, matters,
// third_party_personal_data, exempt_paragraphs, requested_advice_for_hr_id.
absl::StatusOr<DocumentsCsv> ReadDocumentsCsv(const std::string& path);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_DOCUMENTS_CSV_H_
