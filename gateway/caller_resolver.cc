#include "gateway/caller_resolver.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "grpcpp/channel.h"
#include "absl/time/clock.h"
#include "common/server/caller.h"
#include "common/server/log.h"

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
      role_ttl_(role_ttl) {}

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

CallerResolver::~CallerResolver() {
  {
    absl::MutexLock lock(&watch_mu_);
    stopping_ = true;
    if (watch_context_ != nullptr) watch_context_->TryCancel();
  }
  if (watch_thread_.joinable()) watch_thread_.join();
}

void CallerResolver::StartWatchingDirectory() {
  watch_thread_ = std::thread([this] { WatchDirectory(); });
}

void CallerResolver::WatchDirectory() {
  static const std::string kMethod =
      FullMethodName(relations::v1::RelationsService::service_full_name(), "WatchDirectoryChanges");
  bool connected = true;  // so that the first failure is logged
  while (true) {
    grpc::ClientContext context;
    SignCall(&context, key_, "services/gateway", {}, "", kMethod);
    {
      absl::MutexLock lock(&watch_mu_);
      if (stopping_) return;
      watch_context_ = &context;
    }
    auto reader = relations_->WatchDirectoryChanges(&context, {});
    relations::v1::DirectoryChange change;
    // The first notice after (re)connecting counts too: changes made while
    // the stream was down were not seen.
    while (reader->Read(&change)) {
      if (!connected) LogInfo("directory_watch_connected", {{"revision", std::to_string(change.revision())}});
      connected = true;
      ForgetCachedCallers();
    }
    const grpc::Status status = reader->Finish();
    absl::MutexLock lock(&watch_mu_);
    watch_context_ = nullptr;
    if (stopping_) return;
    if (connected)
      LogWarning("directory_watch_lost",
                 {{"error", status.error_message()},
                  {"effect", "cached roles are kept until their time-to-live; retrying every second"}});
    connected = false;
    watch_mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1));
    if (stopping_) return;
  }
}

void CallerResolver::Resolve(absl::string_view bearer_token, Callback done) {
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
  struct Lookup {
    grpc::ClientContext context;
    relations::v1::ResolvePrincipalRequest request;
    relations::v1::Principal response;
  };
  auto lookup = std::make_shared<Lookup>();
  lookup->request.set_subject(jwt->subject);
  lookup->context.set_deadline(absl::ToChronoTime(now + absl::Seconds(2)));
  static const std::string kMethod =
      FullMethodName(relations::v1::RelationsService::service_full_name(), "ResolvePrincipal");
  SignCall(&lookup->context, key_, "services/gateway", {}, "", kMethod);
  const absl::Time token_expiry = jwt->expires_at;
  relations_->async()->ResolvePrincipal(
      &lookup->context, &lookup->request, &lookup->response,
      [this, lookup, token, token_expiry, generation,
       done = std::move(done)](grpc::Status status) mutable {
        // Take what we need and free the call's context here, inside the
        // callback (where gRPC allows it), not whenever gRPC later destroys
        // this function object — possibly after the caller has torn down.
        const std::string subject = lookup->request.subject();
        relations::v1::Principal principal = std::move(lookup->response);
        lookup.reset();
        if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
          done(absl::UnauthenticatedError(
              absl::StrCat("token subject ", subject, " is not in the council directory")));
          return;
        }
        if (!status.ok()) {
          done(absl::UnavailableError(
              absl::StrCat("cannot resolve caller: relations-service: ", status.error_message())));
          return;
        }
        if (!principal.active()) {
          done(absl::UnauthenticatedError(
              absl::StrCat(subject, " has left the council and can no longer call")));
          return;
        }
        ResolvedCaller caller{principal.person(),
                              {principal.roles().begin(), principal.roles().end()}};
        Remember(token, caller, token_expiry, generation);
        done(std::move(caller));
      });
}

}  // namespace council::gateway
