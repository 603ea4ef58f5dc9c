// helhed-guides: the borgerguide matching service. Wiring only.
#include <cstdlib>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/guides/guides_service.h"
#include "services/guides/guides_store.h"
#include "services/guides/stats_exporter.h"

namespace helhed::store {
const std::vector<MigrationFile>& GuidesMigrations();
}

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "guides";
  defaults.listen = "127.0.0.1:50063";
  defaults.metrics_listen = "127.0.0.1:9463";
  defaults.store_url = "sqlite://var/guides.db";
  std::unique_ptr<helhed::store::PageTokens> tokens;
  std::unique_ptr<helhed::guides::GuidesStore> store;
  std::unique_ptr<helhed::guides::StatsExporter> exporter;
  return helhed::server::RunService(
      defaults, argc, argv, helhed::store::GuidesMigrations(), [&](helhed::server::Runtime& rt) {
        tokens = std::make_unique<helhed::store::PageTokens>(rt.config->page_token_key);
        store = std::make_unique<helhed::guides::GuidesStore>(rt.db, tokens.get(),
                                                              [] { return absl::Now(); });
        // HELHED_GUIDES_STATS_SECONDS: how often the gauges are recomputed (default 15).
        int every = 15;
        if (const char* e = std::getenv("HELHED_GUIDES_STATS_SECONDS"); e != nullptr) {
          if (!absl::SimpleAtoi(e, &every) || every < 1) every = 15;
        }
        exporter = std::make_unique<helhed::guides::StatsExporter>(*store, *rt.registry,
                                                                   absl::Seconds(every));
        rt.stop_hooks.push_back([&] { exporter->Stop(); });
        const bool inline_reads = rt.db->dialect() == helhed::store::Dialect::kSqlite;
        std::vector<helhed::server::RegisteredService> services;
        services.push_back(
            {helhed::guides::v1::GuidesService::service_full_name(),
             std::make_unique<helhed::guides::GuidesServiceImpl>(*store, *rt.pool, inline_reads)});
        return services;
      });
}
