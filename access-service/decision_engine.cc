#include "access-service/decision_engine.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/util/resource_names.h"
#include "council/relations/v1/declarations.pb.h"

namespace council::access {

using profile::v1::AccessEffect;
using profile::v1::AccessRule;

// Records the reasons of a full decision; absent (null) when only the outcome
// is wanted, so the scanning path builds no strings at all.
class DecisionEngine::Trace {
 public:
  explicit Trace(v1::AccessDecision* decision) : decision_(decision) {}
  v1::AccessDecision* decision() { return decision_; }

 private:
  v1::AccessDecision* decision_;
};

namespace {

bool Enabled(const AccessRule& rule) { return rule.enabled(); }

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& items,
              absl::string_view item) {
  if (item.empty()) return false;
  for (const auto& i : items)
    if (i == item) return true;
  return false;
}

bool IsConfidentialOrExempt(const v1::Document& document) {
  return document.status() == v1::DOCUMENT_STATUS_CONFIDENTIAL ||
         document.status() == v1::DOCUMENT_STATUS_EXEMPT;
}

// A document marked "Not for Publication", whatever its status; the
// deprecated status value still counts (CreateDocument and the store's
// migration 4 turn it into the mark).
bool IsNotForPublication(const v1::Document& document) {
  return document.not_for_publication() ||
         document.status() == v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION;
}

std::string Paragraphs(const v1::Document& document) {
  return absl::StrJoin(document.exempt_paragraphs(), ", ");
}

std::string DayText(const common::v1::Date& date) {
  return FormatDay(absl::CivilDay(date.year(), date.month(), date.day()));
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

}  // namespace

std::string InterestCategoryName(int category) {
  if (!relations::v1::InterestCategory_IsValid(category) ||
      category == relations::v1::INTEREST_CATEGORY_UNSPECIFIED)
    return "";
  std::string name = relations::v1::InterestCategory_Name(
      static_cast<relations::v1::InterestCategory>(category));
  name = name.substr(sizeof("INTEREST_CATEGORY_") - 1);
  absl::AsciiStrToLower(&name);
  absl::StrReplaceAll({{"_", "-"}}, &name);
  return name;
}

DecisionEngine::DecisionEngine(std::shared_ptr<const profile::v1::CouncilProfile> profile)
    : profile_(std::move(profile)),
      rules_(profile_->document_access()),
      foi_calendar_(calendar::WorkingDayCalendar::ForFreedomOfInformation()) {}

absl::StatusOr<std::unique_ptr<const DecisionEngine>> DecisionEngine::Create(
    std::shared_ptr<const profile::v1::CouncilProfile> profile) {
  std::unique_ptr<DecisionEngine> engine(new DecisionEngine(std::move(profile)));
  const auto& exempt = engine->rules_.exempt_information();
  if (exempt.numbering().empty() || exempt.numbering() == "post-2006") {
    engine->max_exempt_paragraph_ = 7;
  } else if (exempt.numbering() == "pre-2006") {
    engine->max_exempt_paragraph_ = 15;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("document_access.exempt_information.numbering: \"", exempt.numbering(),
                     "\" must be \"post-2006\" or \"pre-2006\""));
  }
  for (int paragraph : exempt.paragraphs()) {
    if (paragraph < 1 || paragraph > engine->max_exempt_paragraph_)
      return absl::InvalidArgumentError(absl::StrCat(
          "document_access.exempt_information.paragraphs: ", paragraph,
          " is not a Schedule 12A Part 1 paragraph in the ",
          exempt.numbering().empty() ? "post-2006" : exempt.numbering(), " numbering (1-",
          engine->max_exempt_paragraph_, ")"));
    engine->relied_on_paragraphs_.set(paragraph);
  }
  if (exempt.paragraphs().empty())
    for (int p = 1; p <= engine->max_exempt_paragraph_; ++p) engine->relied_on_paragraphs_.set(p);
  absl::flat_hash_set<std::string> known;
  for (int c = 1; relations::v1::InterestCategory_IsValid(c); ++c)
    known.insert(InterestCategoryName(c));
  for (const auto& category : engine->rules_.interest_categories()) {
    if (!known.contains(category))
      return absl::InvalidArgumentError(
          absl::StrCat("document_access.interest_categories: \"", category,
                       "\" is not one of ", absl::StrJoin(known, ", ")));
    engine->interest_categories_.insert(category);
  }
  for (const auto& role : engine->rules_.record_reader_roles()) {
    if (role.empty())
      return absl::InvalidArgumentError("document_access.record_reader_roles: empty role");
    engine->record_reader_roles_.insert(role);
  }
  if (!engine->record_reader_roles_.empty() &&
      engine->rules_.record_readers_clause().clause().empty())
    return absl::InvalidArgumentError(
        "document_access.record_readers_clause: readers of the record must cite their clause");
  return std::unique_ptr<const DecisionEngine>(std::move(engine));
}

