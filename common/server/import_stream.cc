#include "common/server/import_stream.h"

#include "absl/strings/str_cat.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"

namespace council {
namespace {

// The rule every refusal here cites: what the client must do.
constexpr char kRule[] = "the last chunk, and only it, sets final_chunk";

}  // namespace

grpc::Status ImportStream::Received(bool final_chunk) {
  if (ended_)
    return InvalidField(absl::StrCat("chunks[", chunks_, "]"),
                        absl::StrCat("comes after chunks[", chunks_ - 1,
                                     "], which was marked final_chunk; nothing was written"),
                        kRule);
  ++chunks_;
  ended_ = final_chunk;
  return grpc::Status::OK;
}

grpc::Status ImportStream::Ended(const grpc::ServerContextBase& context) const {
  // A cancelled call also ends the reads; the client is gone, so say so
  // rather than blame a chunk.
  if (context.IsCancelled())
    return FromAbsl(WithReason(absl::CancelledError(
                                   "the import stream was cancelled; nothing was written"),
                               common::v1::ERROR_REASON_CANCELLED),
                    "import");
  if (ended_) return grpc::Status::OK;
  return InvalidField(
      absl::StrCat("chunks[", chunks_, "]"),
      absl::StrCat("was not received intact: it could not be parsed (such as a string that is "
                   "not valid UTF-8), or the stream ended after ",
                   chunks_, chunks_ == 1 ? " chunk" : " chunks",
                   " without one marked final_chunk; nothing was written"),
      kRule);
}

}  // namespace council
