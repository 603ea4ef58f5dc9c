// Tests of the housing figures (services/housing/domain/stats): each figure
// on small hand-made records with exact expected numbers, the edges of every
// threshold, and how archived records count.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"
#include "services/housing/domain/stats.h"

namespace helhed::housing {
namespace {

// "Now" of every test: 15 June 2025, 12:00:00.25 UTC.
const absl::CivilDay kToday(2025, 6, 15);
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2025, 6, 15, 12, 0, 0), absl::UTCTimeZone()) +
    absl::Milliseconds(250);
constexpr int kTemporaryDays = 90;

google::type::Date DateOf(absl::CivilDay d) {
  google::type::Date date;
  date.set_year(static_cast<int>(d.year()));
  date.set_month(d.month());
  date.set_day(d.day());
  return date;
}

google::protobuf::Timestamp Ts(absl::CivilSecond s) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(absl::FromCivil(s, absl::UTCTimeZone())));
  return ts;
}

template <typename M>
void Archive(M& m) {
  m.set_state(helhed::common::v1::RESOURCE_STATE_ARCHIVED);
}

v1::HousingUnit Unit(v1::UnitType type, v1::UnitStatus status) {
  v1::HousingUnit u;
  u.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  u.set_unit_type(type);
  u.set_unit_status(status);
  return u;
}

v1::HousingUnit Vacant(v1::UnitType type, absl::CivilSecond since) {
  v1::HousingUnit u = Unit(type, v1::UNIT_STATUS_AVAILABLE);
  *u.mutable_vacant_since() = Ts(since);
  return u;
}

v1::Application App(v1::Situation situation, v1::ApplicationStatus status,
                    absl::CivilDay screened) {
  v1::Application a;
  a.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  a.set_situation(situation);
  a.set_application_status(status);
  *a.mutable_screening_date() = DateOf(screened);
  return a;
}

v1::Offer OfferIn(v1::OfferState state, v1::DeclineReason reason = v1::DECLINE_REASON_UNSPECIFIED) {
  v1::Offer o;
  o.set_offer_state(state);
  o.set_decline_reason(reason);
  return o;
}

v1::Tenancy Current(const std::string& id, v1::UnitType type, absl::CivilDay move_in) {
  v1::Tenancy t;
  t.set_id(id);
  t.set_citizen_id("c-" + id);
  t.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  t.set_unit_type(type);
  t.set_tenancy_status(v1::TENANCY_STATUS_CURRENT);
  *t.mutable_move_in() = DateOf(move_in);
  return t;
}

v1::Tenancy Ended(const std::string& id, v1::UnitType type, absl::CivilDay move_in,
                  absl::CivilDay move_out) {
  v1::Tenancy t = Current(id, type, move_in);
  t.set_tenancy_status(v1::TENANCY_STATUS_ENDED);
  *t.mutable_move_out() = DateOf(move_out);
  t.set_move_out_reason(v1::MOVE_OUT_REASON_LEFT);
  return t;
}

v1::HousingStats Compute(const std::vector<v1::HousingUnit>& units,
                         const std::vector<v1::Application>& apps,
                         const std::vector<v1::Offer>& offers,
                         const std::vector<v1::Tenancy>& tenancies) {
  return ComputeStats(units, apps, offers, tenancies, kTemporaryDays, kNow);
}

TEST(HousingStatsTest, EmptyInputGivesZeros) {
  const v1::HousingStats s = Compute({}, {}, {}, {});
  EXPECT_EQ(s.vacant_units_size(), 0);
  EXPECT_EQ(s.waiting_size(), 0);
  EXPECT_EQ(s.long_stays_size(), 0);
  EXPECT_EQ(s.offers_pending(), 0);
  EXPECT_EQ(s.offers_accepted(), 0);
  EXPECT_EQ(s.offers_declined(), 0);
  EXPECT_EQ(s.offers_expired(), 0);
  EXPECT_EQ(s.offers_withdrawn(), 0);
  EXPECT_EQ(s.decline_reasons_size(), 0);
  EXPECT_EQ(s.retention_cohort(), 0);
  EXPECT_EQ(s.retained_12_months(), 0);
  EXPECT_EQ(s.retention_rate(), 0.0);
}

