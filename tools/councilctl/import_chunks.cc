#include "tools/councilctl/import_chunks.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace council::ctl {
namespace {

// "people[12].tenures[0]" -> {"people", 12}; false for anything else.
bool SplitRecord(absl::string_view key, absl::string_view* collection, int* index) {
  const auto open = key.find('[');
  if (open == absl::string_view::npos) return false;
  const auto close = key.find(']', open);
  if (close == absl::string_view::npos) return false;
  *collection = key.substr(0, open);
  return absl::SimpleAtoi(key.substr(open + 1, close - open - 1), index);
}

}  // namespace

std::optional<int> ChunkIndex(absl::string_view field) {
  if (!absl::ConsumePrefix(&field, "chunks[")) return std::nullopt;
  const auto close = field.find(']');
  int index = 0;
  if (close == absl::string_view::npos || !absl::SimpleAtoi(field.substr(0, close), &index) ||
      index < 0)
    return std::nullopt;
  return index;
}

void ChunkRows::Add(int chunk, absl::string_view collection, int begin, int end) {
  if (begin < end) ranges_.push_back({chunk, std::string(collection), begin, end});
}

std::string ChunkRows::Describe(int chunk, const SourceMap& sources) const {
  std::vector<const Range*> mine;
  for (const Range& range : ranges_)
    if (range.chunk == chunk) mine.push_back(&range);
  if (mine.empty()) return "";
  // One pass over the registered records (a chunk holds thousands of them).
  std::map<std::string, std::pair<int, int>> lines;  // file -> first, last
  sources.ForEachRecord([&](absl::string_view key, const SourceRow& row) {
    absl::string_view collection;
    int index = 0;
    if (!SplitRecord(key, &collection, &index)) return;
    for (const Range* range : mine) {
      if (range->collection != collection || index < range->begin || index >= range->end)
        continue;
      auto [it, added] = lines.emplace(row.path, std::make_pair(row.line, row.line));
      if (!added) {
        it->second.first = std::min(it->second.first, row.line);
        it->second.second = std::max(it->second.second, row.line);
      }
      return;
    }
  });
  std::vector<std::string> parts;
  for (const auto& [path, range] : lines)
    parts.push_back(range.first == range.second
                        ? absl::StrCat(path, ":", range.first)
                        : absl::StrCat(path, ":", range.first, "-", range.second));
  return absl::StrJoin(parts, ", ");
}

std::optional<std::string> ChunkRows::RequestPath(int chunk, absl::string_view field) const {
  if (!absl::ConsumePrefix(&field, field_prefix_)) return std::nullopt;
  absl::string_view collection;
  int index = 0;
  if (!SplitRecord(field, &collection, &index) || index < 0) return std::nullopt;
  const absl::string_view rest = field.substr(field.find(']') + 1);
  for (const Range& range : ranges_)
    if (range.chunk == chunk && range.collection == collection &&
        index < range.end - range.begin)
      return absl::StrCat(collection, "[", range.begin + index, "]", rest);
  return std::nullopt;
}

}  // namespace council::ctl
