#include "complaints-service/complaints_server.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "complaints-service/ladder.h"
#include "complaints-service/workflow_errors.h"

namespace council::complaints {
namespace {

constexpr char kService[] = "council.complaints.v1.ComplaintsService";
constexpr size_t kMaxText = 10000;
constexpr size_t kMaxShort = 2000;

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

grpc::Status CheckText(absl::string_view field, absl::string_view text, size_t max, bool required) {
  if (required && text.empty()) return InvalidField(field, "is required");
  if (text.size() > max)
    return InvalidField(field, absl::StrCat("must be at most ", max, " characters"));
  return grpc::Status::OK;
}

grpc::Status CheckList(absl::string_view field, const google::protobuf::RepeatedPtrField<std::string>& items) {
  if (items.size() > 100) return InvalidField(field, "at most 100 entries");
  for (const auto& item : items) {
    if (item.empty()) return InvalidField(field, "entries must not be empty");
    if (item.size() > kMaxShort)
      return InvalidField(field, absl::StrCat("each entry must be at most ", kMaxShort,
                                              " characters"));
  }
  return grpc::Status::OK;
}

std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace

ComplaintsServer::ComplaintsServer(Workflow* workflow, auth::AssertionKey key,
                                   WatchLimits watch_limits)
    : workflow_(workflow),
      authenticator_(std::move(key)),
      watch_hub_(workflow->store(), watch_limits) {}

void ComplaintsServer::Stop() {
  watch_hub_.Stop();
  workflow_->store()->Stop();
}

bool ComplaintsServer::IsReader(const Caller& caller) const {
  for (const auto& designation : workflow_->profile().complaints().readers_designation_ids())
    if (caller.HasRole(designation)) return true;
  return false;
}

grpc::Status ComplaintsServer::Load(const Caller& caller, absl::string_view name,
                                    v1::Complaint* out, std::string* id) {
  auto parsed = ParseName(name, "complaints");
  if (!parsed.ok()) return InvalidField("name", "must be complaints/{complaint}");
  *id = *parsed;
  auto found = workflow_->store()->Get(*id, out);
  if (!found.ok()) return FromAbsl(found.status(), "GetComplaint");
  // Complaints are confidential: anyone else is told it does not exist.
  if (!*found || (!IsParticipant(*out, caller.Person()) && !IsReader(caller))) {
    out->Clear();
    return NotFound(name);
  }
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::DayOf(const common::v1::Date& date, bool has,
                                     absl::string_view field, absl::CivilDay* day) const {
  const absl::CivilDay today = workflow_->clock().today();
  *day = today;
  if (!has) return grpc::Status::OK;
  auto parsed = ToCivilDay(date, field);
  if (!parsed.ok()) return InvalidField(field, "is not a valid date");
  if (*parsed > today) return InvalidField(field, "is in the future");
  *day = *parsed;
  return grpc::Status::OK;
}

void ComplaintsServer::ForRead(v1::Complaint* complaint) const {
  DecorateForRead(workflow_->clock().today(), complaint);
}

grpc::Status ComplaintsServer::CreateComplaint(grpc::ServerContext* context,
                                               const v1::CreateComplaintRequest* request,
                                               v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateComplaint");
  const auto& complaint = request->complaint();
  const std::string& complainant = caller.Person();
  if (!absl::StartsWith(complainant, "people/"))
    return PermissionDenied("complaints are filed by people", common::v1::ERROR_REASON_UNSPECIFIED);
  if (auto s = CheckText("complaint.summary", complaint.summary(), kMaxText, true); !s.ok())
    return s;
  const bool service = absl::StartsWith(complaint.subject(), "services/");
  if (!(service ? ParseName(complaint.subject(), "services", "complaint.subject").ok()
                : ParseName(complaint.subject(), "people", "complaint.subject").ok()))
    return InvalidField("complaint.subject",
                        "must be the person complained about (people/{person}) or, for casework, "
                        "the service (services/{service})");
  if (complaint.subject() == complainant)
    return InvalidField("complaint.subject", "a person cannot complain about themselves");
  if (complaint.kind() == profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK && !service)
    return InvalidField("complaint.subject", "casework is about a service: services/{service}");
  absl::CivilDay filed;
  if (auto s = DayOf(complaint.filed_date(), complaint.has_filed_date(), "complaint.filed_date",
                     &filed);
      !s.ok())
    return s;
  // The gateway resolved the caller's roles from the directory: their kind
  // needs no second lookup (mixed or missing roles are looked up).
  std::optional<relations::v1::PersonKind> kind;
  const int sides = (caller.HasRole("member") ? 1 : 0) + (caller.HasRole("officer") ? 1 : 0) +
                    (caller.HasRole("political-assistant") ? 1 : 0);
  if (sides == 1) {
    if (caller.HasRole("member"))
      kind = caller.HasRole("co-opted-member") ? relations::v1::PERSON_KIND_CO_OPTED_MEMBER
                                              : relations::v1::PERSON_KIND_MEMBER;
    else if (caller.HasRole("officer"))
      kind = relations::v1::PERSON_KIND_OFFICER;
    else
      kind = relations::v1::PERSON_KIND_POLITICAL_ASSISTANT;
  }
  auto filed_complaint = workflow_->File(complaint, complainant, filed, kind);
  if (!filed_complaint.ok())
    return ToGrpc(filed_complaint.status(), complaint.subject(), "CreateComplaint");
  *response = std::move(*filed_complaint);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::GetComplaint(grpc::ServerContext* context,
                                            const v1::GetComplaintRequest* request,
                                            v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "GetComplaint");
  std::string id;
  if (auto s = Load(caller, request->name(), response, &id); !s.ok()) return s;
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::ListComplaints(grpc::ServerContext* context,
                                              const v1::ListComplaintsRequest* request,
                                              v1::ListComplaintsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListComplaints");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return InvalidField("page_size", "must not be negative");
  const bool all = IsReader(caller);
  const std::string scope = absl::StrCat("complaints:", all ? "*" : caller.Person(), ":",
                                         static_cast<int>(request->state()));
  std::string after;
  if (!request->page_token().empty()) {
    auto decoded = DecodePageToken(request->page_token(), scope);
    if (!decoded.ok()) return InvalidField("page_token", "is not a token from this listing");
    after = *decoded;
  }
  auto page = workflow_->store()->List(all ? "" : caller.Person(), after, *size + 1,
                                       request->state());
  if (!page.ok()) return FromAbsl(page.status(), "ListComplaints");
  const bool more = static_cast<int>(page->size()) > *size;
  if (more) page->resize(*size);
  for (auto& complaint : *page) {
    ForRead(&complaint);
    *response->add_complaints() = std::move(complaint);
  }
  if (more && response->complaints_size() > 0)
    response->set_next_page_token(
        EncodePageToken(scope, IdOf(response->complaints(response->complaints_size() - 1).name())));
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::HandlerStep(const Caller& caller, absl::string_view name,
                                           absl::string_view method, StageAct act,
                                           const StageStep& step, v1::Complaint* response) {
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, name, &complaint, &id); !s.ok()) return s;
  if (complaint.state() != v1::COMPLAINT_STATE_OPEN)
    return RuleForbids(complaint.outcome().clause().clause().empty()
                           ? workflow_->profile().protocol_source()
                           : complaint.outcome().clause().clause(),
                       name,
                       absl::StrCat(name, " is closed (", 
                                    v1::OutcomeFinding_Name(complaint.outcome().finding()),
                                    "); nothing more can be recorded at a stage"));
  if (!MayAct(complaint, caller.Person(), act)) {
    const v1::StageRecord* stage = CurrentStage(complaint);
    const std::string actors = absl::StrJoin(StageActors(complaint, act), ", ");
    const bool respondent = act == StageAct::kRespond && stage != nullptr &&
                            !stage->respondent().person().empty();
    return PermissionDenied(
        absl::StrCat("only ", respondent ? "the respondent" : "the handler", " of stage \"",
                     complaint.current_stage(), "\" (", actors, ") may call ", method,
                     respondent ? absl::StrCat(" (", stage->respondent().basis(), ")")
                                : std::string()),
        common::v1::ERROR_REASON_RULE_FORBIDS,
        {{"handler", stage == nullptr ? "" : stage->handler().person()}, {"may_act", actors}});
  }
  const profile::v1::ComplaintRoute* route =
      FindRoute(workflow_->profile(), complaint.kind());
  profile::v1::ComplaintStage stage_rule;
  if (route != nullptr) {
    const int index = StageIndex(*route, complaint.current_stage());
    if (index >= 0) stage_rule = route->stages(index);
  }
  auto updated = workflow_->store()->Update(
      id, caller.Person(), complaint.revision(),
      [&](v1::Complaint* c) -> absl::StatusOr<Change> {
        auto events = step(stage_rule, c);
        if (!events.ok()) return events.status();
        Change change;
        change.events = std::move(*events);
        change.audit_action = std::string(method);
        std::vector<std::string> what;
        for (const auto& e : change.events)
          what.push_back(absl::StrCat(v1::ComplaintEventType_Name(e.type()),
                                      e.detail().empty() ? "" : ": ", e.detail()));
        change.audit_detail = absl::StrCat("stage ", c->current_stage(), "; ",
                                           absl::StrJoin(what, "; "));
        return change;
      },
      workflow_->clock().now());
  if (!updated.ok()) {
    const auto& status = updated.status();
    if (absl::IsFailedPrecondition(status) && stage_rule.has_clause())
      return ToGrpc(Refuse(stage_rule.clause().clause(), status.message()), name, method);
    return ToGrpc(status, name, method);
  }
  *response = std::move(*updated);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::AcknowledgeComplaint(
    grpc::ServerContext* context, const v1::AcknowledgeComplaintRequest* request,
    v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "AcknowledgeComplaint");
  absl::CivilDay day;
  if (auto s = DayOf(request->acknowledged_date(), request->has_acknowledged_date(),
                     "acknowledged_date", &day);
      !s.ok())
    return s;
  const Action act{caller.Person(), day, workflow_->clock().now()};
  return HandlerStep(caller, request->name(), "AcknowledgeComplaint", StageAct::kAcknowledge,
                     [&](const profile::v1::ComplaintStage&, v1::Complaint* c) {
                       return Acknowledge(act, c);
                     },
                     response);
}

grpc::Status ComplaintsServer::RecordHoldingNotice(grpc::ServerContext* context,
                                                   const v1::RecordHoldingNoticeRequest* request,
                                                   v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "RecordHoldingNotice");
  if (auto s = CheckText("text", request->text(), kMaxText, true); !s.ok()) return s;
  absl::CivilDay day;
  if (auto s = DayOf(request->sent_date(), request->has_sent_date(), "sent_date", &day); !s.ok())
    return s;
  std::optional<absl::CivilDay> expected;
  if (request->has_expected_response_date()) {
    auto parsed = ToCivilDay(request->expected_response_date(), "expected_response_date");
    if (!parsed.ok()) return InvalidField("expected_response_date", "is not a valid date");
    expected = *parsed;
  }
  const Action act{caller.Person(), day, workflow_->clock().now()};
  return HandlerStep(caller, request->name(), "RecordHoldingNotice", StageAct::kHoldingNotice,
                     [&](const profile::v1::ComplaintStage& stage, v1::Complaint* c)
                         -> absl::StatusOr<Events> {
                       auto events = complaints::RecordHoldingNotice(act, stage, expected,
                                                                     request->text(), c);
                       if (absl::IsInvalidArgument(events.status()))
                         return BadField("expected_response_date", events.status().message());
                       return events;
                     },
                     response);
}

grpc::Status ComplaintsServer::RespondToComplaint(grpc::ServerContext* context,
                                                  const v1::RespondToComplaintRequest* request,
                                                  v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "RespondToComplaint");
  if (auto s = CheckText("text", request->text(), kMaxText, true); !s.ok()) return s;
  if (auto s = CheckList("salient_points", request->salient_points()); !s.ok()) return s;
  if (auto s = CheckList("actions", request->actions()); !s.ok()) return s;
  absl::CivilDay day;
  if (auto s = DayOf(request->responded_date(), request->has_responded_date(), "responded_date",
                     &day);
      !s.ok())
    return s;
  const Action act{caller.Person(), day, workflow_->clock().now()};
  const std::vector<std::string> salient(request->salient_points().begin(),
                                         request->salient_points().end());
  const std::vector<std::string> actions(request->actions().begin(), request->actions().end());
  return HandlerStep(caller, request->name(), "RespondToComplaint", StageAct::kRespond,
                     [&](const profile::v1::ComplaintStage& stage, v1::Complaint* c)
                         -> absl::StatusOr<Events> {
                       auto events = Respond(act, stage, request->text(), salient, actions, c);
                       if (absl::IsInvalidArgument(events.status()))
                         return BadField(absl::StartsWith(events.status().message(),
                                                          "salient_points")
                                             ? "salient_points"
                                             : "responded_date",
                                         events.status().message());
                       return events;
                     },
                     response);
}

grpc::Status ComplaintsServer::EscalateComplaint(grpc::ServerContext* context,
                                                 const v1::EscalateComplaintRequest* request,
                                                 v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "EscalateComplaint");
  if (auto s = CheckText("reason", request->reason(), kMaxShort, true); !s.ok()) return s;
  absl::CivilDay day;
  if (auto s = DayOf(request->escalated_date(), request->has_escalated_date(), "escalated_date",
                     &day);
      !s.ok())
    return s;
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, request->name(), &complaint, &id); !s.ok()) return s;
  if (complaint.complainant() != caller.Person() && !IsHandler(complaint, caller.Person()))
    return PermissionDenied(
        absl::StrCat("only the complainant or the handler of stage \"",
                     complaint.current_stage(), "\" may escalate ", request->name()),
        common::v1::ERROR_REASON_RULE_FORBIDS);
  auto escalated =
      workflow_->Escalate(id, caller.Person(), request->reason(), day, false,
                          EscalationChoices{request->trade_union_consulted(),
                                            request->raise_directly()});
  if (!escalated.ok()) return ToGrpc(escalated.status(), request->name(), "EscalateComplaint");
  *response = std::move(*escalated);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::CloseComplaint(grpc::ServerContext* context,
                                              const v1::CloseComplaintRequest* request,
                                              v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "CloseComplaint");
  const auto& outcome = request->outcome();
  if (outcome.finding() == v1::OUTCOME_FINDING_UNSPECIFIED)
    return InvalidField("outcome.finding", "is required");
  if (auto s = CheckText("outcome.summary", outcome.summary(), kMaxText, true); !s.ok()) return s;
  if (auto s = CheckText("outcome.undertaking", outcome.undertaking(), kMaxShort, false); !s.ok())
    return s;
  if (auto s = CheckList("outcome.required_changes", outcome.required_changes()); !s.ok())
    return s;
  absl::CivilDay day;
  if (auto s = DayOf(request->decided_date(), request->has_decided_date(), "decided_date", &day);
      !s.ok())
    return s;
  std::optional<absl::CivilDay> follow_up;
  if (request->has_follow_up_date()) {
    auto parsed = ToCivilDay(request->follow_up_date(), "follow_up_date");
    if (!parsed.ok()) return InvalidField("follow_up_date", "is not a valid date");
    follow_up = *parsed;
  }
  v1::Outcome clean;
  clean.set_finding(outcome.finding());
  clean.set_summary(outcome.summary());
  clean.set_apology(outcome.apology());
  clean.set_undertaking(outcome.undertaking());
  *clean.mutable_required_changes() = outcome.required_changes();
  const Action act{caller.Person(), day, workflow_->clock().now()};
  // A closed complaint keeps its outcome: say so plainly, naming the clause.
  {
    v1::Complaint existing;
    std::string id;
    if (auto s = Load(caller, request->name(), &existing, &id); !s.ok()) return s;
    if (existing.state() == v1::COMPLAINT_STATE_CLOSED)
      return RuleForbids(existing.outcome().clause().clause(), request->name(),
                         absl::StrCat(request->name(), " was closed on ",
                                      FormatDay(absl::CivilDay(
                                          existing.outcome().decided_date().year(),
                                          existing.outcome().decided_date().month(),
                                          existing.outcome().decided_date().day())),
                                      " with the outcome ",
                                      v1::OutcomeFinding_Name(existing.outcome().finding()),
                                      "; an outcome cannot be recorded twice"));
    // At a stage nobody handles (Southwark 69) the complainant closes it, and
    // only as resolved: content with the response. Nobody decides a
    // complaint about themselves, so no finding is made.
    const v1::StageRecord* stage = CurrentStage(existing);
    if (stage != nullptr && stage->handler().person().empty() &&
        existing.complainant() == caller.Person() &&
        clean.finding() != v1::OUTCOME_FINDING_RESOLVED)
      return InvalidField("outcome.finding",
                          absl::StrCat("stage \"", stage->stage(), "\" (",
                                       stage->clause().clause(),
                                       ") has no handler to make a finding: the complainant "
                                       "closes it only as OUTCOME_FINDING_RESOLVED, content "
                                       "with the response"));
  }
  const profile::v1::ComplaintRoute* route = nullptr;
  return HandlerStep(
      caller, request->name(), "CloseComplaint", StageAct::kClose,
      [&](const profile::v1::ComplaintStage&, v1::Complaint* c) -> absl::StatusOr<Events> {
        route = FindRoute(workflow_->profile(), c->kind());
        profile::v1::ComplaintRoute empty;
        auto events = Close(act, route == nullptr ? empty : *route,
                            workflow_->profile().complaints().follow_up(), workflow_->calendar(),
                            clean, follow_up, c);
        if (absl::IsInvalidArgument(events.status()))
          return BadField(absl::StartsWith(events.status().message(), "follow_up_date")
                              ? "follow_up_date"
                              : "decided_date",
                          events.status().message());
        return events;
      },
      response);
}

