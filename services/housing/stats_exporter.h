// Exports the officer's figures as Prometheus gauges per municipality and a
// bounded enum label, refreshed in the background (every label value is set
// each time, so a figure that drops to zero shows zero), by one replica of
// the deployment only (common/observability/deployment_gauges.h):
//   helhed_housing_vacant_units{unit_type},
//   helhed_housing_longest_vacancy_seconds{unit_type},
//   helhed_housing_waiting_applications{situation},
//   helhed_housing_longest_wait_seconds{situation},
//   helhed_housing_long_temporary_stays (longer than the configured days),
//   helhed_housing_offers{offer_state}, helhed_housing_declined_offers{reason},
//   helhed_housing_retention_ratio, helhed_housing_retention_cohort
//   helhed_housing_stats_leader (every replica: 1 on the one exporting)
#ifndef HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_
#define HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_

#include <atomic>
#include <memory>

#include "common/observability/deployment_gauges.h"
#include "common/server/periodic.h"
#include "common/store/database.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/housing/housing_store.h"

namespace helhed::housing {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  // `db`: the database `store` uses (it holds the stats lease).
  StatsExporter(HousingStore& store, store::Database& db, prometheus::Registry& registry,
                absl::Duration every, int temporary_days);
  ~StatsExporter() { Stop(); }
  // Renews the lease and, on the holder, computes and sets the gauges once
  // (also called by the background loop).
  void Refresh();
  // Stops the loop and gives the lease up; idempotent.
  void Stop();

 private:
  HousingStore& store_;
  const int temporary_days_;
  observability::DeploymentGauges gauges_;
  prometheus::Family<prometheus::Gauge>& vacant_;
  prometheus::Family<prometheus::Gauge>& vacant_days_;
  prometheus::Family<prometheus::Gauge>& waiting_;
  prometheus::Family<prometheus::Gauge>& waiting_days_;
  prometheus::Family<prometheus::Gauge>& long_stays_;
  prometheus::Family<prometheus::Gauge>& offers_;
  prometheus::Family<prometheus::Gauge>& declines_;
  prometheus::Family<prometheus::Gauge>& retention_;
  prometheus::Family<prometheus::Gauge>& cohort_;
  std::unique_ptr<server::Periodic> periodic_;
  std::atomic<bool> stopped_{false};
};

// "UNIT_TYPE_HOUSING_FIRST" -> "housing_first" (the enum's prefix dropped).
std::string LabelOf(const std::string& enum_name, const std::string& prefix);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_
