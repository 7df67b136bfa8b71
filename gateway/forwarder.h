// forwarder.h — the gateway's generic forwarding of every suite method.
//
// No per-method code: an async generic service receives any call as byte
// buffers, authenticates it (bearer JWT → person → roles), checks the method
// policy, signs an internal assertion for the backend and proxies the
// messages both ways, unary or streaming (gateway/proxy_call.h). Deadlines
// and cancellation propagate; the backend's status (with its google.rpc
// details) comes back unchanged.
//
// Each serving thread drives one completion queue (Serve): it receives calls,
// makes their backend calls on the same queue and answers them, so a call's
// steps never wait for another thread to wake.
#ifndef COUNCIL_GATEWAY_FORWARDER_H_
#define COUNCIL_GATEWAY_FORWARDER_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "common/auth/internal_assertion.h"
#include "common/server/server_runner.h"
#include "gateway/call_audit.h"
#include "gateway/caller_resolver.h"
#include "gateway/method_policy.h"
#include "gateway/rate_limiter.h"
#include "gateway/request_screen.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"

namespace council::gateway {

// Where each service's calls go.
struct Backends {
  // Full service name (e.g. "council.access.v1.AccessService") to channel.
  absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels;
};

// The one health method the gateway answers itself (for itself).
inline constexpr char kGatewayHealthCheck[] = "/grpc.health.v1.Health/Check";

// ServiceOfMethod
//
// "/package.Service/Method" -> "package.Service" (empty if malformed).
absl::string_view ServiceOfMethod(absl::string_view method);

class Forwarder final : public AsyncGenericDriver {
 public:
  Forwarder(std::shared_ptr<const MethodPolicy> policy, std::unique_ptr<CallerResolver> resolver,
            const Backends& backends, auth::AssertionKey key, CallAudit* audit = nullptr,
            RateLimit rate_limit = {});

  // service
  //
  // The generic service to register with the server (every method not
  // otherwise registered arrives here).
  grpc::AsyncGenericService* service() override { return &service_; }

  // Begin
  //
  // Asks for the first call on `cq` (and, on the first queue, opens the
  // directory watch). Called once per queue before Serve.
  void Begin(grpc::ServerCompletionQueue* cq) override;

  // Serve
  //
  // Receives and forwards calls on `cq` until the server has shut down and
  // `cq` is shut down and drained. Run by one thread per queue.
  void Serve(grpc::ServerCompletionQueue* cq) override;

  // WatchDirectory
  //
  // Makes the first serving queue also hold relations-service's directory
  // watch (CallerResolver::StartWatchingDirectory). Call before serving.
  void WatchDirectory() { watch_directory_ = true; }

  // SetReplyPollBudget
  //
  // How long a serving thread polls for a backend's reply before it sleeps
  // (gateway/reply_poller.h); zero, the default, never polls. Call before
  // serving.
  void SetReplyPollBudget(absl::Duration budget) { reply_poll_budget_ = budget; }

  // StopOwnOperations
  //
  // Stops the directory watch, so that the queues can drain.
  void StopOwnOperations() override;

  const MethodPolicy& policy() const { return *policy_; }
  CallerResolver& resolver() { return *resolver_; }
  const auth::AssertionKey& key() const { return key_; }
  // audit
  //
  // The call audit, or null when the gateway runs without a database.
  CallAudit* audit() { return audit_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  const RequestScreen& screen() const { return screen_; }
  // StubFor
  //
  // Returns the generic stub for `method`'s service, or null if no backend.
  grpc::GenericStub* StubFor(absl::string_view method);
  // IsUnary
  //
  // True if `method` ("/package.Service/Method") takes one request and returns
  // one response; such calls are forwarded as plain unary calls.
  bool IsUnary(absl::string_view method) const;
  // MetricsName
  //
  // `method` if it is one of the suite's (or the health check), else
  // "unknown": callers choose method names, and metrics keep one series each.
  absl::string_view MetricsName(absl::string_view method) const;

 private:
  grpc::AsyncGenericService service_;
  std::shared_ptr<const MethodPolicy> policy_;
  std::unique_ptr<CallerResolver> resolver_;
  absl::flat_hash_map<std::string, std::unique_ptr<grpc::GenericStub>> stubs_;
  absl::flat_hash_set<std::string> unary_methods_;
  absl::flat_hash_set<std::string> known_methods_;
  auth::AssertionKey key_;
  CallAudit* audit_;
  RateLimiter rate_limiter_;
  RequestScreen screen_;
  bool watch_directory_ = false;
  absl::Duration reply_poll_budget_ = absl::ZeroDuration();
  std::atomic<bool> watch_started_{false};
  // Each queue's poller: made by Begin, used by that queue's Serve thread
  // (started after Begin, so no lock is needed).
  absl::flat_hash_map<grpc::ServerCompletionQueue*, std::unique_ptr<ReplyPoller>> pollers_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_FORWARDER_H_
