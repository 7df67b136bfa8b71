#include "common/audit/entry_hash.h"

#include <openssl/evp.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace council {
namespace audit {
namespace {

constexpr absl::string_view kLegacyDomain = "council.audit.v1";
constexpr absl::string_view kKeyedDomain = "council.audit.v2";
constexpr absl::string_view kKeyedPrefix = "v2:";
constexpr absl::string_view kMacDomain = "council.audit.v2.mac:";
constexpr size_t kHexChars = 64;

void AppendField(std::string* out, absl::string_view field) {
  absl::StrAppend(out, field.size(), ":", field, ",");
}

void AppendEntry(std::string* out, const EntryFields& e) {
  AppendField(out, absl::StrCat(e.seq));
  AppendField(out, e.recorded_at);
  AppendField(out, e.actor);
  AppendField(out, e.action);
  AppendField(out, e.resource);
  AppendField(out, e.detail);
  AppendField(out, e.prev_hash);
}

std::string Sha256Hex(absl::string_view data) {
  // Fetched once: OpenSSL 3 looks the algorithm up again on every
  // EVP_sha256() digest, which costs about as much as hashing an entry.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (sha256 == nullptr ||
      EVP_Digest(data.data(), data.size(), digest, &digest_len, sha256, nullptr) != 1)
    return std::string();  // never equal to a stored hash, so it surfaces
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_len));
}

bool IsLowerHex(absl::string_view s, size_t size) {
  if (s.size() != size) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string LegacyEntryHash(const EntryFields& entry) {
  std::string encoded;
  AppendField(&encoded, kLegacyDomain);
  AppendEntry(&encoded, entry);
  return Sha256Hex(encoded);
}

std::string KeyedEntryDigest(const EntryFields& entry, absl::string_view key_id) {
  std::string encoded;
  AppendField(&encoded, kKeyedDomain);
  AppendField(&encoded, key_id);
  AppendEntry(&encoded, entry);
  return Sha256Hex(encoded);
}

std::string KeyedEntryMac(absl::string_view digest, const ChainKey& key) {
  return key.MacHex(absl::StrCat(kMacDomain, digest));
}

std::string KeyedEntryHash(const EntryFields& entry, const ChainKey& key) {
  const std::string digest = KeyedEntryDigest(entry, key.id());
  if (digest.empty()) return std::string();
  const std::string mac = KeyedEntryMac(digest, key);
  if (mac.empty()) return std::string();
  return absl::StrCat(kKeyedPrefix, key.id(), ":", digest, ":", mac);
}

ParsedEntryHash ParseEntryHash(absl::string_view hash) {
  ParsedEntryHash parsed;
  if (IsLowerHex(hash, kHexChars)) {
    parsed.kind = ParsedEntryHash::Kind::kLegacy;
    parsed.digest = hash;
    return parsed;
  }
  constexpr size_t kIdChars = ChainKey::kKeyIdChars;
  if (hash.size() != kKeyedPrefix.size() + kIdChars + 1 + kHexChars + 1 + kHexChars ||
      hash.substr(0, kKeyedPrefix.size()) != kKeyedPrefix)
    return parsed;
  absl::string_view rest = hash.substr(kKeyedPrefix.size());
  const absl::string_view key_id = rest.substr(0, kIdChars);
  const absl::string_view digest = rest.substr(kIdChars + 1, kHexChars);
  const absl::string_view mac = rest.substr(kIdChars + 1 + kHexChars + 1);
  if (rest[kIdChars] != ':' || rest[kIdChars + 1 + kHexChars] != ':' ||
      !IsLowerHex(key_id, kIdChars) || !IsLowerHex(digest, kHexChars) ||
      !IsLowerHex(mac, kHexChars))
    return parsed;
  parsed.kind = ParsedEntryHash::Kind::kKeyed;
  parsed.key_id = key_id;
  parsed.digest = digest;
  parsed.mac = mac;
  return parsed;
}

}  // namespace audit
}  // namespace council
