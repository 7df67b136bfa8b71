// decision_engine.h — decides a member's request to inspect a document.
//
// A pure function of the council's profile, the document's metadata, the
// request and the facts gathered from relations-service, so the same engine
// serves real decisions and (later) "explain" without ever disagreeing. Rules
// apply in a fixed order; each step that matters is recorded with its clause:
//
//   1. body membership presumption (Middlesbrough 14.3, Sheffield 14.6)
//   2. meeting business open to every member unless confidential/exempt
//      (Sheffield 14.3)
//   3. confidential/exempt documents not available on need to know alone
//      (Middlesbrough 14.4)
//   4. need to know: no purpose, no access ("no roving commission"); with a
//      purpose, the profile's effect (refer to the dispute decider, or FOI)
//   5. otherwise refer to the dispute decider
#ifndef COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_
#define COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_

#include <string>

#include "absl/time/civil_time.h"
#include "council/access/v1/access_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::access {

// What relations-service told us about the requester, as of the decision day.
struct RequesterFacts {
  // The requester sits on the document's body (member, chair, vice-chair or
  // substitute) today.
  bool member_of_document_body = false;
};

// Decide
//
// Returns the decision for `request` on `document` under `profile`. `today`
// dates any FOI due date.
v1::AccessDecision Decide(const profile::v1::CouncilProfile& profile,
                          const v1::Document& document, const v1::AccessRequest& request,
                          const RequesterFacts& facts, absl::CivilDay today);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_
