// Tests of common/store/database and its drivers, run against every backend
// in TestBackends() (SQLite, and MariaDB when configured): bound values,
// error mapping, the transaction helper, migrations, concurrency and the
// pool.
#include "common/store/database.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/status_macros.h"
#include "gtest/gtest.h"
#include "tests/support/test_store.h"

namespace helhed::store {
namespace {

using helhed::testing::AllBackends;
using helhed::testing::Backend;
using helhed::testing::BackendName;
using helhed::testing::NewStoreUrl;

class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    db_ = OpenDb(StoreOptions());
    ASSERT_NE(db_, nullptr);
  }

  std::unique_ptr<Database> OpenDb(const StoreOptions& opts) {
    auto db = Database::Open(url_, opts);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  absl::Status Exec(const std::string& sql, const Params& params = {}) {
    return db_->Run([&](Connection& c) { return c.Execute(sql, params).status(); });
  }

  absl::StatusOr<Rows> Query(const std::string& sql, const Params& params = {}) {
    Rows rows;
    absl::Status s = db_->Run([&](Connection& c) -> absl::Status {
      HELHED_ASSIGN_OR_RETURN(rows, c.Query(sql, params));
      return absl::OkStatus();
    });
    if (!s.ok()) {
      return s;
    }
    return rows;
  }

  int64_t Count(const std::string& table) {
    auto rows = Query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() && !rows->empty() ? (*rows)[0].Int(0) : -1;
  }

  bool TableExists(const std::string& table) { return Query("SELECT 1 FROM " + table).ok(); }

  void CreateKv() {
    ASSERT_TRUE(
        Exec("CREATE TABLE kv (k VARCHAR(40) NOT NULL PRIMARY KEY, v BIGINT NOT NULL)").ok());
  }

  const char* Mine() const { return GetParam() == Backend::kSqlite ? "sqlite" : "mysql"; }
  const char* Other() const { return GetParam() == Backend::kSqlite ? "mysql" : "sqlite"; }

  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, DialectMatchesTheBackend) {
  EXPECT_EQ(db_->dialect(), GetParam() == Backend::kSqlite ? Dialect::kSqlite : Dialect::kMysql);
  absl::Status s = db_->Run([&](Connection& c) {
    EXPECT_EQ(c.dialect(), db_->dialect());
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

TEST_P(DatabaseTest, Ping) {
  EXPECT_TRUE(db_->Ping().ok());
  db_->Close();
  EXPECT_EQ(db_->Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(db_->Run([](Connection&) { return absl::OkStatus(); }).code(),
            absl::StatusCode::kUnavailable);
}

TEST_P(DatabaseTest, BoundValuesRoundTrip) {
  ASSERT_TRUE(Exec("CREATE TABLE vals (id INTEGER NOT NULL PRIMARY KEY, i BIGINT, d DOUBLE,"
                   " t VARCHAR(200), b LONGBLOB, n BIGINT)")
                  .ok());
  const std::string danish = "Ærø Kommune: æøå ÆØÅ – “citat” € \xF0\x9F\x98\x80";
  const std::string blob("\0\x01\xff\xfe'\"\\;\0end", 12);
  struct Case {
    int id;
    int64_t i;
    double d;
  };
  const Case cases[] = {{1, std::numeric_limits<int64_t>::max(), 0.1},
                        {2, std::numeric_limits<int64_t>::min(), -1e300},
                        {3, 0, 12345.678}};
  for (const auto& c : cases) {
    ASSERT_TRUE(Exec("INSERT INTO vals (id, i, d, t, b, n) VALUES (?, ?, ?, ?, ?, ?)",
                     {c.id, c.i, c.d, danish, blob, Value()})
                    .ok());
  }
  for (const auto& c : cases) {
    auto rows = Query("SELECT i, d, t, b, n FROM vals WHERE id = ?", {c.id});
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->size(), 1u);
    const Row& r = (*rows)[0];
    EXPECT_EQ(r.Int(0), c.i);
    EXPECT_DOUBLE_EQ(r.Double(1), c.d);
    EXPECT_EQ(r.Str(2), danish);
    EXPECT_EQ(r.Str(3), blob);
    EXPECT_EQ(r.Str(3).size(), 12u);
    EXPECT_TRUE(r.IsNull(4));
  }
  // Bound text and bytes also work as keys.
  auto by_text = Query("SELECT COUNT(*) FROM vals WHERE t = ?", {danish});
  ASSERT_TRUE(by_text.ok()) << by_text.status();
  EXPECT_EQ((*by_text)[0].Int(0), 3);
  auto by_blob = Query("SELECT COUNT(*) FROM vals WHERE b = ?", {blob});
  ASSERT_TRUE(by_blob.ok()) << by_blob.status();
  EXPECT_EQ((*by_blob)[0].Int(0), 3);
  auto by_other = Query("SELECT COUNT(*) FROM vals WHERE b = ?", {std::string("\0\x01", 2)});
  ASSERT_TRUE(by_other.ok());
  EXPECT_EQ((*by_other)[0].Int(0), 0);  // not cut at the NUL
}

TEST_P(DatabaseTest, LargeBinaryValueRoundTrips) {
  ASSERT_TRUE(Exec("CREATE TABLE big (id INTEGER NOT NULL PRIMARY KEY, b LONGBLOB)").ok());
  std::string blob(300 * 1024, '\0');
  for (size_t i = 0; i < blob.size(); ++i) {
    blob[i] = static_cast<char>((i * 7919) % 256);
  }
  ASSERT_TRUE(Exec("INSERT INTO big (id, b) VALUES (?, ?)", {1, blob}).ok());
  auto rows = Query("SELECT b FROM big WHERE id = ?", {1});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].Str(0) == blob) << "size " << (*rows)[0].Str(0).size();
}

TEST_P(DatabaseTest, ExecuteCountsMatchedRows) {
  CreateKv();
  for (const char* k : {"a", "b", "c"}) {
    ASSERT_TRUE(Exec("INSERT INTO kv (k, v) VALUES (?, ?)", {k, 1}).ok());
  }
  absl::Status s = db_->Run([](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(int64_t n, c.Execute("UPDATE kv SET v = ? WHERE k <> ?", {2, "c"}));
    EXPECT_EQ(n, 2);
    // Unchanged values still count as matched, on every backend.
    HELHED_ASSIGN_OR_RETURN(n, c.Execute("UPDATE kv SET v = ? WHERE k = ?", {2, "a"}));
    EXPECT_EQ(n, 1);
    HELHED_ASSIGN_OR_RETURN(n, c.Execute("UPDATE kv SET v = ? WHERE k = ?", {2, "zzz"}));
    EXPECT_EQ(n, 0);
    HELHED_ASSIGN_OR_RETURN(n, c.Execute("DELETE FROM kv WHERE v = ?", {2}));
    EXPECT_EQ(n, 2);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count("kv"), 1);
}

TEST_P(DatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(Exec("CREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY,"
                   " email VARCHAR(100) NOT NULL, UNIQUE (email))")
                  .ok());
  ASSERT_TRUE(Exec("INSERT INTO people (id, email) VALUES (?, ?)", {1, "jens@example.dk"}).ok());
  absl::Status pk = Exec("INSERT INTO people (id, email) VALUES (?, ?)", {1, "other@example.dk"});
  EXPECT_EQ(pk.code(), absl::StatusCode::kAlreadyExists) << pk;
  absl::Status uq = Exec("INSERT INTO people (id, email) VALUES (?, ?)", {2, "jens@example.dk"});
  EXPECT_EQ(uq.code(), absl::StatusCode::kAlreadyExists) << uq;
  // The value itself is not echoed into the status (it may be personal data).
  EXPECT_EQ(std::string(uq.message()).find("jens@example.dk"), std::string::npos) << uq;
  EXPECT_EQ(Count("people"), 1);
  // The connection is still usable afterwards.
  EXPECT_TRUE(Exec("INSERT INTO people (id, email) VALUES (?, ?)", {2, "ny@example.dk"}).ok());
  EXPECT_EQ(Count("people"), 2);
}

TEST_P(DatabaseTest, BadSqlIsInternalAndTheConnectionSurvives) {
  EXPECT_EQ(Exec("SELEKT 1").code(), absl::StatusCode::kInternal);
  EXPECT_FALSE(Query("SELECT x FROM no_such_table").ok());
  // Wrong number of parameters is an error, not a crash.
  EXPECT_FALSE(Query("SELECT ? + ?", {1}).ok());
  EXPECT_TRUE(db_->Ping().ok());
  auto rows = Query("SELECT ? + ?", {1, 2});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)[0].Int(0), 3);
}

TEST_P(DatabaseTest, TransactionCommitsOnOk) {
  CreateKv();
  absl::Status s = db_->Transaction([](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", 1}).status());
    return c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"b", 2}).status();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count("kv"), 2);
}

