#include "common/auth/principal_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace helhed::auth {
namespace {

constexpr absl::string_view kMacDomain = "helhed-principal-v1\n";
constexpr size_t kMinKeyBytes = 32;
constexpr size_t kMaxTokenBytes = 8192;

bool IsAudienceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

absl::Time ExpiryFor(const grpc::ClientContext& context, absl::Duration ttl) {
  absl::Time expiry = absl::Now() + std::min(ttl, kMaxPrincipalTtl);
  const auto deadline = context.deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    expiry = std::min(expiry, absl::FromChrono(deadline));
  }
  return expiry;
}

class SigningInterceptor final : public grpc::experimental::Interceptor {
 public:
  SigningInterceptor(grpc::experimental::ClientRpcInfo* info, const PrincipalKey* key,
                     const std::string* audience, absl::Duration ttl)
      : info_(info), key_(key), audience_(audience), ttl_(ttl) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      auto it = md->find(kPrincipalMetadataKey);
      if (it != md->end() && it->second.find('.') == std::string::npos) {
        auto principal = DecodePrincipal(it->second);
        if (principal.ok()) {
          it->second =
              key_->Sign(*principal, *audience_, ExpiryFor(*info_->client_context(), ttl_));
        }
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ClientRpcInfo* info_;
  const PrincipalKey* key_;
  const std::string* audience_;
  const absl::Duration ttl_;
};

class SigningFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  SigningFactory(std::shared_ptr<const PrincipalKey> key, std::string audience, absl::Duration ttl)
      : key_(std::move(key)), audience_(std::move(audience)), ttl_(ttl) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new SigningInterceptor(info, key_.get(), &audience_, ttl_);
  }

 private:
  std::shared_ptr<const PrincipalKey> key_;
  const std::string audience_;
  const absl::Duration ttl_;
};

}  // namespace

bool IsAudienceList(absl::string_view audiences) {
  if (audiences.empty()) return false;
  for (absl::string_view a : absl::StrSplit(audiences, '+')) {
    if (a.empty() || a.size() > 64 || !std::all_of(a.begin(), a.end(), IsAudienceChar)) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<PrincipalKey> PrincipalKey::FromBytes(std::string key) {
  if (key.size() < kMinKeyBytes) {
    return absl::InvalidArgumentError("the principal key must be at least 32 bytes");
  }
  return PrincipalKey(std::move(key));
}

absl::StatusOr<PrincipalKey> PrincipalKey::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read the principal key file ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto key = FromBytes(ss.str());
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the principal key file ", path, " must hold at least 32 bytes"));
  }
  return key;
}

std::string PrincipalKey::Mac(absl::string_view signed_part) const {
  const std::string input = absl::StrCat(kMacDomain, signed_part);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len);
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::string PrincipalKey::Sign(const Principal& principal, absl::string_view audiences,
                               absl::Time expiry) const {
  const std::string signed_part =
      absl::StrCat(EncodePrincipal(principal), ".", audiences, ".", absl::ToUnixMillis(expiry));
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(Mac(signed_part)));
}

absl::StatusOr<Principal> PrincipalKey::Verify(absl::string_view token, absl::string_view audience,
                                               absl::Time now) const {
  if (token.size() > kMaxTokenBytes) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.too_large"));
  }
  const size_t last_dot = token.rfind('.');
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 4 || last_dot == absl::string_view::npos) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.not_signed"));
  }
  std::string mac;
  if (!absl::WebSafeBase64Unescape(parts[3], &mac) || mac.size() != 32) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.not_signed"));
  }
  const std::string expected = Mac(token.substr(0, last_dot));
  if (CRYPTO_memcmp(expected.data(), mac.data(), expected.size()) != 0) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.bad_signature"));
  }
  bool for_us = false;
  for (absl::string_view a : absl::StrSplit(parts[1], '+')) {
    if (a == audience) for_us = true;
  }
  if (!for_us) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.other_service"));
  }
  int64_t expiry_ms = 0;
  if (!absl::SimpleAtoi(parts[2], &expiry_ms)) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.no_expiry"));
  }
  if (now > absl::FromUnixMillis(expiry_ms) + kPrincipalClockLeeway) {
    return TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.expired"));
  }
  return DecodePrincipal(parts[0]);
}

void AttachSignedPrincipal(grpc::ClientContext* context, const Principal& principal,
                           const PrincipalKey& key, absl::string_view audience,
                           absl::Duration ttl) {
  context->AddMetadata(kPrincipalMetadataKey,
                       key.Sign(principal, audience, ExpiryFor(*context, ttl)));
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> NewPrincipalSigner(
    std::shared_ptr<const PrincipalKey> key, std::string audience, absl::Duration ttl) {
  return std::make_unique<SigningFactory>(std::move(key), std::move(audience), ttl);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> NewSigningChannel(const std::string& target,
                                                                 std::string key_file,
                                                                 const std::string& audience) {
  if (key_file.empty()) {
    const char* env = std::getenv("HELHED_PRINCIPAL_KEY_FILE");
    if (env != nullptr) key_file = env;
  }
  if (key_file.empty()) {
    return absl::InvalidArgumentError(
        "the principal key file is required (--principal-key-file or HELHED_PRINCIPAL_KEY_FILE)");
  }
  auto key = PrincipalKey::FromFile(key_file);
  if (!key.ok()) return key.status();
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> signers;
  signers.push_back(
      NewPrincipalSigner(std::make_shared<const PrincipalKey>(*std::move(key)), audience));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, grpc::InsecureChannelCredentials(), grpc::ChannelArguments(), std::move(signers));
}

}  // namespace helhed::auth
