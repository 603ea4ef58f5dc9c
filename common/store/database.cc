#include "common/store/database.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace helhed::store {
namespace {

// Times every call of a driver connection into StoreMetrics.
class InstrumentedConnection final : public Connection {
 public:
  InstrumentedConnection(std::unique_ptr<Connection> inner, StoreMetrics* metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}

  Dialect dialect() const override { return inner_->dialect(); }
  absl::StatusOr<Rows> Query(absl::string_view sql, const Params& params) override {
    return Timed(StoreMetrics::Op::kQuery, [&] { return inner_->Query(sql, params); });
  }
  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override {
    return Timed(StoreMetrics::Op::kExecute, [&] { return inner_->Execute(sql, params); });
  }
  absl::Status ExecuteScript(absl::string_view sql) override {
    return Timed(StoreMetrics::Op::kExecute, [&] { return inner_->ExecuteScript(sql); });
  }
  absl::Status Begin(bool write) override {
    return Timed(StoreMetrics::Op::kBegin, [&] { return inner_->Begin(write); });
  }
  absl::Status Commit() override {
    return Timed(StoreMetrics::Op::kCommit, [&] { return inner_->Commit(); });
  }
  absl::Status Rollback() override {
    return Timed(StoreMetrics::Op::kRollback, [&] { return inner_->Rollback(); });
  }
  absl::Status Ping() override {
    return Timed(StoreMetrics::Op::kPing, [&] { return inner_->Ping(); });
  }
  bool broken() const override { return inner_->broken(); }

 private:
  static const absl::Status& StatusOf(const absl::Status& s) { return s; }
  template <typename T>
  static const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
    return s.status();
  }

  template <typename F>
  auto Timed(StoreMetrics::Op op, F&& f) -> decltype(f()) {
    if (metrics_ == nullptr) {
      return f();
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = f();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    metrics_->Observe(op, elapsed.count(), StatusOf(result));
    return result;
  }

  std::unique_ptr<Connection> inner_;
  StoreMetrics* metrics_;
};

// GET_LOCK waits at most this long per call, well within the connection's
// read timeout (MysqlConnection::kReadWriteTimeoutSeconds); the call is
// repeated until migrate_lock_timeout.
constexpr absl::Duration kMigrationLockPoll = absl::Seconds(5);

// MySQL's longest user-level lock name.
constexpr size_t kMaxLockName = 64;

// "helhed_migrate_<database>": named locks are per server, so the name
// carries the database. A name over MySQL's limit keeps a prefix and a hash
// of the database name (FNV-1a, the same in every build).
std::string MysqlMigrationLockName(const std::string& database) {
  std::string name = absl::StrCat("helhed_migrate_", database);
  if (name.size() <= kMaxLockName) return name;
  uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : database) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  return absl::StrCat(name.substr(0, kMaxLockName - 17), "_", absl::Hex(hash, absl::kZeroPad16));
}

struct Version {
  int number = 0;
  std::string dialect;  // "", "sqlite" or "mysql"
};

absl::StatusOr<Version> ParseMigrationName(const std::string& name) {
  Version v;
  size_t underscore = name.find('_');
  if (underscore == std::string::npos || !absl::SimpleAtoi(name.substr(0, underscore), &v.number) ||
      v.number <= 0 || !absl::EndsWith(name, ".sql")) {
    return absl::InvalidArgumentError(absl::StrCat("bad migration file name: ", name));
  }
  if (absl::EndsWith(name, ".sqlite.sql")) {
    v.dialect = "sqlite";
  } else if (absl::EndsWith(name, ".mysql.sql")) {
    v.dialect = "mysql";
  }
  return v;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(absl::string_view url,
                                                         const StoreOptions& options) {
  HELHED_ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("store pool size must be at least 1");
  }
  std::unique_ptr<Database> db(new Database(std::move(parsed), options));
  HELHED_ASSIGN_OR_RETURN(auto conn, db->Connect());
  absl::MutexLock lock(&db->mu_);
  db->open_ = 1;
  db->idle_.push_back(std::move(conn));
  db->UpdatePoolMetrics();
  return db;
}

Database::~Database() { Close(); }

absl::StatusOr<std::unique_ptr<Connection>> Database::Connect() {
  absl::StatusOr<std::unique_ptr<Connection>> conn = url_.dialect == Dialect::kSqlite
                                                         ? OpenSqliteConnection(url_, options_)
                                                         : OpenMysqlConnection(url_, options_);
  if (!conn.ok()) {
    return conn.status();
  }
  return std::unique_ptr<Connection>(
      new InstrumentedConnection(std::move(*conn), options_.metrics));
}

