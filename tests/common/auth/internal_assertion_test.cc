// Copyright The Council Suite Authors.

#include "common/auth/internal_assertion.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth/base64url.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace council::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kMethod[] = "/council.relations.v1.RelationsService/GetPerson";
const absl::Time kNow = absl::FromUnixSeconds(1800000000);

AssertionKey TestKey() {
  return AssertionKey::FromSecretForTesting(AssertionKey::GenerateSecretHex());
}

Assertion PersonAssertion(absl::Time now = kNow) {
  return NewAssertion("people/cllr-ada-okafor",
                      {"member", "monitoring-officer"}, kMethod, now);
}

void ExpectRefused(const absl::StatusOr<Assertion>& result,
                   absl::string_view reason) {
  ASSERT_FALSE(result.ok()) << "assertion unexpectedly accepted";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(std::string(result.status().message()), std::string(reason));
}

// The precomputed-pad HMAC agrees with OpenSSL's own HMAC() for keys shorter
// than, equal to and longer than SHA-256's 64-byte block (RFC 2104 hashes the
// last kind first), and for empty and long messages.
TEST(InternalAssertionTest, PreparedHmacMatchesOpenSslHmac) {
  for (const std::string& key :
       {std::string("k"), std::string(32, 'a'), std::string(64, 'b'), std::string(65, 'c'),
        std::string(200, 'd')}) {
    for (const std::string& data : {std::string(), std::string("v1.payload"),
                                    std::string(10000, 'x')}) {
      unsigned char expected[EVP_MAX_MD_SIZE];
      unsigned int expected_len = 0;
      ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), expected,
                     &expected_len),
                nullptr);
      EXPECT_EQ(HmacSha256ForTesting(key, data),
                std::string(reinterpret_cast<const char*>(expected), expected_len))
          << "key of " << key.size() << " bytes, data of " << data.size();
    }
  }
}

TEST(InternalAssertionTest, RoundTrip) {
  const AssertionKey key = TestKey();
  Assertion sent = PersonAssertion();
  const std::string token = SignAssertion(sent, key);
  AssertionVerifier verifier(key);
  absl::StatusOr<Assertion> got = verifier.Verify(token, kMethod, kNow);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, sent);
  EXPECT_EQ(got->expires_at - got->issued_at, kDefaultAssertionLifetime);
}

TEST(InternalAssertionTest, RoundTripServiceCallOnBehalfOfPerson) {
  const AssertionKey key = TestKey();
  Assertion sent = NewAssertion("services/access-service", {}, kMethod, kNow);
  sent.on_behalf_of = "people/cllr-ada-okafor";
  AssertionVerifier verifier(key);
  absl::StatusOr<Assertion> got =
      verifier.Verify(SignAssertion(sent, key), kMethod, kNow);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, sent);
  EXPECT_TRUE(got->roles.empty());
}

TEST(InternalAssertionTest, TokenIsHeaderSafeAscii) {
  Assertion a = PersonAssertion();
  a.caller = "people/\xc3\xa9milie \"quoted\"\n";  // non-ASCII and controls
  const std::string token = SignAssertion(a, TestKey());
  EXPECT_THAT(token, MatchesRegex("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"));
}

TEST(InternalAssertionTest, NewAssertionHasFreshHexNonce) {
  const Assertion a = PersonAssertion();
  const Assertion b = PersonAssertion();
  EXPECT_THAT(a.nonce, MatchesRegex("[0-9a-f]{32}"));
  EXPECT_NE(a.nonce, b.nonce);
}

TEST(InternalAssertionTest, TamperedPayloadRefused) {
  const AssertionKey key = TestKey();
  const std::string token = SignAssertion(PersonAssertion(), key);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  Assertion evil = PersonAssertion();
  evil.roles.push_back("chief-executive");
  const std::vector<std::string> evil_parts =
      absl::StrSplit(SignAssertion(evil, TestKey()), '.');
  AssertionVerifier verifier(key);
  ExpectRefused(verifier.Verify(absl::StrCat(parts[0], ".", evil_parts[1], ".",
                                             parts[2]),
                                kMethod, kNow),
                "assertion: bad mac");
}

TEST(InternalAssertionTest, TamperedMacRefused) {
  const AssertionKey key = TestKey();
  std::string token = SignAssertion(PersonAssertion(), key);
  const std::size_t pos = token.rfind('.') + 5;
  token[pos] = token[pos] == 'A' ? 'B' : 'A';
  AssertionVerifier verifier(key);
  ExpectRefused(verifier.Verify(token, kMethod, kNow), "assertion: bad mac");
}

TEST(InternalAssertionTest, WrongKeyRefused) {
  AssertionVerifier verifier(TestKey());
  ExpectRefused(
      verifier.Verify(SignAssertion(PersonAssertion(), TestKey()), kMethod,
                      kNow),
      "assertion: bad mac");
}

