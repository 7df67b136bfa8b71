// Copyright The Council Suite Authors.

#include "common/auth/jwt_verifier.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/base64url.h"
#include "common/auth/jwt_signer.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace council::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kIssuer[] = "https://id.test-council.gov.uk";
constexpr char kAudience[] = "council-gateway";
constexpr char kSubject[] = "people/cllr-ada-okafor";

// A fixed "now" keeps time checks deterministic.
const absl::Time kNow = absl::FromUnixSeconds(1800000000);

int64_t Unix(absl::Time t) { return absl::ToUnixSeconds(t); }

// Merges one-key JWKS documents into a single JWKS.
std::string MergeJwks(const std::vector<std::string>& docs) {
  google::protobuf::Struct merged;
  auto* keys = (*merged.mutable_fields())["keys"].mutable_list_value();
  for (const std::string& doc : docs) {
    google::protobuf::Struct one;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(doc, &one).ok());
    for (const auto& key : one.fields().at("keys").list_value().values()) {
      *keys->add_values() = key;
    }
  }
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(merged, &out).ok());
  return out;
}

// Keys are generated once per test binary run: RSA key generation is slow,
// and nothing is committed to the repository.
class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rsa = GeneratePrivateKeyPem(KeyType::kRsa2048);
    auto ec = GeneratePrivateKeyPem(KeyType::kEcP256);
    ASSERT_TRUE(rsa.ok()) << rsa.status();
    ASSERT_TRUE(ec.ok()) << ec.status();
    auto rsa_signer = JwtSigner::FromPrivateKeyPem(rsa->first, "rsa-1");
    auto ec_signer = JwtSigner::FromPrivateKeyPem(ec->first, "ec-1");
    ASSERT_TRUE(rsa_signer.ok()) << rsa_signer.status();
    ASSERT_TRUE(ec_signer.ok()) << ec_signer.status();
    rsa_signer_ = new JwtSigner(*std::move(rsa_signer));
    ec_signer_ = new JwtSigner(*std::move(ec_signer));
    jwks_ = new std::string(
        MergeJwks({rsa_signer_->PublicJwks(), ec_signer_->PublicJwks()}));
  }
  static void TearDownTestSuite() {
    delete rsa_signer_;
    delete ec_signer_;
    delete jwks_;
  }

  void SetUp() override {
    auto verifier = JwtVerifier::FromJwks(*jwks_, Policy());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  static JwtPolicy Policy() {
    JwtPolicy policy;
    policy.issuer = kIssuer;
    policy.audience = kAudience;
    return policy;
  }

  static JwtSigner::Claims GoodClaims() {
    JwtSigner::Claims claims;
    claims.subject = kSubject;
    claims.issuer = kIssuer;
    claims.audience = kAudience;
    claims.issued_at = kNow - absl::Minutes(1);
    claims.expires_at = kNow + absl::Hours(1);
    return claims;
  }

  static std::string Sign(const JwtSigner& signer,
                          const JwtSigner::Claims& claims) {
    absl::StatusOr<std::string> token = signer.Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  static std::string RsaHeader() {
    return R"({"alg":"RS256","typ":"JWT","kid":"rsa-1"})";
  }

  static std::string GoodPayload() {
    return absl::StrCat(R"({"sub":")", kSubject, R"(","iss":")", kIssuer,
                        R"(","aud":")", kAudience, R"(","exp":)",
                        Unix(kNow + absl::Hours(1)), "}");
  }

  static std::string SignRaw(const JwtSigner& signer, absl::string_view header,
                             absl::string_view payload) {
    absl::StatusOr<std::string> token =
        signer.SignRawForTesting(header, payload);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  void ExpectRefused(absl::string_view token, absl::string_view reason,
                     absl::Time now = kNow) {
    absl::StatusOr<VerifiedJwt> result = verifier_->Verify(token, now);
    ASSERT_FALSE(result.ok()) << "token unexpectedly accepted";
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(std::string(result.status().message()), std::string(reason));
    // The token must never be echoed back into logs.
    if (token.size() > 8) {
      EXPECT_THAT(std::string(result.status().message()),
                  Not(HasSubstr(std::string(token))));
    }
  }

  static JwtSigner* rsa_signer_;
  static JwtSigner* ec_signer_;
  static std::string* jwks_;
  std::shared_ptr<const JwtVerifier> verifier_;
};

