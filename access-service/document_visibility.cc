#include "access-service/document_visibility.h"

#include "absl/strings/match.h"

namespace council::access {

bool HiddenFrom(const profile::v1::DocumentAccessRules& rules, const v1::Document& document,
                const Caller& caller, bool reads_record) {
  if (!rules.hide_requested_advice_from_other_members() ||
      document.requested_advice_for().empty() ||
      document.requested_advice_for() == caller.Person())
    return false;
  // Officers hold and give the advice, and keep the catalogue (administrator,
  // records integration); the suite's services and the council's service
  // accounts act for its tools. Anyone else (members, political assistants)
  // is not told.
  const bool service_account = absl::StartsWith(caller.principal, "services/");
  return !(caller.IsService() || service_account || caller.HasRole("officer") ||
           caller.HasRole("administrator") || caller.HasRole("records-integration") ||
           reads_record);
}

}  // namespace council::access
