// Exports the coordinator's figures as Prometheus gauges per municipality (a
// bounded label), refreshed in the background, by one replica of the
// deployment only (common/observability/deployment_gauges.h):
//   helhed_guides_open_requests, helhed_guides_longest_wait_seconds,
//   helhed_guides_active_matches, helhed_guides_declined_matches,
//   helhed_guides_mean_time_to_active_seconds, helhed_guides_trainings_expiring
//   helhed_guides_stats_leader (every replica: 1 on the one exporting)
#ifndef HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_
#define HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_

#include <atomic>
#include <memory>

#include "common/observability/deployment_gauges.h"
#include "common/server/periodic.h"
#include "common/store/database.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/guides/guides_store.h"

namespace helhed::guides {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  // `db`: the database `store` uses (it holds the stats lease).
  StatsExporter(GuidesStore& store, store::Database& db, prometheus::Registry& registry,
                absl::Duration every);
  ~StatsExporter() { Stop(); }
  // Renews the lease and, on the holder, computes and sets the gauges once
  // (also called by the background loop).
  void Refresh();
  // Stops the loop and gives the lease up; idempotent.
  void Stop();

 private:
  prometheus::Family<prometheus::Gauge>& Gauge(prometheus::Registry& r, const char* name,
                                               const char* help);
  GuidesStore& store_;
  observability::DeploymentGauges gauges_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& wait_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Family<prometheus::Gauge>& declined_;
  prometheus::Family<prometheus::Gauge>& to_active_;
  prometheus::Family<prometheus::Gauge>& trainings_;
  std::unique_ptr<server::Periodic> periodic_;
  std::atomic<bool> stopped_{false};
};

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_
