#include "relations-service/structure_checks.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/util/resource_names.h"

namespace council::relations {
namespace {

// Each record's link to the one above it (post -> reports_to, body -> parent).
using Links = absl::flat_hash_map<std::string, std::string>;

// The cycles of `up` that pass through any of `starts`: for each such start,
// the index of its cycle in `cycles` (each cycle in link order).
struct Cycles {
  std::vector<std::vector<std::string>> cycles;
  absl::flat_hash_map<std::string, size_t> cycle_of;
};

// Follows the links from each start until a record with no link, one already
// explored, or one on the current walk (a cycle). Each record is walked once,
// so a long chain costs its length, not its square.
Cycles FindCycles(const Links& up, const std::vector<std::string>& starts) {
  enum State { kOnWalk, kDone };
  absl::flat_hash_map<std::string, State> state;
  Cycles found;
  for (const std::string& start : starts) {
    std::vector<const std::string*> walk;
    const std::string* current = &start;
    while (!state.contains(*current)) {
      state[*current] = kOnWalk;
      walk.push_back(current);
      auto it = up.find(*current);
      if (it == up.end() || it->second.empty()) {
        current = nullptr;
        break;
      }
      current = &it->second;
    }
    if (current != nullptr && state[*current] == kOnWalk) {
      // The walk came back to `current`: the cycle is the walk from it on.
      auto first = std::find_if(walk.begin(), walk.end(),
                                [&](const std::string* name) { return *name == *current; });
      std::vector<std::string> cycle;
      for (auto it = first; it != walk.end(); ++it) {
        found.cycle_of[**it] = found.cycles.size();
        cycle.push_back(**it);
      }
      found.cycles.push_back(std::move(cycle));
    }
    for (const std::string* name : walk) state[*name] = kDone;
  }
  return found;
}

// "posts/a -> posts/b -> posts/a" from `name` round its cycle; a long cycle
// is cut short, so the message stays small whatever the import.
std::string DescribeCycle(const std::vector<std::string>& cycle, const std::string& name,
                          absl::string_view noun) {
  constexpr size_t kShown = 4;
  const size_t from = std::find(cycle.begin(), cycle.end(), name) - cycle.begin();
  std::vector<std::string> shown;
  for (size_t k = 0; k < cycle.size() && k < kShown; ++k)
    shown.push_back(cycle[(from + k) % cycle.size()]);
  if (cycle.size() <= kShown) {
    shown.push_back(name);
    return absl::StrJoin(shown, " -> ");
  }
  return absl::StrCat(absl::StrJoin(shown, " -> "), " -> ... (", cycle.size(), " ", noun,
                      " in the cycle)");
}

// The days a tenure covers, or nullopt if its dates are not valid (it is
// refused on its own account).
struct Days {
  absl::CivilDay first;
  std::optional<absl::CivilDay> last;  // none while current
};

std::optional<Days> DaysOf(const v1::Tenure& tenure) {
  if (!tenure.has_start_date()) return std::nullopt;
  auto first = ToCivilDay(tenure.start_date(), "start_date");
  if (!first.ok()) return std::nullopt;
  Days days{*first, std::nullopt};
  if (tenure.has_end_date()) {
    auto last = ToCivilDay(tenure.end_date(), "end_date");
    if (!last.ok() || *last < *first) return std::nullopt;
    days.last = *last;
  }
  return days;
}

// Whether `a` ends on or after the day `b` starts (for b starting no earlier).
bool Reaches(const Days& a, const Days& b) { return !a.last || *a.last >= b.first; }

// Whether `a` ends later than `b` (a current tenure ends last).
bool EndsLater(const Days& a, const Days& b) {
  if (!b.last) return false;
  return !a.last || *a.last > *b.last;
}

}  // namespace

void CheckReportingLines(const DirectorySnapshot& directory,
                         const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                         FieldViolationList* violations) {
  Links up;
  for (const auto& [name, post] : directory.posts) up[name] = post.reports_to();
  std::vector<std::string> starts;
  for (int i = 0; i < request.posts_size(); ++i) {
    if (!ok[i]) continue;
    up[request.posts(i).name()] = request.posts(i).reports_to();
    starts.push_back(request.posts(i).name());
  }
  const Cycles found = FindCycles(up, starts);
  for (int i = 0; i < request.posts_size(); ++i) {
    if (!ok[i]) continue;
    auto it = found.cycle_of.find(request.posts(i).name());
    if (it == found.cycle_of.end()) continue;
    violations->Add({absl::StrCat("posts[", i, "].reports_to"),
                     absl::StrCat("is part of a reporting cycle: ",
                                  DescribeCycle(found.cycles[it->second], request.posts(i).name(),
                                                "posts")),
                     "a reporting line leads up to the head of paid service, never back"});
  }
}

void CheckBodyNesting(const DirectorySnapshot& directory,
                      const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                      FieldViolationList* violations) {
  Links up;
  for (const auto& [name, body] : directory.bodies) up[name] = body.parent();
  std::vector<std::string> starts;
  for (int i = 0; i < request.bodies_size(); ++i) {
    if (!ok[i]) continue;
    up[request.bodies(i).name()] = request.bodies(i).parent();
    starts.push_back(request.bodies(i).name());
  }
  const Cycles found = FindCycles(up, starts);
  for (int i = 0; i < request.bodies_size(); ++i) {
    if (!ok[i]) continue;
    auto it = found.cycle_of.find(request.bodies(i).name());
    if (it == found.cycle_of.end()) continue;
    violations->Add({absl::StrCat("bodies[", i, "].parent"),
                     absl::StrCat("would put the body inside itself: ",
                                  DescribeCycle(found.cycles[it->second], request.bodies(i).name(),
                                                "bodies")),
                     "a body is never its own parent or ancestor"});
  }
}

void CheckOnePostAtATime(const DirectorySnapshot& directory,
                         const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                         FieldViolationList* violations) {
  // One entry per tenure: in the import (post_index >= 0) or only in the
  // directory (a stored post the import does not replace).
  struct Held {
    const std::string* post;
    Days days;
    int post_index;
    int tenure_index;
  };
  absl::flat_hash_map<std::string, std::vector<Held>> by_person;
  absl::flat_hash_map<std::string, int> imported;
  for (int i = 0; i < request.posts_size(); ++i)
    if (ok[i]) imported[request.posts(i).name()] = i;
  for (const auto& [name, post] : directory.posts) {
    if (imported.contains(name)) continue;
    for (const auto& tenure : post.tenures())
      if (auto days = DaysOf(tenure)) by_person[tenure.person()].push_back({&name, *days, -1, -1});
  }
  bool any = false;
  for (const auto& [name, i] : imported) {
    const auto& tenures = request.posts(i).tenures();
    for (int j = 0; j < tenures.size(); ++j)
      if (auto days = DaysOf(tenures[j]); days && ParseName(tenures[j].person(), "people").ok()) {
        by_person[tenures[j].person()].push_back({&request.posts(i).name(), *days, i, j});
        any = true;
      }
  }
  if (!any) return;

  // Per person, in order of start: a tenure overlaps an earlier one exactly
  // when it starts before the latest-ending earlier one has ended. Each pair
  // found names both sides that the import brings.
  struct Clash {
    int post_index, tenure_index;
    std::string person, other_post;
    absl::CivilDay from;
  };
  std::vector<Clash> clashes;
  for (auto& [person, held] : by_person) {
    if (held.size() < 2) continue;
    std::sort(held.begin(), held.end(), [](const Held& a, const Held& b) {
      return std::tie(a.days.first, a.post_index, a.tenure_index) <
             std::tie(b.days.first, b.post_index, b.tenure_index);
    });
    std::vector<bool> named(held.size(), false);
    size_t latest = 0;
    for (size_t k = 1; k < held.size(); ++k) {
      const Held& earlier = held[latest];
      if (*earlier.post != *held[k].post && Reaches(earlier.days, held[k].days)) {
        const absl::CivilDay from = held[k].days.first;
        for (const auto& [mine, theirs] : {std::pair<size_t, size_t>{k, latest}, {latest, k}}) {
          if (held[mine].post_index < 0 || named[mine]) continue;
          named[mine] = true;
          clashes.push_back({held[mine].post_index, held[mine].tenure_index, person,
                             *held[theirs].post, from});
        }
      }
      if (EndsLater(held[k].days, held[latest].days)) latest = k;
    }
  }
  // In request order, as the other violations are.
  std::sort(clashes.begin(), clashes.end(), [](const Clash& a, const Clash& b) {
    return std::tie(a.post_index, a.tenure_index) < std::tie(b.post_index, b.tenure_index);
  });
  for (const Clash& clash : clashes)
    violations->Add({absl::StrCat("posts[", clash.post_index, "].tenures[", clash.tenure_index,
                                  "].person"),
                     absl::StrCat(clash.person, " also holds ", clash.other_post, " on ",
                                  absl::FormatCivilTime(clash.from)),
                     "a person holds one post at a time"});
}

}  // namespace council::relations
