// method_policy.h — the gateway's deny-by-default method policy.
//
// Loaded once from a text-format council.gateway.v1.GatewayPolicy file and
// shared immutably. A method with no rule is denied; a rule for a method that
// no service of the suite has stops start-up (a typo would otherwise silently
// deny or, worse, be mistaken for a grant):
//
//   auto policy = MethodPolicy::Load("gateway/policy.textproto");
//   if (policy->Allows("/council.relations.v1.RelationsService/GetPerson", roles)) ...
//
// The policy also lists the service accounts (the HR and records
// integrations) that authenticate with a client certificate instead of a
// token; see ServiceAccountFor and gateway/service_accounts.h.
#ifndef COUNCIL_GATEWAY_METHOD_POLICY_H_
#define COUNCIL_GATEWAY_METHOD_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "council/gateway/v1/policy.pb.h"

namespace council::gateway {

class MethodPolicy {
 public:
  // Load
  //
  // Reads and validates the policy at `path`: every method must exist in the
  // suite's protos; roles must be non-empty unless unauthenticated access is
  // allowed; only the methods in UnauthenticatedMethods() may allow
  // unauthenticated access (any other writes or returns personal data); every
  // role must be one the suite gives -- "authenticated", a role of
  // council::SuiteRoles(), a designation every profile has
  // ("monitoring-officer", "head-of-paid-service") or one of `designations`
  // (the ids of the council profile's designations, when the gateway is given
  // --profile). Each service account needs a "services/{id}" name that is not one
  // of the suite's own services, a non-empty certificate identity, at least
  // one role, and only the roles in ServiceAccountRoles(); names and
  // identities are unique. Errors name the file and line, and for a service
  // account the entry (service_accounts[i]) and field.
  static absl::StatusOr<std::shared_ptr<const MethodPolicy>> Load(
      const std::string& path, const std::vector<std::string>& designations = {});
  static absl::StatusOr<std::shared_ptr<const MethodPolicy>> Parse(
      const std::string& text, const std::string& path,
      const std::vector<std::string>& designations = {});

  // Known
  //
  // Returns true if the policy has a rule for `method`.
  bool Known(absl::string_view method) const;

  // AllowsUnauthenticated
  //
  // Returns true if `method` may be called with no token.
  bool AllowsUnauthenticated(absl::string_view method) const;

  // Allows
  //
  // Returns true if any of `roles` may call `method` ("authenticated" in the
  // rule admits any verified person).
  bool Allows(absl::string_view method, const std::vector<std::string>& roles) const;

  // ServiceAccountFor
  //
  // Returns the service account whose certificate_identity is exactly
  // `identity`, or null if none is registered. The pointer lives as long as
  // the policy.
  const v1::ServiceAccount* ServiceAccountFor(absl::string_view identity) const;

  // service_account_count
  //
  // Returns how many service accounts the policy registers.
  int service_account_count() const { return static_cast<int>(accounts_.size()); }

  // UncoveredMethods
  //
  // Methods of the suite's services that the policy does not mention (they are
  // denied; start-up reports them so the omission is deliberate).
  std::vector<std::string> UncoveredMethods() const;

 private:
  absl::flat_hash_map<std::string, v1::MethodRule> rules_;
  // By certificate_identity.
  absl::flat_hash_map<std::string, v1::ServiceAccount> accounts_;
};

// ServiceAccountRoles
//
// The roles a service account may be given: the system roles for
// integrations and audit ("hr-integration", "records-integration",
// "auditor"), never "administrator" nor a person's roles.
const std::vector<std::string>& ServiceAccountRoles();

// UnauthenticatedMethods
//
// The only methods a rule may open to callers with no token: those that
// neither write nor return personal data. Kept here, in one place, with why
// each is safe (method_policy.cc); a policy that opens any other is refused.
const std::vector<std::string>& UnauthenticatedMethods();

// SuiteServices
//
// The full names of the services the gateway fronts.
const std::vector<std::string>& SuiteServices();

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_METHOD_POLICY_H_
