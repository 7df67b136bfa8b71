#include "complaints-service/workflow.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/util/resource_names.h"
#include "complaints-service/deadlines.h"
#include "complaints-service/routing_facts.h"
#include "complaints-service/workflow_errors.h"
#include "google/protobuf/util/time_util.h"

namespace council::complaints {
namespace {

using google::protobuf::util::TimeUtil;

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

// Fixed window for the calendar fingerprint, so it changes only when the
// calendar does.
constexpr int kFingerprintFromYear = 2020;
constexpr int kFingerprintToYear = 2060;

}  // namespace

Clock Clock::System() {
  return Clock{[] { return TodayInLondon(); }, [] { return absl::Now(); }};
}

std::string NewComplaintId(absl::Time now) {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  return absl::StrFormat("c-%012x-%08x", absl::ToUnixMillis(now), absl::Uniform<uint32_t>(*gen));
}

Workflow::Workflow(ComplaintsStore* store,
                   std::shared_ptr<const profile::v1::CouncilProfile> profile,
                   DirectoryFactory directories, Clock clock)
    : store_(store),
      profile_(std::move(profile)),
      calendar_(CouncilCalendar(*profile_)),
      directories_(std::move(directories)),
      clock_(std::move(clock)) {}

absl::StatusOr<v1::Complaint> Workflow::File(
    const v1::Complaint& request, const std::string& complainant, absl::CivilDay filed,
    std::optional<relations::v1::PersonKind> complainant_kind) {
  const absl::Time now = clock_.now();
  auto directory = directories_(complainant);
  auto facts = GatherPartyFacts(*directory, *profile_, complainant, request.subject(), filed,
                                complainant_kind);
  if (!facts.ok()) {
    if (absl::IsNotFound(facts.status())) return NotFoundResource(request.subject());
    return facts.status();
  }
  std::string why;
  auto kind = Classify(profile_->complaints(), *facts, &why);
  if (!kind.ok()) return BadField("complaint.subject", kind.status().message());
  if (request.kind() != profile::v1::COMPLAINT_KIND_UNSPECIFIED && request.kind() != *kind)
    return BadField("complaint.kind",
                    absl::StrCat("the directory makes this ",
                                 profile::v1::ComplaintKind_Name(*kind), " (", why,
                                 " on ", FormatDay(filed), "), not ",
                                 profile::v1::ComplaintKind_Name(request.kind())));
  const profile::v1::ComplaintRoute* route = FindRoute(*profile_, *kind);
  if (route == nullptr || route->stages().empty())
    return Refuse(profile_->protocol_source(),
                  absl::StrCat("the ", profile_->display_name(), " protocol has no procedure for ",
                               profile::v1::ComplaintKind_Name(*kind), " (", why, ")"));
  auto assignment = ResolveStage(*directory, *profile_, *route, 0, &*facts);
  if (!assignment.ok()) return assignment.status();
  if (!assignment->error.ok())
    return Refuse(route->stages(0).clause().clause(), assignment->error.message());

  v1::Complaint complaint;
  complaint.set_name(absl::StrCat("complaints/", NewComplaintId(now)));
  complaint.set_kind(*kind);
  complaint.set_complainant(complainant);
  complaint.set_subject(request.subject());
  complaint.set_summary(request.summary());
  *complaint.mutable_filed_date() = ToProtoDate(filed);
  *complaint.mutable_create_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
  *complaint.mutable_update_time() = complaint.create_time();
  auto* route_reason = complaint.add_route_reasons();
  *route_reason->mutable_citation() = route->clause();
  route_reason->set_finding(absl::StrCat("route for ", profile::v1::ComplaintKind_Name(*kind),
                                         ": ", why));
  auto* stage_reason = complaint.add_route_reasons();
  *stage_reason->mutable_citation() = route->stages(0).clause();
  stage_reason->set_finding(absl::StrCat("first stage: ", route->stages(0).title()));
  for (const auto& reason : assignment->handler.reasons()) *complaint.add_route_reasons() = reason;
  auto* filer = complaint.add_participants();
  filer->set_person(complainant);
  filer->set_role(v1::PARTICIPANT_ROLE_COMPLAINANT);
  *filer->mutable_clause() = route->clause();
  if (absl::StartsWith(request.subject(), "people/")) {
    auto* subject = complaint.add_participants();
    subject->set_person(request.subject());
    subject->set_role(v1::PARTICIPANT_ROLE_SUBJECT);
    *subject->mutable_clause() = route->clause();
  }
  const Action act{complainant, filed, now};
  Events events = EnterStage(*route, 0, *assignment, calendar_, act,
                             absl::StrCat("filed: ", why), &complaint);
  const std::string detail =
      absl::StrCat(profile::v1::ComplaintKind_Name(*kind), " about ", complaint.subject(),
                   " filed ", FormatDay(filed), "; stage ", complaint.current_stage(),
                   " handled by ", complaint.handler());
  if (auto s = store_->Create(complaint, std::move(events), complainant, detail); !s.ok())
    return s;
  return complaint;
}

absl::StatusOr<v1::Complaint> Workflow::Escalate(absl::string_view id, const std::string& actor,
                                                 absl::string_view reason, absl::CivilDay day,
                                                 bool automatic,
                                                 const EscalationChoices& choices) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    v1::Complaint complaint;
    auto found = store_->Get(id, &complaint);
    if (!found.ok()) return found.status();
    if (!*found) return NotFoundResource(absl::StrCat("complaints/", id));
    const profile::v1::ComplaintRoute* route = FindRoute(*profile_, complaint.kind());
    if (route == nullptr)
      return Refuse(profile_->protocol_source(), "the profile no longer has this route");
    if (auto s = CheckCanEscalate(*route, complaint); !s.ok()) {
      const int index = StageIndex(*route, complaint.current_stage());
      return Refuse(index >= 0 ? route->stages(index).clause().clause() : route->clause().clause(),
                    s.message());
    }
    const v1::StageRecord* current = CurrentStage(complaint);
    if (day < Day(current->entered_date()))
      return BadField("escalated_date", "is before the current stage opened");
    const int next = StageIndex(*route, complaint.current_stage()) + 1;
    const auto& next_stage = route->stages(next);
    // South Somerset 17.4: the employee's own choices, where the protocol
    // gives them.
    if (choices.raise_directly) {
      if (actor != complaint.complainant())
        return BadField("raise_directly", "only the complainant raises the matter directly");
      if (!next_stage.has_direct_handler())
        return BadField("raise_directly",
                        absl::StrCat("stage \"", next_stage.id(), "\" (",
                                     next_stage.clause().clause(),
                                     ") names nobody the complainant may raise it with directly"));
    }
    if (choices.trade_union_consulted) {
      if (actor != complaint.complainant())
        return BadField("trade_union_consulted",
                        "only the complainant says they consulted their trade union "
                        "representative");
      if (!next_stage.has_trade_union_consultation_clause())
        return BadField("trade_union_consulted",
                        absl::StrCat("the protocol provides for no trade union consultation "
                                     "before stage \"",
                                     next_stage.id(), "\" (", next_stage.clause().clause(), ")"));
    }
    auto directory = directories_(automatic ? std::string() : actor);
    auto facts =
        GatherPartyFacts(*directory, *profile_, complaint.complainant(), complaint.subject(), day);
    if (!facts.ok()) return facts.status();
    auto assignment = ResolveStage(*directory, *profile_, *route, next, &*facts,
                                   StageOptions{choices.raise_directly});
    if (!assignment.ok()) return assignment.status();
    if (!assignment->error.ok())
      return Refuse(route->stages(next).clause().clause(), assignment->error.message());
    const Action act{actor, day, clock_.now()};
    auto updated = store_->Update(
        id, actor, complaint.revision(),
        [&](v1::Complaint* c) -> absl::StatusOr<Change> {
          auto events = complaints::Escalate(act, *route, *assignment, calendar_, reason,
                                             automatic, c, choices.trade_union_consulted);
          if (!events.ok()) return events.status();
          Change change;
          change.events = std::move(*events);
          change.audit_action = automatic ? "EscalateComplaintAutomatically" : "EscalateComplaint";
          change.audit_detail = absl::StrCat(
              "to stage ", c->current_stage(), " handled by ", c->handler(),
              choices.raise_directly ? " (raised directly)" : "",
              choices.trade_union_consulted ? " (trade union representative consulted)" : "",
              ": ", reason);
          return change;
        },
        act.now);
    if (absl::IsAborted(updated.status())) continue;
    return updated;
  }
  return absl::AbortedError("the complaint kept changing; try again");
}