void Database::UpdatePoolMetrics() {
  if (options_.metrics != nullptr) {
    options_.metrics->SetPool(in_use_, open_);
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Database::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    if (!closed_ && !idle_.empty()) {  // the common case: an idle connection
      ++in_use_;
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      UpdatePoolMetrics();
      return conn;
    }
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.acquire_timeout)) {
      return absl::UnavailableError("store: no free connection");
    }
    if (closed_) {
      return absl::UnavailableError("store: closed");
    }
    ++in_use_;
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      UpdatePoolMetrics();
      return conn;
    }
    ++open_;  // reserve the slot, connect outside the lock
    UpdatePoolMetrics();
  }
  auto conn = Connect();
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    --in_use_;
    UpdatePoolMetrics();
    return conn.status();
  }
  return conn;
}

void Database::Release(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&mu_);
  --in_use_;
  if (closed_ || conn->broken()) {
    --open_;
    conn.reset();
  } else {
    idle_.push_back(std::move(conn));
  }
  UpdatePoolMetrics();
}

absl::Status Database::Run(const Fn& fn) {
  HELHED_ASSIGN_OR_RETURN(auto conn, Acquire());
  absl::Status status = fn(*conn);
  Release(std::move(conn));
  return status;
}

absl::Status Database::RunTransaction(const Fn& fn, bool write) {
  absl::Status status;
  std::optional<absl::MutexLock> writer;
  if (write && dialect() == Dialect::kSqlite) {
    writer.emplace(&sqlite_writer_mu_);
  }
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    HELHED_ASSIGN_OR_RETURN(auto conn, Acquire());
    status = conn->Begin(write);
    if (status.ok()) {
      status = fn(*conn);
      if (status.ok()) {
        status = conn->Commit();
      }
      if (!status.ok() && !conn->broken()) {
        conn->Rollback().IgnoreError();
      }
    }
    Release(std::move(conn));
    if (status.code() != absl::StatusCode::kAborted) {
      return status;
    }
    // Back off a little before the retry: 1, 2, 4 ... ms.
    absl::SleepFor(absl::Milliseconds(1 << std::min(attempt, 6)));
  }
  return status;
}

absl::Status Database::Ping() {
  return Run([](Connection& c) { return c.Ping(); });
}

void Database::NoteMigrationWait(MigrationReport& report) {
  if (report.waited) return;
  report.waited = true;
  if (options_.on_migrate_wait) options_.on_migrate_wait(report.lock);
}

absl::Status Database::MigrationLockTimeout(const MigrationReport& report) const {
  return absl::DeadlineExceededError(absl::StrCat(
      "timed out after ", absl::FormatDuration(options_.migrate_lock_timeout),
      " waiting for the migration lock ", report.lock,
      ": another process holds it, most likely migrating this database (the lock is freed "
      "when that run ends or its connection closes); for a long migration raise "
      "--migrate-lock-timeout-seconds"));
}

absl::Status Database::TakeMysqlMigrationLock(Connection& conn, MigrationReport& report) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + options_.migrate_lock_timeout;
  for (bool first = true;; first = false) {
    // The first try does not wait, so that a wait is noticed (and logged)
    // as it starts.
    const absl::Duration left = std::max(deadline - absl::Now(), absl::ZeroDuration());
    const double wait_seconds =
        first ? 0.0 : absl::ToDoubleSeconds(std::min(left, kMigrationLockPoll));
    absl::StatusOr<Rows> rows = conn.Query("SELECT GET_LOCK(?, ?)", {report.lock, wait_seconds});
    if (!rows.ok()) {
      return absl::Status(rows.status().code(), absl::StrCat("migration lock ", report.lock, ": ",
                                                             rows.status().message()));
    }
    // 1: taken; 0: still held by another session after wait_seconds; NULL:
    // an error (the session was killed).
    if (rows->empty() || (*rows)[0].IsNull(0)) {
      return absl::InternalError(
          absl::StrCat("migration lock ", report.lock, ": GET_LOCK returned NULL"));
    }
    if ((*rows)[0].Int(0) == 1) {
      if (report.waited) report.wait_time = absl::Now() - start;
      return absl::OkStatus();
    }
    NoteMigrationWait(report);
    if (absl::Now() >= deadline) {
      return MigrationLockTimeout(report);
    }
  }
}

