// The catalogue part of AccessServer: documents and their imports.
#include "access-service/access_server.h"

#include "absl/strings/str_cat.h"
#include "access-service/access_server_internal.h"
#include "access-service/document_visibility.h"
#include "access-service/import_validation.h"
#include "common/server/import_stream.h"
#include "common/errors/grpc_errors.h"
#include "common/storage/record_table.h"
#include "common/util/resource_names.h"
#include "grpcpp/channel.h"

namespace council::access {

using internal::Invalid;
using internal::Now;

namespace {

constexpr absl::string_view kCatalogueWriters[] = {"administrator", "records-integration"};
// One StreamImportDocuments chunk; larger chunks are refused.
constexpr int kMaxChunk = 10000;

grpc::Status RequireCatalogueWriter(const Caller& caller, absl::string_view method) {
  for (auto role : kCatalogueWriters)
    if (caller.HasRole(role)) return grpc::Status::OK;
  return PermissionDenied(
      absl::StrCat(method, " changes the document catalogue: only administrators and the "
                           "records integration may call it"),
      common::v1::ERROR_REASON_METHOD_NOT_ALLOWED, {{"method", std::string(method)}});
}

// Political assistants have members' level of access to documents only where
// the profile says so (Middlesbrough 12.5); elsewhere the catalogue is not
// theirs to read either (docs/security.md, "People's roles"). Everyone else
// the gateway admits reads it.
grpc::Status RequireCatalogueReader(const Caller& caller, const CouncilProfile& profile) {
  if (caller.IsService() || caller.HasRole("member") || caller.HasRole("officer") ||
      !caller.HasRole("political-assistant") ||
      profile.document_access().political_assistant_access().enabled())
    return grpc::Status::OK;
  return PermissionDenied(
      absl::StrCat(caller.Person(), " is a political assistant, and ", profile.display_name(),
                   "'s protocol gives political assistants no members' level of access to "
                   "documents"),
      common::v1::ERROR_REASON_RULE_FORBIDS, {{"caller", caller.Person()}});
}

}  // namespace

grpc::Status ValidateDocument(const v1::Document& document, absl::string_view prefix,
                              int max_exempt_paragraph) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, name); };
  if (document.title().empty()) return InvalidField(field("title"), "is required");
  if (document.title().size() > 1000)
    return InvalidField(field("title"), "must be at most 1000 characters");
  if (document.owning_service().empty()) return InvalidField(field("owning_service"), "is required");
  if (!IsValidId(document.owning_service()))
    return InvalidField(field("owning_service"), "must be a service id (lower-case letters, "
                                                 "digits, hyphens)");
  if (document.status() == v1::DOCUMENT_STATUS_UNSPECIFIED)
    return InvalidField(field("status"), "is required");
  if (!v1::DocumentStatus_IsValid(document.status()))
    return InvalidField(field("status"), "is not a known status");
  if (!document.holding_chief_officer().empty() &&
      !ParseName(document.holding_chief_officer(), "people").ok())
    return InvalidField(field("holding_chief_officer"), "must be people/{person}");
  if (!document.body().empty() && !ParseName(document.body(), "bodies").ok())
    return InvalidField(field("body"), "must be bodies/{body}");
  if (document.has_meeting_date() && !ToCivilDay(document.meeting_date(), "meeting_date").ok())
    return InvalidField(field("meeting_date"), "is not a valid date");
  for (int i = 0; i < document.wards_size(); ++i)
    if (!ParseName(document.wards(i), "wards").ok())
      return InvalidField(absl::StrCat(prefix, "wards[", i, "]"), "must be wards/{ward}");
  if (!document.portfolio().empty() && !ParseName(document.portfolio(), "portfolios").ok())
    return InvalidField(field("portfolio"), "must be portfolios/{portfolio}");
  if (!document.party_group().empty() && !ParseName(document.party_group(), "groups").ok())
    return InvalidField(field("party_group"), "must be groups/{group}");
  for (int i = 0; i < document.matters_size(); ++i)
    if (!IsValidId(document.matters(i)))
      return InvalidField(absl::StrCat(prefix, "matters[", i, "]"),
                          "must be a matter id (lower-case letters, digits, hyphens)");
  if (!document.requested_advice_for().empty() &&
      !ParseName(document.requested_advice_for(), "people").ok())
    return InvalidField(field("requested_advice_for"), "must be people/{person}");
  if (document.status() == v1::DOCUMENT_STATUS_EXEMPT && document.exempt_paragraphs().empty())
    return InvalidField(field("exempt_paragraphs"),
                        "an exempt document must say which Schedule 12A paragraphs apply",
                        "Local Government Act 1972 s100I");
  if (document.status() != v1::DOCUMENT_STATUS_EXEMPT && !document.exempt_paragraphs().empty())
    return InvalidField(field("exempt_paragraphs"), "only an exempt document has them");
  for (int i = 0; i < document.exempt_paragraphs_size(); ++i)
    if (document.exempt_paragraphs(i) < 1 || document.exempt_paragraphs(i) > max_exempt_paragraph)
      return InvalidField(absl::StrCat(prefix, "exempt_paragraphs[", i, "]"),
                          absl::StrCat("is not a Schedule 12A Part 1 paragraph in the council's "
                                       "numbering (1-",
                                       max_exempt_paragraph, ")"),
                          "Local Government Act 1972 Sch 12A");
  return grpc::Status::OK;
}

