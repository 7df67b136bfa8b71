// Unit tests of the gateway's deny-by-default method policy (issue 7,
// "Authorisation": a policy file lists, for every fully-qualified method, the
// roles allowed; anything not listed is denied; a method in the policy that no
// service has is an error; a method a service has that the policy omits is
// reported).
#include "gateway/method_policy.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/profile/profile_loader.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPath[] = "test/policy.textproto";
constexpr char kGetPerson[] = "/council.relations.v1.RelationsService/GetPerson";
constexpr char kImportDirectory[] = "/council.relations.v1.RelationsService/ImportDirectory";
constexpr char kResolvePrincipal[] = "/council.relations.v1.RelationsService/ResolvePrincipal";
constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";

std::string ShippedPolicyPath() {
  return absl::StrCat(COUNCIL_SOURCE_DIR, "/config/gateway-policy.textproto");
}

std::shared_ptr<const MethodPolicy> ParseOrDie(const std::string& text) {
  auto policy = MethodPolicy::Parse(text, kPath);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

TEST(MethodPolicyTest, ShippedPolicyFileLoads) {
  auto policy = MethodPolicy::Load(ShippedPolicyPath());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE((*policy)->Known(kGetPerson));
}

// The shipped policy deliberately leaves ResolvePrincipal out (only the
// suite's own services call it); start-up must report it as uncovered.
TEST(MethodPolicyTest, UncoveredMethodsOfTheShippedPolicyListResolvePrincipal) {
  auto policy = MethodPolicy::Load(ShippedPolicyPath());
  ASSERT_TRUE(policy.ok()) << policy.status();
  const std::vector<std::string> uncovered = (*policy)->UncoveredMethods();
  EXPECT_THAT(uncovered, Contains(kResolvePrincipal));
  EXPECT_THAT(uncovered, Not(Contains(kGetPerson)));
  EXPECT_FALSE((*policy)->Known(kResolvePrincipal));
  EXPECT_FALSE((*policy)->Allows(kResolvePrincipal, {"administrator"}));
}

TEST(MethodPolicyTest, UncoveredMethodsListsEveryMethodOfAnEmptyPolicy) {
  auto policy = ParseOrDie("");
  ASSERT_NE(policy, nullptr);
  const std::vector<std::string> uncovered = policy->UncoveredMethods();
  EXPECT_THAT(uncovered, Contains(kGetPerson));
  EXPECT_THAT(uncovered, Contains("/council.access.v1.AccessService/GetDocument"));
  EXPECT_THAT(uncovered, Contains("/council.complaints.v1.ComplaintsService/CreateComplaint"));
}

// "A method in the policy that no service has is an error", naming file and line.
TEST(MethodPolicyTest, UnknownMethodIsAnErrorNamingFileAndLine) {
  auto policy = MethodPolicy::Parse(
      "# a comment\n"
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"member\" }\n"
      "rules { method: \"/council.relations.v1.RelationsService/GetPersonn\" allowed_roles: \"member\" }\n",
      kPath);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:3:"));
  EXPECT_THAT(policy.status().message(), HasSubstr("GetPersonn"));
}

TEST(MethodPolicyTest, UnknownServiceAndMalformedMethodNamesAreErrors) {
  for (const char* method :
       {"/council.relations.v2.RelationsService/GetPerson",   // no such service
        "council.relations.v1.RelationsService/GetPerson",    // no leading slash
        "/council.relations.v1.RelationsService.GetPerson",   // dotted, not slashed
        "/council.relations.v1.RelationsService/GetPerson/",  // trailing slash
        ""}) {
    auto policy = MethodPolicy::Parse(
        absl::StrCat("rules { method: \"", method, "\" allowed_roles: \"member\" }\n"), kPath);
    EXPECT_FALSE(policy.ok()) << "\"" << method << "\" was accepted";
    if (!policy.ok()) {
      EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:1:"));
    }
  }
}

// The health service is not in the generated pool, so its methods are known
// by name: a misspelt one is as much a typo as any other.
TEST(MethodPolicyTest, MisspeltHealthMethodIsAnError) {
  auto ok = MethodPolicy::Parse(
      "rules { method: \"/grpc.health.v1.Health/Check\" allow_unauthenticated: true }\n"
      "rules { method: \"/grpc.health.v1.Health/Watch\" allow_unauthenticated: true }\n",
      kPath);
  EXPECT_TRUE(ok.ok()) << ok.status();
  auto typo = MethodPolicy::Parse(
      "rules { method: \"/grpc.health.v1.Health/Chek\" allow_unauthenticated: true }\n", kPath);
  ASSERT_FALSE(typo.ok()) << "a rule for a health method that does not exist was accepted";
  EXPECT_THAT(typo.status().message(), HasSubstr("test/policy.textproto:1:"));
}

TEST(MethodPolicyTest, SyntaxErrorNamesFileAndLine) {
  auto policy = MethodPolicy::Parse(
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"member\" }\n"
      "rules { method: \"/council.relations.v1.RelationsService/ListPeople\" allowed_rolez: \"member\" }\n",
      kPath);
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto"));
  EXPECT_THAT(policy.status().message(), HasSubstr("2:"));
}

TEST(MethodPolicyTest, RuleAllowingNoRoleIsAnError) {
  auto policy = MethodPolicy::Parse(
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"member\" }\n"
      "rules { method: \"/council.relations.v1.RelationsService/ListPeople\" reason: \"forgot roles\" }\n",
      kPath);
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:2:"));
}

TEST(MethodPolicyTest, SecondRuleForTheSameMethodIsAnError) {
  // Two rules would leave it unclear which one the council meant.
  auto policy = MethodPolicy::Parse(
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"member\" }\n"
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"authenticated\" }\n",
      kPath);
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:2:"));
}

TEST(MethodPolicyTest, MissingFileIsNotFound) {
  auto policy = MethodPolicy::Load("/nonexistent/gateway-policy.textproto");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(policy.status().message(), HasSubstr("/nonexistent/gateway-policy.textproto"));
}

// Deny by default: "anything not listed is denied".
TEST(MethodPolicyTest, MethodWithNoRuleIsDeniedToEveryRole) {
  auto policy = ParseOrDie(
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"authenticated\" }\n");
  ASSERT_NE(policy, nullptr);
  EXPECT_FALSE(policy->Known(kImportDirectory));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {"administrator", "member", "authenticated"}));
  EXPECT_FALSE(policy->AllowsUnauthenticated(kImportDirectory));
  // Nor a method no service has, nor garbage.
  EXPECT_FALSE(policy->Allows("/council.relations.v1.RelationsService/Nope", {"administrator"}));
  EXPECT_FALSE(policy->Allows("", {"administrator"}));
  EXPECT_FALSE(policy->Allows("/council.relations.v1.RelationsService/GetPerson/", {"member"}));
}