JwtSigner* JwtVerifierTest::rsa_signer_ = nullptr;
JwtSigner* JwtVerifierTest::ec_signer_ = nullptr;
std::string* JwtVerifierTest::jwks_ = nullptr;

// --- Valid tokens ------------------------------------------------------------

TEST_F(JwtVerifierTest, ValidRs256TokenVerifies) {
  const std::string token = Sign(*rsa_signer_, GoodClaims());
  absl::StatusOr<VerifiedJwt> jwt = verifier_->Verify(token, kNow);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->subject, kSubject);
  EXPECT_EQ(jwt->issuer, kIssuer);
  EXPECT_EQ(jwt->key_id, "rsa-1");
  EXPECT_EQ(jwt->expires_at, kNow + absl::Hours(1));
  EXPECT_EQ(jwt->issued_at, kNow - absl::Minutes(1));
}

TEST_F(JwtVerifierTest, ValidEs256TokenVerifies) {
  const std::string token = Sign(*ec_signer_, GoodClaims());
  // JOSE ES256 signatures are raw R||S: 64 bytes, 86 base64url characters.
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Base64UrlDecode(parts[2]).value_or("").size(), 64u);
  absl::StatusOr<VerifiedJwt> jwt = verifier_->Verify(token, kNow);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->subject, kSubject);
  EXPECT_EQ(jwt->key_id, "ec-1");
}

TEST_F(JwtVerifierTest, IatIsOptional) {
  const std::string token = SignRaw(*rsa_signer_, RsaHeader(), GoodPayload());
  absl::StatusOr<VerifiedJwt> jwt = verifier_->Verify(token, kNow);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->issued_at, absl::InfinitePast());
}

TEST_F(JwtVerifierTest, AudienceArrayContainingUsVerifies) {
  const std::string payload = absl::StrCat(
      R"({"sub":"x","iss":")", kIssuer, R"(","aud":["other",")", kAudience,
      R"("],"exp":)", Unix(kNow + absl::Hours(1)), "}");
  EXPECT_TRUE(
      verifier_->Verify(SignRaw(*rsa_signer_, RsaHeader(), payload), kNow).ok());
}

// --- Algorithm and key selection --------------------------------------------

TEST_F(JwtVerifierTest, AlgNoneRefused) {
  ExpectRefused(
      UnsignedRawForTesting(R"({"alg":"none","kid":"rsa-1"})", GoodPayload()),
      "jwt: algorithm 'none' not allowed");
  // Case variants have fooled other libraries.
  ExpectRefused(
      UnsignedRawForTesting(R"({"alg":"NoNe","kid":"rsa-1"})", GoodPayload()),
      "jwt: algorithm 'none' not allowed");
  // Even with a genuine signature attached.
  ExpectRefused(
      SignRaw(*rsa_signer_, R"({"alg":"none","kid":"rsa-1"})", GoodPayload()),
      "jwt: algorithm 'none' not allowed");
}

TEST_F(JwtVerifierTest, MissingAlgRefused) {
  ExpectRefused(SignRaw(*rsa_signer_, R"({"kid":"rsa-1"})", GoodPayload()),
                "jwt: missing alg");
}

TEST_F(JwtVerifierTest, UnknownKidRefused) {
  ExpectRefused(
      SignRaw(*rsa_signer_, R"({"alg":"RS256","kid":"x"})", GoodPayload()),
      "jwt: unknown kid 'x'");
}

TEST_F(JwtVerifierTest, UnknownKidIsSanitisedInMessage) {
  const std::string long_kid(100, 'k');
  ExpectRefused(SignRaw(*rsa_signer_,
                        absl::StrCat(R"({"alg":"RS256","kid":"a'b\n)",
                                     long_kid, R"("})"),
                        GoodPayload()),
                absl::StrCat("jwt: unknown kid 'a?b?", std::string(60, 'k'),
                             "...'"));
}

TEST_F(JwtVerifierTest, MissingKidRefused) {
  ExpectRefused(SignRaw(*rsa_signer_, R"({"alg":"RS256"})", GoodPayload()),
                "jwt: missing kid");
  ExpectRefused(SignRaw(*rsa_signer_, R"({"alg":"RS256","kid":7})",
                        GoodPayload()),
                "jwt: malformed kid");
}

