// Exports the coordinator's monthly figures for the current month as
// Prometheus gauges, per municipality (a bounded label: the municipality
// code), refreshed in the background:
//   helhed_volunteers_active_volunteers{municipality}
//   helhed_volunteers_hours_given_month{municipality}
//   helhed_volunteers_accompaniments_completed_month{municipality}
//   helhed_volunteers_continuity_ratio_month{municipality}
//   helhed_volunteers_evaluation_average_month{municipality}
#ifndef HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_
#define HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_

#include <memory>

#include "absl/time/time.h"
#include "common/server/periodic.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/volunteers/volunteers_store.h"

namespace helhed::volunteers {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  StatsExporter(VolunteersStore& store, prometheus::Registry& registry, absl::Duration every);
  ~StatsExporter() { Stop(); }
  // Computes and sets the gauges once (also called by the background loop).
  void Refresh();
  void Stop();

 private:
  VolunteersStore& store_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Family<prometheus::Gauge>& hours_;
  prometheus::Family<prometheus::Gauge>& completed_;
  prometheus::Family<prometheus::Gauge>& continuity_;
  prometheus::Family<prometheus::Gauge>& evaluation_;
  std::unique_ptr<server::Periodic> periodic_;
};

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_STATS_EXPORTER_H_