TEST(MethodPolicyTest, OnlyTheListedRolesAreAllowedAndRolesMatchExactly) {
  auto policy = ParseOrDie(
      "rules { method: \"/council.relations.v1.RelationsService/ImportDirectory\" "
      "allowed_roles: \"administrator\" allowed_roles: \"hr-integration\" }\n");
  ASSERT_NE(policy, nullptr);
  EXPECT_TRUE(policy->Allows(kImportDirectory, {"administrator"}));
  EXPECT_TRUE(policy->Allows(kImportDirectory, {"member", "hr-integration"}));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {"member"}));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {}));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {"Administrator"}));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {"admin"}));
  EXPECT_FALSE(policy->Allows(kImportDirectory, {"administrator "}));
  // A role named in one rule grants nothing elsewhere.
  EXPECT_FALSE(policy->Allows(kGetPerson, {"administrator"}));
}

// "authenticated" admits any verified person, whatever their roles.
TEST(MethodPolicyTest, AuthenticatedAdmitsAnyRole) {
  auto policy = ParseOrDie(
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"authenticated\" }\n");
  ASSERT_NE(policy, nullptr);
  for (const std::vector<std::string>& roles : std::vector<std::vector<std::string>>{
           {"member"}, {"officer"}, {"auditor"}, {"political-assistant"}, {"administrator"}, {}})
    EXPECT_TRUE(policy->Allows(kGetPerson, roles)) << roles.size();
  // ...but not callers with no token.
  EXPECT_FALSE(policy->AllowsUnauthenticated(kGetPerson));
}

