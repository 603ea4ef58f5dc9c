#include "common/store/mysql/mysql_connection.h"

#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/parameter_metadata.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <mysql_driver.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <limits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace helhed::store {
namespace {

constexpr char kSqlMode[] =
    "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'";
constexpr char kIsolation[] = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

// CR_NEW_STMT_METADATA: a cached statement's result has another number of
// columns than when it was prepared.
constexpr int kStaleResultColumns = 2057;

// The driver singleton. Its first call initialises the client library and is
// not thread-safe, hence the function-local static (initialised once, under
// the compiler's guard). Throws what the connector throws; a throwing
// initialisation is retried by the next call.
sql::mysql::MySQL_Driver* Driver() {
  static sql::mysql::MySQL_Driver* const driver = sql::mysql::get_mysql_driver_instance();
  return driver;
}

// "tcp://host:port", with an IPv6 literal in brackets.
std::string HostUri(const StoreUrl& url) {
  std::string host = url.host.empty() ? "127.0.0.1" : url.host;
  if (host.find(':') != std::string::npos && host.front() != '[') {
    host = absl::StrCat("[", host, "]");
  }
  return absl::StrCat("tcp://", host, ":", url.port);
}

int ConnectTimeoutSeconds(absl::Duration timeout) {
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(timeout, absl::Seconds(1)));
  return static_cast<int>(std::clamp<int64_t>(seconds, 1, 3600));
}

bool IsConnectionLostCode(int code) {
  switch (code) {
    case 2002:  // CR_CONNECTION_ERROR (socket)
    case 2003:  // CR_CONN_HOST_ERROR (refused, unreachable)
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 1053:  // ER_SERVER_SHUTDOWN
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: idle disconnect)
      return true;
    default:
      return false;
  }
}

// Client errors after which the protocol state of the connection can no
// longer be trusted, though the server is reachable: INTERNAL, but the pool
// must drop the connection.
bool IsProtocolBrokenCode(int code) {
  switch (code) {
    case 2014:  // CR_COMMANDS_OUT_OF_SYNC
    case 2027:  // CR_MALFORMED_PACKET
      return true;
    default:
      return false;
  }
}

// Maps the exception being handled to a status; the single place where the
// connector's exceptions become statuses. Call only inside a catch block.
absl::Status StatusFromCurrentException(absl::string_view op, bool* broken) noexcept {
  *broken = false;
  try {
    throw;
  } catch (const sql::SQLException& e) {
    return MysqlErrorStatus(op, e.getErrorCode(), e.getSQLState(), e.what(), broken);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("mysql ", op, ": ", RedactMysqlErrorText(e.what())));
  } catch (...) {
    return absl::InternalError(absl::StrCat("mysql ", op, ": unknown exception"));
  }
}

enum class ColumnKind { kInt, kUnsignedBigint, kDouble, kString };

ColumnKind KindOf(int type, bool is_signed) {
  if (type == sql::DataType::BIGINT && !is_signed) {
    return ColumnKind::kUnsignedBigint;
  }
  switch (type) {
    case sql::DataType::BIT:
    case sql::DataType::TINYINT:
    case sql::DataType::SMALLINT:
    case sql::DataType::MEDIUMINT:
    case sql::DataType::INTEGER:
    case sql::DataType::BIGINT:
    case sql::DataType::YEAR:
      return ColumnKind::kInt;
    case sql::DataType::REAL:  // FLOAT
    case sql::DataType::DOUBLE:
    case sql::DataType::DECIMAL:
    case sql::DataType::NUMERIC:
      return ColumnKind::kDouble;
    default:
      // Text, binary (BLOB, BINARY, VARBINARY), date and time, ENUM, SET,
      // JSON. On a prepared statement's result set getString() copies the
      // column's bytes with their length, so binary data round-trips.
      return ColumnKind::kString;
  }
}

