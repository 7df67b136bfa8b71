// completion_tag.h — what every tag on the gateway's completion queues is.
//
// The gateway's calls, its role lookups and its directory watch all run on
// the same completion queues (see forwarder.h for why), so the loop that
// drains a queue needs one way to hand each event back to its owner.
#ifndef COUNCIL_GATEWAY_COMPLETION_TAG_H_
#define COUNCIL_GATEWAY_COMPLETION_TAG_H_

#include "gateway/reply_poller.h"
#include "grpcpp/completion_queue.h"

namespace council::gateway {

class CompletionTag {
 public:
  // Complete
  //
  // The operation this tag was given to has finished (`ok` as gRPC reports
  // it). Runs on the thread draining the queue; may delete the tag's owner.
  virtual void Complete(bool ok) = 0;

 protected:
  ~CompletionTag() = default;
};

// DrainCompletionQueue
//
// Completes every event of `cq` until it has been shut down and is empty,
// waiting for each with `poller` if given (see reply_poller.h).
void DrainCompletionQueue(grpc::CompletionQueue* cq, ReplyPoller* poller = nullptr);

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_COMPLETION_TAG_H_
