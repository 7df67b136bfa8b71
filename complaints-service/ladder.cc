#include "complaints-service/ladder.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/resource_names.h"
#include "complaints-service/deadlines.h"
#include "google/protobuf/util/time_util.h"

namespace council::complaints {
namespace {

using google::protobuf::util::TimeUtil;

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

v1::ComplaintEvent NewEvent(const Action& act, v1::ComplaintEventType type,
                            const v1::Complaint& complaint) {
  v1::ComplaintEvent event;
  event.set_complaint(complaint.name());
  event.set_type(type);
  event.set_stage(complaint.current_stage());
  event.set_actor(act.actor);
  *event.mutable_event_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(act.now));
  *event.mutable_effective_date() = ToProtoDate(act.day);
  return event;
}

void AddReason(const common::v1::ClauseCitation& clause, absl::string_view finding,
               v1::ComplaintEvent* event) {
  auto* reason = event->add_reasons();
  *reason->mutable_citation() = clause;
  reason->set_finding(std::string(finding));
}

void AddParticipant(v1::Complaint* complaint, absl::string_view person, v1::ParticipantRole role,
                    absl::string_view stage, const common::v1::ClauseCitation& clause) {
  if (person.empty()) return;
  for (const auto& p : complaint->participants())
    if (p.person() == person && p.role() == role && p.stage() == stage) return;
  auto* p = complaint->add_participants();
  p->set_person(std::string(person));
  p->set_role(role);
  p->set_stage(std::string(stage));
  *p->mutable_clause() = clause;
}

void SyncCurrentDeadlines(v1::Complaint* complaint) {
  complaint->clear_deadlines();
  const v1::StageRecord* stage = CurrentStage(*complaint);
  if (stage != nullptr && !stage->has_left_date())
    for (const auto& d : stage->deadlines()) *complaint->add_deadlines() = d;
}

absl::Status RequireOpen(const v1::Complaint& complaint) {
  if (complaint.state() != v1::COMPLAINT_STATE_OPEN)
    return absl::FailedPreconditionError(
        absl::StrCat(complaint.name(), " is closed; nothing more can be recorded at a stage"));
  return absl::OkStatus();
}

absl::Status RequireNotBeforeStage(const v1::StageRecord& stage, absl::CivilDay day,
                                   absl::string_view field) {
  if (day < Day(stage.entered_date()))
    return absl::InvalidArgumentError(absl::StrCat(field, " is before the stage opened (",
                                                   FormatDay(Day(stage.entered_date())), ")"));
  return absl::OkStatus();
}

// Marks `step` met on `day` if it is open; returns true if it was.
bool Meet(v1::StageRecord* stage, absl::string_view step, absl::CivilDay day) {
  for (auto& d : *stage->mutable_deadlines())
    if (d.step() == step && !d.has_met_date()) {
      *d.mutable_met_date() = ToProtoDate(day);
      return true;
    }
  return false;
}

void Informed(const v1::Complaint& complaint, std::vector<std::string>* out) {
  auto add = [&](const std::string& p) {
    if (!p.empty() && absl::StartsWith(p, "people/") &&
        std::find(out->begin(), out->end(), p) == out->end())
      out->push_back(p);
  };
  add(complaint.complainant());
  add(complaint.subject());
  for (const auto& p : complaint.participants())
    if (p.role() == v1::PARTICIPANT_ROLE_NOTIFIED) add(p.person());
}

}  // namespace

const profile::v1::ComplaintRoute* FindRoute(const profile::v1::CouncilProfile& profile,
                                             profile::v1::ComplaintKind kind) {
  for (const auto& route : profile.complaints().routes())
    if (route.kind() == kind) return &route;
  return nullptr;
}

int StageIndex(const profile::v1::ComplaintRoute& route, absl::string_view stage_id) {
  for (int i = 0; i < route.stages_size(); ++i)
    if (route.stages(i).id() == stage_id) return i;
  return -1;
}

v1::StageRecord* CurrentStage(v1::Complaint* complaint) {
  if (complaint->stages().empty()) return nullptr;
  return complaint->mutable_stages(complaint->stages_size() - 1);
}

