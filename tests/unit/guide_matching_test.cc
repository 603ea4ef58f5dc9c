// Tests of borgerguide matching (services/guides/domain/matching): each hard
// constraint excludes a guide with its own reason; each score factor gives
// the documented points with a reason; ranking order, ties and limit; the
// batch assignments never break a capacity or a constraint; AssignExact
// against brute force on small random cases and against an independent
// lexicographic min-cost flow on medium ones; the urgency priority; a case
// where greedy is strictly worse.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/i18n/enum_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/guides/domain/matching.h"

namespace helhed::guides {
namespace {

using i18n::Language;
using ::testing::ElementsAre;
constexpr Language kEn = Language::kEnglish;
constexpr Language kDa = Language::kDanish;

// Randers town centre and one kilometre along a meridian there.
constexpr double kRandersLat = 56.4607;
constexpr double kRandersLon = 10.0364;
constexpr double kKmPerDegreeLat = 6371.0088 * 3.14159265358979323846 / 180.0;

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

v1::GeoPoint NorthOfRanders(double km) {
  v1::GeoPoint p;
  p.set_latitude(kRandersLat + km / kKmPerDegreeLat);
  p.set_longitude(kRandersLon);
  return p;
}

MatchInputs Inputs() {
  MatchInputs in;
  in.today = MakeDate(2026, 5, 1);
  return in;
}

// A guide every rule of Request() lets through; scores 80 for it:
// experience 40 (autism, 5 years ago), life phase 20, distance 15 (0 km),
// availability 5 (three days), no preferences, no load.
GuideState Guide(const std::string& id = "g1") {
  GuideState s;
  v1::Guide& g = s.guide;
  g.set_id(id);
  g.set_display_name(absl::StrCat("Guide ", id));
  v1::Experience* e = g.add_experiences();
  e->set_tag(v1::EXPERIENCE_TAG_AUTISM);
  e->set_years_ago(5);
  g.add_life_phases(v1::LIFE_PHASE_YOUTH_TO_ADULT);
  g.add_languages("da");
  g.add_languages("en");
  g.set_home_postcode("8900");
  *g.mutable_home_location() = NorthOfRanders(0);
  g.set_age_band(v1::AGE_BAND_30_49);
  g.set_gender(v1::GENDER_FEMALE);
  v1::GuideTraining* t = g.add_trainings();
  t->set_course("Borgerguide-uddannelsen");
  *t->mutable_completed_date() = MakeDate(2024, 1, 15);
  *t->mutable_valid_until() = MakeDate(2027, 1, 15);
  g.add_settings(v1::SETTING_DISABILITY_SERVICES);
  g.set_employment(v1::EMPLOYMENT_VOLUNTEER);
  g.set_capacity(3);
  g.add_available_days(v1::WEEKDAY_MONDAY);
  g.add_available_days(v1::WEEKDAY_WEDNESDAY);
  g.add_available_days(v1::WEEKDAY_FRIDAY);
  g.set_status(v1::GUIDE_STATUS_ACTIVE);
  g.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  return s;
}

v1::GuidanceRequest Request(const std::string& id = "r1") {
  v1::GuidanceRequest r;
  r.set_id(id);
  r.set_citizen_id(absl::StrCat("citizen-", id));
  r.add_situation(v1::EXPERIENCE_TAG_AUTISM);
  r.set_life_phase(v1::LIFE_PHASE_YOUTH_TO_ADULT);
  r.set_help_wanted("Komme i job");
  r.set_life_area(helhed::common::v1::LIFE_AREA_MASTER);
  r.set_urgency(v1::URGENCY_NORMAL);
  r.set_consent_given(true);
  r.set_postcode("8900");
  *r.mutable_location() = NorthOfRanders(0);
  r.set_request_state(v1::REQUEST_STATE_OPEN);
  return r;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Joined(const std::vector<std::string>& reasons, const std::string& sep = " | ") {
  std::string out;
  for (const std::string& r : reasons) {
    absl::StrAppend(&out, out.empty() ? "" : sep, r);
  }
  return out;
}

// Expects exactly one violation, the rule `rule`, its English text
// containing `part`; that Rank leaves the guide out; and that Explain names
// the same rule (the same check as the ranking).
void ExpectExcluded(const v1::GuidanceRequest& r, const GuideState& g, const MatchInputs& in,
                    const std::string& part, v1::EligibilityRule rule) {
  const std::vector<std::string> reasons = Violations(r, g, in, kEn);
  ASSERT_EQ(reasons.size(), 1u) << Joined(reasons);
  EXPECT_TRUE(Contains(reasons[0], part)) << reasons[0] << " lacks " << part;
  EXPECT_TRUE(Rank(r, {g}, in, 10, kEn).empty());
  const std::vector<RuleFailure> failed = FailedRules(r, g, in, kEn);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].rule, rule) << v1::EligibilityRule_Name(failed[0].rule);
  EXPECT_EQ(failed[0].text, reasons[0]);
  const v1::CandidateExplanation e = Explain(r, {Guide("other")}, g, in, 10, kEn);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 0);
  ASSERT_EQ(e.failed_rules_size(), 1);
  EXPECT_EQ(e.failed_rules(0), rule);
  EXPECT_TRUE(Contains(e.text(), reasons[0])) << e.text();
  EXPECT_TRUE(Contains(e.text(), "is not considered")) << e.text();
}

void ExpectFeasible(const v1::GuidanceRequest& r, const GuideState& g, const MatchInputs& in) {
  EXPECT_TRUE(Violations(r, g, in, kEn).empty()) << Joined(Violations(r, g, in, kEn));
  EXPECT_EQ(Rank(r, {g}, in, 10, kEn).size(), 1u);
}

const v1::ScoreFactor& Factor(const v1::Candidate& c, const std::string& name) {
  for (const v1::ScoreFactor& f : c.factors()) {
    if (f.factor() == name) {
      return f;
    }
  }
  ADD_FAILURE() << "no factor " << name;
  static const v1::ScoreFactor kNone;
  return kNone;
}

// ---------------------------------------------------------------------------
// Hard constraints.

TEST(GuideViolationsTest, BaselineIsFeasible) { ExpectFeasible(Request(), Guide(), Inputs()); }

TEST(GuideViolationsTest, NoConsent) {
  v1::GuidanceRequest r = Request();
  r.set_consent_given(false);
  ExpectExcluded(r, Guide(), Inputs(), "no consent given", v1::ELIGIBILITY_RULE_CONSENT);
}

TEST(GuideViolationsTest, GuideNotActive) {
  GuideState g = Guide();
  g.guide.set_status(v1::GUIDE_STATUS_PAUSED);
  ExpectExcluded(Request(), g, Inputs(), "guide paused", v1::ELIGIBILITY_RULE_INACTIVE);
  g.guide.set_status(v1::GUIDE_STATUS_LEFT);
  ExpectExcluded(Request(), g, Inputs(), "guide has left", v1::ELIGIBILITY_RULE_INACTIVE);
  g.guide.set_status(v1::GUIDE_STATUS_UNSPECIFIED);
  ExpectExcluded(Request(), g, Inputs(), "guide not active", v1::ELIGIBILITY_RULE_INACTIVE);
}

