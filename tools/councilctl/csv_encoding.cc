#include "tools/councilctl/csv_encoding.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace council::ctl {
namespace {

// What to tell the user about byte `offset` of the cell under `column`:
// where it is and what it is (in hex: echoing it raw would garble the
// terminal). The column's name too, as bad rows' cells carry only a number.
std::string Problem(absl::string_view column, absl::string_view cell, size_t offset) {
  return absl::StrFormat(
      "the %s cell is not valid UTF-8 (its byte %d is 0x%02X); save the file as UTF-8",
      column.empty() ? std::string("unnamed") : std::string(column.substr(0, 64)), offset + 1,
      static_cast<unsigned>(static_cast<unsigned char>(cell[offset])));
}

}  // namespace

std::optional<size_t> FirstInvalidUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The length of the sequence and the range its second byte must be in
    // (RFC 3629 section 4), which rules out overlong forms, surrogates and
    // code points above U+10FFFF.
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return i;  // a continuation byte, or a byte UTF-8 never uses
    }
    if (i + length > n || s[i + 1] < low || s[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += length;
  }
  return std::nullopt;
}

absl::Status RefuseNonUtf8(CsvTable* table) {
  for (size_t c = 0; c < table->header.size(); ++c)
    if (auto bad = FirstInvalidUtf8(table->header[c]))
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:1:%d: header cell %d is not valid UTF-8 (its byte %d is 0x%02X); save the file as "
          "UTF-8",
          table->path, c + 1, c + 1, *bad + 1,
          static_cast<unsigned>(static_cast<unsigned char>(table->header[c][*bad]))));
  std::vector<CsvRow> kept;
  kept.reserve(table->rows.size());
  bool moved = false;
  for (CsvRow& row : table->rows) {
    std::optional<CsvBadRow> bad;
    for (size_t c = 0; c < row.fields.size() && !bad; ++c)
      if (auto offset = FirstInvalidUtf8(row.fields[c]))
        bad = CsvBadRow{row.line, static_cast<int>(c) + 1,
                        Problem(c < table->header.size() ? table->header[c] : "", row.fields[c],
                                *offset)};
    if (bad) {
      table->bad_rows.push_back(std::move(*bad));
      moved = true;
    } else {
      kept.push_back(std::move(row));
    }
  }
  table->rows = std::move(kept);
  // bad_rows is in file order; the rows moved here interleave with those the
  // parser left out.
  if (moved)
    std::stable_sort(table->bad_rows.begin(), table->bad_rows.end(),
                     [](const CsvBadRow& a, const CsvBadRow& b) { return a.line < b.line; });
  return absl::OkStatus();
}

}  // namespace council::ctl
