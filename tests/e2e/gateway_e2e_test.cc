// End-to-end tests of the gateway as the suite's only door (issue 7, "Gateway
// and security: the only door, hardened and fast"): the four real binaries on
// loopback, real keys and tokens made at test time, every refusal the issue
// lists, the role matrix against config/gateway-policy.textproto, rate limits,
// a backend going down and coming back, JWKS rotation on SIGHUP, and bypass
// attempts on each backend.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "common/errors/grpc_errors.h"
#include "common/server/caller.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

// The role matrix checks the gateway against the policy as the gateway itself
// reads it, with the gateway's own MethodPolicy. e2e_tests links only
// council_common (tests/CMakeLists.txt), so the one source file is compiled in
// here; nothing else of the gateway is.
#include "gateway/method_policy.cc"  // NOLINT(bugprone-suspicious-include)

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using relations::v1::RelationsService;

// Demo people (demo/README.md, demo/council/people.csv, designations.csv).
constexpr char kAdmin[] = "people/it-admin";                     // administrator
constexpr char kMember[] = "people/cllr-imran-ahmed";             // member
constexpr char kOfficer[] = "people/off-jennifer-hayes";          // officer
constexpr char kMonitoringOfficer[] = "people/off-hannah-liu";    // monitoring officer
constexpr char kAuditor[] = "people/audit-reader";               // auditor
constexpr char kPoliticalAssistant[] = "people/pa-chloe-wright";  // political assistant
constexpr char kLeftMember[] = "people/cllr-declan-henry";        // end_date 2025-01-31

// What the harness starts the gateway with (suite_harness.cc).
constexpr char kIssuer[] = "council-dev";
constexpr char kAudience[] = "council-suite";

constexpr char kGetPerson[] = "/council.relations.v1.RelationsService/GetPerson";
constexpr char kResolvePrincipal[] = "/council.relations.v1.RelationsService/ResolvePrincipal";

// ---------------------------------------------------------------------------
// Tokens and keys
// ---------------------------------------------------------------------------

auth::JwtSigner NewSigner(auth::KeyType type) {
  auto key = auth::GeneratePrivateKeyPem(type);
  EXPECT_TRUE(key.ok()) << key.status();
  auto signer = auth::JwtSigner::FromPrivateKeyPem(key->first, key->second);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *std::move(signer);
}

auth::JwtSigner SuiteSigner(const Suite& suite) {
  auto signer = auth::JwtSigner::FromPrivateKeyPemFile(suite.jwt_key_file(), suite.jwt_kid());
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *std::move(signer);
}

// A JWKS document holding the public keys of all `signers`.
std::string JwksOf(const std::vector<const auth::JwtSigner*>& signers) {
  google::protobuf::Struct merged;
  auto* keys = (*merged.mutable_fields())["keys"].mutable_list_value();
  for (const auth::JwtSigner* signer : signers) {
    google::protobuf::Struct one;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(signer->PublicJwks(), &one).ok());
    for (const auto& key : one.fields().at("keys").list_value().values()) *keys->add_values() = key;
  }
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(merged, &json).ok());
  return json;
}

std::string Header(absl::string_view alg, absl::string_view kid) {
  return absl::StrFormat(R"({"alg":"%s","typ":"JWT","kid":"%s"})", alg, kid);
}

// Claims as a council identity provider would write them; `extra` is appended
// inside the object (e.g. R"(,"jti":"7")").
std::string Payload(absl::string_view subject, absl::Time issued_at, absl::Time expires_at,
                    absl::string_view extra = "", absl::string_view issuer = kIssuer,
                    absl::string_view audience = kAudience) {
  return absl::StrFormat(R"({"sub":"%s","iss":"%s","aud":"%s","iat":%d,"exp":%d%s})", subject,
                         issuer, audience, absl::ToUnixSeconds(issued_at),
                         absl::ToUnixSeconds(expires_at), extra);
}

std::string ValidPayload(absl::string_view subject, absl::string_view extra = "") {
  const absl::Time now = absl::Now();
  return Payload(subject, now, now + absl::Hours(1), extra);
}

// A properly signed token from `signer` for `subject`; `extra` claims make it
// unique, so the gateway's token cache cannot answer for it.
std::string SignedToken(const auth::JwtSigner& signer, absl::string_view subject,
                        absl::string_view extra = "") {
  auto token = signer.SignRawForTesting(Header(signer.algorithm(), signer.kid()),
                                        ValidPayload(subject, extra));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::string UniqueClaim() {
  static std::atomic<int> counter{0};
  return absl::StrCat(R"(,"jti":")", counter.fetch_add(1), "-", absl::ToUnixNanos(absl::Now()),
                      "\"");
}

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

// GetPerson through `channel` with `authorization` (empty: none).
grpc::Status GetPersonAs(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& authorization,
                         absl::Duration timeout = absl::Seconds(10),
                         const std::string& name = kOfficer) {
  grpc::ClientContext context;
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  relations::v1::GetPersonRequest request;
  request.set_name(name);
  relations::v1::Person person;
  grpc::Status status = RelationsService::NewStub(channel)->GetPerson(&context, request, &person);
  if (status.ok()) {
    EXPECT_EQ(person.name(), name);
  }
  return status;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), " reason ", ErrorInfoReason(status), ": ",
                      status.error_message());
}

bool IsRateLimited(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
         ErrorInfoReason(status) == "ERROR_REASON_RATE_LIMITED";
}

bool IsGatewayPolicyDenial(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
         ErrorInfoReason(status) == "ERROR_REASON_METHOD_NOT_ALLOWED";
}

