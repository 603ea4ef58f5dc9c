// helhed-gateway: the one authenticated, audited front door. Wiring in
// wiring.cc (its settings: wiring.h).
#include <functional>

#include "services/gateway/wiring.h"

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "gateway";
  defaults.listen = "127.0.0.1:50051";
  defaults.metrics_listen = "127.0.0.1:9460";
  defaults.store_url = "sqlite://var/gateway.db";
  helhed::gateway::Wiring wiring;
  return helhed::server::RunService(defaults, argc, argv, helhed::store::GatewayMigrations(),
                                    std::ref(wiring));
}
