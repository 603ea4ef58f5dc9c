#include "services/gateway/auth/rate_limiter.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace helhed::gateway {
namespace {

// A bucket refilled from `last` to `now` (a clock that goes back refills
// nothing).
double Refilled(double tokens, absl::Time last, absl::Time now, double rate, double burst) {
  if (now <= last) return tokens;
  return std::min(burst, tokens + absl::ToDoubleSeconds(now - last) * rate);
}

}  // namespace

RateLimiter::RateLimiter(double per_second, double burst, size_t max_subjects)
    : rate_(per_second),
      // A bucket that can never hold one token would refuse everything.
      burst_(std::max(burst, 1.0)),
      max_subjects_(std::max<size_t>(max_subjects, 1)) {}

bool RateLimiter::Allow(const std::string& subject, absl::Time now) {
  if (rate_ <= 0) return true;
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(subject);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_subjects_) {
      // Drop the buckets that are full again: forgetting them changes
      // nothing. If the subjects are all busy, drop the least recently used
      // down to 90% of the bound so that sweeps stay rare (amortised O(1)).
      const size_t target = max_subjects_ - max_subjects_ / 10 - 1;
      for (auto b = buckets_.begin(); b != buckets_.end();) {
        if (Refilled(b->second.tokens, b->second.last, now, rate_, burst_) >= burst_) {
          b = buckets_.erase(b);
        } else {
          ++b;
        }
      }
      if (buckets_.size() > target) {
        std::vector<std::pair<absl::Time, std::string>> by_age;
        by_age.reserve(buckets_.size());
        for (const auto& [name, bucket] : buckets_) by_age.emplace_back(bucket.last, name);
        const size_t drop = buckets_.size() - target;
        std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                         by_age.end());
        for (size_t i = 0; i < drop; ++i) buckets_.erase(by_age[i].second);
      }
    }
    it = buckets_.emplace(subject, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = Refilled(b.tokens, b.last, now, rate_, burst_);
  b.last = std::max(b.last, now);
  // The epsilon absorbs rounding: ten refills of 0.1 make one token.
  if (b.tokens < 1.0 - 1e-9) return false;
  b.tokens = std::max(0.0, b.tokens - 1.0);
  return true;
}

}  // namespace helhed::gateway
