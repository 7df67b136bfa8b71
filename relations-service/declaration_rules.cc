#include "relations-service/declaration_rules.h"

#include <string>

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

grpc::Status MayAdviseOn(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship) {
  const std::string& advice_clause = profile.declarations().advice_clause().clause();
  const std::string& clause = advice_clause.empty() ? RelationshipsClause(profile) : advice_clause;
  if (IsParty(caller, relationship))
    return Forbidden("a party to a relationship does not advise on it: the officer it was "
                     "declared to records advice",
                     clause);
  if (!IsDeclaredToOfficer(caller, profile, relationship))
    return Forbidden("only the officer the relationship was declared to records advice", clause);
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
