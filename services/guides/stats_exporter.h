// Exports the coordinator's figures as Prometheus gauges per municipality (a
// bounded label), refreshed in the background:
//   helhed_guides_open_requests, helhed_guides_longest_wait_days,
//   helhed_guides_active_matches, helhed_guides_declined_matches,
//   helhed_guides_mean_days_to_active, helhed_guides_trainings_expiring
#ifndef HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_
#define HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_

#include <memory>

#include "common/server/periodic.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/guides/guides_store.h"

namespace helhed::guides {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  StatsExporter(GuidesStore& store, prometheus::Registry& registry, absl::Duration every);
  void Refresh();
  void Stop() { periodic_->Stop(); }

 private:
  prometheus::Family<prometheus::Gauge>& Gauge(prometheus::Registry& r, const char* name,
                                               const char* help);
  GuidesStore& store_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& wait_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Family<prometheus::Gauge>& declined_;
  prometheus::Family<prometheus::Gauge>& to_active_;
  prometheus::Family<prometheus::Gauge>& trainings_;
  std::unique_ptr<server::Periodic> periodic_;
};

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_STATS_EXPORTER_H_
