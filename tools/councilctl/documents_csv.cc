#include "tools/councilctl/documents_csv.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/util/csv.h"
#include "common/util/resource_names.h"

namespace council::ctl {
namespace {

using access::v1::Document;

// Document field -> the CSV column it comes from.
const std::map<std::string, std::string>& ColumnOfField() {
  static const auto* const columns = new std::map<std::string, std::string>{
      {"name", "record_id"},
      {"title", "title"},
      {"owning_service", "owning_service"},
      {"holding_chief_officer", "holding_chief_officer_hr_id"},
      {"body", "body_id"},
      {"meeting_date", "meeting_date"},
      {"agenda_item", "agenda_item"},
      {"wards", "ward_ids"},
      {"portfolio", "portfolio_id"},
      {"party_group", "party_group_id"},
      {"matters", "matters"},
      {"third_party_personal_data", "third_party_personal_data"},
      {"status", "status"},
      {"exempt_paragraphs", "exempt_paragraphs"},
      {"requested_advice_for", "requested_advice_for_hr_id"},
  };
  return *columns;
}

class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRow& row) : table_(table), row_(row) {}
  std::string Required(const char* column) {
    std::string value = row_.Get(column);
    if (value.empty()) Fail(column, "is required");
    return value;
  }
  std::string Optional(const char* column) { return row_.Get(column); }
  std::string Id(const char* column, bool required) {
    std::string value = required ? Required(column) : Optional(column);
    if (!value.empty() && !IsValidId(value))
      Fail(column, absl::StrCat("\"", value,
                                "\" is not a valid id (lower-case letters, digits, hyphens)"));
    return value;
  }
  std::vector<std::string> Ids(const char* column) {
    std::vector<std::string> items;
    for (absl::string_view item : absl::StrSplit(Optional(column), ';', absl::SkipEmpty())) {
      if (!IsValidId(item))
        Fail(column, absl::StrCat("\"", item, "\" is not a valid id"));
      items.emplace_back(item);
    }
    return items;
  }
  void Fail(const char* column, absl::string_view what) {
    if (problem_.empty()) problem_ = absl::StrCat(table_.Where(row_, column), ": ", what);
  }
  absl::Status status() const {
    return problem_.empty() ? absl::OkStatus() : absl::InvalidArgumentError(problem_);
  }

 private:
  const CsvTable& table_;
  const CsvRow& row_;
  std::string problem_;
};

}  // namespace

std::string DocumentsCsv::WhereField(absl::string_view field) const {
  // "documents[12].title" or "documents[3].wards[1]"
  if (!absl::ConsumePrefix(&field, "documents[")) return "";
  auto close = field.find(']');
  if (close == absl::string_view::npos) return "";
  size_t index = 0;
  if (!absl::SimpleAtoi(field.substr(0, close), &index) || index >= lines.size()) return "";
  field.remove_prefix(close + 1);
  absl::ConsumePrefix(&field, ".");
  std::string name(field.substr(0, field.find('[')));
  auto column = ColumnOfField().find(name);
  if (column != ColumnOfField().end()) {
    for (size_t c = 0; c < header.size(); ++c)
      if (header[c] == column->second)
        return absl::StrCat(path, ":", lines[index], ":", c + 1, " (", column->second, ")");
  }
  return absl::StrCat(path, ":", lines[index]);
}

absl::StatusOr<DocumentsCsv> ReadDocumentsCsv(const std::string& path) {
  using namespace access::v1;  // NOLINT: enum names only
  auto table = ReadCsvFile(path);
  if (!table.ok()) return table.status();
  for (const char* column : {"record_id", "title", "owning_service", "status"}) {
    bool found = false;
    for (const auto& h : table->header) found |= h == column;
    if (!found)
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1: missing column \"", column, "\""));
  }
  DocumentsCsv csv;
  csv.path = path;
  csv.header = table->header;
  csv.documents.reserve(table->rows.size());
  csv.lines.reserve(table->rows.size());
  std::map<std::string, int> first_line;
  for (const auto& row : table->rows) {
    RowReader r(*table, row);
    Document& d = csv.documents.emplace_back();
    csv.lines.push_back(row.line);
    const std::string id = r.Id("record_id", true);
    d.set_name(absl::StrCat("documents/", id));
    if (!id.empty()) {
      auto [it, inserted] = first_line.emplace(id, row.line);
      if (!inserted)
        r.Fail("record_id", absl::StrCat("\"", id, "\" appears again (first on line ",
                                         it->second, ")"));
    }
    d.set_title(r.Required("title"));
    d.set_owning_service(r.Id("owning_service", true));
    if (auto officer = r.Id("holding_chief_officer_hr_id", false); !officer.empty())
      d.set_holding_chief_officer(absl::StrCat("people/", officer));
    if (auto body = r.Id("body_id", false); !body.empty())
      d.set_body(absl::StrCat("bodies/", body));
    if (auto date = r.Optional("meeting_date"); !date.empty()) {
      absl::CivilDay day;
      if (ParseDay(date, &day))
        *d.mutable_meeting_date() = ToProtoDate(day);
      else
        r.Fail("meeting_date", absl::StrCat("\"", date, "\" is not a date (YYYY-MM-DD)"));
    }
    d.set_agenda_item(r.Optional("agenda_item"));
    for (const auto& ward : r.Ids("ward_ids")) d.add_wards(absl::StrCat("wards/", ward));
    if (auto portfolio = r.Id("portfolio_id", false); !portfolio.empty())
      d.set_portfolio(absl::StrCat("portfolios/", portfolio));
    if (auto group = r.Id("party_group_id", false); !group.empty())
      d.set_party_group(absl::StrCat("groups/", group));
    for (const auto& matter : r.Ids("matters")) d.add_matters(matter);
    const std::string personal = r.Optional("third_party_personal_data");
    if (personal == "true")
      d.set_third_party_personal_data(true);
    else if (!personal.empty() && personal != "false")
      r.Fail("third_party_personal_data", absl::StrCat("\"", personal, "\" must be true or false"));
    static const std::map<std::string, DocumentStatus> kStatuses = {
        {"open", DOCUMENT_STATUS_OPEN},
        {"confidential", DOCUMENT_STATUS_CONFIDENTIAL},
        {"exempt", DOCUMENT_STATUS_EXEMPT},
        {"not-for-publication", DOCUMENT_STATUS_NOT_FOR_PUBLICATION}};
    const std::string status = r.Required("status");
    if (auto s = kStatuses.find(status); s != kStatuses.end())
      d.set_status(s->second);
    else if (!status.empty())
      r.Fail("status", "must be open, confidential, exempt or not-for-publication");
    for (absl::string_view paragraph :
         absl::StrSplit(r.Optional("exempt_paragraphs"), ';', absl::SkipEmpty())) {
      int value = 0;
      if (!absl::SimpleAtoi(paragraph, &value)) {
        r.Fail("exempt_paragraphs", "must be paragraph numbers separated by ';'");
        break;
      }
      d.add_exempt_paragraphs(value);
    }
    if (auto member = r.Id("requested_advice_for_hr_id", false); !member.empty())
      d.set_requested_advice_for(absl::StrCat("people/", member));
    if (auto s = r.status(); !s.ok()) return s;
  }
  return csv;
}

}  // namespace council::ctl