TEST_F(JwtVerifierTest, HmacWithRsaPublicKeyTrickRefused) {
  // The classic forgery: the public key is public, so an attacker can HMAC
  // with it; a verifier that lets the token pick the algorithm accepts it.
  const std::string header = R"({"alg":"HS256","typ":"JWT","kid":"rsa-1"})";
  ExpectRefused(HmacSha256SignRawForTesting(header, GoodPayload(),
                                            rsa_signer_->PublicKeyPem()),
                "jwt: algorithm HS256 not allowed for an RSA key");
  ExpectRefused(HmacSha256SignRawForTesting(header, GoodPayload(),
                                            rsa_signer_->PublicJwks()),
                "jwt: algorithm HS256 not allowed for an RSA key");
}

TEST_F(JwtVerifierTest, HmacWithEcPublicKeyTrickRefused) {
  ExpectRefused(
      HmacSha256SignRawForTesting(R"({"alg":"HS256","kid":"ec-1"})",
                                  GoodPayload(), ec_signer_->PublicKeyPem()),
      "jwt: algorithm HS256 not allowed for an EC key");
}

TEST_F(JwtVerifierTest, AlgorithmMustMatchKeyType) {
  // RS256 claimed for the EC key and vice versa.
  ExpectRefused(
      SignRaw(*ec_signer_, R"({"alg":"RS256","kid":"ec-1"})", GoodPayload()),
      "jwt: algorithm RS256 not allowed for an EC key");
  ExpectRefused(
      SignRaw(*rsa_signer_, R"({"alg":"ES256","kid":"rsa-1"})", GoodPayload()),
      "jwt: algorithm ES256 not allowed for an RSA key");
  ExpectRefused(
      SignRaw(*rsa_signer_, R"({"alg":"PS256","kid":"rsa-1"})", GoodPayload()),
      "jwt: algorithm PS256 not allowed for an RSA key");
}

TEST_F(JwtVerifierTest, SignatureFromOtherKeyRefused) {
  // A well-formed RS256 token naming our RSA kid but signed by another key.
  auto other = GeneratePrivateKeyPem(KeyType::kRsa2048);
  ASSERT_TRUE(other.ok());
  auto other_signer = JwtSigner::FromPrivateKeyPem(other->first, "rsa-1");
  ASSERT_TRUE(other_signer.ok());
  ExpectRefused(Sign(*other_signer, GoodClaims()), "jwt: bad signature");
}

TEST_F(JwtVerifierTest, CritHeaderRefused) {
  ExpectRefused(SignRaw(*rsa_signer_,
                        R"({"alg":"RS256","kid":"rsa-1","crit":["exp"]})",
                        GoodPayload()),
                "jwt: unsupported crit header");
}

// --- Time --------------------------------------------------------------------

// Issue 17: a token minted to last longer than the maximum (12 hours by
// default; an `exp` in the year 9999 was accepted) is refused.
TEST_F(JwtVerifierTest, LifetimeAboveMaximumRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.issued_at = kNow - absl::Hours(1);
  claims.expires_at = claims.issued_at + absl::Hours(12);
  EXPECT_TRUE(verifier_->Verify(Sign(*rsa_signer_, claims), kNow).ok());
  claims.expires_at = claims.issued_at + absl::Hours(12) + absl::Seconds(1);
  ExpectRefused(Sign(*rsa_signer_, claims),
                "jwt: lifetime 12h1s exceeds the maximum 12h (exp - iat)");
}

TEST_F(JwtVerifierTest, ExpInYear9999Refused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.expires_at = absl::FromUnixSeconds(253402300000);  // 9999-12-31
  absl::StatusOr<VerifiedJwt> result =
      verifier_->Verify(Sign(*rsa_signer_, claims), kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("exceeds the maximum 12h (exp - iat)"));
}

TEST_F(JwtVerifierTest, LifetimeWithoutIatMeasuredFromNow) {
  const std::string header = RsaHeader();
  const auto payload = [](absl::Time exp) {
    return absl::StrCat(R"({"sub":")", kSubject, R"(","iss":")", kIssuer,
                        R"(","aud":")", kAudience, R"(","exp":)", Unix(exp),
                        "}");
  };
  EXPECT_TRUE(verifier_
                  ->Verify(SignRaw(*rsa_signer_, header,
                                   payload(kNow + absl::Hours(12))),
                           kNow)
                  .ok());
  ExpectRefused(SignRaw(*rsa_signer_, header, payload(kNow + absl::Hours(13))),
                "jwt: lifetime 12h59m exceeds the maximum 12h (exp - now, no iat)");
}

