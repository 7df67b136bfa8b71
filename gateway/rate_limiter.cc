#include "gateway/rate_limiter.h"

#include <algorithm>

namespace council::gateway {

bool RateLimiter::Allow(const std::string& principal, absl::Time now) {
  if (limit_.per_second <= 0) return true;
  absl::MutexLock lock(&mu_);
  // Idle principals' buckets are full again after burst/per_second seconds;
  // forget them now and then so the map stays small.
  if (buckets_.size() > 100000) {
    const absl::Duration refill = absl::Seconds(limit_.burst / limit_.per_second);
    absl::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.updated > refill; });
  }
  auto [it, inserted] = buckets_.try_emplace(principal, Bucket{limit_.burst, now});
  Bucket& bucket = it->second;
  // Only time moving forward refills. If the wall clock steps back, keep the
  // later reading: moving `updated` back would pay for the same interval twice.
  if (!inserted && now > bucket.updated) {
    const double elapsed = absl::ToDoubleSeconds(now - bucket.updated);
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.per_second);
    bucket.updated = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace council::gateway
