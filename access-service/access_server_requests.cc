// Requests, disputes and the record of who saw what.
#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "access-service/access_server.h"
#include "access-service/access_server_internal.h"
#include "access-service/document_visibility.h"
#include "common/errors/bounded_status.h"
#include "common/util/resource_names.h"

namespace council::access {

using internal::Invalid;
using internal::kMaxText;
using internal::Now;
using internal::RelationsError;

namespace {

std::string NewRequestId() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  // Time-ordered prefix, so listings in id order are in filing order.
  return absl::StrFormat("ar-%012x-%08x", absl::ToUnixMillis(absl::Now()),
                         absl::Uniform<uint32_t>(*gen));
}

std::string Clauses(const v1::AccessDecision& decision) {
  std::vector<std::string> clauses;
  for (const auto& reason : decision.reasons()) clauses.push_back(reason.citation().clause());
  return absl::StrJoin(clauses, "; ");
}

bool Disputable(v1::Outcome outcome) {
  return outcome == v1::OUTCOME_REFUSED || outcome == v1::OUTCOME_NEEDS_JUSTIFICATION ||
         outcome == v1::OUTCOME_HANDLED_AS_FOI;
}

}  // namespace

bool AccessServer::ReadsRecord(const Caller& caller) const {
  return engine_->IsRecordReader(caller.roles);
}

grpc::Status AccessServer::EligibleRequester(const std::string& person, absl::CivilDay day,
                                             RelationsFacts::Requester* out) {
  auto requester = relations_.Lookup(person, day);
  if (!requester.ok()) return RelationsError(requester.status(), "", person);
  switch (requester->kind) {
    case relations::v1::PERSON_KIND_MEMBER:
    case relations::v1::PERSON_KIND_CO_OPTED_MEMBER:
      break;
    case relations::v1::PERSON_KIND_POLITICAL_ASSISTANT:
      if (!profile_->document_access().political_assistant_access().enabled())
        return PermissionDenied(
            absl::StrCat(person, " is a political assistant, and ", profile_->display_name(),
                         "'s protocol gives political assistants no members' level of access "
                         "to documents"),
            common::v1::ERROR_REASON_RULE_FORBIDS, {{"requester", person}});
      break;
    default:
      return PermissionDenied(
          absl::StrCat(person,
                       " is not a member: only members, co-opted members and political "
                       "assistants ask to inspect documents under the member/officer protocol"),
          common::v1::ERROR_REASON_RULE_FORBIDS, {{"requester", person}});
  }
  *out = std::move(*requester);
  return grpc::Status::OK;
}

grpc::Status AccessServer::NoDecider(const absl::Status& status, const v1::Document& document,
                                     const std::string& subject) const {
  const auto& rules = profile_->document_access();
  if (!absl::IsFailedPrecondition(status))
    return RelationsError(status, rules.dispute_clause().clause(), subject);
  // A referral nobody can decide would sit in nobody's queue: it is refused,
  // nothing is filed, and the member is told why (and ExplainAccess says the
  // same, so the two never disagree).
  return RuleForbids(
      rules.dispute_clause().clause(), subject,
      absl::StrCat(document.name(), " would be referred under ", rules.dispute_clause().clause(),
                   ", but nobody can decide the referral: ", TruncateUtf8(status.message(), 400),
                   ". Nothing was filed; ask again once the council has someone in the post"));
}

