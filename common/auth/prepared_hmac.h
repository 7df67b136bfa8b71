// prepared_hmac.h — HMAC-SHA256 with the key's pads hashed once.
//
// HMAC-SHA256 (RFC 2104) with the key's inner and outer pad blocks hashed
// once, when the key is loaded. Each MAC then costs two context copies and
// two short hashes, instead of OpenSSL 3's one-shot HMAC(), which fetches
// the algorithm and sets the key up again on every call. Used on hot paths:
// internal assertions (every hop of every call) and the keyed audit chain
// (every audited write).
//
//   council::auth::PreparedHmac hmac(secret);
//   std::string mac = hmac.Mac(data);  // 32 raw bytes, "" if OpenSSL failed
#ifndef COUNCIL_COMMON_AUTH_PREPARED_HMAC_H_
#define COUNCIL_COMMON_AUTH_PREPARED_HMAC_H_

#include <string>

#include "absl/strings/string_view.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace council::auth {

class PreparedHmac {
 public:
  // Absorbs `key` (hashed first if longer than SHA-256's 64-byte block, as
  // RFC 2104 says). Aborts if OpenSSL cannot set up SHA-256: no MAC at all
  // is safer than a wrong one. The key bytes are not kept.
  explicit PreparedHmac(absl::string_view key);
  ~PreparedHmac();
  PreparedHmac(const PreparedHmac&) = delete;
  PreparedHmac& operator=(const PreparedHmac&) = delete;

  // Mac
  //
  // The 32-byte MAC of `data`, or "" if OpenSSL fails (never equal to a MAC).
  // Thread-safe: each thread hashes in its own scratch context.
  std::string Mac(absl::string_view data) const;

 private:
  EVP_MD_CTX* inner_ = nullptr;
  EVP_MD_CTX* outer_ = nullptr;
};

}  // namespace council::auth

#endif  // COUNCIL_COMMON_AUTH_PREPARED_HMAC_H_
