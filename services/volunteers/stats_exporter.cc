#include "services/volunteers/stats_exporter.h"

#include "common/calendar/calendar.h"
#include "common/observability/log.h"

namespace helhed::volunteers {

StatsExporter::StatsExporter(VolunteersStore& store, store::Database& db,
                             prometheus::Registry& registry, absl::Duration every)
    : store_(store),
      gauges_(registry, db, "volunteers", every),
      active_(prometheus::BuildGauge()
                  .Name("helhed_volunteers_active_volunteers")
                  .Help("Volunteers with status active and consent.")
                  .Register(registry)),
      hours_(prometheus::BuildGauge()
                 .Name("helhed_volunteers_time_given_month_seconds")
                 .Help("Time given by volunteers in the current month, in seconds.")
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
  if (!gauges_.Acquire()) {
    return;  // another replica exports them (or the store is down)
  }
  auto munis = store_.Municipalities();
  if (!munis.ok()) {
    return;  // the store is down; health reports it
  }
  const absl::CivilDay today = calendar::Today(store_.Now());
  for (const auto& m : *munis) {
    v1::MonthlyStats s;
    absl::Status status =
        store_.GetMonthlyStats(m, static_cast<int>(today.year()), today.month(), &s);
    if (!status.ok()) {
      log::Warning("monthly stats failed", log::Fields().Str("status", status.ToString()));
      continue;
    }
    const std::map<std::string, std::string> labels = {{"municipality", m}};
    gauges_.Set(active_, labels, s.active_volunteers());
    gauges_.Set(hours_, labels, s.hours_given() * 3600.0);
    gauges_.Set(completed_, labels, s.accompaniments_completed());
    gauges_.Set(continuity_, labels, s.continuity_share());
    gauges_.Set(evaluation_, labels, s.average_evaluation());
  }
}

void StatsExporter::Stop() {
  if (stopped_.exchange(true)) return;
  periodic_->Stop();
  gauges_.Release();
}

}  // namespace helhed::volunteers
