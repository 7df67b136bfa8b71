#include "relations-service/relations_server.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/server/import_stream.h"
#include "common/server/server_runner.h"
#include "common/util/resource_names.h"
#include "relations-service/system_roles.h"
#include "relations-service/text_fields.h"

namespace council::relations {
namespace {

using internal::kService;
// Roles that may change the directory (the gateway's policy says the same; the
// backend checks again so a policy mistake cannot open writes).
constexpr absl::string_view kWriterRoles[] = {"administrator", "hr-integration"};
constexpr absl::string_view kSystemRoles[] = {"administrator", "auditor", "hr-integration",
                                              "records-integration"};


bool IsWriter(const Caller& caller) {
  for (auto role : kWriterRoles)
    if (caller.HasRole(role)) return true;
  return false;
}

grpc::Status RequireWriter(const Caller& caller, absl::string_view method) {
  if (IsWriter(caller)) return grpc::Status::OK;
  return PermissionDenied(
      absl::StrCat(method, " changes the directory: only administrators and the HR "
                           "integration may call it"),
      common::v1::ERROR_REASON_METHOD_NOT_ALLOWED, {{"method", std::string(method)}});
}

grpc::Status ValidateDates(const common::v1::Date& start, bool has_start,
                           const common::v1::Date& end, bool has_end,
                           absl::string_view prefix) {
  if (!has_start)
    return InvalidField(absl::StrCat(prefix, "start_date"), "is required");
  auto start_day = ToCivilDay(start, absl::StrCat(prefix, "start_date"));
  if (!start_day.ok()) return InvalidField(absl::StrCat(prefix, "start_date"), "is not a valid date");
  if (has_end) {
    auto end_day = ToCivilDay(end, absl::StrCat(prefix, "end_date"));
    if (!end_day.ok()) return InvalidField(absl::StrCat(prefix, "end_date"), "is not a valid date");
    if (*end_day < *start_day)
      return InvalidField(absl::StrCat(prefix, "end_date"), "is before start_date");
  }
  return grpc::Status::OK;
}

// Pages through a record table in name order: the shared shape of every
// List method here.
template <typename Record, typename Response>
grpc::Status ListPage(RelationsStore* store, Kind kind, absl::string_view collection,
                      int requested_size, const std::string& token, Response* response,
                      google::protobuf::RepeatedPtrField<Record>* (Response::*field)()) {
  auto size = PageSize(requested_size);
  if (!size.ok()) return FromAbsl(size.status(), __func__);
  auto after = DecodePageToken(token, collection);
  if (!after.ok()) return FromAbsl(after.status(), __func__);
  auto rows = store->Scan(kind, *after, *size + 1);
  if (!rows.ok()) return FromAbsl(rows.status(), absl::StrCat("List ", collection));
  const bool more = static_cast<int>(rows->size()) > *size;
  if (more) rows->pop_back();
  auto* out = (response->*field)();
  for (const auto& [key, bytes] : *rows)
    if (!out->Add()->ParseFromString(bytes))
      return FromAbsl(absl::DataLossError(key), "List");
  if (more) response->set_next_page_token(EncodePageToken(collection, out->rbegin()->name()));
  return grpc::Status::OK;
}

}  // namespace

namespace internal {

absl::StatusOr<absl::CivilDay> AsOf(bool has_as_of, const common::v1::Date& as_of) {
  if (!has_as_of) return TodayInLondon();
  return ToCivilDay(as_of, "as_of");
}

grpc::Status RequireRole(const Caller& caller, std::initializer_list<absl::string_view> roles,
                         absl::string_view what) {
  if (caller.IsService()) return grpc::Status::OK;
  for (auto role : roles)
    if (caller.HasRole(role)) return grpc::Status::OK;
  return PermissionDenied(absl::StrCat(what, " is not allowed for ", caller.principal),
                          common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
}

}  // namespace internal

grpc::Status ValidatePerson(const Person& person, absl::string_view prefix) {
  if (auto s = CheckTextFields(person, prefix); !s.ok()) return s;
  if (person.display_name().empty())
    return InvalidField(absl::StrCat(prefix, "display_name"), "is required");
  if (person.kind() == v1::PERSON_KIND_UNSPECIFIED)
    return InvalidField(absl::StrCat(prefix, "kind"), "is required");
  if (auto s = ValidateDates(person.start_date(), person.has_start_date(), person.end_date(),
                             person.has_end_date(), prefix);
      !s.ok())
    return s;
  if (!person.party_group().empty() &&
      !ParseName(person.party_group(), "groups").ok())
    return InvalidField(absl::StrCat(prefix, "party_group"), "must be groups/{group}");
  if (!person.ward().empty() && !ParseName(person.ward(), "wards").ok())
    return InvalidField(absl::StrCat(prefix, "ward"), "must be wards/{ward}");
  if (person.kind() == v1::PERSON_KIND_POLITICAL_ASSISTANT && person.party_group().empty())
    return InvalidField(absl::StrCat(prefix, "party_group"),
                        "a political assistant is attached to a party group",
                        "Local Government and Housing Act 1989 s9");
  if (!person.email().empty() && !absl::StrContains(person.email(), "@"))
    return InvalidField(absl::StrCat(prefix, "email"), "is not an e-mail address");
  for (int i = 0; i < person.system_roles_size(); ++i) {
    bool known = false;
    for (auto role : kSystemRoles) known |= person.system_roles(i) == role;
    if (!known)
      return InvalidField(absl::StrCat(prefix, "system_roles[", i, "]"),
                          absl::StrCat("\"", person.system_roles(i),
                                       "\" is not one of administrator, auditor, "
                                       "hr-integration, records-integration"));
  }
  return grpc::Status::OK;
}

grpc::Status ValidateBody(const Body& body, absl::string_view prefix) {
  if (auto s = CheckTextFields(body, prefix); !s.ok()) return s;
  if (body.display_name().empty())
    return InvalidField(absl::StrCat(prefix, "display_name"), "is required");
  if (body.kind() == v1::BODY_KIND_UNSPECIFIED)
    return InvalidField(absl::StrCat(prefix, "kind"), "is required");
  if (!body.parent().empty() && !ParseName(body.parent(), "bodies").ok())
    return InvalidField(absl::StrCat(prefix, "parent"), "must be bodies/{body}");
  return grpc::Status::OK;
}

grpc::Status ValidateMembership(const Membership& membership, absl::string_view prefix) {
  if (auto s = CheckTextFields(membership, prefix); !s.ok()) return s;
  if (!ParseName(membership.person(), "people").ok())
    return InvalidField(absl::StrCat(prefix, "person"), "must be people/{person}");
  if (membership.role() == v1::MEMBERSHIP_ROLE_UNSPECIFIED)
    return InvalidField(absl::StrCat(prefix, "role"), "is required");
  return ValidateDates(membership.start_date(), membership.has_start_date(),
                       membership.end_date(), membership.has_end_date(), prefix);
}

std::vector<std::string> RolesOf(const Person& person) {
  std::vector<std::string> roles;
  switch (person.kind()) {
    case v1::PERSON_KIND_MEMBER:
      roles.push_back("member");
      break;
    case v1::PERSON_KIND_CO_OPTED_MEMBER:
      // Co-opted members are treated as members for access and conduct.
      roles.push_back("member");
      roles.push_back("co-opted-member");
      break;
    case v1::PERSON_KIND_OFFICER:
      roles.push_back("officer");
      break;
    case v1::PERSON_KIND_POLITICAL_ASSISTANT:
      // Their own role only (issue 17, defect 2). They are employees, but
      // "officer" would open the methods of officers who serve the council as
      // a whole (CheckConflict reveals declarations; disputes, complaint
      // handling); they assist their group with members' level of access
      // (Middlesbrough 12.1, 12.5), which the policy grants by this role.
      roles.push_back("political-assistant");
      break;
    default:
      break;
  }
  for (const auto& role : person.system_roles()) roles.push_back(role);
  return roles;
}

RelationsServer::RelationsServer(RelationsStore* store,
                                 std::shared_ptr<const CouncilProfile> profile,
                                 auth::AssertionKey key)
    : store_(store), profile_(std::move(profile)), authenticator_(std::move(key)) {}

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

grpc::Status RelationsServer::CreatePerson(grpc::ServerContext* context,
                                           const v1::CreatePersonRequest* request,
                                           Person* response) {
  COUNCIL_AUTHENTICATE(caller, "CreatePerson");
  if (auto s = RequireWriter(caller, "CreatePerson"); !s.ok()) return s;
  if (!IsValidId(request->person_id()))
    return InvalidField("person_id", "must be 1-63 lower-case letters, digits or hyphens",
                        "AIP-122");
  if (auto s = ValidatePerson(request->person(), "person."); !s.ok()) return s;
  *response = request->person();
  response->set_name(absl::StrCat("people/", request->person_id()));
  // Only an administrator gives a system role; each one granted is audited.
  std::vector<AuditNoteAbout> granted;
  if (auto s = ReviewNewPerson(caller, *response, &granted); !s.ok()) return s;
  absl::MutexLock lock(&people_mu_);
  absl::Status stored =
      store_->Insert(Kind::kPeople, response->name(), *response,
                     {caller.Person(), "CreatePerson", response->display_name()}, granted);
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreatePerson");
}

grpc::Status RelationsServer::GetPerson(grpc::ServerContext* context,
                                        const v1::GetPersonRequest* request, Person* response) {
  COUNCIL_AUTHENTICATE(caller, "GetPerson");
  if (auto id = ParseName(request->name(), "people"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  const Person* person = directory->FindPerson(request->name());
  if (person == nullptr) return NotFound(request->name());
  *response = *person;
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListPeople(grpc::ServerContext* context,
                                         const v1::ListPeopleRequest* request,
                                         v1::ListPeopleResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListPeople");
  return ListPage(store_, Kind::kPeople, "people", request->page_size(), request->page_token(),
                  response, &v1::ListPeopleResponse::mutable_people);
}

grpc::Status RelationsServer::CreateBody(grpc::ServerContext* context,
                                         const v1::CreateBodyRequest* request, Body* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateBody");
  if (auto s = RequireWriter(caller, "CreateBody"); !s.ok()) return s;
  if (!IsValidId(request->body_id()))
    return InvalidField("body_id", "must be 1-63 lower-case letters, digits or hyphens",
                        "AIP-122");
  if (auto s = ValidateBody(request->body(), "body."); !s.ok()) return s;
  // As an import does: the parent is a body on record, and not this one (a
  // body inside itself).
  const std::string name = absl::StrCat("bodies/", request->body_id());
  if (const std::string& parent = request->body().parent(); !parent.empty()) {
    if (parent == name) return InvalidField("body.parent", "a body cannot be its own parent");
    if (!store_->Snapshot()->bodies.contains(parent))
      return InvalidField("body.parent", absl::StrCat(parent, " does not exist"));
  }
  *response = request->body();
  response->set_name(name);
  absl::Status stored = store_->Insert(Kind::kBodies, response->name(), *response,
                                       {caller.Person(), "CreateBody", response->display_name()});
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateBody");
}

grpc::Status RelationsServer::GetBody(grpc::ServerContext* context,
                                      const v1::GetBodyRequest* request, Body* response) {
  COUNCIL_AUTHENTICATE(caller, "GetBody");
  if (auto id = ParseName(request->name(), "bodies"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  auto it = directory->bodies.find(request->name());
  if (it == directory->bodies.end()) return NotFound(request->name());
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListBodies(grpc::ServerContext* context,
                                         const v1::ListBodiesRequest* request,
                                         v1::ListBodiesResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListBodies");
  return ListPage(store_, Kind::kBodies, "bodies", request->page_size(), request->page_token(),
                  response, &v1::ListBodiesResponse::mutable_bodies);
}

grpc::Status RelationsServer::CreateMembership(grpc::ServerContext* context,
                                               const v1::CreateMembershipRequest* request,
                                               Membership* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateMembership");
  if (auto s = RequireWriter(caller, "CreateMembership"); !s.ok()) return s;
  auto body_id = ParseName(request->parent(), "bodies", "parent");
  if (!body_id.ok()) return FromAbsl(body_id.status(), __func__);
  if (auto s = ValidateMembership(request->membership(), "membership."); !s.ok()) return s;
  auto directory = store_->Snapshot();
  if (!directory->bodies.contains(request->parent())) return NotFound(request->parent());
  if (directory->FindPerson(request->membership().person()) == nullptr)
    return NotFound(request->membership().person());
  *response = request->membership();
  response->set_name(absl::StrCat(request->parent(), "/memberships/",
                                  response->person().substr(sizeof("people/") - 1)));
  absl::Status stored =
      store_->Insert(Kind::kMemberships, response->name(), *response,
                     {caller.Person(), "CreateMembership", v1::MembershipRole_Name(response->role())});
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateMembership");
}

grpc::Status RelationsServer::ListMemberships(grpc::ServerContext* context,
                                              const v1::ListMembershipsRequest* request,
                                              v1::ListMembershipsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListMemberships");
  std::string prefix;
  if (request->parent() != "bodies/-") {
    if (auto id = ParseName(request->parent(), "bodies", "parent"); !id.ok())
      return FromAbsl(id.status(), __func__);
    prefix = absl::StrCat(request->parent(), "/memberships/");
  }
  if (!request->person().empty() && !ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  std::optional<absl::CivilDay> as_of;
  if (request->has_as_of()) {
    auto day = ToCivilDay(request->as_of(), "as_of");
    if (!day.ok()) return FromAbsl(day.status(), __func__);
    as_of = *day;
  }
  auto size = PageSize(request->page_size());
  if (!size.ok()) return FromAbsl(size.status(), __func__);
  const std::string scope = absl::StrCat("memberships:", request->parent(), ":",
                                         request->person());
  auto after = DecodePageToken(request->page_token(), scope);
  if (!after.ok()) return FromAbsl(after.status(), __func__);
  auto keep = [&](const Membership& m) {
    if (!request->person().empty() && m.person() != request->person()) return false;
    return !as_of || InForce(&m.start_date(), &m.end_date(), *as_of);
  };
  // One person's seats come from the snapshot's index (the common question:
  // "does this member sit on that body?"); otherwise page through the table
  // in batches until a page is full, so a page is never silently short.
  if (!request->person().empty()) {
    auto directory = store_->Snapshot();
    auto it = directory->memberships_by_person.find(request->person());
    std::vector<const Membership*> matches;
    if (it != directory->memberships_by_person.end())
      for (const auto& m : it->second)
        if (keep(m) && absl::StartsWith(m.name(), prefix) && m.name() > *after)
          matches.push_back(&m);
    std::sort(matches.begin(), matches.end(),
              [](const Membership* a, const Membership* b) { return a->name() < b->name(); });
    for (const Membership* m : matches) {
      if (response->memberships_size() == *size) {
        response->set_next_page_token(
            EncodePageToken(scope, response->memberships().rbegin()->name()));
        break;
      }
      *response->add_memberships() = *m;
    }
    return grpc::Status::OK;
  }
  std::string cursor = *after;
  bool more = false;
  while (!more) {
    auto batch = store_->Scan(Kind::kMemberships, cursor, 500, prefix);
    if (!batch.ok()) return FromAbsl(batch.status(), "ListMemberships");
    for (const auto& [key, bytes] : *batch) {
      Membership membership;
      if (!membership.ParseFromString(bytes)) return FromAbsl(absl::DataLossError(key), "List");
      cursor = membership.name();
      if (!keep(membership)) continue;
      if (response->memberships_size() == *size) {
        more = true;
        break;
      }
      *response->add_memberships() = std::move(membership);
    }
    if (batch->size() < 500) break;
  }
  if (more)
    response->set_next_page_token(EncodePageToken(scope, response->memberships().rbegin()->name()));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ResolvePrincipal(grpc::ServerContext* context,
                                               const v1::ResolvePrincipalRequest* request,
                                               v1::Principal* response) {
  COUNCIL_AUTHENTICATE(caller, "ResolvePrincipal");
  // Only the suite's own services resolve principals: a person must not learn
  // another's roles this way.
  if (!caller.IsService())
    return PermissionDenied("ResolvePrincipal is for the suite's services only",
                            common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
  if (auto id = ParseName(request->subject(), "people", "subject"); !id.ok())
    return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  const Person* person = directory->FindPerson(request->subject());
  if (person == nullptr) return NotFound(request->subject());
  const absl::CivilDay today = TodayInLondon();
  response->set_person(person->name());
  for (auto& role : RolesOf(*person)) response->add_roles(std::move(role));
  // Designations held today are roles too ("monitoring-officer", ...).
  for (auto& designation : directory->DesignationsHeld(person->name(), today))
    response->add_roles(std::move(designation));
  if (const v1::Post* post = directory->PostOf(person->name(), today)) {
    if (post->chief_officer()) response->add_roles("chief-officer");
    if (post->head_of_service()) response->add_roles("head-of-service");
  }
  response->set_active(InForce(&person->start_date(), &person->end_date(), today));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::WatchDirectoryChanges(
    grpc::ServerContext* context, const v1::WatchDirectoryChangesRequest* /*request*/,
    grpc::ServerWriter<v1::DirectoryChange>* writer) {
  COUNCIL_AUTHENTICATE(caller, "WatchDirectoryChanges");
  if (!caller.IsService())
    return PermissionDenied("WatchDirectoryChanges is for the suite's services only",
                            common::v1::ERROR_REASON_METHOD_NOT_ALLOWED);
  // Holds one server thread per watcher (one per gateway); the wait wakes at
  // least every second to notice a cancelled call or a shutdown.
  uint64_t sent = store_->Revision();
  v1::DirectoryChange change;
  change.set_revision(static_cast<int64_t>(sent));
  // A failed write means the watcher has gone: nobody reads this status, but
  // it keeps the shape of every other.
  const auto gone = [] {
    return FromAbsl(absl::CancelledError("the watcher went away"), "WatchDirectoryChanges");
  };
  if (!writer->Write(change)) return gone();
  while (!context->IsCancelled() && !council::Draining()) {
    const uint64_t now = store_->AwaitRevisionAfter(sent, absl::Seconds(1));
    if (now == sent) continue;
    sent = now;
    change.set_revision(static_cast<int64_t>(sent));
    if (!writer->Write(change)) break;
  }
  if (council::Draining())
    return FromAbsl(
        WithReason(absl::UnavailableError(
                       "relations-service is shutting down; watch again when it is back"),
                   common::v1::ERROR_REASON_BACKEND_UNAVAILABLE,
                   {{"service", std::string(v1::RelationsService::service_full_name())}}),
        "WatchDirectoryChanges");
  return gone();
}

grpc::Status RelationsServer::ImportDirectory(grpc::ServerContext* context,
                                              const v1::ImportDirectoryRequest* request,
                                              v1::ImportDirectoryResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ImportDirectory");
  if (auto s = RequireWriter(caller, "ImportDirectory"); !s.ok()) return s;
  // Validate everything first: one bad record and nothing is written.
  if (auto s = ValidateImport(*request); !s.ok()) return s;
  v1::ImportDirectoryRequest import = *request;
  return ReviewAndImport(caller, &import, "ImportDirectory", response);
}

grpc::Status RelationsServer::ReviewAndImport(const Caller& caller,
                                              v1::ImportDirectoryRequest* request,
                                              absl::string_view method,
                                              v1::ImportDirectoryResponse* response) {
  absl::MutexLock lock(&people_mu_);
  std::vector<AuditNoteAbout> role_changes;
  if (auto s = ReviewImportedPeople(caller, *store_->Snapshot(), TodayInLondon(),
                                    request->mutable_people(), &role_changes);
      !s.ok())
    return s;
  auto counts =
      store_->Import(*request, request->validate_only(), caller.Person(), role_changes);
  if (!counts.ok()) return FromAbsl(counts.status(), method);
  response->set_created_count(counts->created);
  response->set_updated_count(counts->updated);
  response->set_unchanged_count(counts->unchanged);
  return grpc::Status::OK;
}

grpc::Status RelationsServer::StreamImportDirectory(
    grpc::ServerContext* context, grpc::ServerReader<v1::StreamImportDirectoryRequest>* reader,
    v1::ImportDirectoryResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "StreamImportDirectory");
  if (auto s = RequireWriter(caller, "StreamImportDirectory"); !s.ok()) return s;
  // Chunks are merged and committed as one import once the stream has ended
  // right after its final chunk (common/server/import_stream.h says why the marker), so
  // the all-or-nothing promise holds for the whole stream.
  v1::ImportDirectoryRequest merged;
  v1::StreamImportDirectoryRequest chunk;
  ImportStream stream;
  while (reader->Read(&chunk)) {
    if (auto s = stream.Received(chunk.final_chunk()); !s.ok()) return s;
    if (stream.chunks() == 1) merged.set_validate_only(chunk.chunk().validate_only());
    chunk.mutable_chunk()->clear_validate_only();
    merged.MergeFrom(chunk.chunk());
  }
  if (auto s = stream.Ended(*context); !s.ok()) return s;
  if (auto s = ValidateImport(merged); !s.ok()) return s;
  return ReviewAndImport(caller, &merged, "StreamImportDirectory", response);
}

}  // namespace council::relations
