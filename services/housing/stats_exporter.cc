#include "services/housing/stats_exporter.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/observability/log.h"

namespace helhed::housing {
namespace {

constexpr double kSecondsPerDay = 86400;

prometheus::Family<prometheus::Gauge>& Gauge(prometheus::Registry& r, const char* name,
                                             const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

// Sets `family{municipality, label=value}` for every defined value of an
// enum (UNSPECIFIED skipped), from `figures` (missing: 0).
void SetAll(observability::DeploymentGauges& gauges, prometheus::Family<prometheus::Gauge>& family,
            const std::string& muni, const char* label, const google::protobuf::EnumDescriptor* e,
            const char* prefix, const std::map<int, double>& figures) {
  for (int i = 0; i < e->value_count(); ++i) {
    const int n = e->value(i)->number();
    if (n == 0) continue;
    auto it = figures.find(n);
    gauges.Set(family, {{"municipality", muni}, {label, LabelOf(e->value(i)->name(), prefix)}},
               it == figures.end() ? 0 : it->second);
  }
}

}  // namespace

std::string LabelOf(const std::string& enum_name, const std::string& prefix) {
  std::string s = enum_name;
  if (absl::StartsWith(s, prefix)) s = s.substr(prefix.size());
  return absl::AsciiStrToLower(s);
}

StatsExporter::StatsExporter(HousingStore& store, store::Database& db,
                             prometheus::Registry& registry, absl::Duration every,
                             int temporary_days)
    : store_(store),
      temporary_days_(temporary_days),
      gauges_(registry, db, "housing", every),
      vacant_(Gauge(registry, "helhed_housing_vacant_units", "Available (vacant) units.")),
      vacant_days_(Gauge(registry, "helhed_housing_longest_vacancy_seconds",
                         "Time the longest-vacant available unit has been vacant, in whole "
                         "days as seconds.")),
      waiting_(Gauge(registry, "helhed_housing_waiting_applications",
                     "Active and offered applications.")),
      waiting_days_(Gauge(registry, "helhed_housing_longest_wait_seconds",
                          "Time since screening of the longest-waiting application, in whole "
                          "days as seconds.")),
      long_stays_(Gauge(registry, "helhed_housing_long_temporary_stays",
                        "People in a temporary place (§107, §110) longer than the threshold.")),
      offers_(Gauge(registry, "helhed_housing_offers", "Offers by state, in all.")),
      declines_(Gauge(registry, "helhed_housing_declined_offers", "Declined offers by reason.")),
      retention_(Gauge(registry, "helhed_housing_retention_ratio",
                       "Share of tenancies begun 12+ months ago that lasted 12 months.")),
      cohort_(Gauge(registry, "helhed_housing_retention_cohort",
                    "Tenancies in homes begun at least 12 months ago.")) {
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
    v1::HousingStats s;
    absl::Status status = store_.Stats(m, temporary_days_, &s);
    if (!status.ok()) {
      log::Warning("housing stats failed", log::Fields().Str("status", status.ToString()));
      continue;
    }
    std::map<int, double> vacant, vacant_days, waiting, waiting_days, offers, declines;
    for (const auto& u : s.vacant_units()) {
      vacant[u.unit_type()] = u.count();
      vacant_days[u.unit_type()] = u.max_vacant_days() * kSecondsPerDay;
    }
    for (const auto& w : s.waiting()) {
      waiting[w.situation()] = w.count();
      waiting_days[w.situation()] = w.max_waiting_days() * kSecondsPerDay;
    }
    offers[v1::OFFER_STATE_PENDING] = s.offers_pending();
    offers[v1::OFFER_STATE_ACCEPTED] = s.offers_accepted();
    offers[v1::OFFER_STATE_DECLINED] = s.offers_declined();
    offers[v1::OFFER_STATE_EXPIRED] = s.offers_expired();
    offers[v1::OFFER_STATE_WITHDRAWN] = s.offers_withdrawn();
    for (const auto& d : s.decline_reasons()) declines[d.reason()] = d.count();
    SetAll(gauges_, vacant_, m, "unit_type", v1::UnitType_descriptor(), "UNIT_TYPE_", vacant);
    SetAll(gauges_, vacant_days_, m, "unit_type", v1::UnitType_descriptor(), "UNIT_TYPE_",
           vacant_days);
    SetAll(gauges_, waiting_, m, "situation", v1::Situation_descriptor(), "SITUATION_", waiting);
    SetAll(gauges_, waiting_days_, m, "situation", v1::Situation_descriptor(), "SITUATION_",
           waiting_days);
    SetAll(gauges_, offers_, m, "offer_state", v1::OfferState_descriptor(), "OFFER_STATE_", offers);
    SetAll(gauges_, declines_, m, "reason", v1::DeclineReason_descriptor(), "DECLINE_REASON_",
           declines);
    const std::map<std::string, std::string> labels = {{"municipality", m}};
    gauges_.Set(long_stays_, labels, s.long_stays_size());
    gauges_.Set(retention_, labels, s.retention_rate());
    gauges_.Set(cohort_, labels, s.retention_cohort());
  }
}

}  // namespace helhed::housing
