#include "services/gateway/auth/jwt_verifier.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/status/validation.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/policy/policy.h"

namespace helhed::gateway {
namespace {

// Bounds on what we are willing to parse at all.
constexpr size_t kMaxTokenBytes = 16 * 1024;
constexpr size_t kMaxSubjectChars = 128;
constexpr size_t kMaxOrgUnitBytes = 200;
// Larger than any real NumericDate; keeps the conversion to absl::Time sane.
constexpr double kMaxNumericDate = 1e13;

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

struct MallocDeleter {
  void operator()(char* p) const { std::free(p); }
};
using CString = std::unique_ptr<char, MallocDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Never prompt for a passphrase (OpenSSL's default callback reads the tty).
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return -1; }

enum class KeyKind { kRsa, kEcP256, kOther };

KeyKind KindOf(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) return KeyKind::kRsa;
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof(group), &len) == 1 &&
        (std::string(group) == "prime256v1" || std::string(group) == "P-256")) {
      return KeyKind::kEcP256;
    }
  }
  return KeyKind::kOther;
}

PkeyPtr ReadPublicKey(const std::string& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return nullptr;
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
}

PkeyPtr ReadPrivateKey(const std::string& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return nullptr;
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
}

}  // namespace

// A key file as read: its PEM text (for libjwt) and the key parsed once (for
// the signature check before libjwt), used read-only by any number of
// threads.
struct JwtKey {
  std::string pem;
  PkeyPtr pkey;
  KeyKind kind;
};

namespace {

struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// The signature of `signing_input` ("header.payload" as sent) under `key`
// by `alg`: RS256 (RSASSA-PKCS1-v1_5 with SHA-256) or ES256 (ECDSA P-256
// with SHA-256; JWS sends R and S as 32 bytes each, OpenSSL takes DER).
bool SignatureVerifies(EVP_PKEY* key, jwt_alg_t alg, absl::string_view signing_input,
                       const std::string& signature) {
  const unsigned char* sig = reinterpret_cast<const unsigned char*>(signature.data());
  size_t sig_len = signature.size();
  std::string der;
  if (alg == JWT_ALG_ES256) {
    if (signature.size() != 64) return false;
    BIGNUM* r = BN_bin2bn(sig, 32, nullptr);
    BIGNUM* s = BN_bin2bn(sig + 32, 32, nullptr);
    std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> ecdsa(ECDSA_SIG_new());
    if (r == nullptr || s == nullptr || ecdsa == nullptr ||
        ECDSA_SIG_set0(ecdsa.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    const int n = i2d_ECDSA_SIG(ecdsa.get(), nullptr);  // r and s are the signature's now
    if (n <= 0) return false;
    der.resize(static_cast<size_t>(n));
    unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
    i2d_ECDSA_SIG(ecdsa.get(), &out);
    sig = reinterpret_cast<const unsigned char*>(der.data());
    sig_len = der.size();
  } else if (alg != JWT_ALG_RS256) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), sig, sig_len,
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
  if (!ok) ERR_clear_error();  // a forged token leaves nothing in this thread's queue
  return ok;
}

// The keys of every "*.pem" in `dir` by kid, each checked to be an RSA
// (>= 2048 bits) or EC P-256 public key.
absl::StatusOr<std::map<std::string, std::shared_ptr<const JwtKey>>> LoadKeys(
    const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWT keys directory ", dir, ": cannot read: ", ec.message()));
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : it) {
    if (entry.path().extension() != ".pem") continue;
    std::error_code type_ec;
    if (!entry.is_regular_file(type_ec)) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWT keys directory ", dir, ": no *.pem public key"));
  }
  std::map<std::string, std::shared_ptr<const JwtKey>> keys;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in.is_open()) {
      return absl::InvalidArgumentError(absl::StrCat("JWT key ", file.string(), ": cannot read"));
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    std::string pem = contents.str();
    PkeyPtr key = ReadPublicKey(pem);
    if (key == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWT key ", file.string(), ": not a PEM public key"));
    }
    const KeyKind kind = KindOf(key.get());
    if (kind == KeyKind::kOther) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWT key ", file.string(), ": neither an RSA nor an EC P-256 key"));
    }
    if (kind == KeyKind::kRsa && EVP_PKEY_get_bits(key.get()) < 2048) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWT key ", file.string(), ": RSA key shorter than 2048 bits"));
    }
    std::string kid = file.stem().string();
    if (kid.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("JWT key ", file.string(), ": empty kid"));
    }
    keys.emplace(std::move(kid),
                 std::make_shared<const JwtKey>(JwtKey{std::move(pem), std::move(key), kind}));
  }
  return keys;
}

