// Tests of volunteer matching (services/volunteers/domain/matching): each
// eligibility rule excludes a volunteer with its own reason and nothing else
// excludes; each score factor gives the documented points with a reason;
// ranking order, ties and limit; availability in Danish local time across
// daylight saving time; record checks expiring before the window ends.
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/i18n/enum_names.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/volunteers/domain/matching.h"

namespace helhed::volunteers {
namespace {

using i18n::Language;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
constexpr Language kEn = Language::kEnglish;
constexpr Language kDa = Language::kDanish;

// Randers town centre and one kilometre along a meridian there.
constexpr double kRandersLat = 56.4607;
constexpr double kRandersLon = 10.0364;
constexpr double kKmPerDegreeLat = 6371.0088 * 3.14159265358979323846 / 180.0;

absl::TimeZone Copenhagen() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &tz));
  return tz;
}

// A Danish local time.
absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), Copenhagen());
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::UTCTimeZone());
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

v1::GeoPoint Point(double lat, double lon) {
  v1::GeoPoint p;
  p.set_latitude(lat);
  p.set_longitude(lon);
  return p;
}

// A point `km` north of Randers centre.
v1::GeoPoint NorthOfRanders(double km) {
  return Point(kRandersLat + km / kKmPerDegreeLat, kRandersLon);
}

v1::WeeklyWindow Window(v1::Weekday day, int start_minute, int end_minute) {
  v1::WeeklyWindow w;
  w.set_weekday(day);
  w.set_start_minute(start_minute);
  w.set_end_minute(end_minute);
  return w;
}

google::protobuf::RepeatedPtrField<v1::WeeklyWindow> Windows(
    std::vector<v1::WeeklyWindow> windows) {
  google::protobuf::RepeatedPtrField<v1::WeeklyWindow> out;
  for (auto& w : windows) {
    *out.Add() = w;
  }
  return out;
}

// Eligible for the base request, 2 km from its place, available all week.
v1::Volunteer BaseVolunteer(const std::string& id) {
  v1::Volunteer v;
  v.set_id(id);
  v.set_display_name("Volunteer " + id);
  v.set_status(v1::VOLUNTEER_STATUS_ACTIVE);
  v.set_consent_given(true);
  v.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  v.mutable_record_check()->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
  v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_VALID);
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2026, 12, 31);
  for (int day = v1::WEEKDAY_MONDAY; day <= v1::WEEKDAY_SUNDAY; ++day) {
    *v.add_availability() = Window(static_cast<v1::Weekday>(day), 0, 1440);
  }
  v.set_home_postcode("8900");
  *v.mutable_home_location() = NorthOfRanders(2);
  v.set_max_travel_km(10);
  v.add_languages("da");
  v.set_gender(v1::GENDER_FEMALE);
  return v;
}

// Tuesday 4 June 2024, 10:00-12:00 Danish summer time, in Randers centre;
// no language, needs, preferences or interests.
MatchContext BaseContext() {
  MatchContext ctx;
  v1::AccompanimentRequest& r = ctx.request;
  r.set_id("req-1");
  r.set_citizen_id("citizen-1");
  r.set_destination("Randers Bibliotek");
  r.mutable_place()->set_postcode("8900");
  *r.mutable_place()->mutable_location() = Point(kRandersLat, kRandersLon);
  *r.mutable_window_start() = ToProto(Local(2024, 6, 4, 10, 0));
  *r.mutable_window_end() = ToProto(Local(2024, 6, 4, 12, 0));
  return ctx;
}

void SetWindow(MatchContext& ctx, absl::Time start, absl::Time end) {
  *ctx.request.mutable_window_start() = ToProto(start);
  *ctx.request.mutable_window_end() = ToProto(end);
}

const v1::ScoreFactor& Factor(const v1::Candidate& c, const std::string& name) {
  for (const auto& f : c.factors()) {
    if (f.factor() == name) {
      return f;
    }
  }
  ADD_FAILURE() << "no factor " << name;
  static const v1::ScoreFactor* const kNone = new v1::ScoreFactor;
  return *kNone;
}

std::vector<std::string> Ids(const std::vector<v1::Candidate>& candidates) {
  std::vector<std::string> out;
  for (const auto& c : candidates) {
    out.push_back(c.volunteer_id());
  }
  return out;
}

// ---------------------------------------------------------------- distance

TEST(DistanceKmTest, OneDegreeAlongAMeridianIsAbout111Km) {
  EXPECT_NEAR(DistanceKm(Point(56, 10), Point(57, 10)), 111.195, 0.01);
  EXPECT_NEAR(DistanceKm(Point(0, 10), Point(0, 11)), 111.195, 0.01);
}

TEST(DistanceKmTest, SymmetricAndZeroForTheSamePoint) {
  const v1::GeoPoint randers = Point(kRandersLat, kRandersLon);
  const v1::GeoPoint aarhus = Point(56.1567, 10.2108);
  EXPECT_DOUBLE_EQ(DistanceKm(randers, randers), 0);
  EXPECT_DOUBLE_EQ(DistanceKm(randers, aarhus), DistanceKm(aarhus, randers));
  // Randers to Aarhus, as the crow flies.
  EXPECT_NEAR(DistanceKm(randers, aarhus), 35.5, 0.5);
}

