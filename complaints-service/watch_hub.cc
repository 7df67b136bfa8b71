#include "complaints-service/watch_hub.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "common/server/log.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace council::complaints {
namespace {

using EventPtr = std::shared_ptr<const v1::ComplaintEvent>;

// Events read at once for the up-to-date streams.
constexpr int kLiveBatch = 500;

// The end of every stream when the service stops. The ErrorInfo (of the
// suite's domain, so the gateway passes the status on as it is) names the
// position to resume after.
grpc::Status ShuttingDown(int64_t last_written) {
  google::rpc::ErrorInfo info;
  info.set_reason(common::v1::ErrorReason_Name(common::v1::ERROR_REASON_BACKEND_UNAVAILABLE));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["service"] = "council.complaints.v1.ComplaintsService";
  (*info.mutable_metadata())["resume_after"] = absl::StrCat(last_written);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(1);
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::UNAVAILABLE);
  status.set_message(absl::StrCat("complaints-service is shutting down; resume after position ",
                                  last_written, " (the last event sent on this stream)"));
  status.add_details()->PackFrom(info);
  status.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, status.message(),
                      status.SerializeAsString());
}

}  // namespace

grpc::Status TooManyStreams(absl::string_view scope, int limit, absl::string_view caller,
                            absl::string_view flag) {
  google::rpc::ErrorInfo info;
  info.set_reason(common::v1::ErrorReason_Name(common::v1::ERROR_REASON_TOO_MANY_STREAMS));
  info.set_domain(std::string(kErrorDomain));
  (*info.mutable_metadata())["limit"] = absl::StrCat(limit);
  (*info.mutable_metadata())["scope"] = std::string(scope);
  (*info.mutable_metadata())["method"] = "WatchComplaintEvents";
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  if (scope == "caller") {
    status.set_message(absl::StrCat(
        caller, " already has ", limit,
        " WatchComplaintEvents streams open, as many as complaints-service allows one caller (",
        flag, "); close one first"));
  } else {
    status.set_message(absl::StrCat("complaints-service has ", limit,
                                    " WatchComplaintEvents streams open, as many as it allows (",
                                    flag, "); retry later"));
  }
  status.add_details()->PackFrom(info);
  if (scope != "caller") {
    // Others' streams end by themselves; the caller's own only if it closes one.
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(5);
    status.add_details()->PackFrom(retry);
  }
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, status.message(),
                      status.SerializeAsString());
}

// One stream. Everything but the reactor's own base is guarded by the hub's
// mutex; the reactions hand straight to the hub.
//
// StartWrite and Finish are called with the hub's mutex held. That is safe
// because gRPC (1.51) never runs a write reactor's reactions inline in the
// thread that starts an operation: OnWriteDone, OnCancel and OnDone are
// dispatched to its executor (a write reactor is not "inlineable"), and a
// reactor not yet bound to its call keeps the operation until it is. Each
// stream has at most one write outstanding, and Finish waits for it.
class WatchHub::Stream final : public grpc::ServerWriteReactor<v1::ComplaintEvent> {
 public:
  explicit Stream(WatchHub* hub) : hub_(hub) {}

  void OnWriteDone(bool ok) override { hub_->WriteDone(this, ok); }
  void OnCancel() override { hub_->Cancelled(this); }
  void OnDone() override {
    hub_->Done(this);
    delete this;
  }

  uint64_t id = 0;  // 0: never registered (refused)
  std::string caller;
  std::string complaint;  // "complaints/{id}", or empty for all
  int64_t floor = 0;      // only events after this (the request's after_position)
  int64_t cursor = 0;     // every event up to here is queued, written or not wanted
  std::deque<EventPtr> queue;
  EventPtr writing;       // the message of the outstanding write
  int64_t last_written = 0;
  bool wants_page = false;    // in the hub's wanting_pages_
  bool reading_page = false;  // the fan-out thread is reading its page
  bool holds_slot = false;
  bool ending = false;        // nothing more is queued; Finish once the write is done
  bool shutdown = false;      // ending because the service stops
  bool finished = false;      // Finish called
  grpc::Status status;

  bool Wants(const v1::ComplaintEvent& event) const {
    return event.position() > floor && (complaint.empty() || event.complaint() == complaint);
  }

 private:
  WatchHub* const hub_;
};