TEST(HousingStatsTest, ComputedTimeIsNow) {
  const v1::HousingStats s = Compute({}, {}, {}, {});
  EXPECT_EQ(s.computed_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(s.computed_time().nanos(), 250000000);
}

TEST(HousingStatsTest, VacantUnitsPerTypeWithMeanAndMaxDays) {
  std::vector<v1::HousingUnit> units;
  // Shelter places first, to see the rows ordered by unit type.
  units.push_back(Vacant(v1::UNIT_TYPE_SHELTER_110, absl::CivilSecond(2025, 5, 16, 8, 0, 0)));
  // vacant_since later today (clock skew): 0 days, never negative.
  units.push_back(Vacant(v1::UNIT_TYPE_SHELTER_110, absl::CivilSecond(2025, 6, 15, 18, 0, 0)));
  units.push_back(Vacant(v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilSecond(2025, 6, 5, 13, 0, 0)));
  // Yesterday late evening (23:59 Danish summer time): one whole (calendar)
  // day in Denmark.
  units.push_back(Vacant(v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilSecond(2025, 6, 14, 21, 59, 0)));
  // No vacant_since: 0 days.
  units.push_back(Unit(v1::UNIT_TYPE_HOUSING_FIRST, v1::UNIT_STATUS_AVAILABLE));
  // Not vacant: offered, occupied, out of use.
  v1::HousingUnit offered =
      Vacant(v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilSecond(2024, 1, 1, 0, 0, 0));
  offered.set_unit_status(v1::UNIT_STATUS_OFFERED);
  units.push_back(offered);
  units.push_back(Unit(v1::UNIT_TYPE_PUBLIC_REFERRAL, v1::UNIT_STATUS_OCCUPIED));
  units.push_back(Unit(v1::UNIT_TYPE_PUBLIC_REFERRAL, v1::UNIT_STATUS_UNAVAILABLE));
  // Archived, though available: skipped.
  v1::HousingUnit archived =
      Vacant(v1::UNIT_TYPE_SKAEV_BOLIG, absl::CivilSecond(2024, 1, 1, 0, 0, 0));
  Archive(archived);
  units.push_back(archived);

  const v1::HousingStats s = Compute(units, {}, {}, {});
  ASSERT_EQ(s.vacant_units_size(), 2);
  EXPECT_EQ(s.vacant_units(0).unit_type(), v1::UNIT_TYPE_HOUSING_FIRST);
  EXPECT_EQ(s.vacant_units(0).count(), 3);
  EXPECT_DOUBLE_EQ(s.vacant_units(0).mean_vacant_days(), (10.0 + 1.0 + 0.0) / 3);
  EXPECT_EQ(s.vacant_units(0).max_vacant_days(), 10);
  EXPECT_EQ(s.vacant_units(1).unit_type(), v1::UNIT_TYPE_SHELTER_110);
  EXPECT_EQ(s.vacant_units(1).count(), 2);
  EXPECT_DOUBLE_EQ(s.vacant_units(1).mean_vacant_days(), 15.0);  // (30 + 0) / 2
  EXPECT_EQ(s.vacant_units(1).max_vacant_days(), 30);
}

TEST(HousingStatsTest, VacantDaysCountDanishDays) {
  // Danish days (summer time, UTC+2): 00:00 today in Copenhagen (22:00 UTC
  // the day before) is 0 days; 23:59:59 yesterday in Copenhagen is 1 day.
  std::vector<v1::HousingUnit> units = {
      Vacant(v1::UNIT_TYPE_LONG_TERM_108, absl::CivilSecond(2025, 6, 14, 22, 0, 0)),
      Vacant(v1::UNIT_TYPE_LONG_TERM_108, absl::CivilSecond(2025, 6, 14, 21, 59, 59)),
  };
  const v1::HousingStats s = Compute(units, {}, {}, {});
  ASSERT_EQ(s.vacant_units_size(), 1);
  EXPECT_EQ(s.vacant_units(0).count(), 2);
  EXPECT_DOUBLE_EQ(s.vacant_units(0).mean_vacant_days(), 0.5);
  EXPECT_EQ(s.vacant_units(0).max_vacant_days(), 1);
}

TEST(HousingStatsTest, WaitingPerSituationForActiveAndOfferedApplications) {
  std::vector<v1::Application> apps;
  apps.push_back(
      App(v1::SITUATION_SOFA_SURFING, v1::APPLICATION_STATUS_ACTIVE, kToday - 365));  // 365
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday - 10));
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_OFFERED, kToday - 30));
  apps.push_back(App(v1::SITUATION_SHELTER, v1::APPLICATION_STATUS_ACTIVE, kToday));
  apps.push_back(App(v1::SITUATION_SHELTER, v1::APPLICATION_STATUS_ACTIVE, kToday - 7));
  // Not waiting: housed, withdrawn, no status.
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_HOUSED, kToday - 900));
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_WITHDRAWN, kToday - 900));
  apps.push_back(
      App(v1::SITUATION_LEAVING_PRISON, v1::APPLICATION_STATUS_UNSPECIFIED, kToday - 900));
  // Archived, though active: skipped.
  v1::Application archived = App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday - 900);
  Archive(archived);
  apps.push_back(archived);

  const v1::HousingStats s = Compute({}, apps, {}, {});
  ASSERT_EQ(s.waiting_size(), 3);
  EXPECT_EQ(s.waiting(0).situation(), v1::SITUATION_STREET);
  EXPECT_EQ(s.waiting(0).count(), 2);
  EXPECT_DOUBLE_EQ(s.waiting(0).mean_waiting_days(), 20.0);
  EXPECT_EQ(s.waiting(0).max_waiting_days(), 30);
  EXPECT_EQ(s.waiting(1).situation(), v1::SITUATION_SHELTER);
  EXPECT_EQ(s.waiting(1).count(), 2);
  EXPECT_DOUBLE_EQ(s.waiting(1).mean_waiting_days(), 3.5);
  EXPECT_EQ(s.waiting(1).max_waiting_days(), 7);
  EXPECT_EQ(s.waiting(2).situation(), v1::SITUATION_SOFA_SURFING);
  EXPECT_EQ(s.waiting(2).count(), 1);
  EXPECT_DOUBLE_EQ(s.waiting(2).mean_waiting_days(), 365.0);
  EXPECT_EQ(s.waiting(2).max_waiting_days(), 365);
}

