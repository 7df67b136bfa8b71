// directory_watch.h — the gateway's hold on relations-service's
// WatchDirectoryChanges stream.
//
// Each notice (a leaver, a new designation, any directory change) calls
// `on_change`, so cached roles are forgotten at once; the first notice after
// (re)connecting counts too, as changes made while the stream was down were
// not seen. While relations-service is unreachable the watch retries every
// second. It runs on one of the gateway's completion queues, so it adds no
// thread of its own.
#ifndef COUNCIL_GATEWAY_DIRECTORY_WATCH_H_
#define COUNCIL_GATEWAY_DIRECTORY_WATCH_H_

#include <functional>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "common/auth/internal_assertion.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gateway/completion_tag.h"
#include "grpcpp/alarm.h"

namespace council::gateway {

class DirectoryWatch {
 public:
  DirectoryWatch(relations::v1::RelationsService::Stub* relations, auth::AssertionKey key,
                 std::function<void()> on_change);

  // Start
  //
  // Opens the stream on `cq`; events are handled by whoever drains `cq`.
  void Start(grpc::CompletionQueue* cq);

  // Stop
  //
  // Cancels the stream and any pending retry; the operations still pending
  // then complete on `cq` and start nothing new. Call before `cq` is shut
  // down; the watch must outlive the queue's draining.
  void Stop();

 private:
  enum Op { kStarted, kRead, kFinished, kRetry, kOpCount };
  struct Event final : CompletionTag {
    DirectoryWatch* watch = nullptr;
    Op op = kStarted;
    void Complete(bool ok) override { watch->OnEvent(op, ok); }
  };

  void Connect() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnEvent(Op op, bool ok);

  relations::v1::RelationsService::Stub* relations_;
  auth::AssertionKey key_;
  std::function<void()> on_change_;
  Event events_[kOpCount];

  absl::Mutex mu_;
  grpc::CompletionQueue* cq_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool connected_ ABSL_GUARDED_BY(mu_) = true;  // so that the first failure is logged
  std::unique_ptr<grpc::ClientContext> context_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::ClientAsyncReader<relations::v1::DirectoryChange>> reader_
      ABSL_GUARDED_BY(mu_);
  relations::v1::DirectoryChange change_;
  grpc::Status status_;
  grpc::Alarm retry_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_DIRECTORY_WATCH_H_