// One call of any method, unary or streaming, with raw request bytes, as any
// gRPC client would make it: the request is the only message, then the call
// is half-closed. A server-streaming call is cancelled after its first
// response (an event stream never ends by itself), so it ends OK, CANCELLED,
// DEADLINE_EXCEEDED or with the refusal.
class GenericCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  GenericCall(grpc::GenericStub* stub, grpc::ClientContext* context, const std::string& method,
              const std::string& request_bytes, bool stop_after_first_response)
      : context_(context), stop_after_first_response_(stop_after_first_response) {
    grpc::Slice slice(request_bytes);
    request_ = grpc::ByteBuffer(&slice, 1);
    stub->PrepareBidiStreamingCall(context, method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (responses_++ == 0) {
      std::vector<grpc::Slice> slices;
      (void)response_.Dump(&slices);
      for (const auto& slice : slices)
        first_response_.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    if (stop_after_first_response_) {
      context_->TryCancel();
      return;
    }
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.Notify();
  }

  grpc::Status Await() {
    done_.WaitForNotification();
    return status_;
  }
  // How many response messages came, and the bytes of the first (after Await).
  int responses() const { return responses_; }
  const std::string& first_response() const { return first_response_; }

 private:
  grpc::ClientContext* context_;
  const bool stop_after_first_response_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::Status status_;
  int responses_ = 0;
  std::string first_response_;
  absl::Notification done_;
};

const google::protobuf::MethodDescriptor* MethodByPath(absl::string_view path) {
  // "/package.Service/Method" -> "package.Service.Method"
  std::string dotted(path.substr(1));
  dotted[dotted.find('/')] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
}

// Calls `method` through `channel`; `metadata` is added to the call.
grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const std::multimap<std::string, std::string>& metadata,
                        const std::string& request_bytes = "",
                        absl::Duration timeout = absl::Seconds(10)) {
  const auto* descriptor = MethodByPath(method);
  const bool server_streaming = descriptor != nullptr && descriptor->server_streaming();
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  // An event stream with nothing to send waits; a short deadline ends it.
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + (server_streaming ? absl::Seconds(2) : timeout)));
  GenericCall call(&stub, &context, method, request_bytes, server_streaming);
  return call.Await();
}

// Every method of the three backend services, from the generated descriptor
// pool (the same protos the binaries are built from).
std::vector<std::string> BackendMethods() {
  (void)relations::v1::Person::descriptor();
  (void)access::v1::Document::descriptor();
  (void)complaints::v1::Complaint::descriptor();
  std::vector<std::string> methods;
  for (const char* service_name :
       {RelationsService::service_full_name(), access::v1::AccessService::service_full_name(),
        complaints::v1::ComplaintsService::service_full_name()}) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    EXPECT_NE(service, nullptr) << service_name;
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i)
      methods.push_back(absl::StrCat("/", service_name, "/", service->method(i)->name()));
  }
  return methods;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ---------------------------------------------------------------------------
// The main suite: Southwark profile, demo council loaded, and an RSA key added
// to the JWKS beside the harness's EC key, so both RS256 and ES256 are live.
// ---------------------------------------------------------------------------

class GatewayE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("southwark").release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
    ec_signer_ = new auth::JwtSigner(SuiteSigner(*suite_));
    rsa_signer_ = new auth::JwtSigner(NewSigner(auth::KeyType::kRsa2048));
    suite_->WriteJwks(JwksOf({ec_signer_, rsa_signer_}));
    ASSERT_TRUE(suite_->SendSignal("gateway", SIGHUP));
    // The reload is asynchronous: wait until the RSA key is accepted.
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      status = GetPersonAs(suite_->GatewayChannel(),
                           "Bearer " + SignedToken(*rsa_signer_, kAdmin, UniqueClaim()));
      if (status.ok()) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_TRUE(status.ok()) << "the gateway did not take the RSA key on SIGHUP: "
                             << Describe(status);
  }
  static void TearDownTestSuite() {
    delete suite_;
    delete ec_signer_;
    delete rsa_signer_;
    suite_ = nullptr;
    ec_signer_ = rsa_signer_ = nullptr;
  }

  // Presents `authorization` to the gateway and expects UNAUTHENTICATED with
  // `reason` in the message and the token nowhere in the answer or the log
  // (issue 7: "refused with UNAUTHENTICATED and a reason ... (never the secret)").
  static void ExpectRefused(const std::string& authorization, const std::string& reason,
                            const std::string& token) {
    const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), authorization);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(reason));
    EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_UNAUTHENTICATED") << Describe(status);
    ExpectNotLeaked(status, token);
  }

  static void ExpectNotLeaked(const grpc::Status& status, const std::string& token) {
    if (token.size() < 16) return;
    EXPECT_THAT(status.error_message(), Not(HasSubstr(token)));
    EXPECT_THAT(status.error_details(), Not(HasSubstr(token)));
    // Nor its signature alone.
    const std::string signature = token.substr(token.rfind('.') + 1);
    if (signature.size() >= 16) {
      EXPECT_THAT(status.error_message(), Not(HasSubstr(signature)));
      EXPECT_THAT(status.error_details(), Not(HasSubstr(signature)));
    }
    absl::SleepFor(absl::Milliseconds(20));  // let the gateway's log line land
    EXPECT_THAT(ReadFile(suite_->dir() + "/gateway.log"), Not(HasSubstr(token)))
        << "the gateway logged a presented token";
  }

  static Suite* suite_;
  static auth::JwtSigner* ec_signer_;
  static auth::JwtSigner* rsa_signer_;
};
Suite* GatewayE2ETest::suite_ = nullptr;
auth::JwtSigner* GatewayE2ETest::ec_signer_ = nullptr;
auth::JwtSigner* GatewayE2ETest::rsa_signer_ = nullptr;

// Positive control for the refusals below: "keys from a JWKS file (RS256 and
// ES256 at least)".
TEST_F(GatewayE2ETest, ValidEs256AndRs256TokensAreAccepted) {
  for (const auth::JwtSigner* signer : {ec_signer_, rsa_signer_}) {
    const grpc::Status status = GetPersonAs(
        suite_->GatewayChannel(), "Bearer " + SignedToken(*signer, kMember, UniqueClaim()));
    EXPECT_TRUE(status.ok()) << signer->algorithm() << ": " << Describe(status);
  }
}

// "Tokens signed with `none` ... are refused with UNAUTHENTICATED".
TEST_F(GatewayE2ETest, AlgNoneTokenIsRefused) {
  for (const char* alg : {"none", "None", "NONE"}) {
    const std::string token =
        auth::UnsignedRawForTesting(Header(alg, ec_signer_->kid()), ValidPayload(kAdmin));
    ExpectRefused("Bearer " + token, "algorithm 'none' not allowed", token);
  }
  // "none" with a signature attached is no better.
  auto with_signature = ec_signer_->SignRawForTesting(Header("none", ec_signer_->kid()),
                                                      ValidPayload(kAdmin));
  ASSERT_TRUE(with_signature.ok());
  ExpectRefused("Bearer " + *with_signature, "algorithm 'none' not allowed", *with_signature);
}

