// watch_hub.h — serves WatchComplaintEvents streams without a thread each.
//
// Each stream is a gRPC callback reactor holding a short queue of events to
// write, one message at a time. One fan-out thread does the rest: woken by
// each commit of the outbox (ComplaintsStore::SetCommitListener), it reads the
// new events once and hands them to every stream that is up to date and
// wants them; a stream that is behind (its backlog after `after_position`, or
// a reader slower than the events) reads its own pages of the outbox on the
// same thread whenever its queue is half empty. So a slow reader costs a
// bounded queue, never a growing one, and loses nothing: it is served from
// the database until it is up to date again.
//
//   WatchHub hub(store, {.per_caller = 16, .total = 2000});
//   return hub.Open(caller.Person(), request->after_position(), complaint_id);
//   ...
//   hub.Stop();  // every stream ends: UNAVAILABLE, with the position to resume after
//
// Open streams are capped per caller and in total: a stream beyond a cap ends
// at once with RESOURCE_EXHAUSTED and an ErrorInfo (reason
// ERROR_REASON_TOO_MANY_STREAMS, metadata "limit" and "scope").
#ifndef COUNCIL_COMPLAINTS_SERVICE_WATCH_HUB_H_
#define COUNCIL_COMPLAINTS_SERVICE_WATCH_HUB_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "complaints-service/complaints_store.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "grpcpp/support/server_callback.h"

namespace council::complaints {

// How many streams may be open, and how much each may hold.
struct WatchLimits {
  // Open streams per caller (the person or service account the gateway
  // vouched for).
  int per_caller = 16;
  // Open streams in all.
  int total = 2000;
  // Events queued per stream; beyond that the stream reads from the outbox.
  int queue = 128;
};

// What the hub has done (for tests and metrics).
struct WatchStats {
  int open = 0;                // streams holding a slot
  int64_t refused = 0;         // streams refused at a cap
  int64_t fell_behind = 0;     // times an up-to-date stream's queue filled
  int64_t pages_read = 0;      // outbox reads for streams that were behind
  int max_queued = 0;          // the most events any stream has held
};

// RESOURCE_EXHAUSTED for a stream beyond a cap: `scope` is "caller" or
// "service", `limit` the cap, `flag` the flag that sets it.
grpc::Status TooManyStreams(absl::string_view scope, int limit, absl::string_view caller,
                            absl::string_view flag);

class WatchHub {
 public:
  using Reactor = grpc::ServerWriteReactor<v1::ComplaintEvent>;

  // Starts the fan-out thread. `store` must outlive the hub.
  WatchHub(ComplaintsStore* store, WatchLimits limits);
  // Stops. The gRPC server must have shut down first (every stream done).
  ~WatchHub();

  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Open
  //
  // A stream for `caller` of the events after position `after`, only those of
  // `complaint` ("complaints/{id}") when it is not empty. Returns a reactor
  // that ends at once with RESOURCE_EXHAUSTED when a cap is reached, or
  // UNAVAILABLE after Stop. The reactor deletes itself when done.
  Reactor* Open(const std::string& caller, int64_t after, const std::string& complaint);

  // Stop
  //
  // Ends every stream with UNAVAILABLE naming the position to resume after,
  // refuses new ones, and stops the fan-out thread. Idempotent.
  void Stop();

  WatchStats stats();
  // Open streams, readable at any time (a metrics gauge).
  std::shared_ptr<const std::atomic<int>> open_gauge() const { return open_gauge_; }

 private:
  class Stream;
  friend class Stream;

  void Run();
  void Publish(int64_t from, int64_t to, std::vector<v1::ComplaintEvent> events)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReadPage(uint64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Starts the next write, or the Finish once nothing is being written.
  void Pump(Stream* stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Asks the fan-out thread for a page if the stream is behind and has room.
  void MaybeWantPage(Stream* stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stops feeding the stream and frees its slot; Pump finishes it.
  void End(Stream* stream, grpc::Status status, bool shutdown) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseSlot(Stream* stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void NoteQueued(const Stream* stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Reactions, from gRPC's threads.
  void WriteDone(Stream* stream, bool ok);
  void Cancelled(Stream* stream);
  void Done(Stream* stream);

  ComplaintsStore* const store_;
  const WatchLimits limits_;
  std::shared_ptr<std::atomic<int>> open_gauge_ = std::make_shared<std::atomic<int>>(0);

  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  // The newest position committed (from the commit listener) and the newest
  // the fan-out thread has handed out: every event up to `published_` has
  // been given to the up-to-date streams.
  int64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t published_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<uint64_t, Stream*> streams_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_caller_ ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> wanting_pages_ ABSL_GUARDED_BY(mu_);
  WatchStats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_WATCH_HUB_H_