grpc::Status AccessServer::OpenDispute(v1::AccessRequest* request, const v1::Document& document,
                                       v1::DisputeOrigin origin, std::string grounds,
                                       absl::CivilDay day) {
  const auto& rules = profile_->document_access();
  auto decider = relations_.ResolveDecider(rules, document, request->requester(), day);
  if (!decider.ok())
    return NoDecider(decider.status(), document,
                     origin == v1::DISPUTE_ORIGIN_REFERRAL ? document.name() : request->name());
  auto* dispute = request->mutable_dispute();
  dispute->set_origin(origin);
  dispute->set_grounds(std::move(grounds));
  dispute->set_decider(decider->person);
  dispute->set_advised_by(decider->advised_by);
  for (auto& reason : decider->reasons) *dispute->add_reasons() = std::move(reason);
  *dispute->mutable_create_time() = Now();
  dispute->set_state(v1::DISPUTE_STATE_OPEN);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* AccessServer::CreateAccessRequest(
    grpc::CallbackServerContext* context, const v1::CreateAccessRequestRequest* request,
    v1::AccessRequest* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::string requester;
  // Deciding may ask relations-service (a blocking call, at most once per
  // member per --requester_facts_ttl); everything else here is in memory.
  if (grpc::Status refused = DecideNewRequest(context, request, response, &requester);
      !refused.ok()) {
    reactor->Finish(refused);
    return reactor;
  }
  // `response` stays valid until Finish; the store copies it for the write.
  store_->SaveAccessRequestAsync(*response, std::move(requester), [reactor](absl::Status saved) {
    reactor->Finish(saved.ok() ? grpc::Status::OK : FromAbsl(saved, "CreateAccessRequest"));
  });
  return reactor;
}

grpc::Status AccessServer::DecideNewRequest(const grpc::ServerContextBase* context,
                                            const v1::CreateAccessRequestRequest* request,
                                            v1::AccessRequest* response,
                                            std::string* requester_out) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "CreateAccessRequest");
  const auto& access_request = request->access_request();
  const std::string& requester = caller.Person();
  if (!access_request.requester().empty() && access_request.requester() != requester)
    return PermissionDenied(
        absl::StrCat("a member asks for themselves: access_request.requester must be empty or ",
                     requester, ", not ", Excerpt(access_request.requester())),
        common::v1::ERROR_REASON_RULE_FORBIDS, {{"field", "access_request.requester"}});
  if (!caller.HasRole("member") && !caller.HasRole("political-assistant"))
    return PermissionDenied(
        "only members, co-opted members and political assistants may ask to inspect "
        "documents under the member/officer protocol",
        common::v1::ERROR_REASON_RULE_FORBIDS, {{"caller", requester}});
  auto document_id = ParseName(access_request.document(), "documents", "access_request.document");
  if (!document_id.ok()) return Invalid(document_id.status());
  if (access_request.capacity() == v1::CAPACITY_UNSPECIFIED)
    return InvalidField("access_request.capacity", "is required");
  if (!v1::Capacity_IsValid(access_request.capacity()))
    return InvalidField("access_request.capacity", "is not a known capacity");
  if (access_request.purpose().size() > kMaxText)
    return InvalidField("access_request.purpose", "must be at most 4000 characters");
  if (access_request.justification().size() > kMaxText)
    return InvalidField("access_request.justification", "must be at most 4000 characters");
  auto snapshot = catalogue_.Current();
  const v1::Document* document = snapshot->Find(access_request.document());
  if (document == nullptr ||
      HiddenFrom(profile_->document_access(), *document, caller, ReadsRecord(caller)))
    return NotFound(access_request.document());

  const absl::CivilDay today = Today();
  RelationsFacts::Requester facts;
  if (auto s = EligibleRequester(requester, today, &facts); !s.ok()) return s;
  response->set_document(access_request.document());
  response->set_capacity(access_request.capacity());
  response->set_purpose(access_request.purpose());
  response->set_justification(access_request.justification());
  response->set_name(absl::StrCat("accessRequests/", NewRequestId()));
  response->set_requester(requester);
  *response->mutable_create_time() = Now();
  *response->mutable_decision() =
      engine_->Decide(*document, Ask::From(*response), *facts.facts, today);
  *response->mutable_decision()->mutable_decide_time() = response->create_time();
  response->set_outcome(response->decision().outcome());
  if (response->outcome() == v1::OUTCOME_REFERRED)
    if (auto s = OpenDispute(response, *document, v1::DISPUTE_ORIGIN_REFERRAL, "", today); !s.ok())
      return s;
  *requester_out = requester;
  return grpc::Status::OK;
}

