#include "access-service/decision_engine.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/working_day_calendar.h"
#include "common/util/resource_names.h"

namespace council::access {
namespace {

using profile::v1::AccessRule;

void Reason(v1::AccessDecision* decision, const common::v1::ClauseCitation& clause,
            std::string finding) {
  auto* reason = decision->add_reasons();
  *reason->mutable_citation() = clause;
  reason->set_finding(std::move(finding));
}

bool IsRestricted(const v1::Document& document) {
  return document.status() == v1::DOCUMENT_STATUS_CONFIDENTIAL ||
         document.status() == v1::DOCUMENT_STATUS_EXEMPT;
}

std::string DeciderName(const profile::v1::HandlerRef& decider) {
  switch (decider.handler_case()) {
    case profile::v1::HandlerRef::kDesignationId:
      return absl::StrCat("designations/", decider.designation_id());
    case profile::v1::HandlerRef::kRelative:
      return absl::StrCat("relative/", profile::v1::Relative_Name(decider.relative()));
    case profile::v1::HandlerRef::kBodyId:
      return absl::StrCat("bodies/", decider.body_id());
    default:
      return "designations/monitoring-officer";
  }
}

void Grant(const profile::v1::DocumentAccessRules& rules, const v1::Document& document,
           v1::AccessDecision* decision) {
  decision->set_outcome(v1::OUTCOME_GRANTED);
  for (const auto& condition : rules.grant_conditions()) {
    decision->add_conditions(absl::StrCat(condition.text(), " (", condition.clause().clause(), ")"));
    Reason(decision, condition.clause(), absl::StrCat("condition: ", condition.id()));
  }
  if (document.status() == v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION &&
      !rules.not_for_publication().id().empty()) {
    const auto& condition = rules.not_for_publication();
    decision->add_conditions(absl::StrCat(condition.text(), " (", condition.clause().clause(), ")"));
    Reason(decision, condition.clause(), "document is marked \"Not for Publication\"");
  }
}

void Refuse(const profile::v1::DocumentAccessRules& rules, v1::AccessDecision* decision) {
  decision->set_outcome(v1::OUTCOME_REFUSED);
  if (!rules.refusal_reasons_clause().clause().empty())
    Reason(decision, rules.refusal_reasons_clause(), "the reasons for refusal are given above");
}

void Refer(const profile::v1::DocumentAccessRules& rules, const v1::Document& document,
           v1::AccessDecision* decision) {
  decision->set_outcome(v1::OUTCOME_REFERRED);
  const auto& decider = rules.dispute_decider();
  if (decider.has_relative() &&
      decider.relative() == profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER &&
      !document.holding_chief_officer().empty()) {
    decision->set_referred_to(document.holding_chief_officer());
  } else {
    decision->set_referred_to(DeciderName(decider));
  }
  Reason(decision, rules.dispute_clause(),
         absl::StrCat("referred to ", decision->referred_to(), " to decide"));
}

}  // namespace

v1::AccessDecision Decide(const profile::v1::CouncilProfile& profile,
                          const v1::Document& document, const v1::AccessRequest& request,
                          const RequesterFacts& facts, absl::CivilDay today) {
  v1::AccessDecision decision;
  decision.set_profile(profile.id());
  const auto& rules = profile.document_access();

  // 1. Members of the body are presumed to need its documents.
  if (rules.body_membership().enabled() && facts.member_of_document_body) {
    Reason(&decision, rules.body_membership().clause(),
           absl::StrCat("requester sits on ", document.body(), ", whose business this is"));
    if (rules.body_membership().effect() == profile::v1::ACCESS_EFFECT_GRANT) {
      Grant(rules, document, &decision);
      return decision;
    }
  }

  // 2. Meeting business is open to every member unless confidential/exempt.
  if (rules.meeting_business().enabled() && document.has_meeting_date() &&
      !IsRestricted(document)) {
    Reason(&decision, rules.meeting_business().clause(),
           absl::StrCat("document is for business at a meeting of ", document.body(), " on ",
                        FormatDay(absl::CivilDay(document.meeting_date().year(),
                                                 document.meeting_date().month(),
                                                 document.meeting_date().day()))));
    if (rules.meeting_business().effect() == profile::v1::ACCESS_EFFECT_GRANT) {
      Grant(rules, document, &decision);
      return decision;
    }
  }

  // 3. Confidential or exempt: not on need to know alone.
  if (IsRestricted(document) && rules.confidential_bars_need_to_know().enabled()) {
    Reason(&decision, rules.confidential_bars_need_to_know().clause(),
           "document is confidential or exempt and the requester has no presumed need to know");
    switch (rules.confidential_bars_need_to_know().effect()) {
      case profile::v1::ACCESS_EFFECT_REFER:
        Refer(rules, document, &decision);
        break;
      default:
        Refuse(rules, &decision);
        break;
    }
    return decision;
  }

  // 4. Need to know.
  if (rules.need_to_know().enabled()) {
    if (request.purpose().empty()) {
      Reason(&decision, rules.need_to_know().clause(),
             "no need to know was stated; curiosity is not enough (no roving commission)");
      Refuse(rules, &decision);
      return decision;
    }
    Reason(&decision, rules.need_to_know().clause(),
           absl::StrCat("need to know stated: \"", request.purpose(), "\""));
    switch (rules.need_to_know().effect()) {
      case profile::v1::ACCESS_EFFECT_GRANT:
        Grant(rules, document, &decision);
        return decision;
      case profile::v1::ACCESS_EFFECT_HANDLE_AS_FOI: {
        const auto foi = calendar::WorkingDayCalendar::ForFreedomOfInformation();
        decision.set_outcome(v1::OUTCOME_HANDLED_AS_FOI);
        const int days = rules.foi().working_days() > 0 ? rules.foi().working_days() : 20;
        *decision.mutable_foi_due_date() = ToProtoDate(foi.DueDate(today, days));
        Reason(&decision, rules.foi().clause(),
               absl::StrCat("handled as a Freedom of Information request, due in ", days,
                            " working days (FOI Act 2000 s10(6) calendar)"));
        return decision;
      }
      case profile::v1::ACCESS_EFFECT_NEEDS_JUSTIFICATION:
        decision.set_outcome(v1::OUTCOME_NEEDS_JUSTIFICATION);
        return decision;
      case profile::v1::ACCESS_EFFECT_REFUSE:
        Refuse(rules, &decision);
        return decision;
      default:
        break;
    }
  }

  // 5. Whoever decides disputes under this profile decides.
  Refer(rules, document, &decision);
  return decision;
}

}  // namespace council::access
