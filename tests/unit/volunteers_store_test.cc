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

TEST_P(VolunteersStoreTest, ActivityOccurrenceIsEvaluatedOnceItHasTakenPlace) {
  v1::Volunteer v = Create("Camilla");
  v1::Organisation org;
  org.set_name("Klubben");
  org.set_kind(v1::ORGANISATION_KIND_SPORTS_CLUB);
  v1::Organisation o;
  ASSERT_TRUE(store_->Create("730", org, "", &o).ok());
  v1::Activity a;
  a.set_organisation_id(o.id());
  a.set_title("Gåtur");
  a.mutable_place()->set_postcode("8900");
  const absl::Time start = now_ + absl::Hours(24);
  *a.mutable_one_off()->mutable_start_time() = store::Ts(start);
  a.mutable_one_off()->set_duration_minutes(60);
  a.set_capacity(5);
  v1::Activity act;
  absl::Status s = store_->Create("730", a, "", &act);
  ASSERT_TRUE(s.ok()) << s;
  v1::SignUpRequest su;
  su.set_activity_id(act.id());
  su.set_volunteer_id(v.id());
  *su.mutable_occurrence_start() = store::Ts(start);
  v1::SignUpResponse signed_up;
  s = store_->SignUp("730", su, &signed_up);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(signed_up.places_left(), 4);

  v1::AddEvaluationRequest ev;
  ev.set_sign_up_id(signed_up.sign_up().id());
  ev.mutable_evaluation()->set_side(v1::EVALUATION_SIDE_VOLUNTEER);
  ev.mutable_evaluation()->set_score(4);
  v1::Evaluation out;
  EXPECT_EQ(store_->AddEvaluation("730", ev, &out).code(), absl::StatusCode::kFailedPrecondition);
  now_ += absl::Hours(48);
  s = store_->AddEvaluation("730", ev, &out);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(out.sign_up_id(), signed_up.sign_up().id());
  ASSERT_TRUE(store_->AddEvaluation("730", ev, &out).ok()) << "a retry returns the same";
  ev.mutable_evaluation()->set_score(2);
  EXPECT_EQ(store_->AddEvaluation("730", ev, &out).code(), absl::StatusCode::kAlreadyExists);
  v1::ListEvaluationsRequest list;
  list.set_sign_up_id(signed_up.sign_up().id());
  v1::ListEvaluationsResponse evals;
  ASSERT_TRUE(store_->ListEvaluations("730", list, store::Page(), &evals).ok());
  ASSERT_EQ(evals.evaluations_size(), 1);
  EXPECT_EQ(evals.evaluations(0).score(), 4);
  // Both or neither target: a clear error.
  ev.set_accompaniment_id(signed_up.sign_up().id());
  EXPECT_EQ(store_->AddEvaluation("730", ev, &out).code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, VolunteersStoreTest,
                         ::testing::ValuesIn(helhed::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::volunteers
