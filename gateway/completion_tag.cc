#include "gateway/completion_tag.h"

namespace council::gateway {

void DrainCompletionQueue(grpc::CompletionQueue* cq) {
  void* tag = nullptr;
  bool ok = false;
  while (cq->Next(&tag, &ok)) static_cast<CompletionTag*>(tag)->Complete(ok);
}

}  // namespace council::gateway
