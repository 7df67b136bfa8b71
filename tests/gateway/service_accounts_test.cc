// Unit tests of the mapping from a verified client certificate's identities
// to a service account (gateway/service_accounts.h). The TLS handshake and the
// auth context are exercised end to end in tests/e2e/gateway_tls_e2e_test.cc.
#include "gateway/service_accounts.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const MethodPolicy> TwoAccounts() {
  auto policy = MethodPolicy::Parse(
      "service_accounts { name: \"services/hr-sync\" certificate_identity: "
      "\"hr-sync.eastmere.gov.uk\" roles: \"hr-integration\" }\n"
      "service_accounts { name: \"services/records-sync\" certificate_identity: "
      "\"records-sync\" roles: \"records-integration\" roles: \"auditor\" }\n",
      "test/policy.textproto");
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

TEST(ServiceAccountCallerTest, NoCertificateIsNoServiceAccount) {
  auto policy = TwoAccounts();
  ASSERT_NE(policy, nullptr);
  EXPECT_FALSE(ServiceAccountCaller(std::vector<std::string>{}, *policy).has_value());
  EXPECT_FALSE(ServiceAccountCaller(static_cast<const grpc::AuthContext*>(nullptr), *policy)
                   .has_value());
  EXPECT_TRUE(CertificateIdentities(nullptr).empty());
}

TEST(ServiceAccountCallerTest, RegisteredIdentityIsTheAccountWithItsRoles) {
  auto policy = TwoAccounts();
  ASSERT_NE(policy, nullptr);
  auto caller = ServiceAccountCaller(std::vector<std::string>{"hr-sync.eastmere.gov.uk"}, *policy);
  ASSERT_TRUE(caller.has_value());
  ASSERT_TRUE(caller->ok()) << caller->status();
  EXPECT_EQ((*caller)->person, "services/hr-sync");
  EXPECT_THAT((*caller)->roles, ElementsAre("hr-integration"));

  auto records = ServiceAccountCaller(std::vector<std::string>{"records-sync"}, *policy);
  ASSERT_TRUE(records.has_value() && records->ok());
  EXPECT_EQ((*records)->person, "services/records-sync");
  EXPECT_THAT((*records)->roles, ElementsAre("records-integration", "auditor"));
}

// A certificate often carries several names (a DNS name and a URI, say); the
// one that is registered decides.
TEST(ServiceAccountCallerTest, AnyOfSeveralIdentitiesMayBeTheRegisteredOne) {
  auto policy = TwoAccounts();
  ASSERT_NE(policy, nullptr);
  auto caller = ServiceAccountCaller(
      std::vector<std::string>{"spiffe://eastmere.gov.uk/hr", "hr-sync.eastmere.gov.uk"}, *policy);
  ASSERT_TRUE(caller.has_value() && caller->ok());
  EXPECT_EQ((*caller)->person, "services/hr-sync");
}

TEST(ServiceAccountCallerTest, UnregisteredIdentityIsUnauthenticatedNamingIt) {
  auto policy = TwoAccounts();
  ASSERT_NE(policy, nullptr);
  auto caller =
      ServiceAccountCaller(std::vector<std::string>{"intruder.example.org"}, *policy);
  ASSERT_TRUE(caller.has_value());
  ASSERT_FALSE(caller->ok());
  EXPECT_EQ(caller->status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(caller->status().message(), HasSubstr("\"intruder.example.org\""));
  EXPECT_THAT(caller->status().message(), HasSubstr("is not a registered service account"));
  // Identities match exactly.
  auto upper = ServiceAccountCaller(std::vector<std::string>{"HR-SYNC.eastmere.gov.uk"}, *policy);
  ASSERT_TRUE(upper.has_value());
  EXPECT_FALSE(upper->ok());
}

TEST(ServiceAccountCallerTest, CertificateNamingTwoAccountsIsUnauthenticated) {
  auto policy = TwoAccounts();
  ASSERT_NE(policy, nullptr);
  auto caller = ServiceAccountCaller(
      std::vector<std::string>{"hr-sync.eastmere.gov.uk", "records-sync"}, *policy);
  ASSERT_TRUE(caller.has_value());
  ASSERT_FALSE(caller->ok());
  EXPECT_EQ(caller->status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(caller->status().message(), HasSubstr("services/hr-sync"));
  EXPECT_THAT(caller->status().message(), HasSubstr("services/records-sync"));
}

TEST(ServiceAccountCallerTest, PolicyWithoutAccountsRefusesEveryCertificate) {
  auto policy = MethodPolicy::Parse("", "test/policy.textproto");
  ASSERT_TRUE(policy.ok());
  auto caller =
      ServiceAccountCaller(std::vector<std::string>{"hr-sync.eastmere.gov.uk"}, **policy);
  ASSERT_TRUE(caller.has_value());
  EXPECT_EQ(caller->status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace council::gateway
