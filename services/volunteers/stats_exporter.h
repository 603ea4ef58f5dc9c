// Exports the coordinator's monthly figures for the current month as
// Prometheus gauges, per municipality (a bounded label: the municipality
// code), refreshed in the background, by one replica of the deployment only
// (common/observability/deployment_gauges.h):
//   helhed_volunteers_active_volunteers{municipality}
//   helhed_volunteers_time_given_month_seconds{municipality}
//   helhed_volunteers_accompaniments_completed_month{municipality}
//   helhed_volunteers_continuity_ratio_month{municipality}
//   helhed_volunteers_evaluation_average_month{municipality}
//   helhed_volunteers_stats_leader (every replica: 1 on the one exporting)
#ifndef HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_
#define HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_

#include <atomic>
#include <memory>

#include "absl/time/time.h"
#include "common/observability/deployment_gauges.h"
#include "common/server/periodic.h"
#include "common/store/database.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/volunteers/volunteers_store.h"

namespace helhed::volunteers {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  // `db`: the database `store` uses (it holds the stats lease).
  StatsExporter(VolunteersStore& store, store::Database& db, prometheus::Registry& registry,
                absl::Duration every);
  ~StatsExporter() { Stop(); }
  // Renews the lease and, on the holder, computes and sets the gauges once
  // (also called by the background loop).
  void Refresh();
  // Stops the loop and gives the lease up; idempotent.
  void Stop();

 private:
  VolunteersStore& store_;
  observability::DeploymentGauges gauges_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Family<prometheus::Gauge>& hours_;
  prometheus::Family<prometheus::Gauge>& completed_;
  prometheus::Family<prometheus::Gauge>& continuity_;
  prometheus::Family<prometheus::Gauge>& evaluation_;
  std::unique_ptr<server::Periodic> periodic_;
  std::atomic<bool> stopped_{false};
};

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_