const v1::StageRecord* CurrentStage(const v1::Complaint& complaint) {
  if (complaint.stages().empty()) return nullptr;
  return &complaint.stages(complaint.stages_size() - 1);
}

bool IsHandler(const v1::Complaint& complaint, absl::string_view person) {
  const v1::StageRecord* stage = CurrentStage(complaint);
  if (stage == nullptr || person.empty()) return false;
  if (stage->handler().person() == person) return true;
  for (const auto& joint : stage->joint_handlers())
    if (joint.person() == person) return true;
  return false;
}

std::vector<std::string> StageActors(const v1::Complaint& complaint, StageAct step) {
  std::vector<std::string> people;
  const v1::StageRecord* stage = CurrentStage(complaint);
  if (stage == nullptr) return people;
  auto add = [&](const std::string& p) {
    if (!p.empty() && std::find(people.begin(), people.end(), p) == people.end())
      people.push_back(p);
  };
  const std::string& respondent = stage->respondent().person();
  if (step == StageAct::kRespond && !respondent.empty()) {
    add(respondent);
    return people;
  }
  add(stage->handler().person());
  for (const auto& joint : stage->joint_handlers()) add(joint.person());
  if (!people.empty()) return people;
  // No handler (Southwark 69): the parties carry the stage.
  if (step == StageAct::kClose)
    add(complaint.complainant());
  else
    add(respondent);
  return people;
}

bool MayAct(const v1::Complaint& complaint, absl::string_view person, StageAct step) {
  if (person.empty()) return false;
  const auto actors = StageActors(complaint, step);
  return std::find(actors.begin(), actors.end(), person) != actors.end();
}

bool IsParticipant(const v1::Complaint& complaint, absl::string_view person) {
  if (person.empty()) return false;
  if (complaint.complainant() == person || complaint.subject() == person) return true;
  for (const auto& p : complaint.participants())
    if (p.person() == person) return true;
  return false;
}

std::vector<std::string> WarningRecipients(const v1::Complaint& complaint) {
  std::vector<std::string> people;
  const v1::StageRecord* stage = CurrentStage(complaint);
  if (stage == nullptr) return people;
  auto add = [&](const std::string& p) {
    if (!p.empty() && std::find(people.begin(), people.end(), p) == people.end())
      people.push_back(p);
  };
  add(stage->handler().person());
  for (const auto& joint : stage->joint_handlers()) add(joint.person());
  add(stage->handler().manager());
  add(stage->respondent().person());
  return people;
}

