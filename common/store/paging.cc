#include "common/store/paging.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_violations.h"

namespace helhed::store {

absl::StatusOr<int> PageSize(int requested, absl::string_view field) {
  if (requested == 0) {
    return kDefaultPageSize;
  }
  if (requested < 0 || requested > kMaxPageSize) {
    return InvalidField(
        std::string(field),
        i18n::Later("validation.page.size", {{"max", absl::StrCat(kMaxPageSize)},
                                             {"default", absl::StrCat(kDefaultPageSize)}}));
  }
  return requested;
}

namespace {

constexpr char kTokenVersion = 2;
constexpr size_t kSivSize = 16;
constexpr size_t kSeqSize = 8;

std::string HmacSha256(absl::string_view key, absl::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// A field of the MAC'd input, length-prefixed so that no two
// (municipality, scope) pairs run together into the same bytes.
void AppendField(std::string* out, absl::string_view field) {
  const uint32_t n = static_cast<uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out->append(field.data(), field.size());
}

}  // namespace

PageTokens::PageTokens(std::string key) {
  if (key.empty()) {
    key.resize(32);
    RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size()));
  }
  // Separate subkeys for the MAC and the cipher, derived from the one
  // configured key (HMAC-SHA256 as a PRF under distinct labels).
  mac_key_ = HmacSha256(key, "helhed page token v2: mac");
  enc_key_ = HmacSha256(key, "helhed page token v2: aes-256-ctr");
}

std::string PageTokens::Siv(absl::string_view municipality, absl::string_view scope,
                            const std::string& plain) const {
  std::string msg;
  AppendField(&msg, municipality);
  AppendField(&msg, scope);
  AppendField(&msg, plain);
  return HmacSha256(mac_key_, msg).substr(0, kSivSize);
}

std::string PageTokens::Ctr(const std::string& iv, const std::string& in) const {
  std::string out(in.size(), '\0');
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  int len = 0;
  int tail = 0;
  const bool ok = ctx != nullptr &&
                  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr,
                                     reinterpret_cast<const unsigned char*>(enc_key_.data()),
                                     reinterpret_cast<const unsigned char*>(iv.data())) == 1 &&
                  EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                                    reinterpret_cast<const unsigned char*>(in.data()),
                                    static_cast<int>(in.size())) == 1 &&
                  EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len,
                                      &tail) == 1;
  if (!ok) {
    return std::string();
  }
  return out;
}

std::string PageTokens::Encode(absl::string_view municipality, absl::string_view scope,
                               int64_t after_seq) const {
  std::string plain(kSeqSize, '\0');
  const uint64_t seq = static_cast<uint64_t>(after_seq);
  for (size_t i = 0; i < kSeqSize; ++i) {
    plain[i] = static_cast<char>((seq >> (8 * (kSeqSize - 1 - i))) & 0xff);
  }
  const std::string siv = Siv(municipality, scope, plain);
  const std::string sealed = Ctr(siv, plain);
  if (sealed.size() != kSeqSize) {
    // Cannot happen with a working OpenSSL; no token then means no next page
    // rather than a readable one.
    return std::string();
  }
  return absl::WebSafeBase64Escape(absl::StrCat(std::string(1, kTokenVersion), siv, sealed));
}

absl::StatusOr<int64_t> PageTokens::Decode(absl::string_view municipality, absl::string_view scope,
                                           absl::string_view token, absl::string_view field) const {
  if (token.empty()) {
    return 0;
  }
  std::string raw;
  // One spelling per token: base64 that decodes but is not the canonical
  // encoding (e.g. stray low bits in the last character) is refused.
  if (token.size() > 200 || !absl::WebSafeBase64Unescape(token, &raw) ||
      absl::WebSafeBase64Escape(raw) != token || raw.size() != 1 + kSivSize + kSeqSize ||
      raw[0] != kTokenVersion) {
    return InvalidField(std::string(field), i18n::Later("validation.page.token"));
  }
  const std::string siv = raw.substr(1, kSivSize);
  const std::string plain = Ctr(siv, raw.substr(1 + kSivSize));
  const std::string expected = plain.size() == kSeqSize ? Siv(municipality, scope, plain) : "";
  uint64_t seq = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    seq = (seq << 8) | static_cast<unsigned char>(plain[i]);
  }
  if (expected.size() != kSivSize || CRYPTO_memcmp(expected.data(), siv.data(), kSivSize) != 0 ||
      seq == 0 || seq > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidField(std::string(field), i18n::Later("validation.page.token_tampered"));
  }
  return static_cast<int64_t>(seq);
}

std::string NewId() {
  unsigned char bytes[15];
  RAND_bytes(bytes, sizeof(bytes));
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace helhed::store
