#include "gateway/directory_watch.h"

#include "absl/time/clock.h"
#include "common/server/caller.h"
#include "common/server/log.h"

namespace council::gateway {

DirectoryWatch::DirectoryWatch(relations::v1::RelationsService::Stub* relations,
                               auth::AssertionKey key, std::function<void()> on_change)
    : relations_(relations), key_(std::move(key)), on_change_(std::move(on_change)) {
  for (int op = 0; op < kOpCount; ++op) {
    events_[op].watch = this;
    events_[op].op = static_cast<Op>(op);
  }
}

void DirectoryWatch::Start(grpc::CompletionQueue* cq) {
  absl::MutexLock lock(&mu_);
  cq_ = cq;
  if (!stopping_) Connect();
}

void DirectoryWatch::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  if (context_ != nullptr) context_->TryCancel();
  retry_.Cancel();
}

void DirectoryWatch::Connect() {
  static const std::string kMethod =
      FullMethodName(relations::v1::RelationsService::service_full_name(), "WatchDirectoryChanges");
  // The old reader lives in its call's arena, which the old context's
  // reference keeps alive: destroying the context first would leave the
  // reader's destructor to run on freed memory (possibly already the new
  // call's arena: a double free two to six seconds after every restart of
  // relations-service).
  reader_.reset();
  context_ = std::make_unique<grpc::ClientContext>();
  SignCall(context_.get(), key_, "services/gateway", {}, "", kMethod);
  reader_ = relations_->PrepareAsyncWatchDirectoryChanges(context_.get(), {}, cq_);
  reader_->StartCall(&events_[kStarted]);
}

void DirectoryWatch::OnEvent(Op op, bool ok) {
  absl::MutexLock lock(&mu_);
  // Once stopped the queue may already be shutting down, when no operation
  // may start on it; the cancelled call is released with the watch.
  if (stopping_) return;
  switch (op) {
    case kStarted:
      if (ok) {
        reader_->Read(&change_, &events_[kRead]);
      } else {
        reader_->Finish(&status_, &events_[kFinished]);
      }
      return;
    case kRead:
      if (!ok) {
        reader_->Finish(&status_, &events_[kFinished]);
        return;
      }
      if (!connected_)
        LogInfo("directory_watch_connected", {{"revision", std::to_string(change_.revision())}});
      connected_ = true;
      on_change_();
      reader_->Read(&change_, &events_[kRead]);
      return;
    case kFinished:
      if (connected_)
        LogWarning("directory_watch_lost",
                   {{"error", status_.error_message()},
                    {"effect",
                     "cached roles are kept until their time-to-live; retrying every second"}});
      connected_ = false;
      retry_.Set(cq_, absl::ToChronoTime(absl::Now() + absl::Seconds(1)), &events_[kRetry]);
      return;
    case kRetry:
      if (ok) Connect();
      return;
    case kOpCount:
      return;
  }
}

}  // namespace council::gateway