// "Health and reflection exposure is itself policy": only a rule that says so
// admits callers without a token.
TEST(MethodPolicyTest, AllowUnauthenticatedAdmitsCallsWithoutAToken) {
  auto policy = ParseOrDie(
      "rules { method: \"/grpc.health.v1.Health/Check\" allow_unauthenticated: true }\n"
      "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" allowed_roles: \"authenticated\" }\n");
  ASSERT_NE(policy, nullptr);
  EXPECT_TRUE(policy->Known(kHealthCheck));
  EXPECT_TRUE(policy->AllowsUnauthenticated(kHealthCheck));
  EXPECT_FALSE(policy->AllowsUnauthenticated(kGetPerson));
  EXPECT_FALSE(policy->AllowsUnauthenticated("/grpc.health.v1.Health/Watch"));
}

TEST(MethodPolicyTest, AllowUnauthenticatedIsFalseUnlessSet) {
  auto policy = ParseOrDie(
      "rules { method: \"/grpc.health.v1.Health/Check\" allowed_roles: \"administrator\" }\n");
  ASSERT_NE(policy, nullptr);
  EXPECT_FALSE(policy->AllowsUnauthenticated(kHealthCheck));
  EXPECT_TRUE(policy->Allows(kHealthCheck, {"administrator"}));
}

// ---------------------------------------------------------------------------
// Configuration that would open a hole is refused (issue 17).
// ---------------------------------------------------------------------------

std::string ErrorFor(const std::string& text,
                     const std::vector<std::string>& designations = {}) {
  auto policy = MethodPolicy::Parse(text, kPath, designations);
  EXPECT_FALSE(policy.ok()) << "expected the policy to be refused";
  if (policy.ok()) return "";
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(policy.status().message());
}

TEST(MethodPolicyTest, AllowUnauthenticatedOnAMethodWithPersonalDataIsAnError) {
  // GetPerson returns a person's record: opening it to callers with no token
  // would hand the directory to anyone who can reach the gateway.
  EXPECT_EQ(ErrorFor("rules { method: \"/grpc.health.v1.Health/Check\" "
                     "allow_unauthenticated: true }\n"
                     "rules { method: \"/council.relations.v1.RelationsService/GetPerson\" "
                     "allowed_roles: \"authenticated\" allow_unauthenticated: true }\n"),
            "test/policy.textproto:2: rule for "
            "/council.relations.v1.RelationsService/GetPerson may not allow_unauthenticated: it "
            "writes or returns personal data (only /grpc.health.v1.Health/Check, "
            "/grpc.health.v1.Health/Watch may be called without a token)");
  // A write too.
  EXPECT_THAT(ErrorFor("rules { method: \"/council.complaints.v1.ComplaintsService/"
                       "CreateComplaint\" allow_unauthenticated: true }\n"),
              HasSubstr("test/policy.textproto:1: rule for "
                        "/council.complaints.v1.ComplaintsService/CreateComplaint may not "
                        "allow_unauthenticated"));
}

TEST(MethodPolicyTest, OnlyTheHealthMethodsMayBeUnauthenticated) {
  EXPECT_THAT(UnauthenticatedMethods(),
              ::testing::ElementsAre("/grpc.health.v1.Health/Check",
                                     "/grpc.health.v1.Health/Watch"));
  auto policy = ParseOrDie(
      "rules { method: \"/grpc.health.v1.Health/Check\" allow_unauthenticated: true }\n"
      "rules { method: \"/grpc.health.v1.Health/Watch\" allow_unauthenticated: true }\n");
  ASSERT_NE(policy, nullptr);
  EXPECT_TRUE(policy->AllowsUnauthenticated("/grpc.health.v1.Health/Watch"));
}

