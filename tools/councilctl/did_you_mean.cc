#include "tools/councilctl/did_you_mean.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace council::ctl {

int EditDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::vector<std::string> DidYouMean(const std::string& typed,
                                    const std::vector<std::string>& known) {
  std::vector<std::pair<int, std::string>> near;
  if (typed.empty()) return {};
  for (const auto& word : known) {
    const int distance = EditDistance(typed, word);
    const int allowed = std::max<int>(2, static_cast<int>(std::max(typed.size(), word.size())) / 3);
    // A prefix ("pe" for "people") counts as near, behind every real typo.
    if (distance <= allowed)
      near.emplace_back(distance, word);
    else if (typed.size() >= 2 && absl::StartsWith(word, typed))
      near.emplace_back(allowed + 1, word);
  }
  std::sort(near.begin(), near.end());
  std::vector<std::string> out;
  for (const auto& [distance, word] : near) {
    // Only the nearest: "lst" suggests "list", not also "get".
    if (!out.empty() && distance > near.front().first) break;
    out.push_back(word);
  }
  return out;
}

std::string SuggestionSuffix(const std::vector<std::string>& suggestions,
                             const std::string& prefix) {
  if (suggestions.empty()) return "";
  std::string text = " (did you mean ";
  for (size_t i = 0; i < suggestions.size() && i < 3; ++i)
    absl::StrAppend(&text, i == 0 ? "" : " or ", "'", prefix, suggestions[i], "'");
  return text + "?)";
}

}  // namespace council::ctl
