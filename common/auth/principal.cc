#include "common/auth/principal.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"

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
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.malformed"));
  }
  if (principal.subject().empty() || principal.subject().size() > 256) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.no_subject"));
  }
  if (!IsMunicipalityCode(principal.municipality_code())) {
    return TextError(absl::StatusCode::kUnauthenticated,
                     i18n::Later("common.auth.no_municipality"));
  }
  return principal;
}

const std::string& VerdictNonce() {
  static const std::string* nonce = [] {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
    return new std::string(absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes)));
  }();
  return *nonce;
}

std::string MakeVerdict(const absl::Status& status, const Principal* principal) {
  // A catalogue text travels as "@<id>", so that the handler can write it in
  // the caller's language (the refusals have no arguments).
  std::optional<i18n::Text> text = MessageTextOf(status);
  return absl::StrCat(VerdictNonce(), ":", static_cast<int>(status.code()), ":",
                      principal != nullptr ? EncodePrincipal(*principal) : "", ":",
                      text.has_value() && text->args.empty() ? absl::StrCat("@", text->id)
                                                             : std::string(status.message()));
}

absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context) {
  const auto& md = context.client_metadata();
  const auto range = md.equal_range(kPrincipalVerdictKey);
  for (auto it = range.first; it != range.second; ++it) {
    const absl::string_view v(it->second.data(), it->second.size());
    std::vector<absl::string_view> parts = absl::StrSplit(v, absl::MaxSplits(':', 3));
    int code = 0;
    if (parts.size() != 4 || parts[0] != VerdictNonce() || !absl::SimpleAtoi(parts[1], &code)) {
      continue;
    }
    if (code != 0) {
      if (absl::StartsWith(parts[3], "@")) {
        return TextError(static_cast<absl::StatusCode>(code), i18n::Later(parts[3].substr(1)));
      }
      return absl::Status(static_cast<absl::StatusCode>(code), parts[3]);
    }
    return DecodePrincipal(parts[2]);
  }
  return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.no_principal"));
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
