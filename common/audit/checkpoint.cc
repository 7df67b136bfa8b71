#include "common/audit/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/audit/entry_hash.h"
#include "common/auth/base64url.h"
#include "common/errors/bounded_status.h"

namespace council {
namespace audit {
namespace {

constexpr absl::string_view kAnyVersionTag = "council-audit-checkpoint/";
constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%SZ";
constexpr size_t kSignatureBytes = 64;  // Ed25519
constexpr size_t kMaxLineBytes = 2048;  // a checkpoint is about 500
constexpr size_t kMaxServiceChars = 64;

// Everything OpenSSL queued, dropped so it cannot leak into a later error.
void ClearOpenSslErrors() { ERR_clear_error(); }

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

bool IsServiceName(absl::string_view s) {
  if (s.empty() || s.size() > kMaxServiceChars) return false;
  for (char c : s)
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

bool IsEntryHash(absl::string_view s) {
  return ParseEntryHash(s).kind != ParsedEntryHash::Kind::kMalformed;
}

bool IsLowerHex(absl::string_view s, size_t size) {
  if (s.size() != size) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// The signed part of a checkpoint line.
std::string SignedText(const Checkpoint& c) {
  return absl::StrCat(kCheckpointTag, " service=", c.service, " chain=", c.chain,
                      " seq=", c.seq, " head=", c.head,
                      " time=", absl::FormatTime(kTimeFormat, c.time, absl::UTCTimeZone()),
                      " key=", c.key_id);
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(what, " '", path, "' cannot be read"));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The value of `name=` at the front of `token`, or nullopt.
std::optional<absl::string_view> Field(absl::string_view token, absl::string_view name) {
  if (!absl::ConsumePrefix(&token, name) || !absl::ConsumePrefix(&token, "=")) return std::nullopt;
  return token;
}

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("malformed checkpoint: ", why));
}

}  // namespace

CheckpointKey::CheckpointKey(EVP_PKEY* key, bool has_private)
    : key_(key), has_private_(has_private) {
  unsigned char raw[32];
  size_t raw_len = sizeof(raw);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_PKEY_get_raw_public_key(key_, raw, &raw_len) == 1 &&
      EVP_Digest(raw, raw_len, digest, &digest_len, EVP_sha256(), nullptr) == 1) {
    id_ = absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), 8));
  }
}

CheckpointKey::~CheckpointKey() { EVP_PKEY_free(key_); }

absl::StatusOr<std::shared_ptr<const CheckpointKey>> CheckpointKey::FromPrivateKeyPem(
    absl::string_view pem, absl::string_view source) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ClearOpenSslErrors();
  if (key == nullptr)
    return absl::InvalidArgumentError(
        absl::StrCat(source, " holds no PEM private key (make one with `openssl genpkey "
                             "-algorithm ed25519`)"));
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat(source, " holds a private key that is not Ed25519"));
  }
  auto made = std::shared_ptr<const CheckpointKey>(new CheckpointKey(key, true));
  if (made->id().empty()) return absl::InternalError(absl::StrCat(source, ": cannot read key"));
  return made;
}

absl::StatusOr<std::shared_ptr<const CheckpointKey>> CheckpointKey::FromPublicKeyPem(
    absl::string_view pem, absl::string_view source) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ClearOpenSslErrors();
  if (key == nullptr)
    return absl::InvalidArgumentError(absl::StrCat(
        source, " holds no PEM public key (\"-----BEGIN PUBLIC KEY-----\", as `openssl pkey "
                "-pubout` writes)"));
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat(source, " holds a public key that is not Ed25519"));
  }
  auto made = std::shared_ptr<const CheckpointKey>(new CheckpointKey(key, false));
  if (made->id().empty()) return absl::InternalError(absl::StrCat(source, ": cannot read key"));
  return made;
}

absl::StatusOr<std::shared_ptr<const CheckpointKey>> CheckpointKey::FromPrivateKeyFile(
    const std::string& path) {
  auto pem = ReadWholeFile(path, "checkpoint private key file");
  if (!pem.ok()) return pem.status();
  auto key = FromPrivateKeyPem(*pem, absl::StrCat("checkpoint private key file '", path, "'"));
  OPENSSL_cleanse(pem->data(), pem->size());
  return key;
}

