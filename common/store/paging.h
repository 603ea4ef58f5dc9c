// Keyset pagination shared by every List RPC: page sizes and opaque,
// tamper-checked page tokens.
//
// A token carries the sequence number of the last row returned, encrypted,
// and bound to the caller's municipality and the request's filters
// ("scope"): a token that was altered, reused with other filters or replayed
// in another municipality is refused with INVALID_ARGUMENT on
// page.page_token, and nothing in it can be read without the key (not even
// the row number). Replicas must share the key.
#ifndef HELHED_COMMON_STORE_PAGING_H_
#define HELHED_COMMON_STORE_PAGING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace helhed::store {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// 0 -> kDefaultPageSize; 1..kMaxPageSize as is; anything else is
// INVALID_ARGUMENT naming `field`.
absl::StatusOr<int> PageSize(int requested, absl::string_view field = "page.page_size");

// Thread-safe (immutable).
//
// The construction is SIV-like deterministic authenticated encryption
// (docs/SECURITY.md, "Page tokens"): from the configured key two subkeys are
// derived with HMAC-SHA256; the token is base64url(version, siv, ciphertext)
// where siv = HMAC-SHA256(mac key, municipality, scope, sequence) cut to 16
// bytes and the ciphertext is the 8-byte sequence under AES-256-CTR with the
// siv as counter block. Decoding decrypts, recomputes the siv over the
// caller's municipality and scope and compares in constant time.
class PageTokens {
 public:
  // An empty key picks a random one (tokens then die with the process).
  explicit PageTokens(std::string key);

  // `municipality` is the caller's (from the principal); `scope` names the
  // list and its filters.
  std::string Encode(absl::string_view municipality, absl::string_view scope,
                     int64_t after_seq) const;
  // 0 for an empty token (first page).
  absl::StatusOr<int64_t> Decode(absl::string_view municipality, absl::string_view scope,
                                 absl::string_view token,
                                 absl::string_view field = "page.page_token") const;

 private:
  std::string Siv(absl::string_view municipality, absl::string_view scope,
                  const std::string& plain) const;
  // AES-256-CTR of 8 bytes under `iv` (encryption and decryption alike).
  std::string Ctr(const std::string& iv, const std::string& in) const;
  std::string mac_key_;
  std::string enc_key_;
};

// A new random, URL-safe id (20 characters, 120 bits).
std::string NewId();

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_PAGING_H_
