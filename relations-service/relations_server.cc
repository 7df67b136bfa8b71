#include "relations-service/relations_server.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"

namespace council::relations {
namespace {

constexpr char kService[] = "council.relations.v1.RelationsService";
// Roles that may change the directory (the gateway's policy says the same; the
// backend checks again so a policy mistake cannot open writes).
constexpr absl::string_view kWriterRoles[] = {"administrator", "hr-integration"};
constexpr absl::string_view kSystemRoles[] = {"administrator", "auditor", "hr-integration",
                                              "records-integration"};

grpc::Status Invalid(const absl::Status& status) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(status.message()));
}

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

bool ActiveOn(const common::v1::Date& start, bool has_start, const common::v1::Date& end,
              bool has_end, absl::CivilDay day) {
  if (has_start) {
    auto s = ToCivilDay(start, "start_date");
    if (s.ok() && day < *s) return false;
  }
  if (has_end) {
    auto e = ToCivilDay(end, "end_date");
    if (e.ok() && day > *e) return false;
  }
  return true;
}

}  // namespace

grpc::Status ValidatePerson(const Person& person, absl::string_view prefix) {
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
  if (body.display_name().empty())
    return InvalidField(absl::StrCat(prefix, "display_name"), "is required");
  if (body.kind() == v1::BODY_KIND_UNSPECIFIED)
    return InvalidField(absl::StrCat(prefix, "kind"), "is required");
  if (!body.parent().empty() && !ParseName(body.parent(), "bodies").ok())
    return InvalidField(absl::StrCat(prefix, "parent"), "must be bodies/{body}");
  return grpc::Status::OK;
}

grpc::Status ValidateMembership(const Membership& membership, absl::string_view prefix) {
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
      roles.push_back("officer");
      roles.push_back("political-assistant");
      break;
    default:
      break;
  }
  for (const auto& role : person.system_roles()) roles.push_back(role);
  return roles;
}

RelationsServer::RelationsServer(RelationsStore* store, auth::AssertionKey key)
    : store_(store), authenticator_(std::move(key)) {}


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
  absl::Status stored = store_->CreatePerson(*response, caller.Person());
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreatePerson");
}

