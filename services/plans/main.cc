// helhed-plans: the plans & initiatives service. Wiring in wiring.cc.
#include <functional>

#include "services/plans/wiring.h"

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "plans";
  defaults.listen = "127.0.0.1:50061";
  defaults.metrics_listen = "127.0.0.1:9461";
  defaults.store_url = "sqlite://var/plans.db";
  helhed::plans::Wiring wiring;
  return helhed::server::RunService(defaults, argc, argv, helhed::store::PlansMigrations(),
                                    std::ref(wiring));
}
