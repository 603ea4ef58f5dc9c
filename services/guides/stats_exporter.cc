#include "services/guides/stats_exporter.h"

#include "common/observability/log.h"

namespace helhed::guides {

prometheus::Family<prometheus::Gauge>& StatsExporter::Gauge(prometheus::Registry& r,
                                                            const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

StatsExporter::StatsExporter(GuidesStore& store, prometheus::Registry& registry,
                             absl::Duration every)
    : store_(store),
      open_(Gauge(registry, "helhed_guides_open_requests", "Open guidance requests.")),
      wait_(Gauge(registry, "helhed_guides_longest_wait_days",
                  "Days the longest-waiting open request has waited.")),
      active_(Gauge(registry, "helhed_guides_active_matches", "Active guide matches.")),
      declined_(Gauge(registry, "helhed_guides_declined_matches", "Proposals declined, in all.")),
      to_active_(Gauge(registry, "helhed_guides_mean_days_to_active",
                       "Mean days from a request to an active match.")),
      trainings_(Gauge(registry, "helhed_guides_trainings_expiring",
                       "Guide trainings running out within 60 days.")) {
  periodic_ = std::make_unique<server::Periodic>(every, [this] { Refresh(); });
}

void StatsExporter::Refresh() {
  auto munis = store_.Municipalities();
  if (!munis.ok()) {
    return;  // the store is down; health reports it
  }
  for (const auto& m : *munis) {
    v1::CoordinatorStats s;
    absl::Status status = store_.Stats(m, 0, &s);
    if (!status.ok()) {
      log::Warning("coordinator stats failed", log::Fields().Str("status", status.ToString()));
      continue;
    }
    const std::map<std::string, std::string> labels = {{"municipality", m}};
    open_.Add(labels).Set(s.open_requests());
    wait_.Add(labels).Set(s.longest_wait_days());
    active_.Add(labels).Set(s.active_matches());
    declined_.Add(labels).Set(s.declined());
    to_active_.Add(labels).Set(s.mean_days_to_active());
    trainings_.Add(labels).Set(s.expiring_trainings_size());
  }
}

}  // namespace helhed::guides
