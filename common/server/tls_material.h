// tls_material.h — a certificate, its key and a CA bundle, read from the
// operator's files, checked, and re-read on SIGHUP without a restart.
//
// gRPC 1.51 offers no public way to push new key material into running
// credentials; its FileWatcherCertificateProvider polls files instead. So the
// operator's files are never watched directly (a half-copied file or a
// certificate renewed before its key would be picked up at once): each
// Reload reads them, checks them (ValidateTlsFiles), and only then publishes
// a copy into a private runtime directory that the provider polls every
// second. A bad file on reload is refused and the old material kept.
//
//   auto material = TlsMaterial::Create({cert, key, ca}, "server");
//   options.set_certificate_provider((*material)->provider());
//   ...
//   if (absl::Status s = (*material)->Reload(); !s.ok()) LogError(...);  // on SIGHUP
#ifndef COUNCIL_COMMON_SERVER_TLS_MATERIAL_H_
#define COUNCIL_COMMON_SERVER_TLS_MATERIAL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/tls_certificate_provider.h"

namespace council {

// The operator's files, each with the flag that names it (for messages).
struct TlsFiles {
  // PEM certificate chain (leaf first) and its PEM private key. Both empty:
  // no identity (a client that presents no certificate).
  std::string cert_file;
  std::string cert_flag;
  std::string key_file;
  std::string key_flag;
  // PEM CA certificate(s) to verify the peer with. Empty: none.
  std::string ca_file;
  std::string ca_flag;
};

// The checked contents of TlsFiles.
struct TlsPem {
  std::string cert;
  std::string key;
  std::string ca;
};

// ValidateTlsFiles
//
// Reads `files` and checks that the certificate chain parses as PEM, that its
// first certificate is valid at `now` (not before notBefore, not after
// notAfter), that the key parses and belongs to that certificate, and that
// the CA file holds at least one PEM certificate. Returns NOT_FOUND (a file
// cannot be read) or INVALID_ARGUMENT (anything else), naming the flag and
// the path.
absl::StatusOr<TlsPem> ValidateTlsFiles(const TlsFiles& files, absl::Time now);

// TlsMaterial
//
// The checked material of one TlsFiles, published for gRPC. Thread-safe.
class TlsMaterial {
 public:
  // Create
  //
  // Validates `files` and publishes them under a new private directory:
  // $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=) if set, else $TMPDIR or
  // /tmp, in a mode-0700 directory named council-tls-<label>-XXXXXX that the
  // destructor removes.
  static absl::StatusOr<std::unique_ptr<TlsMaterial>> Create(TlsFiles files,
                                                             const std::string& label);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  // Reload
  //
  // Reads and validates the files again; if they pass, publishes them (gRPC
  // serves them from its next poll, within about a second, for new
  // connections; open connections keep theirs). If not, keeps the material
  // already published and returns the error naming the flag and file.
  absl::Status Reload();

  // provider
  //
  // A certificate provider that serves the published material: identity
  // (if a certificate was given) and root certificates (if a CA was given).
  std::shared_ptr<grpc::experimental::CertificateProviderInterface> provider() const {
    return provider_;
  }

  bool has_identity() const { return !files_.cert_file.empty(); }
  bool has_ca() const { return !files_.ca_file.empty(); }
  const TlsFiles& files() const { return files_; }
  // The directory the copies are published in (for tests).
  const std::string& runtime_dir() const { return runtime_dir_; }

 private:
  TlsMaterial(TlsFiles files, std::string runtime_dir)
      : files_(std::move(files)), runtime_dir_(std::move(runtime_dir)) {}
  absl::Status Publish(const TlsPem& pem) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const TlsFiles files_;
  const std::string runtime_dir_;
  absl::Mutex mu_;
  int generation_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t last_mtime_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<grpc::experimental::CertificateProviderInterface> provider_;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_TLS_MATERIAL_H_
