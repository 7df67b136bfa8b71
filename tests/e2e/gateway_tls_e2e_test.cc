// End-to-end tests of TLS on the outside and mTLS for service accounts (the
// issue's "TLS on the outside (certificate and key from files); mTLS for
// service accounts such as the HR and records integrations (client
// certificate → service principal)", "end-to-end with real certificates and
// tokens made at test time"): a CA, the gateway's certificate and the service
// accounts' client certificates are made with OpenSSL when the suite starts
// (tests/e2e/test_certificates.h); the gateway serves TLS with
// --tls_client_ca_file and a policy that registers two service accounts.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/council_client.h"
#include "common/audit/audit_log.h"
#include "common/errors/grpc_errors.h"
#include "common/storage/database.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"
#include "tests/e2e/test_certificates.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using access::v1::AccessService;
using relations::v1::RelationsService;

// Demo people (demo/README.md).
constexpr char kMember[] = "people/cllr-imran-ahmed";
constexpr char kOfficer[] = "people/off-jennifer-hayes";

// The service accounts the test policy registers, and their certificates'
// identities: HR's in a DNS subjectAltName, records' as a bare subject CN.
constexpr char kHrSync[] = "services/hr-sync";
constexpr char kHrSyncIdentity[] = "hr-sync.eastmere.gov.uk";
constexpr char kRecordsSync[] = "services/records-sync";
constexpr char kRecordsSyncIdentity[] = "records-sync.eastmere.gov.uk";
// Signed by the right CA, but listed nowhere.
constexpr char kIntruderIdentity[] = "intruder.eastmere.gov.uk";

constexpr char kImportDirectory[] = "/council.relations.v1.RelationsService/ImportDirectory";
constexpr char kImportDocuments[] = "/council.access.v1.AccessService/ImportDocuments";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

class GatewayTlsE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/council-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = new std::string(tmpl);
    auto certs = MakeGatewayTestCertificates(*dir_, kHrSyncIdentity, kRecordsSyncIdentity,
                                             kIntruderIdentity);
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new GatewayTestCertificates(*certs);
    // The shipped policy, plus the two accounts as council IT would add them.
    const std::string policy_file = *dir_ + "/gateway-policy.textproto";
    std::ofstream(policy_file)
        << ReadAll(absl::StrCat(COUNCIL_SOURCE_DIR, "/config/gateway-policy.textproto"))
        << "service_accounts { name: \"" << kHrSync << "\" certificate_identity: \""
        << kHrSyncIdentity << "\" roles: \"hr-integration\" reason: \"nightly HR sync\" }\n"
        << "service_accounts { name: \"" << kRecordsSync << "\" certificate_identity: \""
        << kRecordsSyncIdentity
        << "\" roles: \"records-integration\" reason: \"nightly records sync\" }\n";
    SuiteOptions options;
    options.gateway_flags = {"--tls_cert_file=" + certs_->server_cert_file,
                             "--tls_key_file=" + certs_->server_key_file,
                             "--tls_client_ca_file=" + certs_->ca_file,
                             "--policy_file=" + policy_file};
    options.gateway_ca_file = certs_->ca_file;
    suite_ = Suite::Start("southwark", options).release();
    // Through councilctl --ca-file, with the administrator's token.
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load over TLS";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
    if (getenv("COUNCIL_E2E_KEEP") == nullptr) std::filesystem::remove_all(*dir_);
    delete certs_;
    delete dir_;
  }

  // A TLS channel to the gateway that trusts `ca_file` and presents the
  // client certificate in `cert_file`/`key_file` (none if empty).
  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& cert_file,
                                                   const std::string& key_file,
                                                   const std::string& ca_file) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = ReadAll(ca_file);
    if (!cert_file.empty()) {
      tls.pem_cert_chain = ReadAll(cert_file);
      tls.pem_private_key = ReadAll(key_file);
    }
    // Each test gets its own connection: a handshake per channel.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", suite_->Port("gateway")),
                                     grpc::SslCredentials(tls), args);
  }
  static std::shared_ptr<grpc::Channel> HrSyncChannel() {
    return TlsChannel(certs_->registered_cert_file, certs_->registered_key_file,
                      certs_->ca_file);
  }

  static void Deadline(grpc::ClientContext* context) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  }

  static grpc::Status GetPerson(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& person_with_token) {
    auto stub = RelationsService::NewStub(channel);
    grpc::ClientContext context;
    Deadline(&context);
    if (!person_with_token.empty()) suite_->Authorize(&context, person_with_token);
    relations::v1::GetPersonRequest request;
    request.set_name(kOfficer);
    relations::v1::Person person;
    return stub->GetPerson(&context, request, &person);
  }

  // ImportDirectory (validate only) as whoever `channel` and `token_person`
  // make the caller.
  static grpc::Status ValidateDirectoryImport(const std::shared_ptr<grpc::Channel>& channel,
                                              const std::string& token_person = "") {
    auto stub = RelationsService::NewStub(channel);
    grpc::ClientContext context;
    Deadline(&context);
    if (!token_person.empty()) suite_->Authorize(&context, token_person);
    relations::v1::ImportDirectoryRequest request;
    request.set_validate_only(true);
    relations::v1::ImportDirectoryResponse response;
    return stub->ImportDirectory(&context, request, &response);
  }

  static grpc::Status ValidateDocumentImport(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = AccessService::NewStub(channel);
    grpc::ClientContext context;
    Deadline(&context);
    access::v1::ImportDocumentsRequest request;
    request.set_validate_only(true);
    access::v1::ImportDocumentsResponse response;
    return stub->ImportDocuments(&context, request, &response);
  }

  // The audit entries of `service`'s database (gateway: one per call, with
  // the method as resource) whose resource is `resource`.
  static std::vector<audit::AuditEntry> AuditEntries(const std::string& service,
                                                     const std::string& resource) {
    auto db = storage::Database::OpenReadOnly(suite_->DatabasePath(service));
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    audit::AuditLog log(db->get());
    std::vector<audit::AuditEntry> all;
    int64_t after = 0;
    while (true) {
      auto page = log.List(after, 1000, resource);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) break;
      after = page->back().seq;
      all.insert(all.end(), page->begin(), page->end());
    }
    return all;
  }

  static Suite* suite_;
  static GatewayTestCertificates* certs_;
  static std::string* dir_;
};
Suite* GatewayTlsE2ETest::suite_ = nullptr;
GatewayTestCertificates* GatewayTlsE2ETest::certs_ = nullptr;
std::string* GatewayTlsE2ETest::dir_ = nullptr;

