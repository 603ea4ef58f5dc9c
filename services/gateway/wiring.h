// The gateway process's wiring over a server::Runtime: the factory its
// main() passes to server::RunService, and the fuzz target
// (tests/fuzz/gateway_fuzz.cc) to server::InProcessHost.
//
// Settings beyond the common flags, from the environment:
//   HELHED_GATEWAY_BACKENDS        plans=HOST:PORT,volunteers=...,guides=...,housing=...
//   HELHED_GATEWAY_JWT_KEYS_DIR    directory of public keys, <kid>.pem (required)
//   HELHED_GATEWAY_JWT_ISSUER      expected "iss" (default https://idp.helhed.local)
//   HELHED_GATEWAY_JWT_AUDIENCE    expected "aud" (default helhed-gateway)
//   HELHED_POLICY          the policy file (--policy; common/server/config.h), shared with
//                          the services; HELHED_PRINCIPAL_KEY_FILE signs backend calls
//   HELHED_GATEWAY_CPR_KEY_FILE    key of the CPR pseudonym, >= 32 bytes (required)
//   HELHED_GATEWAY_RATE, HELHED_GATEWAY_BURST   per-subject calls/s and burst (50, 100)
//   HELHED_GATEWAY_DEFAULT_DEADLINE_MS, HELHED_GATEWAY_MAX_DEADLINE_MS  (10000, 30000)
//   HELHED_GATEWAY_AUDIT_RETENTION_DAYS  (183, about 6 months; fractions allowed)
//   HELHED_GATEWAY_AUDIT_PURGE_SECONDS   how often expired events are purged (3600)
//   HELHED_GATEWAY_AUDIT_MAX_BATCH  most calls whose audit events one transaction
//                                   commits (64; 1 = a transaction per call)
//   HELHED_GATEWAY_BACKEND_TLS_CA, _CERT, _KEY   TLS (mutual with cert+key) to the backends
#ifndef HELHED_SERVICES_GATEWAY_WIRING_H_
#define HELHED_SERVICES_GATEWAY_WIRING_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/server/periodic.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "services/gateway/audit_store.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/gateway/auth/rate_limiter.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/policy/policy.h"
#include "services/gateway/proxy.h"
#include "services/gateway/reflection.h"

namespace helhed::store {
const std::vector<MigrationFile>& GatewayMigrations();
}

namespace helhed::gateway {

// The services the gateway routes (every one's descriptors are linked).
const std::set<std::string>& RoutedServices();

class Wiring {
 public:
  // Reads the settings above; a bad one ends the process (exit 2) naming it.
  std::vector<server::RegisteredService> operator()(server::Runtime& rt);

 private:
  std::unique_ptr<store::PageTokens> tokens_;
  std::unique_ptr<JwtVerifier> verifier_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<Policy> policy_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<AuditStore> audit_;
  std::unique_ptr<GatewayMethods> methods_;
  std::unique_ptr<Proxy> proxy_;
  std::unique_ptr<server::Periodic> purge_;
  std::unique_ptr<Reflection> reflection_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_WIRING_H_