absl::StatusOr<v1::Complaint> Workflow::RecordBreachFinding(absl::string_view id,
                                                            const std::string& actor,
                                                            const std::string& breached_by,
                                                            absl::string_view finding) {
  v1::Complaint complaint;
  auto found = store_->Get(id, &complaint);
  if (!found.ok()) return found.status();
  if (!*found) return NotFoundResource(absl::StrCat("complaints/", id));
  if (breached_by != complaint.subject() && breached_by != complaint.complainant())
    return BadField("breached_by", "must be a party to the complaint (its subject or complainant)");
  const auto& rules = profile_->complaints();
  if (rules.breach_routes().empty())
    return Refuse(profile_->protocol_source(),
                  absl::StrCat("the ", profile_->display_name(),
                               " protocol sets no routing for breaches found after a complaint"));
  const absl::CivilDay day = clock_.today();
  const std::string other =
      breached_by == complaint.subject() ? complaint.complainant() : complaint.subject();
  auto directory = directories_(actor);
  auto facts = GatherPartyFacts(*directory, *profile_, other, breached_by, day);
  if (!facts.ok()) return facts.status();
  profile::v1::BreachSubject subject = profile::v1::BREACH_SUBJECT_UNSPECIFIED;
  std::string why;
  if (IsMemberSide(facts->subject_person->kind)) {
    subject = profile::v1::BREACH_SUBJECT_MEMBER;
    why = absl::StrCat(breached_by, " is a member");
  } else {
    std::string senior;
    const bool is_chief_executive = std::find(facts->subject_designations.begin(),
                                              facts->subject_designations.end(),
                                              "head-of-paid-service") !=
                                    facts->subject_designations.end();
    if (is_chief_executive || IsSeniorOfficer(rules, *facts, &senior)) {
      subject = profile::v1::BREACH_SUBJECT_SENIOR_OFFICER;
      why = is_chief_executive ? absl::StrCat(breached_by, " is the head of paid service")
                               : senior;
    } else {
      subject = profile::v1::BREACH_SUBJECT_OFFICER;
      why = absl::StrCat(breached_by, " is an officer");
    }
  }
  const profile::v1::BreachRoute* route = nullptr;
  for (const auto& r : rules.breach_routes())
    if (r.subject() == subject) route = &r;
  if (route == nullptr && subject == profile::v1::BREACH_SUBJECT_SENIOR_OFFICER) {
    for (const auto& r : rules.breach_routes())
      if (r.subject() == profile::v1::BREACH_SUBJECT_OFFICER) route = &r;
    if (route != nullptr)
      absl::StrAppend(&why, "; the protocol has no separate route for senior officers, so the "
                            "officers' route applies");
  }
  if (route == nullptr)
    return Refuse(profile_->protocol_source(),
                  absl::StrCat("the protocol sets no route for a breach by a ",
                               profile::v1::BreachSubject_Name(subject), " (", why, ")"));
  // Nobody deals with a breach by themselves or someone related to them (or
  // to the other party).
  const std::vector<std::string> parties = {breached_by, other};
  auto assignment =
      ResolveHandler(*directory, *profile_, route->handler(), parties, route->clause(), &*facts);
  if (!assignment.ok()) return assignment.status();
  if (!assignment->error.ok()) return Refuse(route->clause().clause(), assignment->error.message());
  v1::BreachReferral referral;
  referral.set_breached_by(breached_by);
  referral.set_breach_subject(subject);
  *referral.mutable_handler() = assignment->handler;
  *referral.mutable_clause() = route->clause();
  referral.set_finding(std::string(finding));
  auto* reason = referral.mutable_handler()->add_reasons();
  *reason->mutable_citation() = route->clause();
  reason->set_finding(why);
  const Action act{actor, day, clock_.now()};
  return store_->Update(
      id, actor, complaint.revision(),
      [&](v1::Complaint* c) -> absl::StatusOr<Change> {
        auto events = RecordBreach(act, referral, c);
        if (!events.ok()) return events.status();
        Change change;
        change.events = std::move(*events);
        change.audit_action = "RecordBreachFinding";
        change.audit_detail =
            absl::StrCat(breached_by, " (", profile::v1::BreachSubject_Name(subject),
                         ") referred to ",
                         referral.handler().body().empty() ? referral.handler().person()
                                                           : referral.handler().body(),
                         " under ", route->clause().clause());
        return change;
      },
      act.now);
}

