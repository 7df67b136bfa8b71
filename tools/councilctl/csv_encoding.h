// csv_encoding.h — refuses CSV cells that are not UTF-8, before anything is
// sent.
//
// Every text field of the suite's messages is a protobuf `string`, which must
// be UTF-8: a cell in another encoding (a Latin-1 "é" from a spreadsheet
// export) makes the message unparsable at the service, which then cannot say
// which record was at fault. So councilctl checks every cell as it reads the
// file and names the cell:
//
//   CsvTable table = *ReadCsvFile(path, /*keep_bad_rows=*/true);
//   if (auto s = RefuseNonUtf8(&table); !s.ok()) return s;  // the header
//   // table.bad_rows now also holds "people.csv:25002:2: is not valid UTF-8 ..."
#ifndef COUNCIL_TOOLS_COUNCILCTL_CSV_ENCODING_H_
#define COUNCIL_TOOLS_COUNCILCTL_CSV_ENCODING_H_

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/util/csv.h"

namespace council::ctl {

// FirstInvalidUtf8
//
// The offset of the first byte of `text` that does not begin a well-formed
// UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), or nullopt if all of `text` is UTF-8.
std::optional<size_t> FirstInvalidUtf8(absl::string_view text);

// RefuseNonUtf8
//
// Moves every row of `table` with a cell that is not UTF-8 into
// `table->bad_rows` (file order kept), naming the row's first such cell by
// column and the byte's position in the cell. INVALID_ARGUMENT
// ("path:1:column: ...") if a header cell is not UTF-8: no row can be read
// then.
absl::Status RefuseNonUtf8(CsvTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CSV_ENCODING_H_
