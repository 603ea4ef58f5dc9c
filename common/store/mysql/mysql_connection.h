// The MySQL driver of the store: one connection to a MySQL or MariaDB server
// through MySQL Connector/C++ 1.1 (the JDBC-style API of libmysqlcppconn).
//
// Callers use it through the Connection interface, obtained from
// OpenMysqlConnection() (declared in common/store/database.h):
//
//   HELHED_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
//                           OpenMysqlConnection(url, options));
//   HELHED_ASSIGN_OR_RETURN(Rows rows, conn->Query("SELECT id FROM t WHERE k = ?", {key}));
//
// The connector reports errors by throwing sql::SQLException; this driver
// catches every exception at its boundary and maps it once (see
// MysqlErrorStatus below), so nothing ever propagates out of it.
#ifndef HELHED_COMMON_STORE_MYSQL_MYSQL_CONNECTION_H_
#define HELHED_COMMON_STORE_MYSQL_MYSQL_CONNECTION_H_

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/statement.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/connection.h"
#include "common/store/database.h"
#include "common/store/store_url.h"
#include "common/store/value.h"

namespace helhed::store {

// One session with a MySQL/MariaDB server.
//
// Not thread-safe: the pool hands a connection to one thread at a time, and
// every method (broken() included) must be called by that thread only.
//
// The session runs with sql_mode STRICT_ALL_TABLES,NO_ZERO_DATE,
// NO_ENGINE_SUBSTITUTION, character set utf8mb4, autocommit on outside
// transactions, and READ COMMITTED isolation for write transactions. A
// read-only transaction (Begin(false)) runs at REPEATABLE READ with a
// consistent snapshot, so several queries in it see the same data. Execute()
// counts the rows an UPDATE matched (CLIENT_FOUND_ROWS), as SQLite does, not
// only those whose values changed.
//
// Columns read as: integer types (BIT and YEAR included) -> int64 (a BIGINT
// UNSIGNED above INT64_MAX -> its decimal text); FLOAT, DOUBLE, DECIMAL ->
// double; NULL -> Value(); anything else -> the column's bytes (text in
// utf8mb4, binary types byte for byte, dates as "YYYY-MM-DD hh:mm:ss[.ffffff]").
// GEOMETRY columns cannot be read (INTERNAL): select ST_AsText()/ST_AsWKB().
//
// Prepared statements are cached per SQL text (at most kMaxCachedStatements;
// the cache is emptied when full and whenever the connection breaks; a
// statement that fails is dropped from it). A query whose result columns
// changed in number since it was prepared (SELECT * after an ALTER TABLE) is
// prepared again and retried once.
//
// Errors (the Connection contract):
//   ALREADY_EXISTS  1062 ER_DUP_ENTRY, 1586 ER_DUP_ENTRY_WITH_KEY_NAME,
//                   1022 ER_DUP_KEY
//   ABORTED         1213 deadlock, 1205 lock wait timeout
//   UNAVAILABLE     connection refused/lost/killed, server shutdown (2002,
//                   2003, 2006, 2013, 2055, 1927, 1053, 4031) or any SQLSTATE
//                   of class 08; the connection is then broken()
//   INTERNAL        everything else; after 2014 (commands out of sync) and
//                   2027 (malformed packet) the connection is broken() too
// Status messages carry the operation, the MySQL error code, the SQLSTATE and
// the server's text with data values (the "Duplicate entry '...'" part and
// the like) replaced by <redacted>; never a bound value.
class MysqlConnection final : public Connection {
 public:
  // The session's lock wait timeout: shorter than the read timeout, so a
  // statement waiting on a row lock fails as ABORTED (retried by the
  // transaction helper) before the client gives up on the socket.
  static constexpr int kLockWaitTimeoutSeconds = 10;
  // Socket read/write timeouts of the client library.
  static constexpr int kReadWriteTimeoutSeconds = 30;
  // Most prepared statements kept per connection (the server has a global
  // limit, max_prepared_stmt_count).
  static constexpr size_t kMaxCachedStatements = 256;

