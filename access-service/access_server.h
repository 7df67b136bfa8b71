// access_server.h — the AccessService gRPC API.
//
// Validates requests, authenticates the caller from the gateway's assertion,
// gathers facts about the requester from relations-service (as a sibling
// acting on the requester's behalf) and hands them to the decision engine.
// The implementation is split by area:
//
//   access_server.cc          catalogue: documents, imports
//   access_server_requests.cc requests, disputes and the record (who saw what)
//   access_server_explain.cc  explain, and what a member may see
#ifndef COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_
#define COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "access-service/access_store.h"
#include "access-service/catalogue.h"
#include "access-service/decision_engine.h"
#include "access-service/relations_facts.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "council/access/v1/access_service.grpc.pb.h"

namespace council::access {

// How the server is run (flags in main.cc).
struct AccessServerOptions {
  // How long facts about a requester from relations-service are reused.
  absl::Duration requester_facts_ttl = absl::Seconds(2);
  // Fixes "today" (tests and demos only); unset means today in London.
  std::optional<absl::CivilDay> today;
};

// CreateAccessRequest, the hot path, uses gRPC's callback API: the decision is
// made on the gRPC thread that received it and the call is finished by the
// store's writer thread once the decision is durable, so no server thread is
// parked per decision waiting for the group commit. The other methods are
// synchronous.
class AccessServer final
    : public v1::AccessService::WithCallbackMethod_CreateAccessRequest<v1::AccessService::Service> {
 public:
  // Create
  //
  // Builds the server: compiles the profile's rules (INVALID_ARGUMENT naming
  // the field if they are wrong) and loads the catalogue into memory.
  static absl::StatusOr<std::unique_ptr<AccessServer>> Create(
      AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
      std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
      AccessServerOptions options = {});

  // The council's profile.
  const CouncilProfile& profile() const { return *profile_; }

  // Catalogue.
  grpc::Status CreateDocument(grpc::ServerContext*, const v1::CreateDocumentRequest*,
                              v1::Document*) override;
  grpc::Status GetDocument(grpc::ServerContext*, const v1::GetDocumentRequest*,
                           v1::Document*) override;
  grpc::Status ListDocuments(grpc::ServerContext*, const v1::ListDocumentsRequest*,
                             v1::ListDocumentsResponse*) override;
  grpc::Status ImportDocuments(grpc::ServerContext*, const v1::ImportDocumentsRequest*,
                               v1::ImportDocumentsResponse*) override;
  grpc::Status StreamImportDocuments(grpc::ServerContext*,
                                     grpc::ServerReader<v1::StreamImportDocumentsRequest>*,
                                     v1::ImportDocumentsResponse*) override;
  // Requests, disputes, the record.
  grpc::ServerUnaryReactor* CreateAccessRequest(grpc::CallbackServerContext*,
                                                const v1::CreateAccessRequestRequest*,
                                                v1::AccessRequest*) override;
  grpc::Status GetAccessRequest(grpc::ServerContext*, const v1::GetAccessRequestRequest*,
                                v1::AccessRequest*) override;
  grpc::Status ListAccessRequests(grpc::ServerContext*, const v1::ListAccessRequestsRequest*,
                                  v1::ListAccessRequestsResponse*) override;
  grpc::Status DisputeAccessRequest(grpc::ServerContext*, const v1::DisputeAccessRequestRequest*,
                                    v1::AccessRequest*) override;
  grpc::Status DecideDispute(grpc::ServerContext*, const v1::DecideDisputeRequest*,
                             v1::AccessRequest*) override;
  // Explain and list.
  grpc::Status ExplainAccess(grpc::ServerContext*, const v1::ExplainAccessRequest*,
                             v1::ExplainAccessResponse*) override;
  grpc::Status ListAccessibleDocuments(grpc::ServerContext*,
                                       const v1::ListAccessibleDocumentsRequest*,
                                       v1::ListAccessibleDocumentsResponse*) override;

 private:
  // Everything CreateAccessRequest does before the write: authenticates,
  // checks the request, decides and fills `response`; sets `requester`.
  grpc::Status DecideNewRequest(const grpc::ServerContextBase* context,
                                const v1::CreateAccessRequestRequest* request,
                                v1::AccessRequest* response, std::string* requester);

  AccessServer(AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
               std::unique_ptr<const DecisionEngine> engine,
               std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
               AccessServerOptions options);

  absl::CivilDay Today() const;
  // The requester's facts, checking they may ask at all (a member, co-opted
  // member or, where the profile says so, a political assistant).
  grpc::Status EligibleRequester(const std::string& person, absl::CivilDay day,
                                 RelationsFacts::Requester* out);
  // Validates and applies an import of `documents` (all or nothing).
  grpc::Status Import(const Caller& caller, std::vector<v1::Document> documents,
                      bool validate_only, v1::ImportDocumentsResponse* response);
  // Whether `caller` may read another member's part of the record.
  bool ReadsRecord(const Caller& caller) const;
  // The error for a referral or dispute whose decider cannot be resolved
  // (`status` from RelationsFacts::ResolveDecider): FAILED_PRECONDITION
  // citing the dispute clause when nobody can act, UNAVAILABLE or NOT_FOUND
  // otherwise. CreateAccessRequest, DisputeAccessRequest and ExplainAccess
  // all answer with it.
  grpc::Status NoDecider(const absl::Status& status, const v1::Document& document,
                         const std::string& subject) const;
  // Opens a dispute on `request` (origin referral or member).
  grpc::Status OpenDispute(v1::AccessRequest* request, const v1::Document& document,
                           v1::DisputeOrigin origin, std::string grounds, absl::CivilDay day);

  AccessStore* store_;
  std::shared_ptr<const CouncilProfile> profile_;
  std::unique_ptr<const DecisionEngine> engine_;
  RelationsFacts relations_;
  CallerAuthenticator authenticator_;
  AccessServerOptions options_;
  Catalogue catalogue_;
  // Serialises catalogue writes so the in-memory catalogue is published in
  // the order the database committed.
  absl::Mutex catalogue_write_mu_;
};

// ValidateDocument
//
// Checks a document's metadata; INVALID_ARGUMENT naming `prefix` + field.
// `max_exempt_paragraph` is the highest Schedule 12A paragraph in the
// council's numbering.
grpc::Status ValidateDocument(const v1::Document& document, absl::string_view prefix,
                              int max_exempt_paragraph);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_ACCESS_SERVER_H_
