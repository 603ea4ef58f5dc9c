#include "common/auth/principal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace helhed::auth {

std::string EncodePrincipal(const Principal& principal) {
  return absl::Base64Escape(principal.SerializeAsString());
}

bool IsMunicipalityCode(absl::string_view code) {
  if (code.size() != 3) {
    return false;
  }
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<Principal> DecodePrincipal(absl::string_view encoded) {
  std::string bytes;
  Principal principal;
  if (encoded.size() > 4096 || !absl::Base64Unescape(encoded, &bytes) ||
      !principal.ParseFromString(bytes)) {
    return absl::UnauthenticatedError("malformed principal");
  }
  if (principal.subject().empty() || principal.subject().size() > 256) {
    return absl::UnauthenticatedError("principal has no subject");
  }
  if (!IsMunicipalityCode(principal.municipality_code())) {
    return absl::UnauthenticatedError("principal has no valid municipality code");
  }
  return principal;
}

absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context) {
  const auto& md = context.client_metadata();
  auto it = md.find(kPrincipalMetadataKey);
  if (it == md.end()) {
    return absl::UnauthenticatedError("no principal: call through the gateway");
  }
  return DecodePrincipal(absl::string_view(it->second.data(), it->second.size()));
}

void AttachPrincipal(grpc::ClientContext* context, const Principal& principal) {
  context->AddMetadata(kPrincipalMetadataKey, EncodePrincipal(principal));
}

bool HasRole(const Principal& principal, helhed::common::v1::Role role) {
  for (int r : principal.roles()) {
    if (r == role) {
      return true;
    }
  }
  return false;
}

}  // namespace helhed::auth