TEST(GuideViolationsTest, GuideArchived) {
  GuideState g = Guide();
  g.guide.set_state(helhed::common::v1::RESOURCE_STATE_ARCHIVED);
  ExpectExcluded(Request(), g, Inputs(), "guide archived", v1::ELIGIBILITY_RULE_ARCHIVED);
}

TEST(GuideViolationsTest, NoCapacityLeft) {
  GuideState g = Guide();
  g.load = 3;
  ExpectExcluded(Request(), g, Inputs(), "no capacity left (3 of 3 in use)",
                 v1::ELIGIBILITY_RULE_CAPACITY);
  g.load = 4;  // over capacity already
  ExpectExcluded(Request(), g, Inputs(), "no capacity left", v1::ELIGIBILITY_RULE_CAPACITY);
  g.load = 2;
  ExpectFeasible(Request(), g, Inputs());
}

TEST(GuideViolationsTest, TrainingValidOnToday) {
  GuideState g = Guide();
  v1::GuideTraining* t = g.guide.mutable_trainings(0);
  *t->mutable_valid_until() = MakeDate(2026, 4, 30);
  ExpectExcluded(Request(), g, Inputs(), "no training valid on 2026-05-01",
                 v1::ELIGIBILITY_RULE_TRAINING);
  *t->mutable_valid_until() = MakeDate(2026, 5, 1);  // the last day counts
  ExpectFeasible(Request(), g, Inputs());
  t->clear_valid_until();
  ExpectExcluded(Request(), g, Inputs(), "no training valid on 2026-05-01",
                 v1::ELIGIBILITY_RULE_TRAINING);
  // Not yet completed.
  *t->mutable_valid_until() = MakeDate(2029, 1, 1);
  *t->mutable_completed_date() = MakeDate(2026, 5, 2);
  ExpectExcluded(Request(), g, Inputs(), "no training valid on 2026-05-01",
                 v1::ELIGIBILITY_RULE_TRAINING);
  // One valid training among expired ones is enough.
  v1::GuideTraining* other = g.guide.add_trainings();
  *other->mutable_completed_date() = MakeDate(2025, 1, 1);
  *other->mutable_valid_until() = MakeDate(2026, 12, 31);
  ExpectFeasible(Request(), g, Inputs());
  g.guide.clear_trainings();
  ExpectExcluded(Request(), g, Inputs(), "no training", v1::ELIGIBILITY_RULE_TRAINING);
}

TEST(GuideViolationsTest, Language) {
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_language("ar");
  ExpectExcluded(r, Guide(), Inputs(), "does not speak ar", v1::ELIGIBILITY_RULE_LANGUAGE);
  r.mutable_preferences()->set_language("EN");  // ASCII case ignored
  ExpectFeasible(r, Guide(), Inputs());
  // Danish by default.
  GuideState g = Guide();
  g.guide.clear_languages();
  g.guide.add_languages("en");
  ExpectExcluded(Request(), g, Inputs(), "does not speak da", v1::ELIGIBILITY_RULE_LANGUAGE);
}

TEST(GuideViolationsTest, PreferredSetting) {
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_setting(v1::SETTING_JOB_CENTRE);
  ExpectExcluded(r, Guide(), Inputs(), "does not work in job centre", v1::ELIGIBILITY_RULE_SETTING);
  // The must-have asks for the same: still one reason.
  r.add_must_haves(v1::MUST_HAVE_SETTING);
  ExpectExcluded(r, Guide(), Inputs(), "does not work in job centre", v1::ELIGIBILITY_RULE_SETTING);
  r.mutable_preferences()->set_setting(v1::SETTING_DISABILITY_SERVICES);
  ExpectFeasible(r, Guide(), Inputs());
  // Without a preferred setting the must-have asks for nothing.
  r.mutable_preferences()->clear_setting();
  ExpectFeasible(r, Guide(), Inputs());
}

TEST(GuideViolationsTest, MustHaveGender) {
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_gender(v1::GENDER_MALE);
  ExpectFeasible(r, Guide(), Inputs());  // a preference only
  r.add_must_haves(v1::MUST_HAVE_GENDER);
  ExpectExcluded(r, Guide(), Inputs(), "not the required gender (male)",
                 v1::ELIGIBILITY_RULE_GENDER);
  r.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  ExpectFeasible(r, Guide(), Inputs());
  r.mutable_preferences()->clear_gender();
  ExpectFeasible(r, Guide(), Inputs());
}

TEST(GuideViolationsTest, MustHaveAgeBand) {
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_67_PLUS);
  ExpectFeasible(r, Guide(), Inputs());
  r.add_must_haves(v1::MUST_HAVE_AGE_BAND);
  ExpectExcluded(r, Guide(), Inputs(), "not the required age band (67 years and over)",
                 v1::ELIGIBILITY_RULE_AGE_BAND);
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_30_49);
  ExpectFeasible(r, Guide(), Inputs());
}

TEST(GuideViolationsTest, MustHaveSharedExperience) {
  v1::GuidanceRequest r = Request();
  r.clear_situation();
  r.add_situation(v1::EXPERIENCE_TAG_HOMELESSNESS);
  ExpectFeasible(r, Guide(), Inputs());
  r.add_must_haves(v1::MUST_HAVE_SHARED_EXPERIENCE);
  ExpectExcluded(r, Guide(), Inputs(), "no experience in common with the situation",
                 v1::ELIGIBILITY_RULE_SHARED_EXPERIENCE);
  r.add_situation(v1::EXPERIENCE_TAG_AUTISM);
  ExpectFeasible(r, Guide(), Inputs());
}

TEST(GuideViolationsTest, DeclinedBefore) {
  MatchInputs in = Inputs();
  in.declined_pairs.insert({"r1", "g2"});
  in.declined_pairs.insert({"r2", "g1"});
  ExpectFeasible(Request("r1"), Guide("g1"), in);
  in.declined_pairs.insert({"r1", "g1"});
  ExpectExcluded(Request("r1"), Guide("g1"), in, "declined this request before",
                 v1::ELIGIBILITY_RULE_DECLINED);
}

TEST(GuideViolationsTest, TravelDistance) {
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(25);
  ExpectExcluded(r, Guide(), Inputs(), "too far: 25 km (travels up to 20 km)",
                 v1::ELIGIBILITY_RULE_DISTANCE);
  *r.mutable_location() = NorthOfRanders(19.9);
  ExpectFeasible(r, Guide(), Inputs());
  GuideState g = Guide();
  g.guide.set_max_travel_km(10);
  ExpectExcluded(r, g, Inputs(), "too far: 19.9 km (travels up to 10 km)",
                 v1::ELIGIBILITY_RULE_DISTANCE);
  g.guide.set_max_travel_km(30);
  *r.mutable_location() = NorthOfRanders(25);
  ExpectFeasible(r, g, Inputs());
  // Without coordinates on one side distance does not exclude.
  r.set_postcode("8960");
  g.guide.set_max_travel_km(1);
  g.guide.clear_home_location();
  ExpectFeasible(r, g, Inputs());
  // (0, 0) counts as no coordinates.
  g.guide.mutable_home_location()->set_latitude(0);
  g.guide.mutable_home_location()->set_longitude(0);
  ExpectFeasible(r, g, Inputs());
}

