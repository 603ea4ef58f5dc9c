// Migrations run once per database even when several processes start at
// once (Database::Migrate's leader at start-up: MySQL's named lock
// helhed_migrate_<database>, SQLite's write lock), on SQLite and MariaDB.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/status_macros.h"
#include "common/store/database.h"
#include "gtest/gtest.h"
#include "tests/support/test_store.h"

namespace helhed::store {
namespace {

using helhed::testing::Backend;

class MigrationLockTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  bool mysql() const { return GetParam() == Backend::kMysql; }

  // A migration set whose steps fail when run twice: ADD COLUMN and CREATE
  // INDEX have no IF NOT EXISTS here. On MariaDB step 2 sleeps after its
  // ALTER TABLE (which commits by itself), as a slow migration would, so a
  // second process that does not wait for the first runs it again.
  std::vector<MigrationFile> NonIdempotent() const {
    return {
        {"0001_create.sql", "CREATE TABLE m_items (id INTEGER NOT NULL PRIMARY KEY)"},
        {"0002_add_label.mysql.sql",
         "ALTER TABLE m_items ADD COLUMN label VARCHAR(40); "
         "DO SLEEP(0.3)"},
        {"0002_add_label.sqlite.sql", "ALTER TABLE m_items ADD COLUMN label VARCHAR(40)"},
        {"0003_add_rank.sql", "ALTER TABLE m_items ADD COLUMN item_rank INTEGER"},
        {"0004_index.sql", "CREATE INDEX m_items_rank ON m_items (item_rank)"},
    };
  }