// Parses a JSON object; false when `json` is not one.
bool ParseObject(const std::string& json, google::protobuf::Struct* out) {
  return google::protobuf::util::JsonStringToMessage(json, out).ok();
}

// Parses any JSON value (as libjwt's jwt_get_grants_json returns it).
bool ParseValue(const std::string& json, google::protobuf::Value* out) {
  return google::protobuf::util::JsonStringToMessage(json, out).ok();
}

bool DecodeSegment(absl::string_view segment, std::string* out) {
  if (segment.empty()) return false;
  // Unpadded base64url only, as RFC 7515 requires, and in its one canonical
  // form (no stray bits in the last character): one token, one spelling.
  for (const char c : segment) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  if (!absl::WebSafeBase64Unescape(segment, out)) return false;
  std::string again;
  absl::WebSafeBase64Escape(*out, &again);
  return again == segment;
}

// A grant as parsed JSON; false when absent (or unparseable).
bool GetGrant(jwt_t* jwt, const char* name, google::protobuf::Value* out) {
  CString json(jwt_get_grants_json(jwt, name));
  if (json == nullptr) return false;
  return ParseValue(json.get(), out);
}

// A NumericDate grant (seconds since the epoch; fractions are dropped).
// false when absent or not a number.
bool GetNumericDate(jwt_t* jwt, const char* name, absl::Time* out) {
  google::protobuf::Value v;
  if (!GetGrant(jwt, name, &v) || v.kind_case() != google::protobuf::Value::kNumberValue) {
    return false;
  }
  const double seconds = v.number_value();
  if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxNumericDate) return false;
  *out = absl::FromUnixSeconds(static_cast<int64_t>(std::floor(seconds)));
  return true;
}

// A string grant; false when absent or not a string.
bool GetString(jwt_t* jwt, const char* name, std::string* out) {
  google::protobuf::Value v;
  if (!GetGrant(jwt, name, &v) || v.kind_case() != google::protobuf::Value::kStringValue) {
    return false;
  }
  *out = v.string_value();
  return true;
}

bool IsMunicipalityCode(const std::string& s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

// A JSON string literal of `s` (UTF-8 passes through).
std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += absl::StrCat("\\u00", absl::Hex(u, absl::kZeroPad2));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

VerifyResult Fail(AuthFailure f) {
  VerifyResult r;
  r.ok = false;
  r.failure = f;
  return r;
}

}  // namespace

