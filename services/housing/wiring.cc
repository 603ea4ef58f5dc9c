#include "services/housing/wiring.h"

#include "absl/time/clock.h"

namespace helhed::housing {

std::vector<server::RegisteredService> Wiring::operator()(server::Runtime& rt) {
  // How each kind of record about one citizen leads to its citizen, for
  // the gateway's audit (common/audit/attribution.h).
  citizens_ = std::make_unique<audit::CitizenResolver>(rt.db);
  citizens_->Add("application",
                 "SELECT t.citizen_id FROM applications t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("offer", "SELECT t.citizen_id FROM offers t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("tenancy",
                 "SELECT t.citizen_id FROM tenancies t WHERE t.municipality = ? AND t.id IN");
  rt.citizen_resolver = citizens_.get();
  tokens_ = std::make_unique<store::PageTokens>(rt.config->page_token_key);
  store_ = std::make_unique<HousingStore>(rt.db, tokens_.get(), [] { return absl::Now(); });
  // An embedded SQLite file answers a get in microseconds and cannot hang
  // on a network: serve gets inline there (see docs/PERFORMANCE.md).
  // HELHED_HOUSING_STATS_SECONDS: how often the gauges are recomputed (default 15);
  // HELHED_HOUSING_TEMPORARY_DAYS: a temporary stay longer than this is counted in
  // helhed_housing_long_temporary_stays (default 90);
  // HELHED_HOUSING_EXPIRY_SECONDS: how often overdue offers are expired (default 10).
  exporter_ = std::make_unique<StatsExporter>(
      *store_, *rt.db, *rt.registry,
      absl::Seconds(server::PositiveEnvInt("HELHED_HOUSING_STATS_SECONDS", 15)),
      server::PositiveEnvInt("HELHED_HOUSING_TEMPORARY_DAYS", 90));
  expirer_ = std::make_unique<OfferExpirer>(
      *store_, *rt.registry,
      absl::Seconds(server::PositiveEnvInt("HELHED_HOUSING_EXPIRY_SECONDS", 10)));
  rt.stop_hooks.push_back([this] {
    expirer_->Stop();
    exporter_->Stop();
  });
  const bool inline_reads = rt.db->dialect() == store::Dialect::kSqlite;
  std::vector<server::RegisteredService> services;
  services.push_back({v1::HousingService::service_full_name(),
                      std::make_unique<HousingServiceImpl>(*store_, *rt.pool, inline_reads)});
  return services;
}

}  // namespace helhed::housing
