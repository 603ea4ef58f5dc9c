#include "services/guides/stats_exporter.h"

#include "common/observability/log.h"

namespace helhed::guides {

constexpr double kSecondsPerDay = 86400;

prometheus::Family<prometheus::Gauge>& StatsExporter::Gauge(prometheus::Registry& r,
                                                            const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

StatsExporter::StatsExporter(GuidesStore& store, store::Database& db,
                             prometheus::Registry& registry, absl::Duration every)
    : store_(store),
      gauges_(registry, db, "guides", every),
      open_(Gauge(registry, "helhed_guides_open_requests", "Open guidance requests.")),
      wait_(Gauge(registry, "helhed_guides_longest_wait_seconds",
                  "Time the longest-waiting open request has waited, in whole days as seconds.")),
      active_(Gauge(registry, "helhed_guides_active_matches", "Active guide matches.")),
      declined_(Gauge(registry, "helhed_guides_declined_matches", "Proposals declined, in all.")),
      to_active_(Gauge(registry, "helhed_guides_mean_time_to_active_seconds",
                       "Mean time from a request to an active match, in seconds.")),
      trainings_(Gauge(registry, "helhed_guides_trainings_expiring",
                       "Guide trainings running out within 60 days.")) {
  periodic_ = std::make_unique<server::Periodic>(every, [this] { Refresh(); });
}

void StatsExporter::Stop() {
  if (stopped_.exchange(true)) return;
  periodic_->Stop();
  gauges_.Release();
}

void StatsExporter::Refresh() {
  if (!gauges_.Acquire()) {
    return;  // another replica exports them (or the store is down)
  }
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
    gauges_.Set(open_, labels, s.open_requests());
    gauges_.Set(wait_, labels, s.longest_wait_days() * kSecondsPerDay);
    gauges_.Set(active_, labels, s.active_matches());
    gauges_.Set(declined_, labels, s.declined());
    gauges_.Set(to_active_, labels, s.mean_days_to_active() * kSecondsPerDay);
    gauges_.Set(trainings_, labels, s.expiring_trainings_size());
  }
}

}  // namespace helhed::guides