TEST(HousingStatsTest, WaitingDaysUseTheDanishDayOfNow) {
  // 21:30 UTC on 15 June is 23:30 in Copenhagen, still 15 June: screened
  // yesterday is 1 day. An hour later (22:30 UTC, still 15 June in UTC) it
  // is 00:30 on 16 June in Copenhagen: 2 days.
  std::vector<v1::Application> apps = {
      App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday - 1)};
  const absl::Time late =
      absl::FromCivil(absl::CivilSecond(2025, 6, 15, 21, 30, 0), absl::UTCTimeZone());
  v1::HousingStats s = ComputeStats({}, apps, {}, {}, kTemporaryDays, late);
  ASSERT_EQ(s.waiting_size(), 1);
  EXPECT_EQ(s.waiting(0).max_waiting_days(), 1);
  s = ComputeStats({}, apps, {}, {}, kTemporaryDays, late + absl::Hours(1));
  ASSERT_EQ(s.waiting_size(), 1);
  EXPECT_EQ(s.waiting(0).max_waiting_days(), 2);
}

// The store sums `waiting` in SQL from WaitingFromDay per application:
// days = max(0, TodayNumber(now) - day), count, sum and max per situation.
// That arithmetic gives what WaitingOf computes from the bodies.
TEST(HousingStatsTest, WaitingFromDayGivesTheDaysOfWaitingOf) {
  std::vector<v1::Application> apps;
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday - 10));
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_OFFERED, kToday - 4000));
  apps.push_back(App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday + 3));  // 0
  apps.push_back(App(v1::SITUATION_SHELTER, v1::APPLICATION_STATUS_ACTIVE, kToday));
  v1::Application undated = App(v1::SITUATION_SHELTER, v1::APPLICATION_STATUS_ACTIVE, kToday);
  undated.clear_screening_date();  // 0 days
  apps.push_back(undated);
  v1::Application unset = App(v1::SITUATION_SHELTER, v1::APPLICATION_STATUS_ACTIVE, kToday);
  *unset.mutable_screening_date() = google::type::Date();  // 0-0-0: 0 days
  apps.push_back(unset);
  for (const absl::Time now : {kNow, kNow + absl::Hours(12), kNow - absl::Hours(12)}) {
    std::map<int, WaitingDays> summed;
    for (const auto& a : apps) {
      const int64_t day = WaitingFromDay(a);
      const int64_t days = day < TodayNumber(now) ? TodayNumber(now) - day : 0;
      WaitingDays& d = summed[a.situation()];
      ++d.count;
      d.sum += days;
      d.max = std::max<int>(d.max, static_cast<int>(days));
    }
    const std::map<int, WaitingDays> expected = WaitingOf(apps, now);
    ASSERT_EQ(summed.size(), expected.size());
    for (const auto& [situation, d] : expected) {
      EXPECT_EQ(summed[situation].count, d.count) << situation;
      EXPECT_EQ(summed[situation].sum, d.sum) << situation;
      EXPECT_EQ(summed[situation].max, d.max) << situation;
    }
    EXPECT_EQ(ComputeStatsFromCounts({}, summed, {}, {}, kTemporaryDays, now).SerializeAsString(),
              ComputeStats({}, apps, {}, {}, kTemporaryDays, now).SerializeAsString());
  }
  EXPECT_EQ(WaitingFromDay(undated), kNotDated);
  EXPECT_EQ(WaitingFromDay(apps[0]), TodayNumber(kNow) - 10);
}