TEST(DistanceKmTest, FollowsTheGreatCircleNotTheParallel) {
  // At 60N a degree of longitude is half of one at the equator.
  EXPECT_NEAR(DistanceKm(Point(60, 10), Point(60, 11)), 55.6, 0.1);
  // Antipodes: half the circumference.
  EXPECT_NEAR(DistanceKm(Point(0, 0), Point(0, 180)), 20015.1, 0.5);
}

// ------------------------------------------------------------ availability

TEST(WithinAvailabilityTest, UsesDanishSummerTime) {
  const auto tuesday = Windows({Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60)});
  // 08:00-10:00 UTC is 10:00-12:00 CEST.
  EXPECT_TRUE(WithinAvailability(tuesday, Utc(2024, 6, 4, 8, 0), Utc(2024, 6, 4, 10, 0)));
  // 10:00-12:00 UTC is 12:00-14:00 CEST.
  EXPECT_FALSE(WithinAvailability(tuesday, Utc(2024, 6, 4, 10, 0), Utc(2024, 6, 4, 12, 0)));
}

TEST(WithinAvailabilityTest, UsesDanishWinterTime) {
  const auto tuesday = Windows({Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60)});
  // 09:00-11:00 UTC is 10:00-12:00 CET.
  EXPECT_TRUE(WithinAvailability(tuesday, Utc(2024, 1, 9, 9, 0), Utc(2024, 1, 9, 11, 0)));
  // The summer-time UTC hours are 09:00-11:00 CET: outside.
  EXPECT_FALSE(WithinAvailability(tuesday, Utc(2024, 1, 9, 8, 0), Utc(2024, 1, 9, 10, 0)));
}

TEST(WithinAvailabilityTest, OnTheDstSwitchLocalWallClockTimesCount) {
  // Sunday 31 March 2024: 02:00 CET becomes 03:00 CEST. 00:30-01:30 UTC is
  // 01:30 CET to 03:30 CEST: one hour elapsed, inside 01:00-04:00 local.
  const auto sunday = Windows({Window(v1::WEEKDAY_SUNDAY, 60, 4 * 60)});
  EXPECT_TRUE(WithinAvailability(sunday, Utc(2024, 3, 31, 0, 30), Utc(2024, 3, 31, 1, 30)));
  // Ends 04:30 CEST.
  EXPECT_FALSE(WithinAvailability(sunday, Utc(2024, 3, 31, 0, 30), Utc(2024, 3, 31, 2, 30)));
}

TEST(WithinAvailabilityTest, BoundariesAreInclusiveOfTheWeeklyWindow) {
  const auto tuesday = Windows({Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60)});
  EXPECT_TRUE(WithinAvailability(tuesday, Local(2024, 6, 4, 10, 0), Local(2024, 6, 4, 12, 0)));
  EXPECT_TRUE(WithinAvailability(tuesday, Local(2024, 6, 4, 10, 30), Local(2024, 6, 4, 11, 0)));
  // Starts a minute early; ends a minute late.
  EXPECT_FALSE(WithinAvailability(tuesday, Local(2024, 6, 4, 9, 59), Local(2024, 6, 4, 11, 0)));
  EXPECT_FALSE(WithinAvailability(tuesday, Local(2024, 6, 4, 11, 0), Local(2024, 6, 4, 12, 1)));
}

TEST(WithinAvailabilityTest, RequestOutsideAvailabilityIsNotWithin) {
  const auto windows = Windows({Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60),
                                Window(v1::WEEKDAY_THURSDAY, 14 * 60, 16 * 60)});
  // Wednesday at the same hours; Thursday at Tuesday's hours.
  EXPECT_FALSE(WithinAvailability(windows, Local(2024, 6, 5, 10, 0), Local(2024, 6, 5, 12, 0)));
  EXPECT_FALSE(WithinAvailability(windows, Local(2024, 6, 6, 10, 0), Local(2024, 6, 6, 12, 0)));
  EXPECT_TRUE(WithinAvailability(windows, Local(2024, 6, 6, 14, 0), Local(2024, 6, 6, 15, 0)));
  // No availability at all.
  EXPECT_FALSE(WithinAvailability(Windows({}), Local(2024, 6, 4, 10, 0), Local(2024, 6, 4, 11, 0)));
}

TEST(WithinAvailabilityTest, MustFitInOneWindowNotAcrossTwo) {
  const auto windows = Windows({Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60),
                                Window(v1::WEEKDAY_TUESDAY, 12 * 60, 14 * 60)});
  EXPECT_FALSE(WithinAvailability(windows, Local(2024, 6, 4, 11, 0), Local(2024, 6, 4, 13, 0)));
}

TEST(WithinAvailabilityTest, AWindowCrossingMidnightIsNotWithin) {
  const auto windows =
      Windows({Window(v1::WEEKDAY_FRIDAY, 20 * 60, 1440), Window(v1::WEEKDAY_SATURDAY, 0, 3 * 60)});
  // Friday 7 June 2024 23:00 to Saturday 01:00.
  EXPECT_FALSE(WithinAvailability(windows, Local(2024, 6, 7, 23, 0), Local(2024, 6, 8, 1, 0)));
  // Ending exactly at midnight fits a window ending at minute 1440.
  EXPECT_TRUE(WithinAvailability(windows, Local(2024, 6, 7, 22, 0), Local(2024, 6, 8, 0, 0)));
  EXPECT_TRUE(WithinAvailability(windows, Local(2024, 6, 8, 0, 0), Local(2024, 6, 8, 2, 0)));
}

