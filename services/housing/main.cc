// helhed-housing: the housing offers service. Wiring in wiring.cc.
#include <functional>

#include "services/housing/wiring.h"

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "housing";
  defaults.listen = "127.0.0.1:50064";
  defaults.metrics_listen = "127.0.0.1:9464";
  defaults.store_url = "sqlite://var/housing.db";
  helhed::housing::Wiring wiring;
  return helhed::server::RunService(defaults, argc, argv, helhed::store::HousingMigrations(),
                                    std::ref(wiring));
}
