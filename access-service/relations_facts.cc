#include "access-service/relations_facts.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"

namespace council::access {
namespace {

using relations::v1::RelationsService;

constexpr char kPrincipal[] = "services/access-service";
constexpr absl::Duration kCallTimeout = absl::Seconds(5);
// Past this many cached people the cache starts again (a day of a large
// council is a few hundred members).
constexpr size_t kMaxCached = 10000;

const std::string& Method(const char* name) {
  static auto* const methods = new absl::flat_hash_map<std::string, std::string>();
  static absl::Mutex mu(absl::kConstInit);
  absl::MutexLock lock(&mu);
  auto& slot = (*methods)[name];
  if (slot.empty()) slot = FullMethodName(RelationsService::service_full_name(), name);
  return slot;
}

void Prepare(grpc::ClientContext* context, const auth::AssertionKey& key,
             const std::string& on_behalf_of, const char* method) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  SignCall(context, key, kPrincipal, {}, on_behalf_of, Method(method));
}

absl::Status Unavailable(const char* method, const grpc::Status& status) {
  return absl::UnavailableError(
      absl::StrCat("relations-service ", method, ": ", status.error_message()));
}

}  // namespace

RelationsFacts::RelationsFacts(std::shared_ptr<grpc::Channel> channel, auth::AssertionKey key,
                               absl::Duration ttl)
    : stub_(RelationsService::NewStub(std::move(channel))), key_(std::move(key)), ttl_(ttl) {
  if (ttl_ > absl::ZeroDuration()) refresher_ = std::thread([this] { RefreshLoop(); });
}

RelationsFacts::~RelationsFacts() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (refresher_.joinable()) refresher_.join();
}

absl::StatusOr<RelationsFacts::Requester> RelationsFacts::Lookup(const std::string& person,
                                                                 absl::CivilDay day) {
  const std::string key = absl::StrCat(person, "|", FormatDay(day));
  const absl::Time now = absl::Now();
  if (ttl_ > absl::ZeroDuration()) {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires_at > now) return it->second.requester;
    if (it != cache_.end() && it->second.expires_at + ttl_ > now) {
      // Stale but recent: answer now, refresh in the background.
      to_refresh_.try_emplace(key, [this, key, person, day] {
        Store(key, Fetch(person, day), absl::Now());
      });
      return it->second.requester;
    }
  }
  auto fetched = Fetch(person, day);
  if (ttl_ > absl::ZeroDuration()) Store(key, fetched, now);
  return fetched;
}

void RelationsFacts::Store(const std::string& key, const absl::StatusOr<Requester>& fetched,
                           absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (!fetched.ok()) {
    // Not found or unavailable: stop serving the old answer.
    cache_.erase(key);
    return;
  }
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[key] = Cached{*fetched, now + ttl_};
}

void RelationsFacts::RefreshLoop() {
  while (true) {
    std::string key;
    std::function<void()> refresh;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !to_refresh_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      auto it = to_refresh_.begin();
      key = it->first;
      refresh = it->second;
    }
    refresh();  // asks relations-service and caches the answer (or drops it)
    absl::MutexLock lock(&mu_);
    to_refresh_.erase(key);
  }
}

