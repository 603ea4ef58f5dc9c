// The caller's identity as it travels from the gateway to a service: a
// helhed.common.v1.Principal, serialized and base64-encoded, signed for the
// service (common/auth/principal_token.h), in the metadata key
// "x-helhed-principal". JWT verification is the gateway's job; a service
// believes the header only when the signature, audience and expiry verify
// and the role policy allows the method (common/auth/principal_interceptor.h
// checks both for every call; PrincipalFromContext reports its verdict).
#ifndef HELHED_COMMON_AUTH_PRINCIPAL_H_
#define HELHED_COMMON_AUTH_PRINCIPAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::auth {

inline constexpr char kPrincipalMetadataKey[] = "x-helhed-principal";

using Principal = helhed::common::v1::Principal;

// Where the verifying server interceptor records its verdict on a call, in
// the received metadata (never sent on the wire; any a client sends is
// dropped): "<nonce>:<grpc code>:<base64 principal>:<message>".
inline constexpr char kPrincipalVerdictKey[] = "x-helhed-principal-verdict";

// A random value of this process: a verdict without it is not believed.
const std::string& VerdictNonce();
// The verdict entry's value: OK with `principal`, or `status` (not OK).
std::string MakeVerdict(const absl::Status& status, const Principal* principal);

std::string EncodePrincipal(const Principal& principal);

// UNAUTHENTICATED unless `encoded` is a principal with a subject and a
// three-digit municipality code.
absl::StatusOr<Principal> DecodePrincipal(absl::string_view encoded);

// The principal of a call as the verifying interceptor judged it:
// UNAUTHENTICATED when there was none or it did not verify (or no
// interceptor judged the call), PERMISSION_DENIED when the policy does not
// allow the caller's roles the method.
absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context);

// Sets `principal`, unsigned, on an outgoing call. Services refuse it unless
// the channel signs it (NewPrincipalSigner in principal_token.h).
void AttachPrincipal(grpc::ClientContext* context, const Principal& principal);

// Whether the caller has `role`.
bool HasRole(const Principal& principal, helhed::common::v1::Role role);

// True for "730", "810": three digits, as Danish municipality codes are.
bool IsMunicipalityCode(absl::string_view code);

}  // namespace helhed::auth

#endif  // HELHED_COMMON_AUTH_PRINCIPAL_H_