bool DecisionEngine::IsRecordReader(const std::vector<std::string>& roles) const {
  for (const auto& role : roles)
    if (record_reader_roles_.contains(role)) return true;
  return false;
}

bool DecisionEngine::ReliedOnExemption(const v1::Document& document) const {
  for (int paragraph : document.exempt_paragraphs())
    if (paragraph >= 0 && paragraph < 16 && relied_on_paragraphs_.test(paragraph)) return true;
  return false;
}

bool DecisionEngine::InterestCounts(const InterestFact& interest) const {
  return interest_categories_.empty() || interest_categories_.contains(interest.category);
}

void DecisionEngine::AddGrantConditions(const v1::Document& document,
                                        v1::AccessDecision* decision) const {
  auto add = [&](const profile::v1::GrantCondition& condition, std::string finding) {
    decision->add_conditions(absl::StrCat(condition.text(), " (", condition.clause().clause(), ")"));
    auto* reason = decision->add_reasons();
    *reason->mutable_citation() = condition.clause();
    reason->set_finding(std::move(finding));
  };
  for (const auto& condition : rules_.grant_conditions())
    add(condition, absl::StrCat("condition: ", condition.id()));
  if (IsNotForPublication(document) && !rules_.not_for_publication().id().empty())
    add(rules_.not_for_publication(), "document is marked \"Not for Publication\"");
}

void DecisionEngine::AddRefusalReasons(v1::AccessDecision* decision) const {
  if (rules_.refusal_reasons_clause().clause().empty()) return;
  auto* reason = decision->add_reasons();
  *reason->mutable_citation() = rules_.refusal_reasons_clause();
  reason->set_finding("the reasons for refusal are given above");
}

v1::Capacity DecisionEngine::FittingCapacity(const v1::Document& document,
                                             const RequesterFacts& facts) {
  return Contains(document.wards(), facts.ward) ? v1::CAPACITY_WARD_MEMBER : v1::CAPACITY_OTHER;
}

v1::AccessDecision DecisionEngine::Decide(const v1::Document& document, const Ask& ask,
                                          const RequesterFacts& facts,
                                          absl::CivilDay today) const {
  v1::AccessDecision decision;
  decision.set_profile(profile_->id());
  decision.set_decided_by("services/access-service");
  Trace trace(&decision);
  decision.set_outcome(Run(document, ask, facts, today, &trace));
  return decision;
}

bool DecisionEngine::Grants(const v1::Document& document, const Ask& ask,
                            const RequesterFacts& facts, absl::CivilDay today) const {
  return Run(document, ask, facts, today, nullptr) == v1::OUTCOME_GRANTED;
}