TEST(HousingStatsTest, LongStaysAreMoreThanNDaysInTemporaryPlaces) {
  std::vector<v1::Tenancy> tenancies;
  tenancies.push_back(Current("t-exact", v1::UNIT_TYPE_TEMPORARY_107, kToday - 90));  // = N
  tenancies.push_back(Current("t-b", v1::UNIT_TYPE_TEMPORARY_107, kToday - 91));      // N + 1
  tenancies.push_back(Current("t-a", v1::UNIT_TYPE_SHELTER_110, kToday - 91));        // N + 1
  tenancies.push_back(Current("t-long", v1::UNIT_TYPE_SHELTER_110, kToday - 200));
  tenancies.push_back(Current("t-new", v1::UNIT_TYPE_SHELTER_110, kToday));
  // Homes are not temporary places, however long.
  tenancies.push_back(Current("t-home", v1::UNIT_TYPE_HOUSING_FIRST, kToday - 400));
  tenancies.push_back(Current("t-108", v1::UNIT_TYPE_LONG_TERM_108, kToday - 400));
  // Ended stays are over.
  tenancies.push_back(Ended("t-ended", v1::UNIT_TYPE_SHELTER_110, kToday - 300, kToday - 1));

  const v1::HousingStats s = Compute({}, {}, {}, tenancies);
  ASSERT_EQ(s.long_stays_size(), 3);
  EXPECT_EQ(s.long_stays(0).tenancy_id(), "t-long");
  EXPECT_EQ(s.long_stays(0).citizen_id(), "c-t-long");
  EXPECT_EQ(s.long_stays(0).unit_type(), v1::UNIT_TYPE_SHELTER_110);
  EXPECT_EQ(s.long_stays(0).days(), 200);
  // Equal days: by tenancy id.
  EXPECT_EQ(s.long_stays(1).tenancy_id(), "t-a");
  EXPECT_EQ(s.long_stays(1).unit_type(), v1::UNIT_TYPE_SHELTER_110);
  EXPECT_EQ(s.long_stays(1).days(), 91);
  EXPECT_EQ(s.long_stays(2).tenancy_id(), "t-b");
  EXPECT_EQ(s.long_stays(2).citizen_id(), "c-t-b");
  EXPECT_EQ(s.long_stays(2).unit_type(), v1::UNIT_TYPE_TEMPORARY_107);
  EXPECT_EQ(s.long_stays(2).days(), 91);
}

