#include "tools/councilctl/documents_csv.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/resource_names.h"
#include "tools/councilctl/csv_encoding.h"
#include "tools/councilctl/row_reader.h"

namespace council::ctl {
namespace {

using access::v1::Document;

// Document field -> the CSV column it comes from.
const FieldColumns kDocumentColumns = {
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
    {"not_for_publication", "not_for_publication"},
};

void ReadDocument(RowReader& r, Document& d) {
  using namespace access::v1;  // NOLINT: enum names only
  d.set_name(absl::StrCat("documents/", r.Id("record_id", true)));
  d.set_title(r.Required("title"));
  d.set_owning_service(r.Id("owning_service", true));
  if (auto officer = r.Id("holding_chief_officer_hr_id", false); !officer.empty())
    d.set_holding_chief_officer(absl::StrCat("people/", officer));
  if (auto body = r.Id("body_id", false); !body.empty()) d.set_body(absl::StrCat("bodies/", body));
  if (!r.Date("meeting_date", d.mutable_meeting_date(), false)) d.clear_meeting_date();
  d.set_agenda_item(r.Optional("agenda_item"));
  for (const auto& ward : r.Ids("ward_ids")) d.add_wards(absl::StrCat("wards/", ward));
  if (auto portfolio = r.Id("portfolio_id", false); !portfolio.empty())
    d.set_portfolio(absl::StrCat("portfolios/", portfolio));
  if (auto group = r.Id("party_group_id", false); !group.empty())
    d.set_party_group(absl::StrCat("groups/", group));
  for (const auto& matter : r.Ids("matters")) d.add_matters(matter);
  d.set_third_party_personal_data(r.Bool("third_party_personal_data"));
  // "Not for Publication" is a mark beside the status (South Somerset 10 and
  // 11: an exempt document may be so marked): the optional column
  // `not_for_publication`. Exports that still give it as the status mean an
  // open document so marked.
  d.set_status(r.OneOf<DocumentStatus>("status",
                                       {{"open", DOCUMENT_STATUS_OPEN},
                                        {"confidential", DOCUMENT_STATUS_CONFIDENTIAL},
                                        {"exempt", DOCUMENT_STATUS_EXEMPT},
                                        {"not-for-publication", DOCUMENT_STATUS_OPEN}},
                                       "must be open, confidential, exempt or not-for-publication"));
  d.set_not_for_publication(r.Bool("not_for_publication") ||
                            r.Optional("status") == "not-for-publication");
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
}

}  // namespace

absl::StatusOr<CsvTable> ReadDocumentsCsv(const std::string& path) {
  auto table = ReadCsvFile(path, /*keep_bad_rows=*/true);
  if (!table.ok()) return table.status();
  if (auto s = RefuseNonUtf8(&*table); !s.ok()) return s;
  for (const char* column : {"record_id", "title", "owning_service", "status"}) {
    bool found = false;
    for (const auto& h : table->header) found |= h == column;
    if (!found)
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1: missing column \"", column, "\""));
  }
  return table;
}

DocumentsImport BuildDocumentsImport(const CsvTable& csv, const RowSet& skip) {
  DocumentsImport out;
  for (auto& problem : BadRowProblems(csv))
    if (!skip.contains(problem.cell.row)) out.problems.push_back(std::move(problem));
  out.documents.reserve(csv.rows.size());
  std::map<std::string, int> first_line;
  for (const CsvRow& row : csv.rows) {
    const SourceRow source{csv.path, row.line};
    if (skip.contains(source)) continue;
    RowReader r(csv, row);
    Document document;
    ReadDocument(r, document);
    if (r.ok()) {
      auto [it, inserted] = first_line.emplace(document.name(), row.line);
      if (!inserted)
        r.Fail("record_id", absl::StrCat("\"", row.Get("record_id"),
                                         "\" appears again (first on line ", it->second, ")"));
    }
    if (!r.ok()) {
      out.problems.push_back(r.problem());
      continue;
    }
    out.sources.Add(absl::StrCat("documents[", out.documents.size(), "]"), source, row.header,
                    &kDocumentColumns);
    out.documents.push_back(std::move(document));
  }
  return out;
}

}  // namespace council::ctl
