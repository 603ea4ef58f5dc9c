// The second line behind the gateway, for every method of a service by
// construction: a server interceptor that, for each call, verifies the
// signed x-helhed-principal (principal_token.h: key, audience = this
// service's short name, expiry) and then the role policy (policy.h) for the
// called method, and records the verdict in the call's received metadata,
// where PrincipalFromContext (and so ServeUnary/ServeRead) reads it:
// UNAUTHENTICATED for a missing, unsigned, forged, expired or misdirected
// principal, PERMISSION_DENIED for roles the policy does not allow.
// grpc.health.v1 and server reflection are not judged (open to probes).
//
// An interceptor cannot fail a call itself; a handler that never asks for
// the principal would not be refused. Every Helhed handler goes through
// ServeUnary/ServeRead, which ask first.
#ifndef HELHED_COMMON_AUTH_PRINCIPAL_INTERCEPTOR_H_
#define HELHED_COMMON_AUTH_PRINCIPAL_INTERCEPTOR_H_

#include <memory>
#include <string>

#include "common/auth/policy.h"
#include "common/auth/principal_token.h"
#include "grpcpp/support/server_interceptor.h"

namespace helhed::auth {

// Whether calls to `method` ("/pkg.Service/Method") go unjudged: health and
// reflection.
bool IsOpenMethod(absl::string_view method);

// Thread-safe; `key` and `policy` must outlive the server.
class PrincipalInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  PrincipalInterceptorFactory(std::string audience, const PrincipalKey* key, const Policy* policy)
      : audience_(std::move(audience)), key_(key), policy_(policy) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const std::string audience_;
  const PrincipalKey* key_;
  const Policy* policy_;
};

}  // namespace helhed::auth

#endif  // HELHED_COMMON_AUTH_PRINCIPAL_INTERCEPTOR_H_