grpc::Status ComplaintsServer::RecordBreachFinding(grpc::ServerContext* context,
                                                   const v1::RecordBreachFindingRequest* request,
                                                   v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "RecordBreachFinding");
  if (auto s = CheckText("finding", request->finding(), kMaxText, true); !s.ok()) return s;
  if (!ParseName(request->breached_by(), "people", "breached_by").ok())
    return InvalidField("breached_by", "must be people/{person}");
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, request->name(), &complaint, &id); !s.ok()) return s;
  // Whoever decided, anyone who handled a stage (Sheffield 15: the manager
  // of the informal stage "will notify the Monitoring Officer" that
  // disciplinary action is required), or the monitoring officer.
  bool may = complaint.outcome().decided_by() == caller.Person() ||
             IsHandler(complaint, caller.Person()) || caller.HasRole("monitoring-officer");
  for (const auto& p : complaint.participants())
    if (p.person() == caller.Person() && (p.role() == v1::PARTICIPANT_ROLE_HANDLER ||
                                          p.role() == v1::PARTICIPANT_ROLE_JOINT_HANDLER))
      may = true;
  if (!may)
    return PermissionDenied(
        "a breach is recorded by whoever decided the complaint, a handler of one of its stages "
        "or the monitoring officer",
        common::v1::ERROR_REASON_RULE_FORBIDS);
  auto recorded =
      workflow_->RecordBreachFinding(id, caller.Person(), request->breached_by(),
                                     request->finding());
  if (!recorded.ok()) return ToGrpc(recorded.status(), request->name(), "RecordBreachFinding");
  *response = std::move(*recorded);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::DecideFormalAction(grpc::ServerContext* context,
                                                  const v1::DecideFormalActionRequest* request,
                                                  v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "DecideFormalAction");
  if (auto s = CheckText("reasons", request->reasons(), kMaxText, true); !s.ok()) return s;
  if (!request->hr_consulted().empty() &&
      !ParseName(request->hr_consulted(), "people", "hr_consulted").ok())
    return InvalidField("hr_consulted", "must be people/{person}");
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, request->name(), &complaint, &id); !s.ok()) return s;
  auto decided = workflow_->DecideFormalAction(id, caller.Person(), request->formal_action(),
                                               request->hr_consulted(), request->reasons());
  if (!decided.ok()) return ToGrpc(decided.status(), request->name(), "DecideFormalAction");
  *response = std::move(*decided);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::CompleteFollowUpCheck(
    grpc::ServerContext* context, const v1::CompleteFollowUpCheckRequest* request,
    v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "CompleteFollowUpCheck");
  if (auto s = CheckText("notes", request->notes(), kMaxText, false); !s.ok()) return s;
  absl::CivilDay day;
  if (auto s = DayOf(request->completed_date(), request->has_completed_date(), "completed_date",
                     &day);
      !s.ok())
    return s;
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, request->name(), &complaint, &id); !s.ok()) return s;
  if (!complaint.has_follow_up())
    return RuleForbids(workflow_->profile().complaints().follow_up().clause().clause().empty()
                           ? workflow_->profile().protocol_source()
                           : workflow_->profile().complaints().follow_up().clause().clause(),
                       request->name(),
                       absl::StrCat(request->name(), " has no follow-up check scheduled"));
  bool may = complaint.follow_up().assigned_to() == caller.Person();
  for (const auto& p : complaint.participants())
    if (p.person() == caller.Person() && (p.role() == v1::PARTICIPANT_ROLE_HANDLER ||
                                          p.role() == v1::PARTICIPANT_ROLE_JOINT_HANDLER))
      may = true;
  if (!may)
    return PermissionDenied(
        absl::StrCat("the follow-up check is made by ", complaint.follow_up().assigned_to(),
                     " or another handler of the complaint"),
        common::v1::ERROR_REASON_RULE_FORBIDS);
  const Action act{caller.Person(), day, workflow_->clock().now()};
  auto updated = workflow_->store()->Update(
      id, caller.Person(), complaint.revision(),
      [&](v1::Complaint* c) -> absl::StatusOr<Change> {
        auto events = CompleteFollowUp(act, request->changes_implemented(),
                                       request->complainant_content(), request->notes(), c);
        if (!events.ok()) return events.status();
        Change change;
        change.events = std::move(*events);
        change.audit_action = "CompleteFollowUpCheck";
        change.audit_detail = change.events.front().reasons(0).finding();
        return change;
      },
      act.now);
  if (!updated.ok()) {
    if (absl::IsFailedPrecondition(updated.status()))
      return ToGrpc(Refuse(complaint.follow_up().clause().clause(), updated.status().message()),
                    request->name(), "CompleteFollowUpCheck");
    return ToGrpc(updated.status(), request->name(), "CompleteFollowUpCheck");
  }
  *response = std::move(*updated);
  ForRead(response);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::GetComplaintTimeline(grpc::ServerContext* context,
                                                    const v1::GetComplaintTimelineRequest* request,
                                                    v1::ComplaintTimeline* response) {
  COUNCIL_AUTHENTICATE(caller, "GetComplaintTimeline");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return InvalidField("page_size", "must not be negative");
  v1::Complaint complaint;
  std::string id;
  if (auto s = Load(caller, request->name(), &complaint, &id); !s.ok()) return s;
  const std::string scope = absl::StrCat("timeline:", id);
  int64_t after = 0;
  if (!request->page_token().empty()) {
    auto decoded = DecodePageToken(request->page_token(), scope);
    if (!decoded.ok() || !absl::SimpleAtoi(*decoded, &after))
      return InvalidField("page_token", "is not a token from this timeline");
  }
  auto events = workflow_->store()->Events(after, *size + 1, id);
  if (!events.ok()) return FromAbsl(events.status(), "GetComplaintTimeline");
  const bool more = static_cast<int>(events->size()) > *size;
  if (more) events->resize(*size);
  response->set_complaint(complaint.name());
  for (auto& e : *events) *response->add_events() = std::move(e);
  if (more && response->events_size() > 0)
    response->set_next_page_token(EncodePageToken(
        scope, absl::StrCat(response->events(response->events_size() - 1).position())));
  // Reading a confidential record is itself recorded.
  if (auto s = workflow_->store()->AuditRead(
          caller.Person(), "GetComplaintTimeline", complaint.name(),
          absl::StrCat(response->events_size(), " events after position ", after),
          workflow_->clock().now());
      !s.ok())
    return FromAbsl(s, "GetComplaintTimeline");
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::AdmitWatch(const grpc::ServerContextBase* context,
                                          const v1::WatchComplaintEventsRequest* request,
                                          std::string* caller_out, std::string* complaint) {
  COUNCIL_AUTHENTICATE(caller, "WatchComplaintEvents");
  if (!caller.HasRole("administrator") && !caller.HasRole("auditor"))
    return PermissionDenied("the event stream is for the council's internal tools "
                            "(administrator or auditor)",
                            common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
  if (request->after_position() < 0) return InvalidField("after_position", "must not be negative");
  if (!request->complaint().empty()) {
    auto parsed = ParseName(request->complaint(), "complaints", "complaint");
    if (!parsed.ok()) return InvalidField("complaint", "must be complaints/{complaint}");
    *complaint = absl::StrCat("complaints/", *parsed);
  }
  *caller_out = caller.Person();
  return grpc::Status::OK;
}

namespace {

// A stream refused before it starts.
class RefusedWatch final : public grpc::ServerWriteReactor<v1::ComplaintEvent> {
 public:
  explicit RefusedWatch(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<v1::ComplaintEvent>* ComplaintsServer::WatchComplaintEvents(
    grpc::CallbackServerContext* context, const v1::WatchComplaintEventsRequest* request) {
  std::string caller, complaint;
  if (grpc::Status refused = AdmitWatch(context, request, &caller, &complaint); !refused.ok())
    return new RefusedWatch(std::move(refused));
  // First the stored backlog after `after_position`, then each event as its
  // transaction commits; see watch_hub.h.
  return watch_hub_.Open(caller, request->after_position(), complaint);
}

grpc::Status ComplaintsServer::RunSweep(grpc::ServerContext* context,
                                        const v1::RunSweepRequest* request,
                                        v1::RunSweepResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "RunSweep");
  if (!caller.HasRole("administrator"))
    return PermissionDenied("only administrators run the sweeper by hand",
                            common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
  absl::CivilDay day;
  if (auto s = DayOf(request->as_of(), request->has_as_of(), "as_of", &day); !s.ok()) return s;
  auto swept = workflow_->Sweep(day);
  if (!swept.ok()) return ToGrpc(swept.status(), "complaints", "RunSweep");
  *response = std::move(*swept);
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::RecomputeDeadlines(grpc::ServerContext* context,
                                                  const v1::RecomputeDeadlinesRequest* request,
                                                  v1::RecomputeDeadlinesResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "RecomputeDeadlines");
  if (!caller.HasRole("administrator"))
    return PermissionDenied("only administrators recompute deadlines",
                            common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
  if (auto s = CheckText("reason", request->reason(), kMaxShort, true); !s.ok()) return s;
  auto result = workflow_->Recompute(request->reason(), caller.Person());
  if (!result.ok()) return ToGrpc(result.status(), "complaints", "RecomputeDeadlines");
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace council::complaints