TEST_F(JwtVerifierTest, MaxLifetimeIsConfigurable) {
  JwtPolicy policy = Policy();
  policy.max_lifetime = absl::Hours(1);
  auto verifier = JwtVerifier::FromJwks(*jwks_, policy);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  JwtSigner::Claims claims = GoodClaims();
  claims.issued_at = kNow - absl::Minutes(1);
  claims.expires_at = kNow + absl::Hours(1);  // 1h1m
  absl::StatusOr<VerifiedJwt> result =
      (*verifier)->Verify(Sign(*rsa_signer_, claims), kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "jwt: lifetime 1h1m exceeds the maximum 1h (exp - iat)");
}

TEST_F(JwtVerifierTest, ExpiredRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.issued_at = kNow - absl::Hours(2);
  claims.expires_at = kNow - absl::Minutes(5);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: expired");
}

TEST_F(JwtVerifierTest, ExpiryWithinSkewAcceptedBeyondSkewRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.issued_at = kNow - absl::Hours(1);
  claims.expires_at = kNow - absl::Seconds(59);  // skew is 60 s
  EXPECT_TRUE(verifier_->Verify(Sign(*rsa_signer_, claims), kNow).ok());
  claims.expires_at = kNow - absl::Seconds(60);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: expired");
  claims.expires_at = kNow - absl::Seconds(61);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: expired");
}

TEST_F(JwtVerifierTest, ZeroSkewIsExact) {
  JwtPolicy policy = Policy();
  policy.clock_skew = absl::ZeroDuration();
  auto strict = JwtVerifier::FromJwks(*jwks_, policy);
  ASSERT_TRUE(strict.ok());
  JwtSigner::Claims claims = GoodClaims();
  claims.expires_at = kNow + absl::Seconds(1);
  EXPECT_TRUE((*strict)->Verify(Sign(*rsa_signer_, claims), kNow).ok());
  claims.expires_at = kNow;
  EXPECT_FALSE((*strict)->Verify(Sign(*rsa_signer_, claims), kNow).ok());
}

TEST_F(JwtVerifierTest, NotYetValidRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.not_before = kNow + absl::Minutes(10);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: not yet valid");
}

TEST_F(JwtVerifierTest, NotBeforeWithinSkewAcceptedBeyondSkewRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.not_before = kNow + absl::Seconds(60);
  EXPECT_TRUE(verifier_->Verify(Sign(*rsa_signer_, claims), kNow).ok());
  claims.not_before = kNow + absl::Seconds(61);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: not yet valid");
}

TEST_F(JwtVerifierTest, IssuedInFutureBeyondSkewRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.issued_at = kNow + absl::Seconds(30);
  EXPECT_TRUE(verifier_->Verify(Sign(*rsa_signer_, claims), kNow).ok());
  claims.issued_at = kNow + absl::Seconds(61);
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: issued in the future");
}

TEST_F(JwtVerifierTest, MissingOrMalformedExpRefused) {
  const std::string no_exp = absl::StrCat(
      R"({"sub":"x","iss":")", kIssuer, R"(","aud":")", kAudience, R"("})");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), no_exp), "jwt: missing exp");
  const std::string string_exp =
      absl::StrCat(R"({"sub":"x","iss":")", kIssuer, R"(","aud":")", kAudience,
                   R"(","exp":"2099-01-01"})");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), string_exp),
                "jwt: malformed exp");
  const std::string huge_exp =
      absl::StrCat(R"({"sub":"x","iss":")", kIssuer, R"(","aud":")", kAudience,
                   R"(","exp":1e300})");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), huge_exp),
                "jwt: malformed exp");
}

// --- Issuer, audience, subject ----------------------------------------------

TEST_F(JwtVerifierTest, WrongIssuerRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.issuer = "https://evil.example";
  ExpectRefused(Sign(*rsa_signer_, claims), "jwt: wrong issuer");
}

