#include "tests/e2e/test_certificates.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace council::e2e {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Bio = std::unique_ptr<BIO, BioFree>;

// INTERNAL with OpenSSL's own explanation of the last failure.
absl::Status OpenSslError(const std::string& what) {
  std::string detail;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    absl::StrAppend(&detail, detail.empty() ? "" : "; ", buffer);
  }
  return absl::InternalError(absl::StrCat(what, " failed: ", detail.empty() ? "?" : detail));
}

absl::StatusOr<Pkey> NewKey() {
  Pkey key(EVP_EC_gen("P-256"));
  if (key == nullptr) return OpenSslError("EVP_EC_gen(P-256)");
  return key;
}

absl::StatusOr<std::string> BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return OpenSslError("PEM encoding");
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<std::string> CertificatePem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), cert) != 1)
    return OpenSslError("PEM_write_bio_X509");
  return BioText(bio.get());
}

absl::StatusOr<std::string> PrivateKeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return OpenSslError("PEM_write_bio_PrivateKey");
  return BioText(bio.get());
}

// Adds one X.509 v3 extension in OpenSSL's config syntax ("critical,CA:TRUE").
absl::Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (extension == nullptr) return OpenSslError(absl::StrCat("extension ", OBJ_nid2sn(nid)));
  const int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  if (added != 1) return OpenSslError("X509_add_ext");
  return absl::OkStatus();
}

// A certificate for `key` named `common_name`, valid from an hour ago (clock
// skew between processes does not matter on one host, but costs nothing) for
// 30 days, with a random 64-bit serial; the caller adds extensions and signs.
absl::StatusOr<Cert> NewCertificate(EVP_PKEY* key, const std::string& common_name) {
  Cert cert(X509_new());
  if (cert == nullptr || X509_set_version(cert.get(), X509_VERSION_3) != 1)
    return OpenSslError("X509_new");
  BIGNUM* serial = BN_new();
  const bool serial_ok = serial != nullptr && BN_rand(serial, 64, BN_RAND_TOP_ONE,
                                                      BN_RAND_BOTTOM_ANY) == 1 &&
                         BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(serial);
  if (!serial_ok) return OpenSslError("serial number");
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 60 * 60) == nullptr)
    return OpenSslError("validity");
  if (X509_set_pubkey(cert.get(), key) != 1) return OpenSslError("X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("Council suite tests"),
                                 -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1)
    return OpenSslError("subject name");
  return cert;
}

absl::Status Sign(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) return OpenSslError("X509_sign");
  return absl::OkStatus();
}

}  // namespace

struct TestCertificateAuthority::Impl {
  Pkey key;
  Cert cert;
};

TestCertificateAuthority::~TestCertificateAuthority() = default;

absl::StatusOr<std::unique_ptr<TestCertificateAuthority>> TestCertificateAuthority::Create(
    const std::string& common_name) {
  auto key = NewKey();
  if (!key.ok()) return key.status();
  auto cert = NewCertificate(key->get(), common_name);
  if (!cert.ok()) return cert.status();
  X509* c = cert->get();
  // Self-signed: issuer name = subject name; the CA is its own issuer.
  if (X509_set_issuer_name(c, X509_get_subject_name(c)) != 1)
    return OpenSslError("X509_set_issuer_name");
  for (const auto& [nid, value] : std::vector<std::pair<int, std::string>>{
           {NID_basic_constraints, "critical,CA:TRUE"},
           {NID_key_usage, "critical,keyCertSign,cRLSign"},
           {NID_subject_key_identifier, "hash"}})
    if (auto s = AddExtension(c, c, nid, value); !s.ok()) return s;
  if (auto s = Sign(c, key->get()); !s.ok()) return s;
  auto pem = CertificatePem(c);
  if (!pem.ok()) return pem.status();
  std::unique_ptr<TestCertificateAuthority> ca(new TestCertificateAuthority());
  ca->impl_ = std::make_unique<Impl>(Impl{*std::move(key), *std::move(cert)});
  ca->certificate_pem_ = *std::move(pem);
  return ca;
}

absl::StatusOr<IssuedCertificate> TestCertificateAuthority::Issue(
    const CertificateSpec& spec) const {
  if (spec.common_name.empty()) return absl::InvalidArgumentError("common_name: required");
  auto key = NewKey();
  if (!key.ok()) return key.status();
  auto cert = NewCertificate(key->get(), spec.common_name);
  if (!cert.ok()) return cert.status();
  X509* c = cert->get();
  X509* issuer = impl_->cert.get();
  if (spec.expired && (X509_gmtime_adj(X509_getm_notBefore(c), -2L * 24 * 60 * 60) == nullptr ||
                       X509_gmtime_adj(X509_getm_notAfter(c), -1L * 24 * 60 * 60) == nullptr))
    return OpenSslError("validity");
  if (X509_set_issuer_name(c, X509_get_subject_name(issuer)) != 1)
    return OpenSslError("X509_set_issuer_name");
  std::vector<std::string> alt_names;
  for (const auto& dns : spec.dns_names) alt_names.push_back("DNS:" + dns);
  for (const auto& ip : spec.ip_addresses) alt_names.push_back("IP:" + ip);
  for (const auto& uri : spec.uris) alt_names.push_back("URI:" + uri);
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, spec.server ? "serverAuth" : "clientAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"}};
  if (!alt_names.empty())
    extensions.push_back({NID_subject_alt_name, absl::StrJoin(alt_names, ",")});
  for (const auto& [nid, value] : extensions)
    if (auto s = AddExtension(c, issuer, nid, value); !s.ok()) return s;
  if (auto s = Sign(c, impl_->key.get()); !s.ok()) return s;
  IssuedCertificate issued;
  auto cert_pem = CertificatePem(c);
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = PrivateKeyPem(key->get());
  if (!key_pem.ok()) return key_pem.status();
  issued.certificate_pem = *std::move(cert_pem);
  issued.private_key_pem = *std::move(key_pem);
  return issued;
}

