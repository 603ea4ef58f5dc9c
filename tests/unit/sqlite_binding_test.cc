// SQLite binds text as TEXT (so it matches string literals in SQL) and
// other bytes as BLOB, and both read back byte for byte.
#include "common/store/database.h"
#include "gtest/gtest.h"
#include "tests/support/test_store.h"

namespace helhed::store {
namespace {

TEST(SqliteBindingTest, BoundTextMatchesLiteralsAndBytesRoundTrip) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto db = Database::Open(*url, StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  const std::string binary("\0\xff\x01pb", 5);  // not UTF-8
  const std::string text_with_nul("a\0b", 3);   // UTF-8 with a NUL
  absl::Status s = (*db)->Run([&](Connection& c) -> absl::Status {
    auto r = c.ExecuteScript("CREATE TABLE t (k TEXT, v BLOB)");
    if (!r.ok()) return r;
    auto e = c.Execute("INSERT INTO t (k, v) VALUES (?, ?)", {"hours", binary});
    if (!e.ok()) return e.status();
    e = c.Execute("INSERT INTO t (k, v) VALUES (?, ?)", {"æøå", text_with_nul});
    if (!e.ok()) return e.status();
    auto rows = c.Query("SELECT v FROM t WHERE k = 'hours'", {});
    if (!rows.ok()) return rows.status();
    EXPECT_EQ(rows->size(), 1u);
    if (!rows->empty()) {
      EXPECT_EQ((*rows)[0].Str(0), binary);
    }
    rows = c.Query("SELECT v FROM t WHERE k = ?", {"æøå"});
    if (!rows.ok()) return rows.status();
    EXPECT_EQ(rows->size(), 1u);
    if (!rows->empty()) {
      EXPECT_EQ((*rows)[0].Str(0), text_with_nul);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

}  // namespace
}  // namespace helhed::store