TEST(HousingStatsTest, LongStaysFollowTheThreshold) {
  std::vector<v1::Tenancy> tenancies = {
      Current("t-1", v1::UNIT_TYPE_TEMPORARY_107, kToday - 10),
      Current("t-2", v1::UNIT_TYPE_TEMPORARY_107, kToday - 11),
  };
  EXPECT_EQ(ComputeStats({}, {}, {}, tenancies, 11, kNow).long_stays_size(), 0);
  v1::HousingStats s = ComputeStats({}, {}, {}, tenancies, 10, kNow);
  ASSERT_EQ(s.long_stays_size(), 1);
  EXPECT_EQ(s.long_stays(0).tenancy_id(), "t-2");
  EXPECT_EQ(s.long_stays(0).days(), 11);
  EXPECT_EQ(ComputeStats({}, {}, {}, tenancies, 9, kNow).long_stays_size(), 2);
}

TEST(HousingStatsTest, OffersPerStateAndDeclineReasons) {
  std::vector<v1::Offer> offers;
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_RENT));
  offers.push_back(OfferIn(v1::OFFER_STATE_PENDING));
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_NOT_READY));
  offers.push_back(OfferIn(v1::OFFER_STATE_WITHDRAWN));
  offers.push_back(OfferIn(v1::OFFER_STATE_ACCEPTED));
  offers.push_back(OfferIn(v1::OFFER_STATE_PENDING));
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_RENT));
  offers.push_back(OfferIn(v1::OFFER_STATE_EXPIRED));
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_AREA));
  offers.push_back(OfferIn(v1::OFFER_STATE_WITHDRAWN));
  offers.push_back(OfferIn(v1::OFFER_STATE_PENDING));

  const v1::HousingStats s = Compute({}, {}, offers, {});
  EXPECT_EQ(s.offers_pending(), 3);
  EXPECT_EQ(s.offers_accepted(), 1);
  EXPECT_EQ(s.offers_declined(), 4);
  EXPECT_EQ(s.offers_expired(), 1);
  EXPECT_EQ(s.offers_withdrawn(), 2);
  ASSERT_EQ(s.decline_reasons_size(), 3);
  EXPECT_EQ(s.decline_reasons(0).reason(), v1::DECLINE_REASON_AREA);
  EXPECT_EQ(s.decline_reasons(0).count(), 1);
  EXPECT_EQ(s.decline_reasons(1).reason(), v1::DECLINE_REASON_RENT);
  EXPECT_EQ(s.decline_reasons(1).count(), 2);
  EXPECT_EQ(s.decline_reasons(2).reason(), v1::DECLINE_REASON_NOT_READY);
  EXPECT_EQ(s.decline_reasons(2).count(), 1);
}

// What the store counts in SQL (offer_state, decline_reason) gives the
// same figures as the offers themselves.
TEST(HousingStatsTest, OfferCountsGiveWhatTheOffersGive) {
  std::vector<v1::Offer> offers;
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_RENT));
  offers.push_back(OfferIn(v1::OFFER_STATE_PENDING));
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_AREA));
  offers.push_back(OfferIn(v1::OFFER_STATE_DECLINED, v1::DECLINE_REASON_RENT));
  offers.push_back(OfferIn(v1::OFFER_STATE_EXPIRED));
  const OfferCounts counts = OfferCountsOf(offers);
  EXPECT_EQ(counts.by_state.at(v1::OFFER_STATE_DECLINED), 3);
  EXPECT_EQ(counts.by_state.at(v1::OFFER_STATE_PENDING), 1);
  EXPECT_EQ(counts.by_state.count(v1::OFFER_STATE_ACCEPTED), 0u);
  EXPECT_EQ(counts.declined_by_reason.at(v1::DECLINE_REASON_RENT), 2);
  EXPECT_EQ(counts.declined_by_reason.at(v1::DECLINE_REASON_AREA), 1);

  OfferCounts summed;  // as rows of GROUP BY offer_state, decline_reason
  summed.by_state = {{v1::OFFER_STATE_DECLINED, 3},
                     {v1::OFFER_STATE_PENDING, 1},
                     {v1::OFFER_STATE_EXPIRED, 1},
                     {v1::OFFER_STATE_ACCEPTED, 0}};
  summed.declined_by_reason = {{v1::DECLINE_REASON_AREA, 1},
                               {v1::DECLINE_REASON_RENT, 2},
                               {v1::DECLINE_REASON_NOT_READY, 0}};
  EXPECT_EQ(ComputeStatsFromCounts({}, {}, summed, {}, kTemporaryDays, kNow).SerializeAsString(),
            Compute({}, {}, offers, {}).SerializeAsString());
}

