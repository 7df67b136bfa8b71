// import_sources.h — where each record of an import request came from, so
// that every error, councilctl's own or one the service finds, names the CSV
// file, line and column.
//
// Each record added to a request is registered with its row; the server's
// field paths ("posts[12].reports_to") are then mapped back to the cell:
//
//   SourceMap sources;
//   sources.Add("posts[12]", row, table.header_ptr, &kPostColumns);
//   std::optional<SourceCell> cell = sources.Locate("posts[12].reports_to");
//   cell->ToString();  // "hr/posts.csv:14:4 (reports_to_post_id)"
#ifndef COUNCIL_TOOLS_COUNCILCTL_IMPORT_SOURCES_H_
#define COUNCIL_TOOLS_COUNCILCTL_IMPORT_SOURCES_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "common/util/csv.h"

namespace council::ctl {

// A data row of a CSV file: the file and the 1-based line its record starts on.
struct SourceRow {
  std::string path;
  int line = 0;

  bool operator==(const SourceRow& other) const {
    return line == other.line && path == other.path;
  }
  bool operator!=(const SourceRow& other) const { return !(*this == other); }
  bool operator<(const SourceRow& other) const {
    return std::tie(path, line) < std::tie(other.path, other.line);
  }
  template <typename H>
  friend H AbslHashValue(H h, const SourceRow& row) {
    return H::combine(std::move(h), row.path, row.line);
  }
};

// Rows to leave out of an import.
using RowSet = absl::flat_hash_set<SourceRow>;

// A cell of a CSV file, or a whole row when `column` is 0.
struct SourceCell {
  SourceRow row;
  // 1-based; 0 for the whole row.
  int column = 0;
  // The column's header, when known.
  std::string column_name;

  // ToString
  //
  // "path:line:column (column_name)", "path:line:column" without a name, or
  // "path:line" for a whole row.
  std::string ToString() const;
};

// A row an import leaves out or the service refused, and why.
struct RowProblem {
  SourceCell cell;
  std::string message;

  // "path:line:column (column_name): message".
  std::string ToString() const { return cell.ToString() + ": " + message; }
};

// Request fields below a record, with indexes removed ("tenures.person"),
// mapped to the CSV column each comes from ("holder_hr_id").
using FieldColumns = std::map<std::string, std::string, std::less<>>;

// CellOf
//
// The cell of `column` in `row` of `table` (the whole row if the file has no
// such column).
SourceCell CellOf(const CsvTable& table, const CsvRow& row, absl::string_view column);

// CellOfField
//
// The cell `field` (a path below a record, indexes allowed: "tenures[0].person")
// comes from, by `columns` and the file's `header`; the whole row if the
// field has no column there.
SourceCell CellOfField(const SourceRow& row, const std::vector<std::string>& header,
                       const FieldColumns& columns, absl::string_view field);

// BadRowProblems
//
// The rows ReadCsvFile(..., keep_bad_rows) could not read, as problems.
std::vector<RowProblem> BadRowProblems(const CsvTable& table);

class SourceMap {
 public:
  // Add
  //
  // Records that the request's `record` ("people[3]", or a repeated part of
  // one, "designations[0].tenures[2]") came from `row`, of a file whose header
  // is `header`; `columns` (static) maps the record's fields to its columns.
  void Add(std::string record, SourceRow row,
           std::shared_ptr<const std::vector<std::string>> header, const FieldColumns* columns);

  // Locate
  //
  // The cell a server's field path names: the longest registered record that
  // is a prefix of `field` ("posts[12]" for "posts[12].tenures[0].person"),
  // then the column of the rest. The record's whole row if the rest has no
  // column; nullopt if no record matches (a field of the request itself).
  std::optional<SourceCell> Locate(absl::string_view field) const;

  // ForEachRecord
  //
  // Calls `f(record, row)` for every registered record ("people[3]",
  // "designations[0].tenures[2]"), in no particular order.
  template <typename F>
  void ForEachRecord(F f) const {
    for (const auto& [record, entry] : records_) f(absl::string_view(record), entry.row);
  }

  size_t size() const { return records_.size(); }
  void clear() { records_.clear(); }

 private:
  struct Entry {
    SourceRow row;
    std::shared_ptr<const std::vector<std::string>> header;
    const FieldColumns* columns;
  };
  absl::flat_hash_map<std::string, Entry> records_;
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_IMPORT_SOURCES_H_
