#include "gateway/caller_resolver.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "grpcpp/channel.h"
#include "absl/time/clock.h"
#include "common/server/caller.h"
#include "common/server/log.h"
#include "common/errors/bounded_status.h"
#include "common/util/resource_names.h"

namespace council::gateway {
namespace {
constexpr size_t kMaxCachedTokens = 100000;
}  // namespace

CallerResolver::CallerResolver(std::shared_ptr<const auth::JwtVerifier> verifier,
                               std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key,
                               absl::Duration role_ttl)
    : verifier_(std::move(verifier)),
      relations_(relations::v1::RelationsService::NewStub(relations)),
      key_(std::move(key)),
      role_ttl_(role_ttl),
      watch_(relations_.get(), key_, [this] { ForgetCachedCallers(); }) {}

void CallerResolver::Remember(const std::string& token, const ResolvedCaller& caller,
                              absl::Time token_expiry, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  // Keys were rotated while this token's roles were looked up: the call may
  // finish, but the token must be verified again with the new keys.
  if (generation != generation_) return;
  // A crude bound: forget everything rather than grow without limit.
  if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  cache_[token] = CachedCaller{caller, std::min(token_expiry, absl::Now() + role_ttl_)};
}

void CallerResolver::ReplaceVerifier(std::shared_ptr<const auth::JwtVerifier> verifier) {
  {
    absl::MutexLock lock(&verifier_mu_);
    verifier_ = std::move(verifier);
  }
  // A rotation may have withdrawn a key: tokens cached under it must be
  // verified again.
  ForgetCachedCallers();
}

void CallerResolver::ForgetCachedCallers() {
  absl::MutexLock lock(&mu_);
  cache_.clear();
  ++generation_;
}

CallerResolver::~CallerResolver() = default;

void CallerResolver::StartWatchingDirectory(grpc::CompletionQueue* cq) { watch_.Start(cq); }

void CallerResolver::StopWatchingDirectory() { watch_.Stop(); }

// One role lookup at relations-service, in flight on a completion queue.
class CallerResolver::Lookup final : public CompletionTag {
 public:
  void Complete(bool) override {
    resolver->Finish(*this);
    delete this;
  }

  CallerResolver* resolver = nullptr;
  std::string token;
  absl::Time token_expiry;
  uint64_t generation = 0;
  Callback done;
  grpc::ClientContext context;
  relations::v1::ResolvePrincipalRequest request;
  relations::v1::Principal response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<relations::v1::Principal>> reader;
};

void CallerResolver::Finish(Lookup& lookup) {
  const std::string& subject = lookup.request.subject();
  if (lookup.status.error_code() == grpc::StatusCode::NOT_FOUND ||
      lookup.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    lookup.done(absl::UnauthenticatedError(
        absl::StrCat("token subject ", Excerpt(subject), " is not in the council directory")));
    return;
  }
  if (!lookup.status.ok()) {
    // The transport's text names internal addresses: logged, not passed on.
    LogWarning("caller_lookup_failed",
               {{"code", std::to_string(lookup.status.error_code())},
                {"error", TruncateUtf8(lookup.status.error_message(), 200)}});
    lookup.done(absl::UnavailableError("cannot resolve the caller: relations-service is "
                                       "unavailable"));
    return;
  }
  if (!lookup.response.active()) {
    lookup.done(absl::UnauthenticatedError(
        absl::StrCat(subject, " has left the council and can no longer call")));
    return;
  }
  ResolvedCaller caller{lookup.response.person(),
                        {lookup.response.roles().begin(), lookup.response.roles().end()}};
  Remember(lookup.token, caller, lookup.token_expiry, lookup.generation);
  lookup.done(std::move(caller));
}

void CallerResolver::Resolve(absl::string_view bearer_token, grpc::CompletionQueue* cq,
                             Callback done) {
  const absl::Time now = absl::Now();
  const std::string token(bearer_token);
  std::optional<ResolvedCaller> cached;
  uint64_t generation;
  {
    absl::MutexLock lock(&mu_);
    generation = generation_;  // read before the verifier, see Remember
    auto it = cache_.find(token);
    if (it != cache_.end() && it->second.expires_at > now) cached = it->second.caller;
  }
  if (cached) {
    done(*std::move(cached));
    return;
  }
  std::shared_ptr<const auth::JwtVerifier> verifier;
  {
    absl::MutexLock lock(&verifier_mu_);
    verifier = verifier_;
  }
  absl::StatusOr<auth::VerifiedJwt> jwt = verifier->Verify(bearer_token, now);
  if (!jwt.ok()) {
    done(jwt.status());
    return;
  }
  // People are the only subjects of tokens (service accounts use client
  // certificates): anything else is refused here, not sent to the directory.
  if (!ParseName(jwt->subject, "people", "sub").ok()) {
    done(absl::UnauthenticatedError(absl::StrCat(
        "token subject ", Excerpt(jwt->subject), " is not a person (people/{id})")));
    return;
  }
  auto* lookup = new Lookup;
  lookup->resolver = this;
  lookup->token = token;
  lookup->token_expiry = jwt->expires_at;
  lookup->generation = generation;
  lookup->done = std::move(done);
  lookup->request.set_subject(jwt->subject);
  lookup->context.set_deadline(absl::ToChronoTime(now + absl::Seconds(2)));
  static const std::string kMethod =
      FullMethodName(relations::v1::RelationsService::service_full_name(), "ResolvePrincipal");
  SignCall(&lookup->context, key_, "services/gateway", {}, "", kMethod);
  lookup->reader = relations_->PrepareAsyncResolvePrincipal(&lookup->context, lookup->request, cq);
  lookup->reader->StartCall();
  lookup->reader->Finish(&lookup->response, &lookup->status, lookup);
}

}  // namespace council::gateway
