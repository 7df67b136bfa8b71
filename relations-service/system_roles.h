// system_roles.h — who may grant or withdraw a system role, and the last
// administrator.
//
// System roles ("administrator", "auditor", "hr-integration",
// "records-integration") are a person's `system_roles` in the directory, and
// the gateway admits callers by them. Every write of people — CreatePerson,
// ImportDirectory and StreamImportDirectory — is reviewed here before
// anything is written (issue 17, defect 3: hr-integration imported itself
// as an administrator). The rules (docs/security.md, "System roles"):
//
//   * Only an administrator grants or withdraws a system role.
//   * A row from anyone else (the HR integration) with no system roles keeps
//     the person's stored ones: they are not HR's data, and the nightly sync
//     must not fail, or strip them, because an administrator granted one. A
//     row that names roles other than the stored ones is refused, naming the
//     row; nothing is written.
//   * Each role granted or withdrawn is one audit entry (actor, person,
//     role), written in the same transaction as the change.
//   * The last administrator in post cannot be removed (role withdrawn, or
//     recorded as having left).
//
//   std::vector<AuditNoteAbout> notes;
//   if (auto s = ReviewImportedPeople(caller, *directory, today, request.mutable_people(),
//                                     &notes);
//       !s.ok())
//     return s;
//   store->Import(request, validate_only, caller.Person(), notes);
#ifndef COUNCIL_RELATIONS_SERVICE_SYSTEM_ROLES_H_
#define COUNCIL_RELATIONS_SERVICE_SYSTEM_ROLES_H_

#include <vector>

#include "absl/time/civil_time.h"
#include "common/server/caller.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "grpcpp/support/status.h"
#include "relations-service/directory_snapshot.h"
#include "relations-service/relations_store.h"

namespace council::relations {

// Where the system-role rules are written down (cited in every refusal).
inline constexpr char kSystemRolesRule[] = "docs/security.md, System roles";

// ReviewImportedPeople
//
// Reviews the people an import would write against `directory`. For a caller
// without the administrator role, fills each row with no system roles from
// the stored person, and refuses with INVALID_ARGUMENT a BadRequest violation
// `people[i].system_roles` for every row that would grant or withdraw one
// (what it would grant and withdraw). For an administrator the rows are
// authoritative. Then refuses with FAILED_PRECONDITION (subject: the person)
// an import that would leave no administrator in post today. On OK, `notes`
// holds one audit entry per role granted or withdrawn.
grpc::Status ReviewImportedPeople(const Caller& caller, const DirectorySnapshot& directory,
                                  absl::CivilDay today,
                                  google::protobuf::RepeatedPtrField<v1::Person>* people,
                                  std::vector<AuditNoteAbout>* notes);

// ReviewNewPerson
//
// Reviews CreatePerson's `person`: system roles are given only by an
// administrator (PERMISSION_DENIED, RULE_FORBIDS, metadata field
// "person.system_roles" otherwise). On OK, `notes` holds one audit entry per
// role granted.
grpc::Status ReviewNewPerson(const Caller& caller, const v1::Person& person,
                             std::vector<AuditNoteAbout>* notes);

// ActiveAdministrators
//
// Counts the people in `directory`, with `replacing` written over it, who
// hold the administrator role and are in post on `today`.
int ActiveAdministrators(const DirectorySnapshot& directory,
                         const google::protobuf::RepeatedPtrField<v1::Person>& replacing,
                         absl::CivilDay today);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_SYSTEM_ROLES_H_