absl::StatusOr<RelationsFacts::Requester> RelationsFacts::Fetch(const std::string& person,
                                                                absl::CivilDay day) {
  // The first page of each of the four answers, asked in parallel on a
  // completion queue of this call's own. Not the callback API: Fetch may run
  // on one of gRPC's callback threads (CreateAccessRequest is a callback
  // handler), which would then wait for completions only those same
  // threads deliver.
  struct Calls {
    grpc::ClientContext person_context, memberships_context, portfolios_context,
        register_context;
    relations::v1::GetPersonRequest person_request;
    relations::v1::Person person;
    grpc::Status person_status;
    relations::v1::ListMembershipsRequest memberships_request;
    relations::v1::ListMembershipsResponse memberships;
    grpc::Status memberships_status;
    relations::v1::ListPortfoliosRequest portfolios_request;
    relations::v1::ListPortfoliosResponse portfolios;
    grpc::Status portfolios_status;
    relations::v1::GetRegisterRequest register_request;
    relations::v1::Register register_;
    grpc::Status register_status;
  };
  Calls calls;
  grpc::CompletionQueue queue;
  const common::v1::Date as_of = ToProtoDate(day);
  calls.person_request.set_name(person);
  calls.memberships_request.set_parent("bodies/-");
  calls.memberships_request.set_person(person);
  *calls.memberships_request.mutable_as_of() = as_of;
  calls.memberships_request.set_page_size(1000);
  calls.portfolios_request.set_page_size(1000);
  calls.register_request.set_person(person);
  *calls.register_request.mutable_as_of() = as_of;
  calls.register_request.set_view(relations::v1::REGISTER_VIEW_FULL);
  Prepare(&calls.person_context, key_, person, "GetPerson");
  Prepare(&calls.memberships_context, key_, person, "ListMemberships");
  Prepare(&calls.portfolios_context, key_, person, "ListPortfolios");
  Prepare(&calls.register_context, key_, person, "GetRegister");
  auto person_reader =
      stub_->AsyncGetPerson(&calls.person_context, calls.person_request, &queue);
  person_reader->Finish(&calls.person, &calls.person_status, &calls.person_status);
  auto memberships_reader = stub_->AsyncListMemberships(&calls.memberships_context,
                                                        calls.memberships_request, &queue);
  memberships_reader->Finish(&calls.memberships, &calls.memberships_status, &calls.memberships_status);
  auto portfolios_reader =
      stub_->AsyncListPortfolios(&calls.portfolios_context, calls.portfolios_request, &queue);
  portfolios_reader->Finish(&calls.portfolios, &calls.portfolios_status, &calls.portfolios_status);
  auto register_reader =
      stub_->AsyncGetRegister(&calls.register_context, calls.register_request, &queue);
  register_reader->Finish(&calls.register_, &calls.register_status, &calls.register_status);
  // Each call's tag is its status; every call has a deadline, so all four
  // complete.
  void* tag;
  bool ok;
  for (int i = 0; i < 4; ++i) queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }

  if (calls.person_status.error_code() == grpc::StatusCode::NOT_FOUND)
    return absl::NotFoundError(absl::StrCat(person, " is not in the council directory"));
  if (!calls.person_status.ok()) return Unavailable("GetPerson", calls.person_status);
  if (!calls.memberships_status.ok())
    return Unavailable("ListMemberships", calls.memberships_status);
  if (!calls.portfolios_status.ok()) return Unavailable("ListPortfolios", calls.portfolios_status);
  if (!calls.register_status.ok() &&
      calls.register_status.error_code() != grpc::StatusCode::NOT_FOUND)
    return Unavailable("GetRegister", calls.register_status);

  auto facts = std::make_shared<RequesterFacts>();
  facts->person = person;
  facts->as_of = day;
  facts->ward = calls.person.ward();
  facts->party_group = calls.person.party_group();
  Requester requester;
  requester.kind = calls.person.kind();
  switch (calls.person.kind()) {
    case relations::v1::PERSON_KIND_CO_OPTED_MEMBER:
      facts->kind = RequesterKind::kCoOptedMember;
      break;
    case relations::v1::PERSON_KIND_POLITICAL_ASSISTANT:
      facts->kind = RequesterKind::kPoliticalAssistant;
      facts->ward.clear();  // a political assistant represents no ward
      break;
    default:
      facts->kind = RequesterKind::kMember;
      break;
  }

  // Seats in force, following pages (a member sits on a handful of bodies).
  auto add_memberships = [&](const relations::v1::ListMembershipsResponse& page) {
    for (const auto& membership : page.memberships()) {
      absl::string_view name = membership.name();
      auto at = name.find("/memberships/");
      if (at != absl::string_view::npos) facts->bodies.insert(std::string(name.substr(0, at)));
    }
  };
  add_memberships(calls.memberships);
  std::string token = calls.memberships.next_page_token();
  while (!token.empty()) {
    grpc::ClientContext context;
    Prepare(&context, key_, person, "ListMemberships");
    calls.memberships_request.set_page_token(token);
    relations::v1::ListMembershipsResponse page;
    grpc::Status status = stub_->ListMemberships(&context, calls.memberships_request, &page);
    if (!status.ok()) return Unavailable("ListMemberships", status);
    add_memberships(page);
    token = page.next_page_token();
  }

  auto add_portfolios = [&](const relations::v1::ListPortfoliosResponse& page) {
    for (const auto& portfolio : page.portfolios()) {
      if (portfolio.holder() != person) continue;
      facts->portfolios.insert(portfolio.name());
      for (const auto& service : portfolio.services()) facts->portfolio_services.insert(service);
    }
  };
  add_portfolios(calls.portfolios);
  token = calls.portfolios.next_page_token();
  while (!token.empty()) {
    grpc::ClientContext context;
    Prepare(&context, key_, person, "ListPortfolios");
    calls.portfolios_request.set_page_token(token);
    relations::v1::ListPortfoliosResponse page;
    grpc::Status status = stub_->ListPortfolios(&context, calls.portfolios_request, &page);
    if (!status.ok()) return Unavailable("ListPortfolios", status);
    add_portfolios(page);
    token = page.next_page_token();
  }

  for (const auto& interest : calls.register_.interests())
    for (const auto& matter : interest.matters())
      facts->interests_by_matter[matter].push_back(
          InterestFact{interest.name(), InterestCategoryName(interest.category())});

  requester.facts = std::move(facts);
  return requester;
}

