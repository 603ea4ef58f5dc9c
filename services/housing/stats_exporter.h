// Exports the officer's figures as Prometheus gauges per municipality and a
// bounded enum label, refreshed in the background (every label value is set
// each time, so a figure that drops to zero shows zero):
//   helhed_housing_vacant_units{unit_type}, helhed_housing_vacant_days_max{unit_type},
//   helhed_housing_waiting_applications{situation},
//   helhed_housing_waiting_days_max{situation},
//   helhed_housing_long_temporary_stays (longer than the configured days),
//   helhed_housing_offers{offer_state}, helhed_housing_declined_offers{reason},
//   helhed_housing_retention_ratio, helhed_housing_retention_cohort
#ifndef HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_
#define HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_

#include <memory>

#include "common/server/periodic.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/housing/housing_store.h"

namespace helhed::housing {

// Thread-safe; Stop() before the store goes away.
class StatsExporter {
 public:
  StatsExporter(HousingStore& store, prometheus::Registry& registry, absl::Duration every,
                int temporary_days);
  void Refresh();
  void Stop() { periodic_->Stop(); }

 private:
  HousingStore& store_;
  const int temporary_days_;
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
};

// "UNIT_TYPE_HOUSING_FIRST" -> "housing_first" (the enum's prefix dropped).
std::string LabelOf(const std::string& enum_name, const std::string& prefix);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_STATS_EXPORTER_H_
