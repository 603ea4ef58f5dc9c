// The caller's identity as it travels from the gateway to a service: a
// helhed.common.v1.Principal, serialized and base64-encoded, in the metadata
// key "x-helhed-principal". JWT verification is the gateway's job; services
// trust this header because only the gateway can reach them.
#ifndef HELHED_COMMON_AUTH_PRINCIPAL_H_
#define HELHED_COMMON_AUTH_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::auth {

inline constexpr char kPrincipalMetadataKey[] = "x-helhed-principal";

using Principal = helhed::common::v1::Principal;

std::string EncodePrincipal(const Principal& principal);

// UNAUTHENTICATED unless `encoded` is a principal with a subject and a
// three-digit municipality code.
absl::StatusOr<Principal> DecodePrincipal(absl::string_view encoded);

// The principal of a call, or UNAUTHENTICATED when there is none.
absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context);

// Sets `principal` on an outgoing call (the gateway, tools and tests).
void AttachPrincipal(grpc::ClientContext* context, const Principal& principal);

// Whether the caller has `role`.
bool HasRole(const Principal& principal, helhed::common::v1::Role role);

// True for "730", "810": three digits, as Danish municipality codes are.
bool IsMunicipalityCode(absl::string_view code);

}  // namespace helhed::auth

#endif  // HELHED_COMMON_AUTH_PRINCIPAL_H_