TEST(GuideViolationsTest, EveryFailingRuleReported) {
  v1::GuidanceRequest r = Request();
  r.set_consent_given(false);
  r.mutable_preferences()->set_language("so");
  *r.mutable_location() = NorthOfRanders(50);
  GuideState g = Guide();
  g.guide.set_status(v1::GUIDE_STATUS_PAUSED);
  g.load = 3;
  MatchInputs in = Inputs();
  in.declined_pairs.insert({"r1", "g1"});
  const std::vector<std::string> reasons = Violations(r, g, in, kEn);
  ASSERT_EQ(reasons.size(), 6u) << Joined(reasons);
  EXPECT_EQ(reasons[0], "no consent given");
  EXPECT_EQ(reasons[1], "guide paused");
  EXPECT_TRUE(Contains(reasons[2], "no capacity left"));
  EXPECT_EQ(reasons[3], "does not speak so");
  EXPECT_EQ(reasons[4], "declined this request before");
  EXPECT_TRUE(Contains(reasons[5], "too far: 50 km"));
  // The explanation lists the same rules, in the same order.
  const v1::CandidateExplanation e = Explain(r, {}, g, in, 10, kEn);
  EXPECT_THAT(e.failed_rules(),
              ElementsAre(v1::ELIGIBILITY_RULE_CONSENT, v1::ELIGIBILITY_RULE_INACTIVE,
                          v1::ELIGIBILITY_RULE_CAPACITY, v1::ELIGIBILITY_RULE_LANGUAGE,
                          v1::ELIGIBILITY_RULE_DECLINED, v1::ELIGIBILITY_RULE_DISTANCE));
  EXPECT_EQ(e.text(), absl::StrCat("Guide g1 is not considered: ", Joined(reasons, "; "), "."));
}

// ---------------------------------------------------------------------------
// Score.

TEST(GuideScoreTest, BaselineFactors) {
  const v1::Candidate c = Score(Request(), Guide(), kEn);
  EXPECT_EQ(c.guide_id(), "g1");
  EXPECT_EQ(c.display_name(), "Guide g1");
  EXPECT_EQ(c.load(), 0);
  EXPECT_EQ(c.capacity(), 3);
  ASSERT_EQ(c.factors_size(), 7);
  const char* const kNames[] = {"experience", "life_phase",   "distance", "age",
                                "gender",     "availability", "load"};
  double sum = 0;
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(c.factors(i).factor(), kNames[i]);
    EXPECT_FALSE(c.factors(i).reason().empty()) << kNames[i];
    sum += c.factors(i).points();
  }
  EXPECT_DOUBLE_EQ(c.score(), sum);
  EXPECT_DOUBLE_EQ(c.score(), 80);
  EXPECT_DOUBLE_EQ(Factor(c, "experience").points(), 40);
  EXPECT_DOUBLE_EQ(Factor(c, "life_phase").points(), 20);
  EXPECT_DOUBLE_EQ(Factor(c, "distance").points(), 15);
  EXPECT_DOUBLE_EQ(Factor(c, "age").points(), 0);
  EXPECT_DOUBLE_EQ(Factor(c, "gender").points(), 0);
  EXPECT_DOUBLE_EQ(Factor(c, "availability").points(), 5);
  EXPECT_DOUBLE_EQ(Factor(c, "load").points(), 0);
  EXPECT_EQ(Factor(c, "age").reason(), "no age band preferred");
  EXPECT_EQ(Factor(c, "load").reason(), "no active matches");
}

TEST(GuideScoreTest, Experience) {
  GuideState g = Guide();
  g.guide.clear_experiences();
  auto add = [&g](v1::ExperienceTag tag, int years) {
    v1::Experience* e = g.guide.add_experiences();
    e->set_tag(tag);
    e->set_years_ago(years);
  };
  add(v1::EXPERIENCE_TAG_AUTISM, 2);          // lived through: 2 years counts
  add(v1::EXPERIENCE_TAG_MENTAL_ILLNESS, 1);  // still recent
  add(v1::EXPERIENCE_TAG_HOMELESSNESS, 10);   // not in the situation
  v1::GuidanceRequest r = Request();
  r.add_situation(v1::EXPERIENCE_TAG_MENTAL_ILLNESS);
  const v1::ScoreFactor f = Factor(Score(r, g, kEn), "experience");
  EXPECT_DOUBLE_EQ(f.points(), 30 + 10 + 30);
  EXPECT_TRUE(Contains(f.reason(), "shares 2 experiences")) << f.reason();
  EXPECT_TRUE(Contains(f.reason(), "autism (2 years ago)")) << f.reason();
  EXPECT_TRUE(Contains(f.reason(), "mental illness (1 year ago)")) << f.reason();

  // Capped at 90: three shared, all lived through, would be 120.
  g.guide.mutable_experiences(1)->set_years_ago(3);
  r.add_situation(v1::EXPERIENCE_TAG_HOMELESSNESS);
  const v1::ScoreFactor capped = Factor(Score(r, g, kEn), "experience");
  EXPECT_DOUBLE_EQ(capped.points(), 90);
  EXPECT_TRUE(Contains(capped.reason(), "counted up to 90")) << capped.reason();

  r.clear_situation();
  r.add_situation(v1::EXPERIENCE_TAG_ADHD);
  const v1::ScoreFactor none = Factor(Score(r, g, kEn), "experience");
  EXPECT_DOUBLE_EQ(none.points(), 0);
  EXPECT_EQ(none.reason(), "no experience in common with the situation");
}

TEST(GuideScoreTest, LifePhase) {
  v1::GuidanceRequest r = Request();
  EXPECT_DOUBLE_EQ(Factor(Score(r, Guide(), kEn), "life_phase").points(), 20);
  r.set_life_phase(v1::LIFE_PHASE_SENIOR_LIFE);
  const v1::ScoreFactor f = Factor(Score(r, Guide(), kEn), "life_phase");
  EXPECT_DOUBLE_EQ(f.points(), 0);
  EXPECT_EQ(f.reason(), "does not know the life phase senior life");
  r.clear_life_phase();
  EXPECT_DOUBLE_EQ(Factor(Score(r, Guide(), kEn), "life_phase").points(), 0);
}

TEST(GuideScoreTest, Distance) {
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(10);
  const v1::ScoreFactor half = Factor(Score(r, Guide(), kEn), "distance");
  EXPECT_NEAR(half.points(), 7.5, 1e-6);
  EXPECT_EQ(half.reason(), "10 km from home (travels up to 20 km)");
  GuideState far = Guide();
  far.guide.set_max_travel_km(40);
  EXPECT_NEAR(Factor(Score(r, far, kEn), "distance").points(), 11.25, 1e-6);
  *r.mutable_location() = NorthOfRanders(20);
  EXPECT_NEAR(Factor(Score(r, Guide(), kEn), "distance").points(), 0, 1e-6);
  // Same postcode without coordinates: as 0 km.
  r.clear_location();
  const v1::ScoreFactor same = Factor(Score(r, Guide(), kEn), "distance");
  EXPECT_DOUBLE_EQ(same.points(), 15);
  EXPECT_EQ(same.reason(), "lives in the same postcode (8900)");
  r.set_postcode("8920");
  const v1::ScoreFactor unknown = Factor(Score(r, Guide(), kEn), "distance");
  EXPECT_DOUBLE_EQ(unknown.points(), 0);
  EXPECT_TRUE(Contains(unknown.reason(), "unknown")) << unknown.reason();
}

