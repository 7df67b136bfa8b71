// method_policy.h — the gateway's deny-by-default method policy.
//
// Loaded once from a text-format council.gateway.v1.GatewayPolicy file and
// shared immutably. A method with no rule is denied; a rule for a method that
// no service of the suite has stops start-up (a typo would otherwise silently
// deny or, worse, be mistaken for a grant):
//
//   auto policy = MethodPolicy::Load("gateway/policy.textproto");
//   if (policy->Allows("/council.relations.v1.RelationsService/GetPerson", roles)) ...
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
  // allowed. Errors name the file and line.
  static absl::StatusOr<std::shared_ptr<const MethodPolicy>> Load(const std::string& path);
  static absl::StatusOr<std::shared_ptr<const MethodPolicy>> Parse(const std::string& text,
                                                                   const std::string& path);

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

  // UncoveredMethods
  //
  // Methods of the suite's services that the policy does not mention (they are
  // denied; start-up reports them so the omission is deliberate).
  std::vector<std::string> UncoveredMethods() const;

 private:
  absl::flat_hash_map<std::string, v1::MethodRule> rules_;
};

// SuiteServices
//
// The full names of the services the gateway fronts.
const std::vector<std::string>& SuiteServices();

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_METHOD_POLICY_H_
