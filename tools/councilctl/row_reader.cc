#include "tools/councilctl/row_reader.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/resource_names.h"

namespace council::ctl {

std::string RowReader::Required(absl::string_view column) {
  std::string value = row_.Get(column);
  if (value.empty()) Fail(column, "is required");
  return value;
}

std::string RowReader::Id(absl::string_view column, bool required) {
  std::string value = required ? Required(column) : Optional(column);
  if (!value.empty() && !IsValidId(value))
    Fail(column,
         absl::StrCat("\"", value, "\" is not a valid id (lower-case letters, digits, hyphens)"));
  return value;
}

std::vector<std::string> RowReader::List(absl::string_view column) const {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(Optional(column), ';', absl::SkipEmpty()))
    items.emplace_back(item);
  return items;
}

std::vector<std::string> RowReader::Ids(absl::string_view column) {
  std::vector<std::string> items = List(column);
  for (const auto& item : items)
    if (!IsValidId(item)) {
      Fail(column, absl::StrCat("\"", item, "\" is not a valid id"));
      break;
    }
  return items;
}

bool RowReader::Date(absl::string_view column, common::v1::Date* out, bool required) {
  std::string value = required ? Required(column) : Optional(column);
  if (value.empty()) return false;
  absl::CivilDay day;
  if (!ParseDay(value, &day)) {
    Fail(column, absl::StrCat("\"", value, "\" is not a date (YYYY-MM-DD)"));
    return false;
  }
  *out = ToProtoDate(day);
  return true;
}

bool RowReader::Bool(absl::string_view column) {
  std::string value = Optional(column);
  if (value.empty() || value == "false") return false;
  if (value == "true") return true;
  Fail(column, absl::StrCat("\"", value, "\" must be true or false"));
  return false;
}

void RowReader::Fail(absl::string_view column, absl::string_view what) {
  if (!problem_.message.empty()) return;
  problem_.cell = CellOf(table_, row_, column);
  problem_.message = std::string(what);
}

}  // namespace council::ctl
