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
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
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

// Days left count from the Danish date of the injected clock: just after
// Danish midnight UTC is still on the day before (issue 17).
TEST_P(VolunteersStoreTest, ExpiringChecksCountFromTheDanishDayAfterMidnight) {
  Create("Dorte");  // expires 2026-03-01
  // 2026-01-31T23:30:00Z is 00:30 on 1 February in Copenhagen: 28 days
  // (the UTC date, 31 January, would give 29).
  now_ = absl::FromCivil(absl::CivilSecond(2026, 1, 31, 23, 30, 0), absl::UTCTimeZone());
  v1::ListExpiringRecordChecksResponse r;
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 30, &r).ok());
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).days_left(), 28);
  // Half an hour before Danish midnight it is still 31 January: 29 days.
  now_ -= absl::Hours(1);
  r.Clear();
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 30, &r).ok());
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).days_left(), 29);
  // Summer time: 2026-06-30T22:30:00Z is 00:30 on 1 July in Copenhagen,
  // 122 days after the expiry (UTC: 121).
  now_ = absl::FromCivil(absl::CivilSecond(2026, 6, 30, 22, 30, 0), absl::UTCTimeZone());
  r.Clear();
  ASSERT_TRUE(store_->ListExpiringRecordChecks("730", 1, &r).ok());
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).days_left(), -122);
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