// "... an unknown `kid` ..."
TEST_F(GatewayE2ETest, UnknownKidIsRefused) {
  // Signed with the real key, but naming a key the JWKS does not have.
  auto token = ec_signer_->SignRawForTesting(Header("ES256", "retired-2019"),
                                             ValidPayload(kAdmin));
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "unknown kid", *token);
  // And no kid at all.
  auto no_kid = ec_signer_->SignRawForTesting(R"({"alg":"ES256","typ":"JWT"})",
                                              ValidPayload(kAdmin));
  ASSERT_TRUE(no_kid.ok());
  ExpectRefused("Bearer " + *no_kid, "missing kid", *no_kid);
}

// "... an HMAC trick against an RSA key ...": HS256 keyed with the public key
// the gateway publishes, in the forms an attacker can get hold of.
TEST_F(GatewayE2ETest, Hs256TokenKeyedWithThePublicKeyIsRefused) {
  for (const auth::JwtSigner* signer : {rsa_signer_, ec_signer_}) {
    for (const std::string& secret :
         {signer->PublicKeyPem(), signer->PublicJwks(), JwksOf({ec_signer_, rsa_signer_})}) {
      const std::string token = auth::HmacSha256SignRawForTesting(
          Header("HS256", signer->kid()), ValidPayload(kAdmin), secret);
      ExpectRefused("Bearer " + token, "algorithm HS256 not allowed", token);
    }
  }
}

// A key's tokens carry that key's algorithm; the other asymmetric one is refused too.
TEST_F(GatewayE2ETest, AlgorithmOtherThanTheKeysIsRefused) {
  auto token = rsa_signer_->SignRawForTesting(Header("ES256", rsa_signer_->kid()),
                                              ValidPayload(kAdmin));
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "not allowed for an RSA key", *token);
}

// A genuine token whose claims were edited (a member making themselves the
// administrator) fails the signature.
TEST_F(GatewayE2ETest, TokenWithEditedClaimsIsRefused) {
  const std::string genuine = SignedToken(*ec_signer_, kMember);
  const std::string forged_payload = SignedToken(*ec_signer_, kAdmin);
  const auto dot1 = genuine.find('.'), dot2 = genuine.rfind('.');
  const std::string edited = genuine.substr(0, dot1) +
                             forged_payload.substr(dot1, forged_payload.rfind('.') - dot1) +
                             genuine.substr(dot2);
  ASSERT_NE(edited, genuine);
  ExpectRefused("Bearer " + edited, "bad signature", edited);
}

// "... expired or not-yet-valid are refused" (beyond the 60 s clock skew).
TEST_F(GatewayE2ETest, ExpiredTokenIsRefused) {
  auth::JwtSigner::Claims claims{kAdmin, kIssuer, kAudience, absl::Now() - absl::Hours(2),
                                 absl::InfinitePast(), absl::Now() - absl::Minutes(5)};
  auto token = ec_signer_->Sign(claims);
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "expired", *token);
}

TEST_F(GatewayE2ETest, TokenNotYetValidIsRefused) {
  auth::JwtSigner::Claims claims{kAdmin, kIssuer, kAudience, absl::Now(),
                                 absl::Now() + absl::Minutes(10), absl::Now() + absl::Hours(1)};
  auto token = ec_signer_->Sign(claims);
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "not yet valid", *token);
}

// "... checked with a small configurable clock skew": drift within it is
// absorbed (the gateway's default is 60 s).
TEST_F(GatewayE2ETest, SmallClockDriftIsTolerated) {
  const absl::Time now = absl::Now();
  auth::JwtSigner::Claims just_expired{kMember, kIssuer, kAudience, now - absl::Hours(1),
                                       absl::InfinitePast(), now - absl::Seconds(20)};
  auth::JwtSigner::Claims nearly_valid{kMember, kIssuer, kAudience, now,
                                       now + absl::Seconds(20), now + absl::Hours(1)};
  for (const auto& claims : {just_expired, nearly_valid}) {
    auto token = ec_signer_->Sign(claims);
    ASSERT_TRUE(token.ok());
    const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), "Bearer " + *token);
    EXPECT_TRUE(status.ok()) << Describe(status);
  }
}

// "`iss`/`aud` checked".
TEST_F(GatewayE2ETest, TokenFromAnotherIssuerIsRefused) {
  auth::JwtSigner::Claims claims{kAdmin, "https://id.another-council.gov.uk", kAudience,
                                 absl::Now(), absl::InfinitePast(), absl::Now() + absl::Hours(1)};
  auto token = ec_signer_->Sign(claims);
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "wrong issuer", *token);
}

TEST_F(GatewayE2ETest, TokenForAnotherAudienceIsRefused) {
  auth::JwtSigner::Claims claims{kAdmin, kIssuer, "payroll-system", absl::Now(),
                                 absl::InfinitePast(), absl::Now() + absl::Hours(1)};
  auto token = ec_signer_->Sign(claims);
  ASSERT_TRUE(token.ok());
  ExpectRefused("Bearer " + *token, "wrong audience", *token);
}

TEST_F(GatewayE2ETest, GarbageTokensAreRefused) {
  ExpectRefused("Bearer not-a-jwt-at-all-just-some-text", "jwt: malformed",
                "not-a-jwt-at-all-just-some-text");
  ExpectRefused("Bearer aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb.cccccccccccccccc", "jwt: malformed",
                "aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb.cccccccccccccccc");
  ExpectRefused("Bearer ..", "jwt: malformed", "");
  ExpectRefused("Bearer ", "jwt:", "");
  const std::string long_garbage = std::string(3000, 'A') + "." + std::string(3000, 'B') + "." +
                                   std::string(1500, 'C');
  ExpectRefused("Bearer " + long_garbage, "jwt: malformed", long_garbage);
  // Over the gateway's 8 KiB token bound the transport's own header limit
  // already refuses the call (RESOURCE_EXHAUSTED); either way it gets nowhere.
  const std::string huge(20000, 'A');
  const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), "Bearer " + huge);
  EXPECT_THAT(status.error_code(), ::testing::AnyOf(grpc::StatusCode::UNAUTHENTICATED,
                                                    grpc::StatusCode::RESOURCE_EXHAUSTED))
      << Describe(status);
  ExpectNotLeaked(status, huge);
}