Events EnterStage(const profile::v1::ComplaintRoute& route, int stage_index,
                  const StageAssignment& assignment, const calendar::WorkingDayCalendar& calendar,
                  const Action& act, absl::string_view entry_detail, v1::Complaint* complaint) {
  const auto& stage = route.stages(stage_index);
  const bool first = complaint->stages().empty();
  v1::StageRecord* record = complaint->add_stages();
  record->set_stage(stage.id());
  record->set_title(stage.title());
  *record->mutable_clause() = stage.clause();
  *record->mutable_entered_date() = ToProtoDate(act.day);
  record->set_record_salient_points(stage.record_salient_points());
  record->set_on_missed_limit(stage.on_missed_limit());
  *record->mutable_handler() = assignment.handler;
  for (const auto& joint : assignment.joint_handlers) *record->add_joint_handlers() = joint;
  for (const auto& adviser : assignment.advisers) *record->add_advisers() = adviser;
  for (const auto& n : assignment.notifications) *record->add_notifications() = n;
  if (assignment.facilitator.has_value()) *record->mutable_facilitator() = *assignment.facilitator;
  if (assignment.investigator.has_value())
    *record->mutable_investigator() = *assignment.investigator;
  if (assignment.respondent.has_value()) *record->mutable_respondent() = *assignment.respondent;
  record->set_raised_directly(assignment.direct);
  for (auto& deadline : StageDeadlines(stage, act.day, calendar))
    *record->add_deadlines() = std::move(deadline);
  complaint->set_current_stage(stage.id());
  complaint->set_handler(assignment.handler.person());
  complaint->set_state(v1::COMPLAINT_STATE_OPEN);

  AddParticipant(complaint, assignment.handler.person(), v1::PARTICIPANT_ROLE_HANDLER, stage.id(),
                 stage.clause());
  for (const auto& joint : assignment.joint_handlers)
    AddParticipant(complaint, joint.person(), v1::PARTICIPANT_ROLE_JOINT_HANDLER, stage.id(),
                   stage.clause());
  for (const auto& adviser : assignment.advisers)
    AddParticipant(complaint, adviser.person(), v1::PARTICIPANT_ROLE_ADVISER, stage.id(),
                   stage.clause());
  for (const auto& n : assignment.notifications)
    AddParticipant(complaint, n.person(), v1::PARTICIPANT_ROLE_NOTIFIED, stage.id(), n.clause());
  if (assignment.facilitator.has_value())
    AddParticipant(complaint, assignment.facilitator->person(), v1::PARTICIPANT_ROLE_FACILITATOR,
                   stage.id(), stage.facilitator_clause());
  if (assignment.investigator.has_value())
    AddParticipant(complaint, assignment.investigator->person(),
                   v1::PARTICIPANT_ROLE_INVESTIGATOR, stage.id(), stage.investigator_clause());
  if (assignment.respondent.has_value())
    AddParticipant(complaint, assignment.respondent->person(), v1::PARTICIPANT_ROLE_RESPONDENT,
                   stage.id(), stage.respondent_clause());
  SyncCurrentDeadlines(complaint);

  Events events;
  v1::ComplaintEvent entered = NewEvent(
      act, first ? v1::COMPLAINT_EVENT_TYPE_FILED : v1::COMPLAINT_EVENT_TYPE_ESCALATED,
      *complaint);
  std::vector<std::string> recipients = {assignment.handler.person()};
  for (const auto& joint : assignment.joint_handlers) recipients.push_back(joint.person());
  for (const auto& adviser : assignment.advisers) recipients.push_back(adviser.person());
  for (const auto* extra : {&assignment.facilitator, &assignment.investigator,
                            &assignment.respondent})
    if (extra->has_value()) recipients.push_back((*extra)->person());
  recipients.push_back(complaint->complainant());
  std::vector<std::string> told;
  for (const auto& r : recipients)
    if (!r.empty() && std::find(told.begin(), told.end(), r) == told.end()) {
      told.push_back(r);
      entered.add_recipients(r);
    }
  std::string who = assignment.handler.person().empty()
                        ? std::string("no handler")
                        : absl::StrCat("handler ", assignment.handler.person(), " (",
                                       assignment.handler.basis(), ")");
  if (assignment.direct) absl::StrAppend(&who, ", raised directly");
  if (assignment.investigator.has_value())
    absl::StrAppend(&who, "; investigator ", assignment.investigator->person(), " (",
                    assignment.investigator->basis(), ")");
  if (assignment.respondent.has_value())
    absl::StrAppend(&who, "; response by ", assignment.respondent->person());
  if (assignment.facilitator.has_value())
    absl::StrAppend(&who, "; facilitator ",
                    assignment.facilitator->person().empty() ? std::string("none")
                                                             : assignment.facilitator->person());
  AddReason(stage.clause(),
            absl::StrCat(first ? "opened" : "escalated to", " stage \"", stage.id(), "\": ",
                         stage.title(), "; ", who),
            &entered);
  for (const auto& reason : assignment.handler.reasons()) *entered.add_reasons() = reason;
  for (const auto* extra : {&assignment.investigator, &assignment.respondent,
                            &assignment.facilitator})
    if (extra->has_value())
      for (const auto& reason : (*extra)->reasons()) *entered.add_reasons() = reason;
  std::vector<std::string> due;
  for (const auto& d : record->deadlines())
    due.push_back(absl::StrCat(d.step(), " by ", FormatDay(Day(d.due_date()))));
  entered.set_detail(absl::StrCat(entry_detail, due.empty() ? "" : "; ",
                                  due.empty() ? std::string("no time limits set")
                                              : absl::StrJoin(due, ", ")));
  events.push_back(std::move(entered));
  for (const auto& n : assignment.notifications) {
    v1::ComplaintEvent told = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_NOTIFIED, *complaint);
    told.add_recipients(n.person());
    AddReason(n.clause(), absl::StrCat("tell ", n.person(), " (", n.basis(), ")"), &told);
    told.set_detail(absl::StrCat(n.person(), " is told of the complaint"));
    events.push_back(std::move(told));
  }
  return events;
}