TEST(WithinAvailabilityTest, EmptyOrReversedWindowIsNotWithin) {
  const auto tuesday = Windows({Window(v1::WEEKDAY_TUESDAY, 0, 1440)});
  EXPECT_FALSE(WithinAvailability(tuesday, Local(2024, 6, 4, 10, 0), Local(2024, 6, 4, 10, 0)));
  EXPECT_FALSE(WithinAvailability(tuesday, Local(2024, 6, 4, 11, 0), Local(2024, 6, 4, 10, 0)));
}

// ------------------------------------------------------------- eligibility

TEST(IneligibilityTest, BaseVolunteerIsEligible) {
  const MatchContext ctx = BaseContext();
  const v1::Volunteer v = BaseVolunteer("v1");
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  EXPECT_THAT(Ids(Rank({v}, ctx, 10, kEn)), ElementsAre("v1"));
}

struct RuleCase {
  std::string name;
  std::function<void(v1::Volunteer&, MatchContext&)> change;
  std::string reason;
};

TEST(IneligibilityTest, EachRuleExcludesWithItsOwnReason) {
  const std::vector<RuleCase> cases = {
      {"paused", [](v1::Volunteer& v, MatchContext&) { v.set_status(v1::VOLUNTEER_STATUS_PAUSED); },
       "volunteer paused"},
      {"left", [](v1::Volunteer& v, MatchContext&) { v.set_status(v1::VOLUNTEER_STATUS_LEFT); },
       "volunteer has left"},
      {"status unspecified",
       [](v1::Volunteer& v, MatchContext&) { v.set_status(v1::VOLUNTEER_STATUS_UNSPECIFIED); },
       "volunteer not active"},
      {"no consent", [](v1::Volunteer& v, MatchContext&) { v.set_consent_given(false); },
       "no consent given"},
      {"archived",
       [](v1::Volunteer& v, MatchContext&) {
         v.set_state(helhed::common::v1::RESOURCE_STATE_ARCHIVED);
       },
       "volunteer archived"},
      {"record check pending",
       [](v1::Volunteer& v, MatchContext&) {
         v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_PENDING);
       },
       "record check pending"},
      {"record check rejected",
       [](v1::Volunteer& v, MatchContext&) {
         v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_REJECTED);
       },
       "record check rejected"},
      {"no record check", [](v1::Volunteer& v, MatchContext&) { v.clear_record_check(); },
       "no record check"},
      {"valid without expiry",
       [](v1::Volunteer& v, MatchContext&) { v.mutable_record_check()->clear_expiry_date(); },
       "record check has no expiry date"},
      {"record check expired",
       [](v1::Volunteer& v, MatchContext&) {
         *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 3);
       },
       "record check expired"},
      {"not available",
       [](v1::Volunteer& v, MatchContext&) {
         v.clear_availability();
         *v.add_availability() = Window(v1::WEEKDAY_WEDNESDAY, 0, 1440);
       },
       "not available then"},
      {"booked", [](v1::Volunteer&, MatchContext& c) { c.booked.insert("v1"); },
       "already booked then"},
      {"language", [](v1::Volunteer&, MatchContext& c) { c.request.set_language("ar"); },
       "does not speak ar"},
      {"needs",
       [](v1::Volunteer& v, MatchContext& c) {
         c.request.add_needs(v1::NEED_WHEELCHAIR);
         c.request.add_needs(v1::NEED_CALM);
         c.request.add_needs(v1::NEED_VISION);
         v.add_supports(v1::NEED_CALM);
       },
       "cannot meet needs: wheelchair, low vision"},
      {"gender",
       [](v1::Volunteer&, MatchContext& c) { c.request.set_gender_preference(v1::GENDER_MALE); },
       "not the preferred gender"},
      {"skills",
       [](v1::Volunteer& v, MatchContext& c) {
         c.has_activity = true;
         c.activity.add_required_skills("førstehjælp");
         c.activity.add_required_skills("svømning");
         v.add_skills("svømning");
       },
       "lacks required skills: førstehjælp"},
      {"trainings",
       [](v1::Volunteer& v, MatchContext& c) {
         c.has_activity = true;
         c.activity.add_required_trainings("Følgeven-introduktion");
         v.add_trainings()->set_course("Førstehjælp");
       },
       "lacks required training: Følgeven-introduktion"},
      {"too far",
       [](v1::Volunteer& v, MatchContext&) { *v.mutable_home_location() = NorthOfRanders(12); },
       "too far: 12 km (travels up to 10 km)"},
      {"too far for the default 10 km",
       [](v1::Volunteer& v, MatchContext&) {
         v.set_max_travel_km(0);
         *v.mutable_home_location() = NorthOfRanders(10.5);
       },
       "too far: 10.5 km (travels up to 10 km)"},
  };
  // Each case's rule, as FailedRules and Explain give it.
  const std::map<std::string, v1::EligibilityRule> rules = {
      {"paused", v1::ELIGIBILITY_RULE_INACTIVE},
      {"left", v1::ELIGIBILITY_RULE_INACTIVE},
      {"status unspecified", v1::ELIGIBILITY_RULE_INACTIVE},
      {"no consent", v1::ELIGIBILITY_RULE_CONSENT},
      {"archived", v1::ELIGIBILITY_RULE_ARCHIVED},
      {"record check pending", v1::ELIGIBILITY_RULE_RECORD_CHECK},
      {"record check rejected", v1::ELIGIBILITY_RULE_RECORD_CHECK},
      {"no record check", v1::ELIGIBILITY_RULE_RECORD_CHECK},
      {"valid without expiry", v1::ELIGIBILITY_RULE_RECORD_CHECK},
      {"record check expired", v1::ELIGIBILITY_RULE_RECORD_CHECK},
      {"not available", v1::ELIGIBILITY_RULE_AVAILABILITY},
      {"booked", v1::ELIGIBILITY_RULE_BOOKED},
      {"language", v1::ELIGIBILITY_RULE_LANGUAGE},
      {"needs", v1::ELIGIBILITY_RULE_SUPPORT},
      {"gender", v1::ELIGIBILITY_RULE_GENDER},
      {"skills", v1::ELIGIBILITY_RULE_SKILLS},
      {"trainings", v1::ELIGIBILITY_RULE_TRAINING},
      {"too far", v1::ELIGIBILITY_RULE_DISTANCE},
      {"too far for the default 10 km", v1::ELIGIBILITY_RULE_DISTANCE},
  };
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(c.name);
    MatchContext ctx = BaseContext();
    v1::Volunteer v = BaseVolunteer("v1");
    c.change(v, ctx);
    EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre(c.reason));
    EXPECT_THAT(Rank({v}, ctx, 10, kEn), ElementsAre());
    ASSERT_EQ(rules.count(c.name), 1u);
    const v1::EligibilityRule rule = rules.at(c.name);
    const std::vector<RuleFailure> failed = FailedRules(v, ctx, kEn);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].rule, rule) << v1::EligibilityRule_Name(failed[0].rule);
    // Explain says the same, also when the volunteer is not in the pool.
    const v1::CandidateExplanation e = Explain({BaseVolunteer("v2")}, v, ctx, 10, kEn);
    EXPECT_FALSE(e.ranked());
    EXPECT_EQ(e.rank(), 0);
    EXPECT_THAT(e.failed_rules(), ElementsAre(rule));
    EXPECT_THAT(e.text(), HasSubstr(c.reason));
    EXPECT_EQ(e.factors_size(), 0);
    // And a Danish text.
    const v1::CandidateExplanation da = Explain({}, v, ctx, 10, kDa);
    EXPECT_THAT(da.text(), HasSubstr("kommer ikke i betragtning: "));
    EXPECT_THAT(da.text(), HasSubstr(FailedRules(v, ctx, kDa)[0].text));
  }
}