TEST_F(JwtVerifierTest, WrongAudienceRefused) {
  JwtSigner::Claims claims = GoodClaims();
  claims.audience = "some-other-service";
  ExpectRefused(Sign(*ec_signer_, claims), "jwt: wrong audience");
  const std::string array_aud = absl::StrCat(
      R"({"sub":"x","iss":")", kIssuer, R"(","aud":["a","b"],"exp":)",
      Unix(kNow + absl::Hours(1)), "}");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), array_aud),
                "jwt: wrong audience");
}

TEST_F(JwtVerifierTest, MissingAudienceOrSubjectRefused) {
  const std::string no_aud =
      absl::StrCat(R"({"sub":"x","iss":")", kIssuer, R"(","exp":)",
                   Unix(kNow + absl::Hours(1)), "}");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), no_aud), "jwt: missing aud");
  const std::string empty_sub = absl::StrCat(
      R"({"sub":"","iss":")", kIssuer, R"(","aud":")", kAudience, R"(","exp":)",
      Unix(kNow + absl::Hours(1)), "}");
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), empty_sub),
                "jwt: missing sub");
}

// --- Tampering and malformed input ------------------------------------------

TEST_F(JwtVerifierTest, TamperedPayloadRefused) {
  for (const JwtSigner* signer : {rsa_signer_, ec_signer_}) {
    const std::string token = Sign(*signer, GoodClaims());
    std::vector<std::string> parts = absl::StrSplit(token, '.');
    ASSERT_EQ(parts.size(), 3u);
    JwtSigner::Claims evil = GoodClaims();
    evil.subject = "people/monitoring-officer";
    const std::vector<std::string> evil_parts =
        absl::StrSplit(Sign(*signer, evil), '.');
    ExpectRefused(absl::StrCat(parts[0], ".", evil_parts[1], ".", parts[2]),
                  "jwt: bad signature");
  }
}

TEST_F(JwtVerifierTest, TamperedSignatureRefused) {
  for (const JwtSigner* signer : {rsa_signer_, ec_signer_}) {
    std::string token = Sign(*signer, GoodClaims());
    // Flip a character in the middle of the signature (keeping it valid
    // base64url) so the decoded bytes change.
    const std::size_t pos = token.rfind('.') + 10;
    token[pos] = token[pos] == 'A' ? 'B' : 'A';
    ExpectRefused(token, "jwt: bad signature");
  }
}

TEST_F(JwtVerifierTest, TruncatedEs256SignatureRefused) {
  const std::string token = Sign(*ec_signer_, GoodClaims());
  const std::size_t dot = token.rfind('.');
  std::string sig = Base64UrlDecode(token.substr(dot + 1)).value_or("");
  ASSERT_EQ(sig.size(), 64u);
  sig.pop_back();  // 63 bytes: not a valid R||S pair
  ExpectRefused(absl::StrCat(token.substr(0, dot + 1), Base64UrlEncode(sig)),
                "jwt: bad signature");
}

TEST_F(JwtVerifierTest, MalformedTokensRefused) {
  const std::string good = Sign(*rsa_signer_, GoodClaims());
  const std::vector<std::string> parts = absl::StrSplit(good, '.');
  ExpectRefused("", "jwt: empty token");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1]),
                "jwt: malformed (expected 3 dot-separated parts)");
  ExpectRefused(absl::StrCat(good, ".extra"),
                "jwt: malformed (expected 3 dot-separated parts)");
  ExpectRefused(absl::StrCat("e30!.", parts[1], ".", parts[2]),
                "jwt: malformed header encoding");
  // Padded base64 is not base64url as JWS defines it.
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "="),
                "jwt: malformed signature encoding");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], "."),
                "jwt: malformed signature encoding");
  ExpectRefused(absl::StrCat(Base64UrlEncode("not json"), ".", parts[1], ".",
                             parts[2]),
                "jwt: malformed header");
  ExpectRefused(absl::StrCat(Base64UrlEncode("[1,2]"), ".", parts[1], ".",
                             parts[2]),
                "jwt: malformed header");
  ExpectRefused(std::string(JwtVerifier::kMaxTokenBytes + 1, 'a'),
                "jwt: token too large");
}

TEST_F(JwtVerifierTest, SignedGarbagePayloadRefused) {
  ExpectRefused(SignRaw(*rsa_signer_, RsaHeader(), "not json"),
                "jwt: malformed payload");
}