// ---------------------------------------------------------------------------
// TLS for people
// ---------------------------------------------------------------------------

TEST_F(GatewayTlsE2ETest, PersonsTokenCallOverTlsVerifiedWithTheCaSucceeds) {
  // suite_->GatewayChannel() verifies the gateway's certificate (SAN IP
  // 127.0.0.1) with the test CA and presents no client certificate.
  const grpc::Status status = GetPerson(suite_->GatewayChannel(), kMember);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

TEST_F(GatewayTlsE2ETest, PlaintextClientToTheTlsPortIsUnavailable) {
  auto plaintext = grpc::CreateChannel(absl::StrCat("127.0.0.1:", suite_->Port("gateway")),
                                       grpc::InsecureChannelCredentials());
  const grpc::Status status = GetPerson(plaintext, kMember);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
}

TEST_F(GatewayTlsE2ETest, ClientThatDoesNotTrustTheGatewaysCaIsUnavailable) {
  const grpc::Status status = GetPerson(TlsChannel("", "", certs_->foreign_ca_file), kMember);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
}

TEST_F(GatewayTlsE2ETest, NoTokenAndNoCertificateIsUnauthenticated) {
  const grpc::Status status = GetPerson(suite_->GatewayChannel(), "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_UNAUTHENTICATED");
}

// ---------------------------------------------------------------------------
// mTLS for service accounts
// ---------------------------------------------------------------------------

TEST_F(GatewayTlsE2ETest, ServiceAccountImportsWithItsCertificateAndIsAuditedUnderItsName) {
  auto stub = RelationsService::NewStub(HrSyncChannel());
  grpc::ClientContext context;  // no token
  Deadline(&context);
  relations::v1::ImportDirectoryRequest request;
  relations::v1::Person* person = request.add_people();
  person->set_name("people/off-tls-import-test");
  person->set_display_name("TLS Import Test");
  person->set_kind(relations::v1::PERSON_KIND_OFFICER);
  person->mutable_start_date()->set_year(2024);
  person->mutable_start_date()->set_month(4);
  person->mutable_start_date()->set_day(1);
  relations::v1::ImportDirectoryResponse response;
  const grpc::Status status = stub->ImportDirectory(&context, request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created_count() + response.updated_count() + response.unchanged_count(), 1);

  // relations-service recorded the change as the account's, in its own
  // audit log (in the same transaction as the change)...
  bool relations_saw = false;
  for (const auto& entry : AuditEntries("relations-service", "directory"))
    relations_saw |= entry.actor == kHrSync && entry.action == "ImportDirectory";
  EXPECT_TRUE(relations_saw) << "relations-service did not audit the import as " << kHrSync;
  // ...and the gateway its call (its writer batches every 50 ms).
  absl::SleepFor(absl::Milliseconds(300));
  bool gateway_saw = false;
  for (const auto& entry : AuditEntries("gateway", kImportDirectory))
    gateway_saw |= entry.actor == kHrSync && entry.action == "call.allowed";
  EXPECT_TRUE(gateway_saw) << "the gateway did not audit the call as " << kHrSync;
}

TEST_F(GatewayTlsE2ETest, ServiceAccountIsDeniedAMethodItsRolesDoNotAllow) {
  // ImportDocuments is for administrators and records-integration only.
  const grpc::Status status = ValidateDocumentImport(HrSyncChannel());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_METHOD_NOT_ALLOWED");
  EXPECT_THAT(status.error_message(), HasSubstr(kImportDocuments));
  EXPECT_THAT(status.error_message(), HasSubstr(kHrSync));
  EXPECT_THAT(status.error_message(), HasSubstr("roles: hr-integration"));
}

// The records account's certificate has no subjectAltName: its subject CN is
// its identity. Its roles are its own, not HR's.
TEST_F(GatewayTlsE2ETest, CertificateWithoutSanIsIdentifiedByItsCommonName) {
  auto records = TlsChannel(certs_->cn_only_cert_file, certs_->cn_only_key_file, certs_->ca_file);
  const grpc::Status allowed = ValidateDocumentImport(records);
  EXPECT_TRUE(allowed.ok()) << Describe(allowed);
  const grpc::Status denied = ValidateDirectoryImport(records);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(denied);
  EXPECT_THAT(denied.error_message(), HasSubstr(kRecordsSync));
  EXPECT_THAT(denied.error_message(), HasSubstr("roles: records-integration"));
}

// The backends trust the suite's own services ("services/access-service")
// beyond their roles; an outside service account must not inherit that. The
// full register is for the monitoring officer only, and GetRegister is open
// to any authenticated caller at the gateway, so relations-service decides.
TEST_F(GatewayTlsE2ETest, ServiceAccountIsNotTrustedAsOneOfTheSuitesOwnServices) {
  auto stub = RelationsService::NewStub(HrSyncChannel());
  grpc::ClientContext context;
  Deadline(&context);
  relations::v1::GetRegisterRequest request;
  request.set_person(kMember);
  request.set_view(relations::v1::REGISTER_VIEW_FULL);
  relations::v1::Register response;
  const grpc::Status status = stub->GetRegister(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("monitoring officer"));
}

TEST_F(GatewayTlsE2ETest, UnregisteredCertificateIsUnauthenticatedNamingItsIdentity) {
  auto intruder = TlsChannel(certs_->unregistered_cert_file, certs_->unregistered_key_file,
                             certs_->ca_file);
  const grpc::Status status = ValidateDirectoryImport(intruder);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr(kIntruderIdentity));
  EXPECT_THAT(status.error_message(), HasSubstr("is not a registered service account"));
}