grpc::Status RelationsServer::GetPerson(grpc::ServerContext* context,
                                        const v1::GetPersonRequest* request, Person* response) {
  COUNCIL_AUTHENTICATE(caller, "GetPerson");
  auto id = ParseName(request->name(), "people");
  if (!id.ok()) return Invalid(id.status());
  auto found = store_->GetPerson(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetPerson");
  if (!*found) return NotFound(request->name());
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListPeople(grpc::ServerContext* context,
                                         const v1::ListPeopleRequest* request,
                                         v1::ListPeopleResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListPeople");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  auto after = DecodePageToken(request->page_token(), "people");
  if (!after.ok()) return Invalid(after.status());
  auto people = store_->ListPeople(*after, *size + 1);
  if (!people.ok()) return FromAbsl(people.status(), "ListPeople");
  const bool more = static_cast<int>(people->size()) > *size;
  if (more) people->pop_back();
  for (auto& person : *people) *response->add_people() = std::move(person);
  if (more)
    response->set_next_page_token(EncodePageToken(
        "people", response->people().rbegin()->name().substr(sizeof("people/") - 1)));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::CreateBody(grpc::ServerContext* context,
                                         const v1::CreateBodyRequest* request, Body* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateBody");
  if (auto s = RequireWriter(caller, "CreateBody"); !s.ok()) return s;
  if (!IsValidId(request->body_id()))
    return InvalidField("body_id", "must be 1-63 lower-case letters, digits or hyphens",
                        "AIP-122");
  if (auto s = ValidateBody(request->body(), "body."); !s.ok()) return s;
  *response = request->body();
  response->set_name(absl::StrCat("bodies/", request->body_id()));
  absl::Status stored = store_->CreateBody(*response, caller.Person());
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateBody");
}

grpc::Status RelationsServer::GetBody(grpc::ServerContext* context,
                                      const v1::GetBodyRequest* request, Body* response) {
  COUNCIL_AUTHENTICATE(caller, "GetBody");
  auto id = ParseName(request->name(), "bodies");
  if (!id.ok()) return Invalid(id.status());
  auto found = store_->GetBody(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetBody");
  if (!*found) return NotFound(request->name());
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListBodies(grpc::ServerContext* context,
                                         const v1::ListBodiesRequest* request,
                                         v1::ListBodiesResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListBodies");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  auto after = DecodePageToken(request->page_token(), "bodies");
  if (!after.ok()) return Invalid(after.status());
  auto bodies = store_->ListBodies(*after, *size + 1);
  if (!bodies.ok()) return FromAbsl(bodies.status(), "ListBodies");
  const bool more = static_cast<int>(bodies->size()) > *size;
  if (more) bodies->pop_back();
  for (auto& body : *bodies) *response->add_bodies() = std::move(body);
  if (more)
    response->set_next_page_token(EncodePageToken(
        "bodies", response->bodies().rbegin()->name().substr(sizeof("bodies/") - 1)));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::CreateMembership(grpc::ServerContext* context,
                                               const v1::CreateMembershipRequest* request,
                                               Membership* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateMembership");
  if (auto s = RequireWriter(caller, "CreateMembership"); !s.ok()) return s;
  auto body_id = ParseName(request->parent(), "bodies", "parent");
  if (!body_id.ok()) return Invalid(body_id.status());
  if (auto s = ValidateMembership(request->membership(), "membership."); !s.ok()) return s;
  *response = request->membership();
  response->set_name(absl::StrCat(request->parent(), "/memberships/",
                                  response->person().substr(sizeof("people/") - 1)));
  absl::Status stored = store_->CreateMembership(*body_id, *response, caller.Person());
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  if (absl::IsNotFound(stored)) return NotFound(std::string(stored.message()).substr(0, stored.message().find(' ')));
  return FromAbsl(stored, "CreateMembership");
}

grpc::Status RelationsServer::ListMemberships(grpc::ServerContext* context,
                                              const v1::ListMembershipsRequest* request,
                                              v1::ListMembershipsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListMemberships");
  std::string body_id;
  if (request->parent() != "bodies/-") {
    auto id = ParseName(request->parent(), "bodies", "parent");
    if (!id.ok()) return Invalid(id.status());
    body_id = *id;
  }
  if (!request->person().empty() && !ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  std::optional<absl::CivilDay> as_of;
  if (request->has_as_of()) {
    auto day = ToCivilDay(request->as_of(), "as_of");
    if (!day.ok()) return Invalid(day.status());
    as_of = *day;
  }
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  const std::string scope = absl::StrCat("memberships:", request->parent(), ":",
                                         request->person());
  auto after = DecodePageToken(request->page_token(), scope);
  if (!after.ok()) return Invalid(after.status());
  // Filtered listings scan in batches until a page is full, so a page is never
  // silently short while more matches remain.
  std::string cursor = *after;
  std::string last_key;
  bool more = false;
  while (true) {
    auto batch = store_->ListMemberships(body_id, cursor, 500);
    if (!batch.ok()) return FromAbsl(batch.status(), "ListMemberships");
    for (auto& [key, membership] : *batch) {
      cursor = key;
      if (!request->person().empty() && membership.person() != request->person()) continue;
      if (as_of && !ActiveOn(membership.start_date(), membership.has_start_date(),
                             membership.end_date(), membership.has_end_date(), *as_of))
        continue;
      if (response->memberships_size() == *size) {
        more = true;
        break;
      }
      *response->add_memberships() = std::move(membership);
      last_key = key;
    }
    if (more || batch->size() < 500) break;
  }
  if (more) response->set_next_page_token(EncodePageToken(scope, last_key));
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
  auto id = ParseName(request->subject(), "people", "subject");
  if (!id.ok()) return Invalid(id.status());
  Person person;
  auto found = store_->GetPerson(*id, &person);
  if (!found.ok()) return FromAbsl(found.status(), "ResolvePrincipal");
  if (!*found) return NotFound(request->subject());
  response->set_person(person.name());
  for (auto& role : RolesOf(person)) response->add_roles(std::move(role));
  response->set_active(ActiveOn(person.start_date(), person.has_start_date(), person.end_date(),
                                person.has_end_date(), TodayInLondon()));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ImportDirectory(grpc::ServerContext* context,
                                              const v1::ImportDirectoryRequest* request,
                                              v1::ImportDirectoryResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ImportDirectory");
  if (auto s = RequireWriter(caller, "ImportDirectory"); !s.ok()) return s;
  // Validate everything first: one bad record and nothing is written.
  absl::flat_hash_set<std::string> people_in_batch, bodies_in_batch;
  for (int i = 0; i < request->people_size(); ++i) {
    const auto& person = request->people(i);
    const std::string prefix = absl::StrCat("people[", i, "].");
    if (!ParseName(person.name(), "people").ok())
      return InvalidField(absl::StrCat(prefix, "name"), "must be people/{person}");
    if (!people_in_batch.insert(person.name()).second)
      return InvalidField(absl::StrCat(prefix, "name"), "appears twice in the import");
    if (auto s = ValidatePerson(person, prefix); !s.ok()) return s;
  }
  for (int i = 0; i < request->bodies_size(); ++i) {
    const auto& body = request->bodies(i);
    const std::string prefix = absl::StrCat("bodies[", i, "].");
    if (!ParseName(body.name(), "bodies").ok())
      return InvalidField(absl::StrCat(prefix, "name"), "must be bodies/{body}");
    if (!bodies_in_batch.insert(body.name()).second)
      return InvalidField(absl::StrCat(prefix, "name"), "appears twice in the import");
    if (auto s = ValidateBody(body, prefix); !s.ok()) return s;
  }
  absl::flat_hash_set<std::string> memberships_in_batch;
  for (int i = 0; i < request->memberships_size(); ++i) {
    const auto& membership = request->memberships(i);
    const std::string prefix = absl::StrCat("memberships[", i, "].");
    if (auto s = ValidateMembership(membership, prefix); !s.ok()) return s;
    std::vector<std::string> parts = absl::StrSplit(membership.name(), '/');
    if (parts.size() != 4 || parts[0] != "bodies" || parts[2] != "memberships" ||
        absl::StrCat("people/", parts[3]) != membership.person())
      return InvalidField(absl::StrCat(prefix, "name"),
                          "must be bodies/{body}/memberships/{person} matching `person`");
    if (!memberships_in_batch.insert(membership.name()).second)
      return InvalidField(absl::StrCat(prefix, "name"), "appears twice in the import");
    const std::string body = absl::StrCat("bodies/", parts[1]);
    Body existing_body;
    Person existing_person;
    if (!bodies_in_batch.contains(body)) {
      auto found = store_->GetBody(parts[1], &existing_body);
      if (!found.ok()) return FromAbsl(found.status(), "ImportDirectory");
      if (!*found) return InvalidField(absl::StrCat(prefix, "name"), absl::StrCat(body, " does not exist"));
    }
    if (!people_in_batch.contains(membership.person())) {
      auto found = store_->GetPerson(parts[3], &existing_person);
      if (!found.ok()) return FromAbsl(found.status(), "ImportDirectory");
      if (!*found)
        return InvalidField(absl::StrCat(prefix, "person"),
                            absl::StrCat(membership.person(), " does not exist"));
    }
  }
  auto counts = store_->Import({request->people().begin(), request->people().end()},
                               {request->bodies().begin(), request->bodies().end()},
                               {request->memberships().begin(), request->memberships().end()},
                               request->validate_only(), caller.Person());
  if (!counts.ok()) return FromAbsl(counts.status(), "ImportDirectory");
  response->set_created_count(counts->created);
  response->set_updated_count(counts->updated);
  response->set_unchanged_count(counts->unchanged);
  return grpc::Status::OK;
}

}  // namespace council::relations