TEST(IneligibilityTest, TheRulesPassWhenMet) {
  MatchContext ctx = BaseContext();
  ctx.request.set_language("ar");
  ctx.request.add_needs(v1::NEED_WHEELCHAIR);
  ctx.request.set_gender_preference(v1::GENDER_FEMALE);
  ctx.has_activity = true;
  ctx.activity.add_required_skills("førstehjælp");
  ctx.activity.add_required_trainings("Følgeven-introduktion");
  ctx.booked.insert("someone-else");
  v1::Volunteer v = BaseVolunteer("v1");
  v.add_languages("AR");  // ASCII case ignored
  v.add_supports(v1::NEED_WHEELCHAIR);
  v.add_supports(v1::NEED_HEARING);
  v.add_skills("førstehjælp");
  v.add_trainings()->set_course("følgeven-introduktion");  // ASCII case ignored
  v.set_max_travel_km(0);                                  // means 10
  *v.mutable_home_location() = NorthOfRanders(9.5);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
}

TEST(IneligibilityTest, NothingElseExcludes) {
  MatchContext ctx = BaseContext();
  ctx.recent_hours["v1"] = 100;
  ctx.familiar["v1"] = 0;
  v1::Volunteer v = BaseVolunteer("v1");
  v.clear_role_agreement();
  v.clear_trainings();
  v.clear_skills();
  v.clear_interests();
  v.clear_languages();  // no language asked for
  v.clear_supports();   // no needs
  v.set_gender(v1::GENDER_OTHER);
  v.set_max_hours_per_week(1);
  v.clear_contact();
  v.clear_consent_date();
  // No coordinates and another postcode: distance unknown.
  v.clear_home_location();
  v.set_home_postcode("8000");
  v.set_max_travel_km(1);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  const auto ranked = Rank({v}, ctx, 10, kEn);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(Factor(ranked[0], "distance").points(), 0);
  EXPECT_EQ(Factor(ranked[0], "load").points(), -20);
}

TEST(IneligibilityTest, ReportsEveryFailingRuleAtOnce) {
  MatchContext ctx = BaseContext();
  ctx.request.set_language("en");
  ctx.booked.insert("v1");
  v1::Volunteer v = BaseVolunteer("v1");
  v.set_consent_given(false);
  v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_PENDING);
  *v.mutable_home_location() = NorthOfRanders(30);
  EXPECT_THAT(Ineligibility(v, ctx, kEn),
              ElementsAre("no consent given", "record check pending", "already booked then",
                          "does not speak en", "too far: 30 km (travels up to 10 km)"));
}

