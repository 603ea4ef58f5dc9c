// The housing process's services over a server::Runtime: the factory its
// main() passes to server::RunService, and the fuzz target to
// server::InProcessHost, so both run the same wiring. Owns what the services
// share (page tokens, store, background work); must outlive the server.
#ifndef HELHED_SERVICES_HOUSING_WIRING_H_
#define HELHED_SERVICES_HOUSING_WIRING_H_

#include <memory>
#include <vector>

#include "common/audit/attribution.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/housing/housing_service.h"
#include "services/housing/housing_store.h"
#include "services/housing/offer_expirer.h"
#include "services/housing/stats_exporter.h"

namespace helhed::store {
const std::vector<MigrationFile>& HousingMigrations();
}

namespace helhed::housing {

class Wiring {
 public:
  std::vector<server::RegisteredService> operator()(server::Runtime& rt);

 private:
  std::unique_ptr<store::PageTokens> tokens_;
  std::unique_ptr<audit::CitizenResolver> citizens_;
  std::unique_ptr<HousingStore> store_;
  std::unique_ptr<StatsExporter> exporter_;
  std::unique_ptr<OfferExpirer> expirer_;
};

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_WIRING_H_