namespace {

// Adds to `known` each name of one collection that is in `referenced`,
// listing every page of the collection (nothing if `referenced` is empty).
template <typename Request, typename Response, typename Record>
absl::Status ListNames(
    RelationsService::Stub* stub, const auth::AssertionKey& key, const std::string& on_behalf_of,
    const char* method,
    grpc::Status (RelationsService::Stub::*list)(grpc::ClientContext*, const Request&, Response*),
    const google::protobuf::RepeatedPtrField<Record>& (Response::*records)() const,
    const absl::flat_hash_set<std::string>& referenced, absl::flat_hash_set<std::string>* known) {
  if (referenced.empty()) return absl::OkStatus();
  Request request;
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    Prepare(&context, key, on_behalf_of, method);
    Response page;
    grpc::Status status = (stub->*list)(&context, request, &page);
    if (!status.ok()) return Unavailable(method, status);
    for (const Record& record : (page.*records)())
      if (referenced.contains(record.name())) known->insert(record.name());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DirectoryNames> RelationsFacts::Known(const std::string& on_behalf_of,
                                                     const DirectoryNames& referenced) {
  using Stub = RelationsService::Stub;
  namespace rv1 = relations::v1;
  DirectoryNames known;
  absl::Status s = ListNames(stub_.get(), key_, on_behalf_of, "ListPeople", &Stub::ListPeople,
                             &rv1::ListPeopleResponse::people, referenced.people, &known.people);
  if (s.ok())
    s = ListNames(stub_.get(), key_, on_behalf_of, "ListBodies", &Stub::ListBodies,
                  &rv1::ListBodiesResponse::bodies, referenced.bodies, &known.bodies);
  if (s.ok())
    s = ListNames(stub_.get(), key_, on_behalf_of, "ListWards", &Stub::ListWards,
                  &rv1::ListWardsResponse::wards, referenced.wards, &known.wards);
  if (s.ok())
    s = ListNames(stub_.get(), key_, on_behalf_of, "ListPortfolios", &Stub::ListPortfolios,
                  &rv1::ListPortfoliosResponse::portfolios, referenced.portfolios,
                  &known.portfolios);
  if (s.ok())
    s = ListNames(stub_.get(), key_, on_behalf_of, "ListPartyGroups", &Stub::ListPartyGroups,
                  &rv1::ListPartyGroupsResponse::party_groups, referenced.groups, &known.groups);
  if (!s.ok()) return s;
  return known;
}

absl::StatusOr<relations::v1::ActingHolder> RelationsFacts::ActingHolder(
    const std::string& designation, const std::string& requester, absl::CivilDay day) {
  const std::string key = absl::StrCat("holder|", designation, "|", requester, "|", FormatDay(day));
  const absl::Time now = absl::Now();
  if (ttl_ > absl::ZeroDuration()) {
    absl::MutexLock lock(&mu_);
    auto it = holders_.find(key);
    if (it != holders_.end() && it->second.expires_at > now) return it->second.holder;
    if (it != holders_.end() && it->second.expires_at + ttl_ > now) {
      // Stale but recent: answer now, refresh in the background (as Lookup).
      to_refresh_.try_emplace(key, [this, key, designation, requester, day] {
        StoreHolder(key, FetchActingHolder(designation, requester, day), absl::Now());
      });
      return it->second.holder;
    }
  }
  auto fetched = FetchActingHolder(designation, requester, day);
  if (ttl_ > absl::ZeroDuration()) StoreHolder(key, fetched, now);
  return fetched;
}

absl::StatusOr<relations::v1::ActingHolder> RelationsFacts::FetchActingHolder(
    const std::string& designation, const std::string& requester, absl::CivilDay day) {
  grpc::ClientContext context;
  Prepare(&context, key_, requester, "GetActingHolder");
  relations::v1::GetActingHolderRequest request;
  request.set_designation(designation);
  *request.mutable_as_of() = ToProtoDate(day);
  request.add_exclude_related_to(requester);
  relations::v1::ActingHolder holder;
  grpc::Status status = stub_->GetActingHolder(&context, request, &holder);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
      status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
    return absl::FailedPreconditionError(
        absl::StrCat("nobody can act as ", designation, " on ", FormatDay(day), ": ",
                     status.error_message()));
  if (!status.ok()) return Unavailable("GetActingHolder", status);
  return holder;
}

void RelationsFacts::StoreHolder(const std::string& key,
                                 const absl::StatusOr<relations::v1::ActingHolder>& fetched,
                                 absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (!fetched.ok()) {
    holders_.erase(key);  // nobody to act, or unknown: do not serve the old holder on
    return;
  }
  if (holders_.size() >= kMaxCached) holders_.clear();
  holders_[key] = CachedHolder{*fetched, now + ttl_};
}

absl::StatusOr<RelationsFacts::Decider> RelationsFacts::ResolveDecider(
    const profile::v1::DocumentAccessRules& rules, const v1::Document& document,
    const std::string& requester, absl::CivilDay day) {
  Decider decider;
  const auto& handler = rules.dispute_decider();
  auto reason = [&](const common::v1::ClauseCitation& clause, std::string finding) {
    common::v1::DecisionReason r;
    *r.mutable_citation() = clause;
    r.set_finding(std::move(finding));
    decider.reasons.push_back(std::move(r));
  };
  switch (handler.handler_case()) {
    case profile::v1::HandlerRef::kDesignationId: {
      const std::string designation = absl::StrCat("designations/", handler.designation_id());
      auto holder = ActingHolder(designation, requester, day);
      if (!holder.ok()) return holder.status();
      decider.person = holder->person();
      reason(rules.dispute_clause(),
             absl::StrCat(decider.person, " acts as ", holder->designation(), " on ",
                          FormatDay(day), " and decides"));
      for (const auto& r : holder->reasons()) decider.reasons.push_back(r);
      break;
    }
    case profile::v1::HandlerRef::kRelative:
      if (handler.relative() == profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER) {
        if (document.holding_chief_officer().empty())
          return absl::FailedPreconditionError(
              absl::StrCat("the catalogue does not say which chief officer holds ",
                           document.name(), ", who decides under ",
                           rules.dispute_clause().clause()));
        decider.person = document.holding_chief_officer();
        reason(rules.dispute_clause(),
               absl::StrCat(decider.person, " is the chief officer holding ", document.name(),
                            " and decides"));
        break;
      }
      [[fallthrough]];
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("the profile's dispute decider (", rules.dispute_clause().clause(),
                       ") cannot be resolved to a person for a document"));
  }
  if (!handler.advised_by_designation_id().empty()) {
    const std::string designation =
        absl::StrCat("designations/", handler.advised_by_designation_id());
    auto adviser = ActingHolder(designation, requester, day);
    if (!adviser.ok()) return adviser.status();
    decider.advised_by = adviser->person();
    reason(rules.dispute_clause(),
           absl::StrCat(decider.advised_by, " (acting as ", adviser->designation(),
                        ") advises the decider"));
  }
  return decider;
}

}  // namespace council::access
