// document_visibility.h — whether a caller may know a document exists.
//
// Most of the catalogue is metadata every member and officer may read; the
// decision engine then decides who may inspect the content. Advice a member
// asked for is different under a profile that hides it
// (`hide_requested_advice_from_other_members`, Middlesbrough 14.10): its
// title and `requested_advice_for` would disclose the advice, so to other
// members it does not exist. The servers answer NOT_FOUND, exactly as for a
// name nobody registered:
//
//   if (HiddenFrom(rules, *document, caller, reads_record)) return NotFound(name);
#ifndef COUNCIL_ACCESS_SERVICE_DOCUMENT_VISIBILITY_H_
#define COUNCIL_ACCESS_SERVICE_DOCUMENT_VISIBILITY_H_

#include "common/server/caller.h"
#include "council/access/v1/access_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::access {

// HiddenFrom
//
// Returns true if `document` must look absent to `caller`: the profile hides
// requested advice, the document is advice another person asked for, and the
// caller is neither that person, nor an officer, administrator or records
// integration, nor a service, nor a reader of the record (`reads_record`).
// Members and political assistants are the ones it is hidden from.
bool HiddenFrom(const profile::v1::DocumentAccessRules& rules, const v1::Document& document,
                const Caller& caller, bool reads_record);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_DOCUMENT_VISIBILITY_H_