// Only bearer tokens are accepted; a password in "Basic" is refused unread.
TEST_F(GatewayE2ETest, BasicAuthSchemeIsRefused) {
  const std::string credentials = "aXQtYWRtaW46Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5LXN0YXBsZQ==";
  ExpectRefused("Basic " + credentials, "Bearer", credentials);
  // A genuine token under the wrong scheme is refused too.
  const std::string token = SignedToken(*ec_signer_, kAdmin);
  ExpectRefused("Token " + token, "Bearer", token);
}

TEST_F(GatewayE2ETest, NoTokenIsRefused) {
  const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("Bearer"));
}

// Relations-service reports people who have left as inactive; the gateway
// refuses them even with a valid token (issue 7, Principal.active).
TEST_F(GatewayE2ETest, PersonWhoHasLeftIsRefused) {
  const std::string token = SignedToken(*ec_signer_, kLeftMember, UniqueClaim());
  const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), "Bearer " + token);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("has left"));
  ExpectNotLeaked(status, token);
}

// The caller's roles, as relations-service gives them to the gateway.
std::vector<std::string> RolesOf(const Suite& suite, const std::string& person) {
  auto key = auth::AssertionKey::FromFile(suite.internal_key_file());
  EXPECT_TRUE(key.ok());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  SignCall(&context, *key, "services/gateway", {}, "", kResolvePrincipal);
  relations::v1::ResolvePrincipalRequest request;
  request.set_subject(person);
  relations::v1::Principal principal;
  grpc::Status status = RelationsService::NewStub(suite.BackendChannel("relations-service"))
                            ->ResolvePrincipal(&context, request, &principal);
  EXPECT_TRUE(status.ok()) << person << ": " << Describe(status);
  EXPECT_TRUE(principal.active()) << person;
  return {principal.roles().begin(), principal.roles().end()};
}

