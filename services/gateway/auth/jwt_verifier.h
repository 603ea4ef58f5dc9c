// Verifies the callers' bearer tokens (JWT, RS256 or ES256) with libjwt and
// turns them into a Principal. Thread-safe after construction.
//
// Keys: every "*.pem" public key (RSA or EC, PEM "PUBLIC KEY") in a
// directory; a key's `kid` is its file name without ".pem" (so keys rotate
// by adding a file and, later, removing the old one; Reload() re-reads the
// directory).
//
// A token is accepted when: it has three parts; its header's alg is RS256 or
// ES256 (never none, never HMAC) and names a kid we have; the signature
// verifies with that key and alg; "exp" is present and now < exp + leeway;
// "nbf", when present, now >= nbf - leeway; "iss" equals the configured
// issuer; "aud" equals (or, as an array, contains) the configured audience;
// "sub" is non-empty (at most 128 characters); "municipality" is a
// three-digit code; "roles" is an array of role names ("caseworker",
// "volunteer_coordinator", "guide_coordinator", "housing_officer",
// "manager", "council_member", "auditor", "operations"); unknown role names
// are ignored, no known role at all is refused.
#ifndef HELHED_SERVICES_GATEWAY_AUTH_JWT_VERIFIER_H_
#define HELHED_SERVICES_GATEWAY_AUTH_JWT_VERIFIER_H_

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::gateway {

// Why a token was refused: a bounded metric label, never shown in detail to
// the caller.
enum class AuthFailure {
  kMissing,      // no "authorization: Bearer ..." metadata
  kMalformed,    // not three base64url parts / bad JSON
  kAlgorithm,    // alg none, HS*, or anything but RS256/ES256
  kUnknownKey,   // kid missing or not one of ours
  kSignature,    // does not verify with that key
  kExpired,      // exp missing or passed
  kNotYetValid,  // nbf in the future
  kIssuer,       // iss wrong or missing
  kAudience,     // aud wrong or missing
  kClaims,       // sub, municipality or roles missing or bad
};
// "missing", "malformed", "algorithm", "unknown_key", "signature", "expired",
// "not_yet_valid", "issuer", "audience", "claims".
const char* AuthFailureName(AuthFailure f);

// A public key as loaded: its PEM and the key parsed once (jwt_verifier.cc).
struct JwtKey;

struct JwtConfig {
  std::string keys_dir;
  std::string issuer;
  std::string audience;
  absl::Duration leeway = absl::Seconds(30);
};

struct VerifyResult {
  bool ok = false;
  AuthFailure failure = AuthFailure::kMissing;
  helhed::common::v1::Principal principal;
};

class JwtVerifier {
 public:
  // Fails (INVALID_ARGUMENT, naming the file) if the directory cannot be
  // read, holds no key, or a key does not parse.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(const JwtConfig& config);

  // `authorization` is the metadata value as sent ("Bearer <token>"), or
  // empty when absent.
  VerifyResult Verify(const std::string& authorization, absl::Time now) const;

  absl::Status Reload();
  int key_count() const;

 private:
  explicit JwtVerifier(JwtConfig config) : config_(std::move(config)) {}
  // The full check of a token not seen before; on success also its exp and
  // nbf (InfinitePast when absent).
  VerifyResult VerifyToken(const std::string& token, absl::Time now, absl::Time* exp,
                           absl::Time* nbf) const;

  JwtConfig config_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const JwtKey>> keys_ ABSL_GUARDED_BY(mu_);  // by kid

  // Tokens that passed the full check (signature, issuer, audience, claims),
  // exactly as sent: a repeat only has its time window checked again. The
  // signature check (libjwt re-reads the PEM key per call) dominates the
  // gateway's CPU otherwise. Bounded; cleared on Reload().
  struct Verified {
    helhed::common::v1::Principal principal;
    absl::Time exp;
    absl::Time nbf;
  };
  static constexpr size_t kMaxCachedTokens = 20000;
  mutable absl::Mutex cache_mu_;
  mutable std::unordered_map<std::string, Verified> verified_ ABSL_GUARDED_BY(cache_mu_);
};

// For scripts/dev-token and tests: signs a token with a PEM private key
// (RSA -> RS256, EC P-256 -> ES256). `kid` goes in the header.
struct MintOptions {
  std::string private_key_pem;
  std::string kid;
  std::string issuer;
  std::string audience;
  std::string subject;
  std::string municipality;
  std::vector<std::string> roles;  // role names as above
  std::string org_unit;            // "org_unit" claim; empty: none
  absl::Time issued_at;
  absl::Duration lifetime = absl::Hours(8);
  absl::Time not_before = absl::InfinitePast();  // InfinitePast: no nbf claim
};
absl::StatusOr<std::string> MintToken(const MintOptions& options);

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUTH_JWT_VERIFIER_H_
