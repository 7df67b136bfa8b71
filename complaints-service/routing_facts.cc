#include "complaints-service/routing_facts.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/util/resource_names.h"

namespace council::complaints {
namespace {

bool InForce(const common::v1::Date* start, const common::v1::Date* end, absl::CivilDay day) {
  if (start != nullptr && start->year() != 0) {
    auto s = ToCivilDay(*start, "start");
    if (s.ok() && *s > day) return false;
  }
  if (end != nullptr && end->year() != 0) {
    auto e = ToCivilDay(*end, "end");
    if (e.ok() && *e < day) return false;
  }
  return true;
}

// "Nobody can act" and "not in the directory" are facts; anything else is an
// outage the caller must see.
bool IsAbsence(const absl::Status& status) {
  return absl::IsNotFound(status) || absl::IsFailedPrecondition(status) ||
         absl::IsInvalidArgument(status);
}

PostFacts FromLink(const relations::v1::ChainLink& link) {
  PostFacts post;
  post.post = link.post();
  post.title = link.title();
  post.holder = link.holder();
  return post;
}

absl::Status FillHeadOfServiceFlags(Directory& directory, ChainFacts* chain) {
  std::vector<PostFacts*> posts = {&chain->own};
  for (auto& post : chain->above) posts.push_back(&post);
  for (PostFacts* post : posts) {
    if (post->post.empty()) continue;
    auto found = directory.GetPost(post->post);
    if (!found.ok()) {
      if (IsAbsence(found.status())) continue;
      return found.status();
    }
    post->head_of_service = found->head_of_service();
    post->chief_officer = post->chief_officer || found->chief_officer();
    if (post->head_of_service) break;  // the nearest head of service is enough
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ChainFacts>> ChainOf(Directory& directory, absl::string_view person,
                                                  absl::CivilDay day) {
  auto chain = directory.ManagementChain(person, day);
  if (!chain.ok()) {
    if (IsAbsence(chain.status())) return std::optional<ChainFacts>();
    return chain.status();
  }
  if (chain->post().post().empty()) return std::optional<ChainFacts>();
  return std::optional<ChainFacts>(ChainFromResponse(*chain));
}

absl::StatusOr<std::optional<GroupFacts>> GroupOf(Directory& directory, absl::string_view group) {
  if (group.empty()) return std::optional<GroupFacts>();
  auto found = directory.GetPartyGroup(group);
  if (!found.ok()) {
    if (IsAbsence(found.status())) return std::optional<GroupFacts>();
    return found.status();
  }
  GroupFacts facts;
  facts.name = found->name();
  facts.leader = found->leader();
  facts.deputy_leader = found->deputy_leader();
  facts.whip = found->whip();
  return std::optional<GroupFacts>(facts);
}

PersonFacts FromPerson(const relations::v1::Person& person) {
  PersonFacts facts;
  facts.name = person.name();
  facts.kind = person.kind();
  facts.party_group = person.party_group();
  return facts;
}

}  // namespace

std::string HolderOn(const google::protobuf::RepeatedPtrField<relations::v1::Tenure>& tenures,
                     absl::CivilDay day) {
  for (const auto& tenure : tenures)
    if (InForce(tenure.has_start_date() ? &tenure.start_date() : nullptr,
                tenure.has_end_date() ? &tenure.end_date() : nullptr, day))
      return tenure.person();
  return "";
}

// Each holder in a chain is managed by the next holder up: record it, so a
// handler found in a chain needs no further lookup for their manager.
static void NoteManagers(const std::optional<ChainFacts>& chain, RoutingFacts* facts) {
  if (!chain.has_value()) return;
  std::vector<const PostFacts*> posts = {&chain->own};
  for (const auto& post : chain->above) posts.push_back(&post);
  for (size_t i = 0; i < posts.size(); ++i) {
    if (posts[i]->holder.empty() || facts->managers.contains(posts[i]->holder)) continue;
    std::string manager;
    for (size_t j = i + 1; j < posts.size() && manager.empty(); ++j) manager = posts[j]->holder;
    facts->managers[posts[i]->holder] = manager;
  }
}

ChainFacts ChainFromResponse(const relations::v1::GetManagementChainResponse& response) {
  ChainFacts chain;
  chain.own = FromLink(response.post());
  for (const auto& link : response.chain()) chain.above.push_back(FromLink(link));
  const std::string& chief = response.chief_officer().post();
  if (!chief.empty()) {
    if (chain.own.post == chief) chain.own.chief_officer = true;
    for (auto& post : chain.above)
      if (post.post == chief) post.chief_officer = true;
  }
  return chain;
}

std::optional<ChainFacts> ServiceChainFromPosts(const std::vector<relations::v1::Post>& posts,
                                                absl::string_view service, absl::CivilDay day) {
  absl::flat_hash_map<std::string, const relations::v1::Post*> by_name;
  for (const auto& post : posts) by_name[post.name()] = &post;
  auto depth = [&](const relations::v1::Post* post) {
    int d = 0;
    while (post != nullptr && !post->reports_to().empty() && d < 100) {
      auto it = by_name.find(post->reports_to());
      post = it == by_name.end() ? nullptr : it->second;
      ++d;
    }
    return d;
  };
  const relations::v1::Post* best = nullptr;
  auto rank = [&](const relations::v1::Post* post) {
    // Prefer the head of service, then the chief officer, then the highest.
    return std::make_tuple(post->head_of_service() ? 0 : post->chief_officer() ? 1 : 2,
                           depth(post), post->name());
  };
  for (const auto& post : posts)
    if (post.service() == service && (best == nullptr || rank(&post) < rank(best))) best = &post;
  if (best == nullptr) return std::nullopt;
  auto facts_of = [&](const relations::v1::Post* post) {
    PostFacts facts;
    facts.post = post->name();
    facts.title = post->title();
    facts.holder = HolderOn(post->tenures(), day);
    facts.head_of_service = post->head_of_service();
    facts.chief_officer = post->chief_officer();
    return facts;
  };
  ChainFacts chain;
  chain.own = facts_of(best);
  const relations::v1::Post* post = best;
  for (int guard = 0; guard < 100 && !post->reports_to().empty(); ++guard) {
    auto it = by_name.find(post->reports_to());
    if (it == by_name.end()) break;
    post = it->second;
    chain.above.push_back(facts_of(post));
  }
  return chain;
}

absl::StatusOr<RoutingFacts> GatherPartyFacts(
    Directory& directory, const profile::v1::CouncilProfile& profile,
    absl::string_view complainant, absl::string_view subject, absl::CivilDay as_of,
    std::optional<relations::v1::PersonKind> complainant_kind) {
  RoutingFacts facts;
  facts.as_of = as_of;
  facts.subject = std::string(subject);
  if (complainant_kind.has_value()) {
    facts.complainant.name = std::string(complainant);
    facts.complainant.kind = *complainant_kind;
    facts.complainant_complete = false;
  } else {
    auto filer = directory.GetPerson(complainant);
    if (!filer.ok()) {
      if (absl::IsNotFound(filer.status()))
        return absl::FailedPreconditionError(
            absl::StrCat("the complainant ", complainant, " is not in the directory"));
      return filer.status();
    }
    facts.complainant = FromPerson(*filer);
  }
  if (absl::StartsWith(subject, "services/")) return facts;

  auto person = directory.GetPerson(subject);
  if (!person.ok()) {
    if (absl::IsNotFound(person.status()))
      return absl::NotFoundError(absl::StrCat(subject, " is not in the directory"));
    return person.status();
  }
  facts.subject_person = FromPerson(*person);
  if (!IsOfficerSide(person->kind())) return facts;

  // Designations the subject holds, for classification and breach routing.
  std::vector<std::string> ids = {"head-of-paid-service"};
  const auto& rules = profile.complaints();
  if (rules.has_senior_officers()) {
    for (const auto& id : rules.senior_officers().designation_ids()) ids.push_back(id);
  } else {
    ids.push_back("monitoring-officer");
    ids.push_back("chief-finance-officer");
  }
  for (const auto& id : ids) {
    auto designation = directory.GetDesignation(id);
    if (!designation.ok()) {
      if (IsAbsence(designation.status())) continue;
      return designation.status();
    }
    if (HolderOn(designation->tenures(), as_of) == subject)
      facts.subject_designations.push_back(id);
  }
  auto chain = ChainOf(directory, subject, as_of);
  if (!chain.ok()) return chain.status();
  facts.subject_chain = *chain;
  NoteManagers(facts.subject_chain, &facts);
  if (facts.subject_chain.has_value() && rules.senior_officers().head_of_service_posts()) {
    ChainFacts own_only;
    own_only.own = facts.subject_chain->own;
    if (auto s = FillHeadOfServiceFlags(directory, &own_only); !s.ok()) return s;
    facts.subject_chain->own.head_of_service = own_only.own.head_of_service;
  }
  return facts;
}

absl::Status GatherNeeds(Directory& directory, const profile::v1::CouncilProfile& profile,
                         const FactNeeds& needs, RoutingFacts* facts) {
  (void)profile;
  const absl::CivilDay day = facts->as_of;
  const bool service_subject = absl::StartsWith(facts->subject, "services/");
  if (needs.complainant_chain && !facts->complainant_chain.has_value() &&
      IsOfficerSide(facts->complainant.kind)) {
    auto chain = ChainOf(directory, facts->complainant.name, day);
    if (!chain.ok()) return chain.status();
    facts->complainant_chain = *chain;
    NoteManagers(facts->complainant_chain, facts);
  }
  if (needs.subject_chain && !service_subject && !facts->subject_chain.has_value() &&
      facts->subject_person.has_value() && IsOfficerSide(facts->subject_person->kind)) {
    auto chain = ChainOf(directory, facts->subject, day);
    if (!chain.ok()) return chain.status();
    facts->subject_chain = *chain;
    NoteManagers(facts->subject_chain, facts);
  }
  if (needs.head_of_service_flags && facts->subject_chain.has_value())
    if (auto s = FillHeadOfServiceFlags(directory, &*facts->subject_chain); !s.ok()) return s;
  if (needs.service_chain && service_subject && !facts->service_chain.has_value()) {
    auto posts = directory.ListPosts();
    if (!posts.ok()) return posts.status();
    facts->service_chain =
        ServiceChainFromPosts(*posts, facts->subject.substr(std::string("services/").size()), day);
    NoteManagers(facts->service_chain, facts);
  }
  if (needs.complainant_group && !facts->complainant_complete) {
    auto filer = directory.GetPerson(facts->complainant.name);
    if (!filer.ok()) return filer.status();
    facts->complainant = FromPerson(*filer);
    facts->complainant_complete = true;
  }
  if (needs.complainant_group && !facts->complainant_group.has_value()) {
    auto group = GroupOf(directory, facts->complainant.party_group);
    if (!group.ok()) return group.status();
    facts->complainant_group = *group;
  }
  if (needs.subject_group && !facts->subject_group.has_value() &&
      facts->subject_person.has_value()) {
    auto group = GroupOf(directory, facts->subject_person->party_group);
    if (!group.ok()) return group.status();
    facts->subject_group = *group;
  }
  const std::vector<std::string> parties = Parties(*facts);
  for (const auto& id : needs.designations) {
    if (facts->acting.contains(id)) continue;
    ActingFacts acting;
    auto holder = directory.ActingHolder(id, day, parties);
    if (holder.ok()) {
      acting.person = holder->person();
      std::string designation = holder->designation();
      if (absl::StartsWith(designation, "designations/"))
        designation = designation.substr(std::string("designations/").size());
      acting.designation = designation;
      acting.reasons.assign(holder->reasons().begin(), holder->reasons().end());
      acting.passed_over.assign(holder->passed_over().begin(), holder->passed_over().end());
    } else if (IsAbsence(holder.status())) {
      acting.status = holder.status();
    } else {
      return holder.status();
    }
    facts->acting[id] = std::move(acting);
  }
  for (const auto& body : needs.bodies) {
    if (facts->body_chairs.contains(body)) continue;
    auto memberships = directory.BodyMemberships(body, day);
    std::vector<std::string> chairs;
    if (memberships.ok()) {
      for (const auto& m : *memberships)
        if (m.role() == relations::v1::MEMBERSHIP_ROLE_CHAIR) chairs.push_back(m.person());
      for (const auto& m : *memberships)
        if (m.role() == relations::v1::MEMBERSHIP_ROLE_VICE_CHAIR) chairs.push_back(m.person());
    } else if (!IsAbsence(memberships.status())) {
      return memberships.status();
    }
    facts->body_chairs[body] = std::move(chairs);
  }
  return absl::OkStatus();
}

namespace {

absl::Status FetchMissing(Directory& directory, const StageAssignment& a, RoutingFacts* facts) {
  for (const auto& [person, other] : a.need_conflicts) {
    const std::string key = ConflictKey(person, other);
    if (facts->conflicts.contains(key)) continue;
    auto conflict = directory.HandlingConflict(person, other, facts->as_of);
    if (!conflict.ok()) return conflict.status();
    ConflictFacts c;
    c.conflicted = conflict->conflicted();
    c.relationships.assign(conflict->relationships().begin(), conflict->relationships().end());
    c.reasons.assign(conflict->reasons().begin(), conflict->reasons().end());
    facts->conflicts[key] = std::move(c);
  }
  for (const auto& person : a.need_managers) {
    if (facts->managers.contains(person)) continue;
    auto chain = ChainOf(directory, person, facts->as_of);
    if (!chain.ok()) return chain.status();
    std::string manager;
    if (chain->has_value())
      for (const auto& post : (*chain)->above)
        if (!post.holder.empty()) {
          manager = post.holder;
          break;
        }
    facts->managers[person] = manager;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StageAssignment> ResolveStage(Directory& directory,
                                             const profile::v1::CouncilProfile& profile,
                                             const profile::v1::ComplaintRoute& route,
                                             int stage_index, RoutingFacts* facts,
                                             const StageOptions& options) {
  if (auto s = GatherNeeds(directory, profile, NeedsFor(route, stage_index, options), facts);
      !s.ok())
    return s;
  for (int round = 0; round < 64; ++round) {
    StageAssignment a = AssignStage(profile, route, stage_index, *facts, options);
    if (a.need_conflicts.empty() && a.need_managers.empty()) return a;
    if (auto s = FetchMissing(directory, a, facts); !s.ok()) return s;
  }
  return absl::InternalError("routing did not settle");
}

absl::StatusOr<StageAssignment> ResolveHandler(Directory& directory,
                                               const profile::v1::CouncilProfile& profile,
                                               const profile::v1::HandlerRef& handler,
                                               const std::vector<std::string>& parties,
                                               const common::v1::ClauseCitation& clause,
                                               RoutingFacts* facts) {
  if (auto s = GatherNeeds(directory, profile, NeedsForHandler(handler), facts); !s.ok()) return s;
  for (int round = 0; round < 64; ++round) {
    StageAssignment a = AssignHandler(handler, *facts, parties, clause);
    if (a.need_conflicts.empty() && a.need_managers.empty()) return a;
    if (auto s = FetchMissing(directory, a, facts); !s.ok()) return s;
  }
  return absl::InternalError("routing did not settle");
}

}  // namespace council::complaints
