// test_certificates.h — real X.509 certificates made at test time.
//
// A small private PKI for the TLS and mTLS tests, built with OpenSSL 3
// (P-256 keys, SHA-256 signatures, X.509 v3 extensions), so no certificate
// or key is ever checked in and none outlives the test:
//
//   auto ca = TestCertificateAuthority::Create("Eastmere test CA");
//   CertificateSpec spec;
//   spec.common_name = "gateway";
//   spec.dns_names = {"localhost"};
//   spec.ip_addresses = {"127.0.0.1"};
//   spec.server = true;
//   absl::StatusOr<IssuedCertificate> server = (*ca)->Issue(spec);
//   WritePem(dir + "/server.crt", server->certificate_pem);
//
// MakeGatewayTestCertificates writes the whole set the gateway tests use.
#ifndef COUNCIL_TESTS_E2E_TEST_CERTIFICATES_H_
#define COUNCIL_TESTS_E2E_TEST_CERTIFICATES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace council::e2e {

// What to put in a certificate the CA issues.
struct CertificateSpec {
  // Subject common name. Required.
  std::string common_name;
  // subjectAltName entries: DNS names, IP addresses (v4 or v6, as text) and
  // URIs. All empty: no subjectAltName extension at all.
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::vector<std::string> uris;
  // extendedKeyUsage: serverAuth if true, else clientAuth.
  bool server = false;
  // Valid from two days ago until yesterday (for the checks that refuse an
  // expired certificate).
  bool expired = false;
};

// A certificate and its private key, both PEM (the key as PKCS#8).
struct IssuedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// A self-signed CA that issues leaf certificates valid from an hour ago for
// 30 days.
class TestCertificateAuthority {
 public:
  // Create
  //
  // Generates a P-256 key and a self-signed CA certificate named
  // `common_name` (basicConstraints CA:TRUE, keyCertSign).
  static absl::StatusOr<std::unique_ptr<TestCertificateAuthority>> Create(
      const std::string& common_name);
  ~TestCertificateAuthority();

  // Issue
  //
  // Generates a P-256 key and a certificate for it as `spec` describes,
  // signed by this CA with SHA-256.
  absl::StatusOr<IssuedCertificate> Issue(const CertificateSpec& spec) const;

  // certificate_pem
  //
  // The CA's own certificate (what verifiers trust).
  const std::string& certificate_pem() const { return certificate_pem_; }

  // RevocationListPem
  //
  // A CRL signed by this CA revoking the certificates in
  // `revoked_certificate_pems` (by serial number), issued now with
  // nextUpdate `next_update` from now (negative: already stale).
  absl::StatusOr<std::string> RevocationListPem(
      const std::vector<std::string>& revoked_certificate_pems,
      absl::Duration next_update = absl::Hours(24 * 30)) const;

 private:
  TestCertificateAuthority() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string certificate_pem_;
};

// The files MakeGatewayTestCertificates writes (absolute paths).
struct GatewayTestCertificates {
  // The CA the gateway's certificate and the service accounts' certificates
  // chain to (give to clients, and to the gateway as --tls_client_ca_file).
  std::string ca_file;
  // The gateway's certificate (SAN IP 127.0.0.1 and DNS localhost) and key.
  std::string server_cert_file;
  std::string server_key_file;
  // A client certificate for the registered identity (DNS SAN) and its key.
  std::string registered_cert_file;
  std::string registered_key_file;
  // A client certificate with no SAN, whose subject CN is the registered
  // common-name identity, and its key.
  std::string cn_only_cert_file;
  std::string cn_only_key_file;
  // A client certificate from the same CA for an identity no policy lists.
  std::string unregistered_cert_file;
  std::string unregistered_key_file;
  // A client certificate for the registered identity, but signed by another
  // CA (whose certificate is `foreign_ca_file`).
  std::string foreign_cert_file;
  std::string foreign_key_file;
  std::string foreign_ca_file;
};

// MakeGatewayTestCertificates
//
// Creates a CA and the certificates above in `dir` (which must exist): the
// registered client certificate carries DNS SAN `registered_identity`, the
// CN-only one subject CN `cn_only_identity`, the unregistered one DNS SAN
// `unregistered_identity`. Key files are written with mode 0600.
absl::StatusOr<GatewayTestCertificates> MakeGatewayTestCertificates(
    const std::string& dir, const std::string& registered_identity,
    const std::string& cn_only_identity, const std::string& unregistered_identity);

// WritePem
//
// Writes `pem` to `path` (mode 0600), replacing it.
absl::Status WritePem(const std::string& path, const std::string& pem);

}  // namespace council::e2e

#endif  // COUNCIL_TESTS_E2E_TEST_CERTIFICATES_H_
