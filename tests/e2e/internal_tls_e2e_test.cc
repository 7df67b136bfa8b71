// The suite with TLS on every hop (issue 17, "Encryption between
// services"): each service serves TLS with its own certificate from
// scripts/make-dev-certs.sh, backends require a client certificate of the
// suite's CA that its CRL does not revoke, and the gateway and access and
// complaints call their siblings over TLS presenting theirs. Calls work end
// to end, including access → relations; a backend refuses plaintext and a
// client without a certificate; a revoked certificate is refused once the
// CRL is replaced and SIGHUP sent; a renewed server certificate is served
// after SIGHUP, and a bad one is refused with the old one kept; plaintext
// off loopback stops start-up naming the flag.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/errors/grpc_errors.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using relations::v1::RelationsService;
using ::testing::HasSubstr;

constexpr char kPlanningMember[] = "people/cllr-imran-ahmed";
constexpr char kOfficer[] = "people/off-jennifer-hayes";

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A fresh connection every time (no subchannel shared with an earlier
// channel), so each call makes its own handshake.
grpc::ChannelArguments FreshConnection() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return args;
}

// What a direct call to relations-service's GetPerson gets, and the
// certificate the server presented (empty if none or no handshake).
struct DirectCall {
  grpc::Status status;
  std::string served_certificate;
};

DirectCall CallRelations(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  relations::v1::GetPersonRequest request;
  request.set_name(kOfficer);
  relations::v1::Person person;
  DirectCall call;
  call.status = RelationsService::NewStub(channel)->GetPerson(&context, request, &person);
  if (auto auth = context.auth_context()) {
    for (const auto& value : auth->FindPropertyValues("x509_pem_cert"))
      call.served_certificate.assign(value.data(), value.size());
  }
  return call;
}

class InternalTlsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SuiteOptions options;
    options.internal_tls = true;
    suite_ = Suite::Start("southwark", options).release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the import goes gateway → relations over TLS";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  // A TLS channel to relations-service that verifies its certificate with
  // the suite's CA and presents `client` (a make-dev-certs.sh name; empty:
  // no client certificate).
  static std::shared_ptr<grpc::Channel> TlsToRelations(const std::string& client) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = Slurp(suite_->TlsFile("ca.pem"));
    if (!client.empty()) {
      tls.pem_cert_chain = Slurp(suite_->TlsFile(client + ".crt"));
      tls.pem_private_key = Slurp(suite_->TlsFile(client + ".key"));
    }
    return grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", suite_->Port("relations-service")),
        grpc::SslCredentials(tls), FreshConnection());
  }
  // Runs scripts/make-dev-certs.sh on the suite's PKI with `args`.
  static void DevCerts(const std::string& args) {
    const std::string command = absl::StrCat(COUNCIL_SOURCE_DIR, "/scripts/make-dev-certs.sh '",
                                             suite_->TlsFile(""), "' ", args, " >/dev/null 2>&1");
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  // Retries `call` until `done` says so or `limit` (scaled) passes.
  template <typename Call, typename Done>
  static DirectCall Await(Call call, Done done, absl::Duration limit = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + limit * TimeScale();
    DirectCall result = call();
    while (!done(result) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(100));
      result = call();
    }
    return result;
  }

  static Suite* suite_;
};
Suite* InternalTlsE2ETest::suite_ = nullptr;

