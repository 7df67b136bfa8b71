// conflict_checker.h — may a person act in a setting, given the declarations?
//
// A pure function of the directory snapshot, the council's profile and the
// request, so it is unit-testable clause by clause and fast enough to answer
// thousands of checks a second:
//
//   CHECK: a member must not sit on a body or take part in a decision directly
//   affecting an officer they are related to (Middlesbrough 5.6), nor on an
//   appointment panel for a relative or friend (6.4), nor on an appeal hearing
//   for a relative, friend or someone they have worked with, even if that
//   working relationship has ended (6.5: "has had"); nobody handles, hears or
//   decides a matter about themselves (in every setting) or handles one about
//   someone they are related to; and a
//   member with an interest in a matter is barred from (or must take advice
//   before) inspecting its documents (South Somerset 9, Middlesbrough 14.6).
#ifndef COUNCIL_RELATIONS_SERVICE_CONFLICT_CHECKER_H_
#define COUNCIL_RELATIONS_SERVICE_CONFLICT_CHECKER_H_

#include "absl/time/civil_time.h"
#include "council/profile/v1/profile.pb.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

// CheckConflict
//
// Answers `request` as of `day`. The caller has validated the request (names
// well formed, people known).
v1::CheckConflictResponse CheckConflict(const DirectorySnapshot& directory,
                                        const profile::v1::CouncilProfile& profile,
                                        const v1::CheckConflictRequest& request,
                                        absl::CivilDay day);

// KindName
//
// The lower-case name profiles use for a relationship kind ("close-personal").
std::string KindName(v1::RelationshipKind kind);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_CONFLICT_CHECKER_H_
