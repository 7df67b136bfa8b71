#include "complaints-service/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"

namespace council::complaints {

using relations::v1::RelationsService;

absl::Status FromRelations(const grpc::Status& status, absl::string_view method) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat("relations-service ", method, ": ",
                                           status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(message);
    case grpc::StatusCode::FAILED_PRECONDITION:
      return absl::FailedPreconditionError(message);
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(message);
    default:
      return absl::UnavailableError(message);
  }
}

std::optional<relations::v1::Designation> ReferenceCache::Designation(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = designations_.find(id);
  if (it == designations_.end() || it->second.expires < absl::Now()) return std::nullopt;
  return it->second.value;
}

void ReferenceCache::PutDesignation(absl::string_view id,
                                    const relations::v1::Designation& designation) {
  absl::MutexLock lock(&mu_);
  designations_[std::string(id)] = {absl::Now() + ttl_, designation};
}

std::optional<relations::v1::Post> ReferenceCache::Post(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = post_by_name_.find(name);
  if (it == post_by_name_.end() || it->second.expires < absl::Now()) return std::nullopt;
  return it->second.value;
}

void ReferenceCache::PutPost(absl::string_view name, const relations::v1::Post& post) {
  absl::MutexLock lock(&mu_);
  post_by_name_[std::string(name)] = {absl::Now() + ttl_, post};
}

std::optional<std::vector<relations::v1::PartyGroup>> ReferenceCache::Groups() {
  absl::MutexLock lock(&mu_);
  if (!groups_.has_value() || groups_->expires < absl::Now()) return std::nullopt;
  return groups_->value;
}

void ReferenceCache::PutGroups(std::vector<relations::v1::PartyGroup> groups) {
  absl::MutexLock lock(&mu_);
  groups_ = Entry<std::vector<relations::v1::PartyGroup>>{absl::Now() + ttl_, std::move(groups)};
}

std::optional<std::vector<relations::v1::Post>> ReferenceCache::Posts() {
  absl::MutexLock lock(&mu_);
  if (!posts_.has_value() || posts_->expires < absl::Now()) return std::nullopt;
  return posts_->value;
}

void ReferenceCache::PutPosts(std::vector<relations::v1::Post> posts) {
  absl::MutexLock lock(&mu_);
  posts_ = Entry<std::vector<relations::v1::Post>>{absl::Now() + ttl_, std::move(posts)};
}

RelationsDirectory::RelationsDirectory(RelationsService::StubInterface* stub,
                                       const auth::AssertionKey* key, std::string on_behalf_of,
                                       ReferenceCache* cache)
    : stub_(stub), key_(key), on_behalf_of_(std::move(on_behalf_of)), cache_(cache) {}

void RelationsDirectory::Prepare(grpc::ClientContext* context, absl::string_view method) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  SignCall(context, *key_, "services/complaints-service", {}, on_behalf_of_,
           FullMethodName(RelationsService::service_full_name(), method));
}

absl::StatusOr<relations::v1::Person> RelationsDirectory::GetPerson(absl::string_view name) {
  grpc::ClientContext context;
  Prepare(&context, "GetPerson");
  relations::v1::GetPersonRequest request;
  request.set_name(std::string(name));
  relations::v1::Person person;
  if (auto s = FromRelations(stub_->GetPerson(&context, request, &person), "GetPerson"); !s.ok())
    return s;
  return person;
}

absl::StatusOr<relations::v1::GetManagementChainResponse> RelationsDirectory::ManagementChain(
    absl::string_view person, absl::CivilDay day) {
  grpc::ClientContext context;
  Prepare(&context, "GetManagementChain");
  relations::v1::GetManagementChainRequest request;
  request.set_person(std::string(person));
  *request.mutable_as_of() = ToProtoDate(day);
  relations::v1::GetManagementChainResponse response;
  if (auto s = FromRelations(stub_->GetManagementChain(&context, request, &response),
                             "GetManagementChain");
      !s.ok())
    return s;
  return response;
}

absl::StatusOr<relations::v1::Post> RelationsDirectory::GetPost(absl::string_view name) {
  if (cache_ != nullptr)
    if (auto cached = cache_->Post(name); cached.has_value()) return *cached;
  grpc::ClientContext context;
  Prepare(&context, "GetPost");
  relations::v1::GetPostRequest request;
  request.set_name(std::string(name));
  relations::v1::Post post;
  if (auto s = FromRelations(stub_->GetPost(&context, request, &post), "GetPost"); !s.ok())
    return s;
  if (cache_ != nullptr) cache_->PutPost(name, post);
  return post;
}

