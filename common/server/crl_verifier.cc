#include "common/server/crl_verifier.h"

#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "common/server/log.h"

namespace council {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct CrlFree {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

Bio MemoryBio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string NameKey(const X509_NAME* name) {
  const unsigned char* der = nullptr;
  size_t length = 0;
  if (X509_NAME_get0_der(const_cast<X509_NAME*>(name), &der, &length) != 1) return "";
  return std::string(reinterpret_cast<const char*>(der), length);
}

std::string SerialKey(const ASN1_INTEGER* serial) {
  BIGNUM* number = ASN1_INTEGER_to_BN(serial, nullptr);
  if (number == nullptr) return "";
  char* hex = BN_bn2hex(number);
  std::string key = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(number);
  return key;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

absl::StatusOr<RevocationList> RevocationList::FromPem(const std::string& crl_pem,
                                                       const std::string& ca_pem,
                                                       const std::string& crl_flag,
                                                       absl::Time now) {
  std::vector<std::unique_ptr<X509, X509Free>> cas;
  if (Bio bio = MemoryBio(ca_pem)) {
    while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) cas.emplace_back(ca);
  }
  std::vector<std::unique_ptr<X509_CRL, CrlFree>> crls;
  if (Bio bio = MemoryBio(crl_pem)) {
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr))
      crls.emplace_back(crl);
  }
  ERR_clear_error();  // the reads that end the loops leave "no start line" queued
  if (crls.empty())
    return absl::InvalidArgumentError(absl::StrCat(crl_flag, ": holds no PEM X509 CRL"));
  RevocationList list;
  const time_t now_t = absl::ToTimeT(now);
  for (const auto& crl : crls) {
    const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
    const std::string issuer_key = NameKey(issuer);
    bool verified = false;
    for (const auto& ca : cas) {
      if (NameKey(X509_get_subject_name(ca.get())) != issuer_key) continue;
      EVP_PKEY* public_key = X509_get0_pubkey(ca.get());
      if (public_key != nullptr && X509_CRL_verify(crl.get(), public_key) == 1) {
        verified = true;
        break;
      }
    }
    ERR_clear_error();
    if (!verified)
      return absl::InvalidArgumentError(absl::StrCat(
          crl_flag, ": a CRL is not signed by any CA in the client CA file (its issuer must "
                    "be one of those CAs, and its signature must verify)"));
    const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl.get());
    if (next_update != nullptr &&
        X509_cmp_time(next_update, const_cast<time_t*>(&now_t)) < 0)
      list.stale_ = true;
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
      const X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, i);
      list.revoked_.insert(
          absl::StrCat(issuer_key, std::string(1, '\0'),
                       SerialKey(X509_REVOKED_get0_serialNumber(entry))));
    }
  }
  return list;
}

absl::StatusOr<RevocationList> RevocationList::FromFiles(const std::string& crl_file,
                                                         const std::string& ca_file,
                                                         const std::string& crl_flag,
                                                         absl::Time now) {
  auto crl = ReadWholeFile(crl_flag, crl_file);
  if (!crl.ok()) return crl.status();
  auto ca = ReadWholeFile("--tls_client_ca_file", ca_file);
  if (!ca.ok()) return ca.status();
  auto list = FromPem(*crl, *ca, crl_flag, now);
  if (!list.ok())
    return absl::Status(list.status().code(),
                        absl::StrCat(list.status().message(), " (", crl_file, ")"));
  return list;
}

bool RevocationList::IsRevoked(const std::string& certificate_pem) const {
  Bio bio = MemoryBio(certificate_pem);
  std::unique_ptr<X509, X509Free> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (cert == nullptr) return true;
  return revoked_.contains(absl::StrCat(NameKey(X509_get_issuer_name(cert.get())),
                                        std::string(1, '\0'),
                                        SerialKey(X509_get0_serialNumber(cert.get()))));
}

bool CrlCertificateVerifier::Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
                                    std::function<void(grpc::Status)>,
                                    grpc::Status* sync_status) {
  const grpc::string_ref peer = request->peer_cert();
  if (peer.empty()) {
    *sync_status = grpc::Status::OK;
    return true;
  }
  if (checker_->current()->IsRevoked(std::string(peer.data(), peer.size()))) {
    LogWarning("client_certificate_refused", {{"reason", "revoked by --tls_client_crl_file"}});
    *sync_status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                "the client certificate has been revoked");
    return true;
  }
  *sync_status = grpc::Status::OK;
  return true;
}

}  // namespace council
