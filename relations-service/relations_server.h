// relations_server.h — the RelationsService gRPC API over RelationsStore.
//
// Validates every request (INVALID_ARGUMENT names the field), authenticates
// the caller from the gateway's internal assertion, enforces the write roles,
// and maps storage errors in one place (common/errors).
#ifndef COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_
#define COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_

#include <memory>

#include "common/server/caller.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "relations-service/relations_store.h"

namespace council::relations {

class RelationsServer final : public v1::RelationsService::Service {
 public:
  RelationsServer(RelationsStore* store, auth::AssertionKey key);

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
  grpc::Status ImportDirectory(grpc::ServerContext*, const v1::ImportDirectoryRequest*,
                               v1::ImportDirectoryResponse*) override;

 private:
  RelationsStore* store_;
  CallerAuthenticator authenticator_;
};

// Validation, exposed for unit tests. Each returns INVALID_ARGUMENT naming the
// field (prefixed with `field_prefix`), or OK.
grpc::Status ValidatePerson(const Person& person, absl::string_view field_prefix);
grpc::Status ValidateBody(const Body& body, absl::string_view field_prefix);
grpc::Status ValidateMembership(const Membership& membership, absl::string_view field_prefix);

// RolesOf
//
// The roles the directory gives `person` on `today` (see Principal.roles).
std::vector<std::string> RolesOf(const Person& person);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_RELATIONS_SERVER_H_