WatchHub::WatchHub(ComplaintsStore* store, WatchLimits limits)
    : store_(store), limits_(limits) {
  store_->SetCommitListener([this](int64_t last) {
    absl::MutexLock lock(&mu_);
    committed_ = std::max(committed_, last);
  });
  {
    absl::MutexLock lock(&mu_);
    committed_ = std::max(committed_, store_->LastPosition());
    published_ = committed_;
  }
  thread_ = std::thread([this] { Run(); });
}

WatchHub::~WatchHub() {
  Stop();
  store_->SetCommitListener(nullptr);
  absl::MutexLock lock(&mu_);
  // The server's shutdown waits for every call's OnDone, so none is left; say
  // so loudly if the owner got the order wrong.
  auto none_left = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return streams_.empty(); };
  if (!mu_.AwaitWithTimeout(absl::Condition(&none_left), absl::Seconds(10)))
    LogError("watch_streams_left_at_exit", {{"streams", std::to_string(streams_.size())}});
}

WatchHub::Reactor* WatchHub::Open(const std::string& caller, int64_t after,
                                  const std::string& complaint) {
  auto* stream = new Stream(this);
  absl::MutexLock lock(&mu_);
  grpc::Status refused;
  if (stopped_) {
    refused = ShuttingDown(after);
  } else if (stats_.open >= limits_.total) {
    refused = TooManyStreams("service", limits_.total, caller, "--max_watch_streams");
  } else if (per_caller_[caller] >= limits_.per_caller) {
    refused = TooManyStreams("caller", limits_.per_caller, caller,
                             "--max_watch_streams_per_caller");
  }
  if (!refused.ok()) {
    if (per_caller_[caller] == 0) per_caller_.erase(caller);
    ++stats_.refused;
    stream->ending = true;
    stream->finished = true;
    stream->Finish(refused);  // held by gRPC until the call is bound to the reactor
    return stream;
  }
  stream->id = next_id_++;
  stream->caller = caller;
  stream->complaint = complaint;
  stream->floor = after;
  stream->last_written = after;  // what a client that is sent nothing resumes after
  stream->cursor = std::min(after, published_);
  stream->holds_slot = true;
  ++per_caller_[caller];
  ++stats_.open;
  open_gauge_->store(stats_.open, std::memory_order_relaxed);
  streams_[stream->id] = stream;
  MaybeWantPage(stream);
  return stream;
}

void WatchHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (!stopped_) {
      stopped_ = true;
      for (auto& [id, stream] : streams_) {
        End(stream, grpc::Status::OK, /*shutdown=*/true);
        Pump(stream);
      }
    }
  }
  if (thread_.joinable()) thread_.join();
}

WatchStats WatchHub::stats() {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void WatchHub::Run() {
  pthread_setname_np(pthread_self(), "watch-fanout");
  absl::MutexLock lock(&mu_);
  while (true) {
    auto work = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return stopped_ || committed_ > published_ || !wanting_pages_.empty();
    };
    mu_.Await(absl::Condition(&work));
    if (stopped_) return;
    // New events first: they go to every up-to-date stream at once.
    if (committed_ > published_) {
      const int64_t from = published_;
      mu_.Unlock();
      const int64_t last = store_->LastPosition();
      auto events = store_->Events(from, kLiveBatch);
      mu_.Lock();
      if (!events.ok()) {
        LogError("watch_read_failed", {{"error", events.status().ToString()}});
        auto stopped = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopped_; };
        mu_.AwaitWithTimeout(absl::Condition(&stopped), absl::Milliseconds(200));
        continue;
      }
      // A short batch holds everything committed when it was read.
      int64_t to = events->empty() ? last : std::max(last, events->back().position());
      if (static_cast<int>(events->size()) == kLiveBatch) to = events->back().position();
      Publish(from, to, std::move(*events));
      continue;
    }
    const uint64_t id = wanting_pages_.front();
    wanting_pages_.pop_front();
    ReadPage(id);
  }
}

void WatchHub::Publish(int64_t from, int64_t to, std::vector<v1::ComplaintEvent> events) {
  std::vector<EventPtr> shared;
  shared.reserve(events.size());
  for (auto& event : events)
    shared.push_back(std::make_shared<const v1::ComplaintEvent>(std::move(event)));
  published_ = std::max(published_, to);
  for (auto& [id, stream] : streams_) {
    // Streams behind (reading pages) or ending are not given live events.
    if (stream->ending || stream->cursor != from) continue;
    int64_t considered = from;
    bool full = false;
    for (const EventPtr& event : shared) {
      if (stream->Wants(*event)) {
        if (static_cast<int>(stream->queue.size()) >= limits_.queue) {
          full = true;
          break;
        }
        stream->queue.push_back(event);
      }
      considered = event->position();
    }
    // A full queue: the rest is read from the outbox when there is room.
    stream->cursor = full ? considered : published_;
    if (full) ++stats_.fell_behind;
    NoteQueued(stream);
    Pump(stream);
    MaybeWantPage(stream);
  }
}