TEST_F(JwtVerifierTest, ConcurrentVerifyIsSafe) {
  const std::string rsa_token = Sign(*rsa_signer_, GoodClaims());
  const std::string ec_token = Sign(*ec_signer_, GoodClaims());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string& token = (t + i) % 2 == 0 ? rsa_token : ec_token;
        if (!verifier_->Verify(token, kNow).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

// --- JWKS loading --------------------------------------------------------------

void ExpectBadJwks(absl::string_view jwks, absl::string_view expected_part) {
  JwtPolicy policy;
  policy.issuer = kIssuer;
  policy.audience = kAudience;
  auto verifier = JwtVerifier::FromJwks(jwks, policy);
  ASSERT_FALSE(verifier.ok()) << "accepted: " << jwks;
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(verifier.status().message()),
              HasSubstr(std::string(expected_part)));
}

TEST_F(JwtVerifierTest, MalformedJwksRefused) {
  ExpectBadJwks("", "not a JSON object");
  ExpectBadJwks("[]", "not a JSON object");
  ExpectBadJwks("{}", "no \"keys\" array");
  ExpectBadJwks(R"({"keys":[]})", "empty");
  ExpectBadJwks(R"({"keys":[7]})", "key #0: not a JSON object");

  // Start from the good two-key document and break its second key.
  google::protobuf::Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*jwks_, &doc).ok());
  auto broken = [&doc](const std::string& field, const char* value) {
    google::protobuf::Struct copy = doc;
    auto* key = copy.mutable_fields()
                    ->at("keys")
                    .mutable_list_value()
                    ->mutable_values(1)
                    ->mutable_struct_value();
    if (value == nullptr) {
      key->mutable_fields()->erase(field);
    } else {
      (*key->mutable_fields())[field].set_string_value(value);
    }
    std::string out;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(copy, &out).ok());
    return out;
  };
  ExpectBadJwks(broken("kid", nullptr), "key #1: missing 'kid'");
  ExpectBadJwks(broken("kid", "rsa-1"), "key #1: duplicate kid 'rsa-1'");
  ExpectBadJwks(broken("kty", "oct"), "key #1: 'kty' must be");
  ExpectBadJwks(broken("alg", "HS256"), "key #1: EC key 'alg' must be ES256");
  ExpectBadJwks(broken("use", "enc"), "key #1: 'use' must be \"sig\"");
  ExpectBadJwks(broken("crv", "P-384"), "key #1: EC key 'crv'");
  ExpectBadJwks(broken("x", nullptr), "key #1: missing or non-string member 'x'");
  ExpectBadJwks(broken("x", "a+b/"), "key #1: member 'x' is not unpadded");
  ExpectBadJwks(broken("d", "AAAA"), "key #1: contains private");
  // A point that is not on the curve (x = y = 1).
  const std::string one = Base64UrlEncode(std::string(31, '\0') + "\x01");
  ExpectBadJwks(broken("x", one.c_str()), "key #1:");
  ExpectBadJwks(broken("y", one.c_str()), "key #1:");

  // Short RSA modulus.
  const std::string n1024 = Base64UrlEncode(std::string(128, '\xff'));
  ExpectBadJwks(absl::StrCat(R"({"keys":[{"kty":"RSA","kid":"r","n":")", n1024,
                             R"(","e":"AQAB"}]})"),
                "key #0: RSA modulus is 1024 bits");
}

