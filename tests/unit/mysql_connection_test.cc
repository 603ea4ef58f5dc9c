// Tests of the MySQL driver's pure helpers (common/store/mysql): the single
// error mapping, redaction of data values from server messages, and script
// splitting. The driver against a live server is covered by database_test.
#include "common/store/mysql/mysql_connection.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace helhed::store {
namespace {

TEST(MysqlErrorStatusTest, DuplicateKeyIsAlreadyExists) {
  for (int code : {1062, 1586, 1022}) {
    bool broken = true;
    absl::Status s =
        MysqlErrorStatus("execute", code, "23000", "Duplicate entry 'x' for key 'k'", &broken);
    EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << code;
    EXPECT_FALSE(broken);
  }
}

TEST(MysqlErrorStatusTest, DeadlockAndLockWaitAreAborted) {
  bool broken = true;
  EXPECT_EQ(MysqlErrorStatus("execute", 1213, "40001", "Deadlock found", &broken).code(),
            absl::StatusCode::kAborted);
  EXPECT_FALSE(broken);
  EXPECT_EQ(
      MysqlErrorStatus("execute", 1205, "HY000", "Lock wait timeout exceeded", &broken).code(),
      absl::StatusCode::kAborted);
  EXPECT_FALSE(broken);
}

TEST(MysqlErrorStatusTest, LostConnectionIsUnavailableAndBroken) {
  for (int code : {2002, 2003, 2006, 2013, 2055, 1927, 1053, 4031}) {
    bool broken = false;
    absl::Status s = MysqlErrorStatus("query", code, "HY000", "gone", &broken);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << code;
    EXPECT_TRUE(broken) << code;
  }
  bool broken = false;
  EXPECT_EQ(MysqlErrorStatus("query", 9999, "08S01", "link failure", &broken).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(broken);
}

TEST(MysqlErrorStatusTest, ProtocolErrorsAreInternalButBroken) {
  for (int code : {2014, 2027}) {
    bool broken = false;
    EXPECT_EQ(MysqlErrorStatus("query", code, "HY000", "out of sync", &broken).code(),
              absl::StatusCode::kInternal);
    EXPECT_TRUE(broken) << code;
  }
}

TEST(MysqlErrorStatusTest, OtherErrorsAreInternalAndNotBroken) {
  bool broken = true;
  absl::Status s =
      MysqlErrorStatus("query", 1064, "42000", "You have an error in your SQL syntax", &broken);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_FALSE(broken);
  EXPECT_NE(std::string(s.message()).find("1064"), std::string::npos) << s;
  EXPECT_NE(std::string(s.message()).find("42000"), std::string::npos) << s;
  // Null `broken` is allowed.
  EXPECT_EQ(MysqlErrorStatus("query", 1146, "42S02", "Table doesn't exist").code(),
            absl::StatusCode::kInternal);
}

TEST(MysqlErrorStatusTest, MessageNeverCarriesTheDuplicateValue) {
  absl::Status s = MysqlErrorStatus(
      "execute", 1062, "23000", "Duplicate entry '730-0101901234' for key 'citizen_plans_request'");
  const std::string m(s.message());
  EXPECT_EQ(m.find("0101901234"), std::string::npos) << m;
  EXPECT_NE(m.find("citizen_plans_request"), std::string::npos) << m;
}

TEST(RedactMysqlErrorTextTest, RedactsValuesKeepsNames) {
  EXPECT_EQ(RedactMysqlErrorText("Duplicate entry 'secret' for key 'PRIMARY'"),
            "Duplicate entry '<redacted>' for key 'PRIMARY'");
  EXPECT_EQ(RedactMysqlErrorText("Incorrect string value: '\\xC3' for column `t`.`title` at row 1"),
            "Incorrect string value: '<redacted>' for column `t`.`title` at row 1");
  EXPECT_EQ(RedactMysqlErrorText("Table 'db.plans' doesn't exist"),
            "Table 'db.plans' doesn't exist");
}

TEST(RedactMysqlErrorTextTest, ValueWithQuotesIsRedactedWhole) {
  const std::string out =
      RedactMysqlErrorText("Duplicate entry 'a' for key 'b' for x' for key 'policies_request'");
  EXPECT_EQ(out.find("for x"), std::string::npos) << out;
  EXPECT_NE(out.find("policies_request"), std::string::npos) << out;
}

TEST(RedactMysqlErrorTextTest, UnterminatedValueDropsTheRest) {
  const std::string out = RedactMysqlErrorText("Duplicate entry 'secret");
  EXPECT_EQ(out.find("secret"), std::string::npos) << out;
}

TEST(SplitSqlScriptTest, SplitsAtStatementEnds) {
  EXPECT_EQ(SplitSqlScript("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"),
            (std::vector<std::string>{"CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"}));
  EXPECT_EQ(SplitSqlScript("SELECT 1"), std::vector<std::string>{"SELECT 1"});
  EXPECT_TRUE(SplitSqlScript("  ;\n; -- only a comment\n/* and this */").empty());
}

TEST(SplitSqlScriptTest, IgnoresSemicolonsInQuotesAndComments) {
  auto parts = SplitSqlScript(
      "INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`); -- trailing; comment\n"
      "# hash; comment\n"
      "/* block; comment */ INSERT INTO t VALUES ('it''s; here', 'back\\'slash;');");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)");
  EXPECT_NE(parts[1].find("'it''s; here'"), std::string::npos) << parts[1];
  EXPECT_NE(parts[1].find("'back\\'slash;'"), std::string::npos) << parts[1];
}

TEST(SplitSqlScriptTest, DashDashNeedsASpaceToBeAComment) {
  auto parts = SplitSqlScript("SELECT 1--1;SELECT 2");
  EXPECT_EQ(parts, (std::vector<std::string>{"SELECT 1--1", "SELECT 2"}));
}

TEST(SplitSqlScriptTest, ExecutableCommentCounts) {
  auto parts = SplitSqlScript("/*!40101 SET NAMES utf8mb4 */;");
  EXPECT_EQ(parts, std::vector<std::string>{"/*!40101 SET NAMES utf8mb4 */"});
}

}  // namespace
}  // namespace helhed::store
