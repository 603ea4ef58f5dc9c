// helhed-volunteers: the volunteer coordination service. Wiring only.
#include <cstdlib>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/volunteers/stats_exporter.h"
#include "services/volunteers/volunteers_service.h"
#include "services/volunteers/volunteers_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& VolunteersMigrations();
}

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "volunteers";
  defaults.listen = "127.0.0.1:50062";
  defaults.metrics_listen = "127.0.0.1:9462";
  defaults.store_url = "sqlite://var/volunteers.db";
  std::unique_ptr<helhed::store::PageTokens> tokens;
  std::unique_ptr<helhed::volunteers::VolunteersStore> store;
  std::unique_ptr<helhed::volunteers::StatsExporter> exporter;
  return helhed::server::RunService(
      defaults, argc, argv, helhed::store::VolunteersMigrations(),
      [&](helhed::server::Runtime& rt) {
        tokens = std::make_unique<helhed::store::PageTokens>(rt.config->page_token_key);
        store = std::make_unique<helhed::volunteers::VolunteersStore>(rt.db, tokens.get(),
                                                                      [] { return absl::Now(); });
        // HELHED_VOLUNTEERS_STATS_SECONDS: how often the monthly gauges are
        // recomputed (default 15).
        int every = 15;
        if (const char* e = std::getenv("HELHED_VOLUNTEERS_STATS_SECONDS"); e != nullptr) {
          if (!absl::SimpleAtoi(e, &every) || every < 1) every = 15;
        }
        exporter = std::make_unique<helhed::volunteers::StatsExporter>(*store, *rt.registry,
                                                                       absl::Seconds(every));
        rt.stop_hooks.push_back([&] { exporter->Stop(); });
        const bool inline_reads = rt.db->dialect() == helhed::store::Dialect::kSqlite;
        std::vector<helhed::server::RegisteredService> services;
        services.push_back({helhed::volunteers::v1::VolunteersService::service_full_name(),
                            std::make_unique<helhed::volunteers::VolunteersServiceImpl>(
                                *store, *rt.pool, inline_reads)});
        return services;
      });
}
