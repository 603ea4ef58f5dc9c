#include "common/store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/validation.h"
#include "common/store/database.h"

namespace helhed::store {

absl::StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const StoreUrl& url,
                                                                 const StoreOptions& options) {
  return SqliteConnection::Open(url.path,
                                static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
}

absl::StatusOr<std::unique_ptr<Connection>> SqliteConnection::Open(const std::string& path,
                                                                   int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("sqlite: cannot open ", path, ": ", msg));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  absl::Status s = conn->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat("sqlite: cannot set up ", path, ": ", s.message()));
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

absl::Status SqliteConnection::Error(int rc, absl::string_view what) {
  const int primary = rc & 0xff;
  std::string msg = absl::StrCat("sqlite ", what, ": ", sqlite3_errmsg(db_));
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return absl::AlreadyExistsError(msg);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return absl::AbortedError(msg);
  }
  if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_CORRUPT ||
      primary == SQLITE_NOTADB || primary == SQLITE_FULL) {
    broken_ = true;
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

absl::StatusOr<sqlite3_stmt*> SqliteConnection::Prepare(absl::string_view sql,
                                                        const Params& params) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    stmt = it->second;
  } else {
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return Error(rc, "prepare");
    }
    cache_.emplace(std::move(key), stmt);
  }
  if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
    return absl::InternalError(absl::StrCat("sqlite: statement takes ",
                                            sqlite3_bind_parameter_count(stmt), " parameters, got ",
                                            params.size()));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i) + 1;
    const Value& v = params[i];
    int rc;
    if (v.is_null()) {
      rc = sqlite3_bind_null(stmt, idx);
    } else if (v.is_int()) {
      rc = sqlite3_bind_int64(stmt, idx, v.AsInt());
    } else if (v.is_double()) {
      rc = sqlite3_bind_double(stmt, idx, v.AsDouble());
    } else {
      // Text binds as TEXT, so that it compares equal to string literals in
      // SQL; bytes that are not UTF-8 (serialized protobuf) bind as BLOB.
      const std::string& s = v.StringRef();
      if (Utf8Length(s) >= 0) {
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_blob64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT);
      }
    }
    if (rc != SQLITE_OK) {
      sqlite3_reset(stmt);
      return Error(rc, "bind");
    }
  }
  return stmt;
}

absl::StatusOr<Rows> SqliteConnection::Query(absl::string_view sql, const Params& params) {
  auto prepared = Prepare(sql, params);
  if (!prepared.ok()) {
    return prepared.status();
  }
  sqlite3_stmt* stmt = *prepared;
  Rows rows;
  while (true) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
      break;
    }
    if (rc != SQLITE_ROW) {
      absl::Status s = Error(rc, "step");
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      return s;
    }
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(n);
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          values.emplace_back();
          break;
        default: {
          const void* data = sqlite3_column_blob(stmt, c);
          const int len = sqlite3_column_bytes(stmt, c);
          values.emplace_back(
              std::string(data == nullptr ? "" : static_cast<const char*>(data), len));
        }
      }
    }
    rows.emplace_back(std::move(values));
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return rows;
}

absl::StatusOr<int64_t> SqliteConnection::Execute(absl::string_view sql, const Params& params) {
  auto prepared = Prepare(sql, params);
  if (!prepared.ok()) {
    return prepared.status();
  }
  sqlite3_stmt* stmt = *prepared;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  absl::Status s = rc == SQLITE_DONE ? absl::OkStatus() : Error(rc, "step");
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (!s.ok()) {
    return s;
  }
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

absl::Status SqliteConnection::ExecuteScript(absl::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    absl::Status s = Error(rc, "exec");
    return absl::Status(s.code(), absl::StrCat("sqlite exec: ", msg));
  }
  return absl::OkStatus();
}

absl::Status SqliteConnection::Begin(bool write) {
  return Execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {}).status();
}

absl::Status SqliteConnection::Commit() { return Execute("COMMIT", {}).status(); }

absl::Status SqliteConnection::Rollback() {
  if (sqlite3_get_autocommit(db_) != 0) {
    return absl::OkStatus();  // SQLite already rolled back (e.g. after SQLITE_FULL)
  }
  return Execute("ROLLBACK", {}).status();
}

absl::Status SqliteConnection::Ping() { return Query("SELECT 1", {}).status(); }

}  // namespace helhed::store