TEST(HousingStatsTest, RetentionCohortAndRetained) {
  std::vector<v1::Tenancy> tenancies;
  // In the cohort (moved in at least 365 days ago), still there: retained.
  tenancies.push_back(Current("a", v1::UNIT_TYPE_HOUSING_FIRST, kToday - 365));
  // 364 days ago: not in the cohort yet.
  tenancies.push_back(Current("b", v1::UNIT_TYPE_HOUSING_FIRST, kToday - 364));
  // Ended after exactly 365 days: retained.
  tenancies.push_back(Ended("c", v1::UNIT_TYPE_PUBLIC_REFERRAL, absl::CivilDay(2023, 1, 1),
                            absl::CivilDay(2024, 1, 1)));
  // Ended after 364 days (2024 is a leap year): in the cohort, not retained.
  tenancies.push_back(Ended("d", v1::UNIT_TYPE_SKAEV_BOLIG, absl::CivilDay(2024, 1, 1),
                            absl::CivilDay(2024, 12, 30)));
  // Archived records count too.
  v1::Tenancy archived = Ended("e", v1::UNIT_TYPE_LONG_TERM_108, absl::CivilDay(2022, 3, 1),
                               absl::CivilDay(2024, 3, 1));
  Archive(archived);
  tenancies.push_back(archived);
  // Ended early in a home that began recently: not in the cohort.
  tenancies.push_back(Ended("f", v1::UNIT_TYPE_SHARED_LIVING, kToday - 100, kToday - 50));
  // Temporary places are not homes.
  tenancies.push_back(Current("g", v1::UNIT_TYPE_TEMPORARY_107, absl::CivilDay(2023, 1, 1)));
  tenancies.push_back(Ended("h", v1::UNIT_TYPE_SHELTER_110, absl::CivilDay(2022, 1, 1),
                            absl::CivilDay(2024, 1, 1)));

  const v1::HousingStats s = Compute({}, {}, {}, tenancies);
  EXPECT_EQ(s.retention_cohort(), 4);    // a, c, d, e
  EXPECT_EQ(s.retained_12_months(), 3);  // a, c, e
  EXPECT_DOUBLE_EQ(s.retention_rate(), 0.75);
}

TEST(HousingStatsTest, RetentionWithEveryoneGoneEarly) {
  std::vector<v1::Tenancy> tenancies = {
      Ended("x", v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilDay(2023, 5, 1),
            absl::CivilDay(2023, 5, 2)),
      Ended("y", v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilDay(2023, 5, 1),
            absl::CivilDay(2023, 5, 1)),
  };
  const v1::HousingStats s = Compute({}, {}, {}, tenancies);
  EXPECT_EQ(s.retention_cohort(), 2);
  EXPECT_EQ(s.retained_12_months(), 0);
  EXPECT_EQ(s.retention_rate(), 0.0);
}