absl::StatusOr<std::shared_ptr<const CheckpointKey>> CheckpointKey::FromPublicKeyFile(
    const std::string& path) {
  auto pem = ReadWholeFile(path, "checkpoint public key file");
  if (!pem.ok()) return pem.status();
  return FromPublicKeyPem(*pem, absl::StrCat("checkpoint public key file '", path, "'"));
}

absl::StatusOr<std::pair<std::string, std::string>> CheckpointKey::Generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) {
    ClearOpenSslErrors();
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem()));
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  const bool written =
      priv && pub &&
      PEM_write_bio_PrivateKey(priv.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
      PEM_write_bio_PUBKEY(pub.get(), key) == 1;
  EVP_PKEY_free(key);
  if (!written) {
    ClearOpenSslErrors();
    return absl::InternalError("cannot write the Ed25519 key as PEM");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(priv.get(), &data);
  std::string private_pem(data, static_cast<size_t>(size));
  size = BIO_get_mem_data(pub.get(), &data);
  std::string public_pem(data, static_cast<size_t>(size));
  return std::make_pair(std::move(private_pem), std::move(public_pem));
}

std::string CheckpointKey::PublicKeyPem() const {
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  if (!pub || PEM_write_bio_PUBKEY(pub.get(), key_) != 1) {
    ClearOpenSslErrors();
    return std::string();
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(pub.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<std::string> CheckpointKey::Sign(Checkpoint checkpoint) const {
  if (!has_private_)
    return absl::FailedPreconditionError("a checkpoint public key cannot sign");
  checkpoint.key_id = id_;
  if (!IsServiceName(checkpoint.service))
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint service name \"", absl::CHexEscape(checkpoint.service),
                     "\" is not [a-z0-9._-]{1,64}"));
  if (checkpoint.seq < 1 || !IsEntryHash(checkpoint.chain) || !IsEntryHash(checkpoint.head))
    return absl::InvalidArgumentError("a checkpoint needs seq >= 1 and two audit entry hashes");
  checkpoint.time = absl::FromUnixSeconds(absl::ToUnixSeconds(checkpoint.time));
  const std::string text = SignedText(checkpoint);
  unsigned char signature[kSignatureBytes];
  size_t signature_len = sizeof(signature);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  // Ed25519 hashes the message itself: no digest is named (NULL md).
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_) != 1 ||
      EVP_DigestSign(ctx.get(), signature, &signature_len,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
    ClearOpenSslErrors();
    return absl::InternalError("Ed25519 signing failed");
  }
  return absl::StrCat(
      text, " sig=",
      auth::Base64UrlEncode(absl::string_view(reinterpret_cast<const char*>(signature),
                                              signature_len)));
}

bool CheckpointKey::Verify(absl::string_view message, absl::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ClearOpenSslErrors();
  return ok;
}

absl::StatusOr<Checkpoint> ParseCheckpointLine(absl::string_view line,
                                               const CheckpointKeys& keys) {
  const size_t at = line.find(kAnyVersionTag);
  if (at == absl::string_view::npos) return absl::NotFoundError("no checkpoint in this line");
  absl::string_view text = line.substr(at);
  // Inside a JSON log line the checkpoint ends at the closing quote (its own
  // characters never need escaping).
  if (const size_t quote = text.find('"'); quote != absl::string_view::npos)
    text = text.substr(0, quote);
  text = absl::StripTrailingAsciiWhitespace(text);
  if (text.size() > kMaxLineBytes) return Malformed("longer than 2048 bytes");
  const std::vector<absl::string_view> tokens = absl::StrSplit(text, ' ');
  if (tokens.empty() || tokens[0] != kCheckpointTag)
    return Malformed(absl::StrCat("unknown version ", Excerpt(tokens[0]), " (this tool reads ",
                                  kCheckpointTag, ")"));
  if (tokens.size() != 8) return Malformed("expected 8 space-separated fields");
  const auto service = Field(tokens[1], "service");
  const auto chain = Field(tokens[2], "chain");
  const auto seq_text = Field(tokens[3], "seq");
  const auto head = Field(tokens[4], "head");
  const auto time_text = Field(tokens[5], "time");
  const auto key_id = Field(tokens[6], "key");
  const auto sig = Field(tokens[7], "sig");
  if (!service || !chain || !seq_text || !head || !time_text || !key_id || !sig)
    return Malformed("fields must be service, chain, seq, head, time, key, sig, in that order");
  Checkpoint c;
  std::string error;
  if (!IsServiceName(*service)) return Malformed("bad service name");
  if (!IsEntryHash(*chain) || !IsEntryHash(*head)) return Malformed("chain or head is not a hash");
  if (!absl::SimpleAtoi(*seq_text, &c.seq) || c.seq < 1 || absl::StrCat(c.seq) != *seq_text)
    return Malformed("seq is not a positive decimal number");
  if (!absl::ParseTime(kTimeFormat, *time_text, absl::UTCTimeZone(), &c.time, &error))
    return Malformed(absl::StrCat("time: ", TruncateUtf8(error, 200)));
  if (!IsLowerHex(*key_id, 16)) return Malformed("key is not a 16-digit key id");
  c.service = std::string(*service);
  c.chain = std::string(*chain);
  c.head = std::string(*head);
  c.key_id = std::string(*key_id);
  // The signed text is exactly what this parser accepted, re-spelt; a line
  // that spells a field differently (say, another time zone) fails here.
  const absl::string_view message = text.substr(0, text.size() - tokens[7].size() - 1);
  if (SignedText(c) != message) return Malformed("not in canonical form");

  const auto key = keys.find(c.key_id);
  if (key == keys.end())
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint signed with key id ", c.key_id,
        ", which none of the given checkpoint public keys has (a retired key not given, or "
        "a checkpoint someone else signed)"));
  const std::optional<std::string> signature = auth::Base64UrlDecode(*sig);
  if (!signature || signature->size() != kSignatureBytes ||
      !key->second->Verify(message, *signature))
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint signature does not verify with key ", c.key_id, " (forged or altered)"));
  return c;
}

