#include "common/util/csv.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace council {

std::string CsvRow::Get(absl::string_view column) const {
  const int index = ColumnNumber(column) - 1;
  return index >= 0 && index < static_cast<int>(fields.size()) ? fields[index] : std::string();
}

int CsvRow::ColumnNumber(absl::string_view column) const {
  if (header == nullptr) return 0;
  for (size_t i = 0; i < header->size(); ++i)
    if ((*header)[i] == column) return static_cast<int>(i) + 1;
  return 0;
}

std::string CsvTable::Where(const CsvRow& row, absl::string_view column) const {
  return absl::StrCat(path, ":", row.line, ":", row.ColumnNumber(column), " (", column, ")");
}

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text, absl::string_view path,
                                  bool keep_bad_rows) {
  CsvTable table;
  table.path = std::string(path);
  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;
  // Per record: a stray quote's problem (only with keep_bad_rows), else empty.
  std::vector<CsvBadRow> record_problems;
  CsvBadRow problem;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  int line = 1, column = 1, record_line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    // A blank line (one empty unquoted field) is skipped.
    if (!(record.size() == 1 && record[0].empty()) || !problem.problem.empty()) {
      records.push_back(std::move(record));
      record_lines.push_back(record_line);
      record_problems.push_back(std::move(problem));
    }
    record.clear();
    problem = CsvBadRow();
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM from Excel
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
          ++column;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;
        if (c == '\n') {
          ++line;
          column = 0;
        }
      }
    } else if (c == '"') {
      if (!field.empty() || field_was_quoted) {
        if (!keep_bad_rows)
          return absl::InvalidArgumentError(
              absl::StrCat(path, ":", line, ":", column, ": stray quote inside an unquoted field"));
        if (problem.problem.empty())
          problem = CsvBadRow{record_line, static_cast<int>(record.size()) + 1,
                              absl::StrCat("stray quote inside an unquoted field (line ", line,
                                           ", character ", column, ")")};
        field += c;
      } else {
        in_quotes = true;
        field_was_quoted = true;
      }
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      column = 0;
      record_line = line;
    } else {
      field += c;
    }
    ++column;
  }
  if (in_quotes)
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", record_line, ": unterminated quoted field"));
  if (!field.empty() || !record.empty() || field_was_quoted) end_record();
  if (records.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": empty file, no header"));
  if (!record_problems[0].problem.empty())
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":1:", record_problems[0].column, ": ", record_problems[0].problem));
  table.header = records[0];
  auto header = std::make_shared<const std::vector<std::string>>(std::move(records[0]));
  for (size_t r = 1; r < records.size(); ++r) {
    if (!record_problems[r].problem.empty()) {
      table.bad_rows.push_back(std::move(record_problems[r]));
      continue;
    }
    if (records[r].size() != table.header.size()) {
      const std::string what = absl::StrCat("has ", records[r].size(),
                                            " fields but the header has ", table.header.size());
      if (!keep_bad_rows)
        return absl::InvalidArgumentError(absl::StrCat(path, ":", record_lines[r], ": ", what));
      table.bad_rows.push_back(
          CsvBadRow{record_lines[r],
                    static_cast<int>(std::min(records[r].size(), table.header.size())) + 1, what});
      continue;
    }
    table.rows.push_back(CsvRow{record_lines[r], std::move(records[r]), header});
  }
  return table;
}

absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path, bool keep_bad_rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseCsv(buffer.str(), path, keep_bad_rows);
}

}  // namespace council