TEST(HousingStatsTest, ArchivedRecords) {
  v1::HousingUnit unit =
      Vacant(v1::UNIT_TYPE_HOUSING_FIRST, absl::CivilSecond(2025, 1, 1, 0, 0, 0));
  Archive(unit);
  v1::Application app = App(v1::SITUATION_STREET, v1::APPLICATION_STATUS_ACTIVE, kToday - 50);
  Archive(app);
  v1::Tenancy tenancy = Current("t", v1::UNIT_TYPE_HOUSING_FIRST, kToday - 400);
  Archive(tenancy);

  const v1::HousingStats s = Compute({unit}, {app}, {}, {tenancy});
  EXPECT_EQ(s.vacant_units_size(), 0);
  EXPECT_EQ(s.waiting_size(), 0);
  EXPECT_EQ(s.retention_cohort(), 1);
  EXPECT_EQ(s.retained_12_months(), 1);
  EXPECT_DOUBLE_EQ(s.retention_rate(), 1.0);

  // The same records, active, count everywhere.
  unit.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  app.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  const v1::HousingStats t = Compute({unit}, {app}, {}, {tenancy});
  ASSERT_EQ(t.vacant_units_size(), 1);
  EXPECT_EQ(t.vacant_units(0).max_vacant_days(), 165);  // 1 Jan to 15 Jun 2025
  ASSERT_EQ(t.waiting_size(), 1);
  EXPECT_EQ(t.waiting(0).max_waiting_days(), 50);
}

// The figures in words, Danish by default and English on request: counts
// summed over types and situations, a weighted mean, a percentage as a
// Dane reads it, and no names.
TEST(HousingStatsSummary, DanishAndEnglish) {
  v1::HousingStats s;
  v1::VacantUnits* v = s.add_vacant_units();
  v->set_unit_type(v1::UNIT_TYPE_HOUSING_FIRST);
  v->set_count(2);
  v = s.add_vacant_units();
  v->set_unit_type(v1::UNIT_TYPE_SHELTER_110);
  v->set_count(1);
  v1::WaitingApplications* w = s.add_waiting();
  w->set_situation(v1::SITUATION_STREET);
  w->set_count(3);
  w->set_mean_waiting_days(100);
  w->set_max_waiting_days(1200);
  w = s.add_waiting();
  w->set_situation(v1::SITUATION_SHELTER);
  w->set_count(1);
  w->set_mean_waiting_days(20.4);
  w->set_max_waiting_days(20);
  s.set_long_stay_count(2);
  v1::LongStay* stay = s.add_long_stays();
  stay->set_citizen_id("citizen-named");
  s.set_offers_pending(1);
  s.set_offers_accepted(12);
  s.set_offers_declined(3);
  s.set_retention_cohort(7);
  s.set_retained_12_months(6);
  s.set_retention_rate(6.0 / 7);
  const std::string da = StatsSummary(i18n::Language::kDanish, s, 90);
  EXPECT_EQ(da,
            "3 ledige boliger (Housing First-bolig: 2, §110 forsorgshjem: 1). 4 ansøgere venter, "
            "i gennemsnit 80 dage og længst 1.200 dage. 2 har boet længere end 90 dage i et "
            "midlertidigt tilbud (§107 eller §110-ophold). Tilbud: 1 afventer svar, 12 "
            "accepteret, 3 afslået, 0 udløbet, 0 trukket tilbage. 86 % af dem, der flyttede i "
            "egen bolig for mindst 12 måneder siden, boede der stadig efter 12 måneder (6 af 7).");
  EXPECT_EQ(da.find("citizen-named"), std::string::npos);
  EXPECT_EQ(StatsSummary(i18n::Language::kEnglish, s, 90),
            "3 vacant units (Housing First flat: 2, §110 shelter: 1). 4 applicants are waiting, "
            "on average 80 days and at most 1,200 days. 2 have stayed longer than 90 days in a "
            "temporary place (§107 or §110). Offers: 1 pending, 12 accepted, 3 declined, 0 "
            "expired, 0 withdrawn. 86% of those who moved into a home at least 12 months ago "
            "still lived there after 12 months (6 of 7).");
  EXPECT_EQ(StatsSummary(i18n::Language::kDanish, v1::HousingStats(), 90),
            "Ingen ledige boliger. Ingen ansøgere venter. Tilbud: 0 afventer svar, 0 accepteret, "
            "0 afslået, 0 udløbet, 0 trukket tilbage. Ingen er endnu flyttet i egen bolig for "
            "mindst 12 måneder siden.");
}

}  // namespace
}  // namespace helhed::housing
