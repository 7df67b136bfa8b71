// Fuzzes ParseCsv (common/util/csv.h), which reads every HR and records export
// a council feeds to councilctl, strictly and with keep_bad_rows.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/util/csv.h"
#include "fuzz/fuzz_check.h"

namespace {

constexpr char kPath[] = "fuzz.csv";

// What every parsed table must satisfy, whatever the bytes.
void CheckTable(const council::CsvTable& table) {
  int previous_line = 1;  // the header's
  for (const council::CsvRow& row : table.rows) {
    FUZZ_CHECK(row.fields.size() == table.header.size());
    FUZZ_CHECK(row.header != nullptr && *row.header == table.header);
    FUZZ_CHECK(row.line > previous_line);
    previous_line = row.line;
    for (const std::string& column : table.header) {
      FUZZ_CHECK(row.ColumnNumber(column) >= 1);
      (void)row.Get(column);
      (void)table.Where(row, column);
    }
  }
  for (const council::CsvBadRow& bad : table.bad_rows) {
    FUZZ_CHECK(bad.line >= 2);
    FUZZ_CHECK(bad.column >= 1);
    FUZZ_CHECK(!bad.problem.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto strict = council::ParseCsv(text, kPath, /*keep_bad_rows=*/false);
  auto lenient = council::ParseCsv(text, kPath, /*keep_bad_rows=*/true);
  if (strict.ok()) {
    CheckTable(*strict);
    FUZZ_CHECK(strict->bad_rows.empty());
    // A file good enough for the strict reader reads the same leniently.
    FUZZ_CHECK(lenient.ok() && lenient->bad_rows.empty());
    FUZZ_CHECK(lenient->rows.size() == strict->rows.size());
  } else {
    FUZZ_CHECK(strict.status().code() == absl::StatusCode::kInvalidArgument);
  }
  if (lenient.ok()) CheckTable(*lenient);
  return 0;
}
