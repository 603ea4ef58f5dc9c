// The driver interface: one open connection to one database.
#ifndef HELHED_COMMON_STORE_CONNECTION_H_
#define HELHED_COMMON_STORE_CONNECTION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/value.h"

namespace helhed::store {

enum class Dialect { kSqlite, kMysql };

// A connection is used by one thread at a time (the pool guarantees it) and
// is not thread-safe. SQL uses `?` placeholders only; values are always bound,
// never spliced into the text. Drivers cache prepared statements per SQL text.
//
// Errors a driver returns, whatever the engine:
//   ALREADY_EXISTS  a unique key was violated
//   ABORTED         deadlock, lock wait timeout or busy database: retry the
//                   whole transaction
//   UNAVAILABLE     the server cannot be reached or the connection was lost
//                   (broken() is then true)
//   INTERNAL        anything else (bad SQL, ...)
class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one statement with `params` bound to its placeholders in order and
  // returns its rows (empty for statements without a result).
  virtual absl::StatusOr<Rows> Query(absl::string_view sql, const Params& params) = 0;

  // Runs one statement and returns the number of rows it changed.
  virtual absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) = 0;

  // Runs statements separated by ';' with no parameters (migrations).
  virtual absl::Status ExecuteScript(absl::string_view sql) = 0;

  // Starts a transaction. `write` takes the write lock up front where the
  // engine has one (SQLite: BEGIN IMMEDIATE).
  virtual absl::Status Begin(bool write) = 0;
  virtual absl::Status Commit() = 0;
  virtual absl::Status Rollback() = 0;

  // A cheap round trip that fails when the database is unreachable.
  virtual absl::Status Ping() = 0;

  // True once the connection is unusable; the pool then discards it.
  virtual bool broken() const = 0;
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_CONNECTION_H_