absl::StatusOr<std::unique_ptr<AccessServer>> AccessServer::Create(
    AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
    std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
    AccessServerOptions options) {
  auto engine = DecisionEngine::Create(profile);
  if (!engine.ok()) return engine.status();
  auto documents = store->LoadDocuments();
  if (!documents.ok()) return documents.status();
  std::unique_ptr<AccessServer> server(new AccessServer(
      store, std::move(profile), std::move(*engine), std::move(relations), std::move(key),
      std::move(options)));
  server->catalogue_.Replace(std::move(*documents));
  return server;
}

AccessServer::AccessServer(AccessStore* store, std::shared_ptr<const CouncilProfile> profile,
                           std::unique_ptr<const DecisionEngine> engine,
                           std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
                           AccessServerOptions options)
    : store_(store),
      profile_(std::move(profile)),
      engine_(std::move(engine)),
      relations_(std::move(relations), key, options.requester_facts_ttl),
      authenticator_(std::move(key)),
      options_(std::move(options)) {}

absl::CivilDay AccessServer::Today() const {
  return options_.today ? *options_.today : TodayInLondon();
}

grpc::Status AccessServer::CreateDocument(grpc::ServerContext* context,
                                          const v1::CreateDocumentRequest* request,
                                          v1::Document* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "CreateDocument");
  if (auto s = RequireCatalogueWriter(caller, "CreateDocument"); !s.ok()) return s;
  if (!IsValidId(request->document_id()))
    return InvalidField("document_id", "must be 1-63 lower-case letters, digits or hyphens",
                        "AIP-122");
  if (auto s = ValidateDocument(request->document(), "document.",
                                engine_->MaxExemptParagraph());
      !s.ok())
    return s;
  *response = request->document();
  MoveNotForPublicationMark(response);
  response->set_name(absl::StrCat("documents/", request->document_id()));
  *response->mutable_create_time() = Now();
  absl::MutexLock lock(&catalogue_write_mu_);
  absl::Status stored = store_->CreateDocument(*response, caller.Person());
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  if (!stored.ok()) return FromAbsl(stored, "CreateDocument");
  catalogue_.Upsert({*response});
  return grpc::Status::OK;
}

grpc::Status AccessServer::GetDocument(grpc::ServerContext* context,
                                       const v1::GetDocumentRequest* request,
                                       v1::Document* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "GetDocument");
  if (auto s = RequireCatalogueReader(caller, *profile_); !s.ok()) return s;
  auto id = ParseName(request->name(), "documents");
  if (!id.ok()) return Invalid(id.status());
  auto snapshot = catalogue_.Current();
  const v1::Document* document = snapshot->Find(request->name());
  if (document == nullptr ||
      HiddenFrom(profile_->document_access(), *document, caller, ReadsRecord(caller)))
    return NotFound(request->name());
  *response = *document;
  return grpc::Status::OK;
}

grpc::Status AccessServer::ListDocuments(grpc::ServerContext* context,
                                         const v1::ListDocumentsRequest* request,
                                         v1::ListDocumentsResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "ListDocuments");
  if (auto s = RequireCatalogueReader(caller, *profile_); !s.ok()) return s;
  auto size = PageSize(request->page_size());
  if (!size.ok()) return Invalid(size.status());
  auto after = DecodePageToken(request->page_token(), "documents");
  if (!after.ok()) return Invalid(after.status());
  auto snapshot = catalogue_.Current();
  size_t i = after->empty() ? 0 : snapshot->UpperBound(absl::StrCat("documents/", *after));
  const bool reader = ReadsRecord(caller);
  // Hidden documents are left out as if absent; the token names the last
  // document looked at, so a page of hidden ones still moves on.
  std::string last;
  for (; i < snapshot->size() && response->documents_size() < *size; ++i) {
    const v1::Document& document = snapshot->at(i);
    last = document.name();
    if (HiddenFrom(profile_->document_access(), document, caller, reader)) continue;
    *response->add_documents() = document;
  }
  if (i < snapshot->size()) response->set_next_page_token(EncodePageToken("documents", IdOf(last)));
  return grpc::Status::OK;
}