TEST(IneligibilityTest, WithoutCoordinatesThePostcodeDecides) {
  MatchContext ctx = BaseContext();
  v1::Volunteer same = BaseVolunteer("same");
  same.clear_home_location();
  same.set_max_travel_km(1);
  v1::Volunteer other = BaseVolunteer("other");
  other.clear_home_location();
  other.set_home_postcode("9000");  // Aalborg, far away, but unknown without coordinates
  other.set_max_travel_km(1);
  EXPECT_THAT(Ineligibility(same, ctx, kEn), ElementsAre());
  EXPECT_THAT(Ineligibility(other, ctx, kEn), ElementsAre());

  // The request's place without coordinates: the volunteer's are not enough.
  ctx.request.mutable_place()->clear_location();
  v1::Volunteer far = BaseVolunteer("far");
  *far.mutable_home_location() = NorthOfRanders(50);
  far.set_home_postcode("9000");
  EXPECT_THAT(Ineligibility(far, ctx, kEn), ElementsAre());
  EXPECT_EQ(Factor(Score(far, ctx, kEn), "distance").points(), 0);
}

TEST(IneligibilityTest, ZeroCoordinatesCountAsUnknown) {
  MatchContext ctx = BaseContext();
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_home_location() = Point(0, 0);  // set, but never a Danish home
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  const v1::Candidate c = Score(v, ctx, kEn);
  EXPECT_EQ(Factor(c, "distance").points(), 20);  // same postcode
  EXPECT_EQ(c.distance_km(), 0);
}

TEST(IneligibilityTest, RequestOutsideAvailabilityExcludes) {
  MatchContext ctx = BaseContext();
  v1::Volunteer v = BaseVolunteer("v1");
  v.clear_availability();
  *v.add_availability() = Window(v1::WEEKDAY_TUESDAY, 10 * 60, 12 * 60);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  // One hour later: 11:00-13:00 local.
  SetWindow(ctx, Local(2024, 6, 4, 11, 0), Local(2024, 6, 4, 13, 0));
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre("not available then"));
  // The same local hours on a winter Tuesday still fit.
  SetWindow(ctx, Local(2024, 12, 3, 10, 0), Local(2024, 12, 3, 12, 0));
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
}

// ------------------------------------------------------------ record check

TEST(RecordCheckTest, ValidThroughTheDayTheWindowEnds) {
  MatchContext ctx = BaseContext();  // ends Tuesday 4 June 2024, 12:00 local
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 4);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 3);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre("record check expired"));
}

TEST(RecordCheckTest, ExpiringBeforeTheWindowEndsExcludes) {
  // The window starts on 4 June but ends on 5 June (local), after expiry.
  MatchContext ctx = BaseContext();
  SetWindow(ctx, Local(2024, 6, 4, 0, 0), Local(2024, 6, 5, 0, 0));
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 4);
  // Ending at midnight, the window ends on 4 June: still valid.
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
  // One minute into 5 June (a window availability allows across midnight
  // would be needed for the check to be the only reason).
  SetWindow(ctx, Local(2024, 6, 4, 23, 0), Local(2024, 6, 5, 0, 1));
  EXPECT_THAT(Ineligibility(v, ctx, kEn),
              ElementsAre("record check expired", "not available then"));
}

TEST(RecordCheckTest, TheDayIsTheDanishLocalDay) {
  // 00:30-01:30 CEST on 4 June is 22:30-23:30 UTC on 3 June.
  MatchContext ctx = BaseContext();
  SetWindow(ctx, Utc(2024, 6, 3, 22, 30), Utc(2024, 6, 3, 23, 30));
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 3);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre("record check expired"));
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 6, 4);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
}

TEST(RecordCheckTest, ComparesYearMonthAndDay) {
  MatchContext ctx = BaseContext();
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2023, 12, 31);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre("record check expired"));
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 5, 31);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre("record check expired"));
  *v.mutable_record_check()->mutable_expiry_date() = MakeDate(2024, 7, 1);
  EXPECT_THAT(Ineligibility(v, ctx, kEn), ElementsAre());
}

// ------------------------------------------------------------------ scores

TEST(ScoreTest, ContinuityFiftyPlusFivePerTimeUpToTwentyMore) {
  MatchContext ctx = BaseContext();
  const v1::Volunteer v = BaseVolunteer("v1");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 0);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").reason(),
            "has not accompanied this citizen before");
  const std::vector<std::pair<int, double>> expected = {{1, 55}, {2, 60}, {3, 65},
                                                        {4, 70}, {5, 70}, {12, 70}};
  for (const auto& [times, points] : expected) {
    SCOPED_TRACE(times);
    ctx.familiar["v1"] = times;
    EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), points);
  }
  ctx.familiar["v1"] = 3;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").reason(), "accompanied this citizen 3 times");
  ctx.familiar["v1"] = 1;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").reason(), "accompanied this citizen once");
  // Another volunteer's history is not this one's.
  ctx.familiar.clear();
  ctx.familiar["v2"] = 3;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 0);
}

TEST(ScoreTest, ContinuityDoubledWhenTheCitizenAsksForAFamiliarVolunteer) {
  MatchContext ctx = BaseContext();
  ctx.request.set_wants_familiar_volunteer(true);
  const v1::Volunteer v = BaseVolunteer("v1");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 0);
  ctx.familiar["v1"] = 1;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 110);
  ctx.familiar["v1"] = 3;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 130);
  EXPECT_THAT(Factor(Score(v, ctx, kEn), "continuity").reason(), HasSubstr("doubled"));
  ctx.familiar["v1"] = 9;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "continuity").points(), 140);
}