TEST(MethodPolicyTest, RoleNoProfileOrServiceGivesIsAnError) {
  // A misspelt role admits nobody today, and whoever is later given that
  // name tomorrow.
  EXPECT_EQ(ErrorFor("rules { method: \"/council.relations.v1.RelationsService/GetPerson\" "
                     "allowed_roles: \"authenticated\" }\n"
                     "rules { method: \"/council.relations.v1.RelationsService/ImportDirectory\"\n"
                     "  allowed_roles: \"administrator\" allowed_roles: \"hr-integation\" }\n"),
            "test/policy.textproto:2: rule for "
            "/council.relations.v1.RelationsService/ImportDirectory: role \"hr-integation\" is not "
            "a role the suite gives (\"authenticated\", member, co-opted-member, officer, "
            "political-assistant, chief-officer, head-of-service, administrator, auditor, "
            "hr-integration, records-integration, or a designation of the council profile)");
}

TEST(MethodPolicyTest, DesignationsAreRolesOnlyWhenTheProfileHasThem) {
  const std::string text =
      "rules { method: \"/council.relations.v1.RelationsService/ListSecretMemberships\" "
      "allowed_roles: \"monitoring-officer\" allowed_roles: \"clerk\" }\n";
  // Every profile has a monitoring officer; "clerk" is the parish template's.
  EXPECT_THAT(ErrorFor(text), HasSubstr("test/policy.textproto:1: rule for "
                                        "/council.relations.v1.RelationsService/"
                                        "ListSecretMemberships: role \"clerk\" is not"));
  auto policy = MethodPolicy::Parse(text, kPath, {"monitoring-officer", "clerk"});
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE((*policy)->Allows("/council.relations.v1.RelationsService/ListSecretMemberships",
                                {"clerk"}));
}

TEST(MethodPolicyTest, ShippedPolicyLoadsWithEveryShippedProfilesDesignations) {
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"}) {
    SCOPED_TRACE(id);
    auto profile =
        council::LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
    ASSERT_TRUE(profile.ok()) << profile.status();
    std::vector<std::string> designations;
    for (const auto& designation : (*profile)->designations())
      designations.push_back(designation.id());
    auto policy = MethodPolicy::Load(ShippedPolicyPath(), designations);
    EXPECT_TRUE(policy.ok()) << policy.status();
  }
}

// ---------------------------------------------------------------------------
// Service accounts (mTLS): integrations that call with a client certificate.
// ---------------------------------------------------------------------------

constexpr char kHrSync[] =
    "service_accounts { name: \"services/hr-sync\" certificate_identity: "
    "\"hr-sync.eastmere.gov.uk\" roles: \"hr-integration\" reason: \"nightly HR sync\" }\n";

// A policy of one rule followed by `accounts`, so service_accounts[0] is on
// line 2 of the file.
absl::StatusOr<std::shared_ptr<const MethodPolicy>> ParseAccounts(const std::string& accounts) {
  return MethodPolicy::Parse(
      absl::StrCat("rules { method: \"", kImportDirectory,
                   "\" allowed_roles: \"administrator\" allowed_roles: \"hr-integration\" }\n",
                   accounts),
      kPath);
}

TEST(MethodPolicyServiceAccountsTest, ShippedPolicyRegistersNoServiceAccount) {
  auto policy = MethodPolicy::Load(ShippedPolicyPath());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->service_account_count(), 0);
  EXPECT_EQ((*policy)->ServiceAccountFor("hr-sync.eastmere.gov.uk"), nullptr);
}