v1::Outcome DecisionEngine::Run(const v1::Document& document, const Ask& ask,
                                const RequesterFacts& facts, absl::CivilDay today,
                                Trace* trace) const {
  const auto& rules = rules_;
  // Records a reason; `finding` is only evaluated when tracing.
  auto note = [trace](const common::v1::ClauseCitation& clause, auto&& finding) {
    if (trace == nullptr) return;
    auto* reason = trace->decision()->add_reasons();
    *reason->mutable_citation() = clause;
    reason->set_finding(finding());
  };
  auto grant = [&]() {
    if (trace != nullptr) AddGrantConditions(document, trace->decision());
    return v1::OUTCOME_GRANTED;
  };
  auto refuse = [&]() {
    if (trace != nullptr) AddRefusalReasons(trace->decision());
    return v1::OUTCOME_REFUSED;
  };
  auto refer = [&]() {
    if (trace != nullptr) {
      auto* decision = trace->decision();
      const auto& decider = rules.dispute_decider();
      if (decider.has_relative() &&
          decider.relative() == profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER &&
          !document.holding_chief_officer().empty()) {
        decision->set_referred_to(document.holding_chief_officer());
      } else {
        decision->set_referred_to(DeciderName(decider));
      }
      if (!decider.advised_by_designation_id().empty())
        decision->set_advised_by(
            absl::StrCat("designations/", decider.advised_by_designation_id()));
      note(rules.dispute_clause(), [&] {
        return absl::StrCat("referred to ", decision->referred_to(), " to decide",
                            decision->advised_by().empty()
                                ? ""
                                : absl::StrCat(", with advice from ", decision->advised_by()));
      });
    }
    return v1::OUTCOME_REFERRED;
  };
  // `why` is a callable returning the finding's opening, evaluated only when tracing.
  auto foi = [&](auto&& why) {
    if (trace != nullptr) {
      auto* decision = trace->decision();
      const int days = rules.foi().working_days() > 0 ? rules.foi().working_days() : 20;
      const absl::CivilDay due = foi_calendar_.DueDate(today, days);
      *decision->mutable_foi_due_date() = ToProtoDate(due);
      for (const auto& skipped : foi_calendar_.NonWorkingDaysBetween(today, due)) {
        auto* day = decision->add_foi_skipped_days();
        *day->mutable_date() = ToProtoDate(skipped.day);
        day->set_reason(skipped.reason);
      }
      note(rules.foi().clause(), [&] {
        return absl::StrCat(why(), ", so it is handled as a Freedom of Information request: due ",
                            FormatDay(due), ", ", days,
                            " working days after receipt on ", FormatDay(today),
                            " (FOI Act 2000 s10(1); working days as defined in s10(6), which "
                            "skips ",
                            decision->foi_skipped_days_size(), " days)");
      });
    }
    return v1::OUTCOME_HANDLED_AS_FOI;
  };
  auto apply = [&](AccessEffect effect) {
    switch (effect) {
      case profile::v1::ACCESS_EFFECT_GRANT:
        return grant();
      case profile::v1::ACCESS_EFFECT_REFUSE:
        return refuse();
      case profile::v1::ACCESS_EFFECT_NEEDS_JUSTIFICATION:
        return v1::OUTCOME_NEEDS_JUSTIFICATION;
      case profile::v1::ACCESS_EFFECT_HANDLE_AS_FOI:
        return foi([] { return std::string("the protocol sends this request to FOI"); });
      default:
        return refer();
    }
  };

  // 0. Political assistants ask with members' level of access for their group.
  if (facts.kind == RequesterKind::kPoliticalAssistant &&
      Enabled(rules.political_assistant_access()))
    note(rules.political_assistant_access().clause(), [&] {
      return absl::StrCat("requester is a political assistant",
                          facts.party_group.empty() ? "" : " to ", facts.party_group,
                          ", with members' level of access for their group");
    });

  // 1a. Another party group's internal documents are never needed.
  if (Enabled(rules.other_party_group()) && !document.party_group().empty() &&
      document.party_group() != facts.party_group) {
    note(rules.other_party_group().clause(), [&] {
      return absl::StrCat("document forms part of the internal workings of ",
                          document.party_group(), "; the requester ",
                          facts.party_group.empty()
                              ? "belongs to no party group"
                              : absl::StrCat("belongs to ", facts.party_group));
    });
    return apply(rules.other_party_group().effect());
  }

  // 1b. Advice another member asked for is kept from other members.
  if (Enabled(rules.requested_advice_confidential()) && !document.requested_advice_for().empty() &&
      document.requested_advice_for() != facts.person) {
    note(rules.requested_advice_confidential().clause(), [&] {
      return absl::StrCat("document is advice requested by ", document.requested_advice_for(),
                          ", kept confidential from other members");
    });
    return apply(rules.requested_advice_confidential().effect());
  }

  // 1c. A declared interest in a matter the document concerns.
  if (Enabled(rules.interest_in_matter()) && !facts.interests_by_matter.empty()) {
    for (const auto& matter : document.matters()) {
      auto interests = facts.interests_by_matter.find(matter);
      if (interests == facts.interests_by_matter.end()) continue;
      for (const auto& interest : interests->second) {
        if (!InterestCounts(interest)) continue;
        note(rules.interest_in_matter().clause(), [&] {
          return absl::StrCat("requester has a declared ", interest.category, " interest (",
                              interest.name, ") in ", matter, ", which the document concerns");
        });
        return apply(rules.interest_in_matter().effect());
      }
    }
  }

  // 2. Advice the requester asked for is theirs.
  if (Enabled(rules.requested_advice_confidential()) && !document.requested_advice_for().empty()) {
    note(rules.requested_advice_confidential().clause(),
         [] { return "document is advice the requester asked for"; });
    return grant();
  }

  // 2b. Third parties' personal data must be justified even where a
  // presumption would grant (Sheffield 14.6), when the profile says so.
  const bool personal_data_first = Enabled(rules.third_party_personal_data()) &&
                                   rules.third_party_personal_data_overrides_presumptions() &&
                                   document.third_party_personal_data();
  if (personal_data_first) {
    if (absl::StripAsciiWhitespace(ask.justification).empty()) {
      note(rules.third_party_personal_data().clause(), [] {
        return "document holds personal information about third parties: every member, "
               "presumed to need it or not, must justify the request in specific terms "
               "(in writing: set `justification`)";
      });
      return apply(rules.third_party_personal_data().effect());
    }
    note(rules.third_party_personal_data().clause(), [&] {
      return absl::StrCat("document holds personal information about third parties; justified "
                          "in specific terms: \"",
                          ask.justification, "\"");
    });
  }

  // 3. Presumptions.
  if (Enabled(rules.body_membership()) && !document.body().empty() && !facts.bodies.empty() &&
      facts.bodies.contains(document.body())) {
    note(rules.body_membership().clause(), [&] {
      return absl::StrCat("requester sits on ", document.body(), ", whose business this is");
    });
    return apply(rules.body_membership().effect());
  }
  if (Enabled(rules.portfolio_holder())) {
    if (!document.portfolio().empty() && !facts.portfolios.empty() &&
        facts.portfolios.contains(document.portfolio())) {
      note(rules.portfolio_holder().clause(), [&] {
        return absl::StrCat("requester holds ", document.portfolio(),
                            ", which the document falls under");
      });
      return apply(rules.portfolio_holder().effect());
    }
    if (!facts.portfolio_services.empty() &&
        facts.portfolio_services.contains(document.owning_service())) {
      note(rules.portfolio_holder().clause(), [&] {
        return absl::StrCat("requester holds the portfolio covering the ",
                            document.owning_service(), " service, which owns the document");
      });
      return apply(rules.portfolio_holder().effect());
    }
  }
  if (Enabled(rules.ward_member()) && ask.capacity == v1::CAPACITY_WARD_MEMBER) {
    if (Contains(document.wards(), facts.ward)) {
      note(rules.ward_member().clause(), [&] {
        return absl::StrCat("requester represents ", facts.ward,
                            ", which the document concerns, and asks for a constituent");
      });
      return apply(rules.ward_member().effect());
    }
    note(rules.ward_member().clause(), [&] {
      return absl::StrCat("requester asks as ward member but ",
                          facts.ward.empty() ? "represents no ward"
                                             : absl::StrCat("represents ", facts.ward),
                          document.wards().empty()
                              ? " and the document concerns no ward"
                              : absl::StrCat(" and the document concerns ",
                                             absl::StrJoin(document.wards(), ", ")),
                          ": no presumption");
    });
  }
  if (Enabled(rules.meeting_business()) && document.has_meeting_date()) {
    if (personal_data_first) {
      // Personal information about individuals is exempt (Schedule 12A
      // paragraph 1), and the statutory right excludes exempt items.
      note(rules.meeting_business().clause(), [&] {
        return absl::StrCat("document is for business at a meeting on ",
                            DayText(document.meeting_date()),
                            " but holds personal information about third parties, which is "
                            "exempt information, so the right to meeting papers does not "
                            "extend to it");
      });
    } else if (!IsConfidentialOrExempt(document)) {
      note(rules.meeting_business().clause(), [&] {
        return absl::StrCat("document is for business at a meeting",
                            document.body().empty() ? "" : " of ", document.body(), " on ",
                            DayText(document.meeting_date()),
                            ": open to every member whether or not they sit on it");
      });
      return apply(rules.meeting_business().effect());
    } else {
      note(rules.meeting_business().clause(), [&] {
        return absl::StrCat("document is for business at a meeting on ",
                            DayText(document.meeting_date()),
                            " but is confidential or exempt, so the right to meeting papers "
                            "does not extend to it");
      });
    }
  }

  // 4. Freedom of Information routing.
  if (rules.foi().enabled()) {
    const bool unrelated = rules.foi().when_unrelated_to_meeting() && !document.has_meeting_date();
    const bool not_ward_member = rules.foi().when_not_ward_member() && !document.wards().empty() &&
                                 !Contains(document.wards(), facts.ward);
    if (unrelated)
      return foi([] { return std::string("the document is unrelated to any council meeting"); });
    if (not_ward_member)
      return foi([&] {
        return absl::StrCat("the document concerns ", absl::StrJoin(document.wards(), ", "),
                            " and the requester is not the ward member");
      });
  }

  // 5. Confidential or exempt information is not available on need to know.
  if (Enabled(rules.confidential_bars_need_to_know())) {
    if (document.status() == v1::DOCUMENT_STATUS_CONFIDENTIAL) {
      note(rules.confidential_bars_need_to_know().clause(), [] {
        return "document contains confidential information (Local Government Act 1972 "
               "s100A(3)) and the requester has no presumed need to know";
      });
      return apply(rules.confidential_bars_need_to_know().effect());
    }
    if (document.status() == v1::DOCUMENT_STATUS_EXEMPT) {
      if (ReliedOnExemption(document)) {
        note(rules.confidential_bars_need_to_know().clause(), [&] {
          return absl::StrCat("document contains exempt information (Schedule 12A paragraph ",
                              Paragraphs(document), ", ",
                              rules.exempt_information().numbering().empty()
                                  ? "post-2006"
                                  : rules.exempt_information().numbering(),
                              " numbering) and the requester has no presumed need to know");
        });
        return apply(rules.confidential_bars_need_to_know().effect());
      }
      if (!rules.exempt_information().clause().clause().empty())
        note(rules.exempt_information().clause(), [&] {
          return absl::StrCat("document is exempt only under Schedule 12A paragraph ",
                              Paragraphs(document),
                              ", which the council does not rely on to decline inspection");
        });
    }
  }

  // 6. No stated need, no access.
  if (Enabled(rules.need_to_know()) &&
      absl::StripAsciiWhitespace(ask.purpose).empty()) {
    note(rules.need_to_know().clause(), [] {
      return "no need to know was stated; curiosity is not enough (no roving commission, no "
             "fishing expedition)";
    });
    return refuse();
  }

  // 7. Third parties' personal data must be justified in specific terms
  // (already done, before the presumptions, under an overriding profile).
  if (Enabled(rules.third_party_personal_data()) && document.third_party_personal_data() &&
      !personal_data_first) {
    if (absl::StripAsciiWhitespace(ask.justification).empty()) {
      note(rules.third_party_personal_data().clause(), [] {
        return "document holds personal information about third parties: the request must "
               "be justified in specific terms (in writing: set `justification`)";
      });
      return apply(rules.third_party_personal_data().effect());
    }
    note(rules.third_party_personal_data().clause(), [&] {
      return absl::StrCat("document holds personal information about third parties; justified "
                          "in specific terms: \"",
                          ask.justification, "\"");
    });
  }

  // 8. A stated need: the profile's effect.
  if (Enabled(rules.need_to_know())) {
    note(rules.need_to_know().clause(),
         [&] { return absl::StrCat("need to know stated: \"", ask.purpose, "\""); });
    return apply(rules.need_to_know().effect());
  }

  // 9. Whoever decides disputes under this profile decides.
  return refer();
}

}  // namespace council::access
