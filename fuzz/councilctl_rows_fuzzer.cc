// Fuzzes councilctl's reading of import rows (tools/councilctl/csv_import.h,
// documents_csv.h, row_reader.h): ids, dates, booleans, lists, allowed values,
// repeated ids and the file:line:column of every problem.
//
// Input: the first line names the file ("people", "posts", "documents",
// "interests", ... as in demo/README.md without ".csv"); the rest is that
// file's CSV. Unknown names are ignored.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/util/csv.h"
#include "fuzz/fuzz_check.h"
#include "tools/councilctl/csv_import.h"
#include "tools/councilctl/documents_csv.h"

namespace {

using council::CsvTable;
using namespace council::ctl;  // NOLINT: the importer's types only

// Builds an import from `table` as file `kind`, leaving out `skip`; returns
// its problems and how many records it made.
struct Built {
  std::vector<RowProblem> problems;
  int records = 0;
};

Built BuildDirectory(void (*place)(DirectoryCsv&, CsvTable), const CsvTable& table,
                     const RowSet& skip) {
  DirectoryCsv csv;
  place(csv, table);
  DirectoryImport built = BuildDirectoryImport(csv, skip);
  // Chunks of a stream import hold every record exactly once.
  int people = 0;
  for (const auto& chunk : ChunkDirectory(built.request, 2)) people += chunk.people_size();
  FUZZ_CHECK(people == built.request.people_size());
  for (const char* field : {"people[0].display_name", "posts[0].tenures[0].person",
                            "designations[0].tenures[1].start_date", "memberships[1]"}) {
    if (auto cell = built.sources.Locate(field)) (void)cell->ToString();
  }
  return {built.problems, built.rows};
}

const std::map<std::string, std::function<Built(const CsvTable&, const RowSet&)>>& Kinds() {
  static const auto* kinds =
      new std::map<std::string, std::function<Built(const CsvTable&, const RowSet&)>>{
          {"people", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.people = x; }, t, s);
           }},
          {"bodies", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.bodies = x; }, t, s);
           }},
          {"memberships", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.memberships = x; }, t, s);
           }},
          {"wards", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.wards = x; }, t, s);
           }},
          {"party_groups", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.party_groups = x; }, t, s);
           }},
          {"posts", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.posts = x; }, t, s);
           }},
          {"designations", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.designations = x; }, t, s);
           }},
          {"portfolios", [](const CsvTable& t, const RowSet& s) {
             return BuildDirectory([](DirectoryCsv& c, CsvTable x) { c.portfolios = x; }, t, s);
           }},
          {"documents", [](const CsvTable& t, const RowSet& s) {
             DocumentsImport built = BuildDocumentsImport(t, s);
             if (auto cell = built.sources.Locate("documents[0].title")) (void)cell->ToString();
             return Built{built.problems, static_cast<int>(built.documents.size())};
           }},
          {"relationships", [](const CsvTable& t, const RowSet& s) {
             DeclarationsCsv csv;
             csv.relationships = t;
             Declarations built = BuildDeclarations(csv, s);
             for (const auto& d : built.relationships)
               (void)LocateRelationshipField(d.row, d.csv, "relationship.kind").ToString();
             return Built{built.problems, static_cast<int>(built.relationships.size())};
           }},
          {"interests", [](const CsvTable& t, const RowSet& s) {
             DeclarationsCsv csv;
             csv.interests = t;
             Declarations built = BuildDeclarations(csv, s);
             for (const auto& d : built.interests)
               (void)LocateInterestField(d.row, d.csv, "interest.matters[1]").ToString();
             return Built{built.problems, static_cast<int>(built.interests.size())};
           }},
      };
  return *kinds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == absl::string_view::npos) return 0;
  const std::string kind(input.substr(0, newline));
  auto build = Kinds().find(kind);
  if (build == Kinds().end()) return 0;
  const std::string path = kind + ".csv";
  auto table = council::ParseCsv(input.substr(newline + 1), path, /*keep_bad_rows=*/true);
  if (!table.ok()) return 0;

  Built all = build->second(*table, {});
  RowSet bad;
  for (const RowProblem& problem : all.problems) {
    FUZZ_CHECK(problem.cell.row.path == path);
    FUZZ_CHECK(!problem.message.empty());
    (void)problem.ToString();
    bad.insert(problem.cell.row);
  }
  // --skip-bad-rows: leaving out the rows councilctl refused leaves rows it
  // accepts, and the same records.
  Built rest = build->second(*table, bad);
  FUZZ_CHECK(rest.problems.empty());
  FUZZ_CHECK(rest.records == all.records);
  return 0;
}
