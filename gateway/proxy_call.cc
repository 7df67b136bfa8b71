#include "gateway/proxy_call.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/errors/bounded_status.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "common/server/log.h"
#include "common/server/metrics.h"
#include "common/server/server_runner.h"
#include "gateway/backend_status.h"
#include "gateway/forwarder.h"
#include "gateway/service_accounts.h"
#include "google/rpc/error_details.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "google/rpc/status.pb.h"

namespace council::gateway {
namespace {

grpc::Status RateLimited(const std::string& person, const RateLimit& limit) {
  // One token's worth of time, under a second.
  const absl::Duration retry_delay = absl::Nanoseconds(
      static_cast<int64_t>(std::min(1e9 - 1, 1e9 / std::max(limit.per_second, 1.0))));
  return FromAbsl(
      WithReason(absl::ResourceExhaustedError(
                     absl::StrCat(person, " is calling faster than the gateway allows (",
                                  limit.per_second, " calls/s, burst ", limit.burst, ")")),
                 common::v1::ERROR_REASON_RATE_LIMITED,
                 {{"caller", person}, {"per_second", absl::StrCat(limit.per_second)}},
                 retry_delay),
      "rate limit");
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnauthenticated)
    return Unauthenticated(status.message());
  // Only relations-service is asked anything before a call is forwarded.
  if (status.code() == absl::StatusCode::kUnavailable)
    return BackendUnavailable(relations::v1::RelationsService::service_full_name());
  return FromAbsl(status, "resolving the caller");
}

constexpr char kHealthService[] = "grpc.health.v1.Health";

// The service name in a grpc.health.v1.HealthCheckRequest (field 1), or
// nullopt if `request` is not one.
std::optional<std::string> HealthCheckService(const grpc::ByteBuffer& request) {
  std::vector<grpc::Slice> slices;
  if (!request.Dump(&slices).ok()) return std::nullopt;
  std::string bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  std::string service;
  while (uint32_t tag = in.ReadTag()) {
    if (tag == (1 << 3 | 2)) {  // service, length-delimited
      uint32_t length = 0;
      if (!in.ReadVarint32(&length) || !in.ReadString(&service, static_cast<int>(length)))
        return std::nullopt;
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
  return service;
}

}  // namespace

void ProxyCall::Accept(Forwarder* forwarder, grpc::ServerCompletionQueue* cq,
                       ReplyPoller* poller) {
  auto* call = new ProxyCall(forwarder, cq, poller);
  // The done tag is only delivered for a call that arrives, so it is counted
  // as pending then (kAccepted), not here.
  call->context_.AsyncNotifyWhenDone(&call->events_[kDone]);
  forwarder->service()->RequestCall(&call->context_, &call->stream_, cq, cq, call->Tag(kAccepted));
}

ProxyCall::ProxyCall(Forwarder* forwarder, grpc::ServerCompletionQueue* cq,
                     ReplyPoller* poller)
    : forwarder_(forwarder), cq_(cq), poller_(poller) {
  for (int op = 0; op < kOpCount; ++op) {
    events_[op].call = this;
    events_[op].op = op;
  }
}

void* ProxyCall::Tag(Op op) {
  ++pending_;
  return &events_[op];
}

void ProxyCall::OnEvent(int op, bool ok) {
  --pending_;
  Handle(static_cast<Op>(op), ok);
  if (pending_ == 0) delete this;
}

void ProxyCall::Handle(Op op, bool ok) {
  switch (op) {
    case kAccepted:
      if (!ok) return;  // the server is stopping: no call, and no more to ask for
      Accept(forwarder_, cq_, poller_);
      ++pending_;  // kDone now will come
      start_ = absl::Now();
      method_ = context_.method();
      Begin();
      return;
    case kDone:
      // The caller cancelled (or the deadline passed): so does the backend
      // call. (A child context also propagates this inside gRPC; this makes
      // it immediate.)
      if (context_.IsCancelled() && backend_context_ != nullptr) backend_context_->TryCancel();
      return;
    case kResolved:
      OnResolved();
      return;
    case kServerFinish:
      return;
    case kServerRead:
      if (unary_) {
        if (!ok) {
          // As gRPC's own unary handlers answer a call with no request message.
          const grpc::Status status = FromAbsl(
              WithReason(absl::InternalError(
                             "the call ended before its request message arrived"),
                         common::v1::ERROR_REASON_MALFORMED_REQUEST, {{"message", "0"}}),
              method_);
          Log(status);
          AnswerCaller(status, /*with_response=*/false);
          return;
        }
        if (health_check_) {
          AnswerHealthCheck();
          return;
        }
        if (grpc::Status screened = forwarder_->screen().Screen(method_, &request_, 0);
            !screened.ok()) {
          Deny(screened);
          return;
        }
        CallBackendUnary();
        return;
      }
      OnStreamEvent(op, ok);
      return;
    case kClientFinish:
      if (unary_) {
        poller_->ReplyArrived();
        Log(backend_status_);
        AnswerCaller(StatusForCaller(backend_status_, ServiceOfMethod(method_)),
                     /*with_response=*/backend_status_.ok());
        return;
      }
      OnStreamEvent(op, ok);
      return;
    default:
      OnStreamEvent(op, ok);
      return;
  }
}

// --- Who is calling, and may they? ---------------------------------------------

void ProxyCall::Begin() {
  const auto& metadata = context_.client_metadata();
  auto auth = metadata.find("authorization");
  if (auth == metadata.end()) {
    if (forwarder_->policy().AllowsUnauthenticated(method_)) {
      Forward(ResolvedCaller{"anonymous", {}});
      return;
    }
    // No token: a service account's verified client certificate (mTLS)?
    // A token, when sent, always decides instead (below).
    if (auto account = ServiceAccountCaller(context_.auth_context().get(), forwarder_->policy())) {
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
  // A cached token resolves before Resolve returns; a lookup at
  // relations-service is made on this call's queue and resolves on this
  // thread later. Either way it comes back as the kResolved event.
  Tag(kResolved);
  forwarder_->resolver().Resolve(value, cq_, [this](absl::StatusOr<ResolvedCaller> caller) {
    resolved_ = std::move(caller);
    OnEvent(kResolved, true);
  });
}

void ProxyCall::OnResolved() {
  if (!resolved_.ok()) {
    Deny(ToGrpc(resolved_.status()));
    return;
  }
  Authorize(*resolved_);
}

void ProxyCall::Authorize(const ResolvedCaller& caller) {
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

void ProxyCall::Deny(const grpc::Status& status) {
  Log(status);
  AnswerCaller(status, /*with_response=*/false);
}

// --- Forwarding ----------------------------------------------------------------------

void ProxyCall::Forward(const ResolvedCaller& caller) {
  caller_ = caller.person;
  allowed_ = true;  // authenticated and within the policy
  if (ServiceOfMethod(method_) == kHealthService) {
    if (method_ != kGatewayHealthCheck) {
      Deny(FromAbsl(WithReason(absl::UnimplementedError(absl::StrCat(
                                   "the gateway answers ", kGatewayHealthCheck, " only, not ",
                                   method_)),
                               common::v1::ERROR_REASON_UNIMPLEMENTED, {{"method", method_}}),
                    method_));
      return;
    }
    health_check_ = true;
    unary_ = true;
    stream_.Read(&request_, Tag(kServerRead));
    return;
  }
  stub_ = forwarder_->StubFor(method_);
  if (stub_ == nullptr) {
    Deny(FromAbsl(
        WithReason(absl::UnimplementedError(
                       absl::StrCat("no backend serves ", ServiceOfMethod(method_))),
                   common::v1::ERROR_REASON_UNIMPLEMENTED,
                   {{"service", std::string(ServiceOfMethod(method_))}}),
        method_));
    return;
  }
  // Propagates the caller's deadline and cancellation to the backend.
  backend_context_ = grpc::ClientContext::FromServerContext(context_);
  SignCall(backend_context_.get(), forwarder_->key(), caller.person, caller.roles, "", method_);
  unary_ = forwarder_->IsUnary(method_);
  if (unary_) {
    // Most of the suite's methods: read the one request, then make a plain
    // unary call to the backend (cheaper than a proxied stream on both hops).
    stream_.Read(&request_, Tag(kServerRead));
    return;
  }
  // The caller's requests are read once the backend call has started: the
  // start and every write share one operation set in gRPC's async stream.
  stream_call_ = stub_->PrepareCall(backend_context_.get(), method_, cq_);
  stream_call_->StartCall(Tag(kClientStart));
  stream_call_->Read(&response_, Tag(kClientRead));
}

void ProxyCall::CallBackendUnary() {
  unary_call_ = stub_->PrepareUnaryCall(backend_context_.get(), method_, request_, cq_);
  unary_call_->StartCall();
  unary_call_->Finish(&response_, &backend_status_, Tag(kClientFinish));
  poller_->ReplyAwaited();
}

// As gRPC's own health service: the server as a whole ("") is SERVING until
// it begins to drain; no other service name is known here.
void ProxyCall::AnswerHealthCheck() {
  const std::optional<std::string> service = HealthCheckService(request_);
  grpc::Status status;
  if (!service.has_value()) {
    status = FromAbsl(
        WithReason(absl::InvalidArgumentError(
                       "the request is not a grpc.health.v1.HealthCheckRequest"),
                   common::v1::ERROR_REASON_MALFORMED_REQUEST,
                   {{"message", "0"}, {"type", "grpc.health.v1.HealthCheckRequest"}}),
        method_);
  } else if (!service->empty()) {
    status = FromAbsl(
        ResourceNotFoundError(*service,
                              absl::StrCat("the gateway reports on itself (service \"\"), not on ",
                                           Excerpt(*service))),
        method_);
  }
  Log(status);
  if (!status.ok()) {
    AnswerCaller(status, /*with_response=*/false);
    return;
  }
  // HealthCheckResponse{status: SERVING (1) or NOT_SERVING (2)}.
  const char serving[] = {0x08, static_cast<char>(Draining() ? 2 : 1)};
  grpc::Slice slice(serving, sizeof(serving));
  response_ = grpc::ByteBuffer(&slice, 1);
  AnswerCaller(status, /*with_response=*/true);
}

// Streaming: one message in flight each way. Caller read -> backend write ->
// next caller read; backend read -> caller write -> next backend read. When
// the backend has sent its last message (or the caller went away) the
// backend's status is collected and passed on.
void ProxyCall::OnStreamEvent(Op op, bool ok) {
  switch (op) {
    case kClientStart:
      // A failed start shows in the status that Finish collects, after the
      // backend read fails.
      if (ok && !backend_finishing_) stream_.Read(&request_, Tag(kServerRead));
      return;
    case kServerRead:
      if (backend_finishing_ || refusal_.has_value()) return;
      if (ok) {
        if (grpc::Status screened =
                forwarder_->screen().Screen(method_, &request_, requests_read_++);
            !screened.ok()) {
          // Nothing of the call may take effect: cancel the backend call (a
          // streamed import then commits nothing); the caller is answered
          // with the refusal once the backend call has ended.
          refusal_ = screened;
          backend_context_->TryCancel();
          return;
        }
        stream_call_->Write(request_, Tag(kClientWrite));
      } else {
        // The caller half-closed (or went away): no more requests.
        stream_call_->WritesDone(Tag(kClientWritesDone));
      }
      return;
    case kClientWrite:
      // When the backend stops taking messages its status says why.
      if (ok && !backend_finishing_) stream_.Read(&request_, Tag(kServerRead));
      return;
    case kClientWritesDone:
      return;
    case kClientRead:
      if (ok) {
        stream_.Write(response_, Tag(kServerWrite));
      } else {
        FinishBackendStream();  // the backend has sent its last message
      }
      return;
    case kServerWrite:
      if (ok) {
        stream_call_->Read(&response_, Tag(kClientRead));
      } else {
        // The caller went away: stop the backend too.
        backend_context_->TryCancel();
        FinishBackendStream();
      }
      return;
    case kClientFinish:
      if (refusal_.has_value()) {
        Log(*refusal_);
        AnswerCaller(*refusal_, /*with_response=*/false);
        return;
      }
      Log(backend_status_);
      AnswerCaller(StatusForCaller(backend_status_, ServiceOfMethod(method_)),
                   /*with_response=*/false);
      return;
    default:
      return;
  }
}

void ProxyCall::FinishBackendStream() {
  backend_finishing_ = true;
  stream_call_->Finish(&backend_status_, Tag(kClientFinish));
}

void ProxyCall::AnswerCaller(const grpc::Status& status, bool with_response) {
  // Whatever the gateway or a backend put in it, no answer may outgrow the
  // caller's metadata limit (common/errors/bounded_status.h).
  if (with_response) {
    stream_.WriteAndFinish(response_, grpc::WriteOptions(), BoundStatus(status),
                           Tag(kServerFinish));
  } else {
    stream_.Finish(BoundStatus(status), Tag(kServerFinish));
  }
}

void ProxyCall::Log(const grpc::Status& status) {
  const absl::Time now = absl::Now();
  const int64_t micros = absl::ToInt64Microseconds(now - start_);
  const bool allowed = allowed_;
  Metrics::Global().RecordCall(forwarder_->MetricsName(method_), status.error_code(),
                               now - start_);
  if (CallAudit* audit = forwarder_->audit())
    audit->Record({caller_, method_, allowed, status.error_code(), micros, now});
  if (!allowed || !status.ok())
    LogInfo("call", {{"method", method_},
                     {"caller", caller_},
                     {"allowed", allowed ? "true" : "false"},
                     {"code", std::to_string(status.error_code())},
                     {"micros", std::to_string(micros)}});
}

}  // namespace council::gateway