// ROLE MATRIX (issue 7: "A role-matrix test calls every method with every
// role and checks allow/deny against the policy"). Every method of the three
// backends, enumerated from the descriptor pool, is called with an empty
// request as six demo people of different roles. Where
// config/gateway-policy.textproto denies, the gateway must refuse with
// PERMISSION_DENIED / METHOD_NOT_ALLOWED naming the method and the caller's
// roles; where it allows, the call must reach the backend (which may still say
// INVALID_ARGUMENT, NOT_FOUND, ... but neither UNAUTHENTICATED nor the
// policy's refusal).
TEST_F(GatewayE2ETest, RoleMatrixMatchesThePolicyFileForEveryMethodAndRole) {
  auto policy = gateway::MethodPolicy::Load(
      absl::StrCat(COUNCIL_SOURCE_DIR, "/config/gateway-policy.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();

  std::map<std::string, std::vector<std::string>> roles;
  for (const char* person :
       {kMember, kOfficer, kMonitoringOfficer, kAdmin, kAuditor, kPoliticalAssistant})
    roles[person] = RolesOf(*suite_, person);
  // The matrix is only as good as its spread of roles.
  EXPECT_THAT(roles[kMember], ::testing::Contains("member"));
  EXPECT_THAT(roles[kOfficer], ::testing::Contains("officer"));
  EXPECT_THAT(roles[kMonitoringOfficer], ::testing::Contains("monitoring-officer"));
  EXPECT_THAT(roles[kAdmin], ::testing::Contains("administrator"));
  EXPECT_THAT(roles[kAuditor], ::testing::Contains("auditor"));
  EXPECT_THAT(roles[kPoliticalAssistant], ::testing::Contains("political-assistant"));

  const std::vector<std::string> methods = BackendMethods();
  ASSERT_GT(methods.size(), 40u);
  std::vector<std::string> mismatches;
  int allowed_calls = 0, denied_calls = 0;
  std::map<int, int> allowed_codes;  // what the backends answered, for the record
  for (const std::string& method : methods) {
    for (const auto& [person, person_roles] : roles) {
      const bool allowed = (*policy)->Allows(method, person_roles);
      grpc::Status status;
      for (int attempt = 0; attempt < 5; ++attempt) {
        status = CallMethod(suite_->GatewayChannel(), method,
                            {{"authorization", "Bearer " + suite_->TokenFor(person)}});
        if (!IsRateLimited(status)) break;
        absl::SleepFor(absl::Seconds(1));  // the matrix is not what is being limited
      }
      const std::string cell = absl::StrCat(method, " as ", person, " (",
                                            absl::StrJoin(person_roles, ","), "): policy ",
                                            allowed ? "allows" : "denies", ", got ",
                                            Describe(status));
      if (allowed) {
        ++allowed_calls;
        if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
            IsGatewayPolicyDenial(status))
          mismatches.push_back(cell);
        ++allowed_codes[status.error_code()];
      } else {
        ++denied_calls;
        // The gateway's own refusal, not a backend's (some backends also
        // check roles and answer METHOD_NOT_ALLOWED themselves).
        if (!IsGatewayPolicyDenial(status) ||
            !absl::StrContains(status.error_message(), "gateway policy") ||
            ErrorInfoMetadata(status, "method") != method ||
            !absl::StrContains(status.error_message(), method) ||
            !absl::StrContains(status.error_message(), absl::StrJoin(person_roles, ",")))
          mismatches.push_back(cell);
      }
    }
  }
  EXPECT_THAT(mismatches, ::testing::IsEmpty()) << absl::StrJoin(mismatches, "\n");
  EXPECT_GT(allowed_calls, 0);
  EXPECT_GT(denied_calls, 0);
  std::cout << "role matrix: " << methods.size() << " methods x " << roles.size()
            << " people: " << allowed_calls << " allowed, " << denied_calls << " denied, "
            << mismatches.size() << " mismatches; allowed calls ended with codes";
  for (const auto& [code, count] : allowed_codes) std::cout << " " << code << ":" << count;
  std::cout << "\n";
}

// Issue 7: "Health and reflection exposure is itself policy." The shipped
// policy has no rule for server reflection, so a caller without a token must
// not be able to read the suite's API (which would also show the methods the
// policy keeps hidden, such as ResolvePrincipal) from the gateway.
//
// DISABLED: fails today. ServerRunner::Start (common/server/server_runner.cc)
// registers gRPC's reflection service on every server, the gateway included;
// registered services are answered before the gateway's generic forwarder, so
// neither the token check nor the policy applies, and the gateway links every
// council proto, so it describes them all. Enable once reflection at the
// gateway goes through the policy (or is not registered there).
TEST_F(GatewayE2ETest, ReflectionIsNotServedToCallersWithoutAToken) {
  grpc::GenericStub stub(suite_->GatewayChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  // ServerReflectionRequest{file_containing_symbol (4): "council.relations.v1.RelationsService"}
  const std::string symbol = RelationsService::service_full_name();
  const std::string request = std::string(1, '\x22') + static_cast<char>(symbol.size()) + symbol;
  GenericCall call(&stub, &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                   request, /*stop_after_first_response=*/true);
  const grpc::Status status = call.Await();
  EXPECT_THAT(status.error_code(), ::testing::AnyOf(grpc::StatusCode::UNAUTHENTICATED,
                                                    grpc::StatusCode::PERMISSION_DENIED,
                                                    grpc::StatusCode::UNIMPLEMENTED))
      << Describe(status);
  EXPECT_FALSE(absl::StrContains(call.first_response(), "ResolvePrincipal"))
      << "the gateway described the suite's API to a caller without a token ("
      << call.first_response().size() << " bytes)";
}

// Deny by default: ResolvePrincipal has no rule, so no role may call it from
// outside, not even the administrator.
// "Roles come from relations-service ..., cached with a short TTL and
// refreshed when relations reports a change" (issue 7). The gateway holds
// relations-service's WatchDirectoryChanges stream and forgets cached roles on
// each change: a role granted, and a departure recorded, apply to the very
// token already cached, within a second or two rather than the 30 s TTL.
TEST_F(GatewayE2ETest, DirectoryChangesApplyToCachedCallersAtOnce) {
  constexpr char kPerson[] = "people/off-kieran-quinn";  // an officer no other test uses
  const std::string authorization = "Bearer " + SignedToken(*ec_signer_, kPerson, UniqueClaim());
  auto call_auditor_method = [&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    relations::v1::ListOverdueInterestsRequest request;
    relations::v1::ListOverdueInterestsResponse response;
    return RelationsService::NewStub(suite_->GatewayChannel())
        ->ListOverdueInterests(&context, request, &response);
  };
  // Cache the caller with an officer's roles only; ListOverdueInterests is for
  // auditors (and the monitoring officer, administrators).
  ASSERT_TRUE(GetPersonAs(suite_->GatewayChannel(), authorization).ok());
  grpc::Status denied = call_auditor_method();
  ASSERT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(denied);

  // HR grants the auditor role (an idempotent import of the changed record).
  auto import_person = [&](const std::function<void(relations::v1::Person*)>& change) {
    grpc::ClientContext get_context;
    suite_->Authorize(&get_context, kAdmin);
    relations::v1::GetPersonRequest get;
    get.set_name(kPerson);
    relations::v1::ImportDirectoryRequest import;
    auto stub = RelationsService::NewStub(suite_->GatewayChannel());
    ASSERT_TRUE(stub->GetPerson(&get_context, get, import.add_people()).ok());
    change(import.mutable_people(0));
    grpc::ClientContext import_context;
    suite_->Authorize(&import_context, kAdmin);
    relations::v1::ImportDirectoryResponse response;
    const grpc::Status imported = stub->ImportDirectory(&import_context, import, &response);
    ASSERT_TRUE(imported.ok()) << Describe(imported);
    ASSERT_EQ(response.updated_count(), 1);
  };
  import_person([](relations::v1::Person* person) { person->add_system_roles("auditor"); });
  const absl::Time granted = absl::Now();
  grpc::Status allowed = call_auditor_method();
  while (!allowed.ok() && absl::Now() - granted < absl::Seconds(5)) {
    absl::SleepFor(absl::Milliseconds(50));
    allowed = call_auditor_method();
  }
  EXPECT_TRUE(allowed.ok()) << "the new role was not seen within 5 s: " << Describe(allowed);

  // HR records that the officer has left: the cached token stops working.
  import_person([](relations::v1::Person* person) {
    const absl::CivilDay yesterday = absl::CivilDay(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())) - 1;
    person->mutable_end_date()->set_year(static_cast<int32_t>(yesterday.year()));
    person->mutable_end_date()->set_month(yesterday.month());
    person->mutable_end_date()->set_day(yesterday.day());
  });
  const absl::Time left = absl::Now();
  grpc::Status refused = GetPersonAs(suite_->GatewayChannel(), authorization);
  while (refused.ok() && absl::Now() - left < absl::Seconds(5)) {
    absl::SleepFor(absl::Milliseconds(50));
    refused = GetPersonAs(suite_->GatewayChannel(), authorization);
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(refused);
  EXPECT_THAT(refused.error_message(), HasSubstr("has left"));
}

TEST_F(GatewayE2ETest, MethodWithoutARuleIsDeniedToTheAdministrator) {
  const grpc::Status status = CallMethod(suite_->GatewayChannel(), kResolvePrincipal,
                                         {{"authorization", "Bearer " + suite_->TokenFor(kAdmin)}});
  EXPECT_TRUE(IsGatewayPolicyDenial(status)) << Describe(status);
  // Nor a method that no service has.
  const grpc::Status unknown =
      CallMethod(suite_->GatewayChannel(), "/council.relations.v1.RelationsService/DropDatabase",
                 {{"authorization", "Bearer " + suite_->TokenFor(kAdmin)}});
  EXPECT_TRUE(IsGatewayPolicyDenial(unknown)) << Describe(unknown);
}

// The backends trust only the gateway's assertion; a caller who sends their
// own x-council-assertion header to the gateway gains nothing by it.
TEST_F(GatewayE2ETest, AssertionHeaderSentToTheGatewayIsNotHonoured) {
  auto key = auth::AssertionKey::FromFile(suite_->internal_key_file());
  ASSERT_TRUE(key.ok());
  const std::string import = "/council.relations.v1.RelationsService/ImportDirectory";
  // Even one signed with the real key (as a leaked assertion would be).
  const std::string assertion = auth::SignAssertion(
      auth::NewAssertion(kAdmin, {"administrator"}, import, absl::Now()), *key);
  const grpc::Status status =
      CallMethod(suite_->GatewayChannel(), import,
                 {{"authorization", "Bearer " + suite_->TokenFor(kMember)},
                  {std::string(auth::kAssertionMetadataKey), assertion}});
  EXPECT_TRUE(IsGatewayPolicyDenial(status)) << Describe(status);
}

// A deadline shorter than any call through the gateway can take (the unary
// path answers a GetPerson in well under a millisecond, so 1 ms is no longer
// short enough) ends DEADLINE_EXCEEDED, and the gateway serves the next call
// normally. That the deadline reaches the backend is shown by the stream test
// below.
TEST_F(GatewayE2ETest, DeadlineTooShortForAnyCallIsDeadlineExceeded) {
  const std::string authorization = "Bearer " + suite_->TokenFor(kMember);
  const grpc::Status status =
      GetPersonAs(suite_->GatewayChannel(), authorization, absl::Microseconds(20));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << Describe(status);
  EXPECT_TRUE(GetPersonAs(suite_->GatewayChannel(), authorization).ok());
}

// A stream the backend would hold open forever ends at the caller's deadline:
// the deadline reached the backend through the gateway.
TEST_F(GatewayE2ETest, EventStreamThroughTheGatewayEndsAtTheCallersDeadline) {
  auto stub = complaints::v1::ComplaintsService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext context;
  suite_->Authorize(&context, kAdmin);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(800)));
  complaints::v1::WatchComplaintEventsRequest request;
  request.set_after_position(1000000000);  // nothing to send: the stream just waits
  const absl::Time start = absl::Now();
  auto reader = stub->WatchComplaintEvents(&context, request);
  complaints::v1::ComplaintEvent event;
  while (reader->Read(&event)) {
  }
  const grpc::Status status = reader->Finish();
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << Describe(status);
  EXPECT_LT(took, absl::Seconds(3)) << took;
}

