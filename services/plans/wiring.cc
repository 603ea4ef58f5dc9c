#include "services/plans/wiring.h"

#include "absl/time/clock.h"

namespace helhed::plans {

std::vector<server::RegisteredService> Wiring::operator()(server::Runtime& rt) {
  // How each kind of record about one citizen leads to its citizen, for
  // the gateway's audit (common/audit/attribution.h).
  citizens_ = std::make_unique<audit::CitizenResolver>(rt.db);
  citizens_->Add("citizen_plan",
                 "SELECT t.citizen_id FROM citizen_plans t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("goal", "SELECT t.citizen_id FROM goals t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("action",
                 "SELECT t.citizen_id FROM actions t WHERE t.municipality = ? AND t.id IN");
  citizens_->Add("assessment",
                 "SELECT g.citizen_id FROM entries e JOIN goals g ON g.id = e.parent_id WHERE "
                 "e.municipality = ? AND e.id IN");
  rt.citizen_resolver = citizens_.get();
  tokens_ = std::make_unique<store::PageTokens>(rt.config->page_token_key);
  store_ = std::make_unique<PlansStore>(rt.db, tokens_.get(), [] { return absl::Now(); });
  // An embedded SQLite file answers a get in microseconds and cannot hang
  // on a network: serve gets inline there (see docs/PERFORMANCE.md).
  const bool inline_reads = rt.db->dialect() == store::Dialect::kSqlite;
  std::vector<server::RegisteredService> services;
  services.push_back({v1::PlansService::service_full_name(),
                      std::make_unique<PlansServiceImpl>(*store_, *rt.pool, inline_reads)});
  services.push_back({v1::CitizenPlansService::service_full_name(),
                      std::make_unique<CitizenPlansServiceImpl>(*store_, *rt.pool, inline_reads)});
  return services;
}

}  // namespace helhed::plans
