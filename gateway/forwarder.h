// forwarder.h — the gateway's generic forwarding of every suite method.
//
// No per-method code: a callback generic service receives any call as byte
// buffers, authenticates it (bearer JWT → person → roles), checks the method
// policy, signs an internal assertion for the backend and proxies the
// messages both ways, unary or streaming. Deadlines and cancellation
// propagate; the backend's status (with its google.rpc details) comes back
// unchanged.
#ifndef COUNCIL_GATEWAY_FORWARDER_H_
#define COUNCIL_GATEWAY_FORWARDER_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/auth/internal_assertion.h"
#include "gateway/call_audit.h"
#include "gateway/caller_resolver.h"
#include "gateway/method_policy.h"
#include "gateway/rate_limiter.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"

namespace council::gateway {

// Where each service's calls go.
struct Backends {
  // Full service name (e.g. "council.access.v1.AccessService") to channel.
  absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels;
};

class Forwarder final : public grpc::CallbackGenericService {
 public:
  Forwarder(std::shared_ptr<const MethodPolicy> policy, std::unique_ptr<CallerResolver> resolver,
            const Backends& backends, auth::AssertionKey key, CallAudit* audit = nullptr,
            RateLimit rate_limit = {});

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

  const MethodPolicy& policy() const { return *policy_; }
  CallerResolver& resolver() { return *resolver_; }
  const auth::AssertionKey& key() const { return key_; }
  // audit
  //
  // The call audit, or null when the gateway runs without a database.
  CallAudit* audit() { return audit_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  // StubFor
  //
  // Returns the generic stub for `method`'s service, or null if no backend.
  grpc::GenericStub* StubFor(absl::string_view method);
  // IsUnary
  //
  // True if `method` ("/package.Service/Method") takes one request and returns
  // one response; such calls are forwarded as plain unary calls.
  bool IsUnary(absl::string_view method) const;

 private:
  std::shared_ptr<const MethodPolicy> policy_;
  std::unique_ptr<CallerResolver> resolver_;
  absl::flat_hash_map<std::string, std::unique_ptr<grpc::GenericStub>> stubs_;
  absl::flat_hash_set<std::string> unary_methods_;
  auth::AssertionKey key_;
  CallAudit* audit_;
  RateLimiter rate_limiter_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_FORWARDER_H_
