// import_stream.h — when a client-streamed import (StreamImportDirectory,
// StreamImportDocuments) has really ended.
//
// With gRPC's synchronous API, ServerReader::Read returns false both when the
// client half-closes and when a message cannot be parsed (gRPC 1.51,
// CallOpRecvMessage::FinishOp: a failed Deserialize clears `got_message` just
// as an empty receive does). Committing "when Read returns false" therefore
// commits whatever prefix arrived before a bad chunk. So the client marks its
// last chunk `final_chunk`, and the import commits only if the stream ended
// right after that chunk:
//
//   ImportStream stream;
//   while (reader->Read(&chunk)) {
//     if (auto s = stream.Received(chunk.final_chunk()); !s.ok()) return s;
//     ... merge the chunk ...
//   }
//   if (auto s = stream.Ended(*context); !s.ok()) return s;  // nothing written
//   ... validate and commit ...
#ifndef COUNCIL_COMMON_SERVER_IMPORT_STREAM_H_
#define COUNCIL_COMMON_SERVER_IMPORT_STREAM_H_

#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace council {

class ImportStream {
 public:
  // Received
  //
  // Records one chunk read intact. INVALID_ARGUMENT naming `chunks[n]` if it
  // comes after the chunk marked final.
  grpc::Status Received(bool final_chunk);

  // Ended
  //
  // Once Read has returned false: OK only if the last chunk read was marked
  // final. CANCELLED if the client cancelled; otherwise INVALID_ARGUMENT
  // naming `chunks[n]`, the first chunk not received intact (unparsable, or
  // never sent because the stream was cut short).
  grpc::Status Ended(const grpc::ServerContextBase& context) const;

  // Chunks read intact so far.
  int chunks() const { return chunks_; }

 private:
  int chunks_ = 0;
  bool ended_ = false;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_IMPORT_STREAM_H_