absl::StatusOr<Events> Acknowledge(const Action& act, v1::Complaint* complaint) {
  if (auto s = RequireOpen(*complaint); !s.ok()) return s;
  v1::StageRecord* stage = CurrentStage(complaint);
  if (stage->has_acknowledged_date())
    return absl::FailedPreconditionError(
        absl::StrCat("stage \"", stage->stage(), "\" was already acknowledged on ",
                     FormatDay(Day(stage->acknowledged_date()))));
  if (auto s = RequireNotBeforeStage(*stage, act.day, "acknowledged_date"); !s.ok()) return s;
  *stage->mutable_acknowledged_date() = ToProtoDate(act.day);
  Meet(stage, "acknowledge", act.day);
  SyncCurrentDeadlines(complaint);
  v1::ComplaintEvent event = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_ACKNOWLEDGED, *complaint);
  event.set_step("acknowledge");
  event.add_recipients(complaint->complainant());
  AddReason(stage->clause(), absl::StrCat("acknowledged by ", act.actor), &event);
  return Events{std::move(event)};
}

absl::StatusOr<Events> RecordHoldingNotice(const Action& act,
                                           const profile::v1::ComplaintStage& stage_rule,
                                           std::optional<absl::CivilDay> expected,
                                           absl::string_view text, v1::Complaint* complaint) {
  if (auto s = RequireOpen(*complaint); !s.ok()) return s;
  v1::StageRecord* stage = CurrentStage(complaint);
  if (stage->has_holding_notice())
    return absl::FailedPreconditionError(
        absl::StrCat("a holding notice was already sent at stage \"", stage->stage(), "\" on ",
                     FormatDay(Day(stage->holding_notice().sent_date()))));
  if (stage->has_response())
    return absl::FailedPreconditionError(
        absl::StrCat("stage \"", stage->stage(), "\" has already responded"));
  if (auto s = RequireNotBeforeStage(*stage, act.day, "sent_date"); !s.ok()) return s;
  if (expected.has_value() && *expected < act.day)
    return absl::InvalidArgumentError("expected_response_date is before the notice was sent");
  if (stage_rule.holding_notice_sets_response_date() && !expected.has_value())
    return absl::InvalidArgumentError(absl::StrCat(
        "expected_response_date is required: the complainant must be told when the outcome "
        "will come (",
        stage_rule.holding_notice().clause().clause(), ")"));
  auto* notice = stage->mutable_holding_notice();
  *notice->mutable_sent_date() = ToProtoDate(act.day);
  if (expected.has_value()) *notice->mutable_expected_response_date() = ToProtoDate(*expected);
  notice->set_text(std::string(text));
  notice->set_recorded_by(act.actor);
  Meet(stage, "holding-notice", act.day);
  std::string detail = absl::StrCat("holding notice sent",
                                    expected.has_value()
                                        ? absl::StrCat("; response promised by ",
                                                       FormatDay(*expected))
                                        : std::string());
  if (stage_rule.holding_notice_sets_response_date() && expected.has_value()) {
    for (auto& d : *stage->mutable_deadlines()) {
      if (d.step() != "respond" || d.has_met_date()) continue;
      absl::StrAppend(&detail, "; respond deadline ", FormatDay(Day(d.due_date())), " -> ",
                      FormatDay(*expected));
      *d.mutable_due_date() = ToProtoDate(*expected);
      d.set_working_days(0);
      d.clear_skipped_days();
      d.set_note(absl::StrCat("date promised in the holding notice of ", FormatDay(act.day), " (",
                              stage_rule.holding_notice().clause().clause(), ")"));
    }
  }
  SyncCurrentDeadlines(complaint);
  v1::ComplaintEvent event = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_HOLDING_NOTICE_SENT, *complaint);
  event.set_step("holding-notice");
  if (expected.has_value()) *event.mutable_due_date() = ToProtoDate(*expected);
  event.add_recipients(complaint->complainant());
  AddReason(stage_rule.holding_notice().clause().clause().empty() ? stage_rule.clause()
                                                                   : stage_rule.holding_notice().clause(),
            absl::StrCat("holding notice by ", act.actor), &event);
  event.set_detail(detail);
  return Events{std::move(event)};
}

