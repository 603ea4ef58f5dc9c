// The index hints of common/store/resources.h: on MySQL an unfiltered list
// of a kind with a list key (Kind<T>::kListKey) names it; any other filter,
// a kind without that key, or SQLite gets no hint.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/store/resources.h"
#include "gtest/gtest.h"

namespace helhed::store {
namespace {

// Only the dialect matters to the hints; nothing is run.
class DialectOnly : public Connection {
 public:
  explicit DialectOnly(Dialect d) : d_(d) {}
  Dialect dialect() const override { return d_; }
  absl::StatusOr<Rows> Query(absl::string_view, const Params&) override {
    return absl::UnimplementedError("not run");
  }
  absl::StatusOr<int64_t> Execute(absl::string_view, const Params&) override {
    return absl::UnimplementedError("not run");
  }
  absl::Status ExecuteScript(absl::string_view) override {
    return absl::UnimplementedError("not run");
  }
  absl::Status Begin(bool) override { return absl::UnimplementedError("not run"); }
  absl::Status Commit() override { return absl::UnimplementedError("not run"); }
  absl::Status Rollback() override { return absl::UnimplementedError("not run"); }
  absl::Status Ping() override { return absl::OkStatus(); }
  bool broken() const override { return false; }

 private:
  Dialect d_;
};

struct WithKey {
  static constexpr const char* kTable = "volunteers";
  static constexpr const char* kListKey = "volunteers_list";
};
struct WithoutKey {
  static constexpr const char* kTable = "organisations";
};

TEST(ListIndexHintTest, OnlyKindsThatDeclareAListKeyHaveOne) {
  EXPECT_STREQ(ListKeyOf<WithKey>::value, "volunteers_list");
  EXPECT_EQ(ListKeyOf<WithoutKey>::value, nullptr);
}

TEST(ListIndexHintTest, UnfilteredListOfAKindWithTheKeyNamesItOnMysql) {
  DialectOnly mysql(Dialect::kMysql);
  EXPECT_EQ(ListIndexHint(mysql, ListKeyOf<WithKey>::value, ListFilter()),
            " FORCE INDEX (volunteers_list)");
}

TEST(ListIndexHintTest, NoHintOnSqliteOrForTablesWithoutTheKey) {
  DialectOnly sqlite(Dialect::kSqlite);
  EXPECT_EQ(ListIndexHint(sqlite, "volunteers_list", ListFilter()), "");
  EXPECT_EQ(ForceIndex(sqlite, "volunteers_consent"), "");
  DialectOnly mysql(Dialect::kMysql);
  EXPECT_EQ(ListIndexHint(mysql, ListKeyOf<WithoutKey>::value, ListFilter()), "");
  EXPECT_EQ(ForceIndex(mysql, "volunteers_consent"), " FORCE INDEX (volunteers_consent)");
}

TEST(ListIndexHintTest, AnyOtherFilterLeavesTheChoiceToTheOptimizer) {
  DialectOnly mysql(Dialect::kMysql);
  std::vector<ListFilter> filters(9);
  filters[0].parent_id = "p";
  filters[1].ref_id = "r";
  filters[2].citizen_id = "c";
  filters[3].has_status = true;
  filters[4].year = 2026;
  filters[5].tag = "pc:8900";
  filters[6].restrict_ids = true;
  filters[6].ids = {"a"};
  filters[7].include_archived = true;
  filters[8].restrict_ids = true;  // no ids at all
  for (size_t i = 0; i < filters.size(); ++i) {
    EXPECT_EQ(ListIndexHint(mysql, "volunteers_list", filters[i]), "") << i;
  }
}

}  // namespace
}  // namespace helhed::store
