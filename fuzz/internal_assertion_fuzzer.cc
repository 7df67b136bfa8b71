// Fuzzes AssertionVerifier::Verify, the check every backend makes of the
// x-council-assertion metadata on every call. Each input is tried twice:
//   * as the whole token, as anyone who reaches a backend port can send it
//     (format, base64url, the MAC);
//   * as the payload of a token MAC'd here with the fixed key, as a buggy
//     sibling service could mint it, so the netstring fields, times, method
//     binding and replay cache are reached too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/auth/base64url.h"
#include "common/auth/internal_assertion.h"
#include "fuzz/fixed_test_keys.h"
#include "fuzz/fuzz_check.h"

namespace {

using council::auth::AssertionKey;
using council::auth::AssertionVerifier;

// The method the seeds were minted for.
constexpr char kMethod[] = "/council.relations.v1.RelationsService/GetPerson";

const AssertionKey& Key() {
  static const AssertionKey* key =
      new AssertionKey(AssertionKey::FromSecretForTesting(council::fuzz::kFuzzAssertionSecret));
  return *key;
}

// "v1.<b64(payload)>.<b64(mac)>", MAC'd as SignAssertion does.
std::string MacPayload(absl::string_view payload) {
  const std::string signed_part = absl::StrCat("v1.", council::auth::Base64UrlEncode(payload));
  return absl::StrCat(signed_part, ".",
                      council::auth::Base64UrlEncode(council::auth::HmacSha256ForTesting(
                          council::fuzz::kFuzzAssertionSecret, signed_part)));
}

void CheckRefusal(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kUnauthenticated);
  FUZZ_CHECK(absl::StartsWith(status.message(), "assertion: "));
  FUZZ_CHECK(status.message().size() <= kMaxFuzzedMessageBytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  // A fresh verifier per input: its replay cache must not make one input's
  // result depend on the inputs run before it.
  {
    AssertionVerifier verifier(Key());
    auto raw = verifier.Verify(input, kMethod, council::fuzz::kFuzzNow);
    if (!raw.ok()) CheckRefusal(raw.status());
  }

  AssertionVerifier verifier(Key());
  const std::string token = MacPayload(input);
  auto assertion = verifier.Verify(token, kMethod, council::fuzz::kFuzzNow);
  if (!assertion.ok()) {
    CheckRefusal(assertion.status());
    return 0;
  }
  FUZZ_CHECK(!assertion->caller.empty());
  FUZZ_CHECK(assertion->method == kMethod);
  // Accepted once, refused as a replay after.
  auto replay = verifier.Verify(token, kMethod, council::fuzz::kFuzzNow);
  FUZZ_CHECK(!replay.ok() && replay.status().message() == "assertion: replayed");
  // What was accepted re-signs to an assertion that verifies to the same
  // claims (the payload encoding round-trips).
  AssertionVerifier fresh(Key());
  auto again = fresh.Verify(council::auth::SignAssertion(*assertion, Key()), kMethod,
                            council::fuzz::kFuzzNow);
  FUZZ_CHECK(again.ok() && *again == *assertion);
  return 0;
}
