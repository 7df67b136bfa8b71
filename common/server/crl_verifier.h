// crl_verifier.h — refuses client certificates that a CRL revokes, with a
// CRL re-read on SIGHUP.
//
// OpenSSL's own CRL checking (gRPC's set_crl_directory) reads a hashed
// directory and caches what it read per TLS context, so a replaced CRL might
// not take effect until a restart. Here the process parses the CRL itself,
// checks its signature against the client CA, and swaps the set of revoked
// serial numbers in one step; gRPC calls Verify after the chain has been
// checked, for every handshake:
//
//   auto crl = RevocationList::FromFiles(crl_file, client_ca_file, absl::Now());
//   auto checker = std::make_shared<RevocationChecker>(*crl);
//   options.set_certificate_verifier(
//       ExternalCertificateVerifier::Create<CrlCertificateVerifier>(checker));
//   checker->Replace(*RevocationList::FromFiles(...));   // on SIGHUP
#ifndef COUNCIL_COMMON_SERVER_CRL_VERIFIER_H_
#define COUNCIL_COMMON_SERVER_CRL_VERIFIER_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/tls_certificate_verifier.h"

namespace council {

// RevocationList
//
// The serial numbers one CRL revokes, keyed by issuer, once its signature
// has been checked.
class RevocationList {
 public:
  // FromPem
  //
  // Parses `crl_pem` (one or more PEM X509 CRLs) and checks each one's
  // signature against the certificate in `ca_pem` whose subject is the CRL's
  // issuer. Returns INVALID_ARGUMENT naming `crl_flag` if there is no CRL, a
  // CRL's issuer is not among the CAs, or a signature does not verify. A CRL
  // whose nextUpdate has passed is still applied (refusing every client
  // because a CRL was not renewed on time would stop the suite), and
  // stale() says so for the caller to log.
  static absl::StatusOr<RevocationList> FromPem(const std::string& crl_pem,
                                                const std::string& ca_pem,
                                                const std::string& crl_flag, absl::Time now);
  // FromFiles
  //
  // FromPem on the contents of two files; NOT_FOUND naming the flag if one
  // cannot be read.
  static absl::StatusOr<RevocationList> FromFiles(const std::string& crl_file,
                                                  const std::string& ca_file,
                                                  const std::string& crl_flag, absl::Time now);

  // IsRevoked
  //
  // True if the leaf certificate in `certificate_pem` is revoked by this
  // list (same issuer name and serial number). A certificate that does not
  // parse counts as revoked: it should never have got this far.
  bool IsRevoked(const std::string& certificate_pem) const;

  size_t size() const { return revoked_.size(); }
  bool stale() const { return stale_; }

 private:
  // issuer (DER of the name) + '\0' + serial (hex)
  absl::flat_hash_set<std::string> revoked_;
  bool stale_ = false;
};

// RevocationChecker
//
// The RevocationList in force, replaceable while handshakes go on.
class RevocationChecker {
 public:
  explicit RevocationChecker(RevocationList list)
      : list_(std::make_shared<const RevocationList>(std::move(list))) {}
  void Replace(RevocationList list) {
    auto next = std::make_shared<const RevocationList>(std::move(list));
    absl::MutexLock lock(&mu_);
    list_ = std::move(next);
  }
  std::shared_ptr<const RevocationList> current() const {
    absl::MutexLock lock(&mu_);
    return list_;
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const RevocationList> list_ ABSL_GUARDED_BY(mu_);
};

// CrlCertificateVerifier
//
// A gRPC verifier (server side) that fails the handshake of a client whose
// certificate `checker` finds revoked. A client that sent no certificate
// passes: whether one is required is the credentials' cert_request_type.
class CrlCertificateVerifier : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit CrlCertificateVerifier(std::shared_ptr<RevocationChecker> checker)
      : checker_(std::move(checker)) {}
  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> callback, grpc::Status* sync_status) override;
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {}

 private:
  std::shared_ptr<RevocationChecker> checker_;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_CRL_VERIFIER_H_
