// SQLite driver: one database file per service, WAL journal, synchronous
// FULL (a committed transaction survives a crash), BEGIN IMMEDIATE for
// writes so that check-then-write transactions serialise.
#ifndef HELHED_COMMON_STORE_SQLITE_SQLITE_CONNECTION_H_
#define HELHED_COMMON_STORE_SQLITE_SQLITE_CONNECTION_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "common/store/connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace helhed::store {

// Not thread-safe: the pool lends it to one thread at a time.
class SqliteConnection final : public Connection {
 public:
  ~SqliteConnection() override;

  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          int busy_timeout_ms);

  Dialect dialect() const override { return Dialect::kSqlite; }
  absl::StatusOr<Rows> Query(absl::string_view sql, const Params& params) override;
  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override;
  absl::Status ExecuteScript(absl::string_view sql) override;
  absl::Status Begin(bool write) override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  absl::Status Ping() override;
  bool broken() const override { return broken_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql, const Params& params);
  absl::Status Error(int rc, absl::string_view what);

  sqlite3* db_;
  bool broken_ = false;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_SQLITE_SQLITE_CONNECTION_H_
