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
// (For StreamImportDocuments, common/server/import_stream.h says when the
// stream has really ended.)
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

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_IMPORT_VALIDATION_H_
