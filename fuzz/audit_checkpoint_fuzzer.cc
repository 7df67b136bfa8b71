// Fuzzes ParseCheckpointLine (common/audit/checkpoint.h), which
// `council-backup verify` applies to every line of a checkpoint file or a
// journal export: text an attacker who can write those files controls. Each
// input is tried twice:
//   * as a line as it is, against this process's key;
//   * as the signed part of a line (every "KEYID" replaced by the key's id),
//     signed here and given its " sig=", so the field parsing behind the
//     signature check is reached too.
// Either way the answer is a checkpoint or INVALID_ARGUMENT / NOT_FOUND with
// a bounded message; a checkpoint parsed from a line signs back to that line.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "common/audit/checkpoint.h"
#include "common/auth/base64url.h"
#include "fuzz/fuzz_check.h"

namespace {

using council::audit::CheckpointKey;
using council::audit::CheckpointKeys;

struct Fixture {
  std::shared_ptr<const CheckpointKey> key;
  CheckpointKeys keys;
  EVP_PKEY* signer = nullptr;  // the same key, for signing raw bytes
};

const Fixture& TheFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    auto pair = CheckpointKey::Generate();
    FUZZ_CHECK(pair.ok());
    auto key = CheckpointKey::FromPrivateKeyPem(pair->first, "fuzz key");
    FUZZ_CHECK(key.ok());
    f->key = *key;
    f->keys[f->key->id()] = f->key;
    BIO* bio = BIO_new_mem_buf(pair->first.data(), static_cast<int>(pair->first.size()));
    f->signer = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    FUZZ_CHECK(f->signer != nullptr);
    return f;
  }();
  return *fixture;
}

std::string SignRaw(EVP_PKEY* key, absl::string_view message) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char signature[64];
  size_t length = sizeof(signature);
  FUZZ_CHECK(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1);
  FUZZ_CHECK(EVP_DigestSign(ctx.get(), signature, &length,
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1);
  return std::string(reinterpret_cast<const char*>(signature), length);
}

void Check(absl::string_view line, const Fixture& fixture) {
  auto parsed = council::audit::ParseCheckpointLine(line, fixture.keys);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument ||
               parsed.status().code() == absl::StatusCode::kNotFound);
    FUZZ_CHECK(parsed.status().message().size() <= kMaxFuzzedMessageBytes);
    return;
  }
  FUZZ_CHECK(parsed->key_id == fixture.key->id());
  FUZZ_CHECK(parsed->seq >= 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fixture = TheFixture();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  Check(input, fixture);
  const std::string signed_part = absl::StrReplaceAll(input, {{"KEYID", fixture.key->id()}});
  const std::string line = absl::StrCat(
      signed_part, " sig=",
      council::auth::Base64UrlEncode(SignRaw(fixture.signer, signed_part)));
  Check(line, fixture);
  return 0;
}
