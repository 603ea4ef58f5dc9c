// helhed-plans: the plans & initiatives service. Wiring only.
#include <memory>

#include "absl/time/clock.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/plans/plans_service.h"
#include "services/plans/plans_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& PlansMigrations();
}

namespace {

// Owns the store facade shared by both gRPC services of the process.
struct PlansServices {
  std::unique_ptr<helhed::store::PageTokens> tokens;
  std::unique_ptr<helhed::plans::PlansStore> store;
};

}  // namespace

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "plans";
  defaults.listen = "127.0.0.1:50061";
  defaults.metrics_listen = "127.0.0.1:9461";
  defaults.store_url = "sqlite://var/plans.db";
  PlansServices owned;
  return helhed::server::RunService(
      defaults, argc, argv, helhed::store::PlansMigrations(),
      [&owned](helhed::server::Runtime& rt) {
        owned.tokens = std::make_unique<helhed::store::PageTokens>(rt.config->page_token_key);
        owned.store = std::make_unique<helhed::plans::PlansStore>(rt.db, owned.tokens.get(),
                                                                  [] { return absl::Now(); });
        // An embedded SQLite file answers a get in microseconds and cannot hang
        // on a network: serve gets inline there (see docs/PERFORMANCE.md).
        const bool inline_reads = rt.db->dialect() == helhed::store::Dialect::kSqlite;
        std::vector<helhed::server::RegisteredService> services;
        services.push_back({helhed::plans::v1::PlansService::service_full_name(),
                            std::make_unique<helhed::plans::PlansServiceImpl>(
                                *owned.store, *rt.pool, inline_reads)});
        services.push_back({helhed::plans::v1::CitizenPlansService::service_full_name(),
                            std::make_unique<helhed::plans::CitizenPlansServiceImpl>(
                                *owned.store, *rt.pool, inline_reads)});
        return services;
      });
}
