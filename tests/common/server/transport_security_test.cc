// Unit tests of the plaintext-only-on-loopback rule and the TLS flag checks.
#include "common/server/transport_security.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "common/server/flags.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council {
namespace {

using ::testing::HasSubstr;

TEST(IsLocalAddressTest, OnlyLoopbackAndUnixSocketsAreLocal) {
  const struct {
    const char* address;
    bool local;
  } cases[] = {
      {"127.0.0.1:7101", true},        {"127.8.9.10:1", true},
      {"localhost:7101", true},        {"LOCALHOST:7101", true},
      {"[::1]:7101", true},            {"::1", true},
      {"unix:/run/council/r.sock", true}, {"unix-abstract:council", true},
      {"dns:///127.0.0.1:7101", true}, {"ipv4:127.0.0.1:7101", true},
      {"0.0.0.0:7101", false},         {"[::]:7101", false},
      {"10.0.0.5:7101", false},        {"192.168.1.1:7443", false},
      {"relations.council.local:7101", false}, {"dns:///relations:7101", false},
      {"128.0.0.1:7101", false},       {"[::ffff:10.0.0.1]:7101", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsLocalAddress(c.address), c.local) << c.address;
}

TEST(TransportSecurityTest, PlaintextIsRefusedOffLoopback) {
  absl::FlagSaver saver;
  auto security = TransportSecurity::FromFlags();
  ASSERT_TRUE(security.ok()) << security.status();
  EXPECT_FALSE((*security)->serves_tls());
  EXPECT_TRUE((*security)->ServerCredentials("127.0.0.1:0", true).ok());
  auto listen = (*security)->ServerCredentials("0.0.0.0:7101", true);
  EXPECT_EQ(listen.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(listen.status().message(), HasSubstr("--listen"));
  EXPECT_THAT(listen.status().message(), HasSubstr("--tls_cert_file"));

  EXPECT_TRUE((*security)->ChannelCredentials("--relations_address", "127.0.0.1:7101").ok());
  EXPECT_TRUE((*security)->ChannelCredentials("--relations_address", "unix:/tmp/r.sock").ok());
  auto channel = (*security)->ChannelCredentials("--access_address", "10.0.0.5:7102");
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(channel.status().message(), HasSubstr("--access_address"));
  EXPECT_THAT(channel.status().message(), HasSubstr("--internal_tls_ca_file"));
}

TEST(TransportSecurityTest, InconsistentFlagsAreRefusedNamingTheFlag) {
  const struct {
    std::vector<std::pair<absl::Flag<std::string>*, std::string>> set;
    std::string message;
  } cases[] = {
      {{{&FLAGS_tls_client_ca_file, "/x/ca.pem"}},
       "--tls_client_ca_file is set but --tls_cert_file is not"},
      {{{&FLAGS_tls_key_file, "/x/key.pem"}}, "--tls_key_file is set but --tls_cert_file is not"},
      {{{&FLAGS_tls_cert_file, "/x/cert.pem"}}, "--tls_cert_file is set but --tls_key_file is not"},
      {{{&FLAGS_tls_client_crl_file, "/x/crl.pem"}},
       "--tls_client_crl_file is set but --tls_client_ca_file is not"},
      {{{&FLAGS_internal_tls_cert_file, "/x/c.pem"}},
       "--internal_tls_cert_file and --internal_tls_key_file must be set together"},
      {{{&FLAGS_internal_tls_cert_file, "/x/c.pem"}, {&FLAGS_internal_tls_key_file, "/x/k.pem"}},
       "--internal_tls_cert_file is set but --internal_tls_ca_file is not"},
      {{{&FLAGS_internal_tls_ca_file, "/nonexistent/ca.pem"}},
       "--internal_tls_ca_file: cannot read /nonexistent/ca.pem"},
  };
  for (const auto& c : cases) {
    absl::FlagSaver saver;
    for (const auto& [flag, value] : c.set) absl::SetFlag(flag, value);
    auto security = TransportSecurity::FromFlags();
    EXPECT_FALSE(security.ok()) << c.message;
    EXPECT_THAT(security.status().message(), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace council
