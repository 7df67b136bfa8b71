#include "complaints-service/routing.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/resource_names.h"

namespace council::complaints {
namespace {

using profile::v1::ComplaintKind;
using profile::v1::HandlerRef;
using profile::v1::Relative;

// A person who might handle, or why nobody could be found at this point.
struct Candidate {
  std::string person;
  std::string designation;
  std::string body;
  std::string basis;
  bool vetted = false;       // relations-service already excluded parties and relatives
  std::string unavailable;   // non-empty: nobody here, and why
  std::string placeholder;   // what was unavailable (a post, a designation)
  std::vector<common::v1::DecisionReason> reasons;
  std::vector<std::string> relationships;  // behind `unavailable`, if a conflict
};

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string PostLabel(const PostFacts& post) {
  return absl::StrCat(post.post, " ", post.title);
}

// Candidates up a chain starting at index `from` of [own, above...].
void ChainFrom(const ChainFacts& chain, size_t from, const std::string& first_basis,
               const std::string& whose, absl::CivilDay day, std::vector<Candidate>* out) {
  std::vector<const PostFacts*> posts = {&chain.own};
  for (const auto& post : chain.above) posts.push_back(&post);
  for (size_t i = from; i < posts.size(); ++i) {
    Candidate c;
    c.basis = i == from ? absl::StrCat(first_basis, " (", PostLabel(*posts[i]), ")")
                        : absl::StrCat("next in the management chain above ", whose, " (",
                                       PostLabel(*posts[i]), ")");
    if (posts[i]->holder.empty()) {
      c.placeholder = posts[i]->post;
      c.unavailable = absl::StrCat("post vacant on ", FormatDay(day));
    } else {
      c.person = posts[i]->holder;
    }
    out->push_back(std::move(c));
  }
}

Candidate Unavailable(std::string placeholder, std::string why) {
  Candidate c;
  c.placeholder = std::move(placeholder);
  c.unavailable = std::move(why);
  return c;
}

void ChainCandidates(Relative relative, const std::optional<ChainFacts>& chain,
                     const std::string& whose, absl::CivilDay day, std::vector<Candidate>* out) {
  if (!chain.has_value()) {
    out->push_back(Unavailable(whose, absl::StrCat("holds no post on ", FormatDay(day))));
    return;
  }
  switch (relative) {
    case profile::v1::RELATIVE_LINE_MANAGER:
    case profile::v1::RELATIVE_COMPLAINANT_LINE_MANAGER:
      if (chain->above.empty()) {
        out->push_back(Unavailable(whose, "has no line manager (heads the paid service)"));
        return;
      }
      ChainFrom(*chain, 1, absl::StrCat("line manager of ", whose), whose, day, out);
      return;
    case profile::v1::RELATIVE_HEAD_OF_SERVICE:
    case profile::v1::RELATIVE_CHIEF_OFFICER:
    case profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER: {
      const bool head = relative == profile::v1::RELATIVE_HEAD_OF_SERVICE;
      std::vector<const PostFacts*> posts = {&chain->own};
      for (const auto& post : chain->above) posts.push_back(&post);
      size_t found = posts.size();
      for (size_t i = 0; i < posts.size() && found == posts.size(); ++i)
        if (head ? posts[i]->head_of_service : posts[i]->chief_officer) found = i;
      if (found == posts.size() && head) {
        // No head of service above the officer: the chief officer is next.
        for (size_t i = 0; i < posts.size() && found == posts.size(); ++i)
          if (posts[i]->chief_officer) found = i;
        out->push_back(Unavailable(
            absl::StrCat("head of service of ", whose),
            "no head-of-service post in the chain; the chief officer is next"));
      }
      if (found == posts.size()) {
        out->push_back(Unavailable(absl::StrCat(head ? "head of service" : "chief officer",
                                                " of ", whose),
                                   "no such post in the management chain"));
        return;
      }
      ChainFrom(*chain, found,
                absl::StrCat(head ? "head of service" : "chief officer", " over ", whose), whose,
                day, out);
      return;
    }
    default:
      return;
  }
}

void GroupCandidates(Relative relative, const std::optional<GroupFacts>& group,
                     const std::string& whose, std::vector<Candidate>* out) {
  if (!group.has_value()) {
    out->push_back(Unavailable(absl::StrCat("party group of ", whose),
                               absl::StrCat(whose, " belongs to no party group")));
    return;
  }
  const bool whip = relative == profile::v1::RELATIVE_GROUP_WHIP ||
                    relative == profile::v1::RELATIVE_COMPLAINANT_GROUP_WHIP;
  std::vector<std::pair<std::string, std::string>> order;
  if (whip) {
    order = {{group->whip, "whip"}, {group->leader, "leader"}};
  } else {
    order = {{group->leader, "leader"}, {group->deputy_leader, "deputy leader"}};
  }
  for (const auto& [person, office] : order) {
    Candidate c;
    c.basis = absl::StrCat(office, " of ", group->name, ", ", whose, "'s group");
    if (person.empty()) {
      c.placeholder = absl::StrCat(office, " of ", group->name);
      c.unavailable = "office not filled";
    } else {
      c.person = person;
    }
    out->push_back(std::move(c));
  }
}

// The candidates for one reference, in order, then its alternatives'.
void Candidates(const HandlerRef& ref, const RoutingFacts& facts, std::vector<Candidate>* out) {
  const std::string subject = facts.subject;
  const std::string complainant = facts.complainant.name;
  switch (ref.handler_case()) {
    case HandlerRef::kDesignationId: {
      const std::string name = absl::StrCat("designations/", ref.designation_id());
      auto it = facts.acting.find(ref.designation_id());
      if (it == facts.acting.end()) {
        out->push_back(Unavailable(name, "not looked up"));
      } else if (!it->second.status.ok()) {
        out->push_back(Unavailable(name, absl::StrCat("nobody can act on ",
                                                      FormatDay(facts.as_of), ": ",
                                                      it->second.status.message())));
      } else {
        // Holders relations-service passed over for a deputy are recorded as
        // passed over here too, not only in the reasons' text.
        for (const auto& passed : it->second.passed_over) {
          Candidate skipped = Unavailable(
              passed.person().empty() ? passed.designation() : passed.person(), passed.reason());
          skipped.basis = absl::StrCat("holder of ", passed.designation());
          skipped.relationships.assign(passed.relationships().begin(),
                                       passed.relationships().end());
          out->push_back(std::move(skipped));
        }
        Candidate c;
        c.person = it->second.person;
        c.designation = absl::StrCat("designations/", it->second.designation.empty()
                                                          ? ref.designation_id()
                                                          : it->second.designation);
        c.basis = c.designation == name
                      ? absl::StrCat("holder of ", name)
                      : absl::StrCat("acting for ", name, " as ", c.designation);
        c.vetted = true;
        c.reasons = it->second.reasons;
        out->push_back(std::move(c));
      }
      break;
    }
    case HandlerRef::kRelative: {
      const Relative relative = ref.relative();
      switch (relative) {
        case profile::v1::RELATIVE_LINE_MANAGER:
        case profile::v1::RELATIVE_HEAD_OF_SERVICE:
        case profile::v1::RELATIVE_CHIEF_OFFICER:
          if (absl::StartsWith(subject, "services/"))
            ChainCandidates(relative, facts.service_chain, subject, facts.as_of, out);
          else
            ChainCandidates(relative, facts.subject_chain, subject, facts.as_of, out);
          break;
        case profile::v1::RELATIVE_COMPLAINANT_LINE_MANAGER:
          ChainCandidates(relative, facts.complainant_chain, complainant, facts.as_of, out);
          break;
        case profile::v1::RELATIVE_COMPLAINANT_CHIEF_OFFICER:
          ChainCandidates(profile::v1::RELATIVE_CHIEF_OFFICER, facts.complainant_chain,
                          complainant, facts.as_of, out);
          break;
        case profile::v1::RELATIVE_SUBJECT:
          if (absl::StartsWith(subject, "people/")) {
            Candidate c;
            c.person = subject;
            c.basis = absl::StrCat(subject, ", the person complained about");
            out->push_back(std::move(c));
          } else {
            out->push_back(Unavailable(subject, "is a service, not a person"));
          }
          break;
        case profile::v1::RELATIVE_GROUP_LEADER:
        case profile::v1::RELATIVE_GROUP_WHIP:
          GroupCandidates(relative, facts.subject_group, subject, out);
          break;
        case profile::v1::RELATIVE_COMPLAINANT_GROUP_LEADER:
        case profile::v1::RELATIVE_COMPLAINANT_GROUP_WHIP:
          GroupCandidates(relative, facts.complainant_group, complainant, out);
          break;
        default:
          out->push_back(Unavailable(RelativeName(relative),
                                     "not a relation complaints can be routed by"));
      }
      break;
    }
    case HandlerRef::kBodyId: {
      const std::string& body = ref.body_id();
      auto it = facts.body_chairs.find(body);
      if (it == facts.body_chairs.end() || it->second.empty()) {
        out->push_back(
            Unavailable(body, absl::StrCat("has no chair on ", FormatDay(facts.as_of))));
      } else {
        for (size_t i = 0; i < it->second.size(); ++i) {
          Candidate c;
          c.person = it->second[i];
          c.body = body;
          c.basis = absl::StrCat(i == 0 ? "chair of " : "vice-chair of ", body);
          out->push_back(std::move(c));
        }
      }
      break;
    }
    case HandlerRef::HANDLER_NOT_SET:
      out->push_back(Unavailable("handler", "not set in the profile"));
      break;
  }
  for (const auto& alternative : ref.alternatives()) {
    std::vector<Candidate> more;
    Candidates(alternative, facts, &more);
    for (auto& c : more) {
      c.basis = absl::StrCat("alternative handler: ", c.basis);
      out->push_back(std::move(c));
    }
  }
}

void MergeNeeds(const FactNeeds& from, FactNeeds* into) {
  into->complainant_chain |= from.complainant_chain;
  into->subject_chain |= from.subject_chain;
  into->service_chain |= from.service_chain;
  into->head_of_service_flags |= from.head_of_service_flags;
  into->complainant_group |= from.complainant_group;
  into->subject_group |= from.subject_group;
  for (const auto& d : from.designations)
    if (!Contains(into->designations, d)) into->designations.push_back(d);
  for (const auto& b : from.bodies)
    if (!Contains(into->bodies, b)) into->bodies.push_back(b);
}

void PassOver(const Candidate& c, const std::string& reason,
              const std::vector<std::string>& relationships, v1::HandlerAssignment* a) {
  auto* passed = a->add_passed_over();
  passed->set_person(c.person.empty() ? c.placeholder : c.person);
  passed->set_reason(c.basis.empty() ? reason : absl::StrCat(reason, " [", c.basis, "]"));
  for (const auto& r : relationships) passed->add_relationships(r);
}

}  // namespace

std::string ConflictKey(absl::string_view person, absl::string_view other) {
  return absl::StrCat(person, "|", other);
}

std::string RelativeName(Relative relative) {
  switch (relative) {
    case profile::v1::RELATIVE_LINE_MANAGER: return "line manager";
    case profile::v1::RELATIVE_HEAD_OF_SERVICE: return "head of service";
    case profile::v1::RELATIVE_CHIEF_OFFICER: return "chief officer";
    case profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER:
      return "document-holding chief officer";
    case profile::v1::RELATIVE_GROUP_LEADER: return "group leader";
    case profile::v1::RELATIVE_GROUP_WHIP: return "group whip";
    case profile::v1::RELATIVE_COMPLAINANT_LINE_MANAGER: return "complainant's line manager";
    case profile::v1::RELATIVE_COMPLAINANT_CHIEF_OFFICER: return "complainant's chief officer";
    case profile::v1::RELATIVE_SUBJECT: return "person complained about";
    case profile::v1::RELATIVE_COMPLAINANT_GROUP_LEADER: return "complainant's group leader";
    case profile::v1::RELATIVE_COMPLAINANT_GROUP_WHIP: return "complainant's group whip";
    default: return "relative";
  }
}

FactNeeds NeedsForHandler(const HandlerRef& ref) {
  FactNeeds needs;
  switch (ref.handler_case()) {
    case HandlerRef::kDesignationId:
      needs.designations.push_back(ref.designation_id());
      break;
    case HandlerRef::kRelative:
      switch (ref.relative()) {
        case profile::v1::RELATIVE_HEAD_OF_SERVICE:
          needs.head_of_service_flags = true;
          [[fallthrough]];
        case profile::v1::RELATIVE_LINE_MANAGER:
        case profile::v1::RELATIVE_CHIEF_OFFICER:
          needs.subject_chain = true;
          needs.service_chain = true;
          break;
        case profile::v1::RELATIVE_COMPLAINANT_LINE_MANAGER:
        case profile::v1::RELATIVE_COMPLAINANT_CHIEF_OFFICER:
          needs.complainant_chain = true;
          break;
        case profile::v1::RELATIVE_GROUP_LEADER:
        case profile::v1::RELATIVE_GROUP_WHIP:
          needs.subject_group = true;
          break;
        case profile::v1::RELATIVE_COMPLAINANT_GROUP_LEADER:
        case profile::v1::RELATIVE_COMPLAINANT_GROUP_WHIP:
          needs.complainant_group = true;
          break;
        default:
          break;
      }
      break;
    case HandlerRef::kBodyId:
      needs.bodies.push_back(ref.body_id());
      break;
    case HandlerRef::HANDLER_NOT_SET:
      break;
  }
  if (!ref.advised_by_designation_id().empty())
    needs.designations.push_back(ref.advised_by_designation_id());
  for (const auto& alternative : ref.alternatives())
    MergeNeeds(NeedsForHandler(alternative), &needs);
  return needs;
}

FactNeeds NeedsFor(const profile::v1::ComplaintRoute& route, int stage_index,
                   const StageOptions& options) {
  FactNeeds needs;
  if (stage_index < 0 || stage_index >= route.stages_size()) return needs;
  const auto& stage = route.stages(stage_index);
  MergeNeeds(NeedsForHandler(options.direct && stage.has_direct_handler() ? stage.direct_handler()
                                                                          : stage.handler()),
             &needs);
  if (stage.has_facilitator()) MergeNeeds(NeedsForHandler(stage.facilitator()), &needs);
  if (stage.has_investigator()) MergeNeeds(NeedsForHandler(stage.investigator()), &needs);
  for (const auto& ref : stage.joint_handlers()) MergeNeeds(NeedsForHandler(ref), &needs);
  for (const auto& ref : stage.notify_on_entry()) MergeNeeds(NeedsForHandler(ref), &needs);
  if (stage_index == 0)
    for (const auto& ref : route.notify_on_filing()) MergeNeeds(NeedsForHandler(ref), &needs);
  return needs;
}

bool IsMemberSide(relations::v1::PersonKind kind) {
  return kind == relations::v1::PERSON_KIND_MEMBER ||
         kind == relations::v1::PERSON_KIND_CO_OPTED_MEMBER;
}

bool IsOfficerSide(relations::v1::PersonKind kind) {
  return kind == relations::v1::PERSON_KIND_OFFICER ||
         kind == relations::v1::PERSON_KIND_POLITICAL_ASSISTANT;
}

bool IsSeniorOfficer(const profile::v1::ComplaintRules& rules, const RoutingFacts& facts,
                     std::string* why) {
  const bool defaults = !rules.has_senior_officers();
  const auto& senior = rules.senior_officers();
  const std::string clause =
      defaults ? std::string("default: chief officers and statutory officers")
               : senior.clause().clause();
  if (facts.subject_chain.has_value()) {
    const PostFacts& own = facts.subject_chain->own;
    if ((defaults || senior.chief_officer_posts()) && own.chief_officer) {
      *why = absl::StrCat(facts.subject, " holds the chief officer post ", PostLabel(own), " (",
                          clause, ")");
      return true;
    }
    if (!defaults && senior.head_of_service_posts() && own.head_of_service) {
      *why = absl::StrCat(facts.subject, " holds the head-of-service post ", PostLabel(own), " (",
                          clause, ")");
      return true;
    }
  }
  std::vector<std::string> designations =
      defaults ? std::vector<std::string>{"monitoring-officer", "chief-finance-officer"}
               : std::vector<std::string>(senior.designation_ids().begin(),
                                          senior.designation_ids().end());
  for (const auto& d : facts.subject_designations)
    if (Contains(designations, d)) {
      *why = absl::StrCat(facts.subject, " holds designations/", d, " (", clause, ")");
      return true;
    }
  return false;
}

absl::StatusOr<ComplaintKind> Classify(const profile::v1::ComplaintRules& rules,
                                       const RoutingFacts& facts, std::string* why) {
  const auto complainant_kind = facts.complainant.kind;
  if (absl::StartsWith(facts.subject, "services/")) {
    if (!IsMemberSide(complainant_kind))
      return absl::InvalidArgumentError(
          "casework and service complaints are made by members (Sheffield 10.3.1); an officer's "
          "concern about a service goes through their own management");
    *why = absl::StrCat("a member's casework or service complaint to ", facts.subject);
    return profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK;
  }
  if (!facts.subject_person.has_value())
    return absl::InvalidArgumentError("the subject must be a person or a service");
  const auto subject_kind = facts.subject_person->kind;
  if (IsMemberSide(complainant_kind) && IsOfficerSide(subject_kind)) {
    if (Contains(facts.subject_designations, "head-of-paid-service")) {
      *why = absl::StrCat(facts.subject, " holds designations/head-of-paid-service on ",
                          FormatDay(facts.as_of));
      return profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE;
    }
    std::string senior_why;
    if (IsSeniorOfficer(rules, facts, &senior_why)) {
      *why = absl::StrCat("a senior officer: ", senior_why);
      return profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_SENIOR_OFFICER;
    }
    *why = absl::StrCat("a member's complaint about the officer ", facts.subject);
    return profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER;
  }
  if (IsOfficerSide(complainant_kind) && IsMemberSide(subject_kind)) {
    *why = absl::StrCat("an officer's complaint about the member ", facts.subject);
    return profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER;
  }
  if (IsMemberSide(complainant_kind))
    return absl::InvalidArgumentError(
        "a member's complaint about another member is a Code of Conduct matter for the "
        "monitoring officer, not this protocol's complaint procedure");
  return absl::InvalidArgumentError(
      "an officer's complaint about another officer goes through the staff grievance "
      "procedure, not this protocol's complaint procedure");
}

std::vector<std::string> Parties(const RoutingFacts& facts) {
  std::vector<std::string> parties = {facts.complainant.name};
  if (absl::StartsWith(facts.subject, "people/")) parties.push_back(facts.subject);
  return parties;
}

StageAssignment AssignHandler(const HandlerRef& handler, const RoutingFacts& facts,
                              const std::vector<std::string>& parties,
                              const common::v1::ClauseCitation& clause,
                              const std::vector<std::string>& also_excluded) {
  StageAssignment result;
  std::vector<Candidate> candidates;
  Candidates(handler, facts, &candidates);
  v1::HandlerAssignment& a = result.handler;
  for (const Candidate& c : candidates) {
    if (!c.unavailable.empty()) {
      PassOver(c, c.unavailable, c.relationships, &a);
      continue;
    }
    if (c.person == facts.subject) {
      PassOver(c, "is the subject of the complaint: nobody handles a complaint about themselves",
               {}, &a);
      continue;
    }
    if (c.person == facts.complainant.name) {
      PassOver(c, "filed the complaint: nobody handles their own complaint", {}, &a);
      continue;
    }
    if (Contains(also_excluded, c.person)) {
      PassOver(c, "already handles this stage", {}, &a);
      continue;
    }
    bool conflicted = false;
    bool missing = false;
    for (const auto& party : parties) {
      if (c.vetted) break;
      auto it = facts.conflicts.find(ConflictKey(c.person, party));
      if (it == facts.conflicts.end()) {
        result.need_conflicts.emplace_back(c.person, party);
        missing = true;
        continue;
      }
      if (it->second.conflicted && !conflicted) {
        conflicted = true;
        PassOver(c, absl::StrCat("has a declared relationship with ", party),
                 it->second.relationships, &a);
      }
    }
    if (conflicted) {
      result.need_conflicts.clear();
      continue;
    }
    if (missing) return result;  // ask for the facts, then decide
    a.set_person(c.person);
    a.set_designation(c.designation);
    a.set_body(c.body);
    a.set_basis(c.basis);
    for (const auto& reason : c.reasons) *a.add_reasons() = reason;
    auto* reason = a.add_reasons();
    *reason->mutable_citation() = clause;
    reason->set_finding(
        a.passed_over_size() == 0
            ? absl::StrCat("handled by ", c.person, ": ", c.basis)
            : absl::StrCat("handled by ", c.person, ": ", c.basis, "; ", a.passed_over_size(),
                           " passed over (nobody handles a complaint about themselves, their "
                           "own, or one involving someone they have a declared relationship "
                           "with)"));
    auto manager = facts.managers.find(c.person);
    if (manager == facts.managers.end())
      result.need_managers.push_back(c.person);
    else
      a.set_manager(manager->second);
    return result;
  }
  std::vector<std::string> passed;
  for (const auto& p : a.passed_over()) passed.push_back(absl::StrCat(p.person(), " ", p.reason()));
  result.error = absl::FailedPreconditionError(
      absl::StrCat("nobody eligible can handle this under ", clause.clause(), " on ",
                   FormatDay(facts.as_of), ": ", absl::StrJoin(passed, "; ")));
  return result;
}

StageAssignment AssignStage(const profile::v1::CouncilProfile& profile,
                            const profile::v1::ComplaintRoute& route, int stage_index,
                            const RoutingFacts& facts, const StageOptions& options) {
  (void)profile;
  StageAssignment result;
  if (stage_index < 0 || stage_index >= route.stages_size()) {
    result.error = absl::FailedPreconditionError(
        absl::StrCat("the route under ", route.clause().clause(), " has no stage ",
                     stage_index + 1));
    return result;
  }
  const auto& stage = route.stages(stage_index);
  const std::vector<std::string> parties = Parties(facts);
  const bool direct = options.direct && stage.has_direct_handler();
  const HandlerRef& handler_ref = direct ? stage.direct_handler() : stage.handler();
  const common::v1::ClauseCitation& handler_clause =
      direct ? stage.direct_handler_clause() : stage.clause();
  result.direct = direct;
  std::vector<std::string> handling;
  if (handler_ref.handler_case() == HandlerRef::HANDLER_NOT_SET &&
      stage.respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT) {
    // Southwark 69: the stage is between the parties, the subject responding;
    // nobody handles (nobody decides a complaint about themselves).
    auto* reason = result.handler.add_reasons();
    *reason->mutable_citation() = stage.respondent_clause();
    reason->set_finding(absl::StrCat("no handler at stage \"", stage.id(),
                                     "\": the person complained about, ", facts.subject,
                                     ", gives the response"));
  } else {
    StageAssignment main = AssignHandler(handler_ref, facts, parties, handler_clause);
    if (!main.need_conflicts.empty() || !main.need_managers.empty() || !main.error.ok())
      return main;
    result.handler = main.handler;
    handling.push_back(result.handler.person());
  }

  // The investigator is required: nobody eligible refuses the stage.
  if (stage.has_investigator()) {
    StageAssignment investigator = AssignHandler(stage.investigator(), facts, parties,
                                                 stage.investigator_clause(), handling);
    if (!investigator.need_conflicts.empty()) return investigator;
    if (!investigator.error.ok()) {
      result.error = investigator.error;
      return result;
    }
    investigator.handler.set_manager("");
    result.investigator = investigator.handler;
  }
  // The facilitator is optional ("if any"): nobody eligible is recorded, not
  // refused.
  if (stage.has_facilitator()) {
    StageAssignment facilitator = AssignHandler(stage.facilitator(), facts, parties,
                                                stage.facilitator_clause(), handling);
    if (!facilitator.need_conflicts.empty()) return facilitator;
    facilitator.handler.set_manager("");
    if (!facilitator.error.ok()) {
      facilitator.handler.clear_person();
      auto* reason = facilitator.handler.add_reasons();
      *reason->mutable_citation() = stage.facilitator_clause();
      reason->set_finding(absl::StrCat("no facilitator: ", facilitator.error.message()));
    }
    result.facilitator = facilitator.handler;
  }
  if (stage.respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT &&
      absl::StartsWith(facts.subject, "people/")) {
    v1::HandlerAssignment respondent;
    respondent.set_person(facts.subject);
    respondent.set_basis("the person complained about gives the response");
    auto* reason = respondent.add_reasons();
    *reason->mutable_citation() = stage.respondent_clause();
    reason->set_finding(absl::StrCat(facts.subject, " gives the response at stage \"",
                                     stage.id(), "\""));
    result.respondent = respondent;
  } else if (stage.respondent() == profile::v1::STAGE_RESPONDENT_INVESTIGATOR &&
             result.investigator.has_value()) {
    v1::HandlerAssignment respondent;
    respondent.set_person(result.investigator->person());
    respondent.set_basis(absl::StrCat("the investigator reports: ", result.investigator->basis()));
    auto* reason = respondent.add_reasons();
    *reason->mutable_citation() = stage.respondent_clause();
    reason->set_finding(absl::StrCat(result.investigator->person(),
                                     " reports the investigation's recommendations"));
    result.respondent = respondent;
  }

  for (const auto& ref : stage.joint_handlers()) {
    StageAssignment joint = AssignHandler(ref, facts, parties, stage.clause(), handling);
    for (auto& need : joint.need_conflicts) result.need_conflicts.push_back(need);
    if (!joint.need_conflicts.empty()) continue;
    if (!joint.error.ok()) {
      auto* reason = result.handler.add_reasons();
      *reason->mutable_citation() = stage.clause();
      reason->set_finding(absl::StrCat("no joint handler: ", joint.error.message()));
      continue;
    }
    handling.push_back(joint.handler.person());
    joint.handler.set_manager("");
    result.joint_handlers.push_back(joint.handler);
  }
  if (!stage.handler().advised_by_designation_id().empty()) {
    const std::string& id = stage.handler().advised_by_designation_id();
    auto it = facts.acting.find(id);
    v1::HandlerAssignment adviser;
    adviser.set_designation(absl::StrCat("designations/", id));
    if (it != facts.acting.end() && it->second.status.ok() &&
        !Contains(parties, it->second.person)) {
      adviser.set_person(it->second.person);
      adviser.set_basis(absl::StrCat("advises the handler as ", adviser.designation()));
      for (const auto& reason : it->second.reasons) *adviser.add_reasons() = reason;
      result.advisers.push_back(adviser);
    } else {
      auto* reason = result.handler.add_reasons();
      *reason->mutable_citation() = stage.clause();
      reason->set_finding(absl::StrCat(
          "no adviser: nobody can act as designations/", id, " on ", FormatDay(facts.as_of),
          it != facts.acting.end() && !it->second.status.ok()
              ? absl::StrCat(" (", it->second.status.message(), ")")
              : std::string()));
    }
  }

  auto notify = [&](const HandlerRef& ref, const common::v1::ClauseCitation& clause) {
    std::vector<Candidate> candidates;
    Candidates(ref, facts, &candidates);
    if (candidates.empty() || !candidates.front().unavailable.empty()) return;
    const Candidate& c = candidates.front();
    // The complainant knows of their own complaint; the subject is told only
    // where the protocol says so (South Somerset 17.6), and then recorded.
    if (c.person == facts.complainant.name) return;
    for (const auto& n : result.notifications)
      if (n.person() == c.person) return;
    v1::Notification n;
    n.set_person(c.person);
    n.set_basis(c.basis);
    *n.mutable_clause() = clause;
    result.notifications.push_back(std::move(n));
  };
  if (stage_index == 0)
    for (const auto& ref : route.notify_on_filing())
      notify(ref, route.has_notify_clause() ? route.notify_clause() : route.clause());
  for (const auto& ref : stage.notify_on_entry())
    notify(ref, stage.has_notify_clause() ? stage.notify_clause() : stage.clause());
  return result;
}

}  // namespace council::complaints
