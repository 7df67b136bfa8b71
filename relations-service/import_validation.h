// import_validation.h — checks a directory import (ImportDirectory,
// StreamImportDirectory) before anything is written: every record, and every
// reference against the records of the import and those already in the
// directory. One bad record and the import writes nothing.
//
// Every bad record is reported, not just the first, so an import tool can show
// all of them at once and name each one's CSV row (or leave those rows out and
// try again):
//
//   grpc::Status status = ValidateDirectoryImport(*store->Snapshot(), request);
//   // INVALID_ARGUMENT with BadRequest violations such as
//   //   posts[12].reports_to: posts/director-of-nowhere does not exist
//   //   memberships[40].person: people/cllr-gone does not exist
#ifndef COUNCIL_RELATIONS_SERVICE_IMPORT_VALIDATION_H_
#define COUNCIL_RELATIONS_SERVICE_IMPORT_VALIDATION_H_

#include "council/relations/v1/relations_service.pb.h"
#include "grpcpp/support/status.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

// ValidateDirectoryImport
//
// Returns OK, or INVALID_ARGUMENT with one field violation per bad record (its
// first problem — a person's e-mail address, compared without case, must not
// be another person's in the import or the directory; for posts and designations, one per bad tenure), in the
// order people, bodies, memberships, posts, designations, party groups, wards,
// portfolios. Field paths index the request's repeated fields
// ("memberships[40].person"); for a streamed import, whose chunks are merged
// in order, the index counts across the whole stream. At most 100 violations
// (and about 3 KB of text) are listed; the message gives the total.
grpc::Status ValidateDirectoryImport(const DirectorySnapshot& directory,
                                     const v1::ImportDirectoryRequest& request);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_IMPORT_VALIDATION_H_
