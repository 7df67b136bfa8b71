// Unit tests of Caller: who the backends trust as a sibling service.
#include "common/server/caller.h"

#include "gtest/gtest.h"

namespace council {
namespace {

TEST(CallerTest, OnlyTheSuitesOwnServicesAreSiblings) {
  for (absl::string_view own : kSuiteServicePrincipals)
    EXPECT_TRUE((Caller{std::string(own), {}, ""}.IsService())) << own;
  // A service account from outside (mTLS at the gateway) is a caller with
  // roles, not a sibling, whatever its name looks like.
  for (const char* other : {"services/hr-sync", "services/records-sync", "services/gateway2",
                            "services/", "people/it-admin", ""})
    EXPECT_FALSE((Caller{other, {"hr-integration"}, ""}.IsService())) << other;
}

TEST(CallerTest, PersonIsThePrincipalUnlessASiblingActsForSomeone) {
  EXPECT_EQ((Caller{"services/access-service", {}, "people/cllr-a"}.Person()), "people/cllr-a");
  EXPECT_EQ((Caller{"services/access-service", {}, ""}.Person()), "services/access-service");
  // An outside service account cannot claim to act for a person.
  EXPECT_EQ((Caller{"services/hr-sync", {}, "people/cllr-a"}.Person()), "services/hr-sync");
  EXPECT_EQ((Caller{"people/cllr-a", {}, ""}.Person()), "people/cllr-a");
}

}  // namespace
}  // namespace council