TEST_P(DatabaseTest, TransactionRollsBackOnError) {
  CreateKv();
  int calls = 0;
  absl::Status s = db_->Transaction([&](Connection& c) -> absl::Status {
    ++calls;
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", 1}).status());
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"b", 2}).status());
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(calls, 1);  // not retried
  EXPECT_EQ(Count("kv"), 0);
}

TEST_P(DatabaseTest, TransactionRollsBackWhenAStatementFails) {
  CreateKv();
  ASSERT_TRUE(Exec("INSERT INTO kv (k, v) VALUES (?, ?)", {"dup", 0}).ok());
  absl::Status s = db_->Transaction([](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"new", 1}).status());
    HELHED_RETURN_IF_ERROR(c.Execute("UPDATE kv SET v = ? WHERE k = ?", {9, "dup"}).status());
    return c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"dup", 2}).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(Count("kv"), 1);
  auto rows = Query("SELECT v FROM kv WHERE k = ?", {"dup"});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 0);
}

TEST_P(DatabaseTest, AbortedTransactionIsRetriedFromAFreshStart) {
  CreateKv();
  int calls = 0;
  absl::Status s = db_->Transaction([&](Connection& c) -> absl::Status {
    ++calls;
    // Would be a duplicate key if an earlier attempt had not been rolled back.
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", calls}).status());
    if (calls < 3) {
      return absl::AbortedError("deadlock, try again");
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(calls, 3);
  auto rows = Query("SELECT v FROM kv");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 3);
}

TEST_P(DatabaseTest, AbortedTransactionGivesUpAfterMaxRetries) {
  CreateKv();
  StoreOptions opts;
  opts.max_retries = 2;
  auto db = OpenDb(opts);
  ASSERT_NE(db, nullptr);
  int calls = 0;
  absl::Status s = db->Transaction([&](Connection& c) -> absl::Status {
    ++calls;
    HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", calls}).status());
    return absl::AbortedError("busy");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 3);  // the first try and two retries
  EXPECT_EQ(Count("kv"), 0);
}

TEST_P(DatabaseTest, ConcurrentIncrementsAllLand) {
  ASSERT_TRUE(
      Exec("CREATE TABLE counter (id INTEGER NOT NULL PRIMARY KEY, v BIGINT NOT NULL)").ok());
  ASSERT_TRUE(Exec("INSERT INTO counter (id, v) VALUES (?, ?)", {1, 0}).ok());
  StoreOptions opts;
  opts.pool_size = 4;
  opts.max_retries = 50;
  auto db = OpenDb(opts);
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s = db->Transaction([](Connection& c) -> absl::Status {
          const std::string select =
              absl::StrCat("SELECT v FROM counter WHERE id = ?",
                           c.dialect() == Dialect::kMysql ? " FOR UPDATE" : "");
          HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(select, {1}));
          if (rows.size() != 1) {
            return absl::InternalError("counter row missing");
          }
          return c.Execute("UPDATE counter SET v = ? WHERE id = ?", {rows[0].Int(0) + 1, 1})
              .status();
        });
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  auto rows = Query("SELECT v FROM counter WHERE id = ?", {1});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)[0].Int(0), kThreads * kIncrements);
}