TEST(ScoreTest, SharedInterestsTenEachUpToThirty) {
  MatchContext ctx = BaseContext();
  ctx.request.add_interests("fodbold");
  ctx.request.add_interests("strik");
  v1::Volunteer v = BaseVolunteer("v1");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 0);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").reason(), "no shared interests");

  v.add_interests("strik");
  v.add_interests("strik");  // counted once
  v.add_interests("kor");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 10);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").reason(), "shares 1 interest: strik");

  v.add_interests("fodbold");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 20);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").reason(),
            "shares 2 interests: fodbold, strik");

  // The activity's interests count too, but only with the activity.
  ctx.activity.add_interests("kor");
  ctx.activity.add_interests("kaffe");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 20);
  ctx.has_activity = true;
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 30);
  v.add_interests("kaffe");  // four shared: capped
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").points(), 30);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "shared_interests").reason(),
            "shares 4 interests: fodbold, strik, kor, kaffe (counted up to 3)");
}

TEST(ScoreTest, DistanceFallsLinearlyToZeroAtMaxTravel) {
  const MatchContext ctx = BaseContext();
  v1::Volunteer v = BaseVolunteer("v1");
  *v.mutable_home_location() = Point(kRandersLat, kRandersLon);
  EXPECT_DOUBLE_EQ(Factor(Score(v, ctx, kEn), "distance").points(), 20);
  EXPECT_DOUBLE_EQ(Score(v, ctx, kEn).distance_km(), 0);

  for (double km : {2.5, 5.0, 9.0}) {
    SCOPED_TRACE(km);
    *v.mutable_home_location() = NorthOfRanders(km);
    const v1::Candidate c = Score(v, ctx, kEn);
    EXPECT_NEAR(c.distance_km(), km, 1e-6);
    EXPECT_NEAR(Factor(c, "distance").points(), 20 * (1 - km / 10), 1e-6);
  }
  // The volunteer's own max travel sets the slope.
  v.set_max_travel_km(20);
  *v.mutable_home_location() = NorthOfRanders(5);
  EXPECT_NEAR(Factor(Score(v, ctx, kEn), "distance").points(), 15, 1e-6);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "distance").reason(),
            "5 km from home (travels up to 20 km)");
  v.set_max_travel_km(0);  // means 10
  EXPECT_NEAR(Factor(Score(v, ctx, kEn), "distance").points(), 10, 1e-6);
}

TEST(ScoreTest, UnknownDistanceScoresAsFarSamePostcodeAsZeroKm) {
  const MatchContext ctx = BaseContext();
  v1::Volunteer v = BaseVolunteer("v1");
  v.clear_home_location();
  const v1::Candidate same = Score(v, ctx, kEn);
  EXPECT_EQ(Factor(same, "distance").points(), 20);
  EXPECT_EQ(Factor(same, "distance").reason(), "lives in the same postcode (8900)");
  v.set_home_postcode("8920");
  const v1::Candidate unknown = Score(v, ctx, kEn);
  EXPECT_EQ(Factor(unknown, "distance").points(), 0);
  EXPECT_THAT(Factor(unknown, "distance").reason(), HasSubstr("distance unknown"));
  EXPECT_EQ(unknown.distance_km(), 0);
}

TEST(ScoreTest, LoadMinusTwoPerRecentHourDownToMinusTwenty) {
  MatchContext ctx = BaseContext();
  const v1::Volunteer v = BaseVolunteer("v1");
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "load").points(), 0);
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "load").reason(), "no hours in the last 28 days");
  const std::vector<std::pair<double, double>> expected = {
      {0.5, -1}, {3, -6}, {4.25, -8.5}, {10, -20}, {25, -20}};
  for (const auto& [hours, points] : expected) {
    SCOPED_TRACE(hours);
    ctx.recent_hours["v1"] = hours;
    EXPECT_DOUBLE_EQ(Factor(Score(v, ctx, kEn), "load").points(), points);
  }
  ctx.recent_hours["v1"] = 4.27;  // one decimal in the text
  EXPECT_EQ(Factor(Score(v, ctx, kEn), "load").reason(), "gave 4.3 hours in the last 28 days");
  EXPECT_EQ(Factor(Score(v, ctx, kDa), "load").reason(), "har givet 4,3 timer de seneste 28 dage");
}

TEST(ScoreTest, ScoreIsTheSumOfAllFourFactors) {
  MatchContext ctx = BaseContext();
  ctx.request.set_wants_familiar_volunteer(true);
  ctx.request.add_interests("strik");
  ctx.familiar["v1"] = 2;
  ctx.recent_hours["v1"] = 3;
  v1::Volunteer v = BaseVolunteer("v1");
  v.add_interests("strik");
  *v.mutable_home_location() = NorthOfRanders(5);
  const v1::Candidate c = Score(v, ctx, kEn);
  EXPECT_EQ(c.volunteer_id(), "v1");
  EXPECT_EQ(c.display_name(), "Volunteer v1");
  ASSERT_EQ(c.factors_size(), 4);
  EXPECT_EQ(c.factors(0).factor(), "continuity");
  EXPECT_EQ(c.factors(1).factor(), "shared_interests");
  EXPECT_EQ(c.factors(2).factor(), "distance");
  EXPECT_EQ(c.factors(3).factor(), "load");
  double sum = 0;
  for (const auto& f : c.factors()) {
    EXPECT_FALSE(f.reason().empty()) << f.factor();
    sum += f.points();
  }
  EXPECT_DOUBLE_EQ(c.score(), sum);
  EXPECT_NEAR(c.score(), 120 + 10 + 10 - 6, 1e-6);
}

