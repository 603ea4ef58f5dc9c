#include "services/volunteers/wiring.h"

#include "absl/time/clock.h"

namespace helhed::volunteers {

std::vector<server::RegisteredService> Wiring::operator()(server::Runtime& rt) {
  // How each kind of record about one citizen leads to its citizen, for
  // the gateway's audit (common/audit/attribution.h).
  citizens_ = std::make_unique<audit::CitizenResolver>(rt.db);
  citizens_->Add(
      "accompaniment_request",
      "SELECT t.citizen_id FROM accompaniment_requests t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("evaluation",
                 "SELECT r.citizen_id FROM entries e JOIN accompaniment_requests r ON r.id = "
                 "e.parent_id WHERE e.municipality = ? AND e.id IN");
  rt.citizen_resolver = citizens_.get();
  tokens_ = std::make_unique<store::PageTokens>(rt.config->page_token_key);
  store_ = std::make_unique<VolunteersStore>(rt.db, tokens_.get(), [] { return absl::Now(); });
  // An embedded SQLite file answers a get in microseconds and cannot hang
  // on a network: serve gets inline there (see docs/PERFORMANCE.md).
  // HELHED_VOLUNTEERS_STATS_SECONDS: how often the monthly gauges are
  // recomputed (default 15).
  exporter_ = std::make_unique<StatsExporter>(
      *store_, *rt.db, *rt.registry,
      absl::Seconds(server::PositiveEnvInt("HELHED_VOLUNTEERS_STATS_SECONDS", 15)));
  rt.stop_hooks.push_back([this] { exporter_->Stop(); });
  const bool inline_reads = rt.db->dialect() == store::Dialect::kSqlite;
  std::vector<server::RegisteredService> services;
  services.push_back({v1::VolunteersService::service_full_name(),
                      std::make_unique<VolunteersServiceImpl>(*store_, *rt.pool, inline_reads)});
  return services;
}

}  // namespace helhed::volunteers