absl::Status Database::RunMigrationStep(Connection& conn, MigrationReport& report, const Fn& fn) {
  const bool sqlite = dialect() == Dialect::kSqlite;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + options_.migrate_lock_timeout;
  bool busy = false;
  for (int attempt = 0;; ++attempt) {
    absl::Status status;
    {
      std::optional<absl::MutexLock> writer;
      if (sqlite) writer.emplace(&sqlite_writer_mu_);
      // SQLite: BEGIN IMMEDIATE takes the file's write lock, so the check of
      // schema_migrations, the migration and its record are one step no
      // other process interleaves with (SQLite's DDL is transactional).
      status = conn.Begin(/*write=*/true);
      if (status.ok()) {
        status = fn(conn);
        if (status.ok()) status = conn.Commit();
        if (!status.ok() && !conn.broken()) conn.Rollback().IgnoreError();
      }
    }
    if (!absl::IsAborted(status)) {
      if (busy) report.wait_time += absl::Now() - start;
      return status;
    }
    if (sqlite) {
      // The file stayed write-locked for busy_timeout: another process (most
      // likely migrating too) holds it. Wait for it up to the deadline.
      busy = true;
      NoteMigrationWait(report);
      if (absl::Now() >= deadline) {
        return MigrationLockTimeout(report);
      }
    } else if (attempt >= options_.max_retries) {
      return status;
    }
    absl::SleepFor(absl::Milliseconds(1 << std::min(attempt, 6)));
  }
}

absl::Status Database::Migrate(const std::vector<MigrationFile>& files,
                               MigrationReport* report_out) {
  const std::string mine = dialect() == Dialect::kSqlite ? "sqlite" : "mysql";
  // version -> file, a dialect-specific file winning over a generic one.
  std::map<int, const MigrationFile*> chosen;
  std::map<int, bool> specific;
  for (const auto& f : files) {
    HELHED_ASSIGN_OR_RETURN(Version v, ParseMigrationName(f.name));
    if (!v.dialect.empty() && v.dialect != mine) {
      continue;
    }
    const bool is_specific = !v.dialect.empty();
    auto it = chosen.find(v.number);
    if (it != chosen.end() && specific[v.number] == is_specific) {
      return absl::InvalidArgumentError(
          absl::StrCat("two migrations with version ", v.number, " for ", mine));
    }
    if (it == chosen.end() || is_specific) {
      chosen[v.number] = &f;
      specific[v.number] = is_specific;
    }
  }
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return absl::UnavailableError("store: closed");
  }
  MigrationReport report;
  report.lock = dialect() == Dialect::kSqlite ? absl::StrCat("sqlite write lock of ", url_.path)
                                              : MysqlMigrationLockName(url_.database);
  // One connection of its own (not from the pool) for the whole run: on
  // MySQL the named lock belongs to its session, and it runs the steps.
  // Destroying it closes the session, which frees the lock on every path.
  HELHED_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connect());
  absl::Status status = [&]() -> absl::Status {
    if (dialect() == Dialect::kMysql) {
      HELHED_RETURN_IF_ERROR(TakeMysqlMigrationLock(*conn, report));
    }
    HELHED_RETURN_IF_ERROR(RunMigrationStep(*conn, report, [](Connection& c) {
      return c.ExecuteScript(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER NOT NULL PRIMARY KEY,"
          " name VARCHAR(200) NOT NULL,"
          " applied_at BIGINT NOT NULL)");
    }));
    for (const auto& [number, file] : chosen) {
      const int version = number;
      const MigrationFile* f = file;
      bool applied = false;
      absl::Status step = RunMigrationStep(*conn, report, [&](Connection& c) -> absl::Status {
        applied = false;
        HELHED_ASSIGN_OR_RETURN(
            Rows rows,
            c.Query("SELECT version FROM schema_migrations WHERE version = ?", {version}));
        if (!rows.empty()) {
          return absl::OkStatus();  // applied before, or by the process this one waited for
        }
        HELHED_RETURN_IF_ERROR(c.ExecuteScript(f->sql));
        HELHED_RETURN_IF_ERROR(
            c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                      {version, f->name, absl::ToUnixSeconds(absl::Now())})
                .status());
        applied = true;
        return absl::OkStatus();
      });
      if (step.code() == absl::StatusCode::kAlreadyExists) {
        // Recorded meanwhile by a process that does not take the lock (a
        // release before the lock existed).
        continue;
      }
      if (!step.ok()) {
        return absl::Status(step.code(), absl::StrCat("migration ", f->name, ": ", step.message()));
      }
      if (applied) report.applied.push_back(f->name);
    }
    return absl::OkStatus();
  }();
  if (dialect() == Dialect::kMysql && !conn->broken()) {
    // Closing the connection below frees the lock anyway; this is prompt.
    conn->Query("SELECT RELEASE_LOCK(?)", {report.lock}).IgnoreError();
  }
  conn.reset();
  if (report_out != nullptr) *report_out = std::move(report);
  return status;
}

void Database::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
  UpdatePoolMetrics();
}

}  // namespace helhed::store