// ----------------------------------------------------------------- ranking

TEST(RankTest, BestFirstAndOnlyEligible) {
  MatchContext ctx = BaseContext();
  ctx.request.add_interests("strik");
  v1::Volunteer near = BaseVolunteer("near");
  *near.mutable_home_location() = NorthOfRanders(1);
  v1::Volunteer far = BaseVolunteer("far");
  *far.mutable_home_location() = NorthOfRanders(8);
  v1::Volunteer knits = BaseVolunteer("knits");
  *knits.mutable_home_location() = NorthOfRanders(8);
  knits.add_interests("strik");
  v1::Volunteer known = BaseVolunteer("known");
  *known.mutable_home_location() = NorthOfRanders(9);
  ctx.familiar["known"] = 1;
  v1::Volunteer paused = BaseVolunteer("paused");
  paused.set_status(v1::VOLUNTEER_STATUS_PAUSED);
  ctx.familiar["paused"] = 5;

  const auto ranked = Rank({far, paused, near, knits, known}, ctx, 10, kEn);
  EXPECT_THAT(Ids(ranked), ElementsAre("known", "near", "knits", "far"));
  for (size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(ranked[i - 1].score(), ranked[i].score());
  }
}

TEST(RankTest, RankedCandidatesEqualScore) {
  MatchContext ctx = BaseContext();
  ctx.request.add_interests("strik");
  ctx.familiar["b"] = 2;
  ctx.recent_hours["a"] = 1.5;
  v1::Volunteer a = BaseVolunteer("a");
  a.add_interests("strik");
  v1::Volunteer b = BaseVolunteer("b");
  b.clear_home_location();
  b.set_home_postcode("8960");
  const auto ranked = Rank({a, b}, ctx, 10, kEn);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ranked[0], Score(b, ctx, kEn)));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ranked[1], Score(a, ctx, kEn)));
}

TEST(RankTest, TiesGoToFewerRecentHoursThenVolunteerId) {
  MatchContext ctx = BaseContext();
  // Load is capped at -20, so 12 and 15 hours score the same.
  ctx.recent_hours["busy"] = 15;
  ctx.recent_hours["less-busy"] = 12;
  const auto ranked = Rank({BaseVolunteer("busy"), BaseVolunteer("less-busy")}, ctx, 10, kEn);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].score(), ranked[1].score());
  EXPECT_THAT(Ids(ranked), ElementsAre("less-busy", "busy"));

  // Same score, same hours: by id, whatever the input order.
  const auto by_id =
      Rank({BaseVolunteer("c"), BaseVolunteer("a"), BaseVolunteer("b")}, ctx, 10, kEn);
  EXPECT_THAT(Ids(by_id), ElementsAre("a", "b", "c"));
}

TEST(RankTest, Limit) {
  const MatchContext ctx = BaseContext();
  std::vector<v1::Volunteer> volunteers;
  for (int i = 0; i < 5; ++i) {
    v1::Volunteer v = BaseVolunteer("v" + std::to_string(i));
    *v.mutable_home_location() = NorthOfRanders(i);  // v0 nearest
    volunteers.push_back(v);
  }
  volunteers[1].set_consent_given(false);
  EXPECT_THAT(Ids(Rank(volunteers, ctx, 2, kEn)), ElementsAre("v0", "v2"));
  EXPECT_THAT(Ids(Rank(volunteers, ctx, 1, kEn)), ElementsAre("v0"));
  EXPECT_THAT(Ids(Rank(volunteers, ctx, 100, kEn)), ElementsAre("v0", "v2", "v3", "v4"));
  EXPECT_THAT(Rank(volunteers, ctx, 0, kEn), ElementsAre());
  EXPECT_THAT(Rank(volunteers, ctx, -1, kEn), ElementsAre());
  EXPECT_THAT(Rank({}, ctx, 10, kEn), ElementsAre());
}

TEST(RankTest, NoneEligible) {
  MatchContext ctx = BaseContext();
  ctx.request.set_language("uk");
  EXPECT_THAT(Rank({BaseVolunteer("a"), BaseVolunteer("b")}, ctx, 10, kEn), ElementsAre());
}

}  // namespace
}  // namespace helhed::volunteers