TEST_F(GatewayTlsE2ETest, CertificateFromAnotherCaFailsTheHandshake) {
  // Same identity as the registered certificate; only the issuer differs.
  auto foreign = TlsChannel(certs_->foreign_cert_file, certs_->foreign_key_file, certs_->ca_file);
  const grpc::Status status = ValidateDirectoryImport(foreign);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
  // The gateway serves the next caller as usual.
  const grpc::Status after = ValidateDirectoryImport(HrSyncChannel());
  EXPECT_TRUE(after.ok()) << Describe(after);
}

// "A bearer token always takes precedence over a certificate": the member's
// token over the HR account's connection is the member, who may not import.
TEST_F(GatewayTlsE2ETest, BearerTokenTakesPrecedenceOverTheCertificate) {
  const grpc::Status member = ValidateDirectoryImport(HrSyncChannel(), kMember);
  EXPECT_EQ(member.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(member);
  EXPECT_THAT(member.error_message(), HasSubstr(kMember));
  EXPECT_THAT(member.error_message(), Not(HasSubstr(kHrSync)));
  // Nor does an unregistered certificate spoil a valid token.
  auto intruder = TlsChannel(certs_->unregistered_cert_file, certs_->unregistered_key_file,
                             certs_->ca_file);
  const grpc::Status officer = GetPerson(intruder, kOfficer);
  EXPECT_TRUE(officer.ok()) << Describe(officer);
}

// The client library (client/council_client.h) as an integration uses it:
// CA, client certificate and key, no token.
TEST_F(GatewayTlsE2ETest, ClientLibraryConnectsAsAServiceAccountWithoutAToken) {
  client::GatewayOptions options;
  options.address = absl::StrCat("127.0.0.1:", suite_->Port("gateway"));
  options.ca_cert_file = certs_->ca_file;
  options.client_cert_file = certs_->registered_cert_file;
  options.client_key_file = certs_->registered_key_file;
  auto channel = client::ConnectToGateway(options);
  ASSERT_TRUE(channel.ok()) << channel.status();
  const grpc::Status status = ValidateDirectoryImport(*channel);
  EXPECT_TRUE(status.ok()) << Describe(status);

  // Incomplete options are refused before connecting.
  client::GatewayOptions no_key = options;
  no_key.client_key_file.clear();
  EXPECT_EQ(client::ConnectToGateway(no_key).status().code(),
            absl::StatusCode::kInvalidArgument);
  client::GatewayOptions no_ca = options;
  no_ca.ca_cert_file.clear();
  EXPECT_EQ(client::ConnectToGateway(no_ca).status().code(), absl::StatusCode::kInvalidArgument);
  client::GatewayOptions missing = options;
  missing.client_key_file = *dir_ + "/no-such.key";
  EXPECT_EQ(client::ConnectToGateway(missing).status().code(), absl::StatusCode::kNotFound);
}

// councilctl as the nightly HR sync runs it: --ca-file (added by RunCtl),
// --cert-file and --key-file, no token; the import streams the demo
// directory (already loaded, so nothing changes).
TEST_F(GatewayTlsE2ETest, CouncilctlImportsTheDemoDirectoryAsAServiceAccount) {
  std::string output;
  const int rc = suite_->RunCtl({"--cert-file=" + certs_->registered_cert_file,
                                 "--key-file=" + certs_->registered_key_file, "import",
                                 "directory", absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council")},
                                "", &output);
  EXPECT_EQ(rc, 0) << output;
  absl::SleepFor(absl::Milliseconds(300));
  bool audited = false;
  for (const auto& entry :
       AuditEntries("gateway", "/council.relations.v1.RelationsService/StreamImportDirectory"))
    audited |= entry.actor == kHrSync && entry.action == "call.allowed";
  EXPECT_TRUE(audited) << "the gateway did not audit councilctl's import as " << kHrSync;

  // Without a certificate (and without a token) the same command is refused.
  const int refused = suite_->RunCtl(
      {"import", "directory", absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council")}, "", &output);
  EXPECT_NE(refused, 0);
  EXPECT_THAT(output, HasSubstr("no credentials")) << output;

  // A certificate without its key is a usage error, named.
  const int usage = suite_->RunCtl({"--cert-file=" + certs_->registered_cert_file, "people",
                                    "list"},
                                   "", &output);
  EXPECT_EQ(usage, 64) << output;
  EXPECT_THAT(output, HasSubstr("--key-file")) << output;
}

// ---------------------------------------------------------------------------
// Start-up checks
// ---------------------------------------------------------------------------

TEST_F(GatewayTlsE2ETest, ClientCaWithoutServerCertificateIsAClearStartupError) {
  std::string output;
  const int rc = Suite::RunBinary(
      "gateway/gateway",
      {"--listen=127.0.0.1:0", "--tls_client_ca_file=" + certs_->ca_file,
       absl::StrCat("--policy_file=", COUNCIL_SOURCE_DIR, "/config/gateway-policy.textproto"),
       "--jwks_file=" + suite_->jwks_file(), "--jwt_issuer=council-dev",
       "--internal_key_file=" + suite_->internal_key_file(),
       absl::StrCat("--relations_address=127.0.0.1:", suite_->Port("relations-service")),
       "--check_config"},
      &output);
  EXPECT_EQ(rc, 1) << output;
  EXPECT_THAT(output, HasSubstr("--tls_client_ca_file is set but --tls_cert_file is not"));
}

TEST_F(GatewayTlsE2ETest, ClientCaFileWithoutACertificateIsAClearStartupError) {
  const std::string not_pem = *dir_ + "/not-a-ca.pem";
  std::ofstream(not_pem) << "this is not a certificate\n";
  std::string output;
  const int rc = Suite::RunBinary(
      "gateway/gateway",
      {"--listen=127.0.0.1:0", "--tls_cert_file=" + certs_->server_cert_file,
       "--tls_key_file=" + certs_->server_key_file, "--tls_client_ca_file=" + not_pem,
       absl::StrCat("--policy_file=", COUNCIL_SOURCE_DIR, "/config/gateway-policy.textproto"),
       "--jwks_file=" + suite_->jwks_file(), "--jwt_issuer=council-dev",
       "--internal_key_file=" + suite_->internal_key_file(),
       absl::StrCat("--relations_address=127.0.0.1:", suite_->Port("relations-service")),
       "--check_config"},
      &output);
  EXPECT_EQ(rc, 1) << output;
  EXPECT_THAT(output, HasSubstr("--tls_client_ca_file"));
  EXPECT_THAT(output, HasSubstr("holds no PEM certificate"));
}

}  // namespace
}  // namespace council::e2e
