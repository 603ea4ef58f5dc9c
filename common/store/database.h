// The store: a pool of connections to one database, a transaction helper,
// migrations and health. Services talk to their database only through this.
//
//   HELHED_ASSIGN_OR_RETURN(auto db, Database::Open("sqlite:///tmp/plans.db", {}));
//   HELHED_RETURN_IF_ERROR(db->Migrate(PlansMigrations()));
//   absl::Status s = db->Transaction([&](Connection& c) -> absl::Status {
//     HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT ... FOR UPDATE", {id}));
//     ...
//     return c.Execute("UPDATE ...", {...}).status();
//   });
#ifndef HELHED_COMMON_STORE_DATABASE_H_
#define HELHED_COMMON_STORE_DATABASE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/connection.h"
#include "common/store/migrations.h"
#include "common/store/store_metrics.h"
#include "common/store/store_url.h"

namespace helhed::store {

struct StoreOptions {
  // Most connections open at once.
  int pool_size = 8;
  // How long a caller waits for a free connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // SQLite: how long a statement waits on a lock before ABORTED.
  absl::Duration busy_timeout = absl::Seconds(5);
  // MySQL: connect timeout.
  absl::Duration connect_timeout = absl::Seconds(3);
  // How often an ABORTED transaction is retried.
  int max_retries = 5;
  // Not owned; may be null.
  StoreMetrics* metrics = nullptr;
  // Migrate(): how long a process waits for the migration lock (another
  // process migrating the same database) before DEADLINE_EXCEEDED.
  absl::Duration migrate_lock_timeout = absl::Seconds(300);
  // Migrate(): called once, on Migrate()'s thread, when the migration lock
  // is held by another process and this one starts to wait for it; gets the
  // lock's name (MigrationReport::lock). May be empty.
  std::function<void(const std::string& lock)> on_migrate_wait;
};

// What one Migrate() call did, for the start-up log (no personal data).
struct MigrationReport {
  // The lock that makes one process the migrating leader:
  // "helhed_migrate_<database>" (MySQL's GET_LOCK) or
  // "sqlite write lock of <file>".
  std::string lock;
  // The files this process applied, in order (empty: the schema was up to
  // date, e.g. another replica migrated it while this one waited).
  std::vector<std::string> applied;
  // True when another process held the lock and this one waited for it.
  bool waited = false;
  absl::Duration wait_time;
};

// Thread-safe.
class Database {
 public:
  using Fn = std::function<absl::Status(Connection&)>;

  // Parses `url`, and opens (and checks) one connection. A database that is
  // unreachable now is UNAVAILABLE; the caller may retry.
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url,
                                                        const StoreOptions& options);
  ~Database();

  Dialect dialect() const { return url_.dialect; }
  const StoreUrl& url() const { return url_; }

  // Runs `fn` on a pooled connection without a transaction.
  absl::Status Run(const Fn& fn);

  // Runs `fn` in a transaction that commits when `fn` returns OK and rolls
  // back otherwise. An ABORTED status (deadlock, busy) re-runs `fn` from the
  // start, up to max_retries times, so `fn` must not have side effects
  // outside the transaction that it cannot repeat.
  absl::Status Transaction(const Fn& fn) { return RunTransaction(fn, /*write=*/true); }

  // A read-only transaction: a consistent snapshot for several queries.
  absl::Status ReadTransaction(const Fn& fn) { return RunTransaction(fn, /*write=*/false); }

  // Round trip on a pooled connection.
  absl::Status Ping();

  // Applies the migrations of this dialect not yet applied, each in its own
  // transaction that first checks schema_migrations. One process migrates a
  // database at a time, so replicas starting together never both apply a
  // version (MySQL DDL commits by itself, so a check alone cannot ensure
  // that):
  //   MySQL: the run holds the named lock GET_LOCK('helhed_migrate_<db>') on
  //     a dedicated connection (outside the pool) that also runs the
  //     migrations; the server releases it when the run ends or the
  //     connection or process dies. A waiting process then finds the
  //     versions applied and skips them.
  //   SQLite: each step holds the file's write lock (BEGIN IMMEDIATE); a
  //     busy file is waited for.
  // Waiting longer than options.migrate_lock_timeout is DEADLINE_EXCEEDED
  // naming the lock; losing the connection is UNAVAILABLE (retry). `report`
  // (may be null) gets what this call applied and whether it waited.
  absl::Status Migrate(const std::vector<MigrationFile>& files, MigrationReport* report = nullptr);

  // Closes idle connections and refuses new work (UNAVAILABLE).
  void Close();

 private:
  Database(StoreUrl url, StoreOptions options) : url_(std::move(url)), options_(options) {}
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  absl::StatusOr<std::unique_ptr<Connection>> Connect();
  absl::Status TakeMysqlMigrationLock(Connection& conn, MigrationReport& report);
  absl::Status RunMigrationStep(Connection& conn, MigrationReport& report, const Fn& fn);
  absl::Status MigrationLockTimeout(const MigrationReport& report) const;
  void NoteMigrationWait(MigrationReport& report);
  absl::Status RunTransaction(const Fn& fn, bool write);
  void UpdatePoolMetrics() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const StoreUrl url_;
  const StoreOptions options_;
  // SQLite has one writer at a time; writers of this process queue here
  // instead of sleeping in SQLite's busy handler (which waits in fixed steps
  // of up to 100 ms and makes a long, random tail).
  absl::Mutex sqlite_writer_mu_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Drivers (in sqlite/ and mysql/).
absl::StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const StoreUrl& url,
                                                                 const StoreOptions& options);
absl::StatusOr<std::unique_ptr<Connection>> OpenMysqlConnection(const StoreUrl& url,
                                                                const StoreOptions& options);

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_DATABASE_H_
