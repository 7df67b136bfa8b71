// End-to-end tests of issue 17, "Configuration that would open a hole is
// refused": the real binaries, run with --check_config on a copy of a shipped
// file with one flaw, exit non-zero naming the file and line. The unit tests
// (tests/gateway/method_policy_test.cc, tests/common/profile/) cover each
// refusal; these show the binaries apply them before serving anything.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// `text` with its one occurrence of `from` replaced by `to`.
std::string Replaced(const std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  return absl::StrReplaceAll(text, {{from, to}});
}

class ConfigRefusalE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/council-config-refusal-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/internal.key") << auth::AssertionKey::GenerateSecretHex();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // Runs `service --check_config` with `profile`; returns the exit code.
  int CheckService(const std::string& service, const std::string& profile, std::string* output) {
    return Suite::RunBinary(
        absl::StrCat(service, "/", service),
        {"--profile=" + profile, "--database=" + dir_ + "/" + service + ".db",
         "--internal_key_file=" + dir_ + "/internal.key", "--relations_address=127.0.0.1:1",
         "--check_config"},
        output);
  }

  // Runs `gateway --check_config` with `policy` (and `profile` if given).
  int CheckGateway(const std::string& policy, const std::string& profile, std::string* output) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--policy_file=" + policy,
                                     "--jwks_file=" + dir_ + "/no-jwks.json",
                                     "--jwt_issuer=council-dev",
                                     "--internal_key_file=" + dir_ + "/internal.key",
                                     "--relations_address=127.0.0.1:1", "--check_config"};
    if (!profile.empty()) args.push_back("--profile=" + profile);
    return Suite::RunBinary("gateway/gateway", args, output);
  }

  static std::string Shipped(const std::string& relative) {
    return absl::StrCat(COUNCIL_SOURCE_DIR, "/", relative);
  }

  std::string dir_;
};

