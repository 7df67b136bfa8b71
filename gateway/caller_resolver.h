// caller_resolver.h — from a bearer token to a verified caller with roles.
//
// Verifies the JWT (signature, exp/nbf, iss, aud) and asks relations-service
// who the subject is and which roles the directory gives them. Both results
// are cached briefly (tokens until their expiry, roles for `role_ttl`), so the
// hot path is a hash lookup; the cache is per gateway process. With
// StartWatchingDirectory, relations-service's change stream empties the cache
// as soon as the directory changes (a leaver, a new designation), so `role_ttl`
// only bounds staleness while that stream is down.
#ifndef COUNCIL_GATEWAY_CALLER_RESOLVER_H_
#define COUNCIL_GATEWAY_CALLER_RESOLVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_verifier.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gateway/directory_watch.h"

namespace council::gateway {

// A verified person and their roles.
struct ResolvedCaller {
  std::string person;
  std::vector<std::string> roles;
};

class CallerResolver {
 public:
  using Callback = std::function<void(absl::StatusOr<ResolvedCaller>)>;

  CallerResolver(std::shared_ptr<const auth::JwtVerifier> verifier,
                 std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
                 absl::Duration role_ttl = absl::Seconds(30));
  ~CallerResolver();

  // StartWatchingDirectory
  //
  // Holds relations-service's WatchDirectoryChanges stream open on `cq`
  // (reconnecting every second while it is down) and forgets every cached
  // caller on each notice. See directory_watch.h.
  void StartWatchingDirectory(grpc::CompletionQueue* cq);

  // StopWatchingDirectory
  //
  // Cancels the watch; its last events still complete on its queue, which
  // must be drained before this resolver is destroyed.
  void StopWatchingDirectory();

  // ForgetCachedCallers
  //
  // Empties the cache; lookups already in flight are not cached either.
  void ForgetCachedCallers();

  // ReplaceVerifier
  //
  // Swaps in a verifier with new keys (SIGHUP after a JWKS rotation). Calls in
  // flight finish with the verifier they started with; the token cache is
  // cleared, so a withdrawn key stops working at once.
  void ReplaceVerifier(std::shared_ptr<const auth::JwtVerifier> verifier);

  // Resolve
  //
  // Verifies `bearer_token` and calls `done` with the caller, or with
  // UNAUTHENTICATED (bad token, unknown or departed person) or UNAVAILABLE
  // (relations-service unreachable). `done` runs before Resolve returns when
  // no lookup is needed (a cached or a bad token); otherwise the lookup at
  // relations-service is made on `cq` and `done` runs on the thread that
  // drains it.
  void Resolve(absl::string_view bearer_token, grpc::CompletionQueue* cq, Callback done);

 private:
  class Lookup;
  struct CachedCaller {
    ResolvedCaller caller;
    absl::Time expires_at;
  };
  // Caches `caller` for `token` unless the verifier was replaced since
  // `generation` was read (the token was verified with withdrawn keys).
  // Ends `lookup`: caches and passes on its answer.
  void Finish(Lookup& lookup);
  void Remember(const std::string& token, const ResolvedCaller& caller, absl::Time token_expiry,
                uint64_t generation);

  absl::Mutex verifier_mu_;
  std::shared_ptr<const auth::JwtVerifier> verifier_ ABSL_GUARDED_BY(verifier_mu_);
  std::unique_ptr<relations::v1::RelationsService::Stub> relations_;
  auth::AssertionKey key_;
  absl::Duration role_ttl_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, CachedCaller> cache_ ABSL_GUARDED_BY(mu_);
  // Incremented by ReplaceVerifier and ForgetCachedCallers.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;

  DirectoryWatch watch_;
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_CALLER_RESOLVER_H_