// Issue 7: "A backend reached directly, or with a forged or replayed
// assertion, refuses with UNAUTHENTICATED." Every method of every backend,
// without an assertion, with one forged under another key, and with a genuine
// one minted for another method.
TEST_F(GatewayE2ETest, EveryBackendMethodRefusesMissingForgedAndMisdirectedAssertions) {
  auto key = auth::AssertionKey::FromFile(suite_->internal_key_file());
  ASSERT_TRUE(key.ok());
  const auth::AssertionKey wrong_key =
      auth::AssertionKey::FromSecretForTesting(auth::AssertionKey::GenerateSecretHex());
  const std::map<std::string, std::string> backend_of = {
      {RelationsService::service_full_name(), "relations-service"},
      {access::v1::AccessService::service_full_name(), "access-service"},
      {complaints::v1::ComplaintsService::service_full_name(), "complaints-service"}};
  std::vector<std::string> accepted;
  for (const std::string& method : BackendMethods()) {
    const std::string service = method.substr(1, method.rfind('/') - 1);
    auto channel = suite_->BackendChannel(backend_of.at(service));
    const std::vector<std::pair<std::string, std::multimap<std::string, std::string>>> attempts = {
        {"no assertion, identity in headers", {{"x-council-person", kAdmin}}},
        {"gateway token instead of assertion",
         {{"authorization", "Bearer " + suite_->TokenFor(kAdmin)}}},
        {"forged with another key",
         {{std::string(auth::kAssertionMetadataKey),
           auth::SignAssertion(
               auth::NewAssertion(kAdmin, {"administrator", "monitoring-officer"}, method,
                                  absl::Now()),
               wrong_key)}}},
        {"genuine but for another method",
         {{std::string(auth::kAssertionMetadataKey),
           auth::SignAssertion(
               auth::NewAssertion(kAdmin, {"administrator"}, method == kGetPerson
                                                                 ? kResolvePrincipal
                                                                 : kGetPerson,
                                  absl::Now()),
               *key)}}},
        {"genuine but expired",
         {{std::string(auth::kAssertionMetadataKey),
           auth::SignAssertion(auth::NewAssertion(kAdmin, {"administrator"}, method,
                                                  absl::Now() - absl::Minutes(2),
                                                  absl::Seconds(30)),
                               *key)}}},
    };
    for (const auto& [what, metadata] : attempts) {
      const grpc::Status status = CallMethod(channel, method, metadata);
      if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED ||
          ErrorInfoReason(status) != "ERROR_REASON_NOT_FROM_GATEWAY")
        accepted.push_back(absl::StrCat(method, " (", what, "): ", Describe(status)));
    }
  }
  EXPECT_THAT(accepted, ::testing::IsEmpty()) << absl::StrJoin(accepted, "\n");
}

