// Keyset pagination shared by every List RPC: page sizes and opaque,
// tamper-checked page tokens.
//
// A token carries the sequence number of the last row returned and an
// HMAC-SHA256 over it and the request's filters ("scope"), so a token that
// was altered, or reused with other filters, is refused with
// INVALID_ARGUMENT on page.page_token. Replicas must share the key.
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
class PageTokens {
 public:
  // An empty key picks a random one (tokens then die with the process).
  explicit PageTokens(std::string key);

  std::string Encode(absl::string_view scope, int64_t after_seq) const;
  // 0 for an empty token (first page).
  absl::StatusOr<int64_t> Decode(absl::string_view scope, absl::string_view token,
                                 absl::string_view field = "page.page_token") const;

 private:
  std::string Mac(absl::string_view scope, int64_t after_seq) const;
  std::string key_;
};

// A new random, URL-safe id (20 characters, 120 bits).
std::string NewId();

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_PAGING_H_
