#include "relations-service/system_roles.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/grpc_errors.h"

namespace council::relations {
namespace {

constexpr char kAdministrator[] = "administrator";

using RoleSet = std::set<std::string>;

RoleSet RolesIn(const v1::Person& person) {
  return RoleSet(person.system_roles().begin(), person.system_roles().end());
}

RoleSet Minus(const RoleSet& a, const RoleSet& b) {
  RoleSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

bool IsAdministrator(const Caller& caller) { return caller.HasRole(kAdministrator); }

bool ActiveAdministrator(const v1::Person& person, absl::CivilDay today) {
  return InForce(&person.start_date(), person.has_end_date() ? &person.end_date() : nullptr,
                 today) &&
         RolesIn(person).count(kAdministrator) > 0;
}

void Note(const Caller& caller, const std::string& person, const RoleSet& roles, bool granted,
          std::vector<AuditNoteAbout>* notes) {
  for (const auto& role : roles)
    notes->push_back(
        {person, {caller.Person(), granted ? "GrantSystemRole" : "WithdrawSystemRole", role}});
}

}  // namespace

int ActiveAdministrators(const DirectorySnapshot& directory,
                         const google::protobuf::RepeatedPtrField<v1::Person>& replacing,
                         absl::CivilDay today) {
  absl::flat_hash_map<std::string, const v1::Person*> written;
  for (const auto& person : replacing) written[person.name()] = &person;
  int count = 0;
  for (const auto& [name, person] : directory.people)
    if (!written.contains(name) && ActiveAdministrator(person, today)) ++count;
  for (const auto& [name, person] : written)
    if (ActiveAdministrator(*person, today)) ++count;
  return count;
}

grpc::Status ReviewImportedPeople(const Caller& caller, const DirectorySnapshot& directory,
                                  absl::CivilDay today,
                                  google::protobuf::RepeatedPtrField<v1::Person>* people,
                                  std::vector<AuditNoteAbout>* notes) {
  const bool administrator = IsAdministrator(caller);
  FieldViolationList violations;
  std::vector<AuditNoteAbout> changes;
  for (int i = 0; i < people->size(); ++i) {
    v1::Person& row = *people->Mutable(i);
    const v1::Person* stored = directory.FindPerson(row.name());
    const RoleSet before = stored != nullptr ? RolesIn(*stored) : RoleSet();
    RoleSet after = RolesIn(row);
    // Not HR's data: a row without system roles keeps the stored ones.
    if (!administrator && after.empty()) after = before;
    if (after == before) {
      // Unchanged (in any order, duplicates aside): keep the stored list as
      // it is, so the row is not counted as an update for its order.
      if (stored != nullptr) {
        *row.mutable_system_roles() = stored->system_roles();
      } else {
        row.clear_system_roles();
      }
      continue;
    }
    const RoleSet granted = Minus(after, before), withdrawn = Minus(before, after);
    if (!administrator) {
      std::vector<std::string> would;
      if (!granted.empty()) would.push_back(absl::StrCat("grant ", absl::StrJoin(granted, ", ")));
      if (!withdrawn.empty())
        would.push_back(absl::StrCat("withdraw ", absl::StrJoin(withdrawn, ", ")));
      violations.Add(FieldViolation{
          absl::StrCat("people[", i, "].system_roles"),
          absl::StrCat("would ", absl::StrJoin(would, " and "), " for ", row.name(),
                       ": only an administrator grants or withdraws system roles (leave the "
                       "column empty to keep the person's roles)"),
          kSystemRolesRule});
      continue;
    }
    row.clear_system_roles();
    for (const auto& role : after) row.add_system_roles(role);
    Note(caller, row.name(), granted, true, &changes);
    Note(caller, row.name(), withdrawn, false, &changes);
  }
  if (!violations.empty()) return violations.ToStatus();
  // The last administrator in post stays (someone must be able to grant).
  if (ActiveAdministrators(directory, *people, today) == 0 &&
      ActiveAdministrators(directory, {}, today) > 0) {
    std::string subject;
    for (const auto& row : *people) {
      const v1::Person* stored = directory.FindPerson(row.name());
      if (stored != nullptr && ActiveAdministrator(*stored, today)) subject = row.name();
    }
    return RuleForbids(kSystemRolesRule, subject,
                       absl::StrCat(subject,
                                    " is the last administrator in post: grant the "
                                    "administrator role to someone else first"));
  }
  notes->insert(notes->end(), changes.begin(), changes.end());
  return grpc::Status::OK;
}

grpc::Status ReviewNewPerson(const Caller& caller, const v1::Person& person,
                             std::vector<AuditNoteAbout>* notes) {
  const RoleSet roles = RolesIn(person);
  if (roles.empty()) return grpc::Status::OK;
  if (!IsAdministrator(caller))
    return PermissionDenied(
        absl::StrCat("person.system_roles: only an administrator grants system roles (",
                     absl::StrJoin(roles, ", "), "); create the person without them"),
        common::v1::ERROR_REASON_RULE_FORBIDS,
        {{"field", "person.system_roles"}, {"clause", kSystemRolesRule}});
  Note(caller, person.name(), roles, true, notes);
  return grpc::Status::OK;
}

}  // namespace council::relations
