// The plans process's services over a server::Runtime: the factory its
// main() passes to server::RunService, and the fuzz target to
// server::InProcessHost, so both run the same wiring. Owns what the services
// share (page tokens, store, background work); must outlive the server.
#ifndef HELHED_SERVICES_PLANS_WIRING_H_
#define HELHED_SERVICES_PLANS_WIRING_H_

#include <memory>
#include <vector>

#include "common/audit/attribution.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/plans/plans_service.h"
#include "services/plans/plans_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& PlansMigrations();
}

namespace helhed::plans {

class Wiring {
 public:
  std::vector<server::RegisteredService> operator()(server::Runtime& rt);

 private:
  std::unique_ptr<store::PageTokens> tokens_;
  std::unique_ptr<audit::CitizenResolver> citizens_;
  std::unique_ptr<PlansStore> store_;
};

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_WIRING_H_
