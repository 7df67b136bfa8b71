// Fuzzes MethodPolicy::Parse (gateway/method_policy.h): the gateway's
// deny-by-default method policy file, and the lookups made with what it lets
// through.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "gateway/method_policy.h"

namespace {

constexpr char kGetPerson[] = "/council.relations.v1.RelationsService/GetPerson";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = council::gateway::MethodPolicy::Parse(text, "fuzz-policy.textproto");
  if (!policy.ok()) {
    FUZZ_CHECK(policy.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  const auto& p = **policy;
  // Deny by default: a method the policy does not know is never allowed.
  FUZZ_CHECK(!p.Allows("/no.such.Service/Method", {"administrator", "authenticated"}));
  FUZZ_CHECK(!p.AllowsUnauthenticated("/no.such.Service/Method"));
  if (!p.Known(kGetPerson)) FUZZ_CHECK(!p.Allows(kGetPerson, {"member", "authenticated"}));
  for (const std::string& method : p.UncoveredMethods()) FUZZ_CHECK(!p.Known(method));
  (void)p.ServiceAccountFor("CN=hr-sync");
  return 0;
}
