#include "common/auth/prepared_hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace council::auth {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256's block size

void Absorb(EVP_MD_CTX*& ctx, const unsigned char* pad) {
  ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, pad, kBlock) != 1)
    std::abort();  // no MAC at all is safer than a wrong one
}

}  // namespace

PreparedHmac::PreparedHmac(absl::string_view key) {
  unsigned char block[kBlock] = {};
  if (key.size() > kBlock) {
    unsigned int n = 0;
    EVP_Digest(key.data(), key.size(), block, &n, EVP_sha256(), nullptr);
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[kBlock];
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  Absorb(inner_, pad);
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  Absorb(outer_, pad);
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
}

PreparedHmac::~PreparedHmac() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

std::string PreparedHmac::Mac(absl::string_view data) const {
  // One scratch context per thread: copies into it reuse its buffers. It
  // is freed when the thread ends (gRPC's sync servers start and end
  // threads as load changes: a bare pointer leaked one context each).
  struct FreeContext {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, FreeContext> scratch_owner(EVP_MD_CTX_new());
  EVP_MD_CTX* scratch = scratch_owner.get();
  unsigned char inner_hash[EVP_MAX_MD_SIZE];
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0, mac_len = 0;
  if (scratch == nullptr || EVP_MD_CTX_copy_ex(scratch, inner_) != 1 ||
      EVP_DigestUpdate(scratch, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(scratch, inner_hash, &inner_len) != 1 ||
      EVP_MD_CTX_copy_ex(scratch, outer_) != 1 ||
      EVP_DigestUpdate(scratch, inner_hash, inner_len) != 1 ||
      EVP_DigestFinal_ex(scratch, mac, &mac_len) != 1)
    return std::string();
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

}  // namespace council::auth
