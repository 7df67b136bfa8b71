#include "tools/councilctl/import_sources.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace council::ctl {
namespace {

// "tenures[0].person" -> "tenures.person".
std::string WithoutIndexes(absl::string_view field) {
  std::string out;
  out.reserve(field.size());
  bool in_index = false;
  for (char c : field) {
    if (c == '[') in_index = true;
    if (!in_index) out += c;
    if (c == ']') in_index = false;
  }
  return out;
}

}  // namespace

std::string SourceCell::ToString() const {
  if (column == 0) return absl::StrCat(row.path, ":", row.line);
  if (column_name.empty()) return absl::StrCat(row.path, ":", row.line, ":", column);
  return absl::StrCat(row.path, ":", row.line, ":", column, " (", column_name, ")");
}

SourceCell CellOf(const CsvTable& table, const CsvRow& row, absl::string_view column) {
  SourceCell cell{{table.path, row.line}, row.ColumnNumber(column), ""};
  if (cell.column != 0) cell.column_name = std::string(column);
  return cell;
}

SourceCell CellOfField(const SourceRow& row, const std::vector<std::string>& header,
                       const FieldColumns& columns, absl::string_view field) {
  SourceCell cell{row, 0, ""};
  std::string name = WithoutIndexes(field);
  // The longest mapped prefix: "meeting_date.year" is the meeting_date column.
  while (!name.empty()) {
    auto it = columns.find(name);
    if (it != columns.end()) {
      for (size_t c = 0; c < header.size(); ++c)
        if (header[c] == it->second) {
          cell.column = static_cast<int>(c) + 1;
          cell.column_name = it->second;
          return cell;
        }
      return cell;
    }
    const auto dot = name.rfind('.');
    if (dot == std::string::npos) break;
    name.resize(dot);
  }
  return cell;
}

std::vector<RowProblem> BadRowProblems(const CsvTable& table) {
  std::vector<RowProblem> problems;
  for (const auto& bad : table.bad_rows)
    problems.push_back({SourceCell{{table.path, bad.line}, bad.column, ""}, bad.problem});
  return problems;
}

void SourceMap::Add(std::string record, SourceRow row,
                    std::shared_ptr<const std::vector<std::string>> header,
                    const FieldColumns* columns) {
  records_[std::move(record)] = Entry{std::move(row), std::move(header), columns};
}

std::optional<SourceCell> SourceMap::Locate(absl::string_view field) const {
  // Candidates end just before a '.' or '[' or at the end, longest first.
  for (size_t end = field.size(); end > 0; --end) {
    if (end < field.size() && field[end] != '.' && field[end] != '[') continue;
    auto it = records_.find(field.substr(0, end));
    if (it == records_.end()) continue;
    absl::string_view rest = field.substr(end);
    absl::ConsumePrefix(&rest, ".");
    const Entry& entry = it->second;
    static const std::vector<std::string> kNoHeader;
    static const FieldColumns kNoColumns;
    return CellOfField(entry.row, entry.header ? *entry.header : kNoHeader,
                       entry.columns ? *entry.columns : kNoColumns, rest);
  }
  return std::nullopt;
}

}  // namespace council::ctl