// The commented example in config/gateway-policy.textproto is what council
// IT copies: uncommented, it must load.
TEST(MethodPolicyServiceAccountsTest, ShippedPolicyExampleLoadsWhenUncommented) {
  std::ifstream in(ShippedPolicyPath());
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  std::string uncommented;
  bool in_example = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "# service_accounts {")) in_example = true;
    if (in_example && absl::ConsumePrefix(&line, "# ")) absl::StrAppend(&uncommented, line, "\n");
    if (in_example && line == "}") in_example = false;
  }
  ASSERT_THAT(uncommented, HasSubstr("services/hr-sync"));
  auto policy = MethodPolicy::Parse(text + uncommented, ShippedPolicyPath());
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->service_account_count(), 2);
  const v1::ServiceAccount* hr = (*policy)->ServiceAccountFor("hr-sync.eastmere.gov.uk");
  ASSERT_NE(hr, nullptr);
  EXPECT_EQ(hr->name(), "services/hr-sync");
  EXPECT_TRUE((*policy)->Allows(kImportDirectory, {hr->roles().begin(), hr->roles().end()}));
  const v1::ServiceAccount* records =
      (*policy)->ServiceAccountFor("records-sync.eastmere.gov.uk");
  ASSERT_NE(records, nullptr);
  EXPECT_EQ(records->name(), "services/records-sync");
  EXPECT_FALSE(
      (*policy)->Allows(kImportDirectory, {records->roles().begin(), records->roles().end()}));
}

TEST(MethodPolicyServiceAccountsTest, AccountIsFoundByItsExactCertificateIdentity) {
  auto policy = ParseAccounts(absl::StrCat(
      kHrSync,
      "service_accounts { name: \"services/records-sync\" certificate_identity: "
      "\"spiffe://eastmere.gov.uk/records-sync\" roles: \"records-integration\" roles: "
      "\"auditor\" }\n"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->service_account_count(), 2);
  const v1::ServiceAccount* hr = (*policy)->ServiceAccountFor("hr-sync.eastmere.gov.uk");
  ASSERT_NE(hr, nullptr);
  EXPECT_EQ(hr->name(), "services/hr-sync");
  EXPECT_THAT(std::vector<std::string>(hr->roles().begin(), hr->roles().end()),
              ::testing::ElementsAre("hr-integration"));
  const v1::ServiceAccount* records =
      (*policy)->ServiceAccountFor("spiffe://eastmere.gov.uk/records-sync");
  ASSERT_NE(records, nullptr);
  EXPECT_EQ(records->roles_size(), 2);
  // Exact: no case folding, no prefix or suffix matching, no lookup by name.
  for (const char* other : {"HR-SYNC.eastmere.gov.uk", "hr-sync.eastmere.gov.uk.", "hr-sync",
                            "eastmere.gov.uk", "services/hr-sync", ""})
    EXPECT_EQ((*policy)->ServiceAccountFor(other), nullptr) << other;
}

TEST(MethodPolicyServiceAccountsTest, MalformedNameIsAnErrorNamingTheEntryAndField) {
  for (const char* name : {"hr-sync", "services/", "services/HR-sync", "services/hr_sync",
                           "services/hr-sync/extra", "people/hr-sync", "services/1hr", ""}) {
    auto policy = ParseAccounts(absl::StrCat(
        kHrSync, "service_accounts { name: \"", name,
        "\" certificate_identity: \"x.eastmere.gov.uk\" roles: \"auditor\" }\n"));
    ASSERT_FALSE(policy.ok()) << "\"" << name << "\" was accepted";
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:3:"));
    EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[1]"));
    EXPECT_THAT(policy.status().message(), HasSubstr("name"));
    EXPECT_THAT(policy.status().message(), HasSubstr("services/{id}"));
  }
}

// The backends trust the suite's own services as siblings; an account must
// never be mistaken for one.
TEST(MethodPolicyServiceAccountsTest, NameOfOneOfTheSuitesOwnServicesIsAnError) {
  for (const char* name : {"services/gateway", "services/relations-service",
                           "services/access-service", "services/complaints-service"}) {
    auto policy = ParseAccounts(
        absl::StrCat("service_accounts { name: \"", name,
                     "\" certificate_identity: \"x.eastmere.gov.uk\" roles: \"auditor\" }\n"));
    ASSERT_FALSE(policy.ok()) << name << " was accepted";
    EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[0]"));
    EXPECT_THAT(policy.status().message(), HasSubstr(name));
    EXPECT_THAT(policy.status().message(), HasSubstr("the suite's own services"));
  }
}

TEST(MethodPolicyServiceAccountsTest, SecondAccountWithTheSameNameIsAnError) {
  auto policy = ParseAccounts(absl::StrCat(
      kHrSync,
      "service_accounts { name: \"services/hr-sync\" certificate_identity: "
      "\"hr-sync-2.eastmere.gov.uk\" roles: \"hr-integration\" }\n"));
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:3:"));
  EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[1] (services/hr-sync)"));
  EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[0]"));
}

TEST(MethodPolicyServiceAccountsTest, SecondAccountWithTheSameIdentityIsAnError) {
  // One certificate would otherwise stand for two accounts.
  auto policy = ParseAccounts(absl::StrCat(
      kHrSync,
      "service_accounts { name: \"services/hr-sync-b\" certificate_identity: "
      "\"hr-sync.eastmere.gov.uk\" roles: \"auditor\" }\n"));
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[1] (services/hr-sync-b)"));
  EXPECT_THAT(policy.status().message(), HasSubstr("certificate_identity"));
  EXPECT_THAT(policy.status().message(), HasSubstr("hr-sync.eastmere.gov.uk"));
  EXPECT_THAT(policy.status().message(), HasSubstr("services/hr-sync's"));
}

TEST(MethodPolicyServiceAccountsTest, EmptyCertificateIdentityIsAnError) {
  auto policy = ParseAccounts(
      "service_accounts { name: \"services/hr-sync\" roles: \"hr-integration\" }\n");
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("test/policy.textproto:2:"));
  EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[0] (services/hr-sync)"));
  EXPECT_THAT(policy.status().message(), HasSubstr("certificate_identity is required"));
}