// Reads every row of `rs`, each column by its type.
void ReadRows(sql::ResultSet& rs, Rows* rows) {
  sql::ResultSetMetaData* meta = rs.getMetaData();  // owned by rs
  const unsigned int count = meta->getColumnCount();
  std::vector<ColumnKind> kinds(count);
  for (unsigned int i = 0; i < count; ++i) {
    kinds[i] = KindOf(meta->getColumnType(i + 1), meta->isSigned(i + 1));
  }
  while (rs.next()) {
    std::vector<Value> values;
    values.reserve(count);
    for (uint32_t column = 1; column <= count; ++column) {
      if (rs.isNull(column)) {
        values.emplace_back();
        continue;
      }
      switch (kinds[column - 1]) {
        case ColumnKind::kInt:
          values.emplace_back(static_cast<int64_t>(rs.getInt64(column)));
          break;
        case ColumnKind::kUnsignedBigint: {
          // Above INT64_MAX it would wrap: such values come as decimal text.
          const uint64_t u = rs.getUInt64(column);
          if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            values.emplace_back(static_cast<int64_t>(u));
          } else {
            values.emplace_back(std::to_string(u));
          }
          break;
        }
        case ColumnKind::kDouble:
          values.emplace_back(static_cast<double>(rs.getDouble(column)));
          break;
        case ColumnKind::kString: {
          const sql::SQLString bytes = rs.getString(column);
          values.emplace_back(bytes.asStdString());
          break;
        }
      }
    }
    rows->emplace_back(std::move(values));
  }
}

// True when script[i] starts a "-- " comment ("--" then whitespace or the
// end, as MySQL requires; "a--b" is an expression).
bool IsDashComment(absl::string_view script, size_t i) {
  return script[i] == '-' && i + 1 < script.size() && script[i + 1] == '-' &&
         (i + 2 == script.size() || std::isspace(static_cast<unsigned char>(script[i + 2])));
}

}  // namespace

absl::Status MysqlErrorStatus(absl::string_view op, int error_code, absl::string_view sql_state,
                              absl::string_view message, bool* broken) {
  absl::StatusCode code = absl::StatusCode::kInternal;
  switch (error_code) {
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1022:  // ER_DUP_KEY
      code = absl::StatusCode::kAlreadyExists;
      break;
    case 1213:  // ER_LOCK_DEADLOCK
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
      code = absl::StatusCode::kAborted;
      break;
    default:
      break;
  }
  const bool lost = IsConnectionLostCode(error_code) || absl::StartsWith(sql_state, "08");
  if (lost) {
    code = absl::StatusCode::kUnavailable;
  }
  if (broken != nullptr) {
    *broken = lost || IsProtocolBrokenCode(error_code);
  }
  const std::string text = RedactMysqlErrorText(message);
  if (error_code == 0 && sql_state.empty()) {
    // Raised by the connector itself (bad argument, unsupported call).
    return absl::Status(code, absl::StrCat("mysql ", op, ": ", text));
  }
  return absl::Status(
      code, absl::StrCat("mysql ", op, ": error ", error_code, " (", sql_state, "): ", text));
}

std::string RedactMysqlErrorText(absl::string_view message) {
  // Texts that quote a value right after these words, e.g. ER_DUP_ENTRY
  // "Duplicate entry '%s' for key '%s'", ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  // "Incorrect %s value: '%s' for column ...", ER_INVALID_CHARACTER_STRING
  // "Invalid %s character string: '%s'".
  static constexpr absl::string_view kMarkers[] = {"entry '", "value: '", "value '", "string: '"};
  constexpr absl::string_view kRedacted = "<redacted>";
  std::string out;
  size_t pos = 0;
  while (pos < message.size()) {
    size_t marker = absl::string_view::npos;
    size_t marker_size = 0;
    for (absl::string_view m : kMarkers) {
      const size_t found = message.find(m, pos);
      if (found < marker) {
        marker = found;
        marker_size = m.size();
      }
    }
    if (marker == absl::string_view::npos) {
      break;
    }
    const size_t open = marker + marker_size;  // first byte of the value
    // The value is not escaped and may itself hold quotes, so take the last
    // quote that reads like the end of it: followed by " for " (key, column,
    // function), else by " at " or " when ", else the last quote at all.
    // Erring late redacts more, never less.
    size_t close_for = absl::string_view::npos;
    size_t close_other = absl::string_view::npos;
    for (size_t q = message.find('\'', open); q != absl::string_view::npos;
         q = message.find('\'', q + 1)) {
      const absl::string_view tail = message.substr(q + 1);
      if (absl::StartsWith(tail, " for ")) {
        close_for = q;
      } else if (absl::StartsWith(tail, " at ") || absl::StartsWith(tail, " when ")) {
        close_other = q;
      }
    }
    size_t close = close_for != absl::string_view::npos ? close_for : close_other;
    if (close == absl::string_view::npos) {
      close = message.rfind('\'');
      if (close == absl::string_view::npos || close < open) {
        close = message.size();  // unterminated: drop the rest
      }
    }
    absl::StrAppend(&out, message.substr(pos, open - pos), kRedacted);
    pos = close;
  }
  if (pos < message.size()) {
    absl::StrAppend(&out, message.substr(pos));
  }
  return out;
}

