// Unit tests of RevocationList: which CRLs are accepted and which client
// certificates they revoke.
#include "common/server/crl_verifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/test_certificates.h"

namespace council {
namespace {

using ::testing::HasSubstr;

class RevocationListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = e2e::TestCertificateAuthority::Create("Client CA");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = *std::move(ca);
    revoked_ = IssueClient("revoked-client");
    kept_ = IssueClient("kept-client");
  }
  std::string IssueClient(const std::string& name) {
    e2e::CertificateSpec spec;
    spec.common_name = name;
    spec.dns_names = {name};
    auto issued = ca_->Issue(spec);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->certificate_pem : "";
  }

  std::unique_ptr<e2e::TestCertificateAuthority> ca_;
  std::string revoked_;
  std::string kept_;
};

TEST_F(RevocationListTest, RevokesListedSerialsOnly) {
  auto crl = ca_->RevocationListPem({revoked_});
  ASSERT_TRUE(crl.ok()) << crl.status();
  auto list = RevocationList::FromPem(*crl, ca_->certificate_pem(), "--tls_client_crl_file",
                                      absl::Now());
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 1u);
  EXPECT_FALSE(list->stale());
  EXPECT_TRUE(list->IsRevoked(revoked_));
  EXPECT_FALSE(list->IsRevoked(kept_));
  // Something that is not a certificate never passes.
  EXPECT_TRUE(list->IsRevoked("not a certificate"));
}

TEST_F(RevocationListTest, AnEmptyCrlRevokesNothing) {
  auto crl = ca_->RevocationListPem({});
  ASSERT_TRUE(crl.ok()) << crl.status();
  auto list = RevocationList::FromPem(*crl, ca_->certificate_pem(), "--tls_client_crl_file",
                                      absl::Now());
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 0u);
  EXPECT_FALSE(list->IsRevoked(revoked_));
}

TEST_F(RevocationListTest, RefusesACrlNotSignedByTheClientCa) {
  auto other = e2e::TestCertificateAuthority::Create("Client CA");  // same name, other key
  ASSERT_TRUE(other.ok());
  auto forged = (*other)->RevocationListPem({kept_});
  ASSERT_TRUE(forged.ok());
  auto list = RevocationList::FromPem(*forged, ca_->certificate_pem(), "--tls_client_crl_file",
                                      absl::Now());
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(list.status().message(), HasSubstr("--tls_client_crl_file"));
  EXPECT_THAT(list.status().message(), HasSubstr("not signed by any CA"));
}

TEST_F(RevocationListTest, RefusesAFileWithoutACrl) {
  for (const std::string& text : {std::string(""), std::string("garbage"), ca_->certificate_pem()}) {
    auto list = RevocationList::FromPem(text, ca_->certificate_pem(), "--tls_client_crl_file",
                                        absl::Now());
    EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(list.status().message(), HasSubstr("holds no PEM X509 CRL"));
  }
}

TEST_F(RevocationListTest, AStaleCrlIsStillAppliedAndSaysSo) {
  auto crl = ca_->RevocationListPem({revoked_}, -absl::Hours(1));
  ASSERT_TRUE(crl.ok()) << crl.status();
  auto list = RevocationList::FromPem(*crl, ca_->certificate_pem(), "--tls_client_crl_file",
                                      absl::Now());
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->stale());
  EXPECT_TRUE(list->IsRevoked(revoked_));
}

TEST_F(RevocationListTest, CheckerServesTheListLastReplaced) {
  auto none = ca_->RevocationListPem({});
  auto some = ca_->RevocationListPem({revoked_});
  ASSERT_TRUE(none.ok() && some.ok());
  RevocationChecker checker(
      *RevocationList::FromPem(*none, ca_->certificate_pem(), "--f", absl::Now()));
  auto held = checker.current();  // a handshake in progress keeps its list
  EXPECT_FALSE(checker.current()->IsRevoked(revoked_));
  checker.Replace(*RevocationList::FromPem(*some, ca_->certificate_pem(), "--f", absl::Now()));
  EXPECT_TRUE(checker.current()->IsRevoked(revoked_));
  EXPECT_FALSE(held->IsRevoked(revoked_));
}

}  // namespace
}  // namespace council