TEST_P(DatabaseTest, ReadTransactionSeesOneSnapshot) {
  CreateKv();
  ASSERT_TRUE(Exec("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", 1}).ok());
  absl::Status s = db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(Rows before, c.Query("SELECT COUNT(*) FROM kv", {}));
    // Another connection commits a row meanwhile.
    HELHED_RETURN_IF_ERROR(db_->Transaction([](Connection& w) {
      return w.Execute("INSERT INTO kv (k, v) VALUES (?, ?)", {"b", 2}).status();
    }));
    HELHED_ASSIGN_OR_RETURN(Rows after, c.Query("SELECT COUNT(*) FROM kv", {}));
    EXPECT_EQ(before[0].Int(0), 1);
    EXPECT_EQ(after[0].Int(0), 1);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count("kv"), 2);
}

TEST_P(DatabaseTest, PoolTimesOutWhenEveryConnectionIsBusy) {
  StoreOptions opts;
  opts.pool_size = 1;
  opts.acquire_timeout = absl::Milliseconds(100);
  auto db = OpenDb(opts);
  ASSERT_NE(db, nullptr);
  absl::Status inner;
  absl::Status outer = db->Run([&](Connection&) {
    inner = db->Run([](Connection&) { return absl::OkStatus(); });
    return absl::OkStatus();
  });
  EXPECT_TRUE(outer.ok()) << outer;
  EXPECT_EQ(inner.code(), absl::StatusCode::kUnavailable) << inner;
  // The connection went back to the pool.
  EXPECT_TRUE(db->Ping().ok());
  EXPECT_TRUE(db->Ping().ok());
}