absl::StatusOr<v1::Complaint> Workflow::DecideFormalAction(absl::string_view id,
                                                           const std::string& actor,
                                                           bool formal_action,
                                                           const std::string& hr_consulted,
                                                           absl::string_view reasons) {
  v1::Complaint complaint;
  auto found = store_->Get(id, &complaint);
  if (!found.ok()) return found.status();
  if (!*found) return NotFoundResource(absl::StrCat("complaints/", id));
  const auto& rules = profile_->complaints();
  const profile::v1::ComplaintRoute* route = FindRoute(*profile_, complaint.kind());
  const bool named_decider = route != nullptr && route->has_formal_action_decider();
  const std::string clause =
      named_decider ? route->formal_action_decider().clause().clause()
      : rules.formal_action_clause().clause().empty() ? profile_->protocol_source()
                                                       : rules.formal_action_clause().clause();
  if (complaint.state() != v1::COMPLAINT_STATE_CLOSED)
    return Refuse(clause, "formal action is decided after the complaint's outcome");
  const absl::CivilDay day = clock_.today();
  auto directory = directories_(actor);
  auto facts = GatherPartyFacts(*directory, *profile_, actor, complaint.subject(), day);
  if (!facts.ok()) return facts.status();
  if (!facts->subject_person.has_value() || !IsOfficerSide(facts->subject_person->kind))
    return Refuse(clause,
                  "formal action under the officers' disciplinary procedures concerns an officer; "
                  "the subject of this complaint is not one");
  v1::FormalActionDecision decision;
  if (named_decider) {
    // The protocol names who decides on this kind of complaint (Southwark 70,
    // Sheffield 15): only its acting holder, checked like a handler.
    const auto& named = route->formal_action_decider();
    const std::string& decider_clause = named.clause().clause();
    auto parties_facts =
        GatherPartyFacts(*directory, *profile_, complaint.complainant(), complaint.subject(), day);
    if (!parties_facts.ok()) return parties_facts.status();
    auto decider = ResolveHandler(*directory, *profile_, named.decider(),
                                  Parties(*parties_facts), named.clause(), &*parties_facts);
    if (!decider.ok()) return decider.status();
    if (!decider->error.ok())
      return Refuse(decider_clause, absl::StrCat("nobody can decide formal action: ",
                                                 decider->error.message()));
    if (decider->handler.person() != actor) {
      if (IsMemberSide(facts->complainant.kind))
        return Refuse(decider_clause,
                      absl::StrCat("members never decide formal action against an officer "
                                   "unless the protocol names them; under ",
                                   decider_clause, " ", decider->handler.person(), " (",
                                   decider->handler.basis(), ") decides"));
      return Refuse(decider_clause,
                    absl::StrCat(actor, " does not decide formal action under ", decider_clause,
                                 ": ", decider->handler.person(), " (",
                                 decider->handler.basis(), ") decides"));
    }
    for (const auto& reason : decider->handler.reasons()) *decision.add_clauses() = reason;
    if (named.after_breach_referral() && !complaint.has_breach_referral())
      return Refuse(decider_clause,
                    absl::StrCat("formal action is decided once a breach has been referred (",
                                 decider_clause, ": ", named.clause().summary(),
                                 "); record the breach finding first"));
  } else {
    const bool body_decision = complaint.has_breach_referral() &&
                               !complaint.breach_referral().handler().body().empty() &&
                               complaint.breach_referral().handler().person() == actor;
    if (IsMemberSide(facts->complainant.kind) && !body_decision)
      return Refuse(clause, absl::StrCat(
                                "members never decide formal action against an officer (",
                                clause, ": ", rules.formal_action_clause().summary(),
                                "); only the officer's managers, with HR, decide"));
    bool manager = body_decision ||
                   (complaint.has_breach_referral() &&
                    complaint.breach_referral().handler().person() == actor);
    std::string basis = manager ? "deals with the breach referred under the protocol" : "";
    if (!manager && facts->subject_chain.has_value())
      for (const auto& post : facts->subject_chain->above)
        if (post.holder == actor) {
          manager = true;
          basis = absl::StrCat("manages ", complaint.subject(), " (", post.post, " ",
                               post.title, ")");
          break;
        }
    if (!manager)
      return Refuse(clause, absl::StrCat(actor, " is not in the management chain of ",
                                         complaint.subject(), " on ", FormatDay(day),
                                         ": only the officer's managers decide formal action"));
    auto* reason = decision.add_clauses();
    *reason->mutable_citation() = rules.formal_action_clause();
    reason->set_finding(absl::StrCat(actor, " ", basis));
  }
  decision.set_formal_action(formal_action);
  decision.set_reasons(std::string(reasons));
  const std::string& hr = rules.formal_action_hr_designation_id();
  if (!hr.empty()) {
    if (hr_consulted.empty())
      return BadField("hr_consulted",
                      absl::StrCat("HR must be consulted before formal action is decided (",
                                   clause, "): name the acting designations/", hr));
    auto acting = directory->ActingHolder(hr, day, {complaint.subject()});
    if (!acting.ok()) {
      if (absl::IsUnavailable(acting.status())) return acting.status();
      return Refuse(clause, absl::StrCat("nobody can act as designations/", hr, " on ",
                                         FormatDay(day), ": ", acting.status().message()));
    }
    if (acting->person() != hr_consulted)
      return BadField("hr_consulted",
                      absl::StrCat(hr_consulted, " does not act as designations/", hr, " on ",
                                   FormatDay(day), "; ", acting->person(), " does"));
    decision.set_hr_consulted(hr_consulted);
    auto* hr_reason = decision.add_clauses();
    *hr_reason->mutable_citation() = rules.formal_action_clause();
    hr_reason->set_finding(absl::StrCat("consulted ", hr_consulted, " acting as designations/",
                                        acting->designation().empty() ? hr
                                                                      : acting->designation()));
  } else if (!hr_consulted.empty()) {
    decision.set_hr_consulted(hr_consulted);
  }
  const Action act{actor, day, clock_.now()};
  return store_->Update(
      id, actor, complaint.revision(),
      [&](v1::Complaint* c) -> absl::StatusOr<Change> {
        auto events = RecordFormalAction(act, decision, c);
        if (!events.ok()) return events.status();
        Change change;
        change.events = std::move(*events);
        change.audit_action = "DecideFormalAction";
        change.audit_detail = absl::StrCat(formal_action ? "formal action" : "no formal action",
                                           " against ", c->subject(), "; HR consulted: ",
                                           decision.hr_consulted());
        return change;
      },
      act.now);
}

