#include "relations-service/declaration_rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/grpc_errors.h"

namespace council::relations {
namespace {

bool IsParty(const Caller& caller, const v1::Relationship& relationship) {
  return caller.Person() == relationship.member() || caller.Person() == relationship.officer();
}

const std::string& RelationshipsClause(const profile::v1::CouncilProfile& profile) {
  return profile.declarations().relationships_clause().clause();
}

grpc::Status Forbidden(absl::string_view message, const std::string& clause) {
  return PermissionDenied(message, common::v1::ERROR_REASON_RULE_FORBIDS, {{"clause", clause}});
}

// "the holder of head-of-paid-service" (or "... or monitoring-officer"), or,
// where the profile names no designation, "the officer named in declared_to
// or the monitoring officer", between `before` and `after`.
std::string NamedRecipientText(const profile::v1::CouncilProfile& profile,
                               absl::string_view before, absl::string_view after) {
  const auto& designations = profile.declarations().relationships_declared_to_designation_ids();
  if (designations.empty())
    return absl::StrCat(before, "the officer named in declared_to or the monitoring officer",
                        after);
  return absl::StrCat(before, "the holder of ", absl::StrJoin(designations, " or "), after);
}

}  // namespace

bool ReadsAllDeclarations(const Caller& caller, const profile::v1::CouncilProfile& profile) {
  if (caller.IsService() || caller.HasRole("monitoring-officer") ||
      caller.HasRole("head-of-paid-service") || caller.HasRole("auditor"))
    return true;
  for (const auto& id : profile.declarations().relationships_declared_to_designation_ids())
    if (caller.HasRole(id)) return true;
  return false;
}

bool MayReadRelationship(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship) {
  return IsParty(caller, relationship) || ReadsAllDeclarations(caller, profile);
}

bool IsDeclaredToOfficer(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship) {
  if (!relationship.declared_to().empty() && caller.Person() == relationship.declared_to())
    return true;
  const auto& designations = profile.declarations().relationships_declared_to_designation_ids();
  for (const auto& id : designations)
    if (caller.HasRole(id)) return true;
  return designations.empty() && caller.HasRole("monitoring-officer");
}

grpc::Status MayDeclare(const Caller& caller, const profile::v1::CouncilProfile& profile,
                        const v1::Relationship& relationship) {
  if (IsParty(caller, relationship) || IsDeclaredToOfficer(caller, profile, relationship) ||
      caller.HasRole("administrator"))
    return grpc::Status::OK;
  return Forbidden(
      "only the member, the officer or the officer it is declared to may record a relationship "
      "(an administrator may load the council's existing register)",
      RelationshipsClause(profile));
}

const std::string& AdviceClause(const profile::v1::CouncilProfile& profile) {
  const std::string& advice_clause = profile.declarations().advice_clause().clause();
  return advice_clause.empty() ? RelationshipsClause(profile) : advice_clause;
}

bool IsNamedRecipient(const Caller& caller, const profile::v1::CouncilProfile& profile,
                      const v1::Relationship& relationship) {
  const auto& designations = profile.declarations().relationships_declared_to_designation_ids();
  for (const auto& id : designations)
    if (caller.HasRole(id)) return true;
  if (!designations.empty()) return false;
  return (!relationship.declared_to().empty() && caller.Person() == relationship.declared_to()) ||
         caller.HasRole("monitoring-officer");
}

grpc::Status MayAdviseOn(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship) {
  const std::string& clause = AdviceClause(profile);
  if (IsParty(caller, relationship))
    return Forbidden("a party to a relationship does not advise on it: the officer it was "
                     "declared to records advice",
                     clause);
  if (!IsNamedRecipient(caller, profile, relationship))
    return Forbidden(
        NamedRecipientText(profile, "only ", " records advice on a declared relationship"),
        clause);
  return grpc::Status::OK;
}

grpc::Status CheckAdviceDeclared(const Caller& caller, const DirectorySnapshot& directory,
                                 const profile::v1::CouncilProfile& profile,
                                 const v1::Relationship& relationship,
                                 absl::CivilDay declared_on) {
  const std::string& clause = AdviceClause(profile);
  if (relationship.advice().empty() && relationship.advice_by().empty()) return grpc::Status::OK;
  if (relationship.advice_by().empty())
    return InvalidField("relationship.advice_by",
                        "is required with advice: the officer who gave it", clause);
  if (relationship.advice().empty())
    return InvalidField("relationship.advice", "is required with advice_by", clause);
  const std::string& adviser = relationship.advice_by();
  if (directory.FindPerson(adviser) == nullptr) return NotFound(adviser);
  if (adviser == relationship.member() || adviser == relationship.officer())
    return RuleForbids(clause, adviser,
                       "a party to a relationship does not advise on it: advice_by must be the "
                       "officer it was declared to");
  const auto& designations = profile.declarations().relationships_declared_to_designation_ids();
  const std::vector<std::string> held = directory.DesignationsHeld(adviser, declared_on);
  auto holds = [&](const std::string& id) {
    return std::find(held.begin(), held.end(), id) != held.end();
  };
  bool named = std::any_of(designations.begin(), designations.end(), holds);
  if (designations.empty())
    named = adviser == relationship.declared_to() || holds("monitoring-officer");
  if (!named)
    return RuleForbids(clause, adviser,
                       absl::StrCat(adviser, " was not ",
                                    NamedRecipientText(profile, "", " on the day of declaration"),
                                    ": advice on a declaration is theirs to give"));
  if (caller.Person() != adviser && !caller.HasRole("administrator"))
    return Forbidden("advice is recorded by the officer who gave it (advice_by), or by an "
                     "administrator loading the council's existing register",
                     clause);
  return grpc::Status::OK;
}

grpc::Status MayEnd(const Caller& caller, const profile::v1::CouncilProfile& profile,
                    const v1::Relationship& relationship) {
  if (IsParty(caller, relationship) || IsDeclaredToOfficer(caller, profile, relationship))
    return grpc::Status::OK;
  return Forbidden("only the member, the officer or the officer it was declared to may record "
                   "that a relationship has ended",
                   RelationshipsClause(profile));
}

}  // namespace council::relations