// ---------------------------------------------------------------------------
// Migrations

std::vector<MigrationFile> TestMigrations() {
  return {
      {"0003_more.sql", "CREATE TABLE m_generic3 (x INTEGER)"},
      {"0003_more.sqlite.sql", "CREATE TABLE m_specific3_sqlite (x INTEGER)"},
      {"0003_more.mysql.sql", "CREATE TABLE m_specific3_mysql (x INTEGER)"},
      {"0002_extra.sqlite.sql",
       "CREATE TABLE m_only_sqlite (x INTEGER);\n"
       "INSERT INTO m_common (id, note) VALUES (2, 'second; with a semicolon');"},
      {"0002_extra.mysql.sql",
       "CREATE TABLE m_only_mysql (x INTEGER) ENGINE=InnoDB;\n"
       "INSERT INTO m_common (id, note) VALUES (2, 'second; with a semicolon');"},
      {"0001_init.sql",
       "-- the first migration; it must run first\n"
       "CREATE TABLE m_common (id INTEGER NOT NULL PRIMARY KEY, note VARCHAR(50));\n"
       "INSERT INTO m_common (id, note) VALUES (1, 'seeded');\n"},
  };
}

TEST_P(DatabaseTest, MigrateAppliesInOrderAndPicksTheDialect) {
  absl::Status s = db_->Migrate(TestMigrations());
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count("m_common"), 2);
  auto note = Query("SELECT note FROM m_common WHERE id = ?", {2});
  ASSERT_TRUE(note.ok());
  EXPECT_EQ((*note)[0].Str(0), "second; with a semicolon");
  EXPECT_TRUE(TableExists(absl::StrCat("m_only_", Mine())));
  EXPECT_FALSE(TableExists(absl::StrCat("m_only_", Other())));
  // A dialect-specific file wins over a generic one of the same version.
  EXPECT_TRUE(TableExists(absl::StrCat("m_specific3_", Mine())));
  EXPECT_FALSE(TableExists(absl::StrCat("m_specific3_", Other())));
  EXPECT_FALSE(TableExists("m_generic3"));
  auto applied = Query("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(applied.ok()) << applied.status();
  ASSERT_EQ(applied->size(), 3u);
  EXPECT_EQ((*applied)[0].Str(1), "0001_init.sql");
  EXPECT_EQ((*applied)[1].Str(1), absl::StrCat("0002_extra.", Mine(), ".sql"));
  EXPECT_EQ((*applied)[2].Str(1), absl::StrCat("0003_more.", Mine(), ".sql"));
}

TEST_P(DatabaseTest, DialectSpecificMigrationWinsInEitherOrder) {
  const std::vector<MigrationFile> files = {
      {absl::StrCat("0001_a.", Mine(), ".sql"), "CREATE TABLE m_first_specific (x INTEGER)"},
      {"0001_a.sql", "CREATE TABLE m_first_generic (x INTEGER)"},
      {"0002_b.sql", "CREATE TABLE m_second_generic (x INTEGER)"},
      {absl::StrCat("0002_b.", Mine(), ".sql"), "CREATE TABLE m_second_specific (x INTEGER)"},
  };
  ASSERT_TRUE(db_->Migrate(files).ok());
  EXPECT_TRUE(TableExists("m_first_specific"));
  EXPECT_FALSE(TableExists("m_first_generic"));
  EXPECT_TRUE(TableExists("m_second_specific"));
  EXPECT_FALSE(TableExists("m_second_generic"));
}

