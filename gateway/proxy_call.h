// proxy_call.h — one call through the gateway, from the caller to a backend
// and back, as a state machine driven by one completion queue.
//
// Why a completion queue and not gRPC's callback API: with the callback API
// (gRPC 1.51) every event crossed between gRPC's own polling threads, about
// ten thread switches per forwarded call on this two-core machine. Here the
// thread that polls the queue also runs every step of the calls it receives:
// the caller's request, the backend call, the backend's answer and the reply
// all complete on that one thread (see Forwarder::Serve).
//
// Every operation started on the caller's stream or the backend call carries
// one of this call's Event tags. The call deletes itself when its last
// pending event has come back and the caller has been answered.
#ifndef COUNCIL_GATEWAY_PROXY_CALL_H_
#define COUNCIL_GATEWAY_PROXY_CALL_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/caller_resolver.h"
#include "gateway/completion_tag.h"
#include "gateway/reply_poller.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"

namespace council::gateway {

class Forwarder;

class ProxyCall {
 public:
  // One completion of an operation this call started; the queue's tag.
  struct Event final : CompletionTag {
    ProxyCall* call = nullptr;
    int op = 0;
    void Complete(bool ok) override { call->OnEvent(op, ok); }
  };

  // Accept
  //
  // Asks the server for the next call arriving on `cq`; that call, when it
  // comes, asks for the one after it. `poller` is the one `cq`'s thread waits
  // with: each call tells it when a backend reply is due.
  static void Accept(Forwarder* forwarder, grpc::ServerCompletionQueue* cq,
                     ReplyPoller* poller);

 private:
  enum Op {
    kAccepted,          // a caller's call arrived (or the server is stopping)
    kDone,              // the caller's call is over (answered or cancelled)
    kResolved,          // the caller's token was resolved
    kServerRead,        // a request message from the caller
    kServerWrite,       // a response message sent to the caller
    kServerFinish,      // the caller has been sent the status
    kClientStart,       // the backend call started (streaming methods)
    kClientRead,        // a response message from the backend
    kClientWrite,       // a request message sent to the backend
    kClientWritesDone,  // the backend was told no more requests come
    kClientFinish,      // the backend's status arrived
    kOpCount
  };

  ProxyCall(Forwarder* forwarder, grpc::ServerCompletionQueue* cq, ReplyPoller* poller);

  void OnEvent(int op, bool ok);
  void Handle(Op op, bool ok);
  // The tag for `op`, counted as pending until it comes back.
  void* Tag(Op op);

  // Authentication and authorisation, then Forward or Deny.
  void Begin();
  void OnResolved();
  void Authorize(const ResolvedCaller& caller);
  void Forward(const ResolvedCaller& caller);
  void Deny(const grpc::Status& status);

  // Unary methods: one request, a plain unary backend call, one response.
  void CallBackendUnary();
  // grpc.health.v1.Health/Check, answered by the gateway itself.
  void AnswerHealthCheck();
  // Streaming methods: messages proxied both ways, one in flight each way.
  void OnStreamEvent(Op op, bool ok);
  void FinishBackendStream();

  // Sends `status` (after `response_` for a successful unary call).
  void AnswerCaller(const grpc::Status& status, bool with_response);
  void Log(const grpc::Status& status);

  Forwarder* forwarder_;
  grpc::ServerCompletionQueue* cq_;
  ReplyPoller* poller_;
  Event events_[kOpCount];
  // Operations started and not yet come back (touched only on the queue's
  // thread: even a role lookup at relations-service completes there).
  int pending_ = 0;

  grpc::GenericServerContext context_;
  grpc::GenericServerAsyncReaderWriter stream_{&context_};
  absl::Time start_;
  std::string method_;
  std::string caller_ = "unauthenticated";
  // Set once the caller is authenticated and the policy allows the method
  // (the audit's allowed/denied), whether or not a backend then serves it.
  bool allowed_ = false;

  absl::StatusOr<ResolvedCaller> resolved_;

  std::unique_ptr<grpc::ClientContext> backend_context_;
  grpc::GenericStub* stub_ = nullptr;
  // Set by Forward when the method has one request and one response.
  bool unary_ = false;
  // Set by Forward for the gateway's own health check.
  bool health_check_ = false;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> unary_call_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream_call_;
  // Set once the backend stream's Finish is started: no more backend ops.
  bool backend_finishing_ = false;
  // Request messages read from the caller so far (streaming methods).
  int requests_read_ = 0;
  // Set when the gateway refuses a streamed request message: the caller's
  // answer, once the cancelled backend call has ended.
  std::optional<grpc::Status> refusal_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::Status backend_status_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_PROXY_CALL_H_
