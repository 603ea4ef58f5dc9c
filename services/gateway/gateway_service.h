// The gateway's own methods: GetCitizenOverview (the services in parallel
// under one deadline, partial when one is down), ResolveCitizen (CPR ->
// pseudonym) and the audit trail's reads. Served through the Proxy, so the
// same authentication, policy, rate limit and audit apply. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define HELHED_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <string>

#include "helhed/gateway/v1/gateway_service.pb.h"
#include "services/gateway/audit_store.h"
#include "services/gateway/backends.h"
#include "services/gateway/proxy.h"

namespace helhed::gateway {

class GatewayMethods final : public LocalMethods {
 public:
  // `cpr_key`: the key of the CPR pseudonym (at least 32 bytes).
  GatewayMethods(Backends* backends, AuditStore* audit, std::string cpr_key)
      : backends_(backends), audit_(audit), cpr_key_(std::move(cpr_key)) {}

  bool Has(const std::string& method) const override;
  grpc::Status Call(const std::string& method, const CallInfo& info, const std::string& request,
                    std::string* response) override;

  void Overview(const CallInfo& info, const std::string& citizen_id, v1::CitizenOverview* out);

 private:
  Backends* backends_;
  AuditStore* audit_;
  const std::string cpr_key_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
