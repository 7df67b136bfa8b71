// Unit tests of the gateway's CallerResolver (issue 7, "Authentication" and
// "Authorisation"): bearer token -> verified person -> roles from
// relations-service, cached briefly; key rotation must withdraw a key at once.
// Relations-service is a fake in this process, so timing is under our control.
#include "gateway/caller_resolver.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth/jwt_signer.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

using ::testing::HasSubstr;

constexpr char kIssuer[] = "council-test";
constexpr char kAudience[] = "council-suite";
constexpr char kMember[] = "people/cllr-ada-okafor";
constexpr char kLeaver[] = "people/cllr-gone-away";

// Relations-service as the gateway sees it: ResolvePrincipal only.
class FakeRelations final : public relations::v1::RelationsService::Service {
 public:
  grpc::Status ResolvePrincipal(grpc::ServerContext*,
                                const relations::v1::ResolvePrincipalRequest* request,
                                relations::v1::Principal* response) override {
    calls.fetch_add(1);
    absl::SleepFor(absl::Milliseconds(delay_ms.load()));
    if (request->subject() != kMember && request->subject() != kLeaver)
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such person");
    response->set_person(request->subject());
    response->add_roles(role);
    response->set_active(request->subject() == kMember);
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
  std::atomic<int> delay_ms{0};
  std::string role = "member";  // set before calls only
};

class CallerResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&relations_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    // Role lookups complete on a queue, as on the gateway's serving threads.
    drainer_ = std::thread([this] { DrainCompletionQueue(&cq_); });
  }
  void TearDown() override {
    server_->Shutdown();
    cq_.Shutdown();
    drainer_.join();
  }

  static auth::JwtSigner NewSigner() {
    auto key = auth::GeneratePrivateKeyPem(auth::KeyType::kEcP256);
    EXPECT_TRUE(key.ok());
    auto signer = auth::JwtSigner::FromPrivateKeyPem(key->first, key->second);
    EXPECT_TRUE(signer.ok());
    return *std::move(signer);
  }
  static std::shared_ptr<const auth::JwtVerifier> VerifierFor(const auth::JwtSigner& signer) {
    auto verifier = auth::JwtVerifier::FromJwks(signer.PublicJwks(),
                                                auth::JwtPolicy{kIssuer, kAudience});
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return *verifier;
  }
  static std::string TokenFor(const auth::JwtSigner& signer, const std::string& person) {
    auth::JwtSigner::Claims claims{person,        kIssuer, kAudience, absl::Now(),
                                   absl::InfinitePast(), absl::Now() + absl::Hours(1)};
    auto token = signer.Sign(claims);
    EXPECT_TRUE(token.ok());
    return *token;
  }
  std::unique_ptr<CallerResolver> NewResolver(std::shared_ptr<const auth::JwtVerifier> verifier,
                                              absl::Duration role_ttl = absl::Seconds(30)) {
    return std::make_unique<CallerResolver>(
        std::move(verifier), channel_,
        auth::AssertionKey::FromSecretForTesting(auth::AssertionKey::GenerateSecretHex()),
        role_ttl);
  }
  absl::StatusOr<ResolvedCaller> ResolveNow(CallerResolver& resolver, const std::string& token) {
    absl::Notification done;
    absl::StatusOr<ResolvedCaller> result = absl::UnknownError("not called");
    resolver.Resolve(token, &cq_, [&](absl::StatusOr<ResolvedCaller> caller) {
      result = std::move(caller);
      done.Notify();
    });
    done.WaitForNotification();
    return result;
  }

  FakeRelations relations_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::CompletionQueue cq_;
  std::thread drainer_;
};

TEST_F(CallerResolverTest, ValidTokenResolvesToThePersonAndTheirRoles) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer));
  auto caller = ResolveNow(*resolver, TokenFor(signer, kMember));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->person, kMember);
  EXPECT_THAT(caller->roles, ::testing::ElementsAre("member"));
}

TEST_F(CallerResolverTest, PersonNotInTheDirectoryIsUnauthenticated) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer));
  auto caller = ResolveNow(*resolver, TokenFor(signer, "people/nobody"));
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(CallerResolverTest, PersonWhoHasLeftIsUnauthenticated) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer));
  auto caller = ResolveNow(*resolver, TokenFor(signer, kLeaver));
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(caller.status().message(), HasSubstr("has left"));
}

TEST_F(CallerResolverTest, BadTokenIsRefusedWithoutAskingRelations) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer));
  auto caller = ResolveNow(*resolver, TokenFor(NewSigner(), kMember));
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(relations_.calls.load(), 0);
}

TEST_F(CallerResolverTest, RelationsDownIsUnavailable) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer));
  server_->Shutdown();
  auto caller = ResolveNow(*resolver, TokenFor(signer, kMember));
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnavailable);
}

// "Roles ... cached with a short TTL": within it relations is asked once;
// after it, again.
TEST_F(CallerResolverTest, RolesAreCachedForTheirTtlThenAskedAgain) {
  const auth::JwtSigner signer = NewSigner();
  auto resolver = NewResolver(VerifierFor(signer), absl::Milliseconds(300));
  const std::string token = TokenFor(signer, kMember);
  ASSERT_TRUE(ResolveNow(*resolver, token).ok());
  ASSERT_TRUE(ResolveNow(*resolver, token).ok());
  EXPECT_EQ(relations_.calls.load(), 1);
  absl::SleepFor(absl::Milliseconds(400));
  ASSERT_TRUE(ResolveNow(*resolver, token).ok());
  EXPECT_EQ(relations_.calls.load(), 2);
}

// "A withdrawn key stops working at once" (CallerResolver::ReplaceVerifier):
// a token already cached is verified again after a rotation.
TEST_F(CallerResolverTest, RotationWithdrawsACachedToken) {
  const auth::JwtSigner old_key = NewSigner(), new_key = NewSigner();
  auto resolver = NewResolver(VerifierFor(old_key));
  const std::string token = TokenFor(old_key, kMember);
  ASSERT_TRUE(ResolveNow(*resolver, token).ok());
  resolver->ReplaceVerifier(VerifierFor(new_key));
  EXPECT_EQ(ResolveNow(*resolver, token).status().code(), absl::StatusCode::kUnauthenticated);
}

// The same, for a token whose role lookup was still in flight when the
// rotation happened: the call may finish with the keys it started with, but
// the token must not be remembered past the rotation.
TEST_F(CallerResolverTest, RotationDuringARoleLookupDoesNotCacheTheWithdrawnToken) {
  const auth::JwtSigner old_key = NewSigner(), new_key = NewSigner();
  auto resolver = NewResolver(VerifierFor(old_key));
  const std::string token = TokenFor(old_key, kMember);
  relations_.delay_ms.store(300);
  absl::Notification done;
  resolver->Resolve(token, &cq_, [&](absl::StatusOr<ResolvedCaller>) { done.Notify(); });
  absl::SleepFor(absl::Milliseconds(100));  // the lookup is in flight
  resolver->ReplaceVerifier(VerifierFor(new_key));
  done.WaitForNotification();
  relations_.delay_ms.store(0);
  auto again = ResolveNow(*resolver, token);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnauthenticated)
      << "a token of the withdrawn key was cached after the rotation";
}

}  // namespace
}  // namespace council::gateway
