// protocol_clauses.h — the numbered clauses of a protocol text
// (shared/protocols/*.txt, copied to protocols/), for the clause coverage
// report (`councilctl coverage report`, docs/clause-coverage.md).
//
// The protocols are converted documents: a number opens a line, perhaps after
// a Markdown heading mark or a list bullet ("- 14.3 ...", "## 10.1 **Title**",
// "1.1.Council ..."). A number is taken as a clause number only where it
// continues the numbering (the next sibling, or the first child of a number
// already seen), so a line that happens to begin with a figure is not a
// clause. Two repairs, each noted on the clause:
//   * a number the text lost (Southwark's first paragraph, and the statutory
//     officers table between 8 and 10) is inferred from the gap;
//   * a misprint that repeats an earlier number where the next sibling
//     belongs (Middlesbrough's "1.2" between 13.1 and 13.3) is read as that
//     sibling.
// A number with numbered children is a heading, not a clause, unless its own
// text is a sentence (Sheffield 5.1).
//
// Only shipped files are read (never outsiders' input), so this is unit
// tested rather than fuzzed.
#ifndef COUNCIL_TOOLS_COUNCILCTL_PROTOCOL_CLAUSES_H_
#define COUNCIL_TOOLS_COUNCILCTL_PROTOCOL_CLAUSES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace council::ctl {

struct ProtocolClause {
  // "14.10".
  std::string number;
  // The line it starts on, from 1; for a lost number, the line of the number
  // after the gap.
  int line = 0;
  // The first words of its text (markup removed), for a reader to recognise.
  std::string excerpt;
  // How the number was read, if not as printed: "printed as 1.2", "number
  // lost in the text". Empty otherwise.
  std::string note;
  // A heading: a number with numbered children whose own text is a title.
  // Headings are listed but are not clauses to cover or cite.
  bool heading = false;
};

// Everything numbered in `text`, in order (headings included, marked).
std::vector<ProtocolClause> ExtractProtocolClauses(absl::string_view text);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_PROTOCOL_CLAUSES_H_
