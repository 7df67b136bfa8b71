// routing_facts.h — gathers the directory facts routing needs, as of one day.
//
// routing.h decides from facts alone; this file asks a `Directory` for them,
// and only for what the stage at hand needs (`NeedsFor`): the parties first,
// then chains, groups, acting holders and chairs, then conflict checks for
// would-be handlers in order until one is eligible.
//
//   RelationsDirectory directory(stub, &key, caller);
//   auto facts = GatherPartyFacts(directory, profile, caller, "people/off-x", day);
//   auto assignment = ResolveStage(directory, profile, route, 0, &*facts);
#ifndef COUNCIL_COMPLAINTS_SERVICE_ROUTING_FACTS_H_
#define COUNCIL_COMPLAINTS_SERVICE_ROUTING_FACTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints-service/directory.h"
#include "complaints-service/routing.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints {

// GatherPartyFacts
//
// Looks up the complainant and the subject (a person, or "services/{id}"),
// the designations the subject holds and, for an officer, their management
// chain: enough to classify the complaint. NOT_FOUND (message naming the
// person) if the subject is not in the directory; UNAVAILABLE if
// relations-service cannot answer.
//
// `complainant_kind`, when given (the gateway's roles for the caller), saves
// looking the complainant up; their party group is then fetched only if a
// stage needs it.
absl::StatusOr<RoutingFacts> GatherPartyFacts(
    Directory& directory, const profile::v1::CouncilProfile& profile,
    absl::string_view complainant, absl::string_view subject, absl::CivilDay as_of,
    std::optional<relations::v1::PersonKind> complainant_kind = std::nullopt);

// GatherNeeds
//
// Adds to `facts` what `needs` asks for that it does not have yet.
absl::Status GatherNeeds(Directory& directory, const profile::v1::CouncilProfile& profile,
                         const FactNeeds& needs, RoutingFacts* facts);

// ResolveStage
//
// Gathers what stage `stage_index` needs and assigns it, checking conflicts
// for would-be handlers in order until one is eligible. The returned
// assignment's `error` is FAILED_PRECONDITION when nobody eligible can handle
// the stage; the status is not OK only when the directory cannot answer.
absl::StatusOr<StageAssignment> ResolveStage(Directory& directory,
                                             const profile::v1::CouncilProfile& profile,
                                             const profile::v1::ComplaintRoute& route,
                                             int stage_index, RoutingFacts* facts,
                                             const StageOptions& options = {});

// ResolveHandler
//
// The same for one handler reference (a breach route's), with `parties`.
absl::StatusOr<StageAssignment> ResolveHandler(Directory& directory,
                                               const profile::v1::CouncilProfile& profile,
                                               const profile::v1::HandlerRef& handler,
                                               const std::vector<std::string>& parties,
                                               const common::v1::ClauseCitation& clause,
                                               RoutingFacts* facts);

// HolderOn
//
// The person holding `tenures` on `day`, or empty.
std::string HolderOn(const google::protobuf::RepeatedPtrField<relations::v1::Tenure>& tenures,
                     absl::CivilDay day);

// ServiceChainFromPosts
//
// The chain for casework about `service` (a service id): the service's head
// of service post (or its chief officer post, or else its post nearest the
// top), then every post above it, with holders on `day`. Empty if no post
// belongs to the service.
std::optional<ChainFacts> ServiceChainFromPosts(const std::vector<relations::v1::Post>& posts,
                                                absl::string_view service, absl::CivilDay day);

// ChainFromResponse
//
// Converts relations-service's management chain, marking the chief officer's
// post.
ChainFacts ChainFromResponse(const relations::v1::GetManagementChainResponse& response);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_ROUTING_FACTS_H_
