// import_validation.h — checks a document import (ImportDocuments,
// StreamImportDocuments) before anything is written: every document's
// metadata, that no name appears twice, and that every body, ward,
// portfolio, party group and person it names is in the directory. One bad
// document and the import writes nothing.
//
// Every bad document is reported, not just the first, so an import tool can
// name each one's CSV row at once (or leave those rows out and try again):
//
//   DirectoryNames referenced = ReferencedNames(documents);
//   absl::StatusOr<DirectoryNames> known = relations.Known(caller, referenced);
//   grpc::Status status = ValidateDocumentImport(documents, 7, *known);
//   // INVALID_ARGUMENT with BadRequest violations such as
//   //   documents[3].body: bodies/planning-comittee is not in the council directory
//
// And, for StreamImportDocuments, that the stream really ended (ImportStream).
#ifndef COUNCIL_ACCESS_SERVICE_IMPORT_VALIDATION_H_
#define COUNCIL_ACCESS_SERVICE_IMPORT_VALIDATION_H_

#include <vector>

#include "access-service/relations_facts.h"
#include "council/access/v1/access_service.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace council::access {

// ReferencedNames
//
// Every directory name the documents refer to: holding chief officers and
// members who asked for advice (people), bodies, wards, portfolios and party
// groups.
DirectoryNames ReferencedNames(const std::vector<v1::Document>& documents);

// ValidateDocumentImport
//
// Returns OK, or INVALID_ARGUMENT with one field violation per bad document
// (its first problem): a malformed or repeated name, metadata ValidateDocument
// refuses, or a reference `directory` does not hold. `documents[i]` counts
// across a whole stream. At most 100 violations (and about 3 KB of text) are
// listed; the message gives the total.
grpc::Status ValidateDocumentImport(const std::vector<v1::Document>& documents,
                                    int max_exempt_paragraph, const DirectoryNames& directory);

// ImportStream
//
// When a client-streamed import has really ended. With gRPC's synchronous
// API, ServerReader::Read returns false both when the client half-closes and
// when a message cannot be parsed (gRPC 1.51, CallOpRecvMessage::FinishOp: a
// failed Deserialize clears `got_message` just as an empty receive does), so
// committing "when Read returns false" commits whatever prefix arrived before
// a bad chunk. The client marks its last chunk `final_chunk`; the import
// commits only if the stream ended right after it:
//
//   ImportStream stream;
//   while (reader->Read(&chunk)) {
//     if (auto s = stream.Received(chunk.final_chunk()); !s.ok()) return s;
//     ...
//   }
//   if (auto s = stream.Ended(*context); !s.ok()) return s;  // nothing written
//
// (relations-service has the same class for StreamImportDirectory.)
class ImportStream {
 public:
  // Records one chunk read intact. INVALID_ARGUMENT naming `chunks[n]` if it
  // comes after the chunk marked final.
  grpc::Status Received(bool final_chunk);

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

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_IMPORT_VALIDATION_H_
