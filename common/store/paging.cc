#include "common/store/paging.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

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
    return InvalidField(std::string(field), absl::StrCat("must be between 1 and ", kMaxPageSize,
                                                         " (0 for ", kDefaultPageSize, ")"));
  }
  return requested;
}

PageTokens::PageTokens(std::string key) : key_(std::move(key)) {
  if (key_.empty()) {
    key_.resize(32);
    RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), static_cast<int>(key_.size()));
  }
}

std::string PageTokens::Mac(absl::string_view scope, int64_t after_seq) const {
  const std::string msg = absl::StrCat(scope, "\n", after_seq);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), 16);
}

std::string PageTokens::Encode(absl::string_view scope, int64_t after_seq) const {
  return absl::WebSafeBase64Escape(absl::StrCat(after_seq, ".", Mac(scope, after_seq)));
}

absl::StatusOr<int64_t> PageTokens::Decode(absl::string_view scope, absl::string_view token,
                                           absl::string_view field) const {
  if (token.empty()) {
    return 0;
  }
  std::string raw;
  int64_t seq = 0;
  if (token.size() > 200 || !absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidField(std::string(field), "is not a page token of this list");
  }
  const size_t dot = raw.find('.');
  if (dot == std::string::npos || !absl::SimpleAtoi(raw.substr(0, dot), &seq) || seq <= 0 ||
      raw.substr(dot + 1) != Mac(scope, seq)) {
    return InvalidField(std::string(field),
                        "is not a page token of this list (tampered, or the filters changed)");
  }
  return seq;
}

std::string NewId() {
  unsigned char bytes[15];
  RAND_bytes(bytes, sizeof(bytes));
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace helhed::store
