#include "gateway/forwarder.h"

#include <atomic>

#include "grpcpp/channel.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "common/server/log.h"
#include "gateway/service_accounts.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace council::gateway {
namespace {

using grpc::ByteBuffer;

absl::string_view ServiceOf(absl::string_view method) {
  // "/package.Service/Method" -> "package.Service"
  if (method.size() < 2 || method[0] != '/') return {};
  auto slash = method.find('/', 1);
  return slash == absl::string_view::npos ? absl::string_view() : method.substr(1, slash - 1);
}

grpc::Status RateLimited(const std::string& person, const RateLimit& limit) {
  google::rpc::ErrorInfo info;
  info.set_reason(common::v1::ErrorReason_Name(common::v1::ERROR_REASON_RATE_LIMITED));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["caller"] = person;
  (*info.mutable_metadata())["per_second"] = absl::StrCat(limit.per_second);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(std::min(1e9 - 1, 1e9 / std::max(limit.per_second, 1.0))));
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  status.set_message(absl::StrCat(person, " is calling faster than the gateway allows (",
                                  limit.per_second, " calls/s, burst ", limit.burst, ")"));
  status.add_details()->PackFrom(info);
  status.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, status.message(),
                      status.SerializeAsString());
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnauthenticated)
    return Unauthenticated(status.message());
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

