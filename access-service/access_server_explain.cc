// Explain, and what a member may see: the decision engine without filing.
#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "access-service/access_server.h"
#include "access-service/access_server_internal.h"
#include "access-service/document_visibility.h"
#include "common/util/resource_names.h"

namespace council::access {

using internal::Invalid;
using internal::kMaxText;
using internal::Now;

namespace {

const char* KindName(RequesterKind kind) {
  switch (kind) {
    case RequesterKind::kCoOptedMember:
      return "co-opted-member";
    case RequesterKind::kPoliticalAssistant:
      return "political-assistant";
    default:
      return "member";
  }
}

std::vector<std::string> Sorted(const absl::flat_hash_set<std::string>& items) {
  std::vector<std::string> out(items.begin(), items.end());
  std::sort(out.begin(), out.end());
  return out;
}

// Checks the fields ExplainAccess and ListAccessibleDocuments share.
grpc::Status ValidateAsk(absl::string_view person, v1::Capacity capacity,
                         absl::string_view purpose, absl::string_view justification) {
  if (!person.empty() && !ParseName(person, "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  if (!v1::Capacity_IsValid(capacity)) return InvalidField("capacity", "is not a known capacity");
  if (purpose.size() > kMaxText) return InvalidField("purpose", "must be at most 4000 characters");
  if (justification.size() > kMaxText)
    return InvalidField("justification", "must be at most 4000 characters");
  return grpc::Status::OK;
}

}  // namespace

grpc::Status AccessServer::ExplainAccess(grpc::ServerContext* context,
                                         const v1::ExplainAccessRequest* request,
                                         v1::ExplainAccessResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "ExplainAccess");
  if (auto s = ValidateAsk(request->person(), request->capacity(), request->purpose(),
                           request->justification());
      !s.ok())
    return s;
  auto document_id = ParseName(request->document(), "documents", "document");
  if (!document_id.ok()) return Invalid(document_id.status());
  absl::CivilDay day = Today();
  if (request->has_as_of()) {
    auto as_of = ToCivilDay(request->as_of(), "as_of");
    if (!as_of.ok()) return Invalid(as_of.status());
    day = *as_of;
  }
  const std::string person = request->person().empty() ? caller.Person() : request->person();
  const auto& rules = profile_->document_access();
  if (person != caller.Person() && !ReadsRecord(caller))
    return RuleForbids(
        rules.record_readers_clause().clause().empty() ? profile_->display_name()
                                                       : rules.record_readers_clause().clause(),
        person,
        absl::StrCat("explaining another member's access is for ",
                     rules.record_reader_roles().empty()
                         ? "nobody under this profile"
                         : absl::StrJoin(rules.record_reader_roles(), ", "),
                     "; a member may explain their own"));
  auto snapshot = catalogue_.Current();
  const v1::Document* document = snapshot->Find(request->document());
  if (document == nullptr || HiddenFrom(rules, *document, caller, ReadsRecord(caller)))
    return NotFound(request->document());
  RelationsFacts::Requester requester;
  if (auto s = EligibleRequester(person, day, &requester); !s.ok()) return s;
  const RequesterFacts& facts = *requester.facts;

  Ask ask{request->capacity(), request->purpose(), request->justification()};
  if (ask.capacity == v1::CAPACITY_UNSPECIFIED)
    ask.capacity = DecisionEngine::FittingCapacity(*document, facts);
  *response->mutable_decision() = engine_->Decide(*document, ask, facts, day);
  *response->mutable_decision()->mutable_decide_time() = Now();
  response->set_capacity(ask.capacity);
  if (response->decision().outcome() == v1::OUTCOME_REFERRED) {
    // Who would decide. A referral nobody can decide is refused exactly as a
    // real request would be (NoDecider), so the two never disagree.
    auto decider = relations_.ResolveDecider(rules, *document, person, day);
    if (!decider.ok()) {
      response->Clear();
      return NoDecider(decider.status(), *document, document->name());
    }
    response->set_decider(decider->person);
  }
  auto* summary = response->mutable_facts();
  summary->set_person(person);
  summary->set_kind(KindName(facts.kind));
  summary->set_ward(facts.ward);
  summary->set_party_group(facts.party_group);
  for (auto& body : Sorted(facts.bodies)) summary->add_bodies(std::move(body));
  for (auto& portfolio : Sorted(facts.portfolios)) summary->add_portfolios(std::move(portfolio));
  for (const auto& matter : document->matters()) {
    auto interests = facts.interests_by_matter.find(matter);
    if (interests == facts.interests_by_matter.end()) continue;
    for (const auto& interest : interests->second)
      summary->add_interests_in_document(interest.name);
  }
  *summary->mutable_as_of() = ToProtoDate(day);

  std::vector<std::string> clauses;
  for (const auto& reason : response->decision().reasons())
    clauses.push_back(reason.citation().clause());
  if (auto s = store_->AuditRead(
          caller.Person(), "ExplainAccess", document->name(),
          absl::StrCat("for ", person, " as of ", FormatDay(day), ": ",
                       v1::Outcome_Name(response->decision().outcome()), " [",
                       absl::StrJoin(clauses, "; "), "]"));
      !s.ok()) {
    response->Clear();
    return FromAbsl(s, "ExplainAccess");
  }
  return grpc::Status::OK;
}

grpc::Status AccessServer::ListAccessibleDocuments(
    grpc::ServerContext* context, const v1::ListAccessibleDocumentsRequest* request,
    v1::ListAccessibleDocumentsResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "ListAccessibleDocuments");
  if (auto s = ValidateAsk(request->person(), request->capacity(), request->purpose(),
                           request->justification());
      !s.ok())
    return s;
  if (!request->body().empty() && !ParseName(request->body(), "bodies", "body").ok())
    return InvalidField("body", "must be bodies/{body}");
  if (!request->ward().empty() && !ParseName(request->ward(), "wards", "ward").ok())
    return InvalidField("ward", "must be wards/{ward}");
  if (!request->portfolio().empty() &&
      !ParseName(request->portfolio(), "portfolios", "portfolio").ok())
    return InvalidField("portfolio", "must be portfolios/{portfolio}");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  const std::string person = request->person().empty() ? caller.Person() : request->person();
  // A token is only good for the same question.
  const std::string scope = absl::StrFormat(
      "accessible|%s|%d|%x|%s|%s|%s|%s", person, request->capacity(),
      std::hash<std::string>()(absl::StrCat(request->purpose(), "\x1f", request->justification())),
      request->body(), request->owning_service(), request->ward(), request->portfolio());
  auto after = DecodePageToken(request->page_token(), scope);
  if (!after.ok()) return Invalid(after.status());
  const auto& rules = profile_->document_access();
  const bool own = person == caller.Person();
  if (!own && !ReadsRecord(caller))
    return RuleForbids(
        rules.record_readers_clause().clause().empty() ? profile_->display_name()
                                                       : rules.record_readers_clause().clause(),
        person,
        absl::StrCat("listing another member's access is for ",
                     rules.record_reader_roles().empty()
                         ? "nobody under this profile"
                         : absl::StrJoin(rules.record_reader_roles(), ", "),
                     "; a member may list their own"));
  const absl::CivilDay today = Today();
  RelationsFacts::Requester requester;
  if (auto s = EligibleRequester(person, today, &requester); !s.ok()) return s;
  const RequesterFacts& facts = *requester.facts;

