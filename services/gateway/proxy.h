// The gateway's one door: a generic gRPC service (no code per method) that,
// for every call, authenticates the bearer token, applies the per-subject
// rate limit and the policy, bounds the deadline, passes the call to the
// backend that owns its service (or to the gateway's own methods) with the
// verified principal, and writes an audit event for every citizen the
// request or the response names before the answer leaves (closed: no
// audit, no answer). Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_PROXY_H_
#define HELHED_SERVICES_GATEWAY_PROXY_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "common/server/work_pool.h"
#include "grpcpp/generic/async_generic_service.h"
#include "helhed/common/v1/common.pb.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/gateway/audit_store.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/gateway/auth/rate_limiter.h"
#include "services/gateway/backends.h"
#include "services/gateway/policy/policy.h"

namespace helhed::gateway {

// What a call through the gateway carries once it is let in.
struct CallInfo {
  helhed::common::v1::Principal principal;
  std::chrono::system_clock::time_point deadline;
  std::string purpose;
  // The language the caller reads (accept-language), passed on to services
  // as "da" or "en".
  i18n::Language language = i18n::Language::kDanish;
};

// The gateway's own methods (GatewayService, AuditService), behind the same
// checks as every other call.
class LocalMethods {
 public:
  virtual ~LocalMethods() = default;
  virtual bool Has(const std::string& method) const = 0;
  // Blocking; runs on the work pool. `request` is the serialized request.
  virtual grpc::Status Call(const std::string& method, const CallInfo& info,
                            const std::string& request, std::string* response) = 0;
};

struct ProxyOptions {
  absl::Duration default_deadline = absl::Seconds(10);
  absl::Duration max_deadline = absl::Seconds(30);
};

class Proxy final : public grpc::CallbackGenericService {
 public:
  Proxy(const JwtVerifier* verifier, RateLimiter* limiter, const Policy* policy, Backends* backends,
        LocalMethods* local, AuditStore* audit, server::WorkPool* pool, ProxyOptions options,
        prometheus::Registry& registry);

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override;

 private:
  friend class ProxyReactor;
  const JwtVerifier* verifier_;
  RateLimiter* limiter_;
  const Policy* policy_;
  Backends* backends_;
  LocalMethods* local_;
  AuditStore* audit_;
  server::WorkPool* pool_;
  const ProxyOptions options_;
  prometheus::Family<prometheus::Counter>& auth_failures_;
  prometheus::Family<prometheus::Counter>& denied_;
  prometheus::Counter& rate_limited_;
  prometheus::Histogram& audit_seconds_;
  prometheus::Counter& audit_failures_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_PROXY_H_