std::vector<std::string> SplitSqlScript(absl::string_view script) {
  std::vector<std::string> statements;
  std::string current;
  bool has_code = false;  // current holds more than whitespace and comments
  auto finish = [&]() {
    if (has_code) {
      statements.emplace_back(absl::StripAsciiWhitespace(current));
    }
    current.clear();
    has_code = false;
  };
  const size_t n = script.size();
  size_t i = 0;
  while (i < n) {
    const char c = script[i];
    if (IsDashComment(script, i) || c == '#') {
      const size_t end = std::min(script.find('\n', i), n);
      current.append(script.data() + i, end - i);
      i = end;
      continue;
    }
    if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      size_t end = script.find("*/", i + 2);
      end = end == absl::string_view::npos ? n : end + 2;
      // "/*! ... */" is an executable comment: MySQL runs its content.
      if (i + 2 < n && script[i + 2] == '!') {
        has_code = true;
      }
      current.append(script.data() + i, end - i);
      i = end;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < n) {
        if (script[j] == '\\' && c != '`') {
          j += 2;  // backslash escape inside a string literal
          continue;
        }
        if (script[j] == c) {
          if (j + 1 < n && script[j + 1] == c) {
            j += 2;  // doubled quote
            continue;
          }
          break;
        }
        ++j;
      }
      const size_t end = std::min(j + 1, n);
      current.append(script.data() + i, end - i);
      has_code = true;
      i = end;
      continue;
    }
    if (c == ';') {
      finish();
      ++i;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) {
      has_code = true;
    }
    current.push_back(c);
    ++i;
  }
  finish();
  return statements;
}

absl::StatusOr<std::unique_ptr<Connection>> OpenMysqlConnection(const StoreUrl& url,
                                                                const StoreOptions& options) {
  absl::StatusOr<std::unique_ptr<MysqlConnection>> conn = MysqlConnection::Open(url, options);
  if (!conn.ok()) {
    return conn.status();
  }
  return std::unique_ptr<Connection>(std::move(*conn));
}