void WatchHub::ReadPage(uint64_t id) {
  auto found = streams_.find(id);
  if (found == streams_.end()) return;
  Stream* stream = found->second;
  stream->wants_page = false;
  if (stream->ending || stream->cursor >= published_) return;
  const int room = limits_.queue - static_cast<int>(stream->queue.size());
  if (room <= 0) return;
  const int64_t cursor = stream->cursor;
  const int64_t published = published_;  // only this thread moves it
  const std::string complaint_id =
      stream->complaint.empty() ? std::string() : stream->complaint.substr(strlen("complaints/"));
  stream->reading_page = true;
  mu_.Unlock();
  auto events = store_->Events(cursor, room, complaint_id);
  mu_.Lock();
  ++stats_.pages_read;
  found = streams_.find(id);
  if (found == streams_.end()) return;  // done while its page was read
  stream->reading_page = false;
  if (stream->ending) {
    Pump(stream);
    return;
  }
  if (!events.ok()) {
    End(stream, FromAbsl(events.status(), "WatchComplaintEvents"), false);
    Pump(stream);
    return;
  }
  // The page holds everything up to `published` unless it is full of older
  // events; anything newer comes live.
  bool through = static_cast<int>(events->size()) < room;
  const int64_t page_end = events->empty() ? published : events->back().position();
  for (auto& event : *events) {
    if (event.position() > published) {
      through = true;
      break;
    }
    if (stream->Wants(event))
      stream->queue.push_back(std::make_shared<const v1::ComplaintEvent>(std::move(event)));
  }
  stream->cursor = through ? published : page_end;
  NoteQueued(stream);
  Pump(stream);
  MaybeWantPage(stream);
}

void WatchHub::Pump(Stream* stream) {
  if (stream->writing != nullptr || stream->finished) return;
  if (stream->ending) {
    stream->finished = true;
    stream->Finish(stream->shutdown ? ShuttingDown(stream->last_written) : stream->status);
    return;
  }
  if (stream->queue.empty()) return;
  stream->writing = std::move(stream->queue.front());
  stream->queue.pop_front();
  stream->StartWrite(stream->writing.get());
}

void WatchHub::MaybeWantPage(Stream* stream) {
  if (stream->ending || stream->wants_page || stream->reading_page ||
      stream->cursor >= published_ ||
      static_cast<int>(stream->queue.size()) > limits_.queue / 2)
    return;
  stream->wants_page = true;
  wanting_pages_.push_back(stream->id);
}

void WatchHub::End(Stream* stream, grpc::Status status, bool shutdown) {
  if (stream->ending) return;
  stream->ending = true;
  stream->shutdown = shutdown;
  stream->status = std::move(status);
  stream->queue.clear();
  ReleaseSlot(stream);
}

void WatchHub::ReleaseSlot(Stream* stream) {
  if (!stream->holds_slot) return;
  stream->holds_slot = false;
  --stats_.open;
  open_gauge_->store(stats_.open, std::memory_order_relaxed);
  if (--per_caller_[stream->caller] <= 0) per_caller_.erase(stream->caller);
}

void WatchHub::NoteQueued(const Stream* stream) {
  stats_.max_queued = std::max(stats_.max_queued, static_cast<int>(stream->queue.size()));
}

void WatchHub::WriteDone(Stream* stream, bool ok) {
  absl::MutexLock lock(&mu_);
  if (ok && stream->writing != nullptr) stream->last_written = stream->writing->position();
  stream->writing.reset();
  // The client went away (or the call was cancelled): nothing to tell it.
  if (!ok) End(stream, grpc::Status::OK, false);
  Pump(stream);
  MaybeWantPage(stream);
}

void WatchHub::Cancelled(Stream* stream) {
  absl::MutexLock lock(&mu_);
  End(stream, grpc::Status::CANCELLED, false);
  Pump(stream);
}

void WatchHub::Done(Stream* stream) {
  absl::MutexLock lock(&mu_);
  ReleaseSlot(stream);
  if (stream->id != 0) streams_.erase(stream->id);
}

}  // namespace council::complaints
