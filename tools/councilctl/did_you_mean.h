// did_you_mean.h — the nearest known word to a mistyped one, for "unknown
// command 'pepole' (did you mean 'people'?)".
//
//   std::vector<std::string> near = DidYouMean("pagesize", {"page-size", "page-token"});
#ifndef COUNCIL_TOOLS_COUNCILCTL_DID_YOU_MEAN_H_
#define COUNCIL_TOOLS_COUNCILCTL_DID_YOU_MEAN_H_

#include <string>
#include <vector>

namespace council::ctl {

// EditDistance
//
// The fewest single-character insertions, deletions, substitutions and
// swaps of neighbours that turn `a` into `b` (optimal string alignment).
int EditDistance(const std::string& a, const std::string& b);

// DidYouMean
//
// The `known` words nearest to `typed`, nearest first: within an edit
// distance of a third of the longer word (at least 2), or that `typed` is a
// prefix of. Empty when nothing is near enough to be a likely typo.
std::vector<std::string> DidYouMean(const std::string& typed, const std::vector<std::string>& known);

// SuggestionSuffix
//
// " (did you mean 'x'?)", " (did you mean 'x' or 'y'?)", or "" for none.
std::string SuggestionSuffix(const std::vector<std::string>& suggestions,
                             const std::string& prefix = "");

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_DID_YOU_MEAN_H_