namespace helhed::volunteers {
namespace {

// ---------------------------------------------------------------- texts, why not

TEST(VolunteerTextsTest, ReasonsInDanish) {
  MatchContext ctx = BaseContext();
  ctx.familiar["v1"] = 3;
  ctx.request.set_wants_familiar_volunteer(true);
  ctx.request.add_interests("strik");
  ctx.request.add_needs(v1::NEED_CALM);
  v1::Volunteer v = BaseVolunteer("v1");
  v.add_interests("strik");
  const v1::Candidate c = Score(v, ctx, kDa);
  EXPECT_EQ(Factor(c, "continuity").reason(),
            "har ledsaget borgeren 3 gange, fordoblet, fordi borgeren har bedt om en kendt "
            "frivillig");
  EXPECT_EQ(Factor(c, "shared_interests").reason(), "deler 1 interesse: strik");
  EXPECT_EQ(Factor(c, "distance").reason(), "2 km hjemmefra (kører højst 10 km)");
  EXPECT_EQ(Factor(c, "load").reason(), "ingen timer de seneste 28 dage");
  // Rules: the enum names of the needs, and Danish numbers.
  EXPECT_THAT(Ineligibility(v, ctx, kDa),
              ElementsAre("kan ikke give den nødvendige støtte: rolig ledsager"));
  v.add_supports(v1::NEED_CALM);
  *v.mutable_home_location() = NorthOfRanders(10.46);
  EXPECT_THAT(Ineligibility(v, ctx, kDa),
              ElementsAre("for langt væk: 10,5 km (kører højst 10 km)"));
  v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_PENDING);
  EXPECT_EQ(FailedRules(v, ctx, kDa)[0].text, "børne- og straffeattesten afventer svar");
  EXPECT_EQ(i18n::EnumName(kDa, v1::ELIGIBILITY_RULE_RECORD_CHECK), "børne- og straffeattest");
  EXPECT_EQ(i18n::EnumName(kEn, v1::ELIGIBILITY_RULE_RECORD_CHECK), "record check");
}

// a: 2 km away, 16 points; b: the same but 2 recent hours, 12 points; c: 6 km
// away, 8 points.
std::vector<v1::Volunteer> ThreeVolunteers(MatchContext& ctx) {
  std::vector<v1::Volunteer> out = {BaseVolunteer("a"), BaseVolunteer("b"), BaseVolunteer("c")};
  ctx.recent_hours["b"] = 2;
  *out[2].mutable_home_location() = NorthOfRanders(6);
  return out;
}

TEST(VolunteerExplainTest, IncludedCandidateIsRanked) {
  MatchContext ctx = BaseContext();
  const std::vector<v1::Volunteer> pool = ThreeVolunteers(ctx);
  const v1::CandidateExplanation e = Explain(pool, pool[1], ctx, 10, kEn);
  EXPECT_TRUE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_NEAR(e.score(), 12, 1e-6);
  EXPECT_EQ(e.gap(), 0);
  EXPECT_EQ(e.failed_rules_size(), 0);
  EXPECT_EQ(e.factors_size(), 4);
  EXPECT_EQ(e.text(), "Volunteer b ranks 2 of 3 eligible volunteers with a score of 12.");
  EXPECT_EQ(Rank(pool, ctx, 10, kEn)[1].volunteer_id(), "b");  // the ranking agrees
  EXPECT_EQ(Explain(pool, pool[1], ctx, 10, kDa).text(),
            "Volunteer b er nr. 2 af 3 egnede frivillige med 12 point.");
}

TEST(VolunteerExplainTest, LowRankedCandidateGetsRankAndGap) {
  MatchContext ctx = BaseContext();
  const std::vector<v1::Volunteer> pool = ThreeVolunteers(ctx);
  const v1::CandidateExplanation e = Explain(pool, pool[2], ctx, 2, kEn);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 3);
  EXPECT_NEAR(e.score(), 8, 1e-6);
  EXPECT_NEAR(e.gap(), 4, 1e-6);
  EXPECT_EQ(e.text(),
            "Volunteer c ranks 3 of 3 eligible volunteers with a score of 8, 4 points below "
            "number 2, the last one listed. Fewer points than number 2 for distance (8 against "
            "16).");
  EXPECT_EQ(Explain(pool, pool[2], ctx, 2, kDa).text(),
            "Volunteer c er nr. 3 af 3 egnede frivillige med 8 point, 4 point under nr. 2, som er "
            "den sidste på listen. Færre point end nr. 2 for afstand (8 mod 16).");
}

TEST(VolunteerExplainTest, TieBrokenByIdHasNoGap) {
  MatchContext ctx = BaseContext();
  const std::vector<v1::Volunteer> pool = {BaseVolunteer("a"), BaseVolunteer("b")};
  const v1::CandidateExplanation e = Explain(pool, pool[1], ctx, 1, kEn);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_EQ(e.gap(), 0);
  EXPECT_THAT(e.text(), HasSubstr("the same as number 1"));
}

TEST(VolunteerExplainTest, EveryFailingRuleListed) {
  MatchContext ctx = BaseContext();
  ctx.request.set_language("en");
  ctx.booked.insert("v1");
  v1::Volunteer v = BaseVolunteer("v1");
  v.set_consent_given(false);
  v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_PENDING);
  const v1::CandidateExplanation e = Explain({v}, v, ctx, 10, kEn);
  EXPECT_THAT(e.failed_rules(),
              ElementsAre(v1::ELIGIBILITY_RULE_CONSENT, v1::ELIGIBILITY_RULE_RECORD_CHECK,
                          v1::ELIGIBILITY_RULE_BOOKED, v1::ELIGIBILITY_RULE_LANGUAGE));
  EXPECT_EQ(e.text(),
            "Volunteer v1 is not considered: no consent given; record check pending; already "
            "booked then; does not speak en.");
}

}  // namespace
}  // namespace helhed::volunteers
