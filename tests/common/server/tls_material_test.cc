// Unit tests of ValidateTlsFiles and TlsMaterial: what is refused, and how a
// reload publishes new material or keeps the old.
#include "common/server/tls_material.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/test_certificates.h"

namespace council {
namespace {

using ::testing::HasSubstr;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class TlsMaterialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/council-tls-material-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto ca = e2e::TestCertificateAuthority::Create("Test CA");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = *std::move(ca);
    ASSERT_TRUE(e2e::WritePem(Path("ca.pem"), ca_->certificate_pem()).ok());
    first_ = Issue();
    Write("cert.pem", first_.certificate_pem);
    Write("key.pem", first_.private_key_pem);
    files_ = {Path("cert.pem"), "--tls_cert_file", Path("key.pem"), "--tls_key_file",
              Path("ca.pem"), "--tls_client_ca_file"};
    // The runtime copies go beside the test's files.
    setenv("RUNTIME_DIRECTORY", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("RUNTIME_DIRECTORY");
    std::filesystem::remove_all(dir_);
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  void Write(const std::string& name, const std::string& text) {
    ASSERT_TRUE(e2e::WritePem(Path(name), text).ok());
  }
  e2e::IssuedCertificate Issue(bool expired = false) {
    e2e::CertificateSpec spec;
    spec.common_name = "relations-service";
    spec.dns_names = {"localhost"};
    spec.ip_addresses = {"127.0.0.1"};
    spec.server = true;
    spec.expired = expired;
    auto issued = ca_->Issue(spec);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : e2e::IssuedCertificate{};
  }

  std::string dir_;
  std::unique_ptr<e2e::TestCertificateAuthority> ca_;
  e2e::IssuedCertificate first_;
  TlsFiles files_;
};

TEST_F(TlsMaterialTest, AcceptsACertificateWithItsKeyAndACa) {
  auto pem = ValidateTlsFiles(files_, absl::Now());
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_EQ(pem->cert, first_.certificate_pem);
  EXPECT_EQ(pem->key, first_.private_key_pem);
  EXPECT_EQ(pem->ca, ca_->certificate_pem());
}

TEST_F(TlsMaterialTest, RefusesEachBadFileNamingItsFlagAndPath) {
  const e2e::IssuedCertificate other = Issue();
  const e2e::IssuedCertificate expired = Issue(/*expired=*/true);
  struct Case {
    std::string what;
    std::string file;      // replaced...
    std::string contents;  // ...by this
    absl::StatusCode code;
    std::string flag;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"key of another certificate", "key.pem", other.private_key_pem,
       absl::StatusCode::kInvalidArgument, "--tls_key_file", "does not belong to the certificate"},
      {"key not PEM", "key.pem", "not a key", absl::StatusCode::kInvalidArgument,
       "--tls_key_file", "holds no PEM private key"},
      {"certificate not PEM", "cert.pem", "garbage", absl::StatusCode::kInvalidArgument,
       "--tls_cert_file", "holds no PEM certificate"},
      {"expired certificate", "cert.pem", expired.certificate_pem,
       absl::StatusCode::kInvalidArgument, "--tls_cert_file", "has expired"},
      {"CA not PEM", "ca.pem", "-----BEGIN NOTHING-----", absl::StatusCode::kInvalidArgument,
       "--tls_client_ca_file", "holds no PEM certificate"},
  };
  for (const Case& c : cases) {
    const std::string saved = Slurp(Path(c.file));
    Write(c.file, c.contents);
    auto pem = ValidateTlsFiles(files_, absl::Now());
    EXPECT_EQ(pem.status().code(), c.code) << c.what;
    EXPECT_THAT(pem.status().message(), HasSubstr(c.flag)) << c.what;
    EXPECT_THAT(pem.status().message(), HasSubstr(Path(c.file))) << c.what;
    EXPECT_THAT(pem.status().message(), HasSubstr(c.message)) << c.what;
    Write(c.file, saved);
  }
  TlsFiles missing = files_;
  missing.key_file = Path("absent.pem");
  auto pem = ValidateTlsFiles(missing, absl::Now());
  EXPECT_EQ(pem.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(pem.status().message(), HasSubstr("--tls_key_file"));
}

TEST_F(TlsMaterialTest, PublishesPrivateCopiesAndRemovesThemWhenDestroyed) {
  std::string runtime_dir;
  {
    auto material = TlsMaterial::Create(files_, "server");
    ASSERT_TRUE(material.ok()) << material.status();
    runtime_dir = (*material)->runtime_dir();
    EXPECT_EQ(runtime_dir.rfind(dir_ + "/council-tls-server-", 0), 0u) << runtime_dir;
    struct stat info;
    ASSERT_EQ(stat(runtime_dir.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    EXPECT_EQ(Slurp(runtime_dir + "/current/cert.pem"), first_.certificate_pem);
    EXPECT_EQ(Slurp(runtime_dir + "/current/key.pem"), first_.private_key_pem);
    EXPECT_EQ(Slurp(runtime_dir + "/current/ca.pem"), ca_->certificate_pem());
    EXPECT_NE((*material)->provider(), nullptr);
  }
  EXPECT_FALSE(std::filesystem::exists(runtime_dir));
}

TEST_F(TlsMaterialTest, ReloadPublishesGoodFilesAndKeepsTheOldOnABadOne) {
  auto material = TlsMaterial::Create(files_, "server");
  ASSERT_TRUE(material.ok()) << material.status();
  const std::string current = (*material)->runtime_dir() + "/current/";
  struct stat before;
  ASSERT_EQ(stat((current + "key.pem").c_str(), &before), 0);

  const e2e::IssuedCertificate second = Issue();
  Write("key.pem", second.private_key_pem);
  Write("cert.pem", second.certificate_pem);
  ASSERT_TRUE((*material)->Reload().ok());
  EXPECT_EQ(Slurp(current + "cert.pem"), second.certificate_pem);
  EXPECT_EQ(Slurp(current + "key.pem"), second.private_key_pem);
  // Every generation's files are a second or more newer than the last, so
  // gRPC's poller (which compares whole-second mtimes around its reads)
  // notices a switch in the middle of a read.
  struct stat after;
  ASSERT_EQ(stat((current + "key.pem").c_str(), &after), 0);
  EXPECT_GT(after.st_mtime, before.st_mtime);

  // A certificate renewed before its key: refused, the published pair kept.
  const e2e::IssuedCertificate third = Issue();
  Write("cert.pem", third.certificate_pem);
  absl::Status reload = (*material)->Reload();
  EXPECT_EQ(reload.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reload.message(), HasSubstr("--tls_key_file"));
  EXPECT_EQ(Slurp(current + "cert.pem"), second.certificate_pem);
  EXPECT_EQ(Slurp(current + "key.pem"), second.private_key_pem);
}

TEST_F(TlsMaterialTest, CaOnlyMaterialHasNoIdentity) {
  TlsFiles ca_only;
  ca_only.ca_file = Path("ca.pem");
  ca_only.ca_flag = "--internal_tls_ca_file";
  auto material = TlsMaterial::Create(ca_only, "internal");
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_FALSE((*material)->has_identity());
  EXPECT_TRUE((*material)->has_ca());
  EXPECT_FALSE(std::filesystem::exists((*material)->runtime_dir() + "/current/key.pem"));
}

}  // namespace
}  // namespace council