absl::StatusOr<Events> Respond(const Action& act, const profile::v1::ComplaintStage& stage_rule,
                               absl::string_view text, const std::vector<std::string>& salient,
                               const std::vector<std::string>& actions, v1::Complaint* complaint) {
  if (auto s = RequireOpen(*complaint); !s.ok()) return s;
  v1::StageRecord* stage = CurrentStage(complaint);
  if (stage->has_response())
    return absl::FailedPreconditionError(
        absl::StrCat("stage \"", stage->stage(), "\" already responded on ",
                     FormatDay(Day(stage->response().responded_date()))));
  if (auto s = RequireNotBeforeStage(*stage, act.day, "responded_date"); !s.ok()) return s;
  if (stage_rule.record_salient_points() && salient.empty())
    return absl::InvalidArgumentError(absl::StrCat(
        "salient_points: a record of the salient points and actions is required at this stage (",
        stage_rule.clause().clause(), ")"));
  auto* response = stage->mutable_response();
  *response->mutable_responded_date() = ToProtoDate(act.day);
  response->set_text(std::string(text));
  for (const auto& s : salient) response->add_salient_points(s);
  for (const auto& a : actions) response->add_actions(a);
  response->set_responded_by(act.actor);
  if (!stage->has_acknowledged_date()) *stage->mutable_acknowledged_date() = ToProtoDate(act.day);
  Meet(stage, "acknowledge", act.day);
  Meet(stage, "holding-notice", act.day);
  Meet(stage, "respond", act.day);
  SyncCurrentDeadlines(complaint);
  v1::ComplaintEvent event = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_RESPONDED, *complaint);
  event.set_step("respond");
  event.add_recipients(complaint->complainant());
  AddReason(stage_rule.clause(),
            absl::StrCat("response by ", act.actor,
                         salient.empty() ? std::string()
                                         : absl::StrCat("; ", salient.size(),
                                                        " salient points recorded")),
            &event);
  return Events{std::move(event)};
}

