// csv.h — RFC 4180 CSV reading with positions for error messages.
//
// Imports from HR and records systems arrive as CSV; every problem must name
// the file, line and column, so each field keeps where it started:
//
//   absl::StatusOr<CsvTable> table = ReadCsvFile("demo/council/people.csv");
//   for (const CsvRow& row : table->rows)
//     std::string id = row.Get("hr_id");
#ifndef COUNCIL_COMMON_UTIL_CSV_H_
#define COUNCIL_COMMON_UTIL_CSV_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace council {

struct CsvRow {
  // 1-based line of the row's first character.
  int line = 0;
  std::vector<std::string> fields;
  // Shared with the table, so rows stay valid however the table is moved.
  std::shared_ptr<const std::vector<std::string>> header;

  // Get
  //
  // Returns the field under `column`, or empty if the column is absent.
  std::string Get(absl::string_view column) const;
  // ColumnNumber
  //
  // Returns the 1-based column number of `column` (0 if absent).
  int ColumnNumber(absl::string_view column) const;
};

// A row that could not be read as a record: a stray quote, or a field count
// that differs from the header's. Kept only when parsing with
// `keep_bad_rows`, so an import can report it and go on with the others.
struct CsvBadRow {
  // 1-based line of the row's first character.
  int line = 0;
  // 1-based column of the problem: the stray quote's field, or the first
  // field missing or too many.
  int column = 0;
  std::string problem;
};

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  // With `keep_bad_rows` only: the rows left out of `rows`, in file order.
  std::vector<CsvBadRow> bad_rows;

  // Where
  //
  // Returns "path:line:column (column_name)" for error messages.
  std::string Where(const CsvRow& row, absl::string_view column) const;
};

// ParseCsv
//
// Parses `text` (first row is the header). INVALID_ARGUMENT with
// "path:line:column: problem" for an unterminated quote, a stray quote or a row
// whose field count differs from the header's. With `keep_bad_rows`, a stray
// quote or a wrong field count leaves that row out (into `bad_rows`) instead;
// an unterminated quote, a bad header or an empty file is still an error.
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text, absl::string_view path,
                                  bool keep_bad_rows = false);

// ReadCsvFile
//
// Reads and parses the file at `path`; NOT_FOUND if it cannot be read.
absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path, bool keep_bad_rows = false);

}  // namespace council

#endif  // COUNCIL_COMMON_UTIL_CSV_H_
