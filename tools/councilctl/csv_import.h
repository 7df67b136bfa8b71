// csv_import.h — turns the documented CSV formats (demo/README.md) into the
// bulk-import requests, checking every row first.
//
// Any invalid row stops the import before anything is sent, with an error
// naming file:line:column; nothing is partially written because the server
// applies each import in one transaction.
#ifndef COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_
#define COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "council/access/v1/access_service.pb.h"
#include "council/relations/v1/relations_service.pb.h"

namespace council::ctl {

// DirectoryFromCsv
//
// Reads people.csv, bodies.csv and memberships.csv from `directory`, and, when
// present, posts.csv, designations.csv, wards.csv, party_groups.csv and
// portfolios.csv.
absl::StatusOr<relations::v1::ImportDirectoryRequest> DirectoryFromCsv(
    const std::string& directory);

// Declarations read from relationships.csv and interests.csv.
struct Declarations {
  std::vector<relations::v1::CreateRelationshipRequest> relationships;
  std::vector<relations::v1::CreateInterestRequest> interests;
};

// DeclarationsFromCsv
//
// Reads relationships.csv and interests.csv (either may be absent) from
// `directory`.
absl::StatusOr<Declarations> DeclarationsFromCsv(const std::string& directory);


}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CSV_IMPORT_H_
