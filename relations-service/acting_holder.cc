#include "relations-service/acting_holder.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/field_error.h"

namespace council::relations {
namespace {

const profile::v1::Designation* FindDesignation(const profile::v1::CouncilProfile& profile,
                                                const std::string& id) {
  for (const auto& designation : profile.designations())
    if (designation.id() == id) return &designation;
  return nullptr;
}

void AddReason(v1::ActingHolder* out, const common::v1::ClauseCitation& clause,
               std::string finding) {
  auto* reason = out->add_reasons();
  *reason->mutable_citation() = clause;
  reason->set_finding(std::move(finding));
}

}  // namespace

absl::StatusOr<v1::ActingHolder> ResolveActingHolder(
    const DirectorySnapshot& directory, const profile::v1::CouncilProfile& profile,
    const std::string& designation_id, absl::CivilDay day,
    const std::vector<std::string>& exclude_related_to) {
  if (FindDesignation(profile, designation_id) == nullptr)
    return ResourceNotFoundError(
        absl::StrCat("designations/", designation_id),
        absl::StrCat("designations/", designation_id, " is not a designation of the ",
                     profile.display_name(), " profile"));
  v1::ActingHolder result;
  std::vector<std::string> passed_over;
  absl::flat_hash_set<std::string> visited;
  std::string current = designation_id;
  while (!current.empty() && visited.insert(current).second) {
    const profile::v1::Designation* designation = FindDesignation(profile, current);
    if (designation == nullptr) break;
    const std::string name = absl::StrCat("designations/", current);
    auto it = directory.designations.find(name);
    const std::string holder =
        it == directory.designations.end() ? std::string() : HolderOn(it->second.tenures(), day);
    std::string why;
    // The same facts, structured: callers record who was passed over and why
    // (complaints-service's handler.passed_over).
    v1::PassedOverHolder passed;
    passed.set_designation(name);
    passed.set_person(holder);
    if (holder.empty()) {
      why = absl::StrCat(name, " has no holder on that day");
      passed.set_reason("has no holder on that day");
    } else {
      for (const auto& excluded : exclude_related_to) {
        if (holder == excluded) {
          why = absl::StrCat(holder, " (", name, ") is a party to the matter");
          passed.set_reason("is a party to the matter");
          break;
        }
        auto related = directory.RelationshipsBetween(holder, excluded, day);
        if (!related.empty()) {
          why = absl::StrCat(holder, " (", name, ") has a declared relationship with ", excluded,
                             " (", related.front()->name(), ")");
          passed.set_reason(absl::StrCat("has a declared relationship with ", excluded));
          for (const auto* relationship : related) passed.add_relationships(relationship->name());
          break;
        }
      }
    }
    if (why.empty()) {
      result.set_person(holder);
      result.set_designation(name);
      AddReason(&result, designation->clause(),
                absl::StrCat(holder, " acts as ", designation->title().empty()
                                                      ? current
                                                      : designation->title()));
      return result;
    }
    AddReason(&result,
              holder.empty() ? designation->clause()
                             : profile.declarations().relationships_clause().clause().empty()
                                   ? designation->clause()
                                   : profile.declarations().relationships_clause(),
              absl::StrCat("passed over: ", why));
    passed_over.push_back(why);
    *result.add_passed_over() = std::move(passed);
    current = designation->deputy_designation_id();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("nobody can act as designations/", designation_id, ": ",
                   absl::StrJoin(passed_over, "; "),
                   current.empty() ? "; the profile names no further deputy" : ""));
}

}  // namespace council::relations
