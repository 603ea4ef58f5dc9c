// The signed form of the principal that travels from the gateway to a
// service (docs/SECURITY.md, "What is trusted where"). A service believes a
// principal only when it carries a valid HMAC-SHA256 made with the key that
// the gateway and the services share, names the service as its audience and
// has not expired. The metadata value of "x-helhed-principal" is
//
//   <principal>.<audiences>.<expiry>.<mac>
//
//   principal  base64 of the serialized helhed.common.v1.Principal
//   audiences  the short names of the services it is for, joined by "+"
//              ("plans"; test and tool principals may name several)
//   expiry     Unix time in milliseconds after which it is refused
//   mac        web-safe base64 (no padding) of
//              HMAC-SHA256(key, "helhed-principal-v1\n" + "<principal>.<audiences>.<expiry>")
//
// The key is a file of at least 32 random bytes (--principal-key-file,
// HELHED_PRINCIPAL_KEY_FILE), the same for every process.
#ifndef HELHED_COMMON_AUTH_PRINCIPAL_TOKEN_H_
#define HELHED_COMMON_AUTH_PRINCIPAL_TOKEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_interceptor.h"

namespace helhed::auth {

// The longest a principal the gateway signs lives (and the default).
inline constexpr absl::Duration kMaxPrincipalTtl = absl::Seconds(60);
inline constexpr absl::Duration kDefaultPrincipalTtl = absl::Seconds(30);
// How far a verifier's clock may be ahead of the signer's.
inline constexpr absl::Duration kPrincipalClockLeeway = absl::Seconds(1);

// The shared key. Immutable; thread-safe.
class PrincipalKey {
 public:
  // INVALID_ARGUMENT when shorter than 32 bytes.
  static absl::StatusOr<PrincipalKey> FromBytes(std::string key);
  // The whole file, as bytes; NOT_FOUND or INVALID_ARGUMENT naming the path.
  static absl::StatusOr<PrincipalKey> FromFile(const std::string& path);

  // The metadata value for `principal`, for the services named in
  // `audiences` (short names joined by "+"), refused after `expiry`.
  std::string Sign(const Principal& principal, absl::string_view audiences,
                   absl::Time expiry) const;

  // The principal in `token`, when its MAC is this key's, `audience` is one
  // of its audiences and it has not expired at `now` (give or take
  // kPrincipalClockLeeway). UNAUTHENTICATED otherwise; the message says
  // which check failed but never echoes the token.
  absl::StatusOr<Principal> Verify(absl::string_view token, absl::string_view audience,
                                   absl::Time now) const;

 private:
  explicit PrincipalKey(std::string key) : key_(std::move(key)) {}
  std::string Mac(absl::string_view signed_part) const;

  std::string key_;
};

// Whether `audiences` is a valid list: names of [a-z0-9_-] joined by "+",
// none empty. ("+", not ",": tools such as buf curl split a header value at
// commas.)
bool IsAudienceList(absl::string_view audiences);

// Sets `principal` on an outgoing call, signed for `audience`, expiring
// after `ttl` or at the call's deadline, whichever is sooner. Set the
// deadline first.
void AttachSignedPrincipal(grpc::ClientContext* context, const Principal& principal,
                           const PrincipalKey& key, absl::string_view audience,
                           absl::Duration ttl = kDefaultPrincipalTtl);

// A client interceptor for channels to one service: every outgoing
// x-helhed-principal that is a bare principal (as AttachPrincipal sets it)
// is replaced by its signed form (audience `audience`, expiring after `ttl`
// or at the call's deadline). Anything else in that key is left as it is
// (the service judges it). The gateway's backend channels and the demo
// loaders use it.
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> NewPrincipalSigner(
    std::shared_ptr<const PrincipalKey> key, std::string audience,
    absl::Duration ttl = kDefaultPrincipalTtl);

// For tools that call one service directly (the demo loaders): a plaintext
// channel to `target` that signs, for `audience`, the principal attached to
// each call, with the key in `key_file` (when empty: the file named by
// HELHED_PRINCIPAL_KEY_FILE). NOT_FOUND/INVALID_ARGUMENT for a missing key.
absl::StatusOr<std::shared_ptr<grpc::Channel>> NewSigningChannel(const std::string& target,
                                                                 std::string key_file,
                                                                 const std::string& audience);

}  // namespace helhed::auth

#endif  // HELHED_COMMON_AUTH_PRINCIPAL_TOKEN_H_
