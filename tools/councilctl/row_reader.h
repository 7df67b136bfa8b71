// row_reader.h — reads the fields of one CSV row for an import, keeping the
// row's first problem with the cell it is in.
//
//   RowReader r(table, row);
//   std::string id = r.Id("hr_id");            // required, id syntax
//   r.Date("start_date", p.mutable_start_date(), /*required=*/true);
//   if (!r.ok()) problems.push_back(r.problem());  // people.csv:7:5 (start_date): ...
#ifndef COUNCIL_TOOLS_COUNCILCTL_ROW_READER_H_
#define COUNCIL_TOOLS_COUNCILCTL_ROW_READER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/util/csv.h"
#include "council/common/v1/common.pb.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {

class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRow& row) : table_(table), row_(row) {}

  // The field under `column` ("" if absent); Required fails when it is empty.
  std::string Optional(absl::string_view column) const { return row_.Get(column); }
  std::string Required(absl::string_view column);
  // An id (^[a-z][a-z0-9-]{2,62}$), required or not.
  std::string Id(absl::string_view column, bool required = true);
  // A ';'-list; Ids also checks each element's syntax.
  std::vector<std::string> List(absl::string_view column) const;
  std::vector<std::string> Ids(absl::string_view column);
  // A YYYY-MM-DD date into `out`; false if empty or invalid.
  bool Date(absl::string_view column, common::v1::Date* out, bool required);
  // true or false; empty is false.
  bool Bool(absl::string_view column);
  // The value mapped by `values`, failing with `allowed` if it is none of them.
  template <typename Enum>
  Enum OneOf(absl::string_view column, const std::vector<std::pair<const char*, Enum>>& values,
             absl::string_view allowed) {
    const std::string value = Required(column);
    for (const auto& [name, e] : values)
      if (value == name) return e;
    if (!value.empty()) Fail(column, allowed);
    return Enum{};
  }

  // Fail
  //
  // Records a problem with `column` unless one was recorded already.
  void Fail(absl::string_view column, absl::string_view what);

  bool ok() const { return problem_.message.empty(); }
  const RowProblem& problem() const { return problem_; }
  SourceRow row() const { return {table_.path, row_.line}; }

 private:
  const CsvTable& table_;
  const CsvRow& row_;
  RowProblem problem_;
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_ROW_READER_H_