const char* AuthFailureName(AuthFailure f) {
  switch (f) {
    case AuthFailure::kMissing:
      return "missing";
    case AuthFailure::kMalformed:
      return "malformed";
    case AuthFailure::kAlgorithm:
      return "algorithm";
    case AuthFailure::kUnknownKey:
      return "unknown_key";
    case AuthFailure::kSignature:
      return "signature";
    case AuthFailure::kExpired:
      return "expired";
    case AuthFailure::kNotYetValid:
      return "not_yet_valid";
    case AuthFailure::kIssuer:
      return "issuer";
    case AuthFailure::kAudience:
      return "audience";
    case AuthFailure::kClaims:
      return "claims";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(const JwtConfig& config) {
  std::unique_ptr<JwtVerifier> verifier(new JwtVerifier(config));
  absl::Status status = verifier->Reload();
  if (!status.ok()) return status;
  return verifier;
}

absl::Status JwtVerifier::Reload() {
  auto keys = LoadKeys(config_.keys_dir);
  if (!keys.ok()) return keys.status();  // the keys in use stay
  {
    absl::MutexLock lock(&mu_);
    keys_ = *std::move(keys);
  }
  absl::MutexLock lock(&cache_mu_);
  verified_.clear();  // a removed key's tokens must be checked again
  return absl::OkStatus();
}

int JwtVerifier::key_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return static_cast<int>(keys_.size());
}

VerifyResult JwtVerifier::Verify(const std::string& authorization, absl::Time now) const {
  // "Bearer <token>" (the scheme is case-insensitive, RFC 6750 / 7235).
  constexpr absl::string_view kScheme = "bearer ";
  absl::string_view auth = authorization;
  if (auth.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(auth.substr(0, kScheme.size()), kScheme)) {
    return Fail(AuthFailure::kMissing);
  }
  const absl::string_view token_view = absl::StripAsciiWhitespace(auth.substr(kScheme.size()));
  if (token_view.empty()) return Fail(AuthFailure::kMissing);
  if (token_view.size() > kMaxTokenBytes) return Fail(AuthFailure::kMalformed);
  const std::string token(token_view);

  // A token verified before: only its time window is checked again.
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = verified_.find(token);
    if (it != verified_.end()) {
      if (!(now < it->second.exp + config_.leeway)) return Fail(AuthFailure::kExpired);
      if (now < it->second.nbf - config_.leeway) return Fail(AuthFailure::kNotYetValid);
      VerifyResult hit;
      hit.ok = true;
      hit.principal = it->second.principal;
      return hit;
    }
  }
  Verified v;
  VerifyResult result = VerifyToken(token, now, &v.exp, &v.nbf);
  if (result.ok) {
    v.principal = result.principal;
    absl::MutexLock lock(&cache_mu_);
    if (verified_.size() >= kMaxCachedTokens) verified_.clear();  // bounded; refills
    verified_.emplace(token, std::move(v));
  }
  return result;
}