TEST(InternalAssertionTest, ExpiredRefusedWithFiveSecondSkew) {
  const AssertionKey key = TestKey();
  const Assertion a = PersonAssertion();
  AssertionVerifier verifier(key);
  ExpectRefused(verifier.Verify(SignAssertion(a, key), kMethod,
                                a.expires_at + absl::Seconds(5)),
                "assertion: expired");
  ExpectRefused(verifier.Verify(SignAssertion(a, key), kMethod,
                                a.expires_at + absl::Hours(1)),
                "assertion: expired");
  // Just inside the skew: accepted.
  EXPECT_TRUE(verifier
                  .Verify(SignAssertion(a, key), kMethod,
                          a.expires_at + absl::Seconds(4))
                  .ok());
}

TEST(InternalAssertionTest, IssuedInTheFutureRefused) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const Assertion later = PersonAssertion(kNow + absl::Seconds(6));
  ExpectRefused(verifier.Verify(SignAssertion(later, key), kMethod, kNow),
                "assertion: issued in the future");
  const Assertion slightly_later = PersonAssertion(kNow + absl::Seconds(5));
  EXPECT_TRUE(
      verifier.Verify(SignAssertion(slightly_later, key), kMethod, kNow).ok());
}

TEST(InternalAssertionTest, WrongMethodRefused) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  ExpectRefused(
      verifier.Verify(SignAssertion(PersonAssertion(), key),
                      "/council.relations.v1.RelationsService/DeletePerson",
                      kNow),
      "assertion: method mismatch");
}

TEST(InternalAssertionTest, ReplayRefused) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const std::string token = SignAssertion(PersonAssertion(), key);
  ASSERT_TRUE(verifier.Verify(token, kMethod, kNow).ok());
  ExpectRefused(verifier.Verify(token, kMethod, kNow + absl::Seconds(1)),
                "assertion: replayed");
  // A different token reusing the nonce is a replay too.
  Assertion copy = PersonAssertion();
  copy.nonce = (*verifier.Verify(SignAssertion(PersonAssertion(), key),
                                 kMethod, kNow))
                   .nonce;
  ExpectRefused(verifier.Verify(SignAssertion(copy, key), kMethod, kNow),
                "assertion: replayed");
}

TEST(InternalAssertionTest, RefusedTokensDoNotPoisonReplayCache) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const std::string token = SignAssertion(PersonAssertion(), key);
  ExpectRefused(verifier.Verify(token, "/other/Method", kNow),
                "assertion: method mismatch");
  EXPECT_TRUE(verifier.Verify(token, kMethod, kNow).ok());
}

TEST(InternalAssertionTest, ConcurrentReplayAcceptsExactlyOnce) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const std::string token = SignAssertion(PersonAssertion(), key);
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (verifier.Verify(token, kMethod, kNow).ok()) ++accepted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
}

TEST(InternalAssertionTest, LifetimeTooLongRefused) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const Assertion too_long = NewAssertion(
      "people/x", {}, kMethod, kNow, kMaxAssertionLifetime + absl::Seconds(1));
  ExpectRefused(verifier.Verify(SignAssertion(too_long, key), kMethod, kNow),
                "assertion: lifetime too long");
  const Assertion max = NewAssertion("people/x", {}, kMethod, kNow,
                                     kMaxAssertionLifetime);
  EXPECT_TRUE(verifier.Verify(SignAssertion(max, key), kMethod, kNow).ok());
  Assertion backwards = PersonAssertion();
  backwards.expires_at = backwards.issued_at;
  ExpectRefused(verifier.Verify(SignAssertion(backwards, key), kMethod, kNow),
                "assertion: expires before issued");
}

TEST(InternalAssertionTest, MalformedRefused) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const std::string good = SignAssertion(PersonAssertion(), key);
  const std::vector<std::string> parts = absl::StrSplit(good, '.');
  ExpectRefused(verifier.Verify("", kMethod, kNow), "assertion: missing");
  ExpectRefused(verifier.Verify("v1.abc", kMethod, kNow),
                "assertion: malformed");
  ExpectRefused(
      verifier.Verify(absl::StrCat("v2.", parts[1], ".", parts[2]), kMethod,
                      kNow),
      "assertion: unsupported version");
  ExpectRefused(verifier.Verify(absl::StrCat(good, "="), kMethod, kNow),
                "assertion: malformed");
  ExpectRefused(verifier.Verify(std::string(10000, 'a'), kMethod, kNow),
                "assertion: too large");

  // Correctly MAC'd but missing fields or with a bad nonce: someone holding
  // the key minted nonsense.
  Assertion no_caller = PersonAssertion();
  no_caller.caller.clear();
  ExpectRefused(verifier.Verify(SignAssertion(no_caller, key), kMethod, kNow),
                "assertion: malformed payload");
  Assertion bad_nonce = PersonAssertion();
  bad_nonce.nonce = "not-hex";
  ExpectRefused(verifier.Verify(SignAssertion(bad_nonce, key), kMethod, kNow),
                "assertion: malformed payload");
}