TEST(GuideScoreTest, AgeAndGender) {
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_30_49);
  r.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  v1::Candidate c = Score(r, Guide(), kEn);
  EXPECT_DOUBLE_EQ(Factor(c, "age").points(), 10);
  EXPECT_DOUBLE_EQ(Factor(c, "gender").points(), 10);
  EXPECT_DOUBLE_EQ(c.score(), 100);
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_18_29);
  r.mutable_preferences()->set_gender(v1::GENDER_MALE);
  c = Score(r, Guide(), kEn);
  EXPECT_DOUBLE_EQ(Factor(c, "age").points(), 0);
  EXPECT_DOUBLE_EQ(Factor(c, "gender").points(), 0);
  EXPECT_EQ(Factor(c, "gender").reason(), "not the preferred gender (male)");
}

TEST(GuideScoreTest, Availability) {
  GuideState g = Guide();
  EXPECT_DOUBLE_EQ(Factor(Score(Request(), g, kEn), "availability").points(), 5);
  g.guide.clear_available_days();
  g.guide.add_available_days(v1::WEEKDAY_MONDAY);
  g.guide.add_available_days(v1::WEEKDAY_MONDAY);  // counted once
  g.guide.add_available_days(v1::WEEKDAY_TUESDAY);
  const v1::ScoreFactor f = Factor(Score(Request(), g, kEn), "availability");
  EXPECT_DOUBLE_EQ(f.points(), 0);
  EXPECT_TRUE(Contains(f.reason(), "available on 2 days")) << f.reason();
}

TEST(GuideScoreTest, Load) {
  GuideState g = Guide();
  g.load = 2;
  const v1::Candidate c = Score(Request(), g, kEn);
  EXPECT_DOUBLE_EQ(Factor(c, "load").points(), -10);
  EXPECT_TRUE(Contains(Factor(c, "load").reason(), "2 active matches"));
  EXPECT_EQ(c.load(), 2);
  EXPECT_DOUBLE_EQ(c.score(), 70);
  // No load is 0 points, not -0 (which a client prints as "-0").
  EXPECT_FALSE(std::signbit(Factor(Score(Request(), Guide(), kEn), "load").points()));
}

// ---------------------------------------------------------------------------
// Rank.

TEST(GuideRankTest, OrderTiesAndLimit) {
  std::vector<GuideState> guides;
  guides.push_back(Guide("c"));  // 80
  guides.push_back(Guide("b"));  // 80 - 5 = 75
  guides.back().load = 1;
  guides.push_back(Guide("a"));  // 80
  guides.push_back(Guide("e"));  // 70: a recent experience
  guides.back().guide.mutable_experiences(0)->set_years_ago(0);
  guides.push_back(Guide("d"));  // infeasible
  guides.back().guide.set_status(v1::GUIDE_STATUS_PAUSED);
  guides.push_back(Guide("f"));  // 90 with the age band preference, load 2: 80
  guides.back().load = 2;
  guides.back().guide.set_age_band(v1::AGE_BAND_18_29);
  v1::GuidanceRequest r = Request();
  r.mutable_preferences()->set_age_band(v1::AGE_BAND_18_29);

  const std::vector<v1::Candidate> all = Rank(r, guides, Inputs(), 10, kEn);
  std::vector<std::string> ids;
  for (const v1::Candidate& c : all) {
    ids.push_back(c.guide_id());
  }
  // 80 (load 0: a, c), 80 (load 2: f), 75, 70.
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c", "f", "b", "e"}));
  for (const v1::Candidate& c : all) {
    for (const GuideState& g : guides) {
      if (g.guide.id() == c.guide_id()) {
        const v1::Candidate alone = Score(r, g, kEn);
        EXPECT_DOUBLE_EQ(c.score(), alone.score());
        EXPECT_EQ(c.SerializeAsString(), alone.SerializeAsString());
      }
    }
  }
  const std::vector<v1::Candidate> two = Rank(r, guides, Inputs(), 2, kEn);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].guide_id(), "a");
  EXPECT_EQ(two[1].guide_id(), "c");
  EXPECT_TRUE(Rank(r, guides, Inputs(), 0, kEn).empty());
  EXPECT_TRUE(Rank(r, {}, Inputs(), 10, kEn).empty());
  r.set_consent_given(false);
  EXPECT_TRUE(Rank(r, guides, Inputs(), 10, kEn).empty());
}

// ---------------------------------------------------------------------------
// Batches.

struct Random {
  explicit Random(uint64_t seed) : rng(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  double U() { return std::uniform_real_distribution<double>(0, 1)(rng); }
  std::mt19937_64 rng;
};

GuideState RandomGuide(Random& rnd, int i) {
  GuideState s = Guide(absl::StrCat("g", i));
  v1::Guide& g = s.guide;
  g.clear_experiences();
  for (int tag = 1; tag <= 4; ++tag) {
    if (rnd.U() < 0.4) {
      v1::Experience* e = g.add_experiences();
      e->set_tag(static_cast<v1::ExperienceTag>(tag));
      e->set_years_ago(rnd.Int(0, 4));
    }
  }
  g.clear_life_phases();
  if (rnd.U() < 0.5) {
    g.add_life_phases(static_cast<v1::LifePhase>(rnd.Int(1, 4)));
  }
  if (rnd.U() < 0.8) {
    *g.mutable_home_location() = NorthOfRanders(rnd.U() * 30);
  } else {
    g.clear_home_location();
  }
  g.set_home_postcode(rnd.U() < 0.5 ? "8900" : "8920");
  g.set_max_travel_km(rnd.U() < 0.5 ? 0 : rnd.Int(5, 30));
  g.set_age_band(static_cast<v1::AgeBand>(rnd.Int(1, 4)));
  g.set_gender(static_cast<v1::Gender>(rnd.Int(1, 2)));
  if (rnd.U() < 0.1) {
    *g.mutable_trainings(0)->mutable_valid_until() = MakeDate(2026, 1, 1);
  }
  if (rnd.U() < 0.1) {
    g.set_status(v1::GUIDE_STATUS_PAUSED);
  }
  g.clear_available_days();
  for (int d = 1; d <= 7; ++d) {
    if (rnd.U() < 0.4) {
      g.add_available_days(static_cast<v1::Weekday>(d));
    }
  }
  g.set_capacity(rnd.Int(0, 2));
  s.load = rnd.U() < 0.3 ? rnd.Int(0, g.capacity()) : 0;
  return s;
}

v1::GuidanceRequest RandomRequest(Random& rnd, int i) {
  v1::GuidanceRequest r = Request(absl::StrCat("r", i));
  r.clear_situation();
  r.add_situation(static_cast<v1::ExperienceTag>(rnd.Int(1, 4)));
  if (rnd.U() < 0.4) {
    r.add_situation(static_cast<v1::ExperienceTag>(rnd.Int(1, 4)));
  }
  r.set_life_phase(static_cast<v1::LifePhase>(rnd.Int(0, 4)));
  if (rnd.U() < 0.3) {
    r.mutable_preferences()->set_gender(static_cast<v1::Gender>(rnd.Int(1, 2)));
    if (rnd.U() < 0.3) {
      r.add_must_haves(v1::MUST_HAVE_GENDER);
    }
  }
  if (rnd.U() < 0.3) {
    r.mutable_preferences()->set_age_band(static_cast<v1::AgeBand>(rnd.Int(1, 4)));
  }
  if (rnd.U() < 0.2) {
    r.add_must_haves(v1::MUST_HAVE_SHARED_EXPERIENCE);
  }
  r.set_urgency(static_cast<v1::Urgency>(rnd.Int(0, 4)));
  r.set_consent_given(rnd.U() < 0.95);
  if (rnd.U() < 0.8) {
    *r.mutable_location() = NorthOfRanders(rnd.U() * 30);
  } else {
    r.clear_location();
  }
  r.set_postcode(rnd.U() < 0.5 ? "8900" : "8920");
  r.mutable_create_time()->set_seconds(1760000000 + rnd.Int(0, 1000));
  return r;
}

struct Case {
  std::vector<v1::GuidanceRequest> requests;
  std::vector<GuideState> guides;
  MatchInputs in;
};

Case RandomCase(uint64_t seed, int max_requests, int max_guides) {
  Random rnd(seed);
  Case c;
  c.in = Inputs();
  const int n = rnd.Int(1, max_requests);
  const int m = rnd.Int(1, max_guides);
  for (int i = 0; i < n; ++i) {
    c.requests.push_back(RandomRequest(rnd, i));
  }
  for (int j = 0; j < m; ++j) {
    c.guides.push_back(RandomGuide(rnd, j));
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      if (rnd.U() < 0.1) {
        c.in.declined_pairs.insert({c.requests[i].id(), c.guides[j].guide.id()});
      }
    }
  }
  return c;
}