grpc::Status AccessServer::GetAccessRequest(grpc::ServerContext* context,
                                            const v1::GetAccessRequestRequest* request,
                                            v1::AccessRequest* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "GetAccessRequest");
  auto id = ParseName(request->name(), "accessRequests");
  if (!id.ok()) return Invalid(id.status());
  auto found = store_->GetAccessRequest(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetAccessRequest");
  const std::string& person = caller.Person();
  // The record is the requester's, the decider's (and adviser's) and the
  // readers the profile names; anyone else is told it does not exist rather
  // than that it does.
  const bool party = *found && (response->requester() == person ||
                                response->dispute().decider() == person ||
                                response->dispute().advised_by() == person);
  if (!*found || (!party && !ReadsRecord(caller))) {
    response->Clear();
    return NotFound(request->name());
  }
  if (auto s = store_->AuditRead(person, "ReadAccessRequest", response->name(),
                                 party ? "party to the request" : "reader of the record");
      !s.ok()) {
    response->Clear();
    return FromAbsl(s, "GetAccessRequest");
  }
  return grpc::Status::OK;
}

grpc::Status AccessServer::ListAccessRequests(grpc::ServerContext* context,
                                              const v1::ListAccessRequestsRequest* request,
                                              v1::ListAccessRequestsResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "ListAccessRequests");
  RequestFilter filter;
  filter.document = request->document();
  filter.requester = request->requester();
  filter.outcome = request->outcome();
  filter.decider = request->decider();
  filter.open_disputes_only = request->open_disputes_only();
  if (!filter.document.empty() && !ParseName(filter.document, "documents", "document").ok())
    return InvalidField("document", "must be documents/{document}");
  if (!filter.requester.empty() && !ParseName(filter.requester, "people", "requester").ok())
    return InvalidField("requester", "must be people/{person}");
  if (!filter.decider.empty() && !ParseName(filter.decider, "people", "decider").ok())
    return InvalidField("decider", "must be people/{person}");
  if (!v1::Outcome_IsValid(filter.outcome)) return InvalidField("outcome", "is not a known outcome");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  const std::string scope =
      absl::StrCat("accessRequests|", filter.document, "|", filter.requester, "|",
                   static_cast<int>(filter.outcome), "|", filter.decider, "|",
                   filter.open_disputes_only ? 1 : 0);
  auto after = DecodePageToken(request->page_token(), scope);
  if (!after.ok()) return Invalid(after.status());

  const std::string& person = caller.Person();
  const bool reader = ReadsRecord(caller);
  const bool own = filter.requester == person || filter.decider == person;
  if (!reader && !own) {
    const auto& rules = profile_->document_access();
    return RuleForbids(
        rules.record_readers_clause().clause().empty() ? profile_->display_name()
                                                       : rules.record_readers_clause().clause(),
        "accessRequests",
        absl::StrCat("who saw what is readable only by ",
                     rules.record_reader_roles().empty()
                         ? "nobody else under this profile"
                         : absl::StrJoin(rules.record_reader_roles(), ", "),
                     "; a member may list their own requests (requester=", person,
                     ") and a decider the disputes they decide (decider=", person, ")"));
  }
  auto requests = store_->ListAccessRequests(filter, *after, *size + 1);
  if (!requests.ok()) return FromAbsl(requests.status(), "ListAccessRequests");
  const bool more = static_cast<int>(requests->size()) > *size;
  if (more) requests->pop_back();
  std::vector<std::string> filters;
  if (!filter.document.empty()) filters.push_back("document=" + filter.document);
  if (!filter.requester.empty()) filters.push_back("requester=" + filter.requester);
  if (filter.outcome != v1::OUTCOME_UNSPECIFIED)
    filters.push_back("outcome=" + v1::Outcome_Name(filter.outcome));
  if (!filter.decider.empty()) filters.push_back("decider=" + filter.decider);
  if (filter.open_disputes_only) filters.push_back("open disputes");
  if (auto s = store_->AuditRead(
          person, "ListAccessRequests",
          !filter.document.empty()    ? filter.document
          : !filter.requester.empty() ? filter.requester
                                      : std::string("accessRequests"),
          absl::StrCat(filters.empty() ? "all" : absl::StrJoin(filters, " "), "; ",
                       requests->size(), " returned", reader ? "" : " (own)"));
      !s.ok())
    return FromAbsl(s, "ListAccessRequests");
  for (auto& r : *requests) *response->add_access_requests() = std::move(r);
  if (more)
    response->set_next_page_token(
        EncodePageToken(scope, IdOf(response->access_requests().rbegin()->name())));
  return grpc::Status::OK;
}

