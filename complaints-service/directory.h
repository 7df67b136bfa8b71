// directory.h — what complaints-service asks relations-service, as an interface.
//
// Routing needs a handful of facts about the people involved on the filing
// date: who they are, who manages them, who holds a designation (or deputises
// for it), which party group leads and whips they answer to, who chairs a body,
// and whether a would-be handler has a declared relationship with a party.
// `Directory` is that question list; `RelationsDirectory` answers it over gRPC
// (signing each call as complaints-service acting for the caller), and tests
// answer it from tables:
//
//   RelationsDirectory directory(channel, key, "people/cllr-ada-okafor");
//   absl::StatusOr<relations::v1::Person> person = directory.GetPerson("people/off-x");
//
// Errors: NOT_FOUND for a name that does not exist; UNAVAILABLE when
// relations-service cannot answer (including methods it does not implement
// yet), so callers can tell "no such person" from "ask again later".
#ifndef COUNCIL_COMPLAINTS_SERVICE_DIRECTORY_H_
#define COUNCIL_COMPLAINTS_SERVICE_DIRECTORY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/auth/internal_assertion.h"
#include "council/relations/v1/relations_service.grpc.pb.h"

namespace council::complaints {

class Directory {
 public:
  virtual ~Directory() = default;

  // GetPerson
  //
  // Returns the person `name` ("people/{id}"), including people who have left.
  virtual absl::StatusOr<relations::v1::Person> GetPerson(absl::string_view name) = 0;

  // ManagementChain
  //
  // Returns the officer's post and the posts above it on `day`, line manager
  // first, holders as on that day (empty holder = vacant).
  virtual absl::StatusOr<relations::v1::GetManagementChainResponse> ManagementChain(
      absl::string_view person, absl::CivilDay day) = 0;

  // GetPost
  //
  // Returns the post `name` ("posts/{id}") with its flags and tenures.
  virtual absl::StatusOr<relations::v1::Post> GetPost(absl::string_view name) = 0;

  // ListPosts
  //
  // Returns every post (all pages).
  virtual absl::StatusOr<std::vector<relations::v1::Post>> ListPosts() = 0;

  // GetDesignation
  //
  // Returns the designation `id` (the profile's id, without "designations/")
  // with its holders over time; NOT_FOUND if the directory has none.
  virtual absl::StatusOr<relations::v1::Designation> GetDesignation(absl::string_view id) = 0;

  // ActingHolder
  //
  // Returns who acts as designation `id` on `day`: the holder, or a deputy by
  // the profile's chain when the holder is absent, is one of `exclude`, or has
  // a declared relationship with one of them. NOT_FOUND or
  // FAILED_PRECONDITION if nobody can act.
  virtual absl::StatusOr<relations::v1::ActingHolder> ActingHolder(
      absl::string_view id, absl::CivilDay day, const std::vector<std::string>& exclude) = 0;

  // HandlingConflict
  //
  // Returns whether `person` may not handle a matter about `other` on `day`
  // (the same person, or a declared relationship in force).
  virtual absl::StatusOr<relations::v1::CheckConflictResponse> HandlingConflict(
      absl::string_view person, absl::string_view other, absl::CivilDay day) = 0;

  // GetPartyGroup
  //
  // Returns the party group `name` ("groups/{id}") with its leader and whip.
  virtual absl::StatusOr<relations::v1::PartyGroup> GetPartyGroup(absl::string_view name) = 0;

  // BodyMemberships
  //
  // Returns the memberships of `body` ("bodies/{id}") in force on `day`.
  virtual absl::StatusOr<std::vector<relations::v1::Membership>> BodyMemberships(
      absl::string_view body, absl::CivilDay day) = 0;
};

// ReferenceCache
//
// Short-lived copies of the directory's slow-changing reference data
// (designations with their tenures, party groups, posts), shared by every
// request, so filing a complaint does not ask relations-service the same
// question each time. Entries expire after `ttl` (the gateway caches roles
// for 30 s on the same reasoning); tenures are kept whole, so answers "as of"
// a date stay exact and only a change made in the last `ttl` can be missed.
// People, management chains and conflicts are never cached. Thread-safe.
class ReferenceCache {
 public:
  explicit ReferenceCache(absl::Duration ttl = absl::Seconds(30)) : ttl_(ttl) {}

  std::optional<relations::v1::Designation> Designation(absl::string_view id);
  void PutDesignation(absl::string_view id, const relations::v1::Designation& designation);
  std::optional<std::vector<relations::v1::PartyGroup>> Groups();
  void PutGroups(std::vector<relations::v1::PartyGroup> groups);
  std::optional<relations::v1::Post> Post(absl::string_view name);
  void PutPost(absl::string_view name, const relations::v1::Post& post);
  std::optional<std::vector<relations::v1::Post>> Posts();
  void PutPosts(std::vector<relations::v1::Post> posts);

 private:
  template <typename T>
  struct Entry {
    absl::Time expires;
    T value;
  };
  absl::Duration ttl_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry<relations::v1::Designation>> designations_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Entry<relations::v1::Post>> post_by_name_ ABSL_GUARDED_BY(mu_);
  std::optional<Entry<std::vector<relations::v1::PartyGroup>>> groups_ ABSL_GUARDED_BY(mu_);
  std::optional<Entry<std::vector<relations::v1::Post>>> posts_ ABSL_GUARDED_BY(mu_);
};

// RelationsDirectory
//
// Answers through relations-service. Each call carries an internal assertion
// from "services/complaints-service" acting for `on_behalf_of` (empty for the
// sweeper) and a 5-second deadline. Not thread-safe in its small caches: use
// one per request.
class RelationsDirectory final : public Directory {
 public:
  RelationsDirectory(relations::v1::RelationsService::StubInterface* stub,
                     const auth::AssertionKey* key, std::string on_behalf_of,
                     ReferenceCache* cache = nullptr);

  absl::StatusOr<relations::v1::Person> GetPerson(absl::string_view name) override;
  absl::StatusOr<relations::v1::GetManagementChainResponse> ManagementChain(
      absl::string_view person, absl::CivilDay day) override;
  absl::StatusOr<relations::v1::Post> GetPost(absl::string_view name) override;
  absl::StatusOr<std::vector<relations::v1::Post>> ListPosts() override;
  absl::StatusOr<relations::v1::Designation> GetDesignation(absl::string_view id) override;
  absl::StatusOr<relations::v1::ActingHolder> ActingHolder(
      absl::string_view id, absl::CivilDay day, const std::vector<std::string>& exclude) override;
  absl::StatusOr<relations::v1::CheckConflictResponse> HandlingConflict(
      absl::string_view person, absl::string_view other, absl::CivilDay day) override;
  absl::StatusOr<relations::v1::PartyGroup> GetPartyGroup(absl::string_view name) override;
  absl::StatusOr<std::vector<relations::v1::Membership>> BodyMemberships(
      absl::string_view body, absl::CivilDay day) override;

 private:
  // Prepares `context` for `method` of RelationsService.
  void Prepare(grpc::ClientContext* context, absl::string_view method) const;

  relations::v1::RelationsService::StubInterface* stub_;
  const auth::AssertionKey* key_;
  std::string on_behalf_of_;
  ReferenceCache* cache_;
};

// FromRelations
//
// Maps a relations-service status: NOT_FOUND keeps its message; anything else
// becomes UNAVAILABLE "relations-service <method>: ...".
absl::Status FromRelations(const grpc::Status& status, absl::string_view method);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_DIRECTORY_H_