// GetMonthlyStats aggregates projected columns (migration 0003) in SQL.
// Its figures must be those of reading every body, which it still does for
// rows written before the migration (columns NULL): checked here month by
// month, across updates and archives, in Danish local months.
class MonthlyStatsTest : public VolunteersStoreTest {
 protected:
  v1::Volunteer Available(const std::string& name, bool consent) {
    v1::Volunteer v;
    v.set_display_name(name);
    v.set_home_postcode("8900");
    v.set_status(v1::VOLUNTEER_STATUS_ACTIVE);
    v.set_consent_given(consent);
    for (int day = 1; day <= 7; ++day) {
      auto* w = v.add_availability();
      w->set_weekday(static_cast<v1::Weekday>(day));
      w->set_start_minute(0);
      w->set_end_minute(1440);
    }
    auto* rc = v.mutable_record_check();
    rc->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
    rc->set_status(v1::RECORD_CHECK_STATUS_VALID);
    rc->mutable_expiry_date()->set_year(2100);
    rc->mutable_expiry_date()->set_month(1);
    rc->mutable_expiry_date()->set_day(1);
    v1::Volunteer out;
    absl::Status s = store_->Create("730", v, "", &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  static absl::Time Local(int y, int m, int d, int hh, int mm) {
    absl::TimeZone tz;
    EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &tz));
    return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), tz);
  }

  // A request of `citizen`, matched to `volunteer`, confirmed and completed
  // with `hours`.
  v1::AccompanimentRequest Completed(const std::string& citizen, const v1::Volunteer& volunteer,
                                     absl::Time start, double hours) {
    v1::AccompanimentRequest r;
    r.set_citizen_id(citizen);
    r.set_destination("Lægen");
    r.mutable_place()->set_postcode("8900");
    *r.mutable_window_start() = store::Ts(start);
    *r.mutable_window_end() = store::Ts(start + absl::Hours(1));
    v1::AccompanimentRequest created;
    absl::Status s = store_->Create("730", r, "", &created);
    EXPECT_TRUE(s.ok()) << s;
    v1::MatchRequestRequest m;
    m.set_accompaniment_id(created.id());
    m.set_volunteer_id(volunteer.id());
    m.set_etag(created.etag());
    v1::AccompanimentRequest matched;
    s = store_->Match("730", m, i18n::Language::kEnglish, &matched);
    EXPECT_TRUE(s.ok()) << s;
    v1::AccompanimentRequest confirmed;
    s = store_->Transition("730", matched.id(), matched.etag(), v1::REQUEST_STATE_CONFIRMED, "",
                           &confirmed);
    EXPECT_TRUE(s.ok()) << s;
    v1::CompleteRequestRequest c;
    c.set_accompaniment_id(confirmed.id());
    c.set_etag(confirmed.etag());
    c.set_hours(hours);
    v1::AccompanimentRequest done;
    s = store_->Complete("730", c, &done);
    EXPECT_TRUE(s.ok()) << s;
    return done;
  }

  void Evaluate(const v1::AccompanimentRequest& r, v1::EvaluationSide side, int score) {
    v1::AddEvaluationRequest req;
    req.set_accompaniment_id(r.id());
    req.mutable_evaluation()->set_side(side);
    req.mutable_evaluation()->set_score(score);
    v1::Evaluation e;
    absl::Status s = store_->AddEvaluation("730", req, &e);
    EXPECT_TRUE(s.ok()) << s;
  }

  void Log(const v1::Volunteer& v, int y, int m, int d, double hours) {
    v1::LogHoursRequest log;
    log.set_volunteer_id(v.id());
    log.mutable_entry()->set_hours(hours);
    log.mutable_entry()->mutable_date()->set_year(y);
    log.mutable_entry()->mutable_date()->set_month(m);
    log.mutable_entry()->mutable_date()->set_day(d);
    v1::HoursEntry e;
    absl::Status s = store_->LogHours("730", log, &e);
    EXPECT_TRUE(s.ok()) << s;
  }

  v1::MonthlyStats Stats(int y, int m, const std::string& muni = "730") {
    v1::MonthlyStats out;
    absl::Status s = store_->GetMonthlyStats(muni, y, m, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  // What the table rows of migration 0003's columns look like before it.
  void Unproject(const char* sql) {
    absl::Status s = db_->Run([&](store::Connection& c) { return c.Execute(sql, {}).status(); });
    ASSERT_TRUE(s.ok()) << s;
  }
};

TEST_P(MonthlyStatsTest, SqlAggregatesGiveTheFiguresOfTheBodies) {
  v1::Volunteer a = Available("Anne", true);
  v1::Volunteer b = Available("Bent", true);
  Available("Carl", false);                    // active, no consent: not counted
  v1::Volunteer d = Available("Dorte", true);  // paused below: not counted
  v1::Volunteer paused;
  {
    v1::Volunteer patch = d;
    patch.set_status(v1::VOLUNTEER_STATUS_PAUSED);
    google::protobuf::FieldMask mask;
    mask.add_paths("status");
    ASSERT_TRUE(store_->Update("730", patch, mask, &paused).ok());
  }
  // x with Anne twice in January; y with Bent in December, January (the
  // second time: familiar) and on 1 February 00:30 local time, which is
  // still 31 January in UTC.
  v1::AccompanimentRequest r1 = Completed("x", a, Local(2026, 1, 7, 10, 0), 1.5);
  v1::AccompanimentRequest r2 = Completed("x", a, Local(2026, 1, 14, 10, 0), 2);
  Completed("y", b, Local(2025, 12, 31, 23, 0), 1);  // ends at midnight
  Completed("y", b, Local(2026, 2, 1, 0, 30), 0.75);
  v1::AccompanimentRequest r5 = Completed("y", b, Local(2026, 1, 21, 9, 0), 1);
  Evaluate(r1, v1::EVALUATION_SIDE_CITIZEN, 5);
  Evaluate(r1, v1::EVALUATION_SIDE_VOLUNTEER, 4);
  Evaluate(r2, v1::EVALUATION_SIDE_CITIZEN, 2);
  Log(b, 2026, 1, 31, 0.25);
  Log(b, 2026, 2, 1, 3);
  // An archived accompaniment still counts.
  v1::AccompanimentRequest archived;
  ASSERT_TRUE(store_->Archive("730", r5.id(), r5.etag(), &archived).ok());

  v1::MonthlyStats jan = Stats(2026, 1);
  EXPECT_EQ(jan.year(), 2026);
  EXPECT_EQ(jan.month(), 1);
  EXPECT_EQ(jan.active_volunteers(), 2);
  EXPECT_DOUBLE_EQ(jan.hours_given(), 1.5 + 2 + 1 + 0.25);
  EXPECT_EQ(jan.accompaniments_completed(), 3);
  EXPECT_DOUBLE_EQ(jan.continuity_share(), 2.0 / 3);
  EXPECT_EQ(jan.evaluations(), 3);
  EXPECT_DOUBLE_EQ(jan.average_evaluation(), 11.0 / 3);
  v1::MonthlyStats feb = Stats(2026, 2);
  EXPECT_EQ(feb.accompaniments_completed(), 1);
  EXPECT_DOUBLE_EQ(feb.continuity_share(), 1.0);
  EXPECT_DOUBLE_EQ(feb.hours_given(), 3.75);
  EXPECT_EQ(feb.evaluations(), 0);
  v1::MonthlyStats dec = Stats(2025, 12);
  EXPECT_EQ(dec.accompaniments_completed(), 1);
  EXPECT_DOUBLE_EQ(dec.continuity_share(), 0.0);
  EXPECT_DOUBLE_EQ(dec.hours_given(), 1);
  EXPECT_EQ(Stats(2026, 1, "810").ShortDebugString(), "year: 2026 month: 1");

  // Consent withdrawn and a volunteer archived: seen at once.
  v1::Volunteer withdrawn;
  {
    v1::Volunteer patch = b;
    patch.set_consent_given(false);
    google::protobuf::FieldMask mask;
    mask.add_paths("consent_given");
    ASSERT_TRUE(store_->Update("730", patch, mask, &withdrawn).ok());
  }
  v1::Volunteer gone;
  ASSERT_TRUE(store_->Archive("730", a.id(), a.etag(), &gone).ok());
  jan = Stats(2026, 1);
  EXPECT_EQ(jan.active_volunteers(), 0);
  EXPECT_EQ(jan.accompaniments_completed(), 3);

  // The same figures from the bodies, as for rows written before 0003:
  // each projected column unset in turn, then all of them.
  const std::vector<std::pair<int, int>> months = {{2025, 12}, {2026, 1}, {2026, 2}, {2026, 3}};
  std::vector<std::string> expected;
  for (const auto& [y, m] : months) {
    expected.push_back(Stats(y, m).SerializeAsString());
  }
  for (const char* sql :
       {"UPDATE entries SET amount = NULL WHERE kind = 'evaluation'",
        "UPDATE entries SET amount = NULL", "UPDATE accompaniment_requests SET window_start = NULL",
        "UPDATE volunteers SET consent = NULL"}) {
    Unproject(sql);
    for (size_t i = 0; i < months.size(); ++i) {
      EXPECT_EQ(Stats(months[i].first, months[i].second).SerializeAsString(), expected[i])
          << sql << ": " << months[i].first << "-" << months[i].second;
    }
  }
}

TEST_P(MonthlyStatsTest, ReadsNoBodyOnceRowsHaveTheColumns) {
  v1::Volunteer a = Available("Anne", true);
  Available("Bent", true);
  v1::AccompanimentRequest r = Completed("x", a, Local(2026, 1, 7, 10, 0), 1.5);
  Evaluate(r, v1::EVALUATION_SIDE_CITIZEN, 5);
  Log(a, 2026, 1, 8, 2);
  // Unreadable bodies would fail a report that parses them.
  Unproject("UPDATE volunteers SET body = X'00'");
  Unproject("UPDATE accompaniment_requests SET body = X'00'");
  Unproject("UPDATE entries SET body = X'00'");
  v1::MonthlyStats jan = Stats(2026, 1);
  EXPECT_EQ(jan.active_volunteers(), 2);
  EXPECT_DOUBLE_EQ(jan.hours_given(), 3.5);
  EXPECT_EQ(jan.accompaniments_completed(), 1);
  EXPECT_EQ(jan.evaluations(), 1);
  EXPECT_DOUBLE_EQ(jan.average_evaluation(), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, MonthlyStatsTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

INSTANTIATE_TEST_SUITE_P(Backends, VolunteersStoreTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::volunteers