absl::StatusOr<v1::RunSweepResponse> Workflow::Sweep(absl::CivilDay today) {
  const absl::Time started = absl::Now();
  const absl::Time now = clock_.now();
  v1::RunSweepResponse response;
  *response.mutable_as_of() = ToProtoDate(today);
  auto steps = store_->DueSteps(today);
  if (!steps.ok()) return steps.status();
  response.set_steps_examined(static_cast<int32_t>(steps->size()));

  auto event_for = [&](const DueStep& step, v1::ComplaintEventType type,
                       absl::string_view detail) {
    v1::ComplaintEvent event;
    event.set_complaint(absl::StrCat("complaints/", step.complaint_id));
    event.set_type(type);
    event.set_stage(step.stage);
    event.set_step(step.step);
    *event.mutable_due_date() = ToProtoDate(step.due);
    for (absl::string_view r : absl::StrSplit(step.recipients, ',', absl::SkipEmpty()))
      event.add_recipients(std::string(r));
    event.set_actor(kSweeper);
    auto* reason = event.add_reasons();
    reason->mutable_citation()->set_clause(step.clause);
    reason->set_finding(std::string(detail));
    event.set_detail(std::string(detail));
    *event.mutable_event_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
    *event.mutable_effective_date() = ToProtoDate(today);
    return event;
  };

  std::vector<StepNotice> notices;
  std::vector<std::pair<std::string, DueStep>> to_escalate;  // first overdue step per complaint
  absl::flat_hash_map<std::string, bool> escalating;
  for (const DueStep& step : *steps) {
    const bool due_today = step.due == today;
    if (step.action == kStepFollowUp) {
      if (due_today && step.notified == 0) {
        notices.push_back({step, 1,
                           event_for(step, v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_DUE,
                                     absl::StrCat("follow-up check due today (", step.clause,
                                                  ")")),
                           false});
        response.set_follow_ups_due(response.follow_ups_due() + 1);
      } else if (!due_today) {
        notices.push_back({step, 2,
                           event_for(step, v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_DUE,
                                     absl::StrCat("follow-up check overdue since ",
                                                  FormatDay(step.due), " (", step.clause, ")")),
                           false});
        response.set_follow_ups_due(response.follow_ups_due() + 1);
      }
      continue;
    }
    if (due_today) {
      if (step.notified == 0) {
        notices.push_back({step, 1,
                           event_for(step, v1::COMPLAINT_EVENT_TYPE_STEP_DUE,
                                     absl::StrCat(step.step, " due today at stage \"",
                                                  step.stage, "\" (", step.clause, ")")),
                           false});
        response.set_due_reminders(response.due_reminders() + 1);
      }
      continue;
    }
    if (step.action == kStepEscalate) {
      if (!escalating.contains(step.complaint_id)) {
        escalating[step.complaint_id] = true;
        to_escalate.emplace_back(step.complaint_id, step);
      }
      continue;
    }
    notices.push_back({step, 2,
                       event_for(step, v1::COMPLAINT_EVENT_TYPE_DEADLINE_MISSED,
                                 absl::StrCat("the ", step.step, " limit at stage \"", step.stage,
                                              "\" passed on ", FormatDay(step.due),
                                              " without it being done (", step.clause,
                                              "); warning the handler and their manager")),
                       false});
    response.set_missed_warnings(response.missed_warnings() + 1);
  }
  std::string summary;
  auto summarise = [&] {
    return absl::StrCat("sweep as of ", FormatDay(today), ": ", response.steps_examined(),
                        " steps examined, ", response.due_reminders(), " due today, ",
                        response.missed_warnings(), " missed limits warned, ",
                        response.follow_ups_due(), " follow-ups due, ", to_escalate.size(),
                        " to escalate");
  };
  if (!notices.empty()) {
    summary = summarise();
    auto applied = store_->RecordSweep(std::move(notices), summary, now);
    if (!applied.ok()) return applied.status();
  }
  std::vector<StepNotice> blocked;
  for (const auto& [id, step] : to_escalate) {
    const std::string reason = absl::StrCat("the ", step.step, " limit at stage \"", step.stage,
                                            "\" passed on ", FormatDay(step.due), " (",
                                            step.clause, ")");
    auto escalated = Escalate(id, kSweeper, reason, today, /*automatic=*/true);
    if (escalated.ok()) {
      response.set_escalations(response.escalations() + 1);
      continue;
    }
    response.set_escalations_blocked(response.escalations_blocked() + 1);
    if (absl::IsUnavailable(escalated.status()) || absl::IsAborted(escalated.status()))
      continue;  // try again at the next sweep
    blocked.push_back({step, 2,
                       event_for(step, v1::COMPLAINT_EVENT_TYPE_ESCALATION_BLOCKED,
                                 absl::StrCat(reason, "; it cannot be escalated automatically: ",
                                              escalated.status().message())),
                       true});
  }
  if (!blocked.empty()) {
    auto applied = store_->RecordSweep(
        std::move(blocked),
        absl::StrCat("sweep as of ", FormatDay(today), ": ", response.escalations_blocked(),
                     " automatic escalations blocked"),
        now);
    if (!applied.ok()) return applied.status();
  }
  response.set_last_position(store_->LastPosition());
  *response.mutable_duration() =
      TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(absl::Now() - started));
  return response;
}