// A genuine assertion, signed with the suite's internal key exactly as the
// gateway's SignCall does, is good for one call: the same assertion presented
// again (a replay by someone who captured it) is refused by each backend.
TEST_F(GatewayE2ETest, ReplayedAssertionIsRefusedByEachBackend) {
  auto key = auth::AssertionKey::FromFile(suite_->internal_key_file());
  ASSERT_TRUE(key.ok());
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"relations-service", kGetPerson},
      {"access-service", "/council.access.v1.AccessService/ListDocuments"},
      {"complaints-service", "/council.complaints.v1.ComplaintsService/ListComplaints"}};
  for (const auto& [service, method] : targets) {
    const std::string captured = auth::SignAssertion(
        auth::NewAssertion(kAdmin, {"officer", "administrator"}, method, absl::Now(),
                           absl::Seconds(10)),
        *key);
    const std::multimap<std::string, std::string> metadata = {
        {std::string(auth::kAssertionMetadataKey), captured}};
    const grpc::Status first = CallMethod(suite_->BackendChannel(service), method, metadata);
    EXPECT_NE(first.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << service << ": the genuine first use must pass: " << Describe(first);
    const grpc::Status replay = CallMethod(suite_->BackendChannel(service), method, metadata);
    EXPECT_EQ(replay.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << service << ": " << Describe(replay);
    EXPECT_EQ(ErrorInfoReason(replay), "ERROR_REASON_NOT_FROM_GATEWAY") << service;
    EXPECT_THAT(replay.error_message(), HasSubstr("replayed")) << service;
  }
}

// "Maximum message size": the default --max_message_bytes is 16 MiB.
TEST_F(GatewayE2ETest, RequestOverTheDefaultMaximumMessageSizeIsResourceExhausted) {
  const std::string authorization = "Bearer " + suite_->TokenFor(kMember);
  const grpc::Status status = GetPersonAs(suite_->GatewayChannel(), authorization,
                                          absl::Seconds(20), std::string(17 << 20, 'x'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
}

// "A backend that is down gives UNAVAILABLE quickly; when it comes back, calls
// succeed again without restarting the gateway." Run last in this suite: it
// kills and restarts backends.
TEST_F(GatewayE2ETest, ZzBackendDownGivesUnavailableQuicklyAndRecoversWithoutGatewayRestart) {
  struct Target {
    std::string service;
    std::function<grpc::Status()> call;
  };
  auto get_document = [] {
    auto stub = access::v1::AccessService::NewStub(suite_->GatewayChannel());
    grpc::ClientContext context;
    suite_->Authorize(&context, kMember);  // 10 s deadline: "quickly" is ours to measure
    access::v1::GetDocumentRequest request;
    request.set_name("documents/rec-000010");
    access::v1::Document document;
    return stub->GetDocument(&context, request, &document);
  };
  auto get_person = [] {
    // A fresh token, so the gateway must ask relations-service who it is.
    return GetPersonAs(suite_->GatewayChannel(),
                       "Bearer " + SignedToken(*ec_signer_, kMember, UniqueClaim()));
  };
  for (const Target& target : {Target{"access-service", get_document},
                               Target{"relations-service", get_person}}) {
    SCOPED_TRACE(target.service);
    ASSERT_TRUE(target.call().ok());
    suite_->Kill9(target.service);
    for (int i = 0; i < 3; ++i) {
      const absl::Time start = absl::Now();
      const grpc::Status status = target.call();
      const absl::Duration took = absl::Now() - start;
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
      EXPECT_LT(took, absl::Seconds(2)) << "call " << i << " took " << took;
      std::cout << target.service << " down: UNAVAILABLE after " << took << "\n";
    }
    suite_->Restart(target.service);
    const absl::Time restarted = absl::Now();
    grpc::Status status;
    while (absl::Now() - restarted < absl::Seconds(10)) {
      status = target.call();
      if (status.ok()) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    EXPECT_TRUE(status.ok()) << "no recovery within 10 s: " << Describe(status);
    std::cout << target.service << " back: first success " << absl::Now() - restarted
              << " after restart\n";
  }
  EXPECT_TRUE(suite_->SendSignal("gateway", 0)) << "the gateway itself was never restarted";
}

// ---------------------------------------------------------------------------
// A suite whose gateway has low limits: 5 calls/s per caller, burst 5, and
// 64 KiB messages.
// ---------------------------------------------------------------------------

constexpr char kOfficerA[] = "people/off-rate-test-a";
constexpr char kOfficerB[] = "people/off-rate-test-b";

class GatewayLimitsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = Suite::Start("southwark", {"--rate_limit_per_second=5", "--rate_limit_burst=5",
                                        "--max_message_bytes=65536"})
                 .release();
    // Two people of our own (the directory holds only the bootstrap administrator).
    for (const char* person : {kOfficerA, kOfficerB}) {
      auto stub = RelationsService::NewStub(suite_->GatewayChannel());
      grpc::ClientContext context;
      suite_->Authorize(&context, kAdmin);
      relations::v1::CreatePersonRequest request;
      request.set_person_id(std::string(person).substr(std::string("people/").size()));
      request.mutable_person()->set_display_name(person);
      request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
      request.mutable_person()->mutable_start_date()->set_year(2024);
      request.mutable_person()->mutable_start_date()->set_month(1);
      request.mutable_person()->mutable_start_date()->set_day(8);
      relations::v1::Person created;
      grpc::Status status = stub->CreatePerson(&context, request, &created);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static Suite* suite_;
};
Suite* GatewayLimitsE2ETest::suite_ = nullptr;

// "Per-principal rate limits (token bucket, from config) -> RESOURCE_EXHAUSTED",
// so that one runaway script cannot starve the council's other users.
TEST_F(GatewayLimitsE2ETest, CallerOverTheRateLimitIsRefusedAndOthersAreUnaffected) {
  const std::string authorization = "Bearer " + suite_->TokenFor(kOfficerA);
  int ok = 0, limited = 0;
  grpc::Status refusal;
  for (int i = 0; i < 20; ++i) {
    const grpc::Status status =
        GetPersonAs(suite_->GatewayChannel(), authorization, absl::Seconds(10), kAdmin);
    if (status.ok()) {
      ++ok;
    } else if (IsRateLimited(status)) {
      ++limited;
      refusal = status;
    } else {
      ADD_FAILURE() << "call " << i << ": " << Describe(status);
    }
  }
  std::cout << "20 quick calls at 5/s, burst 5: " << ok << " allowed, " << limited
            << " rate limited\n";
  EXPECT_GE(ok, 5) << "the burst is allowed at once";
  EXPECT_LE(ok, 8) << "a quick run of 20 calls refills at most a token or two";
  EXPECT_EQ(ok + limited, 20);
  EXPECT_THAT(refusal.error_message(), HasSubstr(kOfficerA));
  EXPECT_EQ(ErrorInfoMetadata(refusal, "caller"), kOfficerA);

  // Another person is unaffected...
  grpc::Status other = GetPersonAs(suite_->GatewayChannel(), "Bearer " + suite_->TokenFor(kOfficerB),
                                   absl::Seconds(10), kAdmin);
  EXPECT_TRUE(other.ok()) << Describe(other);
  // ...and the bucket refills: after a second the first caller may call again.
  absl::SleepFor(absl::Milliseconds(1100));
  grpc::Status again = GetPersonAs(suite_->GatewayChannel(), authorization, absl::Seconds(10), kAdmin);
  EXPECT_TRUE(again.ok()) << Describe(again);
}

// A GetPersonRequest for `name` padded to at least `size` bytes with an
// unknown field (number 1000), which the backend parses and ignores: the size
// of the request changes, nothing else does.
std::string PaddedGetPersonRequest(const std::string& name, size_t size) {
  relations::v1::GetPersonRequest request;
  request.set_name(name);
  std::string bytes = request.SerializeAsString();
  auto varint = [&bytes](uint64_t value) {
    while (value >= 0x80) {
      bytes.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    bytes.push_back(static_cast<char>(value));
  };
  varint((1000 << 3) | 2);  // field 1000, length-delimited
  const size_t padding = size > bytes.size() + 8 ? size - bytes.size() - 8 : 0;
  varint(padding);
  bytes.append(padding, 'x');
  return bytes;
}

// "Maximum message size": over --max_message_bytes is RESOURCE_EXHAUSTED; just
// under it reaches the backend and succeeds.
TEST_F(GatewayLimitsE2ETest, RequestOverMaxMessageBytesIsResourceExhausted) {
  const std::multimap<std::string, std::string> metadata = {
      {"authorization", "Bearer " + suite_->TokenFor(kOfficerB)}};
  absl::SleepFor(absl::Milliseconds(1100));  // a full bucket, whatever ran before
  const std::string over = PaddedGetPersonRequest(kAdmin, 70000);
  ASSERT_GT(over.size(), 65536u);
  const grpc::Status refused = CallMethod(suite_->GatewayChannel(), kGetPerson, metadata, over);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(refused);
  EXPECT_FALSE(IsRateLimited(refused)) << Describe(refused);
  const std::string under = PaddedGetPersonRequest(kAdmin, 60000);
  ASSERT_GT(under.size(), 59000u);
  ASSERT_LT(under.size(), 65536u);
  const grpc::Status accepted = CallMethod(suite_->GatewayChannel(), kGetPerson, metadata, under);
  EXPECT_TRUE(accepted.ok()) << Describe(accepted);
}

// ---------------------------------------------------------------------------
// JWKS rotation on SIGHUP, in a suite of its own (rate limiting off, so the
// background caller is never limited).
// ---------------------------------------------------------------------------

// Issue 7: "key rotation by reloading the file on SIGHUP without dropping
// calls". A key is added, then withdrawn while another is added; a caller
// keeps calling throughout with the suite's unchanged key.
TEST(GatewayKeyRotationE2ETest, SighupReloadsTheJwksWithoutDroppingCalls) {
  auto suite = Suite::Start("southwark", {"--rate_limit_per_second=0"});
  const auth::JwtSigner suite_signer = SuiteSigner(*suite);
  const auth::JwtSigner retiring = NewSigner(auth::KeyType::kEcP256);
  const auth::JwtSigner incoming = NewSigner(auth::KeyType::kRsa2048);
  auto channel = suite->GatewayChannel();
  auto call_with = [&](const auth::JwtSigner& signer) {
    return GetPersonAs(channel, "Bearer " + SignedToken(signer, kAdmin, UniqueClaim()), absl::Seconds(10),
                       kAdmin);
  };
  auto await_accepted = [&](const auth::JwtSigner& signer) {
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      status = call_with(signer);
      if (status.ok()) return status;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return status;
  };

  // Calls keep working during the reloads: every token is new (so each call
  // is verified, not answered from the token cache).
  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  std::vector<std::string> failures;
  std::thread background([&] {
    auto own_channel = suite->GatewayChannel();
    while (!stop.load()) {
      const grpc::Status status = GetPersonAs(
          own_channel, "Bearer " + SignedToken(suite_signer, kAdmin, UniqueClaim()),
          absl::Seconds(10), kAdmin);
      calls.fetch_add(1);
      if (!status.ok() && failures.size() < 20) failures.push_back(Describe(status));
    }
  });

  EXPECT_EQ(call_with(retiring).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // 1. Add a key.
  suite->WriteJwks(JwksOf({&suite_signer, &retiring}));
  ASSERT_TRUE(suite->SendSignal("gateway", SIGHUP));
  grpc::Status status = await_accepted(retiring);
  EXPECT_TRUE(status.ok()) << "the added key was not taken on SIGHUP: " << Describe(status);
  // A token of the retiring key used (and so cached by the gateway) before the rotation.
  const std::string cached_token = SignedToken(retiring, kAdmin, UniqueClaim());
  EXPECT_TRUE(GetPersonAs(channel, "Bearer " + cached_token, absl::Seconds(10), kAdmin).ok());

  // 2. Withdraw it and add another.
  suite->WriteJwks(JwksOf({&suite_signer, &incoming}));
  ASSERT_TRUE(suite->SendSignal("gateway", SIGHUP));
  status = await_accepted(incoming);
  EXPECT_TRUE(status.ok()) << "the new key was not taken on SIGHUP: " << Describe(status);
  status = call_with(retiring);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown kid"));
  // "A withdrawn key stops working at once", even for a token the gateway had cached.
  status = GetPersonAs(channel, "Bearer " + cached_token, absl::Seconds(10), kAdmin);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);

  // 3. A broken file on SIGHUP keeps the previous keys.
  suite->WriteJwks("{\"keys\": [ this is not JSON");
  ASSERT_TRUE(suite->SendSignal("gateway", SIGHUP));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_TRUE(call_with(incoming).ok());
  EXPECT_TRUE(call_with(suite_signer).ok());

  stop.store(true);
  background.join();
  EXPECT_GT(calls.load(), 10);
  EXPECT_THAT(failures, ::testing::IsEmpty()) << absl::StrJoin(failures, "\n");
  std::cout << "calls during the reloads: " << calls.load() << ", failed: " << failures.size()
            << "\n";
  EXPECT_THAT(ReadFile(suite->dir() + "/gateway.log"), HasSubstr("jwks_reloaded"));
  EXPECT_THAT(ReadFile(suite->dir() + "/gateway.log"), HasSubstr("jwks_reload_failed"));
}

}  // namespace
}  // namespace council::e2e