TEST_F(ConfigRefusalE2ETest, GatewayRefusesAPolicyThatOpensPersonalDataWithoutAToken) {
  const std::string policy = Write(
      "policy.textproto",
      Replaced(Read(Shipped("config/gateway-policy.textproto")),
               "rules { method: \"/council.relations.v1.RelationsService/ListPeople\" "
               "allowed_roles: \"authenticated\"",
               "rules { method: \"/council.relations.v1.RelationsService/ListPeople\" "
               "allow_unauthenticated: true allowed_roles: \"authenticated\""));
  std::string output;
  EXPECT_NE(CheckGateway(policy, "", &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("policy.textproto:19: rule for "
                                "/council.relations.v1.RelationsService/ListPeople may not "
                                "allow_unauthenticated: it writes or returns personal data"));
  EXPECT_THAT(output, Not(HasSubstr("configuration OK")));
}

TEST_F(ConfigRefusalE2ETest, GatewayRefusesARoleNoProfileOrServiceGives) {
  const std::string policy =
      Write("policy.textproto",
            Replaced(Read(Shipped("config/gateway-policy.textproto")),
                     "RelationsService/ListSecretMemberships\" allowed_roles: "
                     "\"monitoring-officer\"",
                     "RelationsService/ListSecretMemberships\" allowed_roles: "
                     "\"monitoring-oficer\""));
  std::string output;
  EXPECT_NE(CheckGateway(policy, Shipped("profiles/middlesbrough.textproto"), &output), 0)
      << output;
  EXPECT_THAT(output, HasSubstr("policy.textproto:"));
  EXPECT_THAT(output, HasSubstr("ListSecretMemberships: role \"monitoring-oficer\" is not a role "
                                "the suite gives"));
}

TEST_F(ConfigRefusalE2ETest, GatewayAcceptsTheShippedPolicyAndProfileUpToTheNextCheck) {
  // The shipped policy with a shipped profile passes the policy checks: what
  // stops this run is the missing JWKS, the next check.
  std::string output;
  EXPECT_NE(CheckGateway(Shipped("config/gateway-policy.textproto"),
                         Shipped("profiles/parish-template.textproto"), &output),
            0);
  EXPECT_THAT(output, HasSubstr("--jwks_file"));
  EXPECT_THAT(output, Not(HasSubstr("--policy_file")));
  EXPECT_THAT(output, Not(HasSubstr("--profile")));
}

TEST_F(ConfigRefusalE2ETest, ComplaintsServiceRefusesAProfileWithItsBlockDeleted) {
  // A deleted complaints block used to start complaints-service with no routes.
  std::string text = Read(Shipped("profiles/middlesbrough.textproto"));
  const size_t begin = text.find("\ncomplaints {");
  const size_t end = text.find("\n}\n", begin);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  text.erase(begin + 1, end + 3 - (begin + 1));
  const std::string profile = Write("middlesbrough.textproto", text);
  std::string output;
  EXPECT_NE(CheckService("complaints-service", profile, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("middlesbrough.textproto: `complaints` with at least one route "
                                "is required (complaints-service routes every complaint by it)"));
}

TEST_F(ConfigRefusalE2ETest, AccessServiceRefusesAnEmptiedClauseOnADesignation) {
  const std::string shipped = Read(Shipped("profiles/middlesbrough.textproto"));
  const std::string title = "  title: \"Head of Paid Service\"\n";
  const size_t at = shipped.find(title + "  clause {\n    clause: \"Middlesbrough 5.4\"");
  ASSERT_NE(at, std::string::npos);
  // The error points at the `clause {` line, the one after the title; the
  // profile is edited often, so the line is counted rather than written in.
  const int clause_line = 2 + static_cast<int>(std::count(shipped.begin(), shipped.begin() + at, '\n'));
  const std::string profile = Write(
      "middlesbrough.textproto",
      Replaced(shipped, title + "  clause {\n    clause: \"Middlesbrough 5.4\"",
               title + "  clause {\n    clause: \"\""));
  std::string output;
  EXPECT_NE(CheckService("access-service", profile, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("middlesbrough.textproto:", clause_line,
                                             ": designations[0].clause: the clause is empty "
                                             "(every rule and designation must cite its clause)")));
}

TEST_F(ConfigRefusalE2ETest, EveryServiceAcceptsEveryShippedProfile) {
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"}) {
    for (const char* service : {"access-service", "complaints-service", "relations-service"}) {
      SCOPED_TRACE(absl::StrCat(service, " ", id));
      std::string output;
      EXPECT_EQ(CheckService(service, Shipped(absl::StrCat("profiles/", id, ".textproto")),
                             &output),
                0)
          << output;
    }
  }
}

// A token minted to last until the year 9999 was accepted until then; through
// the gateway it is now UNAUTHENTICATED, with the reason.
TEST(TokenLifetimeE2ETest, GatewayRefusesATokenThatLivesLongerThanTheMaximum) {
  auto suite = Suite::Start("middlesbrough");
  auto signer = auth::JwtSigner::FromPrivateKeyPemFile(suite->jwt_key_file(), suite->jwt_kid());
  ASSERT_TRUE(signer.ok()) << signer.status();
  const absl::Time now = absl::Now();
  for (const absl::Time expires_at :
       {absl::FromUnixSeconds(253402300000) /* 9999-12-31 */, now + absl::Hours(13)}) {
    auth::JwtSigner::Claims claims{"people/it-admin", "council-dev", "council-suite", now,
                                   absl::InfinitePast(), expires_at};
    auto token = signer->Sign(claims);
    ASSERT_TRUE(token.ok()) << token.status();
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + *token);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    relations::v1::GetPersonRequest request;
    request.set_name("people/it-admin");
    relations::v1::Person person;
    const grpc::Status status = relations::v1::RelationsService::NewStub(suite->GatewayChannel())
                                    ->GetPerson(&context, request, &person);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("exceeds the maximum 12h (exp - iat)"));
  }
}

}  // namespace
}  // namespace council::e2e