TEST_F(InternalTlsE2ETest, CallsWorkEndToEndIncludingAccessAskingRelations) {
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::GetPersonRequest get;
  get.set_name(kOfficer);
  relations::v1::Person person;
  const grpc::Status got =
      RelationsService::NewStub(suite_->GatewayChannel())->GetPerson(&context, get, &person);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(person.name(), kOfficer);

  // A decision needs access-service to ask relations-service (over TLS, with
  // access-service's client certificate) for the requester's memberships.
  auto access = access::v1::AccessService::NewStub(suite_->GatewayChannel());
  grpc::ClientContext access_context;
  suite_->Authorize(&access_context, kPlanningMember);
  access::v1::CreateAccessRequestRequest request;
  request.mutable_access_request()->set_document("documents/rec-000010");
  request.mutable_access_request()->set_capacity(access::v1::CAPACITY_BODY_MEMBER);
  request.mutable_access_request()->set_purpose("Planning Committee item 5");
  access::v1::AccessRequest decided;
  const grpc::Status status = access->CreateAccessRequest(&access_context, request, &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(decided.decision().reasons_size(), 0) << "every decision cites its rule";
}

TEST_F(InternalTlsE2ETest, BackendRefusesPlaintextAndClientsWithoutACertificate) {
  const std::string address = absl::StrCat("127.0.0.1:", suite_->Port("relations-service"));
  const DirectCall plaintext = CallRelations(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), FreshConnection()));
  EXPECT_EQ(plaintext.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << plaintext.status.error_message();
  const DirectCall no_certificate = CallRelations(TlsToRelations(""));
  EXPECT_EQ(no_certificate.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << no_certificate.status.error_message();
  // With a certificate of the suite's CA the handshake succeeds, and the
  // call is refused one layer up: TLS is no way round the gateway.
  const DirectCall certified = CallRelations(TlsToRelations("access-service"));
  EXPECT_EQ(certified.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << certified.status.error_message();
  EXPECT_EQ(ErrorInfoReason(certified.status), "ERROR_REASON_NOT_FROM_GATEWAY");
  EXPECT_EQ(certified.served_certificate, Slurp(suite_->TlsFile("relations-service.crt")));
}

TEST_F(InternalTlsE2ETest, RevokedClientIsRefusedOnceTheCrlIsReloadedWithoutRestart) {
  DevCerts("hr-tool");  // a client certificate of the suite's CA
  auto call = [] { return CallRelations(TlsToRelations("hr-tool")); };
  const DirectCall before = call();
  EXPECT_EQ(before.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "handshake accepted: " << before.status.error_message();

  DevCerts("--revoke '" + suite_->TlsFile("hr-tool.crt") + "'");
  // The CRL file changed, but is read only at start and on SIGHUP.
  EXPECT_EQ(call().status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(suite_->SendSignal("relations-service", SIGHUP));
  const DirectCall after =
      Await(call, [](const DirectCall& c) { return c.status.error_code() == grpc::StatusCode::UNAVAILABLE; });
  EXPECT_EQ(after.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << "the revoked certificate still passes: " << after.status.error_message();
  EXPECT_TRUE(suite_->IsRunning("relations-service"));
  // The suite's own certificates are not revoked: the gateway still reaches
  // relations-service.
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::GetPersonRequest get;
  get.set_name(kOfficer);
  relations::v1::Person person;
  const grpc::Status through_gateway =
      RelationsService::NewStub(suite_->GatewayChannel())->GetPerson(&context, get, &person);
  EXPECT_TRUE(through_gateway.ok()) << through_gateway.error_message();
}

TEST_F(InternalTlsE2ETest, GatewayRefusesARevokedServiceAccountCertificateAfterSighup) {
  // The gateway asks for (does not require) a client certificate: people
  // connect without one; one that is sent is checked against the CRL too.
  DevCerts("unlisted-tool");
  auto call = [] {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = Slurp(suite_->TlsFile("ca.pem"));
    tls.pem_cert_chain = Slurp(suite_->TlsFile("unlisted-tool.crt"));
    tls.pem_private_key = Slurp(suite_->TlsFile("unlisted-tool.key"));
    return CallRelations(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", suite_->Port("gateway")), grpc::SslCredentials(tls),
        FreshConnection()));
  };
  const DirectCall before = call();
  EXPECT_EQ(before.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "handshake accepted, identity not a registered account: "
      << before.status.error_message();
  DevCerts("--revoke '" + suite_->TlsFile("unlisted-tool.crt") + "'");
  ASSERT_TRUE(suite_->SendSignal("gateway", SIGHUP));
  const DirectCall after = Await(
      call, [](const DirectCall& c) { return c.status.error_code() == grpc::StatusCode::UNAVAILABLE; });
  EXPECT_EQ(after.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << "the revoked certificate still passes the gateway's handshake";
  // People (a token, no certificate) are not affected.
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::GetPersonRequest get;
  get.set_name(kOfficer);
  relations::v1::Person person;
  const grpc::Status through_gateway =
      RelationsService::NewStub(suite_->GatewayChannel())->GetPerson(&context, get, &person);
  EXPECT_TRUE(through_gateway.ok()) << through_gateway.error_message();
}

TEST_F(InternalTlsE2ETest, RenewedServerCertificateIsServedAfterSighup) {
  const std::string old_certificate = Slurp(suite_->TlsFile("relations-service.crt"));
  auto call = [] { return CallRelations(TlsToRelations("access-service")); };
  ASSERT_EQ(call().served_certificate, old_certificate);

  DevCerts("--renew relations-service");
  const std::string new_certificate = Slurp(suite_->TlsFile("relations-service.crt"));
  ASSERT_NE(new_certificate, old_certificate);
  ASSERT_TRUE(suite_->SendSignal("relations-service", SIGHUP));
  const DirectCall renewed = Await(call, [&](const DirectCall& c) {
    return c.served_certificate == new_certificate;
  });
  EXPECT_EQ(renewed.served_certificate, new_certificate) << "still the old certificate";
  EXPECT_TRUE(suite_->IsRunning("relations-service"));
  // The gateway and access-service verify the renewed certificate too.
  grpc::ClientContext context;
  suite_->Authorize(&context, kPlanningMember);
  relations::v1::GetPersonRequest get;
  get.set_name(kOfficer);
  relations::v1::Person person;
  const grpc::Status through_gateway =
      RelationsService::NewStub(suite_->GatewayChannel())->GetPerson(&context, get, &person);
  EXPECT_TRUE(through_gateway.ok()) << through_gateway.error_message();
}

TEST_F(InternalTlsE2ETest, BadReplacementOnSighupIsLoggedAndTheOldCertificateKept) {
  const std::string cert_file = suite_->TlsFile("relations-service.crt");
  const std::string good = Slurp(cert_file);
  auto call = [] { return CallRelations(TlsToRelations("access-service")); };
  ASSERT_EQ(call().served_certificate, good);
  {
    std::ofstream(cert_file, std::ios::trunc) << "-----BEGIN CERTIFICATE-----\nnot base64\n";
  }
  ASSERT_TRUE(suite_->SendSignal("relations-service", SIGHUP));
  const std::string log = suite_->dir() + "/relations-service.log";
  const absl::Time deadline = absl::Now() + absl::Seconds(5) * TimeScale();
  while (Slurp(log).find("tls_reload_failed") == std::string::npos && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(50));
  const std::string logged = Slurp(log);
  EXPECT_THAT(logged, HasSubstr("tls_reload_failed"));
  EXPECT_THAT(logged, HasSubstr(cert_file));
  // Past the provider's one-second poll: still serving, with the old certificate.
  absl::SleepFor(absl::Milliseconds(1500));
  const DirectCall after = call();
  EXPECT_EQ(after.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << after.status.error_message();
  EXPECT_EQ(after.served_certificate, good);
  EXPECT_TRUE(suite_->IsRunning("relations-service"));
  std::ofstream(cert_file, std::ios::trunc) << good;  // for the tests after this one
}

// Start-up refusals: plaintext where it would cross the network.
class InternalTlsStartupE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/council-tls-startup-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/internal.key") << auth::AssertionKey::GenerateSecretHex();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(InternalTlsStartupE2ETest, PlaintextListenOffLoopbackIsRefusedNamingTheFlag) {
  std::string output;
  const int rc = Suite::RunBinary(
      "relations-service/relations-service",
      {absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/southwark.textproto"),
       "--database=" + dir_ + "/relations.db", "--internal_key_file=" + dir_ + "/internal.key",
       "--listen=0.0.0.0:0", "--check_config"},
      &output);
  EXPECT_NE(rc, 0) << output;
  EXPECT_THAT(output, HasSubstr("--listen: 0.0.0.0:0 is not a loopback address"));
  EXPECT_THAT(output, HasSubstr("--tls_cert_file"));
}

TEST_F(InternalTlsStartupE2ETest, PlaintextHopOffLoopbackIsRefusedNamingTheFlag) {
  std::string output;
  const int rc = Suite::RunBinary(
      "access-service/access-service",
      {absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/southwark.textproto"),
       "--database=" + dir_ + "/access.db", "--internal_key_file=" + dir_ + "/internal.key",
       "--listen=127.0.0.1:0", "--relations_address=10.1.2.3:7101", "--check_config"},
      &output);
  EXPECT_NE(rc, 0) << output;
  EXPECT_THAT(output, HasSubstr("--relations_address: 10.1.2.3:7101 is neither a loopback"));
  EXPECT_THAT(output, HasSubstr("--internal_tls_ca_file"));
}

}  // namespace
}  // namespace council::e2e