TEST_F(JwtVerifierTest, IncompletePolicyRefused) {
  JwtPolicy policy = Policy();
  policy.audience.clear();
  EXPECT_EQ(JwtVerifier::FromJwks(*jwks_, policy).status().code(),
            absl::StatusCode::kInvalidArgument);
  policy = Policy();
  policy.issuer.clear();
  EXPECT_EQ(JwtVerifier::FromJwks(*jwks_, policy).status().code(),
            absl::StatusCode::kInvalidArgument);
  policy = Policy();
  policy.clock_skew = absl::Seconds(-1);
  EXPECT_EQ(JwtVerifier::FromJwks(*jwks_, policy).status().code(),
            absl::StatusCode::kInvalidArgument);
  policy = Policy();
  policy.max_lifetime = absl::ZeroDuration();
  EXPECT_EQ(JwtVerifier::FromJwks(*jwks_, policy).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(JwtVerifierTest, JwksFileErrorsNameTheFile) {
  const std::string missing = ::testing::TempDir() + "/no-such-jwks.json";
  auto not_found = JwtVerifier::FromJwksFile(missing, Policy());
  EXPECT_EQ(not_found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(not_found.status().message()), HasSubstr(missing));

  const std::string bad = ::testing::TempDir() + "/bad-jwks.json";
  {
    std::ofstream out(bad);
    out << R"({"keys":[{"kty":"RSA","kid":"r","e":"AQAB"}]})";
  }
  auto invalid = JwtVerifier::FromJwksFile(bad, Policy());
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.status().message()), HasSubstr(bad));
  EXPECT_THAT(std::string(invalid.status().message()), HasSubstr("key #0"));

  const std::string good = ::testing::TempDir() + "/good-jwks.json";
  {
    std::ofstream out(good);
    out << *jwks_;
  }
  auto loaded = JwtVerifier::FromJwksFile(good, Policy());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->key_count(), 2u);
  EXPECT_TRUE((*loaded)->Verify(Sign(*ec_signer_, GoodClaims()), kNow).ok());
  std::remove(bad.c_str());
  std::remove(good.c_str());
}

// --- Signer -----------------------------------------------------------------

TEST(JwtSignerTest, RefusesBadKeysWithoutEchoingThem) {
  const std::string junk =
      "-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVA==\n-----END PRIVATE KEY-----\n";
  auto signer = JwtSigner::FromPrivateKeyPem(junk, "k");
  ASSERT_FALSE(signer.ok());
  EXPECT_EQ(signer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(signer.status().message()),
              Not(HasSubstr("TUlJQ1NFQ1JFVA")));

  auto ec = GeneratePrivateKeyPem(KeyType::kEcP256);
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(JwtSigner::FromPrivateKeyPem(ec->first, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  const std::string missing = ::testing::TempDir() + "/no-such-key.pem";
  auto not_found = JwtSigner::FromPrivateKeyPemFile(missing, "k");
  EXPECT_EQ(not_found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(not_found.status().message()), HasSubstr(missing));
}

TEST(JwtSignerTest, GeneratedKidsAreThumbprints) {
  auto a = GeneratePrivateKeyPem(KeyType::kEcP256);
  auto b = GeneratePrivateKeyPem(KeyType::kEcP256);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(absl::StartsWith(a->first, "-----BEGIN PRIVATE KEY-----"));
  EXPECT_EQ(a->second.size(), 43u);  // base64url(SHA-256)
  EXPECT_NE(a->second, b->second);
}

TEST(JwtSignerTest, RefusesInvalidClaims) {
  auto ec = GeneratePrivateKeyPem(KeyType::kEcP256);
  ASSERT_TRUE(ec.ok());
  auto signer = JwtSigner::FromPrivateKeyPem(ec->first, ec->second);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->algorithm(), "ES256");
  JwtSigner::Claims claims;
  claims.subject = "s";
  claims.issuer = "i";
  claims.audience = "a";
  claims.issued_at = kNow;
  claims.expires_at = kNow;
  EXPECT_EQ(signer->Sign(claims).status().code(),
            absl::StatusCode::kInvalidArgument);
  claims.expires_at = kNow + absl::Minutes(1);
  EXPECT_TRUE(signer->Sign(claims).ok());
  claims.subject.clear();
  EXPECT_EQ(signer->Sign(claims).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Base64UrlTest, StrictDecoding) {
  EXPECT_EQ(Base64UrlEncode("hi?"), "aGk_");
  EXPECT_EQ(Base64UrlDecode("aGk_").value_or("x"), "hi?");
  EXPECT_EQ(Base64UrlDecode("").value_or("x"), "");
  EXPECT_FALSE(Base64UrlDecode("aGk/").has_value());   // '/' is not url-safe
  EXPECT_FALSE(Base64UrlDecode("aGk=").has_value());   // no padding
  EXPECT_FALSE(Base64UrlDecode("a").has_value());      // impossible length
  EXPECT_FALSE(Base64UrlDecode("QR").has_value());     // non-canonical bits
  EXPECT_EQ(Base64UrlDecode("QQ").value_or("x"), "A");
  for (int len = 0; len < 8; ++len) {
    const std::string data(static_cast<std::size_t>(len), '\xa5');
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(data)).value_or("x"), data);
  }
}

}  // namespace
}  // namespace council::auth
