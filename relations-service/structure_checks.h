// structure_checks.h — what no directory may hold, whichever records an
// import brings: a reporting line that loops back on itself, a body inside
// itself, and a person in two posts at once.
//
// These are properties of the directory as a whole, not of one record: the
// import's records are merged over the directory (an imported post replaces
// the stored one of the same name) and the result is checked. Only the
// import's own records are named, each at the field that makes the problem,
// so an import tool can point at the CSV rows (docs/relations.md, "What the
// directory cannot hold").
//
//   FieldViolationList violations;
//   CheckReportingLines(directory, request, post_ok, &violations);
//   // posts[3].reports_to: is part of a reporting cycle: posts/a -> posts/b -> posts/a
#ifndef COUNCIL_RELATIONS_SERVICE_STRUCTURE_CHECKS_H_
#define COUNCIL_RELATIONS_SERVICE_STRUCTURE_CHECKS_H_

#include <vector>

#include "common/errors/grpc_errors.h"
#include "council/relations/v1/relations_service.pb.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

// CheckReportingLines
//
// Adds a violation at `posts[i].reports_to` for every post of `request` that
// lies on a cycle of reporting lines (GetManagementChain would go round it).
// Posts whose `ok[i]` is false (already refused) are left out of the graph.
void CheckReportingLines(const DirectorySnapshot& directory,
                         const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                         FieldViolationList* violations);

// CheckBodyNesting
//
// Adds a violation at `bodies[i].parent` for every body of `request` that
// would be its own ancestor. Bodies whose `ok[i]` is false are left out.
void CheckBodyNesting(const DirectorySnapshot& directory,
                      const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                      FieldViolationList* violations);

// CheckOnePostAtATime
//
// Adds a violation at `posts[i].tenures[j].person` for every tenure of
// `request` whose holder also holds another post on some day of it (in the
// import or in the directory). A person holds at most one post on any day:
// their management chain and their chief-officer and head-of-service roles
// come from it (docs/relations.md says why acting arrangements fit this).
// Posts whose `ok[i]` is false and tenures with invalid dates are left out.
void CheckOnePostAtATime(const DirectorySnapshot& directory,
                         const v1::ImportDirectoryRequest& request, const std::vector<bool>& ok,
                         FieldViolationList* violations);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_STRUCTURE_CHECKS_H_
