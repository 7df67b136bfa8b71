#include "gateway/forwarder.h"

#include "common/server/caller.h"
#include "common/server/log.h"
#include "grpcpp/channel.h"
#include "gateway/completion_tag.h"
#include "gateway/proxy_call.h"
#include "google/protobuf/descriptor.h"

namespace council::gateway {

absl::string_view ServiceOfMethod(absl::string_view method) {
  if (method.size() < 2 || method[0] != '/') return {};
  auto slash = method.find('/', 1);
  return slash == absl::string_view::npos ? absl::string_view() : method.substr(1, slash - 1);
}

Forwarder::Forwarder(std::shared_ptr<const MethodPolicy> policy,
                     std::unique_ptr<CallerResolver> resolver, const Backends& backends,
                     auth::AssertionKey key, CallAudit* audit, RateLimit rate_limit)
    : policy_(std::move(policy)),
      resolver_(std::move(resolver)),
      key_(std::move(key)),
      audit_(audit),
      rate_limiter_(rate_limit) {
  for (const auto& [service, channel] : backends.channels)
    stubs_[service] = std::make_unique<grpc::GenericStub>(channel);
  known_methods_.insert(kGatewayHealthCheck);  // not in the generated pool
  for (const std::string& service_name : SuiteServices()) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      const std::string name = FullMethodName(service_name, method->name());
      known_methods_.insert(name);
      if (!method->client_streaming() && !method->server_streaming()) unary_methods_.insert(name);
    }
  }
}

bool Forwarder::IsUnary(absl::string_view method) const {
  return unary_methods_.contains(method);
}

absl::string_view Forwarder::MetricsName(absl::string_view method) const {
  return known_methods_.contains(method) ? method : "unknown";
}

grpc::GenericStub* Forwarder::StubFor(absl::string_view method) {
  auto it = stubs_.find(ServiceOfMethod(method));
  return it == stubs_.end() ? nullptr : it->second.get();
}

void Forwarder::Begin(grpc::ServerCompletionQueue* cq) {
  if (watch_directory_ && !watch_started_.exchange(true)) resolver_->StartWatchingDirectory(cq);
  auto& poller = pollers_[cq];
  poller = std::make_unique<ReplyPoller>(reply_poll_budget_);
  ProxyCall::Accept(this, cq, poller.get());
}

void Forwarder::Serve(grpc::ServerCompletionQueue* cq) {
  ReplyPoller& poller = *pollers_.at(cq);
  DrainCompletionQueue(cq, &poller);
  // For tuning --reply_poll_us: whether polling paid on this host's traffic.
  LogInfo("reply_polls", {{"caught", std::to_string(poller.polls_caught())},
                          {"missed", std::to_string(poller.polls_missed())}});
}

void Forwarder::StopOwnOperations() {
  if (watch_started_.load()) resolver_->StopWatchingDirectory();
}

}  // namespace council::gateway
