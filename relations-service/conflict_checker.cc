#include "relations-service/conflict_checker.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace council::relations {
namespace {

using common::v1::ClauseCitation;

void Reason(v1::CheckConflictResponse* out, const ClauseCitation& clause, std::string finding) {
  auto* reason = out->add_reasons();
  *reason->mutable_citation() = clause;
  reason->set_finding(std::move(finding));
}

ClauseCitation Citation(std::string clause, std::string summary) {
  ClauseCitation citation;
  citation.set_clause(std::move(clause));
  citation.set_summary(std::move(summary));
  return citation;
}

// The rule against bias: nobody is a judge in their own cause. Every
// protocol's complaint procedure presumes it; none states it as a clause. It
// is the common law's automatic disqualification of a party to the cause
// (Dimes v Proprietors of Grand Junction Canal (1852) 3 HLC 759; R v Bow
// Street Metropolitan Stipendiary Magistrate, ex p Pinochet Ugarte (No 2)
// [2000] 1 AC 119), so it applies under every profile, whatever rules the
// protocol has for the setting.
ClauseCitation OwnCause() {
  return Citation("Rule against bias (nemo iudex in causa sua)",
                  "Nobody handles, hears or decides a matter to which they are themselves a "
                  "party: automatic disqualification (Dimes v Grand Junction Canal (1852); "
                  "R v Bow Street Magistrate, ex p Pinochet (No 2) [2000] 1 AC 119).");
}

// What `other_person` is in `setting`, for the finding of an own-cause check.
const char* OtherPartyIn(v1::ConflictSetting setting) {
  switch (setting) {
    case v1::CONFLICT_SETTING_BODY_OR_DECISION: return "the officer the decision affects";
    case v1::CONFLICT_SETTING_APPOINTMENT_PANEL: return "the candidate";
    case v1::CONFLICT_SETTING_APPEAL_HEARING: return "the appellant";
    default: return "the subject of the matter";
  }
}

const profile::v1::ConflictRule* RuleFor(const profile::v1::CouncilProfile& profile,
                                         v1::ConflictSetting setting) {
  switch (setting) {
    case v1::CONFLICT_SETTING_BODY_OR_DECISION:
      return &profile.declarations().body_or_decision();
    case v1::CONFLICT_SETTING_APPOINTMENT_PANEL:
      return &profile.declarations().appointment_panel();
    case v1::CONFLICT_SETTING_APPEAL_HEARING:
      return &profile.declarations().appeal_hearing();
    default:
      return nullptr;
  }
}

bool Lists(const google::protobuf::RepeatedPtrField<std::string>& kinds,
           v1::RelationshipKind kind) {
  return std::find(kinds.begin(), kinds.end(), KindName(kind)) != kinds.end();
}

bool KindConflicts(const profile::v1::ConflictRule& rule, v1::RelationshipKind kind) {
  return rule.conflicting_kinds().empty() || Lists(rule.conflicting_kinds(), kind);
}

std::string DateText(const common::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

// Relationship-based settings: bodies/decisions, panels, hearings, handling.
void CheckRelationships(const DirectorySnapshot& directory,
                        const profile::v1::CouncilProfile& profile,
                        const v1::CheckConflictRequest& request, absl::CivilDay day,
                        v1::CheckConflictResponse* out) {
  // A person asked about themselves is a party to the cause, in every
  // setting and under every profile: the strongest conflict there is, and
  // never "no conflict" (issue 18).
  if (request.person() == request.other_person()) {
    out->set_conflicted(true);
    Reason(out, OwnCause(),
           absl::StrCat(request.person(), " is ", OtherPartyIn(request.setting()),
                        request.setting() == v1::CONFLICT_SETTING_HANDLING
                            ? ""
                            : ": nobody sits in their own cause"));
    return;
  }
  const profile::v1::ConflictRule* rule = RuleFor(profile, request.setting());
  if (rule != nullptr && !rule->enabled()) {
    Reason(out,
           Citation(absl::StrCat(profile.display_name(), " protocol"),
                    "The protocol has no rule for this setting."),
           "no conflict rule applies under this council's protocol");
    return;
  }
  const ClauseCitation& clause =
      rule != nullptr ? rule->clause() : profile.declarations().relationships_clause();
  for (const v1::Relationship* relationship :
       directory.DeclaredBetween(request.person(), request.other_person())) {
    const bool in_force = InForce(nullptr, &relationship->end_date(), day);
    // An ended relationship conflicts only where the clause is in the past
    // tense for its kind (Middlesbrough 6.5: "has had a working relationship").
    const bool past_tense =
        rule != nullptr && Lists(rule->kinds_conflicting_after_end(), relationship->kind());
    if (!in_force && !past_tense) continue;
    if (rule != nullptr && !KindConflicts(*rule, relationship->kind())) {
      Reason(out, clause,
             absl::StrCat("declared ", KindName(relationship->kind()), " relationship ",
                          relationship->name(), " is not a kind this rule covers"));
      continue;
    }
    out->set_conflicted(true);
    out->add_relationships(relationship->name());
    Reason(out, clause,
           absl::StrCat("declared ", KindName(relationship->kind()), " relationship ",
                        relationship->name(), " between ", request.person(), " and ",
                        request.other_person(),
                        in_force ? ""
                                 : absl::StrCat(", ended ", DateText(relationship->end_date()),
                                                ", which the clause still covers (past tense "
                                                "for this kind)")));
  }
  if (!out->conflicted())
    Reason(out, clause,
           absl::StrCat("no declared relationship in force between ", request.person(), " and ",
                        request.other_person()));
}

void CheckInterest(const DirectorySnapshot& directory, const profile::v1::CouncilProfile& profile,
                   const v1::CheckConflictRequest& request, absl::CivilDay day,
                   v1::CheckConflictResponse* out) {
  const auto& rule = profile.document_access().interest_in_matter();
  const ClauseCitation clause =
      rule.enabled() ? rule.clause()
                     : Citation("Localism Act 2011 s31",
                                "A member with a disclosable pecuniary interest in a matter "
                                "must not participate in it.");
  auto it = directory.interests_by_person.find(request.person());
  if (it != directory.interests_by_person.end()) {
    for (const auto& name : it->second) {
      const v1::Interest& interest = directory.interests.at(name);
      if (!InForce(&interest.arose_on(), &interest.end_date(), day)) continue;
      if (std::find(interest.matters().begin(), interest.matters().end(), request.matter()) ==
          interest.matters().end())
        continue;
      out->set_conflicted(true);
      out->add_interests(name);
      Reason(out, clause,
             absl::StrCat(request.person(), " has a registered ",
                          interest.holder() == v1::INTEREST_HOLDER_PARTNER ? "partner's " : "",
                          "interest ", name, " in ", request.matter()));
    }
  }
  if (!out->conflicted())
    Reason(out, clause,
           absl::StrCat("no interest of ", request.person(), " in ", request.matter(),
                        " in force"));
}

}  // namespace

std::string KindName(v1::RelationshipKind kind) {
  std::string name(absl::StripPrefix(v1::RelationshipKind_Name(kind), "RELATIONSHIP_KIND_"));
  absl::AsciiStrToLower(&name);
  return absl::StrReplaceAll(name, {{"_", "-"}});
}

v1::CheckConflictResponse CheckConflict(const DirectorySnapshot& directory,
                                        const profile::v1::CouncilProfile& profile,
                                        const v1::CheckConflictRequest& request,
                                        absl::CivilDay day) {
  v1::CheckConflictResponse out;
  if (request.setting() == v1::CONFLICT_SETTING_INTEREST_IN_MATTER) {
    CheckInterest(directory, profile, request, day, &out);
  } else {
    CheckRelationships(directory, profile, request, day, &out);
  }
  // Who else may act: the other members for the same ward, if not conflicted
  // themselves (a ward is represented by all its members).
  if (out.conflicted()) {
    const v1::Person* person = directory.FindPerson(request.person());
    if (person != nullptr && !person->ward().empty()) {
      auto ward = directory.members_by_ward.find(person->ward());
      if (ward != directory.members_by_ward.end()) {
        std::vector<std::string> others = ward->second;
        std::sort(others.begin(), others.end());
        for (const auto& other : others) {
          if (other == request.person()) continue;
          const v1::Person* colleague = directory.FindPerson(other);
          if (colleague == nullptr ||
              !InForce(&colleague->start_date(), &colleague->end_date(), day))
            continue;
          v1::CheckConflictRequest alternative = request;
          alternative.set_person(other);
          v1::CheckConflictResponse answer;
          if (request.setting() == v1::CONFLICT_SETTING_INTEREST_IN_MATTER)
            CheckInterest(directory, profile, alternative, day, &answer);
          else
            CheckRelationships(directory, profile, alternative, day, &answer);
          if (!answer.conflicted()) out.add_alternatives(other);
        }
      }
    }
  }
  return out;
}

}  // namespace council::relations