grpc::Status AccessServer::DisputeAccessRequest(grpc::ServerContext* context,
                                                const v1::DisputeAccessRequestRequest* request,
                                                v1::AccessRequest* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "DisputeAccessRequest");
  auto id = ParseName(request->name(), "accessRequests");
  if (!id.ok()) return Invalid(id.status());
  if (absl::StripAsciiWhitespace(request->grounds()).empty())
    return InvalidField("grounds", "is required: say why you disagree with the decision");
  if (request->grounds().size() > kMaxText)
    return InvalidField("grounds", "must be at most 4000 characters");
  auto found = store_->GetAccessRequest(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "DisputeAccessRequest");
  const v1::AccessRequest read = *response;
  const std::string& person = caller.Person();
  if (!*found || response->requester() != person) {
    const bool visible = *found && ReadsRecord(caller);
    response->Clear();
    if (visible)
      return PermissionDenied("only the member who made a request may dispute it",
                              common::v1::ERROR_REASON_RULE_FORBIDS, {{"name", request->name()}});
    return NotFound(request->name());
  }
  const auto& rules = profile_->document_access();
  if (response->has_dispute()) {
    const std::string decider = response->dispute().decider();
    const bool open = response->dispute().state() == v1::DISPUTE_STATE_OPEN;
    response->Clear();
    return RuleForbids(rules.dispute_clause().clause(), request->name(),
                       open ? absl::StrCat("already with ", decider, ", who decides")
                            : absl::StrCat(decider, " has already decided the dispute"));
  }
  if (!Disputable(response->outcome())) {
    const std::string outcome = v1::Outcome_Name(response->outcome());
    response->Clear();
    return RuleForbids(rules.dispute_clause().clause(), request->name(),
                       absl::StrCat("the request was ", outcome, ": there is nothing to dispute"));
  }
  auto snapshot = catalogue_.Current();
  const v1::Document* document = snapshot->Find(response->document());
  if (document == nullptr) {
    response->Clear();
    return NotFound(absl::StrCat(request->name(), " is about a document no longer in the "
                                                  "catalogue"));
  }
  if (auto s = OpenDispute(response, *document, v1::DISPUTE_ORIGIN_MEMBER, request->grounds(),
                           Today());
      !s.ok()) {
    response->Clear();
    return s;
  }
  absl::Status saved = store_->UpdateAccessRequest(
      read, *response, person, "DisputeAccessRequest",
      absl::StrCat("disputed ", v1::Outcome_Name(response->outcome()), "; decided by ",
                   response->dispute().decider(), " [", rules.dispute_clause().clause(), "]"));
  if (!saved.ok()) {
    response->Clear();
    return FromAbsl(saved, "DisputeAccessRequest");
  }
  return grpc::Status::OK;
}

