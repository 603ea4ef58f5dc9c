// helhed-housing: the housing offers service. Wiring only.
#include <cstdlib>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/housing/housing_service.h"
#include "services/housing/housing_store.h"
#include "services/housing/offer_expirer.h"
#include "services/housing/stats_exporter.h"

namespace helhed::store {
const std::vector<MigrationFile>& HousingMigrations();
}

namespace {

// A positive whole number from the environment, or `fallback`.
int EnvInt(const char* name, int fallback) {
  int v = fallback;
  if (const char* e = std::getenv(name); e != nullptr) {
    if (!absl::SimpleAtoi(e, &v) || v < 1) v = fallback;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "housing";
  defaults.listen = "127.0.0.1:50064";
  defaults.metrics_listen = "127.0.0.1:9464";
  defaults.store_url = "sqlite://var/housing.db";
  std::unique_ptr<helhed::store::PageTokens> tokens;
  std::unique_ptr<helhed::housing::HousingStore> store;
  std::unique_ptr<helhed::housing::StatsExporter> exporter;
  std::unique_ptr<helhed::housing::OfferExpirer> expirer;
  return helhed::server::RunService(
      defaults, argc, argv, helhed::store::HousingMigrations(), [&](helhed::server::Runtime& rt) {
        tokens = std::make_unique<helhed::store::PageTokens>(rt.config->page_token_key);
        store = std::make_unique<helhed::housing::HousingStore>(rt.db, tokens.get(),
                                                                [] { return absl::Now(); });
        // HELHED_HOUSING_STATS_SECONDS: how often the gauges are recomputed (default 15);
        // HELHED_HOUSING_TEMPORARY_DAYS: a temporary stay longer than this is counted in
        // helhed_housing_long_temporary_stays (default 90);
        // HELHED_HOUSING_EXPIRY_SECONDS: how often overdue offers are expired (default 10).
        exporter = std::make_unique<helhed::housing::StatsExporter>(
            *store, *rt.registry, absl::Seconds(EnvInt("HELHED_HOUSING_STATS_SECONDS", 15)),
            EnvInt("HELHED_HOUSING_TEMPORARY_DAYS", 90));
        expirer = std::make_unique<helhed::housing::OfferExpirer>(
            *store, *rt.registry, absl::Seconds(EnvInt("HELHED_HOUSING_EXPIRY_SECONDS", 10)));
        rt.stop_hooks.push_back([&] {
          expirer->Stop();
          exporter->Stop();
        });
        const bool inline_reads = rt.db->dialect() == helhed::store::Dialect::kSqlite;
        std::vector<helhed::server::RegisteredService> services;
        services.push_back({helhed::housing::v1::HousingService::service_full_name(),
                            std::make_unique<helhed::housing::HousingServiceImpl>(*store, *rt.pool,
                                                                                  inline_reads)});
        return services;
      });
}