TEST(MethodPolicyServiceAccountsTest, OnlyTheIntegrationAndAuditorRolesMayBeGiven) {
  for (const char* role : {"hr-integration", "records-integration", "auditor"}) {
    auto policy = ParseAccounts(absl::StrCat(
        "service_accounts { name: \"services/sync\" certificate_identity: \"sync.example\" "
        "roles: \"",
        role, "\" }\n"));
    EXPECT_TRUE(policy.ok()) << role << ": " << policy.status();
  }
  // A service account is never an administrator, nor a person.
  for (const char* role : {"administrator", "member", "officer", "monitoring-officer",
                           "authenticated", "HR-integration", ""}) {
    auto policy = ParseAccounts(absl::StrCat(
        "service_accounts { name: \"services/sync\" certificate_identity: \"sync.example\" "
        "roles: \"auditor\" roles: \"",
        role, "\" }\n"));
    ASSERT_FALSE(policy.ok()) << "role \"" << role << "\" was accepted";
    EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[0] (services/sync)"));
    EXPECT_THAT(policy.status().message(),
                HasSubstr(absl::StrCat("roles[1] \"", role, "\" is not a service account role")));
  }
  EXPECT_THAT(ServiceAccountRoles(),
              ::testing::UnorderedElementsAre("hr-integration", "records-integration", "auditor"));
}

TEST(MethodPolicyServiceAccountsTest, AccountWithoutRolesIsAnError) {
  auto policy = ParseAccounts(
      "service_accounts { name: \"services/sync\" certificate_identity: \"sync.example\" }\n");
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr("service_accounts[0] (services/sync)"));
  EXPECT_THAT(policy.status().message(), HasSubstr("roles: at least one"));
}

TEST(MethodPolicyTest, SuiteServicesNameTheThreeBackendsAndHealth) {
  EXPECT_THAT(SuiteServices(), Contains("council.relations.v1.RelationsService"));
  EXPECT_THAT(SuiteServices(), Contains("council.access.v1.AccessService"));
  EXPECT_THAT(SuiteServices(), Contains("council.complaints.v1.ComplaintsService"));
  EXPECT_THAT(SuiteServices(), Contains("grpc.health.v1.Health"));
}

}  // namespace
}  // namespace council::gateway
