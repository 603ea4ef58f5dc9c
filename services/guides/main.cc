// helhed-guides: the borgerguide matching service. Wiring in wiring.cc.
#include <functional>

#include "services/guides/wiring.h"

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "guides";
  defaults.listen = "127.0.0.1:50063";
  defaults.metrics_listen = "127.0.0.1:9463";
  defaults.store_url = "sqlite://var/guides.db";
  helhed::guides::Wiring wiring;
  return helhed::server::RunService(defaults, argc, argv, helhed::store::GuidesMigrations(),
                                    std::ref(wiring));
}
