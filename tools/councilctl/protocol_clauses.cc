// protocol_clauses.cc — see protocol_clauses.h for how numbers are read.
#include "tools/councilctl/protocol_clauses.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace council::ctl {
namespace {

using Number = std::vector<int>;

// At most this many numbers in a row may be missing from the text and be
// inferred; a longer jump is not the numbering going on.
constexpr int kMaxLostNumbers = 2;
constexpr size_t kExcerptBytes = 60;

std::string Join(const Number& number) { return absl::StrJoin(number, "."); }

// The line without leading blanks, Markdown heading marks, list bullets and
// bold marks: what a number would follow.
absl::string_view StripLeadingMarkup(absl::string_view line) {
  while (true) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "**")) continue;
    if (!line.empty() && line[0] == '#') {
      line.remove_prefix(line.find_first_not_of('#') == absl::string_view::npos
                             ? line.size()
                             : line.find_first_not_of('#'));
      continue;
    }
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*') &&
        absl::ascii_isspace(static_cast<unsigned char>(line[1]))) {
      line.remove_prefix(2);
      continue;
    }
    return line;
  }
}

// A clause number opening `text` ("14.10", "1.", "1.1.Council", "16.1A"):
// groups of one to three digits separated by dots, perhaps a capital letter
// (a paragraph inserted after an existing one) in `suffix`, then the end, a
// blank, a bold mark, or (after a final dot) the text itself.
bool ParseLeadingNumber(absl::string_view text, Number* number, std::string* suffix,
                        absl::string_view* rest) {
  number->clear();
  suffix->clear();
  size_t i = 0;
  bool trailing_dot = false;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i])) &&
           i - start < 3)
      value = value * 10 + (text[i++] - '0');
    if (i == start) return false;
    if (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i])))
      return false;  // four digits: a year or an amount, not a clause
    if (value == 0) return false;
    number->push_back(value);
    if (i + 1 < text.size() && absl::ascii_isupper(static_cast<unsigned char>(text[i])) &&
        (absl::ascii_isspace(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.')) {
      suffix->assign(1, text[i++]);
      if (text[i] == '.') ++i;
      break;
    }
    trailing_dot = i < text.size() && text[i] == '.';
    if (!trailing_dot) break;
    ++i;
    if (i >= text.size() || !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) break;
  }
  const bool boundary = i >= text.size() || absl::ascii_isspace(static_cast<unsigned char>(text[i])) ||
                        text[i] == '*' ||
                        (trailing_dot && absl::ascii_isalpha(static_cast<unsigned char>(text[i])));
  if (!boundary) return false;
  *rest = text.substr(i);
  return true;
}

// The text without Markdown emphasis (bold and italic) or underline tags,
// blanks collapsed.
std::string CleanText(absl::string_view text) {
  std::string cleaned = absl::StrReplaceAll(text, {{"*", ""}, {"<u>", ""}, {"</u>", ""}});
  std::vector<absl::string_view> words =
      absl::StrSplit(cleaned, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
  return absl::StrJoin(words, " ");
}

// The first words of `text`, cut at a character boundary.
std::string Excerpt(const std::string& text) {
  if (text.size() <= kExcerptBytes) return text;
  size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(text.substr(0, cut)), "...");
}

bool EndsLikeASentence(const std::string& text) {
  return !text.empty() && (text.back() == '.' || text.back() == ':' || text.back() == ';');
}

}  // namespace

std::vector<ProtocolClause> ExtractProtocolClauses(absl::string_view text) {
  std::vector<ProtocolClause> clauses;
  std::vector<bool> sentence;  // per clause: its own text ends like a sentence
  std::set<Number> seen;
  std::map<Number, int> last_child;  // parent -> its last child read
  Number current;                    // the last number read
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    Number number;
    std::string suffix;
    absl::string_view rest;
    if (!ParseLeadingNumber(StripLeadingMarkup(line), &number, &suffix, &rest)) continue;
    if (!suffix.empty()) {
      // An inserted paragraph ("16.1A" after 16.1): a clause of its own that
      // leaves the numbering where it was.
      if (number != current) continue;
      const std::string body = CleanText(rest);
      clauses.push_back({Join(number) + suffix, line_number, Excerpt(body), "", false});
      sentence.push_back(true);
      continue;
    }
    Number parent(number.begin(), number.end() - 1);
    std::string note;
    const auto continues = [&](const Number& p, int index) {
      if (!p.empty() && !seen.count(p)) return false;
      const int last = last_child[p];
      return index > last && index <= last + 1 + kMaxLostNumbers;
    };
    if (seen.count(number) || !continues(parent, number.back())) {
      // A misprint: the next sibling in the current branch, printed with
      // the wrong prefix. Anything else is text that begins with a figure.
      if (current.size() < number.size()) continue;
      Number branch(current.begin(), current.begin() + (number.size() - 1));
      if (number.back() != last_child[branch] + 1 || number == branch) continue;
      note = absl::StrCat("printed as ", Join(number));
      parent = branch;
      number = branch;
      number.push_back(last_child[branch] + 1);
    }
    for (int lost = last_child[parent] + 1; lost < number.back(); ++lost) {
      Number missing = parent;
      missing.push_back(lost);
      seen.insert(missing);
      clauses.push_back({Join(missing), line_number, "",
                         absl::StrCat("number lost in the text (before ", Join(number), ")"),
                         false});
      sentence.push_back(true);
    }
    const std::string body = CleanText(rest);
    seen.insert(number);
    last_child[parent] = number.back();
    current = number;
    clauses.push_back({Join(number), line_number, Excerpt(body), note, false});
    sentence.push_back(EndsLikeASentence(body));
  }
  // A number with numbered children is a heading unless it says something.
  std::set<std::string> parents;
  for (const auto& clause : clauses) {
    const size_t dot = clause.number.rfind('.');
    if (dot != std::string::npos) parents.insert(clause.number.substr(0, dot));
  }
  for (size_t i = 0; i < clauses.size(); ++i)
    clauses[i].heading = parents.count(clauses[i].number) && !sentence[i];
  return clauses;
}

}  // namespace council::ctl
