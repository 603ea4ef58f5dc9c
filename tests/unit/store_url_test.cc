// Tests of common/store/store_url: parsing sqlite:// and mysql:// URLs and
// logging them without the password.
#include "common/store/store_url.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace helhed::store {
namespace {

TEST(StoreUrlTest, SqliteAbsoluteAndRelative) {
  auto abs = ParseStoreUrl("sqlite:///var/lib/helhed/plans.db");
  ASSERT_TRUE(abs.ok()) << abs.status();
  EXPECT_EQ(abs->dialect, Dialect::kSqlite);
  EXPECT_EQ(abs->path, "/var/lib/helhed/plans.db");
  EXPECT_EQ(abs->Redacted(), "sqlite:///var/lib/helhed/plans.db");

  auto rel = ParseStoreUrl("sqlite://var/plans.db");
  ASSERT_TRUE(rel.ok()) << rel.status();
  EXPECT_EQ(rel->path, "var/plans.db");
}

TEST(StoreUrlTest, SqliteNeedsAPath) {
  EXPECT_EQ(ParseStoreUrl("sqlite://").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StoreUrlTest, MysqlAllParts) {
  auto u = ParseStoreUrl("mysql://helhed:s3cret@db.internal:3307/plans");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->dialect, Dialect::kMysql);
  EXPECT_EQ(u->user, "helhed");
  EXPECT_EQ(u->password, "s3cret");
  EXPECT_EQ(u->host, "db.internal");
  EXPECT_EQ(u->port, 3307);
  EXPECT_EQ(u->database, "plans");
}

TEST(StoreUrlTest, MysqlDefaultPort) {
  auto u = ParseStoreUrl("mysql://u:p@localhost/db");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->host, "localhost");
  EXPECT_EQ(u->port, 3306);
  EXPECT_EQ(u->database, "db");
}

TEST(StoreUrlTest, MysqlPercentEncodedCredentials) {
  // Password "p@ss:w/rd%" and user "app user".
  auto u = ParseStoreUrl("mysql://app%20user:p%40ss%3Aw%2Frd%25@10.0.0.5:3306/plans");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->user, "app user");
  EXPECT_EQ(u->password, "p@ss:w/rd%");
  EXPECT_EQ(u->host, "10.0.0.5");
  EXPECT_EQ(u->database, "plans");
}

TEST(StoreUrlTest, MysqlUnencodedAtInPasswordUsesTheLastAt) {
  auto u = ParseStoreUrl("mysql://u:a@b@host:3306/db");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->password, "a@b");
  EXPECT_EQ(u->host, "host");
}

TEST(StoreUrlTest, MysqlWithoutPassword) {
  auto u = ParseStoreUrl("mysql://reader@host/db");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->user, "reader");
  EXPECT_EQ(u->password, "");
}

TEST(StoreUrlTest, MysqlIpv6Host) {
  auto with_port = ParseStoreUrl("mysql://u:p@[::1]:3307/db");
  ASSERT_TRUE(with_port.ok()) << with_port.status();
  EXPECT_EQ(with_port->host, "[::1]");
  EXPECT_EQ(with_port->port, 3307);
  // Without a port the colons inside the brackets are not a port separator.
  auto default_port = ParseStoreUrl("mysql://u:p@[fd00::5]/db");
  ASSERT_TRUE(default_port.ok()) << default_port.status();
  EXPECT_EQ(default_port->host, "[fd00::5]");
  EXPECT_EQ(default_port->port, 3306);
  EXPECT_EQ(default_port->Redacted(), "mysql://u:***@[fd00::5]:3306/db");
}

TEST(StoreUrlTest, RedactedHidesThePassword) {
  auto u = ParseStoreUrl("mysql://helhed:Hemmelig%21Kode@db:3306/plans");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->password, "Hemmelig!Kode");
  const std::string r = u->Redacted();
  EXPECT_EQ(r.find("Hemmelig"), std::string::npos) << r;
  EXPECT_EQ(r.find("Kode"), std::string::npos) << r;
  EXPECT_NE(r.find("***"), std::string::npos) << r;
  EXPECT_NE(r.find("helhed"), std::string::npos) << r;
  EXPECT_NE(r.find("db:3306/plans"), std::string::npos) << r;
}

TEST(StoreUrlTest, Malformed) {
  const char* bad[] = {
      "",
      "postgres://u:p@h/db",
      "/var/lib/plans.db",
      "mysql://host/db",            // no user@
      "mysql://u:p@host",           // no database
      "mysql://u:p@host/",          // empty database
      "mysql://u:p@/db",            // no host
      "mysql://u:p@:3306/db",       // no host
      "mysql://u:p@host:0/db",      // bad port
      "mysql://u:p@host:65536/db",  // bad port
      "mysql://u:p@host:http/db",   // bad port
      "mysql://u:p%zz@host/db",     // bad percent-encoding
      "mysql://u:p%4@host/db",      // truncated percent-encoding
      "mysql://u:p%@host/db",       // truncated percent-encoding
  };
  for (const char* url : bad) {
    auto u = ParseStoreUrl(url);
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << "accepted: " << url;
  }
}

TEST(StoreUrlTest, ErrorsDoNotEchoThePassword) {
  auto u = ParseStoreUrl("mysql://u:TopSecret%zz@host/db");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(std::string(u.status().message()).find("TopSecret"), std::string::npos);
}

}  // namespace
}  // namespace helhed::store
