// declaration_rules.h — who may read, record, advise on and end a declared
// relationship between a member and an officer.
//
// The gateway admits members, officers, political assistants and auditors to
// the declaration methods (config/gateway-policy.textproto); these rules
// decide, per declaration, what each caller may do with it. They are the
// service half of the role model in docs/security.md ("Declarations"):
//
//   if (!MayReadRelationship(caller, profile, r)) return NotFound(r.name());
//   if (auto s = MayAdviseOn(caller, profile, r); !s.ok()) return s;
//
// Reading is wider than writing: the auditor reads every declaration but
// writes none (issue 17, defect 1).
#ifndef COUNCIL_RELATIONS_SERVICE_DECLARATION_RULES_H_
#define COUNCIL_RELATIONS_SERVICE_DECLARATION_RULES_H_

#include "absl/time/civil_time.h"
#include "common/server/caller.h"
#include "council/profile/v1/profile.pb.h"
#include "council/relations/v1/declarations.pb.h"
#include "grpcpp/support/status.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

// ReadsAllDeclarations
//
// Returns true for callers who may read every declaration: the suite's own
// services, the monitoring officer and the head of paid service, holders of
// the designations the profile has relationships declared to (Sheffield 4.5,
// Middlesbrough 5.4), and auditors (read-only).
bool ReadsAllDeclarations(const Caller& caller, const profile::v1::CouncilProfile& profile);

// MayReadRelationship
//
// Returns true if `caller` may see `relationship`: a party to it, or a caller
// who ReadsAllDeclarations. Anyone else is told it does not exist.
bool MayReadRelationship(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship);

// IsDeclaredToOfficer
//
// Returns true if `caller` is the officer `relationship` is declared to: the
// person named in `declared_to`, or a holder today of one of the designations
// the profile has relationships declared to (a successor in the post), or,
// where the profile names none, the monitoring officer. The auditor role
// alone never makes anyone that officer.
bool IsDeclaredToOfficer(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship);

// MayDeclare
//
// OK if `caller` may record `relationship`: either party, the officer it is
// declared to, or an administrator (loading the council's existing register);
// otherwise PERMISSION_DENIED (RULE_FORBIDS) citing the profile's
// relationships clause.
grpc::Status MayDeclare(const Caller& caller, const profile::v1::CouncilProfile& profile,
                        const v1::Relationship& relationship);

// IsNamedRecipient
//
// Returns true if `caller` is, today, the recipient the profile names for
// declarations and so the one who advises on them (Sheffield 4.5-4.6: "The
// Chief Executive will advise"): a holder of one of the designations the
// profile has relationships declared to; where the profile names none, the
// person named in `declared_to` or the monitoring officer. Unlike
// IsDeclaredToOfficer, being named in `declared_to` is not enough where the
// profile names designations: a chief executive who has left the post no
// longer advises.
bool IsNamedRecipient(const Caller& caller, const profile::v1::CouncilProfile& profile,
                      const v1::Relationship& relationship);

// MayAdviseOn
//
// OK if `caller` may record advice on `relationship`: its IsNamedRecipient,
// who is not a party to it (the service then sets `advice_by` to the caller);
// otherwise PERMISSION_DENIED (RULE_FORBIDS) citing the advice clause, or the
// relationships clause where the profile has no advice clause.
grpc::Status MayAdviseOn(const Caller& caller, const profile::v1::CouncilProfile& profile,
                         const v1::Relationship& relationship);

// CheckAdviceDeclared
//
// For a relationship recorded with advice already given (CreateRelationship
// with `advice` or `advice_by` set), OK if:
//   * `advice` and `advice_by` are both set (INVALID_ARGUMENT naming the one
//     missing otherwise);
//   * `advice_by` is in `directory` (NOT_FOUND), is not a party, and on
//     `declared_on` held a designation the profile has relationships declared
//     to, or, where it names none, is `declared_to` or held monitoring-officer
//     (FAILED_PRECONDITION naming `advice_by` and the advice clause: under
//     Sheffield 4.6 advice is the Chief Executive's, never the monitoring
//     officer's);
//   * the caller is `advice_by` (who records their own advice) or an
//     administrator loading the council's existing register; a party does not
//     record advice on their own declaration (PERMISSION_DENIED, RULE_FORBIDS).
// A relationship with neither field set is OK.
grpc::Status CheckAdviceDeclared(const Caller& caller, const DirectorySnapshot& directory,
                                 const profile::v1::CouncilProfile& profile,
                                 const v1::Relationship& relationship,
                                 absl::CivilDay declared_on);

// AdviceClause
//
// The clause advice on declarations comes from: the profile's advice clause,
// or its relationships clause where it has none (Middlesbrough).
const std::string& AdviceClause(const profile::v1::CouncilProfile& profile);

// MayEnd
//
// OK if `caller` may record the end of `relationship`: either party, or the
// officer it is declared to; otherwise PERMISSION_DENIED (RULE_FORBIDS)
// citing the relationships clause.
grpc::Status MayEnd(const Caller& caller, const profile::v1::CouncilProfile& profile,
                    const v1::Relationship& relationship);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_DECLARATION_RULES_H_