absl::Status CheckCanEscalate(const profile::v1::ComplaintRoute& route,
                              const v1::Complaint& complaint) {
  if (auto s = RequireOpen(complaint); !s.ok()) return s;
  const int index = StageIndex(route, complaint.current_stage());
  if (index < 0)
    return absl::FailedPreconditionError(absl::StrCat(
        "stage \"", complaint.current_stage(), "\" is no longer in the profile's route"));
  if (index + 1 >= route.stages_size()) {
    const auto& last = route.stages(index);
    return absl::FailedPreconditionError(absl::StrCat(
        "\"", last.id(), "\" (", last.clause().clause(),
        ") is the last stage of the procedure under ", route.clause().clause(),
        "; there is nothing to escalate to"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Escalate(const Action& act, const profile::v1::ComplaintRoute& route,
                                const StageAssignment& assignment,
                                const calendar::WorkingDayCalendar& calendar,
                                absl::string_view reason, bool automatic,
                                v1::Complaint* complaint, bool trade_union_consulted) {
  if (auto s = CheckCanEscalate(route, *complaint); !s.ok()) return s;
  v1::StageRecord* stage = CurrentStage(complaint);
  if (auto s = RequireNotBeforeStage(*stage, act.day, "escalated_date"); !s.ok()) return s;
  const int index = StageIndex(route, complaint->current_stage());
  *stage->mutable_left_date() = ToProtoDate(act.day);
  stage->set_left_reason(automatic ? absl::StrCat("escalated automatically: ", reason)
                                   : absl::StrCat("escalated by ", act.actor, ": ", reason));
  const std::string from = stage->stage();
  Events events =
      EnterStage(route, index + 1, assignment, calendar, act,
                 absl::StrCat("from \"", from, "\": ", stage->left_reason()), complaint);
  if (trade_union_consulted) {
    const auto& next = route.stages(index + 1);
    CurrentStage(complaint)->set_trade_union_consulted(true);
    v1::ComplaintEvent consulted =
        NewEvent(act, v1::COMPLAINT_EVENT_TYPE_TRADE_UNION_CONSULTED, *complaint);
    const std::string& handler = CurrentStage(complaint)->handler().person();
    if (!handler.empty()) consulted.add_recipients(handler);
    AddReason(next.trade_union_consultation_clause(),
              absl::StrCat(complaint->complainant(),
                           " consulted their trade union representative before stage \"",
                           next.id(), "\""),
              &consulted);
    consulted.set_detail("trade union representative consulted");
    // Before the ESCALATED event's notifications: the consultation came first.
    events.insert(events.begin(), std::move(consulted));
  }
  return events;
}

absl::StatusOr<Events> Close(const Action& act, const profile::v1::ComplaintRoute& route,
                             const profile::v1::FollowUpRule& rule,
                             const calendar::WorkingDayCalendar& calendar, v1::Outcome outcome,
                             std::optional<absl::CivilDay> follow_up_date,
                             v1::Complaint* complaint) {
  if (complaint->state() == v1::COMPLAINT_STATE_CLOSED)
    return absl::FailedPreconditionError(absl::StrCat(
        complaint->name(), " was already closed on ",
        FormatDay(Day(complaint->outcome().decided_date())), "; its outcome cannot be changed"));
  v1::StageRecord* stage = CurrentStage(complaint);
  if (auto s = RequireNotBeforeStage(*stage, act.day, "decided_date"); !s.ok()) return s;
  if (follow_up_date.has_value() && outcome.required_changes().empty())
    return absl::InvalidArgumentError(
        "follow_up_date: a follow-up check is scheduled only when changes are required");
  if (follow_up_date.has_value() && *follow_up_date <= act.day)
    return absl::InvalidArgumentError("follow_up_date must be after the outcome");
  (void)route;
  *outcome.mutable_decided_date() = ToProtoDate(act.day);
  outcome.set_decided_by(act.actor);
  outcome.set_stage(stage->stage());
  *outcome.mutable_clause() = stage->clause();
  outcome.clear_informed();
  std::vector<std::string> informed;
  Informed(*complaint, &informed);
  for (const auto& p : informed) outcome.add_informed(p);
  *complaint->mutable_outcome() = outcome;
  complaint->set_state(v1::COMPLAINT_STATE_CLOSED);
  if (!stage->has_acknowledged_date()) *stage->mutable_acknowledged_date() = ToProtoDate(act.day);
  Meet(stage, "acknowledge", act.day);
  Meet(stage, "holding-notice", act.day);
  Meet(stage, "respond", act.day);
  *stage->mutable_left_date() = ToProtoDate(act.day);
  stage->set_left_reason(absl::StrCat("closed by ", act.actor, ": ",
                                      v1::OutcomeFinding_Name(outcome.finding())));
  SyncCurrentDeadlines(complaint);

  Events events;
  v1::ComplaintEvent closed = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_CLOSED, *complaint);
  for (const auto& p : informed) closed.add_recipients(p);
  AddReason(stage->clause(),
            absl::StrCat("outcome ", v1::OutcomeFinding_Name(outcome.finding()), " at stage \"",
                         stage->stage(), "\""),
            &closed);
  std::vector<std::string> parts = {v1::OutcomeFinding_Name(outcome.finding())};
  if (outcome.apology() != v1::APOLOGY_UNSPECIFIED)
    parts.push_back(v1::Apology_Name(outcome.apology()));
  if (!outcome.undertaking().empty()) parts.push_back("undertaking sought");
  if (!outcome.required_changes().empty())
    parts.push_back(absl::StrCat(outcome.required_changes_size(), " required changes"));
  closed.set_detail(absl::StrJoin(parts, "; "));
  events.push_back(std::move(closed));

  if (!outcome.required_changes().empty() && (follow_up_date.has_value() || rule.months() > 0)) {
    auto* check = complaint->mutable_follow_up();
    check->Clear();
    absl::CivilDay due;
    if (follow_up_date.has_value()) {
      due = *follow_up_date;
      check->set_basis(absl::StrCat("the pre-specified date ", FormatDay(due),
                                    rule.clause().clause().empty()
                                        ? std::string()
                                        : absl::StrCat(" (", rule.clause().clause(), ")")));
    } else {
      const absl::CivilDay nominal = AddMonths(act.day, rule.months());
      due = calendar.FirstWorkingDayOnOrAfter(nominal);
      check->set_basis(absl::StrCat(rule.months(), " months after the outcome of ",
                                    FormatDay(act.day), " (", rule.clause().clause(), ")",
                                    due == nominal
                                        ? std::string()
                                        : absl::StrCat("; ", FormatDay(nominal),
                                                       " is not a working day")));
    }
    *check->mutable_due_date() = ToProtoDate(due);
    *check->mutable_clause() = rule.clause();
    check->set_assigned_to(act.actor);
    v1::ComplaintEvent scheduled =
        NewEvent(act, v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_SCHEDULED, *complaint);
    scheduled.set_step("follow-up");
    *scheduled.mutable_due_date() = ToProtoDate(due);
    scheduled.add_recipients(act.actor);
    AddReason(rule.clause(), check->basis(), &scheduled);
    scheduled.set_detail(absl::StrCat("check that the required changes are made and the "
                                      "complainant is content, due ",
                                      FormatDay(due)));
    events.push_back(std::move(scheduled));
  }
  return events;
}

absl::StatusOr<Events> RecordBreach(const Action& act, v1::BreachReferral referral,
                                    v1::Complaint* complaint) {
  if (complaint->state() != v1::COMPLAINT_STATE_CLOSED)
    return absl::FailedPreconditionError(
        "a breach is recorded after the complaint's outcome (close it first)");
  const auto finding = complaint->outcome().finding();
  if (finding != v1::OUTCOME_FINDING_UPHELD && finding != v1::OUTCOME_FINDING_PARTLY_UPHELD)
    return absl::FailedPreconditionError(absl::StrCat(
        "the outcome was ", v1::OutcomeFinding_Name(finding),
        ": a breach can only follow an upheld or partly upheld complaint"));
  if (complaint->has_breach_referral())
    return absl::FailedPreconditionError(absl::StrCat(
        "a breach by ", complaint->breach_referral().breached_by(), " was already recorded"));
  *referral.mutable_found_date() = ToProtoDate(act.day);
  referral.set_found_by(act.actor);
  *complaint->mutable_breach_referral() = referral;
  AddParticipant(complaint, referral.handler().person(), v1::PARTICIPANT_ROLE_BREACH_HANDLER, "",
                 referral.clause());
  v1::ComplaintEvent event = NewEvent(act, v1::COMPLAINT_EVENT_TYPE_BREACH_REFERRED, *complaint);
  if (!referral.handler().person().empty()) event.add_recipients(referral.handler().person());
  event.add_recipients(referral.breached_by());
  AddReason(referral.clause(),
            absl::StrCat(referral.breached_by(), " (",
                         profile::v1::BreachSubject_Name(referral.breach_subject()),
                         ") breached the protocol; referred to ",
                         referral.handler().body().empty() ? referral.handler().person()
                                                           : referral.handler().body(),
                         " (", referral.handler().basis(), ")"),
            &event);
  return Events{std::move(event)};
}

absl::StatusOr<Events> RecordFormalAction(const Action& act, v1::FormalActionDecision decision,
                                          v1::Complaint* complaint) {
  if (complaint->has_formal_action())
    return absl::FailedPreconditionError(absl::StrCat(
        "formal action was already decided by ", complaint->formal_action().decided_by(), " on ",
        FormatDay(Day(complaint->formal_action().decided_date()))));
  decision.set_decided_by(act.actor);
  *decision.mutable_decided_date() = ToProtoDate(act.day);
  *complaint->mutable_formal_action() = decision;
  v1::ComplaintEvent event =
      NewEvent(act, v1::COMPLAINT_EVENT_TYPE_FORMAL_ACTION_DECIDED, *complaint);
  event.add_recipients(complaint->subject());
  for (const auto& reason : decision.clauses()) *event.add_reasons() = reason;
  event.set_detail(absl::StrCat(decision.formal_action() ? "formal action" : "no formal action",
                                " decided by ", act.actor,
                                decision.hr_consulted().empty()
                                    ? std::string()
                                    : absl::StrCat(" after consulting ", decision.hr_consulted())));
  return Events{std::move(event)};
}

absl::StatusOr<Events> CompleteFollowUp(const Action& act, bool implemented, bool content,
                                        absl::string_view notes, v1::Complaint* complaint) {
  if (!complaint->has_follow_up())
    return absl::FailedPreconditionError(
        absl::StrCat(complaint->name(), " has no follow-up check scheduled"));
  auto* check = complaint->mutable_follow_up();
  if (check->has_completed_date())
    return absl::FailedPreconditionError(absl::StrCat(
        "the follow-up check was already made on ", FormatDay(Day(check->completed_date()))));
  if (act.day < Day(complaint->outcome().decided_date()))
    return absl::InvalidArgumentError("completed_date is before the outcome");
  *check->mutable_completed_date() = ToProtoDate(act.day);
  check->set_changes_implemented(implemented);
  check->set_complainant_content(content);
  check->set_notes(std::string(notes));
  check->set_completed_by(act.actor);
  v1::ComplaintEvent event =
      NewEvent(act, v1::COMPLAINT_EVENT_TYPE_FOLLOW_UP_COMPLETED, *complaint);
  event.set_step("follow-up");
  *event.mutable_due_date() = check->due_date();
  event.add_recipients(complaint->complainant());
  AddReason(check->clause(),
            absl::StrCat("changes ", implemented ? "implemented" : "not implemented",
                         "; complainant ", content ? "content" : "not content"),
            &event);
  return Events{std::move(event)};
}

Events RecomputeOpenDeadlines(const Action& act, const calendar::WorkingDayCalendar& calendar,
                              absl::string_view reason, v1::Complaint* complaint, int* changed) {
  Events events;
  if (complaint->state() != v1::COMPLAINT_STATE_OPEN) return events;
  v1::StageRecord* stage = CurrentStage(complaint);
  if (stage == nullptr) return events;
  std::vector<std::string> moves;
  for (auto& d : *stage->mutable_deadlines()) {
    if (d.has_met_date()) continue;
    const std::string before = FormatDay(Day(d.due_date()));
    if (RecomputeDeadline(calendar, &d)) {
      moves.push_back(absl::StrCat(d.step(), " ", before, " -> ", FormatDay(Day(d.due_date()))));
      ++*changed;
    }
  }
  SyncCurrentDeadlines(complaint);
  if (moves.empty()) return events;
  v1::ComplaintEvent event =
      NewEvent(act, v1::COMPLAINT_EVENT_TYPE_DEADLINES_RECOMPUTED, *complaint);
  for (const auto& r : WarningRecipients(*complaint)) event.add_recipients(r);
  event.add_recipients(complaint->complainant());
  common::v1::ClauseCitation citation;
  citation.set_clause("Council working-day calendar");
  citation.set_summary(
      "Deadlines count the council's working days: weekends, its nation's bank holidays and its "
      "closure days are skipped.");
  AddReason(citation, absl::StrCat("recomputed on ", std::string(calendar.description())), &event);
  event.set_detail(absl::StrCat(absl::StrJoin(moves, "; "), reason.empty() ? "" : " (",
                                reason, reason.empty() ? "" : ")"));
  events.push_back(std::move(event));
  return events;
}

void DecorateForRead(absl::CivilDay today, v1::Complaint* complaint) {
  for (auto& stage : *complaint->mutable_stages()) {
    std::optional<absl::CivilDay> left;
    if (stage.has_left_date()) left = Day(stage.left_date());
    for (auto& d : *stage.mutable_deadlines()) d.set_state(StateOn(d, left, today));
  }
  SyncCurrentDeadlines(complaint);
  if (complaint->has_follow_up()) {
    auto* check = complaint->mutable_follow_up();
    if (check->has_completed_date())
      check->set_state(v1::FOLLOW_UP_STATE_DONE);
    else if (today >= Day(check->due_date()))
      check->set_state(v1::FOLLOW_UP_STATE_DUE);
    else
      check->set_state(v1::FOLLOW_UP_STATE_SCHEDULED);
  }
}

}  // namespace council::complaints
