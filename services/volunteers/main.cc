// helhed-volunteers: the volunteer coordination service. Wiring in wiring.cc.
#include <functional>

#include "services/volunteers/wiring.h"

int main(int argc, char** argv) {
  helhed::server::ServerConfig defaults;
  defaults.service_name = "volunteers";
  defaults.listen = "127.0.0.1:50062";
  defaults.metrics_listen = "127.0.0.1:9462";
  defaults.store_url = "sqlite://var/volunteers.db";
  helhed::volunteers::Wiring wiring;
  return helhed::server::RunService(defaults, argc, argv, helhed::store::VolunteersMigrations(),
                                    std::ref(wiring));
}