absl::StatusOr<v1::RecomputeDeadlinesResponse> Workflow::Recompute(absl::string_view reason,
                                                                   const std::string& actor) {
  v1::RecomputeDeadlinesResponse response;
  response.set_calendar(std::string(calendar_.description()));
  const absl::CivilDay today = clock_.today();
  std::string after;
  while (true) {
    auto ids = store_->OpenComplaintIds(after, 500);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) break;
    after = ids->back();
    for (const auto& id : *ids) {
      response.set_complaints_examined(response.complaints_examined() + 1);
      v1::Complaint complaint;
      auto found = store_->Get(id, &complaint);
      if (!found.ok()) return found.status();
      if (!*found) continue;
      const Action act{actor, today, clock_.now()};
      int changed = 0;
      v1::Complaint trial = complaint;
      RecomputeOpenDeadlines(act, calendar_, reason, &trial, &changed);
      if (complaint.has_follow_up() && !complaint.follow_up().has_completed_date()) {
        // A follow-up date is a calendar date, moved only if it stops being a
        // working day.
        const absl::CivilDay due = Day(complaint.follow_up().due_date());
        if (!calendar_.IsWorkingDay(due)) ++changed;
      }
      if (changed == 0) continue;
      int moved = 0;
      auto updated = store_->Update(
          id, actor, std::nullopt,
          [&](v1::Complaint* c) -> absl::StatusOr<Change> {
            moved = 0;
            Change change;
            change.events = RecomputeOpenDeadlines(act, calendar_, reason, c, &moved);
            if (c->has_follow_up() && !c->follow_up().has_completed_date()) {
              const absl::CivilDay due = Day(c->follow_up().due_date());
              if (!calendar_.IsWorkingDay(due)) {
                const absl::CivilDay moved_to = calendar_.FirstWorkingDayOnOrAfter(due);
                *c->mutable_follow_up()->mutable_due_date() = ToProtoDate(moved_to);
                ++moved;
                v1::ComplaintEvent event;
                event.set_complaint(c->name());
                event.set_type(v1::COMPLAINT_EVENT_TYPE_DEADLINES_RECOMPUTED);
                event.set_step("follow-up");
                event.set_actor(actor);
                *event.mutable_due_date() = ToProtoDate(moved_to);
                event.set_detail(absl::StrCat("follow-up ", FormatDay(due), " -> ",
                                              FormatDay(moved_to), " (", reason, ")"));
                *event.mutable_event_time() =
                    TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(act.now));
                *event.mutable_effective_date() = ToProtoDate(today);
                change.events.push_back(std::move(event));
              }
            }
            change.audit_action = "RecomputeDeadlines";
            change.audit_detail = absl::StrCat(moved, " dates moved on ", std::string(calendar_.description()),
                                               ": ", reason);
            return change;
          },
          act.now);
      if (!updated.ok()) return updated.status();
      response.set_deadlines_changed(response.deadlines_changed() + moved);
      response.add_changed_complaints(absl::StrCat("complaints/", id));
    }
  }
  return response;
}

absl::StatusOr<int> Workflow::RecomputeIfCalendarChanged() {
  const std::string fingerprint =
      CalendarFingerprint(calendar_, absl::CivilDay(kFingerprintFromYear, 1, 1),
                          absl::CivilDay(kFingerprintToYear, 12, 31));
  auto stored = store_->GetMeta("calendar");
  if (!stored.ok()) return stored.status();
  if (*stored == fingerprint) return 0;
  int moved = 0;
  if (!stored->empty()) {
    auto result = Recompute(absl::StrCat("calendar changed: ", *stored, " -> ", fingerprint),
                            kSweeper);
    if (!result.ok()) return result.status();
    moved = result->deadlines_changed();
  }
  if (auto s = store_->SetMeta("calendar", fingerprint, kSweeper, clock_.now()); !s.ok()) return s;
  return moved;
}

}  // namespace council::complaints
