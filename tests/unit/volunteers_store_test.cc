// VolunteersStore with an injected clock, on SQLite and MariaDB: what the
// coordinator sees as time passes.
#include "services/volunteers/volunteers_store.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& VolunteersMigrations();
}

namespace helhed::volunteers {
namespace {

using helhed::testing::Backend;

class VolunteersStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    auto db = store::Database::Open(*url, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate(store::VolunteersMigrations()).ok());
    store_ = std::make_unique<VolunteersStore>(db_.get(), &tokens_, [this] { return now_; });
  }

  v1::Volunteer Create(const std::string& name) {
    v1::Volunteer v;
    v.set_display_name(name);
    v.set_home_postcode("8900");
    v.set_status(v1::VOLUNTEER_STATUS_ACTIVE);
    v.set_consent_given(true);
    auto* rc = v.mutable_record_check();
    rc->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
    rc->set_status(v1::RECORD_CHECK_STATUS_VALID);
    rc->mutable_expiry_date()->set_year(2026);
    rc->mutable_expiry_date()->set_month(3);
    rc->mutable_expiry_date()->set_day(1);
    v1::Volunteer out;
    absl::Status s = store_->Create("730", v, "", &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 1, 15, 12, 0, 0), absl::UTCTimeZone());
  std::unique_ptr<store::Database> db_;
  store::PageTokens tokens_{"test-key"};
  std::unique_ptr<VolunteersStore> store_;
};

TEST_P(VolunteersStoreTest, InactiveAfterNDaysUntilHoursAreLogged) {
  v1::Volunteer v = Create("Anne");
  v1::ListInactiveVolunteersResponse r;
  ASSERT_TRUE(store_->ListInactiveVolunteers("730", 60, &r).ok());
  EXPECT_EQ(r.volunteers_size(), 0);

  now_ += absl::Hours(24 * 61);
  r.Clear();
  ASSERT_TRUE(store_->ListInactiveVolunteers("730", 60, &r).ok());
  ASSERT_EQ(r.volunteers_size(), 1);
  EXPECT_EQ(r.volunteers(0).volunteer_id(), v.id());
  EXPECT_FALSE(r.volunteers(0).has_last_activity_time());

  v1::LogHoursRequest log;
  log.set_volunteer_id(v.id());
  log.mutable_entry()->set_hours(2);
  log.mutable_entry()->mutable_date()->set_year(2026);
  log.mutable_entry()->mutable_date()->set_month(3);
  log.mutable_entry()->mutable_date()->set_day(17);
  v1::HoursEntry e;
  ASSERT_TRUE(store_->LogHours("730", log, &e).ok());
  r.Clear();
  ASSERT_TRUE(store_->ListInactiveVolunteers("730", 60, &r).ok());
  EXPECT_EQ(r.volunteers_size(), 0);
  // Another municipality has no volunteers at all.
  r.Clear();
  ASSERT_TRUE(store_->ListInactiveVolunteers("810", 1, &r).ok());
  EXPECT_EQ(r.volunteers_size(), 0);
}

TEST_P(VolunteersStoreTest, ExpiringChecksIncludeExpiredOnesSoonestFirst) {
  Create("Bent");  // expires 2026-03-01
  v1::ListExpiringRecordChecksResponse r;
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 30, &r).ok());
  EXPECT_EQ(r.checks_size(), 0);  // 45 days left on 2026-01-15
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 45, &r).ok());
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).days_left(), 45);
  now_ += absl::Hours(24 * 50);
  r.Clear();
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 1, &r).ok());
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).days_left(), -5);
}

INSTANTIATE_TEST_SUITE_P(Backends, VolunteersStoreTest,
                         ::testing::ValuesIn(helhed::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::volunteers