absl::StatusOr<std::string> TestCertificateAuthority::RevocationListPem(
    const std::vector<std::string>& revoked_certificate_pems, absl::Duration next_update) const {
  std::unique_ptr<X509_CRL, void (*)(X509_CRL*)> crl(X509_CRL_new(), X509_CRL_free);
  if (crl == nullptr || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(impl_->cert.get())) != 1)
    return OpenSslError("X509_CRL_new");
  std::unique_ptr<ASN1_TIME, void (*)(ASN1_TIME*)> last(
      X509_gmtime_adj(nullptr, 0), ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, void (*)(ASN1_TIME*)> next(
      X509_gmtime_adj(nullptr, absl::ToInt64Seconds(next_update)), ASN1_TIME_free);
  if (last == nullptr || next == nullptr || X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1)
    return OpenSslError("CRL times");
  for (const std::string& pem : revoked_certificate_pems) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (cert == nullptr) return OpenSslError("PEM_read_bio_X509");
    X509_REVOKED* entry = X509_REVOKED_new();
    if (entry == nullptr ||
        X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(cert.get())) != 1 ||
        X509_REVOKED_set_revocationDate(entry, last.get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      return OpenSslError("X509_CRL_add0_revoked");
    }
  }
  if (X509_CRL_sort(crl.get()) != 1 || X509_CRL_sign(crl.get(), impl_->key.get(), EVP_sha256()) <= 0)
    return OpenSslError("X509_CRL_sign");
  Bio out(BIO_new(BIO_s_mem()));
  if (out == nullptr || PEM_write_bio_X509_CRL(out.get(), crl.get()) != 1)
    return OpenSslError("PEM_write_bio_X509_CRL");
  return BioText(out.get());
}

absl::Status WritePem(const std::string& path, const std::string& pem) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << pem;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  if (chmod(path.c_str(), 0600) != 0)
    return absl::InternalError(absl::StrCat("cannot chmod ", path));
  return absl::OkStatus();
}

absl::StatusOr<GatewayTestCertificates> MakeGatewayTestCertificates(
    const std::string& dir, const std::string& registered_identity,
    const std::string& cn_only_identity, const std::string& unregistered_identity) {
  auto ca = TestCertificateAuthority::Create("Council suite test CA");
  if (!ca.ok()) return ca.status();
  auto foreign_ca = TestCertificateAuthority::Create("Some other CA");
  if (!foreign_ca.ok()) return foreign_ca.status();

  GatewayTestCertificates files;
  files.ca_file = dir + "/ca.pem";
  files.foreign_ca_file = dir + "/foreign-ca.pem";
  if (auto s = WritePem(files.ca_file, (*ca)->certificate_pem()); !s.ok()) return s;
  if (auto s = WritePem(files.foreign_ca_file, (*foreign_ca)->certificate_pem()); !s.ok())
    return s;

  // Issues `spec` from `issuer` into <dir>/<stem>.crt and <dir>/<stem>.key.
  auto issue = [&dir](const TestCertificateAuthority& issuer, const CertificateSpec& spec,
                      const std::string& stem, std::string* cert_file,
                      std::string* key_file) -> absl::Status {
    auto issued = issuer.Issue(spec);
    if (!issued.ok()) return issued.status();
    *cert_file = absl::StrCat(dir, "/", stem, ".crt");
    *key_file = absl::StrCat(dir, "/", stem, ".key");
    if (auto s = WritePem(*cert_file, issued->certificate_pem); !s.ok()) return s;
    return WritePem(*key_file, issued->private_key_pem);
  };

  CertificateSpec server;
  server.common_name = "gateway";
  server.dns_names = {"localhost"};
  server.ip_addresses = {"127.0.0.1"};
  server.server = true;
  if (auto s = issue(**ca, server, "server", &files.server_cert_file, &files.server_key_file);
      !s.ok())
    return s;

  CertificateSpec registered;
  registered.common_name = "not-the-identity";  // the SAN wins over the CN
  registered.dns_names = {registered_identity};
  if (auto s = issue(**ca, registered, "registered", &files.registered_cert_file,
                     &files.registered_key_file);
      !s.ok())
    return s;

  CertificateSpec cn_only;
  cn_only.common_name = cn_only_identity;
  if (auto s = issue(**ca, cn_only, "cn-only", &files.cn_only_cert_file, &files.cn_only_key_file);
      !s.ok())
    return s;

  CertificateSpec unregistered;
  unregistered.common_name = unregistered_identity;
  unregistered.dns_names = {unregistered_identity};
  if (auto s = issue(**ca, unregistered, "unregistered", &files.unregistered_cert_file,
                     &files.unregistered_key_file);
      !s.ok())
    return s;

  // Same identity as the registered one: only the signature differs.
  if (auto s = issue(**foreign_ca, registered, "foreign", &files.foreign_cert_file,
                     &files.foreign_key_file);
      !s.ok())
    return s;
  return files;
}

}  // namespace council::e2e