int Level(const v1::GuidanceRequest& r) {
  const int u = r.urgency();
  return u >= 0 && u <= 4 ? u : 0;
}

// The lexicographic objective: assigned requests per urgency, most urgent
// first, then the total score.
struct Key {
  std::array<int, 5> counts{};  // [0] urgent .. [4] unspecified
  double total = 0;
};

Key KeyOf(const BatchResult& res, const Case& c) {
  Key k;
  for (const auto& [i, j] : res.assignments) {
    ++k.counts[4 - Level(c.requests[i])];
  }
  k.total = res.total_score;
  return k;
}

// -1, 0, 1 as a is worse, equal (scores within `eps`), better than b.
int Compare(const Key& a, const Key& b, double eps) {
  if (a.counts != b.counts) {
    return a.counts > b.counts ? 1 : -1;
  }
  if (std::abs(a.total - b.total) <= eps) {
    return 0;
  }
  return a.total > b.total ? 1 : -1;
}

// Feasibility and scores of every pair, the free slots of every guide.
struct Table {
  explicit Table(const Case& c) {
    const int n = static_cast<int>(c.requests.size());
    const int m = static_cast<int>(c.guides.size());
    feasible.assign(n, std::vector<bool>(m, false));
    score.assign(n, std::vector<double>(m, 0));
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < m; ++j) {
        feasible[i][j] = Violations(c.requests[i], c.guides[j], c.in, kEn).empty();
        if (feasible[i][j]) {
          score[i][j] = Score(c.requests[i], c.guides[j], kEn).score();
        }
      }
    }
    for (const GuideState& g : c.guides) {
      slots.push_back(std::max(0, g.guide.capacity() - g.load));
    }
  }
  std::vector<std::vector<bool>> feasible;
  std::vector<std::vector<double>> score;
  std::vector<int> slots;
};

// Every assignment is feasible, no guide over its free capacity, every
// request once (assigned or unassigned), totals add up, both lists sorted.
void ExpectValid(const BatchResult& res, const Case& c, const Table& t) {
  const int n = static_cast<int>(c.requests.size());
  std::vector<int> seen(n, 0);
  std::vector<int> used(c.guides.size(), 0);
  double total = 0;
  for (size_t k = 0; k < res.assignments.size(); ++k) {
    const auto [i, j] = res.assignments[k];
    ASSERT_GE(i, 0);
    ASSERT_LT(i, n);
    ASSERT_GE(j, 0);
    ASSERT_LT(j, static_cast<int>(c.guides.size()));
    if (k > 0) {
      EXPECT_LT(res.assignments[k - 1].first, i);
    }
    ++seen[i];
    EXPECT_TRUE(t.feasible[i][j]) << "request " << i << " guide " << j;
    ++used[j];
    total += t.score[i][j];
  }
  for (size_t k = 0; k < res.unassigned.size(); ++k) {
    ++seen[res.unassigned[k]];
    if (k > 0) {
      EXPECT_LT(res.unassigned[k - 1], res.unassigned[k]);
    }
  }
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(seen[i], 1) << "request " << i;
  }
  for (size_t j = 0; j < c.guides.size(); ++j) {
    EXPECT_LE(used[j], t.slots[j]) << "guide " << j;
  }
  EXPECT_NEAR(res.total_score, total, 1e-9);
}

// The best key over every assignment.
Key BruteForce(const Case& c, const Table& t) {
  const int n = static_cast<int>(c.requests.size());
  std::vector<int> slots = t.slots;
  Key best;
  bool have = false;
  Key cur;
  std::function<void(int)> go = [&](int i) {
    if (i == n) {
      if (!have || Compare(cur, best, 0) > 0) {
        best = cur;
        have = true;
      }
      return;
    }
    go(i + 1);  // unassigned
    for (size_t j = 0; j < c.guides.size(); ++j) {
      if (t.feasible[i][j] && slots[j] > 0) {
        --slots[j];
        ++cur.counts[4 - Level(c.requests[i])];
        cur.total += t.score[i][j];
        go(i + 1);
        cur.total -= t.score[i][j];
        --cur.counts[4 - Level(c.requests[i])];
        ++slots[j];
      }
    }
  };
  go(0);
  return best;
}

TEST(GuideBatchTest, ExactMatchesBruteForceAndBeatsGreedy) {
  int greedy_worse = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const Case c = RandomCase(seed, 6, 4);
    const Table t(c);
    const BatchResult exact = AssignExact(c.requests, c.guides, c.in);
    const BatchResult greedy = AssignGreedy(c.requests, c.guides, c.in);
    ExpectValid(exact, c, t);
    ExpectValid(greedy, c, t);
    const Key best = BruteForce(c, t);
    const Key e = KeyOf(exact, c);
    const Key g = KeyOf(greedy, c);
    EXPECT_EQ(Compare(e, best, 1e-5), 0)
        << "exact total " << e.total << ", brute force " << best.total;
    EXPECT_GE(Compare(e, g, 1e-5), 0) << "exact total " << e.total << ", greedy " << g.total;
    greedy_worse += Compare(e, g, 1e-5) > 0 ? 1 : 0;
  }
  // The random cases are not all easy.
  EXPECT_GT(greedy_worse, 0);
}

