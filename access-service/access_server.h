// access_server.h — the AccessService gRPC API.
//
// Validates requests, authenticates the caller from the gateway's assertion,
// gathers facts about the requester from relations-service (as a sibling
// acting on the requester's behalf) and hands them to the decision engine.
#ifndef COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_
#define COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_

#include <memory>

#include "access-service/access_store.h"
#include "access-service/decision_engine.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"

namespace council::access {

class AccessServer final : public v1::AccessService::Service {
 public:
  AccessServer(AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
               std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key);

  grpc::Status CreateDocument(grpc::ServerContext*, const v1::CreateDocumentRequest*,
                              v1::Document*) override;
  grpc::Status GetDocument(grpc::ServerContext*, const v1::GetDocumentRequest*,
                           v1::Document*) override;
  grpc::Status ListDocuments(grpc::ServerContext*, const v1::ListDocumentsRequest*,
                             v1::ListDocumentsResponse*) override;
  grpc::Status ImportDocuments(grpc::ServerContext*, const v1::ImportDocumentsRequest*,
                               v1::ImportDocumentsResponse*) override;
  grpc::Status CreateAccessRequest(grpc::ServerContext*, const v1::CreateAccessRequestRequest*,
                                   v1::AccessRequest*) override;
  grpc::Status GetAccessRequest(grpc::ServerContext*, const v1::GetAccessRequestRequest*,
                                v1::AccessRequest*) override;

 private:
  // Asks relations-service whether `person` sits on `body` today.
  absl::StatusOr<bool> SitsOn(absl::string_view person, absl::string_view body);

  AccessStore* store_;
  std::shared_ptr<const CouncilProfile> profile_;
  std::unique_ptr<relations::v1::RelationsService::Stub> relations_;
  auth::AssertionKey key_;
  CallerAuthenticator authenticator_;
};

// ValidateDocument
//
// INVALID_ARGUMENT naming the field (prefixed by `prefix`), or OK.
grpc::Status ValidateDocument(const v1::Document& document, absl::string_view prefix);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_