VerifyResult JwtVerifier::VerifyToken(const std::string& token, absl::Time now, absl::Time* exp_out,
                                      absl::Time* nbf_out) const {
  const absl::string_view token_view = token;

  // Header first, by hand: the alg is checked and the kid chosen before any
  // key is given to libjwt.
  const std::vector<absl::string_view> parts = absl::StrSplit(token_view, '.');
  if (parts.size() != 3) return Fail(AuthFailure::kMalformed);
  std::string header_json, payload_json;
  if (!DecodeSegment(parts[0], &header_json) || !DecodeSegment(parts[1], &payload_json)) {
    return Fail(AuthFailure::kMalformed);
  }
  google::protobuf::Struct header, payload;
  if (!ParseObject(header_json, &header) || !ParseObject(payload_json, &payload)) {
    return Fail(AuthFailure::kMalformed);
  }
  const auto alg_it = header.fields().find("alg");
  if (alg_it == header.fields().end() ||
      alg_it->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Fail(AuthFailure::kAlgorithm);
  }
  jwt_alg_t alg;
  if (alg_it->second.string_value() == "RS256") {
    alg = JWT_ALG_RS256;
  } else if (alg_it->second.string_value() == "ES256") {
    alg = JWT_ALG_ES256;
  } else {
    return Fail(AuthFailure::kAlgorithm);  // none, HS*, and everything else
  }
  // An unsigned ("alg":"RS256" with no signature) token never reaches libjwt.
  if (parts[2].empty()) return Fail(AuthFailure::kSignature);
  // Nor does a signature that is not strict base64url: libjwt's decoder
  // skips characters it does not know, so a valid token with a stray byte
  // in its signature verified (found by tests/fuzz/gateway_parsers_fuzz).
  std::string signature;
  if (!DecodeSegment(parts[2], &signature)) return Fail(AuthFailure::kMalformed);

  const auto kid_it = header.fields().find("kid");
  if (kid_it == header.fields().end() ||
      kid_it->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Fail(AuthFailure::kUnknownKey);
  }
  const std::string& kid = kid_it->second.string_value();
  std::shared_ptr<const JwtKey> key;
  {
    absl::ReaderMutexLock lock(&mu_);
    const auto key_it = keys_.find(kid);
    if (key_it == keys_.end()) return Fail(AuthFailure::kUnknownKey);
    key = key_it->second;
  }
  // libjwt 1.10 decodes *without verifying* when given no key; never let
  // that happen.
  if (key == nullptr || key->pem.empty() || key->pkey == nullptr) {
    return Fail(AuthFailure::kUnknownKey);
  }

  // The signature, with the key parsed once at load: a forged token costs
  // one public-key operation here and never reaches libjwt, which parses
  // the PEM again on every decode (~0.6 ms; docs/PERFORMANCE.md). libjwt
  // then checks it again below.
  const bool key_fits =
      alg == JWT_ALG_RS256 ? key->kind == KeyKind::kRsa : key->kind == KeyKind::kEcP256;
  if (!key_fits ||
      !SignatureVerifies(key->pkey.get(), alg,
                         token_view.substr(0, parts[0].size() + 1 + parts[1].size()), signature)) {
    return Fail(AuthFailure::kSignature);
  }

  jwt_t* raw = nullptr;
  const int rc =
      jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key->pem.data()),
                 static_cast<int>(key->pem.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return Fail(AuthFailure::kSignature);
  // Belt and braces: libjwt must have verified with the alg we allowed and
  // the kid we chose.
  if (jwt_get_alg(jwt.get()) != alg) return Fail(AuthFailure::kAlgorithm);
  const char* decoded_kid = jwt_get_header(jwt.get(), "kid");
  if (decoded_kid == nullptr || kid != decoded_kid) return Fail(AuthFailure::kUnknownKey);

  // Time.
  absl::Time exp;
  if (!GetNumericDate(jwt.get(), "exp", &exp)) return Fail(AuthFailure::kExpired);
  if (!(now < exp + config_.leeway)) return Fail(AuthFailure::kExpired);
  *exp_out = exp;
  *nbf_out = absl::InfinitePast();
  google::protobuf::Value ignored;
  if (GetGrant(jwt.get(), "nbf", &ignored)) {
    absl::Time nbf;
    if (!GetNumericDate(jwt.get(), "nbf", &nbf)) return Fail(AuthFailure::kNotYetValid);
    if (now < nbf - config_.leeway) return Fail(AuthFailure::kNotYetValid);
    *nbf_out = nbf;
  }

  // Issuer and audience.
  std::string iss;
  if (!GetString(jwt.get(), "iss", &iss) || iss != config_.issuer) {
    return Fail(AuthFailure::kIssuer);
  }
  google::protobuf::Value aud;
  bool audience_ok = false;
  if (GetGrant(jwt.get(), "aud", &aud)) {
    if (aud.kind_case() == google::protobuf::Value::kStringValue) {
      audience_ok = aud.string_value() == config_.audience;
    } else if (aud.kind_case() == google::protobuf::Value::kListValue) {
      for (const google::protobuf::Value& v : aud.list_value().values()) {
        if (v.kind_case() == google::protobuf::Value::kStringValue &&
            v.string_value() == config_.audience) {
          audience_ok = true;
          break;
        }
      }
    }
  }
  if (!audience_ok) return Fail(AuthFailure::kAudience);

  // The principal.
  VerifyResult result;
  std::string sub;
  if (!GetString(jwt.get(), "sub", &sub) || sub.empty() || sub.size() > kMaxSubjectChars) {
    return Fail(AuthFailure::kClaims);
  }
  std::string municipality;
  if (!GetString(jwt.get(), "municipality", &municipality) || !IsMunicipalityCode(municipality)) {
    return Fail(AuthFailure::kClaims);
  }
  google::protobuf::Value roles;
  if (!GetGrant(jwt.get(), "roles", &roles) ||
      roles.kind_case() != google::protobuf::Value::kListValue) {
    return Fail(AuthFailure::kClaims);
  }
  std::set<int> seen;
  for (const google::protobuf::Value& v : roles.list_value().values()) {
    if (v.kind_case() != google::protobuf::Value::kStringValue) continue;
    const helhed::common::v1::Role role = RoleFromName(v.string_value());
    if (role == helhed::common::v1::ROLE_UNSPECIFIED) continue;  // unknown: ignored
    if (seen.insert(role).second) result.principal.add_roles(role);
  }
  if (result.principal.roles().empty()) return Fail(AuthFailure::kClaims);

  // Optional: the caller's organisation unit, told to citizens who ask who
  // looked at their data. A bad one is dropped, not fatal.
  std::string org_unit;
  if (GetString(jwt.get(), "org_unit", &org_unit) && !org_unit.empty() &&
      org_unit.size() <= kMaxOrgUnitBytes && Utf8Length(org_unit) > 0) {
    result.principal.set_organisation_unit(org_unit);
  }
  result.principal.set_subject(sub);
  result.principal.set_municipality_code(municipality);
  result.ok = true;
  return result;
}