TEST(InternalAssertionTest, FullReplayCacheFailsClosedThenRecovers) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key, /*replay_cache_capacity=*/2);
  EXPECT_TRUE(
      verifier.Verify(SignAssertion(PersonAssertion(), key), kMethod, kNow)
          .ok());
  EXPECT_TRUE(
      verifier.Verify(SignAssertion(PersonAssertion(), key), kMethod, kNow)
          .ok());
  absl::StatusOr<Assertion> full =
      verifier.Verify(SignAssertion(PersonAssertion(), key), kMethod, kNow);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kUnavailable);
  // Once the remembered assertions are past expiry + skew they are dropped.
  const absl::Time later = kNow + kDefaultAssertionLifetime + absl::Seconds(6);
  EXPECT_TRUE(verifier
                  .Verify(SignAssertion(PersonAssertion(later), key), kMethod,
                          later)
                  .ok());
}

// An idle service forgets the nonces of assertions that can no longer pass
// the expiry check (CallerAuthenticator's IdleTrimmer calls ForgetExpired),
// and only those: a token still inside its window stays a replay.
TEST(InternalAssertionTest, ForgetExpiredDropsOnlyAssertionsPastExpiryAndSkew) {
  const AssertionKey key = TestKey();
  AssertionVerifier verifier(key);
  const std::string early = SignAssertion(PersonAssertion(kNow), key);
  const absl::Time later_issue = kNow + absl::Seconds(20);
  const std::string late = SignAssertion(PersonAssertion(later_issue), key);
  ASSERT_TRUE(verifier.Verify(early, kMethod, kNow).ok());
  ASSERT_TRUE(verifier.Verify(late, kMethod, later_issue).ok());
  EXPECT_EQ(verifier.remembered(), 2u);

  // Just before the first one's expiry + 5 s skew: nothing is forgotten.
  const absl::Time early_forget = kNow + kDefaultAssertionLifetime + absl::Seconds(5);
  EXPECT_EQ(verifier.ForgetExpired(early_forget - absl::Seconds(1)), 0u);
  EXPECT_EQ(verifier.ForgetExpired(early_forget), 1u);
  EXPECT_EQ(verifier.remembered(), 1u);
  // The later token is still remembered, so it is still a replay.
  ExpectRefused(verifier.Verify(late, kMethod, early_forget), "assertion: replayed");
  EXPECT_EQ(verifier.ForgetExpired(later_issue + kDefaultAssertionLifetime + absl::Seconds(5)),
            1u);
  EXPECT_EQ(verifier.remembered(), 0u);
}

// --- AssertionKey ------------------------------------------------------------

TEST(AssertionKeyTest, GenerateSecretHexIs32RandomBytes) {
  const std::string a = AssertionKey::GenerateSecretHex();
  EXPECT_THAT(a, MatchesRegex("[0-9a-f]{64}"));
  EXPECT_NE(a, AssertionKey::GenerateSecretHex());
}

TEST(AssertionKeyTest, FromFileTrimsWhitespace) {
  const std::string secret = AssertionKey::GenerateSecretHex();
  const std::string path = ::testing::TempDir() + "/assertion-key";
  {
    std::ofstream out(path);
    out << "  " << secret << "\n";
  }
  absl::StatusOr<AssertionKey> from_file = AssertionKey::FromFile(path);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  // Same key as the trimmed secret: one signs, the other verifies.
  AssertionVerifier verifier(AssertionKey::FromSecretForTesting(secret));
  EXPECT_TRUE(verifier
                  .Verify(SignAssertion(PersonAssertion(), *from_file),
                          kMethod, kNow)
                  .ok());
  std::remove(path.c_str());
}

TEST(AssertionKeyTest, ShortOrMissingFileRefusedWithoutEchoingSecret) {
  const std::string path = ::testing::TempDir() + "/short-assertion-key";
  {
    std::ofstream out(path);
    out << "tooshortsecret-0123456789abcdef\n";  // 31 bytes after trimming
  }
  absl::StatusOr<AssertionKey> short_key = AssertionKey::FromFile(path);
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(short_key.status().message()), HasSubstr(path));
  EXPECT_THAT(std::string(short_key.status().message()),
              Not(HasSubstr("tooshortsecret")));
  std::remove(path.c_str());

  absl::StatusOr<AssertionKey> missing =
      AssertionKey::FromFile(::testing::TempDir() + "/no-such-key");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace council::auth