// One proxied call: the server side faces the caller, the client side the
// backend. It deletes itself when both sides are done.
//
// Flow control: one message in flight each way. Server read -> client write
// -> next server read; client read -> server write -> next client read. Client
// operations started from server-side callbacks are covered by two holds (the
// write flow and the read flow), as gRPC requires for operations issued
// outside the client's own reactions.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(Forwarder* forwarder, grpc::GenericCallbackServerContext* context)
      : forwarder_(forwarder), context_(context), start_(absl::Now()) {
    Begin();
  }

  void OnReadDone(bool ok) override {
    if (unary_) {
      ForwardUnary(ok);
      return;
    }
    if (ok) {
      client_.StartWrite(&request_);
      return;
    }
    // The caller half-closed (or went away): no more writes to the backend.
    client_.StartWritesDone();
    client_.RemoveHold();
  }

  void OnWriteDone(bool ok) override {
    if (ok) {
      client_.StartRead(&response_);
      return;
    }
    // The caller went away: stop the backend and end the read flow.
    backend_context_->TryCancel();
    client_.RemoveHold();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    if (backend_context_ != nullptr) backend_context_->TryCancel();
  }

  void OnDone() override { Release(); }

 private:
  class ClientSide final : public grpc::ClientBidiReactor<ByteBuffer, ByteBuffer> {
   public:
    explicit ClientSide(ProxyCall* call) : call_(call) {}
    void OnWriteDone(bool ok) override {
      if (ok) {
        call_->StartRead(&call_->request_);
      } else {
        RemoveHold();  // the backend stopped taking messages: end the write flow
      }
    }
    void OnReadDone(bool ok) override {
      if (ok) {
        // The next client read is started from the server side's OnWriteDone,
        // under the read-flow hold.
        call_->StartWrite(&call_->response_);
      } else {
        RemoveHold();  // the backend has sent its last message: end the read flow
      }
    }
    void OnDone(const grpc::Status& status) override { call_->BackendDone(status); }

   private:
    ProxyCall* call_;
  };

  void Begin() {
    method_ = context_->method();
    const auto& metadata = context_->client_metadata();
    auto auth = metadata.find("authorization");
    if (auth == metadata.end()) {
      if (forwarder_->policy().AllowsUnauthenticated(method_)) {
        Forward(ResolvedCaller{"anonymous", {}});
        return;
      }
      // No token: a service account's verified client certificate (mTLS)?
      // A token, when sent, always decides instead (below).
      if (auto account =
              ServiceAccountCaller(context_->auth_context().get(), forwarder_->policy())) {
        if (account->ok()) {
          Authorize(**account);
        } else {
          Deny(ToGrpc(account->status()));
        }
        return;
      }
      Deny(Unauthenticated("no credentials: send \"authorization: Bearer <token>\""));
      return;
    }
    absl::string_view value(auth->second.data(), auth->second.size());
    if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
      Deny(Unauthenticated("authorization must be \"Bearer <token>\""));
      return;
    }
    forwarder_->resolver().Resolve(value, [this](absl::StatusOr<ResolvedCaller> caller) {
      if (!caller.ok()) {
        Deny(ToGrpc(caller.status()));
        return;
      }
      Authorize(*caller);
    });
  }

  void Authorize(const ResolvedCaller& caller) {
    caller_ = caller.person;
    if (!forwarder_->rate_limiter().Allow(caller.person, absl::Now())) {
      Deny(RateLimited(caller.person, forwarder_->rate_limiter().limit()));
      return;
    }
    if (!forwarder_->policy().Allows(method_, caller.roles)) {
      const std::string roles = absl::StrJoin(caller.roles, ",");
      Deny(PermissionDenied(
          absl::StrCat("the gateway policy does not allow ", caller.person, " (roles: ",
                       roles.empty() ? "none" : roles, ") to call ", method_),
          common::v1::ERROR_REASON_METHOD_NOT_ALLOWED,
          {{"method", method_}, {"roles", roles}, {"caller", caller.person}}));
      return;
    }
    Forward(caller);
  }

  void Forward(const ResolvedCaller& caller) {
    caller_ = caller.person;
    grpc::GenericStub* stub = forwarder_->StubFor(method_);
    if (stub == nullptr) {
      Deny(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        absl::StrCat("no backend serves ", ServiceOf(method_))));
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      // Propagates the caller's deadline and cancellation to the backend.
      backend_context_ = grpc::ClientContext::FromCallbackServerContext(*context_);
    }
    SignCall(backend_context_.get(), forwarder_->key(), caller.person, caller.roles, "", method_);
    stub_ = stub;
    if (forwarder_->IsUnary(method_)) {
      // Most of the suite's methods: read the one request, then make a plain
      // unary call to the backend (cheaper than a proxied stream on both hops).
      unary_ = true;
      StartRead(&request_);
      return;
    }
    refs_.store(2);
    stub->PrepareBidiStreamingCall(backend_context_.get(), method_, grpc::StubOptions(), &client_);
    client_.AddMultipleHolds(2);  // write flow + read flow, see the class comment
    client_.StartRead(&response_);
    client_.StartCall();
    StartRead(&request_);
  }

  // The unary path: the caller's one request has arrived (or the caller
  // half-closed without one).
  void ForwardUnary(bool got_request) {
    if (!got_request) {
      // As gRPC's own unary handlers answer a call with no request message.
      const grpc::Status status(grpc::StatusCode::INTERNAL,
                                "the call ended before its request message arrived");
      Log(status);
      Finish(status);
      return;
    }
    stub_->UnaryCall(backend_context_.get(), method_, grpc::StubOptions(), &request_, &response_,
                     [this](grpc::Status status) {
                       Log(status);
                       if (status.ok()) {
                         StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
                       } else {
                         Finish(status);
                       }
                     });
  }

  void Deny(const grpc::Status& status) {
    Log(status);
    Finish(status);
  }

  void BackendDone(const grpc::Status& status) {
    Log(status);
    Finish(status);
    Release();
  }

  void Log(const grpc::Status& status) {
    const absl::Time now = absl::Now();
    const int64_t micros = absl::ToInt64Microseconds(now - start_);
    const bool allowed = backend_context_ != nullptr;
    if (CallAudit* audit = forwarder_->audit())
      audit->Record({caller_, method_, allowed, status.error_code(), micros, now});
    if (!allowed || !status.ok())
      LogInfo("call", {{"method", method_},
                       {"caller", caller_},
                       {"allowed", allowed ? "true" : "false"},
                       {"code", std::to_string(status.error_code())},
                       {"micros", std::to_string(micros)}});
  }

  void Release() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

  Forwarder* forwarder_;
  grpc::GenericCallbackServerContext* context_;
  absl::Time start_;
  std::string method_;
  std::string caller_ = "unauthenticated";
  absl::Mutex mu_;
  std::unique_ptr<grpc::ClientContext> backend_context_;
  grpc::GenericStub* stub_ = nullptr;
  // Set before the first read when the method has one request and one response.
  bool unary_ = false;
  ClientSide client_{this};
  ByteBuffer request_;
  ByteBuffer response_;
  // 1 until a backend call starts (server side only), then 2.
  std::atomic<int> refs_{1};
};

}  // namespace

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
  for (const std::string& service_name : SuiteServices()) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      if (!method->client_streaming() && !method->server_streaming())
        unary_methods_.insert(FullMethodName(service_name, method->name()));
    }
  }
}

bool Forwarder::IsUnary(absl::string_view method) const {
  return unary_methods_.contains(method);
}

grpc::GenericStub* Forwarder::StubFor(absl::string_view method) {
  auto it = stubs_.find(ServiceOf(method));
  return it == stubs_.end() ? nullptr : it->second.get();
}

grpc::ServerGenericBidiReactor* Forwarder::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(this, context);
}

}  // namespace council::gateway