absl::StatusOr<std::string> MintToken(const MintOptions& options) {
  PkeyPtr key = ReadPrivateKey(options.private_key_pem);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  jwt_alg_t alg;
  switch (KindOf(key.get())) {
    case KeyKind::kRsa:
      alg = JWT_ALG_RS256;
      break;
    case KeyKind::kEcP256:
      alg = JWT_ALG_ES256;
      break;
    default:
      return absl::InvalidArgumentError("the private key is neither RSA nor EC P-256");
  }
  if (options.kid.empty()) return absl::InvalidArgumentError("kid is empty");

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0 || raw == nullptr) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);

  const int64_t iat = absl::ToUnixSeconds(options.issued_at);
  const int64_t exp = absl::ToUnixSeconds(options.issued_at + options.lifetime);
  std::string roles_json = "{\"roles\":[";
  for (size_t i = 0; i < options.roles.size(); ++i) {
    if (i > 0) roles_json += ",";
    roles_json += JsonString(options.roles[i]);
  }
  roles_json += "]}";

  int rc = 0;
  rc |= jwt_add_header(jwt.get(), "kid", options.kid.c_str());
  rc |= jwt_add_grant(jwt.get(), "iss", options.issuer.c_str());
  rc |= jwt_add_grant(jwt.get(), "aud", options.audience.c_str());
  rc |= jwt_add_grant(jwt.get(), "sub", options.subject.c_str());
  rc |= jwt_add_grant(jwt.get(), "municipality", options.municipality.c_str());
  if (!options.org_unit.empty()) {
    rc |= jwt_add_grant(jwt.get(), "org_unit", options.org_unit.c_str());
  }
  rc |= jwt_add_grants_json(jwt.get(), roles_json.c_str());
  rc |= jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(iat));
  rc |= jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(exp));
  if (options.not_before != absl::InfinitePast()) {
    rc |= jwt_add_grant_int(jwt.get(), "nbf",
                            static_cast<long>(absl::ToUnixSeconds(options.not_before)));
  }
  if (rc != 0) return absl::InvalidArgumentError("cannot set the token's claims");
  if (jwt_set_alg(jwt.get(), alg,
                  reinterpret_cast<const unsigned char*>(options.private_key_pem.data()),
                  static_cast<int>(options.private_key_pem.size())) != 0) {
    return absl::InternalError("jwt_set_alg failed");
  }
  CString token(jwt_encode_str(jwt.get()));
  if (token == nullptr) return absl::InternalError("signing the token failed");
  return std::string(token.get());
}

}  // namespace helhed::gateway