grpc::Status AccessServer::DecideDispute(grpc::ServerContext* context,
                                         const v1::DecideDisputeRequest* request,
                                         v1::AccessRequest* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "DecideDispute");
  auto id = ParseName(request->name(), "accessRequests");
  if (!id.ok()) return Invalid(id.status());
  if (request->outcome() != v1::OUTCOME_GRANTED && request->outcome() != v1::OUTCOME_REFUSED)
    return InvalidField("outcome", "must be OUTCOME_GRANTED or OUTCOME_REFUSED");
  if (absl::StripAsciiWhitespace(request->reasons()).empty())
    return InvalidField("reasons", "is required: a dispute is decided with reasons");
  if (request->reasons().size() > kMaxText)
    return InvalidField("reasons", "must be at most 4000 characters");
  if (request->advice().size() > kMaxText)
    return InvalidField("advice", "must be at most 4000 characters");
  if (request->conditions_size() > 20)
    return InvalidField("conditions", "at most 20 conditions");
  for (int i = 0; i < request->conditions_size(); ++i)
    if (request->conditions(i).empty() || request->conditions(i).size() > 1000)
      return InvalidField(absl::StrCat("conditions[", i, "]"), "must be 1 to 1000 characters");
  auto found = store_->GetAccessRequest(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "DecideDispute");
  const v1::AccessRequest read = *response;
  const std::string& person = caller.Person();
  const auto& rules = profile_->document_access();
  if (!*found || response->dispute().decider() != person) {
    const bool visible = *found && (ReadsRecord(caller) || response->requester() == person);
    const std::string decider = response->dispute().decider();
    response->Clear();
    if (visible)
      return PermissionDenied(
          decider.empty()
              ? std::string("the request has no dispute to decide")
              : absl::StrCat("only ", decider, " decides this dispute (",
                             rules.dispute_clause().clause(), ")"),
          common::v1::ERROR_REASON_RULE_FORBIDS,
          {{"clause", rules.dispute_clause().clause()}, {"decider", decider}});
    return NotFound(request->name());
  }
  if (response->dispute().state() != v1::DISPUTE_STATE_OPEN) {
    response->Clear();
    return RuleForbids(rules.dispute_clause().clause(), request->name(),
                       "the dispute has already been decided");
  }
  if (!response->dispute().advised_by().empty() &&
      absl::StripAsciiWhitespace(request->advice()).empty()) {
    const std::string adviser = response->dispute().advised_by();
    response->Clear();
    return InvalidField("advice",
                        absl::StrCat("is required: the decider takes advice from ", adviser,
                                     " first"),
                        rules.dispute_clause().clause());
  }
  auto snapshot = catalogue_.Current();
  const v1::Document* document = snapshot->Find(response->document());

  auto* dispute = response->mutable_dispute();
  dispute->set_advice(request->advice());
  v1::AccessDecision* resolution = dispute->mutable_resolution();
  resolution->set_outcome(request->outcome());
  resolution->set_profile(profile_->id());
  resolution->set_decided_by(person);
  *resolution->mutable_decide_time() = Now();
  if (!dispute->advised_by().empty()) {
    auto* advice = resolution->add_reasons();
    *advice->mutable_citation() = rules.dispute_clause();
    advice->set_finding(absl::StrCat("advice from ", dispute->advised_by(), ": ",
                                     request->advice()));
  }
  auto* decided = resolution->add_reasons();
  *decided->mutable_citation() = rules.dispute_clause();
  decided->set_finding(absl::StrCat(person, " decided to ",
                                    request->outcome() == v1::OUTCOME_GRANTED ? "grant" : "refuse",
                                    ": ", request->reasons()));
  if (request->outcome() == v1::OUTCOME_GRANTED) {
    if (document != nullptr) engine_->AddGrantConditions(*document, resolution);
    for (const auto& condition : request->conditions())
      resolution->add_conditions(absl::StrCat(condition, " (", person, ")"));
  } else {
    engine_->AddRefusalReasons(resolution);
  }
  dispute->set_state(v1::DISPUTE_STATE_DECIDED);
  response->set_outcome(request->outcome());
  absl::Status saved = store_->UpdateAccessRequest(
      read, *response, person, "DecideDispute",
      absl::StrCat(v1::Outcome_Name(request->outcome()), " by ", person, " [",
                   Clauses(*resolution), "]; first decision ",
                   v1::Outcome_Name(response->decision().outcome())));
  if (!saved.ok()) {
    response->Clear();
    return FromAbsl(saved, "DecideDispute");
  }
  return grpc::Status::OK;
}

}  // namespace council::access
