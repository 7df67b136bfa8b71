#include "common/audit/chain_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace council {
namespace audit {
namespace {

// What the key id is the MAC of. A constant MAC'd with the key identifies
// it without revealing it (the same construction as a key check value).
constexpr absl::string_view kKeyIdInput = "council.audit.key-id";

std::atomic<const ChainKey*> process_key{nullptr};

}  // namespace

ChainKey::ChainKey(absl::string_view secret) : hmac_(secret) {
  id_ = MacHex(kKeyIdInput).substr(0, kKeyIdChars);
}

std::string ChainKey::MacHex(absl::string_view data) const {
  const std::string mac = hmac_.Mac(data);
  return mac.empty() ? std::string() : absl::BytesToHexString(mac);
}

std::shared_ptr<const ChainKey> ChainKey::FromSecret(absl::string_view secret) {
  return std::shared_ptr<const ChainKey>(new ChainKey(secret));
}

absl::StatusOr<std::shared_ptr<const ChainKey>> ChainKey::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("audit chain key file '", path, "' cannot be read"));
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string raw = contents.str();
  const absl::string_view trimmed = absl::StripAsciiWhitespace(raw);
  if (trimmed.size() < kMinSecretBytes) {
    const size_t size = trimmed.size();
    OPENSSL_cleanse(raw.data(), raw.size());
    return absl::InvalidArgumentError(absl::StrCat(
        "audit chain key file '", path, "' holds ", size,
        " bytes after trimming whitespace; at least ", kMinSecretBytes,
        " are required (make one with `openssl rand -hex 32`)"));
  }
  std::shared_ptr<const ChainKey> key = FromSecret(trimmed);
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

std::string ChainKey::GenerateSecretHex() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // never a weak key
  std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
  OPENSSL_cleanse(bytes, sizeof(bytes));
  return hex;
}

std::shared_ptr<const ChainKey> SetProcessChainKey(std::shared_ptr<const ChainKey> key) {
  // Every key ever installed stays alive, so an append that loaded the old
  // pointer just before a replacement never touches freed memory. Services
  // install one key; only tests replace it.
  static absl::Mutex mu;
  static auto* installed = new std::vector<std::shared_ptr<const ChainKey>>();
  static std::shared_ptr<const ChainKey>* current = new std::shared_ptr<const ChainKey>();
  absl::MutexLock lock(&mu);
  if (key != nullptr) installed->push_back(key);
  std::shared_ptr<const ChainKey> previous = *current;
  *current = key;
  process_key.store(key.get(), std::memory_order_release);
  return previous;
}

const ChainKey* ProcessChainKey() { return process_key.load(std::memory_order_acquire); }

}  // namespace audit
}  // namespace council
