// HousingStore with an injected clock, on SQLite and MariaDB: the rules that
// depend on the day (a screening date not in the future, vacant_since
// stamped on write) follow the store's clock and the Danish date, not the
// machine's clock or UTC (issue 17).
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "common/store/paging.h"
#include "gtest/gtest.h"
#include "services/housing/housing_store.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& HousingMigrations();
}

namespace helhed::housing {
namespace {

using helhed::testing::Backend;

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

v1::Application ScreenedOn(const google::type::Date& day) {
  v1::Application m;
  m.set_citizen_id("c-7f3a9b");
  m.set_situation(v1::SITUATION_SHELTER);
  *m.mutable_screening_date() = day;
  m.set_rooms_needed(1);
  m.set_support_needed(v1::SUPPORT_LEVEL_ICM);
  m.add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST);
  return m;
}

class HousingStoreClockTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    auto db = store::Database::Open(*url, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate(store::HousingMigrations()).ok());
    store_ = std::make_unique<HousingStore>(db_.get(), &tokens_, [this] { return now_; });
  }

  int Applications() {
    google::protobuf::RepeatedPtrField<v1::Application> out;
    std::string next;
    EXPECT_TRUE(store_->List("730", store::ListFilter(), store::Page(), &out, &next).ok());
    return out.size();
  }

  // A year before the machine's clock, so that absl::Now() and the store's
  // clock disagree about every date.
  absl::Time now_ = Utc(2024, 6, 30, 21, 30);
  std::unique_ptr<store::Database> db_;
  store::PageTokens tokens_{"test-key"};
  std::unique_ptr<HousingStore> store_;
};

TEST_P(HousingStoreClockTest, ScreeningDateIsInTheFutureUntilDanishMidnight) {
  // 21:30 UTC on 30 June is 23:30 in Copenhagen: 1 July is tomorrow.
  v1::Application out;
  absl::Status s = store_->Create("730", ScreenedOn(MakeDate(2024, 7, 1)), "", &out);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  const std::vector<FieldViolation> bad = FieldViolationsOf(s);
  ASSERT_EQ(bad.size(), 1u) << s;
  EXPECT_EQ(bad[0].field, "application.screening_date");
  EXPECT_EQ(Applications(), 0);  // nothing written

  // An hour later (22:30 UTC, still 30 June in UTC) it is 00:30 on 1 July
  // in Copenhagen: today, accepted.
  now_ += absl::Hours(1);
  s = store_->Create("730", ScreenedOn(MakeDate(2024, 7, 1)), "", &out);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(out.screening_date().day(), 1);
  EXPECT_EQ(Applications(), 1);
}

TEST_P(HousingStoreClockTest, VacantSinceIsStampedWithTheStoresClock) {
  v1::HousingUnit u;
  u.set_unit_type(v1::UNIT_TYPE_HOUSING_FIRST);
  u.set_landlord("Randers Boligforening");
  u.set_postcode("8900");
  u.set_rooms(2);
  u.set_monthly_rent_dkk(5200);
  u.set_support(v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
  v1::HousingUnit out;
  absl::Status s = store_->Create("730", u, "", &out);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(out.unit_status(), v1::UNIT_STATUS_AVAILABLE);
  ASSERT_TRUE(out.has_vacant_since());
  EXPECT_EQ(out.vacant_since().seconds(), absl::ToUnixSeconds(now_));
}

INSTANTIATE_TEST_SUITE_P(Backends, HousingStoreClockTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::housing