// An independent exact solver for the lexicographic objective: successive
// shortest paths with Bellman-Ford from the source, costs compared as
// vectors (urgent .. unspecified counts negated, then the score negated, in
// micro-points as AssignExact rounds them).
struct Cost {
  std::array<int64_t, 6> v{};
  Cost operator+(const Cost& o) const {
    Cost c;
    for (int k = 0; k < 6; ++k) {
      c.v[k] = v[k] + o.v[k];
    }
    return c;
  }
  Cost operator-() const {
    Cost c;
    for (int k = 0; k < 6; ++k) {
      c.v[k] = -v[k];
    }
    return c;
  }
  bool operator<(const Cost& o) const { return v < o.v; }
};

Key ReferenceOptimum(const Case& c, const Table& t) {
  const int n = static_cast<int>(c.requests.size());
  const int m = static_cast<int>(c.guides.size());
  const int source = n + m;
  const int sink = n + m + 1;
  struct Arc {
    int to;
    int cap;
    Cost cost;
    int rev;
  };
  std::vector<std::vector<Arc>> adj(n + m + 2);
  auto add = [&adj](int a, int b, int cap, const Cost& cost) {
    adj[a].push_back(Arc{b, cap, cost, static_cast<int>(adj[b].size())});
    adj[b].push_back(Arc{a, 0, -cost, static_cast<int>(adj[a].size()) - 1});
  };
  for (int i = 0; i < n; ++i) {
    add(source, i, 1, Cost{});
    for (int j = 0; j < m; ++j) {
      if (t.feasible[i][j]) {
        Cost cost;
        cost.v[4 - Level(c.requests[i])] = -1;
        cost.v[5] = -std::llround(t.score[i][j] * 1e6);
        add(i, n + j, 1, cost);
      }
    }
  }
  for (int j = 0; j < m; ++j) {
    add(n + j, sink, t.slots[j], Cost{});
  }
  while (true) {
    std::vector<Cost> dist(n + m + 2);
    std::vector<bool> reached(n + m + 2, false);
    std::vector<std::pair<int, int>> parent(n + m + 2, {-1, -1});
    reached[source] = true;
    for (int round = 0; round < n + m + 2; ++round) {
      bool changed = false;
      for (int u = 0; u < n + m + 2; ++u) {
        if (!reached[u]) {
          continue;
        }
        for (int k = 0; k < static_cast<int>(adj[u].size()); ++k) {
          const Arc& a = adj[u][k];
          if (a.cap > 0 && (!reached[a.to] || dist[u] + a.cost < dist[a.to])) {
            reached[a.to] = true;
            dist[a.to] = dist[u] + a.cost;
            parent[a.to] = {u, k};
            changed = true;
          }
        }
      }
      if (!changed) {
        break;
      }
    }
    if (!reached[sink] || !(dist[sink] < Cost{})) {
      break;
    }
    for (int v = sink; v != source;) {
      const auto [u, k] = parent[v];
      Arc& a = adj[u][k];
      --a.cap;
      ++adj[v][a.rev].cap;
      v = u;
    }
  }
  Key k;
  for (int i = 0; i < n; ++i) {
    for (const Arc& a : adj[i]) {
      if (a.to >= n && a.to < n + m && a.cap == 0) {
        ++k.counts[4 - Level(c.requests[i])];
        k.total += t.score[i][a.to - n];
      }
    }
  }
  return k;
}

TEST(GuideBatchTest, ExactMatchesReferenceOnMediumCases) {
  for (uint64_t seed = 1000; seed < 1200; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Case c = RandomCase(seed, 50, 12);
    // More slots than the small cases, so chains and displacements happen;
    // every other case with one urgency for all, so requests displace each
    // other for score alone.
    Random rnd(seed);
    for (GuideState& g : c.guides) {
      g.guide.set_capacity(rnd.Int(0, 5));
      g.load = std::min(g.load, g.guide.capacity());
    }
    if (seed % 2 == 0) {
      for (v1::GuidanceRequest& r : c.requests) {
        r.set_urgency(v1::URGENCY_NORMAL);
      }
    }
    const Table t(c);
    const BatchResult exact = AssignExact(c.requests, c.guides, c.in);
    ExpectValid(exact, c, t);
    const Key ref = ReferenceOptimum(c, t);
    const Key e = KeyOf(exact, c);
    EXPECT_EQ(Compare(e, ref, 1e-4), 0) << "exact total " << e.total << ", reference " << ref.total;
    EXPECT_GE(Compare(e, KeyOf(AssignGreedy(c.requests, c.guides, c.in), c), 1e-4), 0);
  }
}

// No request is unassigned while one of lower urgency is assigned to a guide
// it could take instead, nor while a guide it could take has a slot left.
TEST(GuideBatchTest, UrgencyIsNeverPassedOver) {
  for (uint64_t seed = 2000; seed < 2100; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const Case c = RandomCase(seed, 12, 5);
    const Table t(c);
    const BatchResult res = AssignExact(c.requests, c.guides, c.in);
    std::vector<int> used(c.guides.size(), 0);
    for (const auto& [i, j] : res.assignments) {
      ++used[j];
    }
    for (int u : res.unassigned) {
      for (size_t j = 0; j < c.guides.size(); ++j) {
        if (t.feasible[u][j]) {
          EXPECT_GE(used[j], t.slots[j]) << "request " << u << " left out, guide " << j;
        }
      }
      for (const auto& [a, j] : res.assignments) {
        if (Level(c.requests[a]) < Level(c.requests[u])) {
          EXPECT_FALSE(t.feasible[u][j])
              << "request " << u << " left out for less urgent " << a << " at guide " << j;
        }
      }
    }
  }
}

TEST(GuideBatchTest, UrgencyBeatsScore) {
  // One slot; the low-urgency request scores far better.
  std::vector<GuideState> guides = {Guide("g1")};
  guides[0].guide.set_capacity(1);
  v1::GuidanceRequest low = Request("low");
  low.set_urgency(v1::URGENCY_LOW);
  low.mutable_preferences()->set_age_band(v1::AGE_BAND_30_49);
  low.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  v1::GuidanceRequest urgent = Request("urgent");
  urgent.set_urgency(v1::URGENCY_URGENT);
  urgent.clear_situation();
  urgent.add_situation(v1::EXPERIENCE_TAG_HOMELESSNESS);
  urgent.clear_life_phase();
  const std::vector<v1::GuidanceRequest> requests = {low, urgent};
  ASSERT_GT(Score(low, guides[0], kEn).score(), Score(urgent, guides[0], kEn).score() + 50);
  for (const BatchResult& res :
       {AssignExact(requests, guides, Inputs()), AssignGreedy(requests, guides, Inputs())}) {
    ASSERT_EQ(res.assignments.size(), 1u);
    EXPECT_EQ(res.assignments[0], std::make_pair(1, 0));
    EXPECT_EQ(res.unassigned, std::vector<int>{0});
    EXPECT_DOUBLE_EQ(res.total_score, Score(urgent, guides[0], kEn).score());
  }
}