absl::StatusOr<std::vector<relations::v1::Post>> RelationsDirectory::ListPosts() {
  if (cache_ != nullptr)
    if (auto cached = cache_->Posts(); cached.has_value()) return *cached;
  std::vector<relations::v1::Post> posts;
  std::string token;
  do {
    grpc::ClientContext context;
    Prepare(&context, "ListPosts");
    relations::v1::ListPostsRequest request;
    request.set_page_size(1000);
    request.set_page_token(token);
    relations::v1::ListPostsResponse response;
    if (auto s = FromRelations(stub_->ListPosts(&context, request, &response), "ListPosts");
        !s.ok())
      return s;
    for (auto& post : *response.mutable_posts()) posts.push_back(std::move(post));
    token = response.next_page_token();
  } while (!token.empty());
  if (cache_ != nullptr) cache_->PutPosts(posts);
  return posts;
}

absl::StatusOr<relations::v1::Designation> RelationsDirectory::GetDesignation(
    absl::string_view id) {
  if (cache_ != nullptr)
    if (auto cached = cache_->Designation(id); cached.has_value()) return *cached;
  grpc::ClientContext context;
  Prepare(&context, "GetDesignation");
  relations::v1::GetDesignationRequest request;
  request.set_name(absl::StrCat("designations/", id));
  relations::v1::Designation designation;
  if (auto s = FromRelations(stub_->GetDesignation(&context, request, &designation),
                             "GetDesignation");
      !s.ok())
    return s;
  if (cache_ != nullptr) cache_->PutDesignation(id, designation);
  return designation;
}

absl::StatusOr<relations::v1::ActingHolder> RelationsDirectory::ActingHolder(
    absl::string_view id, absl::CivilDay day, const std::vector<std::string>& exclude) {
  grpc::ClientContext context;
  Prepare(&context, "GetActingHolder");
  relations::v1::GetActingHolderRequest request;
  request.set_designation(absl::StrCat("designations/", id));
  *request.mutable_as_of() = ToProtoDate(day);
  for (const auto& person : exclude) request.add_exclude_related_to(person);
  relations::v1::ActingHolder acting;
  if (auto s = FromRelations(stub_->GetActingHolder(&context, request, &acting),
                             "GetActingHolder");
      !s.ok())
    return s;
  return acting;
}

absl::StatusOr<relations::v1::CheckConflictResponse> RelationsDirectory::HandlingConflict(
    absl::string_view person, absl::string_view other, absl::CivilDay day) {
  grpc::ClientContext context;
  Prepare(&context, "CheckConflict");
  relations::v1::CheckConflictRequest request;
  request.set_person(std::string(person));
  request.set_setting(relations::v1::CONFLICT_SETTING_HANDLING);
  request.set_other_person(std::string(other));
  *request.mutable_as_of() = ToProtoDate(day);
  relations::v1::CheckConflictResponse response;
  if (auto s = FromRelations(stub_->CheckConflict(&context, request, &response), "CheckConflict");
      !s.ok())
    return s;
  return response;
}

absl::StatusOr<relations::v1::PartyGroup> RelationsDirectory::GetPartyGroup(
    absl::string_view name) {
  std::optional<std::vector<relations::v1::PartyGroup>> groups;
  if (cache_ != nullptr) groups = cache_->Groups();
  if (!groups.has_value()) {
    groups.emplace();
    std::string token;
    do {
      grpc::ClientContext context;
      Prepare(&context, "ListPartyGroups");
      relations::v1::ListPartyGroupsRequest request;
      request.set_page_size(1000);
      request.set_page_token(token);
      relations::v1::ListPartyGroupsResponse response;
      if (auto s = FromRelations(stub_->ListPartyGroups(&context, request, &response),
                                 "ListPartyGroups");
          !s.ok())
        return s;
      for (auto& group : *response.mutable_party_groups()) groups->push_back(std::move(group));
      token = response.next_page_token();
    } while (!token.empty());
    if (cache_ != nullptr) cache_->PutGroups(*groups);
  }
  for (const auto& group : *groups)
    if (group.name() == name) return group;
  return absl::NotFoundError(absl::StrCat(name, " is not in the directory"));
}

absl::StatusOr<std::vector<relations::v1::Membership>> RelationsDirectory::BodyMemberships(
    absl::string_view body, absl::CivilDay day) {
  std::vector<relations::v1::Membership> memberships;
  std::string token;
  do {
    grpc::ClientContext context;
    Prepare(&context, "ListMemberships");
    relations::v1::ListMembershipsRequest request;
    request.set_parent(std::string(body));
    *request.mutable_as_of() = ToProtoDate(day);
    request.set_page_size(1000);
    request.set_page_token(token);
    relations::v1::ListMembershipsResponse response;
    if (auto s = FromRelations(stub_->ListMemberships(&context, request, &response),
                               "ListMemberships");
        !s.ok())
      return s;
    for (auto& m : *response.mutable_memberships()) memberships.push_back(std::move(m));
    token = response.next_page_token();
  } while (!token.empty());
  return memberships;
}

}  // namespace council::complaints
