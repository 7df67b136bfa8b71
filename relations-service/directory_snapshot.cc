#include "relations-service/directory_snapshot.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace council::relations {
namespace {

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

}  // namespace

bool InForce(const common::v1::Date* start, const common::v1::Date* end, absl::CivilDay day) {
  if (start != nullptr && start->year() != 0 && day < Day(*start)) return false;
  if (end != nullptr && end->year() != 0 && day > Day(*end)) return false;
  return true;
}

std::string HolderOn(const google::protobuf::RepeatedPtrField<v1::Tenure>& tenures,
                     absl::CivilDay day) {
  for (const auto& tenure : tenures)
    if (InForce(&tenure.start_date(), &tenure.end_date(), day)) return tenure.person();
  return {};
}

void DirectorySnapshot::Index(const std::vector<v1::Membership>& memberships) {
  for (const auto& membership : memberships)
    memberships_by_person[membership.person()].push_back(membership);
  for (const auto& [name, relationship] : relationships) {
    relationships_by_person[relationship.member()].push_back(name);
    relationships_by_person[relationship.officer()].push_back(name);
  }
  for (const auto& [name, interest] : interests) {
    // "people/{p}/interests/{i}" -> "people/{p}"
    const auto cut = name.find("/interests/");
    interests_by_person[name.substr(0, cut)].push_back(name);
  }
  for (const auto& [name, person] : people)
    if (!person.ward().empty()) members_by_ward[person.ward()].push_back(name);
  for (const auto& [name, post] : posts)
    for (const auto& tenure : post.tenures()) posts_by_person[tenure.person()].push_back(name);
}

const v1::Person* DirectorySnapshot::FindPerson(absl::string_view name) const {
  auto it = people.find(name);
  return it == people.end() ? nullptr : &it->second;
}

const v1::Post* DirectorySnapshot::PostOf(absl::string_view person, absl::CivilDay day) const {
  auto it = posts_by_person.find(person);
  if (it == posts_by_person.end()) return nullptr;
  for (const auto& post_name : it->second) {
    const v1::Post& post = posts.at(post_name);
    if (HolderOn(post.tenures(), day) == person) return &post;
  }
  return nullptr;
}

std::vector<const v1::Relationship*> DirectorySnapshot::RelationshipsBetween(
    absl::string_view a, absl::string_view b, absl::CivilDay day) const {
  std::vector<const v1::Relationship*> found;
  // A relationship applies from its declaration (or earlier: the declaration
  // records a fact, not its start) until its end date.
  for (const v1::Relationship* r : DeclaredBetween(a, b))
    if (InForce(nullptr, &r->end_date(), day)) found.push_back(r);
  return found;
}

std::vector<const v1::Relationship*> DirectorySnapshot::DeclaredBetween(absl::string_view a,
                                                                        absl::string_view b) const {
  std::vector<const v1::Relationship*> found;
  auto it = relationships_by_person.find(a);
  if (it == relationships_by_person.end()) return found;
  for (const auto& name : it->second) {
    const v1::Relationship& r = relationships.at(name);
    if ((r.member() == a && r.officer() == b) || (r.member() == b && r.officer() == a))
      found.push_back(&r);
  }
  std::sort(found.begin(), found.end(),
            [](const auto* x, const auto* y) { return x->name() < y->name(); });
  return found;
}

std::vector<std::string> DirectorySnapshot::DesignationsHeld(absl::string_view person,
                                                             absl::CivilDay day) const {
  std::vector<std::string> held;
  for (const auto& [name, designation] : designations)
    if (HolderOn(designation.tenures(), day) == person)
      held.push_back(name.substr(sizeof("designations/") - 1));
  return held;
}

}  // namespace council::relations