  std::unique_ptr<Database> Open(const StoreOptions& opts = StoreOptions()) {
    auto db = Database::Open(url_, opts);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  absl::StatusOr<Rows> Query(Database& db, const std::string& sql, const Params& params = {}) {
    Rows rows;
    absl::Status s = db.Run([&](Connection& c) -> absl::Status {
      HELHED_ASSIGN_OR_RETURN(rows, c.Query(sql, params));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  // How many columns named `column` m_items has.
  int64_t ColumnCount(Database& db, const std::string& column) {
    auto rows = mysql() ? Query(db,
                                "SELECT COUNT(*) FROM information_schema.columns WHERE "
                                "table_schema = DATABASE() AND table_name = 'm_items' AND "
                                "column_name = ?",
                                {column})
                        : Query(db,
                                "SELECT COUNT(*) FROM pragma_table_info('m_items') WHERE "
                                "name = ?",
                                {column});
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  // version -> how often schema_migrations records it, as "v:n" pairs.
  std::string RecordedVersions(Database& db) {
    auto rows = Query(db,
                      "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version "
                      "ORDER BY version");
    if (!rows.ok()) return rows.status().ToString();
    std::string out;
    for (const Row& r : *rows)
      absl::StrAppend(&out, out.empty() ? "" : " ", r.Int(0), ":", r.Int(1));
    return out;
  }

  // The lock Migrate() takes, as named in its report and errors.
  std::string LockName() const {
    if (!mysql()) return absl::StrCat("sqlite write lock of ", ParseStoreUrl(url_)->path);
    return absl::StrCat("helhed_migrate_", ParseStoreUrl(url_)->database);
  }

  // Holds what another process's migration run holds (MySQL: the named
  // lock, on a connection of `holder`; SQLite: the file's write lock, an
  // open write transaction, committed at the end) while `while_held` runs
  // on that connection; then gives it up, or with `release` false leaves it
  // to closing `holder` (the process dying).
  void HoldLock(Database& holder, const std::function<void(Connection&)>& while_held,
                bool release = true) {
    absl::Status s = holder.Run([&](Connection& c) -> absl::Status {
      if (mysql()) {
        HELHED_ASSIGN_OR_RETURN(Rows r, c.Query("SELECT GET_LOCK(?, 0)", {LockName()}));
        if (r.empty() || r[0].Int(0) != 1) return absl::InternalError("lock not taken");
      } else {
        HELHED_RETURN_IF_ERROR(c.Begin(/*write=*/true));
      }
      while_held(c);
      if (!release) return absl::OkStatus();
      if (mysql()) return c.Query("SELECT RELEASE_LOCK(?)", {LockName()}).status();
      return c.Commit();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  // Options of a process whose waits are counted in `waits`.
  StoreOptions Counting(std::atomic<int>& waits, std::string& lock, absl::Duration timeout) {
    StoreOptions o;
    o.busy_timeout = absl::Milliseconds(100);  // SQLite: notice the busy file early
    o.migrate_lock_timeout = timeout;
    o.on_migrate_wait = [&waits, &lock](const std::string& name) {
      lock = name;
      ++waits;
    };
    return o;
  }

  std::string url_;
};

TEST_P(MigrationLockTest, ConcurrentStartsApplyEachVersionOnce) {
  constexpr int kProcesses = 6;
  // One Database per "process": its own pool and connections, as replicas.
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < kProcesses; ++i) {
    dbs.push_back(Open());
    ASSERT_NE(dbs.back(), nullptr);
  }
  const std::vector<MigrationFile> files = NonIdempotent();
  std::vector<absl::Status> results(kProcesses);
  std::vector<MigrationReport> reports(kProcesses);
  absl::Barrier* start = new absl::Barrier(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      if (start->Block()) delete start;
      results[i] = dbs[i]->Migrate(files, &reports[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kProcesses; ++i) {
    EXPECT_TRUE(results[i].ok()) << "process " << i << ": " << results[i];
  }
  EXPECT_EQ(RecordedVersions(*dbs[0]), "1:1 2:1 3:1 4:1");
  // The start-up logs: every file applied by exactly one process.
  std::map<std::string, int> applied;
  for (const MigrationReport& r : reports) {
    EXPECT_EQ(r.lock, LockName());
    for (const std::string& name : r.applied) ++applied[name];
  }
  const std::string second = mysql() ? "0002_add_label.mysql.sql" : "0002_add_label.sqlite.sql";
  EXPECT_EQ(
      applied,
      (std::map<std::string, int>{
          {"0001_create.sql", 1}, {second, 1}, {"0003_add_rank.sql", 1}, {"0004_index.sql", 1}}));
  EXPECT_EQ(ColumnCount(*dbs[0], "label"), 1);
  EXPECT_EQ(ColumnCount(*dbs[0], "item_rank"), 1);
  // The schema is usable: a row with the added columns goes in.
  EXPECT_TRUE(dbs[0]
                  ->Transaction([](Connection& c) {
                    return c
                        .Execute("INSERT INTO m_items (id, label, item_rank) VALUES (?, ?, ?)",
                                 {1, "a", 2})
                        .status();
                  })
                  .ok());
}

TEST_P(MigrationLockTest, WaitsForAnotherProcessesMigrationThenFindsItDone) {
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->Migrate({NonIdempotent()[0]}).ok());  // an earlier release
  std::atomic<int> waits{0};
  std::string lock;
  auto db = Open(Counting(waits, lock, absl::Seconds(60)));
  ASSERT_NE(db, nullptr);
  absl::Status status;
  MigrationReport report;
  std::thread t;
  HoldLock(*other, [&](Connection& c) {
    t = std::thread([&] { status = db->Migrate(NonIdempotent(), &report); });
    absl::SleepFor(absl::Milliseconds(1500));
    // Still waiting: nothing of this run is applied while the lock is held.
    EXPECT_EQ(ColumnCount(*other, "label"), 0);
    EXPECT_EQ(RecordedVersions(*other), "1:1");
    // The other process's migration of version 2, under its lock.
    ASSERT_TRUE(c.ExecuteScript("ALTER TABLE m_items ADD COLUMN label VARCHAR(40)").ok());
    ASSERT_TRUE(c.Execute("INSERT INTO schema_migrations (version, name, applied_at) "
                          "VALUES (2, 'by_the_other.sql', 0)",
                          {})
                    .ok());
  });
  t.join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(waits.load(), 1);
  EXPECT_EQ(lock, LockName());
  EXPECT_TRUE(report.waited);
  EXPECT_GE(report.wait_time, absl::Seconds(1));
  EXPECT_EQ(report.applied, (std::vector<std::string>{"0003_add_rank.sql", "0004_index.sql"}));
  EXPECT_EQ(RecordedVersions(*db), "1:1 2:1 3:1 4:1");
  EXPECT_EQ(ColumnCount(*db, "label"), 1);
}

TEST_P(MigrationLockTest, LockTimeoutNamesTheLockAndAppliesNothing) {
  auto holder = Open();
  ASSERT_NE(holder, nullptr);
  std::atomic<int> waits{0};
  std::string lock;
  auto db = Open(Counting(waits, lock, absl::Seconds(1)));
  ASSERT_NE(db, nullptr);
  absl::Status status;
  absl::Duration took;
  HoldLock(
      *holder,
      [&](Connection&) {
        const absl::Time start = absl::Now();
        status = db->Migrate(NonIdempotent());
        took = absl::Now() - start;
      },
      /*release=*/false);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_NE(std::string(status.message()).find(absl::StrCat("migration lock ", LockName())),
            std::string::npos)
      << status;
  EXPECT_GE(took, absl::Seconds(1));
  EXPECT_LT(took, absl::Seconds(15));
  EXPECT_EQ(waits.load(), 1);
  EXPECT_EQ(lock, LockName());
  auto rows = Query(*db, "SELECT COUNT(*) FROM m_items");
  EXPECT_FALSE(rows.ok()) << "m_items was created without the lock";

  // The holder's process dies without releasing: its connections close and
  // the database frees the lock, so the next start migrates.
  holder.reset();
  MigrationReport report;
  ASSERT_TRUE(db->Migrate(NonIdempotent(), &report).ok());
  EXPECT_EQ(report.applied.size(), 4u);
  EXPECT_EQ(RecordedVersions(*db), "1:1 2:1 3:1 4:1");
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationLockTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const auto& p) { return helhed::testing::BackendName(p.param); });

}  // namespace
}  // namespace helhed::store
