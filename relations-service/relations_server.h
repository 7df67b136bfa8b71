// relations_server.h — the RelationsService gRPC API.
//
// The handlers are split by family into relations_server_*.cc files:
// directory basics and import (this file's .cc), posts and designations
// (relations_server_structure.cc), declarations (relations_server_declarations.cc)
// and conflict checks (relations_server_conflicts.cc). Every handler validates
// its request (INVALID_ARGUMENT names the field), authenticates the caller from
// the internal assertion, and maps storage errors in one place (common/errors).
#ifndef COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_
#define COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_

#include <memory>

#include "absl/synchronization/mutex.h"

#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "relations-service/relations_store.h"

namespace council::relations {

// CheckConflict, the hot path for the other services, uses gRPC's callback
// API: it is answered from the in-memory snapshot without blocking, on the
// thread that received it, rather than handed to a sync server thread. The
// other methods are synchronous.
class RelationsServer final
    : public v1::RelationsService::WithCallbackMethod_CheckConflict<v1::RelationsService::Service> {
 public:
  RelationsServer(RelationsStore* store, std::shared_ptr<const CouncilProfile> profile,
                  auth::AssertionKey key);

  // Directory basics and import.
  grpc::Status CreatePerson(grpc::ServerContext*, const v1::CreatePersonRequest*,
                            Person*) override;
  grpc::Status GetPerson(grpc::ServerContext*, const v1::GetPersonRequest*, Person*) override;
  grpc::Status ListPeople(grpc::ServerContext*, const v1::ListPeopleRequest*,
                          v1::ListPeopleResponse*) override;
  grpc::Status CreateBody(grpc::ServerContext*, const v1::CreateBodyRequest*, Body*) override;
  grpc::Status GetBody(grpc::ServerContext*, const v1::GetBodyRequest*, Body*) override;
  grpc::Status ListBodies(grpc::ServerContext*, const v1::ListBodiesRequest*,
                          v1::ListBodiesResponse*) override;
  grpc::Status CreateMembership(grpc::ServerContext*, const v1::CreateMembershipRequest*,
                                Membership*) override;
  grpc::Status ListMemberships(grpc::ServerContext*, const v1::ListMembershipsRequest*,
                               v1::ListMembershipsResponse*) override;
  grpc::Status ResolvePrincipal(grpc::ServerContext*, const v1::ResolvePrincipalRequest*,
                                v1::Principal*) override;
  grpc::Status WatchDirectoryChanges(grpc::ServerContext*,
                                     const v1::WatchDirectoryChangesRequest*,
                                     grpc::ServerWriter<v1::DirectoryChange>*) override;
  grpc::Status ImportDirectory(grpc::ServerContext*, const v1::ImportDirectoryRequest*,
                               v1::ImportDirectoryResponse*) override;
  grpc::Status StreamImportDirectory(grpc::ServerContext*,
                                     grpc::ServerReader<v1::StreamImportDirectoryRequest>*,
                                     v1::ImportDirectoryResponse*) override;

  // Posts, management chain, designations, groups, wards, portfolios.
  grpc::Status GetPost(grpc::ServerContext*, const v1::GetPostRequest*, v1::Post*) override;
  grpc::Status ListPosts(grpc::ServerContext*, const v1::ListPostsRequest*,
                         v1::ListPostsResponse*) override;
  grpc::Status GetManagementChain(grpc::ServerContext*, const v1::GetManagementChainRequest*,
                                  v1::GetManagementChainResponse*) override;
  grpc::Status GetDesignation(grpc::ServerContext*, const v1::GetDesignationRequest*,
                              v1::Designation*) override;
  grpc::Status GetActingHolder(grpc::ServerContext*, const v1::GetActingHolderRequest*,
                               v1::ActingHolder*) override;
  grpc::Status ListPartyGroups(grpc::ServerContext*, const v1::ListPartyGroupsRequest*,
                               v1::ListPartyGroupsResponse*) override;
  grpc::Status ListWards(grpc::ServerContext*, const v1::ListWardsRequest*,
                         v1::ListWardsResponse*) override;
  grpc::Status ListPortfolios(grpc::ServerContext*, const v1::ListPortfoliosRequest*,
                              v1::ListPortfoliosResponse*) override;

  // Declarations.
  grpc::Status CreateRelationship(grpc::ServerContext*, const v1::CreateRelationshipRequest*,
                                  v1::Relationship*) override;
  grpc::Status GetRelationship(grpc::ServerContext*, const v1::GetRelationshipRequest*,
                               v1::Relationship*) override;
  grpc::Status ListRelationships(grpc::ServerContext*, const v1::ListRelationshipsRequest*,
                                 v1::ListRelationshipsResponse*) override;
  grpc::Status UpdateRelationship(grpc::ServerContext*, const v1::UpdateRelationshipRequest*,
                                  v1::Relationship*) override;
  grpc::Status ListRelationshipRevisions(grpc::ServerContext*,
                                         const v1::ListRelationshipRevisionsRequest*,
                                         v1::ListRelationshipRevisionsResponse*) override;
  grpc::Status CreateInterest(grpc::ServerContext*, const v1::CreateInterestRequest*,
                              v1::Interest*) override;
  grpc::Status UpdateInterest(grpc::ServerContext*, const v1::UpdateInterestRequest*,
                              v1::Interest*) override;
  grpc::Status GetRegister(grpc::ServerContext*, const v1::GetRegisterRequest*,
                           v1::Register*) override;
  grpc::Status ListOverdueInterests(grpc::ServerContext*, const v1::ListOverdueInterestsRequest*,
                                    v1::ListOverdueInterestsResponse*) override;
  grpc::Status CreateSecretMembership(grpc::ServerContext*,
                                      const v1::CreateSecretMembershipRequest*,
                                      v1::SecretMembership*) override;
  grpc::Status ListSecretMemberships(grpc::ServerContext*,
                                     const v1::ListSecretMembershipsRequest*,
                                     v1::ListSecretMembershipsResponse*) override;

  // Conflict checks.
  grpc::ServerUnaryReactor* CheckConflict(grpc::CallbackServerContext*,
                                          const v1::CheckConflictRequest*,
                                          v1::CheckConflictResponse*) override;

 private:
  // The conflict check itself (authentication included).
  grpc::Status AnswerConflictCheck(const grpc::ServerContextBase* context,
                                   const v1::CheckConflictRequest* request,
                                   v1::CheckConflictResponse* response);
  grpc::Status ValidateImport(const v1::ImportDirectoryRequest& request);
  // Reviews the people of `request` (system_roles.h) and imports it, under
  // people_mu_ so that the review sees the directory the import changes.
  grpc::Status ReviewAndImport(const Caller& caller, v1::ImportDirectoryRequest* request,
                               absl::string_view method, v1::ImportDirectoryResponse* response);

  RelationsStore* store_;
  std::shared_ptr<const CouncilProfile> profile_;
  CallerAuthenticator authenticator_;
  // Held from the review of system roles to the commit of every write of
  // people (CreatePerson, the imports): two imports reviewed against the same
  // directory could otherwise each remove one of the last two administrators.
  absl::Mutex people_mu_;
};

// Validation, exposed for unit tests. Each returns INVALID_ARGUMENT naming the
// field (prefixed with `field_prefix`), or OK.
grpc::Status ValidatePerson(const Person& person, absl::string_view field_prefix);
grpc::Status ValidateBody(const Body& body, absl::string_view field_prefix);
grpc::Status ValidateMembership(const Membership& membership, absl::string_view field_prefix);

// RolesOf
//
// The roles the directory gives `person` by kind and system roles (see
// Principal.roles); designations held are added by ResolvePrincipal. Each
// kind gives exactly its own role: a member "member", a co-opted member
// "member" and "co-opted-member", an officer "officer", a political assistant
// "political-assistant" only (docs/security.md, "People's roles").
std::vector<std::string> RolesOf(const Person& person);

// Helpers shared by the handler files.
namespace internal {
inline constexpr char kService[] = "council.relations.v1.RelationsService";
// Today, or the request's `as_of` (INVALID_ARGUMENT if malformed).
absl::StatusOr<absl::CivilDay> AsOf(bool has_as_of, const common::v1::Date& as_of);
// Requires one of `roles` (or a sibling service); PERMISSION_DENIED otherwise.
grpc::Status RequireRole(const Caller& caller, std::initializer_list<absl::string_view> roles,
                         absl::string_view what);
// Pages over a name-ordered listing: fills `names` (at most page size) and the
// next token.
}  // namespace internal

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_
