#include "common/store/store_metrics.h"

#include "absl/status/status.h"

namespace helhed::store {
namespace {
const char* const kOpNames[] = {"query", "execute", "begin", "commit", "rollback", "ping"};
}

StoreMetrics::StoreMetrics(prometheus::Registry& registry)
    : seconds_(prometheus::BuildHistogram()
                   .Name("helhed_store_query_duration_seconds")
                   .Help("Time spent in store statements, by operation.")
                   .Register(registry)),
      errors_(prometheus::BuildCounter()
                  .Name("helhed_store_errors_total")
                  .Help("Store statements that failed, by operation and status code.")
                  .Register(registry)),
      in_use_(prometheus::BuildGauge()
                  .Name("helhed_store_pool_connections_in_use")
                  .Help("Store connections currently lent out by the pool.")
                  .Register(registry)
                  .Add({})),
      open_(prometheus::BuildGauge()
                .Name("helhed_store_pool_connections_open")
                .Help("Store connections currently open in the pool.")
                .Register(registry)
                .Add({})) {
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
  for (int i = 0; i < 6; ++i) {
    op_seconds_[i] = &seconds_.Add({{"operation", kOpNames[i]}}, buckets);
  }
}

void StoreMetrics::Observe(Op op, double seconds, const absl::Status& status) {
  const int i = static_cast<int>(op);
  op_seconds_[i]->Observe(seconds);
  if (!status.ok()) {
    errors_.Add({{"operation", kOpNames[i]}, {"code", absl::StatusCodeToString(status.code())}})
        .Increment();
  }
}

void StoreMetrics::SetPool(int in_use, int open) {
  in_use_.Set(in_use);
  open_.Set(open);
}

}  // namespace helhed::store
