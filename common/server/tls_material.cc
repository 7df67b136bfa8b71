#include "common/server/tls_material.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace council {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

absl::StatusOr<std::string> ReadWholeFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& text) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// The PEM certificates in `pem`, in order.
std::vector<std::unique_ptr<X509, X509Free>> PemCertificates(const std::string& pem) {
  std::vector<std::unique_ptr<X509, X509Free>> certificates;
  auto bio = MemoryBio(pem);
  if (bio == nullptr) return certificates;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    certificates.emplace_back(cert);
  ERR_clear_error();  // the read that ends the loop leaves "no start line" queued
  return certificates;
}

absl::Status Invalid(const std::string& flag, const std::string& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " ", why));
}

// Writes `text` to `path` with `mode`, replacing it.
absl::Status WriteFileWithMode(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", path));
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      close(fd);
      return absl::InternalError(absl::StrCat("cannot write ", path));
    }
    written += static_cast<size_t>(n);
  }
  close(fd);
  return absl::OkStatus();
}

// Where the private runtime directories go.
std::string RuntimeParent() {
  if (const char* runtime = std::getenv("RUNTIME_DIRECTORY"); runtime != nullptr && *runtime) {
    // systemd lists several directories separated by ':' when the unit names several.
    return std::string(*absl::StrSplit(runtime, ':').begin());
  }
  if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp) return tmp;
  return "/tmp";
}

}  // namespace

absl::StatusOr<TlsPem> ValidateTlsFiles(const TlsFiles& files, absl::Time now) {
  TlsPem pem;
  if (!files.cert_file.empty()) {
    auto cert = ReadWholeFile(files.cert_flag, files.cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadWholeFile(files.key_flag, files.key_file);
    if (!key.ok()) return key.status();
    auto chain = PemCertificates(*cert);
    if (chain.empty()) return Invalid(files.cert_flag, files.cert_file, "holds no PEM certificate");
    X509* leaf = chain.front().get();
    const time_t now_t = absl::ToTimeT(now);
    if (X509_cmp_time(X509_get0_notAfter(leaf), const_cast<time_t*>(&now_t)) < 0)
      return Invalid(files.cert_flag, files.cert_file, "has expired (notAfter is past)");
    if (X509_cmp_time(X509_get0_notBefore(leaf), const_cast<time_t*>(&now_t)) > 0)
      return Invalid(files.cert_flag, files.cert_file, "is not valid yet (notBefore is ahead)");
    auto key_bio = MemoryBio(*key);
    std::unique_ptr<EVP_PKEY, PkeyFree> private_key(
        key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr);
    ERR_clear_error();
    if (private_key == nullptr)
      return Invalid(files.key_flag, files.key_file, "holds no PEM private key");
    if (X509_check_private_key(leaf, private_key.get()) != 1) {
      ERR_clear_error();
      return Invalid(files.key_flag, files.key_file,
                     absl::StrCat("does not belong to the certificate in ", files.cert_file));
    }
    pem.cert = *std::move(cert);
    pem.key = *std::move(key);
  }
  if (!files.ca_file.empty()) {
    auto ca = ReadWholeFile(files.ca_flag, files.ca_file);
    if (!ca.ok()) return ca.status();
    if (PemCertificates(*ca).empty())
      return Invalid(files.ca_flag, files.ca_file, "holds no PEM certificate");
    pem.ca = *std::move(ca);
  }
  return pem;
}

absl::StatusOr<std::unique_ptr<TlsMaterial>> TlsMaterial::Create(TlsFiles files,
                                                                 const std::string& label) {
  auto pem = ValidateTlsFiles(files, absl::Now());
  if (!pem.ok()) return pem.status();
  std::string pattern = absl::StrCat(RuntimeParent(), "/council-tls-", label, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr)
    return absl::InternalError(absl::StrCat("cannot make a private directory like ", pattern,
                                            " for the TLS material (set RUNTIME_DIRECTORY or "
                                            "TMPDIR to a writable directory)"));
  std::unique_ptr<TlsMaterial> material(new TlsMaterial(std::move(files), pattern));
  {
    absl::MutexLock lock(&material->mu_);
    if (absl::Status s = material->Publish(*pem); !s.ok()) return s;
  }
  const std::string current = material->runtime_dir_ + "/current/";
  // Polled every second: a reload is served within about a second.
  material->provider_ = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      material->has_identity() ? current + "key.pem" : "",
      material->has_identity() ? current + "cert.pem" : "",
      material->has_ca() ? current + "ca.pem" : "", /*refresh_interval_sec=*/1);
  return material;
}

TlsMaterial::~TlsMaterial() {
  provider_.reset();  // stops the poller unless credentials still hold it
  std::error_code ignored;
  std::filesystem::remove_all(runtime_dir_, ignored);
}

absl::Status TlsMaterial::Reload() {
  auto pem = ValidateTlsFiles(files_, absl::Now());
  if (!pem.ok()) return pem.status();
  absl::MutexLock lock(&mu_);
  return Publish(*pem);
}

// Each generation goes into its own directory and "current" is switched to
// it with one rename of a symlink, so the key and the certificate change
// together. gRPC's poller reads the key and the certificate through
// "current" one after the other and re-reads both unless each file's mtime
// (whole seconds) is the same before and after; every generation's files get
// an mtime one second or more past the previous generation's, so a poll that
// straddles the switch always sees a change and never pairs a new
// certificate with an old key.
absl::Status TlsMaterial::Publish(const TlsPem& pem) {
  const int generation = ++generation_;
  const std::string dir = absl::StrCat(runtime_dir_, "/gen-", generation);
  if (mkdir(dir.c_str(), 0700) != 0)
    return absl::InternalError(absl::StrCat("cannot create ", dir));
  const int64_t mtime = std::max<int64_t>(absl::ToUnixSeconds(absl::Now()), last_mtime_ + 1);
  last_mtime_ = mtime;
  const timespec times[2] = {{static_cast<time_t>(mtime), 0}, {static_cast<time_t>(mtime), 0}};
  for (const auto& [name, text] : std::vector<std::pair<std::string, const std::string*>>{
           {"cert.pem", &pem.cert}, {"key.pem", &pem.key}, {"ca.pem", &pem.ca}}) {
    if (text->empty()) continue;
    const std::string path = absl::StrCat(dir, "/", name);
    if (absl::Status s = WriteFileWithMode(path, *text, 0600); !s.ok()) return s;
    if (utimensat(AT_FDCWD, path.c_str(), times, 0) != 0)
      return absl::InternalError(absl::StrCat("cannot set the time of ", path));
  }
  const std::string link = runtime_dir_ + "/current";
  const std::string staged = absl::StrCat(link, ".", generation);
  if (symlink(absl::StrCat("gen-", generation).c_str(), staged.c_str()) != 0 ||
      rename(staged.c_str(), link.c_str()) != 0)
    return absl::InternalError(absl::StrCat("cannot switch ", link, " to ", dir));
  // Two generations back can no longer be in the middle of a poll.
  if (generation > 2) {
    std::error_code ignored;
    std::filesystem::remove_all(absl::StrCat(runtime_dir_, "/gen-", generation - 2), ignored);
  }
  return absl::OkStatus();
}

}  // namespace council
