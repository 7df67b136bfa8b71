// RelationsService handlers for the management structure: posts, the
// management chain, designations and who acts as one, party groups, wards and
// portfolios.
#include "absl/strings/str_cat.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "relations-service/acting_holder.h"
#include "relations-service/relations_server.h"

namespace council::relations {
namespace {

using internal::AsOf;
using internal::kService;

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

template <typename Record, typename Response>
grpc::Status PageFromSnapshot(const absl::flat_hash_map<std::string, Record>& records,
                              absl::string_view collection, int requested_size,
                              const std::string& token, Response* response,
                              google::protobuf::RepeatedPtrField<Record>* out) {
  auto size = PageSize(requested_size);
  if (!size.ok()) return FromAbsl(size.status(), __func__);
  auto after = DecodePageToken(token, collection);
  if (!after.ok()) return FromAbsl(after.status(), __func__);
  std::vector<const Record*> sorted;
  for (const auto& [name, record] : records)
    if (name > *after) sorted.push_back(&record);
  std::sort(sorted.begin(), sorted.end(),
            [](const Record* a, const Record* b) { return a->name() < b->name(); });
  for (const Record* record : sorted) {
    if (out->size() == *size) {
      response->set_next_page_token(EncodePageToken(collection, out->rbegin()->name()));
      break;
    }
    *out->Add() = *record;
  }
  return grpc::Status::OK;
}

v1::ChainLink Link(const v1::Post& post, absl::CivilDay day) {
  v1::ChainLink link;
  link.set_post(post.name());
  link.set_title(post.title());
  link.set_holder(HolderOn(post.tenures(), day));
  return link;
}

}  // namespace

grpc::Status RelationsServer::GetPost(grpc::ServerContext* context,
                                      const v1::GetPostRequest* request, v1::Post* response) {
  COUNCIL_AUTHENTICATE(caller, "GetPost");
  if (auto id = ParseName(request->name(), "posts"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  auto it = directory->posts.find(request->name());
  if (it == directory->posts.end()) return NotFound(request->name());
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListPosts(grpc::ServerContext* context,
                                        const v1::ListPostsRequest* request,
                                        v1::ListPostsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListPosts");
  auto directory = store_->Snapshot();
  return PageFromSnapshot(directory->posts, "posts", request->page_size(), request->page_token(),
                          response, response->mutable_posts());
}

grpc::Status RelationsServer::GetManagementChain(grpc::ServerContext* context,
                                                 const v1::GetManagementChainRequest* request,
                                                 v1::GetManagementChainResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "GetManagementChain");
  if (!ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  auto day = AsOf(request->has_as_of(), request->as_of());
  if (!day.ok()) return FromAbsl(day.status(), __func__);
  auto directory = store_->Snapshot();
  if (directory->FindPerson(request->person()) == nullptr) return NotFound(request->person());
  const v1::Post* post = directory->PostOf(request->person(), *day);
  if (post == nullptr)
    return RuleForbids("directory", request->person(),
                       "the person holds no post on that day, so has no management chain");
  *response->mutable_post() = Link(*post, *day);
  if (post->chief_officer()) *response->mutable_chief_officer() = Link(*post, *day);
  // Walk up; the depth bound stops a cycle in bad HR data from hanging us.
  const v1::Post* current = post;
  for (int depth = 0; depth < 64 && !current->reports_to().empty(); ++depth) {
    auto it = directory->posts.find(current->reports_to());
    if (it == directory->posts.end()) break;
    current = &it->second;
    *response->add_chain() = Link(*current, *day);
    if (current->chief_officer() && !response->has_chief_officer())
      *response->mutable_chief_officer() = Link(*current, *day);
  }
  return grpc::Status::OK;
}

grpc::Status RelationsServer::GetDesignation(grpc::ServerContext* context,
                                             const v1::GetDesignationRequest* request,
                                             v1::Designation* response) {
  COUNCIL_AUTHENTICATE(caller, "GetDesignation");
  if (auto id = ParseName(request->name(), "designations"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  auto it = directory->designations.find(request->name());
  if (it == directory->designations.end()) return NotFound(request->name());
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status RelationsServer::GetActingHolder(grpc::ServerContext* context,
                                              const v1::GetActingHolderRequest* request,
                                              v1::ActingHolder* response) {
  COUNCIL_AUTHENTICATE(caller, "GetActingHolder");
  auto id = ParseName(request->designation(), "designations", "designation");
  if (!id.ok()) return FromAbsl(id.status(), __func__);
  auto day = AsOf(request->has_as_of(), request->as_of());
  if (!day.ok()) return FromAbsl(day.status(), __func__);
  for (int i = 0; i < request->exclude_related_to_size(); ++i)
    if (!ParseName(request->exclude_related_to(i), "people").ok())
      return InvalidField(absl::StrCat("exclude_related_to[", i, "]"), "must be people/{person}");
  auto directory = store_->Snapshot();
  auto acting = ResolveActingHolder(
      *directory, *profile_, *id, *day,
      {request->exclude_related_to().begin(), request->exclude_related_to().end()});
  if (absl::IsNotFound(acting.status())) return NotFound(request->designation());
  if (absl::IsFailedPrecondition(acting.status())) {
    // Cite the clause that creates the designation, not the protocol's file
    // name: a client reads the ErrorInfo `clause` as a clause (issue 18).
    std::string clause;
    for (const auto& designation : profile_->designations())
      if (designation.id() == *id) clause = designation.clause().clause();
    if (clause.empty())  // no clause to cite: not a rule's refusal
      return FromAbsl(WithReason(acting.status(), common::v1::ERROR_REASON_PRECONDITION_FAILED,
                                 {{"resource", request->designation()}}),
                      "GetActingHolder");
    return RuleForbids(clause, request->designation(), acting.status().message());
  }
  if (!acting.ok()) return FromAbsl(acting.status(), "GetActingHolder");
  *response = std::move(*acting);
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListPartyGroups(grpc::ServerContext* context,
                                              const v1::ListPartyGroupsRequest* request,
                                              v1::ListPartyGroupsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListPartyGroups");
  auto directory = store_->Snapshot();
  return PageFromSnapshot(directory->party_groups, "groups", request->page_size(),
                          request->page_token(), response, response->mutable_party_groups());
}

grpc::Status RelationsServer::ListWards(grpc::ServerContext* context,
                                        const v1::ListWardsRequest* request,
                                        v1::ListWardsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListWards");
  auto directory = store_->Snapshot();
  return PageFromSnapshot(directory->wards, "wards", request->page_size(), request->page_token(),
                          response, response->mutable_wards());
}

grpc::Status RelationsServer::ListPortfolios(grpc::ServerContext* context,
                                             const v1::ListPortfoliosRequest* request,
                                             v1::ListPortfoliosResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListPortfolios");
  auto directory = store_->Snapshot();
  return PageFromSnapshot(directory->portfolios, "portfolios", request->page_size(),
                          request->page_token(), response, response->mutable_portfolios());
}

}  // namespace council::relations
