#include "access-service/access_server.h"

#include "absl/container/flat_hash_set.h"
#include "grpcpp/channel.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "google/protobuf/util/time_util.h"

namespace council::access {
namespace {

constexpr char kService[] = "council.access.v1.AccessService";
constexpr absl::string_view kCatalogueWriters[] = {"administrator", "records-integration"};

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

grpc::Status Invalid(const absl::Status& status) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(status.message()));
}

grpc::Status RequireCatalogueWriter(const Caller& caller, absl::string_view method) {
  for (auto role : kCatalogueWriters)
    if (caller.HasRole(role)) return grpc::Status::OK;
  return PermissionDenied(
      absl::StrCat(method, " changes the document catalogue: only administrators and the "
                           "records integration may call it"),
      common::v1::ERROR_REASON_METHOD_NOT_ALLOWED, {{"method", std::string(method)}});
}

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
}

std::string NewRequestId() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  // Time-ordered prefix so listings by name are roughly chronological.
  return absl::StrFormat("ar-%012x-%08x", absl::ToUnixMillis(absl::Now()),
                         absl::Uniform<uint32_t>(*gen));
}

}  // namespace

grpc::Status ValidateDocument(const v1::Document& document, absl::string_view prefix) {
  if (document.title().empty()) return InvalidField(absl::StrCat(prefix, "title"), "is required");
  if (document.owning_service().empty())
    return InvalidField(absl::StrCat(prefix, "owning_service"), "is required");
  if (document.status() == v1::DOCUMENT_STATUS_UNSPECIFIED)
    return InvalidField(absl::StrCat(prefix, "status"), "is required");
  if (!document.holding_chief_officer().empty() &&
      !ParseName(document.holding_chief_officer(), "people").ok())
    return InvalidField(absl::StrCat(prefix, "holding_chief_officer"), "must be people/{person}");
  if (!document.body().empty() && !ParseName(document.body(), "bodies").ok())
    return InvalidField(absl::StrCat(prefix, "body"), "must be bodies/{body}");
  if (document.has_meeting_date() &&
      !ToCivilDay(document.meeting_date(), "meeting_date").ok())
    return InvalidField(absl::StrCat(prefix, "meeting_date"), "is not a valid date");
  for (int i = 0; i < document.wards_size(); ++i)
    if (!ParseName(document.wards(i), "wards").ok())
      return InvalidField(absl::StrCat(prefix, "wards[", i, "]"), "must be wards/{ward}");
  if (!document.party_group().empty() && !ParseName(document.party_group(), "groups").ok())
    return InvalidField(absl::StrCat(prefix, "party_group"), "must be groups/{group}");
  if (document.status() == v1::DOCUMENT_STATUS_EXEMPT && document.exempt_paragraphs().empty())
    return InvalidField(absl::StrCat(prefix, "exempt_paragraphs"),
                        "an exempt document must say which Schedule 12A paragraphs apply",
                        "Local Government Act 1972 s100I");
  for (int i = 0; i < document.exempt_paragraphs_size(); ++i)
    if (document.exempt_paragraphs(i) < 1 || document.exempt_paragraphs(i) > 15)
      return InvalidField(absl::StrCat(prefix, "exempt_paragraphs[", i, "]"),
                          "is not a Schedule 12A paragraph");
  return grpc::Status::OK;
}

AccessServer::AccessServer(AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
                           std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key)
    : store_(store),
      profile_(std::move(profile)),
      relations_(relations::v1::RelationsService::NewStub(relations)),
      key_(key),
      authenticator_(std::move(key)) {}

grpc::Status AccessServer::CreateDocument(grpc::ServerContext* context,
                                          const v1::CreateDocumentRequest* request,
                                          v1::Document* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateDocument");
  if (auto s = RequireCatalogueWriter(caller, "CreateDocument"); !s.ok()) return s;
  if (!IsValidId(request->document_id()))
    return InvalidField("document_id", "must be 1-63 lower-case letters, digits or hyphens",
                        "AIP-122");
  if (auto s = ValidateDocument(request->document(), "document."); !s.ok()) return s;
  *response = request->document();
  response->set_name(absl::StrCat("documents/", request->document_id()));
  *response->mutable_create_time() = Now();
  absl::Status stored = store_->CreateDocument(*response, caller.Person());
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateDocument");
}

