// relations_facts.h — everything access-service needs to know from
// relations-service, asked once per request (or listing) and cached briefly.
//
// The decision engine is a pure function, so all facts about the requester
// are gathered before it runs: the person (kind, ward, group), their seats in
// force, the portfolios they hold and the matters of their declared interests
// (the full register, which relations-service gives to access-service). The
// four calls go out in parallel, signed as "services/access-service" acting
// for the requester:
//
//   RelationsFacts relations(channel, key, absl::Seconds(2));
//   absl::StatusOr<RelationsFacts::Requester> requester =
//       relations.Lookup("people/cllr-ada-okafor", TodayInLondon());
//
// Answers are cached for `ttl` per (person, day), like the gateway's role
// cache, so a burst of decisions for one member asks relations-service once;
// so are acting holders of the dispute decider's designation per (requester,
// day). A ttl of zero disables the cache.
//
// Refresh ahead: once a requester's answer (or an acting holder) is older than `ttl` but not yet
// twice that, Lookup still returns it and has a background thread ask
// relations-service again, so a decision never waits for relations-service
// for a member it has seen recently (that wait, on one of gRPC's two callback
// threads, was the tail of the decision latency). Facts are thus at most
// 2 x `ttl` old, plus one refresh; past that, Lookup asks and waits as before.
#ifndef COUNCIL_ACCESS_SERVICE_RELATIONS_FACTS_H_
#define COUNCIL_ACCESS_SERVICE_RELATIONS_FACTS_H_

#include <memory>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "access-service/decision_engine.h"
#include "common/auth/internal_assertion.h"
#include "council/relations/v1/relations_service.grpc.pb.h"

namespace council::access {

// Names of directory records by collection ("people/…", "bodies/…",
// "wards/…", "portfolios/…", "groups/…"): those a document import refers to,
// or those of them the directory knows.
struct DirectoryNames {
  absl::flat_hash_set<std::string> people, bodies, wards, portfolios, groups;
};

class RelationsFacts {
 public:
  // A requester as the directory knows them on a day.
  struct Requester {
    std::shared_ptr<const RequesterFacts> facts;
    relations::v1::PersonKind kind = relations::v1::PERSON_KIND_UNSPECIFIED;
  };

  // Who decides a dispute, and why.
  struct Decider {
    // `people/{person}`.
    std::string person;
    // `people/{person}` whose advice they take first; empty if nobody's.
    std::string advised_by;
    std::vector<common::v1::DecisionReason> reasons;
  };

  RelationsFacts(std::shared_ptr<grpc::Channel> channel, auth::AssertionKey key,
                 absl::Duration ttl);

  // Lookup
  //
  // The facts about `person` as of `day`. NOT_FOUND if the directory does not
  // know them; UNAVAILABLE if relations-service cannot answer.
  absl::StatusOr<Requester> Lookup(const std::string& person, absl::CivilDay day);

  // Known
  //
  // Which of `referenced` the directory holds, asked for `on_behalf_of` (the
  // caller importing documents): each non-empty collection is listed in full
  // (every page), never cached, so an import checks against today's
  // directory. UNAVAILABLE if relations-service cannot answer.
  absl::StatusOr<DirectoryNames> Known(const std::string& on_behalf_of,
                                       const DirectoryNames& referenced);

  // ResolveDecider
  //
  // The person who decides a dispute of `requester`'s request for `document`
  // under `rules`: the acting holder of the decider designation that day (a
  // deputy if the holder is related to the requester), or the chief officer
  // holding the document. FAILED_PRECONDITION (with the clause) if nobody can
  // be found.
  absl::StatusOr<Decider> ResolveDecider(const profile::v1::DocumentAccessRules& rules,
                                         const v1::Document& document,
                                         const std::string& requester, absl::CivilDay day);

  // Stops the refresh thread.
  ~RelationsFacts();

 private:
  absl::StatusOr<Requester> Fetch(const std::string& person, absl::CivilDay day);
  // Fetches `key`'s answer and caches it (the refresh thread's work).
  void Store(const std::string& key, const absl::StatusOr<Requester>& fetched, absl::Time now);
  void RefreshLoop();
  absl::StatusOr<relations::v1::ActingHolder> ActingHolder(const std::string& designation,
                                                           const std::string& requester,
                                                           absl::CivilDay day);
  absl::StatusOr<relations::v1::ActingHolder> FetchActingHolder(const std::string& designation,
                                                                const std::string& requester,
                                                                absl::CivilDay day);
  void StoreHolder(const std::string& key,
                   const absl::StatusOr<relations::v1::ActingHolder>& fetched, absl::Time now);

  std::unique_ptr<relations::v1::RelationsService::Stub> stub_;
  auth::AssertionKey key_;
  absl::Duration ttl_;

  struct Cached {
    Requester requester;
    absl::Time expires_at;
  };
  struct CachedHolder {
    relations::v1::ActingHolder holder;
    absl::Time expires_at;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
  // Cached answers being refreshed in the background: the refresh, by key.
  absl::flat_hash_map<std::string, std::function<void()>> to_refresh_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread refresher_;
  // Acting holders by (designation, requester, day), for the same ttl.
  absl::flat_hash_map<std::string, CachedHolder> holders_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_RELATIONS_FACTS_H_