TEST_P(DatabaseTest, MigrateTwiceIsANoOp) {
  ASSERT_TRUE(db_->Migrate(TestMigrations()).ok());
  // The scripts are not idempotent themselves (CREATE TABLE without IF NOT
  // EXISTS, INSERT): running them again would fail or double the rows.
  absl::Status again = db_->Migrate(TestMigrations());
  ASSERT_TRUE(again.ok()) << again;
  EXPECT_EQ(Count("m_common"), 2);
  EXPECT_EQ(Count("schema_migrations"), 3);
  // A fresh Database on the same store agrees.
  auto other = OpenDb(StoreOptions());
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(other->Migrate(TestMigrations()).ok());
  EXPECT_EQ(Count("m_common"), 2);
}

TEST_P(DatabaseTest, MigrateAppliesOnlyNewVersions) {
  ASSERT_TRUE(db_->Migrate(TestMigrations()).ok());
  auto files = TestMigrations();
  files.push_back({"0004_add.sql", "INSERT INTO m_common (id, note) VALUES (4, 'fourth')"});
  ASSERT_TRUE(db_->Migrate(files).ok());
  EXPECT_EQ(Count("m_common"), 3);
  EXPECT_EQ(Count("schema_migrations"), 4);
}

TEST_P(DatabaseTest, FailedMigrationNamesTheFileAndIsNotRecorded) {
  std::vector<MigrationFile> files = {
      {"0001_ok.sql", "CREATE TABLE m_ok (x INTEGER)"},
      {"0002_broken.sql", "CREATE TABLEX m_broken (x INTEGER)"},
  };
  absl::Status s = db_->Migrate(files);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("0002_broken.sql"), std::string::npos) << s;
  EXPECT_EQ(Count("schema_migrations"), 1);
  files[1].sql = "CREATE TABLE m_fixed (x INTEGER)";
  ASSERT_TRUE(db_->Migrate(files).ok());
  EXPECT_TRUE(TableExists("m_fixed"));
  EXPECT_EQ(Count("schema_migrations"), 2);
}

TEST_P(DatabaseTest, MigrateRefusesBadFileSets) {
  EXPECT_EQ(db_->Migrate({{"0001_a.sql", "SELECT 1"}, {"0001_b.sql", "SELECT 1"}}).code(),
            absl::StatusCode::kInvalidArgument);
  const std::string mine = absl::StrCat("0001_a.", Mine(), ".sql");
  const std::string mine2 = absl::StrCat("0001_b.", Mine(), ".sql");
  EXPECT_EQ(db_->Migrate({{mine, "SELECT 1"}, {mine2, "SELECT 1"}}).code(),
            absl::StatusCode::kInvalidArgument);
  for (const char* name : {"init.sql", "0000_zero.sql", "0001_init.txt", "x001_init.sql"}) {
    EXPECT_EQ(db_->Migrate({{name, "SELECT 1"}}).code(), absl::StatusCode::kInvalidArgument)
        << name;
  }
  // Nothing was applied by the refused sets.
  auto rows = Query("SELECT COUNT(*) FROM schema_migrations");
  if (rows.ok()) {
    EXPECT_EQ((*rows)[0].Int(0), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return BackendName(p.param);
                         });

// ---------------------------------------------------------------------------
// Opening

TEST(DatabaseOpenTest, BadUrlOrOptions) {
  EXPECT_EQ(Database::Open("postgres://x", StoreOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  StoreOptions zero;
  zero.pool_size = 0;
  auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(Database::Open(*url, zero).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DatabaseOpenTest, UnreachableStoreIsUnavailable) {
  EXPECT_EQ(
      Database::Open("sqlite:///nonexistent-dir-for-helhed/x/y.db", StoreOptions()).status().code(),
      absl::StatusCode::kUnavailable);
  StoreOptions fast;
  fast.connect_timeout = absl::Seconds(1);
  // Port 1 on loopback: nothing listens there, the connection is refused.
  auto db = Database::Open("mysql://u:p@127.0.0.1:1/db", fast);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
}

}  // namespace
}  // namespace helhed::store
