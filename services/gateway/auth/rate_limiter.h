// Per-subject token buckets: each subject may make `burst` calls at once and
// `per_second` calls a second after that. Thread-safe; memory bounded (idle
// buckets, full again, are dropped once there are more than `max_subjects`).
#ifndef HELHED_SERVICES_GATEWAY_AUTH_RATE_LIMITER_H_
#define HELHED_SERVICES_GATEWAY_AUTH_RATE_LIMITER_H_

#include <string>
#include <unordered_map>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace helhed::gateway {

class RateLimiter {
 public:
  // per_second <= 0 disables limiting (Allow always true).
  RateLimiter(double per_second, double burst, size_t max_subjects = 100000);
  // Takes one token from `subject`'s bucket at `now`; false when empty.
  bool Allow(const std::string& subject, absl::Time now);

 private:
  struct Bucket {
    double tokens;
    absl::Time last;
  };
  const double rate_;
  const double burst_;
  const size_t max_subjects_;
  absl::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUTH_RATE_LIMITER_H_
