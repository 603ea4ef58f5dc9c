// Parses store URLs:
//   sqlite:///abs/path/plans.db     (or sqlite://relative/path.db)
//   mysql://user:password@host:3306/database   (user and password may be
//                                               percent-encoded)
#ifndef HELHED_COMMON_STORE_STORE_URL_H_
#define HELHED_COMMON_STORE_STORE_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/connection.h"

namespace helhed::store {

struct StoreUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string path;  // SQLite file
  std::string user;  // MySQL
  std::string password;
  std::string host;
  int port = 3306;
  std::string database;

  // The URL with the password masked, for logs.
  std::string Redacted() const;
};

absl::StatusOr<StoreUrl> ParseStoreUrl(absl::string_view url);

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_STORE_URL_H_
