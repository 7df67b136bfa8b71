#include "gateway/completion_tag.h"

namespace council::gateway {

void DrainCompletionQueue(grpc::CompletionQueue* cq, ReplyPoller* poller) {
  void* tag = nullptr;
  bool ok = false;
  while (poller != nullptr ? poller->Next(cq, &tag, &ok) : cq->Next(&tag, &ok))
    static_cast<CompletionTag*>(tag)->Complete(ok);
}

}  // namespace council::gateway