grpc::Status AccessServer::ImportDocuments(grpc::ServerContext* context,
                                           const v1::ImportDocumentsRequest* request,
                                           v1::ImportDocumentsResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "ImportDocuments");
  if (auto s = RequireCatalogueWriter(caller, "ImportDocuments"); !s.ok()) return s;
  return Import(caller, {request->documents().begin(), request->documents().end()},
                request->validate_only(), response);
}

grpc::Status AccessServer::StreamImportDocuments(
    grpc::ServerContext* context, grpc::ServerReader<v1::StreamImportDocumentsRequest>* reader,
    v1::ImportDocumentsResponse* response) {
  COUNCIL_ACCESS_AUTHENTICATE(caller, "StreamImportDocuments");
  if (auto s = RequireCatalogueWriter(caller, "StreamImportDocuments"); !s.ok()) return s;
  std::vector<v1::Document> documents;
  bool validate_only = false;
  v1::StreamImportDocumentsRequest chunk;
  // Committed only once the stream has ended right after its final chunk
  // (common/server/import_stream.h says why the marker).
  ImportStream stream;
  while (reader->Read(&chunk)) {
    if (chunk.documents_size() > kMaxChunk)
      return InvalidField(absl::StrCat("chunks[", stream.chunks(), "].documents"),
                          absl::StrCat("at most ", kMaxChunk, " documents per chunk"));
    if (auto s = stream.Received(chunk.final_chunk()); !s.ok()) return s;
    if (stream.chunks() == 1) validate_only = chunk.validate_only();
    for (auto& document : *chunk.mutable_documents()) documents.push_back(std::move(document));
  }
  if (auto s = stream.Ended(*context); !s.ok()) return s;
  return Import(caller, std::move(documents), validate_only, response);
}

grpc::Status AccessServer::Import(const Caller& caller, std::vector<v1::Document> documents,
                                  bool validate_only, v1::ImportDocumentsResponse* response) {
  // Every document and every reference it makes, before anything is written.
  auto known = relations_.Known(caller.Person(), ReferencedNames(documents));
  if (!known.ok())
    return FromAbsl(internal::DirectoryUnreachable(
                        absl::StrCat("cannot check the import's references against the "
                                     "directory; nothing was written: ",
                                     known.status().message())),
                    "ImportDocuments");
  if (auto s = ValidateDocumentImport(documents, engine_->MaxExemptParagraph(), *known); !s.ok())
    return s;
  // Counted against the catalogue under the write lock, so the counts are
  // those of what this import actually changes.
  absl::MutexLock lock(&catalogue_write_mu_);
  auto snapshot = catalogue_.Current();
  ImportCounts counts;
  std::vector<v1::Document*> changed;
  const google::protobuf::Timestamp now = Now();
  for (auto& document : documents) {
    MoveNotForPublicationMark(&document);
    const v1::Document* existing = snapshot->Find(document.name());
    if (existing == nullptr) {
      *document.mutable_create_time() = now;
      ++counts.created;
      changed.push_back(&document);
      continue;
    }
    *document.mutable_create_time() = existing->create_time();
    if (storage::SerializeDeterministic(document) == storage::SerializeDeterministic(*existing)) {
      ++counts.unchanged;
    } else {
      ++counts.updated;
      changed.push_back(&document);
    }
  }
  response->set_created_count(counts.created);
  response->set_updated_count(counts.updated);
  response->set_unchanged_count(counts.unchanged);
  if (validate_only) return grpc::Status::OK;
  if (auto s = store_->ImportDocuments({changed.begin(), changed.end()}, counts, caller.Person());
      !s.ok())
    return FromAbsl(s, "ImportDocuments");
  std::vector<v1::Document> published;
  published.reserve(changed.size());
  for (v1::Document* document : changed) published.push_back(std::move(*document));
  catalogue_.Upsert(std::move(published));
  return grpc::Status::OK;
}

}  // namespace council::access
