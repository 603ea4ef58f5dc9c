#include "services/volunteers/stats_exporter.h"

#include "common/observability/log.h"

namespace helhed::volunteers {

StatsExporter::StatsExporter(VolunteersStore& store, prometheus::Registry& registry,
                             absl::Duration every)
    : store_(store),
      active_(prometheus::BuildGauge()
                  .Name("helhed_volunteers_active_volunteers")
                  .Help("Volunteers with status active and consent.")
                  .Register(registry)),
      hours_(prometheus::BuildGauge()
                 .Name("helhed_volunteers_hours_given_month")
                 .Help("Hours given by volunteers in the current month.")
                 .Register(registry)),
      completed_(prometheus::BuildGauge()
                     .Name("helhed_volunteers_accompaniments_completed_month")
                     .Help("Accompaniments completed in the current month.")
                     .Register(registry)),
      continuity_(prometheus::BuildGauge()
                      .Name("helhed_volunteers_continuity_ratio_month")
                      .Help("Share of this month's accompaniments done by a volunteer the "
                            "citizen already knew (0-1).")
                      .Register(registry)),
      evaluation_(prometheus::BuildGauge()
                      .Name("helhed_volunteers_evaluation_average_month")
                      .Help("Mean evaluation score (1-5) of this month's accompaniments.")
                      .Register(registry)) {
  periodic_ = std::make_unique<server::Periodic>(every, [this] { Refresh(); });
}

void StatsExporter::Refresh() {
  auto munis = store_.Municipalities();
  if (!munis.ok()) {
    return;  // the store is down; health reports it
  }
  const absl::CivilDay today = absl::ToCivilDay(store_.Now(), absl::UTCTimeZone());
  for (const auto& m : *munis) {
    v1::MonthlyStats s;
    absl::Status status =
        store_.GetMonthlyStats(m, static_cast<int>(today.year()), today.month(), &s);
    if (!status.ok()) {
      log::Warning("monthly stats failed", log::Fields().Str("status", status.ToString()));
      continue;
    }
    const std::map<std::string, std::string> labels = {{"municipality", m}};
    active_.Add(labels).Set(s.active_volunteers());
    hours_.Add(labels).Set(s.hours_given());
    completed_.Add(labels).Set(s.accompaniments_completed());
    continuity_.Add(labels).Set(s.continuity_share());
    evaluation_.Add(labels).Set(s.average_evaluation());
  }
}

void StatsExporter::Stop() { periodic_->Stop(); }

}  // namespace helhed::volunteers
