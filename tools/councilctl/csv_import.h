// csv_import.h — turns an HR export in the documented CSV formats
// (demo/README.md) into the directory import and the declarations, checking
// every row and remembering where each record came from.
//
// The files are read once; the request is then built, and rebuilt without
// rows the service refused when the user asked to skip bad rows:
//
//   absl::StatusOr<DirectoryCsv> csv = ReadDirectoryCsv("hr-export");
//   DirectoryImport built = BuildDirectoryImport(*csv, /*skip=*/{});
//   for (const RowProblem& p : built.problems) std::cerr << p.ToString() << "\n";
//   // ... send built.request; map the service's "posts[12].reports_to" back:
//   built.sources.Locate("posts[12].reports_to");  // hr-export/posts.csv:14:4 (reports_to_post_id)
#ifndef COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_
#define COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/util/csv.h"
#include "council/relations/v1/relations_service.pb.h"
#include "tools/councilctl/import_chunks.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {

// The files of an HR export. Optional files that are absent are empty.
struct DirectoryCsv {
  CsvTable people, bodies, memberships;
  std::optional<CsvTable> wards, party_groups, posts, designations, portfolios;
};

// ReadDirectoryCsv
//
// Reads people.csv, bodies.csv and memberships.csv from `directory` and, when
// present, posts.csv, designations.csv, wards.csv, party_groups.csv and
// portfolios.csv. Fails (naming the file) only for what no row can be
// skipped past: a file that cannot be read, an unterminated quote, a missing
// column; rows that cannot be read are kept in each table's `bad_rows`.
absl::StatusOr<DirectoryCsv> ReadDirectoryCsv(const std::string& directory);

// A directory import built from the rows not skipped.
struct DirectoryImport {
  relations::v1::ImportDirectoryRequest request;
  // Where each record of `request` came from (designations: each tenure too).
  SourceMap sources;
  // Rows left out because they are invalid, with the first problem of each.
  std::vector<RowProblem> problems;
  // Rows in `request`.
  int rows = 0;
};

// BuildDirectoryImport
//
// Builds the import from every row of `csv` that is not in `skip` and passes
// councilctl's own checks (ids, required columns, dates, booleans, allowed
// values). Records keep file order within each kind.
DirectoryImport BuildDirectoryImport(const DirectoryCsv& csv, const RowSet& skip);

// ChunkDirectory
//
// Splits an import into StreamImportDirectory chunks of at most `size`
// people, posts and memberships each; structure (groups, wards, bodies,
// designations, portfolios) goes in the first. Records keep their order
// within each kind, so index i of a kind counts across the stream exactly as
// in `all` (the server merges chunks in order). `validate_only` is set on
// the first chunk. There is always at least one chunk. If `rows` is given,
// which records each chunk carries is added to it, so a chunk the service
// refuses as a whole can be reported by file and lines.
std::vector<relations::v1::ImportDirectoryRequest> ChunkDirectory(
    const relations::v1::ImportDirectoryRequest& all, int size, ChunkRows* rows = nullptr);

// The files of the declarations. Absent files are empty.
struct DeclarationsCsv {
  std::optional<CsvTable> relationships, interests;
};

// ReadDeclarationsCsv
//
// Reads relationships.csv and interests.csv (either may be absent) from
// `directory`; fails as ReadDirectoryCsv does.
absl::StatusOr<DeclarationsCsv> ReadDeclarationsCsv(const std::string& directory);

// One declaration: its request and its row.
template <typename Request>
struct Declaration {
  Request request;
  SourceRow row;
  // The row as read, to map the service's answers to columns.
  CsvRow csv;
};

// Declarations built from the rows not skipped.
struct Declarations {
  std::vector<Declaration<relations::v1::CreateRelationshipRequest>> relationships;
  std::vector<Declaration<relations::v1::CreateInterestRequest>> interests;
  std::vector<RowProblem> problems;
};

// BuildDeclarations
//
// Builds a request per row of `csv` not in `skip` that passes councilctl's
// own checks (including ids that appear twice).
Declarations BuildDeclarations(const DeclarationsCsv& csv, const RowSet& skip);

// LocateRelationshipField, LocateInterestField
//
// The cell of a CreateRelationship / CreateInterest request's field
// ("relationship.member", "parent", "interest.matters[1]") in the row it came
// from; the whole row if the field has no column.
SourceCell LocateRelationshipField(const SourceRow& row, const CsvRow& csv,
                                   absl::string_view field);
SourceCell LocateInterestField(const SourceRow& row, const CsvRow& csv, absl::string_view field);

// LocateResource
//
// The cell of `csv` whose `*_hr_id` column names `resource` ("people/off-x"),
// for answers that name a resource rather than a field (NOT_FOUND, a rule
// about a person); the whole row if none does.
SourceCell LocateResource(const SourceRow& row, const CsvRow& csv, absl::string_view resource);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_
