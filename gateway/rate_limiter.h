// rate_limiter.h — per-principal token buckets at the gateway.
//
// Each caller (person or service principal) gets `burst` tokens refilled at
// `per_second`; a call takes one. An empty bucket means RESOURCE_EXHAUSTED,
// so one runaway script cannot starve the council's other users:
//
//   RateLimiter limiter({.per_second = 50, .burst = 100});
//   if (!limiter.Allow("people/cllr-ada-okafor", absl::Now())) ... refuse
#ifndef COUNCIL_GATEWAY_RATE_LIMITER_H_
#define COUNCIL_GATEWAY_RATE_LIMITER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace council::gateway {

struct RateLimit {
  // Sustained calls per second per principal; 0 disables limiting.
  double per_second = 0;
  // Calls a principal may make at once after being idle.
  double burst = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Allow
  //
  // Takes a token from `principal`'s bucket; false if it is empty.
  bool Allow(const std::string& principal, absl::Time now);

  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const RateLimit limit_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace council::gateway

#endif  // COUNCIL_GATEWAY_RATE_LIMITER_H_