TEST(GuideBatchTest, GreedyStrictlyWorse) {
  // g1 has lived through autism and ADHD, g2 is in the midst of autism.
  std::vector<GuideState> guides = {Guide("g1"), Guide("g2")};
  for (GuideState& g : guides) {
    g.guide.set_capacity(1);
  }
  guides[0].guide.mutable_experiences(0)->set_years_ago(5);
  v1::Experience* adhd = guides[0].guide.add_experiences();
  adhd->set_tag(v1::EXPERIENCE_TAG_ADHD);
  adhd->set_years_ago(5);
  guides[1].guide.mutable_experiences(0)->set_years_ago(0);
  // r1 (older, so greedy serves it first) gains little from g1; r2 a lot.
  v1::GuidanceRequest r1 = Request("r1");
  r1.mutable_create_time()->set_seconds(100);
  v1::GuidanceRequest r2 = Request("r2");
  r2.mutable_create_time()->set_seconds(200);
  r2.add_situation(v1::EXPERIENCE_TAG_ADHD);
  const std::vector<v1::GuidanceRequest> requests = {r1, r2};
  ASSERT_DOUBLE_EQ(Score(r1, guides[0], kEn).score(), 80);
  ASSERT_DOUBLE_EQ(Score(r1, guides[1], kEn).score(), 70);
  ASSERT_DOUBLE_EQ(Score(r2, guides[0], kEn).score(), 120);
  ASSERT_DOUBLE_EQ(Score(r2, guides[1], kEn).score(), 70);

  const BatchResult greedy = AssignGreedy(requests, guides, Inputs());
  const BatchResult exact = AssignExact(requests, guides, Inputs());
  EXPECT_EQ(greedy.assignments, (std::vector<std::pair<int, int>>{{0, 0}, {1, 1}}));  // 80 + 70
  EXPECT_DOUBLE_EQ(greedy.total_score, 150);
  EXPECT_EQ(exact.assignments, (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));  // 70 + 120
  EXPECT_DOUBLE_EQ(exact.total_score, 190);
}

TEST(GuideBatchTest, GreedyLeavesOutWhatExactPlaces) {
  // Both requests prefer a female guide; g1 is one, g2 is not, and r2
  // insists. Greedy gives r1 (the older) g1 and has nothing left for r2.
  std::vector<GuideState> guides = {Guide("g1"), Guide("g2")};
  guides[0].guide.set_capacity(1);
  guides[1].guide.set_capacity(1);
  guides[1].guide.set_gender(v1::GENDER_MALE);
  v1::GuidanceRequest r1 = Request("r1");  // fits both, prefers g1 (gender)
  r1.mutable_create_time()->set_seconds(100);
  r1.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  v1::GuidanceRequest r2 = Request("r2");  // fits g1 only
  r2.mutable_create_time()->set_seconds(200);
  r2.mutable_preferences()->set_gender(v1::GENDER_FEMALE);
  r2.add_must_haves(v1::MUST_HAVE_GENDER);
  const std::vector<v1::GuidanceRequest> requests = {r1, r2};
  ASSERT_TRUE(Violations(r2, guides[0], Inputs(), kEn).empty());
  ASSERT_FALSE(Violations(r2, guides[1], Inputs(), kEn).empty());

  const BatchResult greedy = AssignGreedy(requests, guides, Inputs());
  const BatchResult exact = AssignExact(requests, guides, Inputs());
  EXPECT_EQ(greedy.assignments, (std::vector<std::pair<int, int>>{{0, 0}}));
  EXPECT_EQ(greedy.unassigned, std::vector<int>{1});
  EXPECT_EQ(exact.assignments, (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));
  EXPECT_TRUE(exact.unassigned.empty());
}

TEST(GuideBatchTest, GreedyOrder) {
  // One slot: the most urgent wins, then the oldest, then input order.
  std::vector<GuideState> guides = {Guide("g1")};
  guides[0].guide.set_capacity(1);
  v1::GuidanceRequest a = Request("a");
  v1::GuidanceRequest b = Request("b");
  a.mutable_create_time()->set_seconds(200);
  b.mutable_create_time()->set_seconds(100);
  EXPECT_EQ(AssignGreedy({a, b}, guides, Inputs()).assignments[0].first, 1);
  b.mutable_create_time()->set_seconds(200);
  EXPECT_EQ(AssignGreedy({a, b}, guides, Inputs()).assignments[0].first, 0);
  a.set_urgency(v1::URGENCY_HIGH);
  b.mutable_create_time()->set_seconds(1);
  EXPECT_EQ(AssignGreedy({b, a}, guides, Inputs()).assignments[0].first, 1);
}

TEST(GuideBatchTest, EmptyInputs) {
  const BatchResult none = AssignExact({}, {Guide()}, Inputs());
  EXPECT_TRUE(none.assignments.empty());
  EXPECT_TRUE(none.unassigned.empty());
  EXPECT_EQ(none.total_score, 0);
  const BatchResult no_guides = AssignExact({Request("a"), Request("b")}, {}, Inputs());
  EXPECT_TRUE(no_guides.assignments.empty());
  EXPECT_EQ(no_guides.unassigned, (std::vector<int>{0, 1}));
  const BatchResult greedy = AssignGreedy({Request("a")}, {}, Inputs());
  EXPECT_EQ(greedy.unassigned, std::vector<int>{0});
}

TEST(GuideBatchTest, DeclinedPairsAndLoadRespected) {
  std::vector<GuideState> guides = {Guide("g1"), Guide("g2")};
  guides[0].load = 2;  // one slot left of 3
  guides[1].load = 3;  // full
  MatchInputs in = Inputs();
  in.declined_pairs.insert({"b", "g1"});
  const std::vector<v1::GuidanceRequest> requests = {Request("a"), Request("b"), Request("c")};
  for (const BatchResult& res :
       {AssignExact(requests, guides, in), AssignGreedy(requests, guides, in)}) {
    ASSERT_EQ(res.assignments.size(), 1u);
    EXPECT_EQ(res.assignments[0].second, 0);
    EXPECT_NE(res.assignments[0].first, 1);
    // The batch scores with the load before it.
    EXPECT_DOUBLE_EQ(res.total_score, 70);
  }
}

}  // namespace
}  // namespace helhed::guides

