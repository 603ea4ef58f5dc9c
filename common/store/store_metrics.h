// Prometheus series of the store layer. Families are built once per
// registry; label values are a fixed, bounded set.
#ifndef HELHED_COMMON_STORE_STORE_METRICS_H_
#define HELHED_COMMON_STORE_STORE_METRICS_H_

#include <string>

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace helhed::store {

// Thread-safe (prometheus-cpp metrics are).
class StoreMetrics {
 public:
  explicit StoreMetrics(prometheus::Registry& registry);

  enum class Op { kQuery, kExecute, kBegin, kCommit, kRollback, kPing };
  void Observe(Op op, double seconds, const absl::Status& status);
  void SetPool(int in_use, int open);

 private:
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Family<prometheus::Counter>& errors_;
  prometheus::Histogram* op_seconds_[6];
  prometheus::Gauge& in_use_;
  prometheus::Gauge& open_;
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_STORE_METRICS_H_