grpc::Status AccessServer::GetDocument(grpc::ServerContext* context,
                                       const v1::GetDocumentRequest* request,
                                       v1::Document* response) {
  COUNCIL_AUTHENTICATE(caller, "GetDocument");
  auto id = ParseName(request->name(), "documents");
  if (!id.ok()) return Invalid(id.status());
  auto found = store_->GetDocument(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetDocument");
  if (!*found) return NotFound(request->name());
  return grpc::Status::OK;
}

grpc::Status AccessServer::ListDocuments(grpc::ServerContext* context,
                                         const v1::ListDocumentsRequest* request,
                                         v1::ListDocumentsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListDocuments");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  auto after = DecodePageToken(request->page_token(), "documents");
  if (!after.ok()) return Invalid(after.status());
  auto documents = store_->ListDocuments(*after, *size + 1);
  if (!documents.ok()) return FromAbsl(documents.status(), "ListDocuments");
  const bool more = static_cast<int>(documents->size()) > *size;
  if (more) documents->pop_back();
  for (auto& document : *documents) *response->add_documents() = std::move(document);
  if (more)
    response->set_next_page_token(EncodePageToken(
        "documents", response->documents().rbegin()->name().substr(sizeof("documents/") - 1)));
  return grpc::Status::OK;
}

grpc::Status AccessServer::ImportDocuments(grpc::ServerContext* context,
                                           const v1::ImportDocumentsRequest* request,
                                           v1::ImportDocumentsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ImportDocuments");
  if (auto s = RequireCatalogueWriter(caller, "ImportDocuments"); !s.ok()) return s;
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < request->documents_size(); ++i) {
    const auto& document = request->documents(i);
    const std::string prefix = absl::StrCat("documents[", i, "].");
    if (!ParseName(document.name(), "documents").ok())
      return InvalidField(absl::StrCat(prefix, "name"), "must be documents/{document}");
    if (!seen.insert(document.name()).second)
      return InvalidField(absl::StrCat(prefix, "name"), "appears twice in the import");
    if (auto s = ValidateDocument(document, prefix); !s.ok()) return s;
  }
  auto counts = store_->ImportDocuments({request->documents().begin(), request->documents().end()},
                                        request->validate_only(), caller.Person());
  if (!counts.ok()) return FromAbsl(counts.status(), "ImportDocuments");
  response->set_created_count(counts->created);
  response->set_updated_count(counts->updated);
  response->set_unchanged_count(counts->unchanged);
  return grpc::Status::OK;
}

absl::StatusOr<bool> AccessServer::SitsOn(absl::string_view person, absl::string_view body) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  static const std::string kMethod = FullMethodName(
      relations::v1::RelationsService::service_full_name(), "ListMemberships");
  SignCall(&context, key_, "services/access-service", {}, person, kMethod);
  relations::v1::ListMembershipsRequest request;
  request.set_parent(std::string(body));
  request.set_person(std::string(person));
  *request.mutable_as_of() = ToProtoDate(TodayInLondon());
  request.set_page_size(1);
  relations::v1::ListMembershipsResponse response;
  grpc::Status status = relations_->ListMemberships(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return false;
  if (!status.ok())
    return absl::UnavailableError(
        absl::StrCat("relations-service: ", status.error_message()));
  return response.memberships_size() > 0;
}

grpc::Status AccessServer::CreateAccessRequest(grpc::ServerContext* context,
                                               const v1::CreateAccessRequestRequest* request,
                                               v1::AccessRequest* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateAccessRequest");
  const auto& access_request = request->access_request();
  const std::string& requester = caller.Person();
  if (!access_request.requester().empty() && access_request.requester() != requester)
    return PermissionDenied(
        absl::StrCat("a member asks for themselves: access_request.requester must be empty or ",
                     requester, ", not ", access_request.requester()),
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
  if (access_request.purpose().size() > 4000)
    return InvalidField("access_request.purpose", "must be at most 4000 characters");
  v1::Document document;
  auto found = store_->GetDocument(*document_id, &document);
  if (!found.ok()) return FromAbsl(found.status(), "CreateAccessRequest");
  if (!*found) return NotFound(access_request.document());

  RequesterFacts facts;
  if (!document.body().empty()) {
    auto sits = SitsOn(requester, document.body());
    if (!sits.ok()) return FromAbsl(sits.status(), "CreateAccessRequest");
    facts.member_of_document_body = *sits;
  }
  *response = access_request;
  response->set_name(absl::StrCat("accessRequests/", NewRequestId()));
  response->set_requester(requester);
  *response->mutable_create_time() = Now();
  *response->mutable_decision() =
      Decide(*profile_, document, *response, facts, TodayInLondon());
  *response->mutable_decision()->mutable_decide_time() = response->create_time();
  return FromAbsl(store_->SaveAccessRequest(*response, requester), "CreateAccessRequest");
}

grpc::Status AccessServer::GetAccessRequest(grpc::ServerContext* context,
                                            const v1::GetAccessRequestRequest* request,
                                            v1::AccessRequest* response) {
  COUNCIL_AUTHENTICATE(caller, "GetAccessRequest");
  auto id = ParseName(request->name(), "accessRequests");
  if (!id.ok()) return Invalid(id.status());
  auto found = store_->GetAccessRequest(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetAccessRequest");
  // The record is the requester's and the monitoring officer's; anyone else
  // is told it does not exist rather than that it does.
  if (!*found || (response->requester() != caller.Person() &&
                  !caller.HasRole("monitoring-officer") && !caller.HasRole("auditor"))) {
    response->Clear();
    return NotFound(request->name());
  }
  return grpc::Status::OK;
}

}  // namespace council::access