namespace helhed::guides {
namespace {

// ---------------------------------------------------------------------------
// Texts in Danish (the default) and English.

TEST(GuideTextsTest, ReasonsInDanish) {
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(10);
  r.mutable_preferences()->set_gender(v1::GENDER_MALE);
  GuideState g = Guide();
  g.load = 1;
  const v1::Candidate c = Score(r, g, kDa);
  EXPECT_EQ(Factor(c, "experience").reason(),
            "deler 1 erfaring, 1 gennemlevet for mindst 2 år siden: autisme (5 år siden)");
  EXPECT_EQ(Factor(c, "life_phase").reason(), "kender livsfasen fra ung til voksen");
  EXPECT_EQ(Factor(c, "distance").reason(), "10 km hjemmefra (kører højst 20 km)");
  EXPECT_EQ(Factor(c, "age").reason(), "intet ønske om aldersgruppe");
  EXPECT_EQ(Factor(c, "gender").reason(), "ikke det ønskede køn (mand)");
  EXPECT_EQ(Factor(c, "availability").reason(), "kan 3 dage om ugen");
  EXPECT_EQ(Factor(c, "load").reason(), "1 aktivt forløb (kapacitet 3)");
  // The same in English.
  const v1::Candidate en = Score(r, g, kEn);
  EXPECT_EQ(Factor(en, "experience").reason(),
            "shares 1 experience, 1 lived through 2+ years ago: autism (5 years ago)");
  EXPECT_EQ(Factor(en, "gender").reason(), "not the preferred gender (male)");
  EXPECT_EQ(Factor(en, "load").reason(), "1 active match (capacity 3)");
}

TEST(GuideTextsTest, RulesInDanishWithDanishNumbers) {
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(19.94);
  GuideState g = Guide();
  g.guide.set_max_travel_km(10);
  EXPECT_THAT(Violations(r, g, Inputs(), kDa),
              ElementsAre("for langt væk: 19,9 km (kører højst 10 km)"));
  g = Guide();
  g.guide.mutable_trainings(0)->clear_valid_until();
  EXPECT_THAT(Violations(Request(), g, Inputs(), kDa),
              ElementsAre("ingen gyldig uddannelse den 01.05.2026"));
  r = Request();
  r.mutable_preferences()->set_setting(v1::SETTING_JOB_CENTRE);
  EXPECT_THAT(Violations(r, Guide(), Inputs(), kDa),
              ElementsAre("arbejder ikke inden for jobcenter"));
  // The rules' own names, as proto options.
  EXPECT_EQ(i18n::EnumName(kDa, v1::ELIGIBILITY_RULE_DISTANCE), "afstand");
  EXPECT_EQ(i18n::EnumName(kEn, v1::ELIGIBILITY_RULE_DISTANCE), "distance");
  EXPECT_EQ(i18n::EnumName(kDa, v1::ELIGIBILITY_RULE_TRAINING), "uddannelse");
}

TEST(GuideTextsTest, PointsRoundedInTexts) {
  // 10.123 km: distance points 15 * (1 - 10.123 / 20) = 7.4077..., the km
  // with one decimal.
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(10.123);
  const v1::Candidate c = Score(r, Guide(), kDa);
  EXPECT_EQ(Factor(c, "distance").reason(), "10,1 km hjemmefra (kører højst 20 km)");
  EXPECT_EQ(Factor(Score(r, Guide(), kEn), "distance").reason(),
            "10.1 km from home (travels up to 20 km)");
}

// ---------------------------------------------------------------------------
// Explain: why a named guide is where they are, or not there.

// Three feasible guides: g1 scores 80; g2 5 points less (load 1); g3 has
// no experience in common (40 points less) and lives 10 km away.
std::vector<GuideState> Three() {
  std::vector<GuideState> guides = {Guide("g1"), Guide("g2"), Guide("g3")};
  guides[1].load = 1;
  guides[2].guide.clear_experiences();
  *guides[2].guide.mutable_home_location() = NorthOfRanders(10);
  return guides;
}

TEST(GuideExplainTest, IncludedCandidateIsRanked) {
  const std::vector<GuideState> guides = Three();
  const v1::CandidateExplanation e = Explain(Request(), guides, guides[1], Inputs(), 10, kEn);
  EXPECT_TRUE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_DOUBLE_EQ(e.score(), 75);
  EXPECT_EQ(e.gap(), 0);
  EXPECT_EQ(e.failed_rules_size(), 0);
  EXPECT_EQ(e.factors_size(), 7);
  EXPECT_EQ(e.text(), "Guide g2 ranks 2 of 3 eligible guides with a score of 75.");
  // The ranking agrees.
  const std::vector<v1::Candidate> ranked = Rank(Request(), guides, Inputs(), 10, kEn);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[1].guide_id(), "g2");
  EXPECT_EQ(Explain(Request(), guides, guides[1], Inputs(), 10, kDa).text(),
            "Guide g2 er nr. 2 af 3 egnede borgerguides med 75 point.");
}

TEST(GuideExplainTest, LowRankedCandidateGetsRankAndGap) {
  const std::vector<GuideState> guides = Three();
  // Only two listed: g3 is third, below g2 (75).
  const v1::CandidateExplanation e = Explain(Request(), guides, guides[2], Inputs(), 2, kEn);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 3);
  EXPECT_EQ(e.failed_rules_size(), 0);
  // 0 (experience) + 20 + 7.5 (10 km of 20) + 5 = 32.5; the gap to g2: 42.5.
  EXPECT_NEAR(e.score(), 32.5, 1e-9);
  EXPECT_NEAR(e.gap(), 42.5, 1e-9);
  EXPECT_EQ(e.text(),
            "Guide g3 ranks 3 of 3 eligible guides with a score of 32.5, 42.5 points below "
            "number 2, the last one listed. Fewer points than number 2 for experience (0 against "
            "40), distance (7.5 against 15).");
  const v1::CandidateExplanation da = Explain(Request(), guides, guides[2], Inputs(), 2, kDa);
  EXPECT_EQ(da.text(),
            "Guide g3 er nr. 3 af 3 egnede borgerguides med 32,5 point, 42,5 point under nr. 2, "
            "som er den sidste på listen. Færre point end nr. 2 for erfaring (0 mod 40), afstand "
            "(7,5 mod 15).");
}

TEST(GuideExplainTest, TieBrokenByIdHasNoGap) {
  const std::vector<GuideState> guides = {Guide("g1"), Guide("g2")};
  const v1::CandidateExplanation e = Explain(Request(), guides, guides[1], Inputs(), 1, kEn);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_EQ(e.gap(), 0);
  EXPECT_TRUE(Contains(e.text(), "the same as number 1")) << e.text();
}

TEST(GuideExplainTest, GuideOutsideThePoolIsRankedAmongIt) {
  // The named guide replaces one with the same id and counts once.
  std::vector<GuideState> guides = Three();
  const GuideState better = Guide("g3");  // as g1 now: 80 points, no load
  const v1::CandidateExplanation e = Explain(Request(), guides, better, Inputs(), 10, kEn);
  EXPECT_TRUE(e.ranked());
  EXPECT_EQ(e.rank(), 2);  // ties g1 at 80; g1 first by id
  EXPECT_DOUBLE_EQ(e.score(), 80);
  EXPECT_TRUE(Contains(e.text(), "ranks 2 of 3 eligible")) << e.text();
}

TEST(GuideExplainTest, ExcludedInDanish) {
  v1::GuidanceRequest r = Request();
  *r.mutable_location() = NorthOfRanders(25);
  const v1::CandidateExplanation e = Explain(r, Three(), Guide("g9"), Inputs(), 10, kDa);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 0);
  EXPECT_EQ(e.score(), 0);
  EXPECT_THAT(e.failed_rules(), ElementsAre(v1::ELIGIBILITY_RULE_DISTANCE));
  EXPECT_EQ(e.text(),
            "Guide g9 kommer ikke i betragtning: for langt væk: 25 km (kører højst 20 km).");
  EXPECT_EQ(e.factors_size(), 0);
}

}  // namespace
}  // namespace helhed::guides