absl::StatusOr<std::vector<HeadClaim>> ReadCheckpointFile(const std::string& path,
                                                          const CheckpointKeys& keys,
                                                          absl::string_view service,
                                                          absl::Time until) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("checkpoint file '", path, "' cannot be read"));
  std::vector<HeadClaim> claims;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!absl::StrContains(line, kAnyVersionTag)) continue;
    auto checkpoint = ParseCheckpointLine(line, keys);
    if (!checkpoint.ok())
      return absl::DataLossError(
          absl::StrCat(path, ":", number, ": ", checkpoint.status().message()));
    if (!service.empty() && checkpoint->service != service) continue;
    // Strictly before: a checkpoint's time is its signing time rounded down,
    // and the head it states was read before it was signed.
    if (checkpoint->time >= until) continue;
    claims.push_back(HeadClaim{checkpoint->seq, std::move(checkpoint->head),
                               std::move(checkpoint->chain), absl::StrCat(path, ":", number)});
  }
  if (in.bad()) return absl::InternalError(absl::StrCat("error reading checkpoint file ", path));
  return claims;
}

absl::Status AppendCheckpointLine(const std::string& path, absl::string_view line) {
  struct stat st;
  const bool existed = ::stat(path.c_str(), &st) == 0;
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return absl::InternalError(
        absl::StrCat("cannot open checkpoint file ", path, ": ", std::strerror(errno)));
  const std::string data = absl::StrCat(line, "\n");
  // One write: with O_APPEND the line lands whole at the end, even if
  // someone else appends too.
  const ssize_t written = ::write(fd, data.data(), data.size());
  const int write_errno = errno;
  const bool synced = written == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(data.size()))
    return absl::InternalError(absl::StrCat("cannot append to checkpoint file ", path, ": ",
                                            written < 0 ? std::strerror(write_errno)
                                                        : "short write"));
  if (!synced)
    return absl::InternalError(
        absl::StrCat("cannot fsync checkpoint file ", path, ": ", std::strerror(sync_errno)));
  if (!existed) {
    // A new file's name must survive a crash too.
    const size_t slash = path.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  return absl::OkStatus();
}

}  // namespace audit
}  // namespace council