  const Ask as_asked{request->capacity(), request->purpose(), request->justification()};
  Ask as_other = as_asked, as_ward = as_asked;
  as_other.capacity = v1::CAPACITY_OTHER;
  as_ward.capacity = v1::CAPACITY_WARD_MEMBER;
  const bool fitting = request->capacity() == v1::CAPACITY_UNSPECIFIED;
  auto matches = [&](const v1::Document& d) {
    if (!request->body().empty() && d.body() != request->body()) return false;
    if (!request->owning_service().empty() && d.owning_service() != request->owning_service())
      return false;
    if (!request->portfolio().empty() && d.portfolio() != request->portfolio()) return false;
    if (!request->ward().empty() &&
        std::find(d.wards().begin(), d.wards().end(), request->ward()) == d.wards().end())
      return false;
    return true;
  };

  auto snapshot = catalogue_.Current();
  // Visit only the documents the most selective filter allows (its posting
  // list), or every document when there is no filter.
  using Field = Catalogue::Snapshot::Field;
  const std::vector<uint32_t>* candidates = nullptr;
  auto narrow = [&](Field field, const std::string& value) {
    if (value.empty()) return;
    const auto& postings = snapshot->Postings(field, value);
    if (candidates == nullptr || postings.size() < candidates->size()) candidates = &postings;
  };
  narrow(Field::kBody, request->body());
  narrow(Field::kOwningService, request->owning_service());
  narrow(Field::kWard, request->ward());
  narrow(Field::kPortfolio, request->portfolio());
  const size_t first = after->empty() ? 0 : snapshot->UpperBound(*after);
  size_t k = candidates == nullptr
                 ? first
                 : static_cast<size_t>(std::lower_bound(candidates->begin(), candidates->end(),
                                                        first) -
                                       candidates->begin());
  const size_t n = candidates == nullptr ? snapshot->size() : candidates->size();
  const google::protobuf::Timestamp now = Now();
  for (; k < n && response->documents_size() < *size; ++k) {
    const v1::Document& document = snapshot->at(candidates == nullptr ? k : (*candidates)[k]);
    if (!matches(document)) continue;
    const Ask& ask = !fitting ? as_asked
                     : DecisionEngine::FittingCapacity(document, facts) == v1::CAPACITY_WARD_MEMBER
                         ? as_ward
                         : as_other;
    if (!engine_->Grants(document, ask, facts, today)) continue;
    auto* entry = response->add_documents();
    *entry->mutable_document() = document;
    *entry->mutable_decision() = engine_->Decide(document, ask, facts, today);
    *entry->mutable_decision()->mutable_decide_time() = now;
  }
  const size_t i = k;
  if (i < n && response->documents_size() > 0)
    response->set_next_page_token(
        EncodePageToken(scope, response->documents().rbegin()->document().name()));
  if (!own) {
    if (auto s = store_->AuditRead(caller.Person(), "ListAccessibleDocuments", person,
                                   absl::StrCat(response->documents_size(), " documents listed"));
        !s.ok()) {
      response->Clear();
      return FromAbsl(s, "ListAccessibleDocuments");
    }
  }
  return grpc::Status::OK;
}

}  // namespace council::access