  // Connects to url.host:url.port as url.user, selects url.database and sets
  // up the session. UNAVAILABLE when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<MysqlConnection>> Open(const StoreUrl& url,
                                                               const StoreOptions& options);

  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  // Closes the cached statements, then the connection. Never throws.
  ~MysqlConnection() override;

  Dialect dialect() const override { return Dialect::kMysql; }
  absl::StatusOr<Rows> Query(absl::string_view sql, const Params& params) override;
  // Returns the rows an INSERT, UPDATE or DELETE matched; 0 for a statement
  // that returns rows (they are read and dropped).
  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override;
  // Splits `sql` with SplitSqlScript and runs the pieces one by one (not
  // atomically: MySQL commits implicitly around DDL).
  absl::Status ExecuteScript(absl::string_view sql) override;
  absl::Status Begin(bool write) override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  absl::Status Ping() override;
  // True after an UNAVAILABLE error or once the connector reports the
  // connection closed. Cheap (no round trip); Ping() is the live check.
  bool broken() const override;

 private:
  explicit MysqlConnection(std::unique_ptr<sql::Connection> conn);

  // Runs the session set-up statements right after connecting.
  absl::Status InitSession();

  // Returns the cached prepared statement for `sql`, preparing it if needed.
  // Throws what the connector throws.
  sql::PreparedStatement* Prepare(const std::string& sql);

  // Binds `params` to `stmt`'s placeholders in order. Throws on a count
  // mismatch or what the connector throws.
  static void Bind(sql::PreparedStatement* stmt, const Params& params);

  // Runs one statement without parameters on the plain statement and drops
  // any result. Throws what the connector throws.
  void RunPlain(const std::string& sql);

  // Runs `sql` on the plain statement, mapping failures; for the one-line
  // entry points (Begin, Commit, Rollback, Ping).
  absl::Status RunPlainStatus(const char* sql, absl::string_view op);

  // Maps the exception being handled (call only inside a catch block) to a
  // status, marking the connection broken for UNAVAILABLE. The one place
  // where exceptions become statuses.
  absl::Status CurrentExceptionStatus(absl::string_view op) noexcept;

  // Drops the prepared statement for `sql` after it failed.
  void ForgetStatement(const std::string& sql) noexcept;

  // Closes and drops every cached prepared statement.
  void ClearStatements() noexcept;

  absl::Status BrokenStatus(absl::string_view op) const;

  std::unique_ptr<sql::Connection> conn_;
  // For statements without parameters (transactions, scripts, ping).
  std::unique_ptr<sql::Statement> plain_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  bool broken_ = false;
};

// The error mapping of the driver, exposed for tests: the status for MySQL
// error `error_code` with `sql_state` and server text `message`, from the
// operation `op` ("query", "execute", ...). Sets `*broken` (if not null) to
// whether the connection can no longer be used.
absl::Status MysqlErrorStatus(absl::string_view op, int error_code, absl::string_view sql_state,
                              absl::string_view message, bool* broken = nullptr);

// Replaces data values quoted in a MySQL error text ("Duplicate entry 'x'
// for key 'k'", "Incorrect string value: 'x' for column ...") by
// '<redacted>', keeping key, column and table names. Exposed for tests.
std::string RedactMysqlErrorText(absl::string_view message);

// Splits a script into statements at each ';' that ends one, ignoring ';'
// inside '...', "..." and `...` quotes and inside -- , # and /* */ comments.
// Pieces that hold only whitespace and comments are dropped; comments are
// otherwise kept in the statement text. No DELIMITER support (no stored
// program bodies). Exposed for tests.
std::vector<std::string> SplitSqlScript(absl::string_view script);

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_MYSQL_MYSQL_CONNECTION_H_