absl::StatusOr<std::unique_ptr<MysqlConnection>> MysqlConnection::Open(
    const StoreUrl& url, const StoreOptions& options) {
  std::unique_ptr<sql::Connection> raw;
  try {
    sql::mysql::MySQL_Driver* driver = Driver();
    sql::ConnectOptionsMap properties;
    properties["hostName"] = sql::SQLString(HostUri(url));
    properties["userName"] = sql::SQLString(url.user);
    properties["password"] = sql::SQLString(url.password);
    if (!url.database.empty()) {
      properties["schema"] = sql::SQLString(url.database);
    }
    properties["OPT_CONNECT_TIMEOUT"] = ConnectTimeoutSeconds(options.connect_timeout);
    properties["OPT_READ_TIMEOUT"] = kReadWriteTimeoutSeconds;
    properties["OPT_WRITE_TIMEOUT"] = kReadWriteTimeoutSeconds;
    properties["OPT_RECONNECT"] = false;  // a silent reconnect would lose session and transaction
    properties["CLIENT_MULTI_STATEMENTS"] = false;
    properties["CLIENT_FOUND_ROWS"] = true;  // UPDATE counts matched rows, as SQLite does
    properties["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    raw.reset(driver->connect(properties));
  } catch (...) {
    bool broken = false;
    return StatusFromCurrentException("connect", &broken);
  }
  if (raw == nullptr) {
    return absl::UnavailableError("mysql connect: the driver returned no connection");
  }
  std::unique_ptr<MysqlConnection> conn(new MysqlConnection(std::move(raw)));
  absl::Status status = conn->InitSession();
  if (!status.ok()) {
    return status;
  }
  return conn;
}

MysqlConnection::MysqlConnection(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

MysqlConnection::~MysqlConnection() {
  ClearStatements();
  if (plain_ != nullptr) {
    try {
      plain_->close();
    } catch (...) {
      // Already closed or the connection is gone; nothing to release.
    }
    plain_.reset();
  }
  if (conn_ != nullptr) {
    try {
      if (!conn_->isClosed()) {
        conn_->close();
      }
    } catch (...) {
      // The connector frees the handle in its destructor regardless.
    }
    conn_.reset();
  }
}

absl::Status MysqlConnection::InitSession() {
  try {
    plain_.reset(conn_->createStatement());
    RunPlain(kSqlMode);
    RunPlain(kIsolation);
    RunPlain(absl::StrCat("SET SESSION innodb_lock_wait_timeout=", kLockWaitTimeoutSeconds));
  } catch (...) {
    return CurrentExceptionStatus("connect");
  }
  return absl::OkStatus();
}

absl::StatusOr<Rows> MysqlConnection::Query(absl::string_view sql_text, const Params& params) {
  if (broken_) {
    return BrokenStatus("query");
  }
  std::string text;
  for (int attempt = 0;; ++attempt) {
    try {
      text.assign(sql_text.data(), sql_text.size());
      sql::PreparedStatement* stmt = Prepare(text);
      Bind(stmt, params);
      Rows rows;
      if (stmt->execute()) {
        std::unique_ptr<sql::ResultSet> rs(stmt->getResultSet());
        ReadRows(*rs, &rows);
      }
      return rows;
    } catch (const sql::SQLException& e) {
      if (attempt == 0 && e.getErrorCode() == kStaleResultColumns) {
        // The table changed since the statement was prepared (SELECT * after
        // an ALTER TABLE elsewhere): prepare it afresh and run it once more.
        ForgetStatement(text);
        continue;
      }
      absl::Status status = CurrentExceptionStatus("query");
      ForgetStatement(text);
      return status;
    } catch (...) {
      absl::Status status = CurrentExceptionStatus("query");
      ForgetStatement(text);
      return status;
    }
  }
}

absl::StatusOr<int64_t> MysqlConnection::Execute(absl::string_view sql_text, const Params& params) {
  if (broken_) {
    return BrokenStatus("execute");
  }
  std::string text;
  try {
    text.assign(sql_text.data(), sql_text.size());
    sql::PreparedStatement* stmt = Prepare(text);
    Bind(stmt, params);
    if (stmt->getMetaData()->getColumnCount() > 0) {
      // A statement with a result (SELECT): executeUpdate() would leave the
      // rows unread and the connection out of sync, so read and drop them.
      if (stmt->execute()) {
        std::unique_ptr<sql::ResultSet> rs(stmt->getResultSet());
      }
      return int64_t{0};
    }
    return static_cast<int64_t>(stmt->executeUpdate());
  } catch (...) {
    absl::Status status = CurrentExceptionStatus("execute");
    ForgetStatement(text);
    return status;
  }
}

absl::Status MysqlConnection::ExecuteScript(absl::string_view script) {
  if (broken_) {
    return BrokenStatus("script");
  }
  size_t index = 0;
  try {
    const std::vector<std::string> statements = SplitSqlScript(script);
    for (; index < statements.size(); ++index) {
      RunPlain(statements[index]);
    }
  } catch (...) {
    return CurrentExceptionStatus(absl::StrCat("script statement ", index + 1));
  }
  return absl::OkStatus();
}

absl::Status MysqlConnection::Begin(bool write) {
  if (broken_) {
    return BrokenStatus("begin");
  }
  try {
    if (write) {
      RunPlain("START TRANSACTION");
    } else {
      // A snapshot for the whole transaction: the session's READ COMMITTED
      // would give each statement its own. SET TRANSACTION (no SESSION)
      // applies to the next transaction only.
      RunPlain("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      RunPlain("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT");
    }
  } catch (...) {
    return CurrentExceptionStatus("begin");
  }
  return absl::OkStatus();
}

// COMMIT and ROLLBACK end the transaction opened by START TRANSACTION; the
// session's autocommit (never switched off) applies again afterwards.
absl::Status MysqlConnection::Commit() { return RunPlainStatus("COMMIT", "commit"); }

absl::Status MysqlConnection::Rollback() { return RunPlainStatus("ROLLBACK", "rollback"); }

absl::Status MysqlConnection::Ping() { return RunPlainStatus("SELECT 1", "ping"); }

bool MysqlConnection::broken() const {
  if (broken_) {
    return true;
  }
  try {
    return conn_->isClosed();
  } catch (...) {
    return true;
  }
}

sql::PreparedStatement* MysqlConnection::Prepare(const std::string& text) {
  auto it = statements_.find(text);
  if (it != statements_.end()) {
    return it->second.get();
  }
  if (statements_.size() >= kMaxCachedStatements) {
    ClearStatements();
  }
  std::unique_ptr<sql::PreparedStatement> stmt(conn_->prepareStatement(text));
  sql::PreparedStatement* raw = stmt.get();
  statements_.emplace(text, std::move(stmt));
  return raw;
}

void MysqlConnection::Bind(sql::PreparedStatement* stmt, const Params& params) {
  const int expected = stmt->getParameterMetaData()->getParameterCount();
  if (expected != static_cast<int>(params.size())) {
    throw sql::InvalidArgumentException(absl::StrCat(
        "statement has ", expected, " placeholders but ", params.size(), " values were given"));
  }
  stmt->clearParameters();
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& value = params[i];
    const auto index = static_cast<unsigned int>(i + 1);
    if (value.is_null()) {
      stmt->setNull(index, sql::DataType::VARCHAR);
    } else if (value.is_int()) {
      stmt->setInt64(index, value.AsInt());
    } else if (value.is_double()) {
      stmt->setDouble(index, value.AsDouble());
    } else {
      // SQLString wraps a std::string and keeps its length: NUL and any
      // other byte go through. (The connector streams values over 256 KiB
      // as long data by itself.)
      stmt->setString(index, sql::SQLString(value.StringRef()));
    }
  }
}

void MysqlConnection::RunPlain(const std::string& text) {
  if (plain_->execute(text)) {
    // A result must be read before the next command; this drops it.
    std::unique_ptr<sql::ResultSet> rs(plain_->getResultSet());
  }
}

absl::Status MysqlConnection::RunPlainStatus(const char* text, absl::string_view op) {
  if (broken_) {
    return BrokenStatus(op);
  }
  try {
    RunPlain(text);
  } catch (...) {
    return CurrentExceptionStatus(op);
  }
  return absl::OkStatus();
}

absl::Status MysqlConnection::CurrentExceptionStatus(absl::string_view op) noexcept {
  bool broken = false;
  absl::Status status = StatusFromCurrentException(op, &broken);
  if (broken) {
    broken_ = true;
    ClearStatements();
  }
  return status;
}

void MysqlConnection::ForgetStatement(const std::string& text) noexcept {
  auto it = statements_.find(text);
  if (it == statements_.end()) {
    return;
  }
  try {
    it->second->close();
  } catch (...) {
    // Closing a statement of a lost connection may fail; it is dropped anyway.
  }
  statements_.erase(it);
}

void MysqlConnection::ClearStatements() noexcept {
  for (auto& entry : statements_) {
    try {
      entry.second->close();
    } catch (...) {
      // As in ForgetStatement.
    }
  }
  statements_.clear();
}

absl::Status MysqlConnection::BrokenStatus(absl::string_view op) const {
  return absl::UnavailableError(absl::StrCat("mysql ", op, ": the connection is broken"));
}

}  // namespace helhed::store
