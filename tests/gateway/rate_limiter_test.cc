// Unit tests of the gateway's per-principal token buckets (issue 7,
// "Robustness": per-principal rate limits, token bucket, from config ->
// RESOURCE_EXHAUSTED). Times are passed in, so every test is exact: rates and
// intervals are powers of two, which doubles represent without rounding.
#include "gateway/rate_limiter.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

constexpr char kAda[] = "people/cllr-ada-okafor";
constexpr char kImran[] = "people/cllr-imran-ahmed";

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

// Takes tokens until refused; returns how many calls were allowed.
int Drain(RateLimiter& limiter, const std::string& principal, absl::Time now, int at_most = 1000) {
  int allowed = 0;
  while (allowed < at_most && limiter.Allow(principal, now)) ++allowed;
  return allowed;
}

// "Calls a principal may make at once after being idle": exactly `burst`.
TEST(RateLimiterTest, NewPrincipalMayMakeBurstCallsAtOnceThenIsRefused) {
  RateLimiter limiter(RateLimit{4, 8});
  EXPECT_EQ(Drain(limiter, kAda, kT0), 8);
  EXPECT_FALSE(limiter.Allow(kAda, kT0));
}

// "Sustained calls per second per principal": an empty bucket gains
// per_second tokens a second, and no more.
TEST(RateLimiterTest, EmptyBucketRefillsAtTheConfiguredRate) {
  RateLimiter limiter(RateLimit{4, 8});
  ASSERT_EQ(Drain(limiter, kAda, kT0), 8);
  // 250 ms at 4/s is one token.
  EXPECT_TRUE(limiter.Allow(kAda, kT0 + absl::Milliseconds(250)));
  EXPECT_FALSE(limiter.Allow(kAda, kT0 + absl::Milliseconds(250)));
  // One more second: four more calls, the fifth refused.
  EXPECT_EQ(Drain(limiter, kAda, kT0 + absl::Milliseconds(1250)), 4);
}

TEST(RateLimiterTest, FractionsOfATokenAccumulateAcrossRefusedCalls) {
  RateLimiter limiter(RateLimit{4, 1});
  ASSERT_TRUE(limiter.Allow(kAda, kT0));
  // 125 ms = half a token: refused, but the half is kept...
  EXPECT_FALSE(limiter.Allow(kAda, kT0 + absl::Milliseconds(125)));
  // ...so another 125 ms makes a whole one.
  EXPECT_TRUE(limiter.Allow(kAda, kT0 + absl::Milliseconds(250)));
  EXPECT_FALSE(limiter.Allow(kAda, kT0 + absl::Milliseconds(250)));
}

// A long idle period does not bank more than `burst` calls.
TEST(RateLimiterTest, IdlePrincipalNeverHoldsMoreThanBurst) {
  RateLimiter limiter(RateLimit{4, 8});
  ASSERT_EQ(Drain(limiter, kAda, kT0), 8);
  EXPECT_EQ(Drain(limiter, kAda, kT0 + absl::Hours(24)), 8);
}

// "One runaway script cannot starve the council's other users."
TEST(RateLimiterTest, OnePrincipalEmptyingItsBucketDoesNotAffectAnother) {
  RateLimiter limiter(RateLimit{1, 2});
  ASSERT_EQ(Drain(limiter, kAda, kT0), 2);
  EXPECT_FALSE(limiter.Allow(kAda, kT0));
  EXPECT_EQ(Drain(limiter, kImran, kT0), 2);
  // And Imran's calls did not give Ada anything back.
  EXPECT_FALSE(limiter.Allow(kAda, kT0));
}

// "0 disables rate limiting."
TEST(RateLimiterTest, ZeroPerSecondDisablesLimiting) {
  RateLimiter limiter(RateLimit{0, 0});
  EXPECT_EQ(Drain(limiter, kAda, kT0, 10000), 10000);
  RateLimiter default_limit(RateLimit{});
  EXPECT_EQ(Drain(default_limit, kAda, kT0, 10000), 10000);
}

// A wall-clock step backwards (an NTP correction) must not mint tokens: the
// time between the step and the return to the earlier reading has already
// been paid for.
TEST(RateLimiterTest, ClockSteppingBackwardsDoesNotMintTokens) {
  RateLimiter limiter(RateLimit{4, 4});
  const absl::Time later = kT0 + absl::Seconds(10);
  ASSERT_EQ(Drain(limiter, kAda, later), 4);
  // The clock steps back 10 s: nothing to refill, nothing allowed.
  EXPECT_FALSE(limiter.Allow(kAda, kT0));
  // Back at the reading where the bucket was emptied: still empty.
  EXPECT_FALSE(limiter.Allow(kAda, later));
}

TEST(RateLimiterTest, ManyPrincipalsEachGetTheirOwnBurst) {
  RateLimiter limiter(RateLimit{1, 1});
  for (int i = 0; i < 1000; ++i) {
    const std::string person = "people/p-" + std::to_string(i);
    EXPECT_TRUE(limiter.Allow(person, kT0)) << person;
    EXPECT_FALSE(limiter.Allow(person, kT0)) << person;
  }
}

}  // namespace
}  // namespace council::gateway
