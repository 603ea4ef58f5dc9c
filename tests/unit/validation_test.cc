// Tests of the plans resource validation (services/plans/domain/validation):
// good resources pass; each rule rejects bad input with a violation on the
// exact field path a caller sees; every bad field is reported at once.
#include "services/plans/domain/validation.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "common/status/field_violations.h"
#include "gtest/gtest.h"
#include "helhed/plans/v1/resources.pb.h"

namespace helhed::plans {
namespace {

using helhed::common::v1::LIFE_AREA_BE;
using helhed::common::v1::LIFE_AREA_LIVE;
using helhed::common::v1::LIFE_AREA_MASTER;
using helhed::common::v1::TARGET_GROUP_ADHD;
using helhed::common::v1::TARGET_GROUP_AUTISM;

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const auto& f : v.violations()) {
    out.push_back(f.field);
  }
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The fields named, sorted (the order of checks is not part of the contract).
template <typename Fn, typename M>
std::vector<std::string> BadFields(Fn fn, const M& m, const std::string& prefix) {
  FieldViolations v;
  fn(m, prefix, v);
  return Sorted(Fields(v));
}

// ---------------------------------------------------------------------------
// Good resources

v1::Policy GoodPolicy() {
  v1::Policy p;
  p.set_title("Politik for borgere med særlige behov 2023-2026");
  p.mutable_period()->set_start_year(2023);
  p.mutable_period()->set_end_year(2026);
  p.set_summary("Første linje\nAnden linje\tmed tab");
  p.add_values("Selvbestemmelse");
  p.add_focus_areas("Bolig");
  p.set_owner("Byrådet");
  return p;
}

v1::Plan GoodPlan() {
  v1::Plan p;
  p.set_policy_id("pol-1");
  p.set_title("Voksenhandicapplan 2020-2023");
  p.mutable_period()->set_start_year(2020);
  p.mutable_period()->set_end_year(2023);
  p.add_target_groups(TARGET_GROUP_AUTISM);
  p.add_target_groups(TARGET_GROUP_ADHD);
  return p;
}

v1::InitiativeArea GoodArea() {
  v1::InitiativeArea a;
  a.set_plan_id("plan-1");
  a.set_track_id("track-1");
  a.set_title("Bolig og hverdagsliv");
  a.add_life_areas(LIFE_AREA_LIVE);
  a.add_sdg_targets()->set_code("10.2");
  a.add_sdg_targets()->set_code("1.a");
  a.add_working_group("Centerleder");
  a.set_position(3);
  return a;
}

v1::Activity GoodActivity() {
  v1::Activity a;
  a.set_initiative_area_id("area-1");
  a.set_title("Åbne værksteder");
  a.set_status(v1::ACTIVITY_STATUS_PLANNED);
  *a.mutable_start_date() = MakeDate(2024, 2, 29);
  *a.mutable_due_date() = MakeDate(2024, 12, 31);
  return a;
}

v1::Indicator GoodIndicator() {
  v1::Indicator i;
  i.set_plan_id("plan-1");
  i.set_title("Borgere i beskæftigelse");
  i.set_unit("%");
  i.set_direction(v1::INDICATOR_DIRECTION_INCREASE);
  *i.mutable_baseline()->mutable_date() = MakeDate(2023, 1, 1);
  i.mutable_baseline()->set_value(12);
  *i.mutable_target()->mutable_date() = MakeDate(2026, 12, 31);
  i.mutable_target()->set_value(20);
  return i;
}

TEST(PlansValidationTest, GoodResourcesPass) {
  FieldViolations v;
  ValidatePolicy(GoodPolicy(), "policy", v);
  ValidatePlan(GoodPlan(), "plan", v);
  v1::Track t;
  t.set_plan_id("plan-1");
  t.set_title("Engagement i dig");
  ValidateTrack(t, "track", v);
  ValidateInitiativeArea(GoodArea(), "initiative_area", v);
  ValidateActivity(GoodActivity(), "activity", v);
  ValidateIndicator(GoodIndicator(), "indicator", v);
  v1::CitizenPlan cp;
  cp.set_citizen_id("c-123");
  cp.set_hopes("Jeg vil gerne bo i egen lejlighed.");
  ValidateCitizenPlan(cp, "citizen_plan", v);
  v1::Goal g;
  g.set_citizen_plan_id("cp-1");
  g.set_description("Handle ind selv");
  g.set_life_area(LIFE_AREA_MASTER);
  ValidateGoal(g, "goal", v);
  v1::Action act;
  act.set_goal_id("g-1");
  act.set_description("Øve indkøb med støtte");
  act.set_performer(v1::ACTION_PERFORMER_CITIZEN);
  ValidateAction(act, "action", v);
  v1::ActivityProgress pr;
  *pr.mutable_update_date() = MakeDate(2024, 3, 1);
  pr.set_note("Startet");
  ValidateProgress(pr, "progress", v);
  v1::Measurement m;
  *m.mutable_value()->mutable_date() = MakeDate(2024, 6, 30);
  m.mutable_value()->set_value(14.5);
  ValidateMeasurement(m, "measurement", v);
  v1::Assessment as;
  *as.mutable_assessment_date() = MakeDate(2024, 6, 30);
  as.set_score(3);
  as.set_outcome(v1::GOAL_OUTCOME_CONTINUED);
  ValidateAssessment(as, "assessment", v);
  v1::YearlyFocus f;
  f.set_plan_id("plan-1");
  f.set_year(2024);
  f.add_initiative_area_ids("a1");
  f.add_initiative_area_ids("a2");
  ValidateYearlyFocus(f, "focus", v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

// ---------------------------------------------------------------------------
// Policy

TEST(PlansValidationTest, PolicyReportsEveryBadField) {
  v1::Policy p = GoodPolicy();
  p.set_title("");
  p.mutable_period()->set_start_year(2026);
  p.mutable_period()->set_end_year(2023);
  p.set_summary(Repeat("æ", 4001));
  p.add_values("two\nlines");
  p.set_owner(Repeat("ø", 201));
  EXPECT_EQ(BadFields(ValidatePolicy, p, "policy"),
            Sorted({"policy.title", "policy.period.end_year", "policy.summary", "policy.values[1]",
                    "policy.owner"}));
}

TEST(PlansValidationTest, PolicyNeedsAPeriod) {
  v1::Policy p = GoodPolicy();
  p.clear_period();
  EXPECT_EQ(BadFields(ValidatePolicy, p, "policy"), std::vector<std::string>{"policy.period"});
}

TEST(PlansValidationTest, PolicyLengthsAreCharactersNotBytes) {
  v1::Policy p = GoodPolicy();
  p.set_title(Repeat("å", 200));     // 400 bytes
  p.set_summary(Repeat("Æ", 4000));  // 8000 bytes
  p.set_owner(Repeat("ø", 200));
  EXPECT_TRUE(BadFields(ValidatePolicy, p, "policy").empty());
}

TEST(PlansValidationTest, PolicyCapsListLength) {
  v1::Policy p = GoodPolicy();
  for (int i = 0; i < 50; ++i) {
    p.add_focus_areas("x");
  }
  EXPECT_EQ(BadFields(ValidatePolicy, p, "policy"), std::vector<std::string>{"policy.focus_areas"});
}

// ---------------------------------------------------------------------------
// Plan

TEST(PlansValidationTest, PlanReportsEveryBadField) {
  v1::Plan p = GoodPlan();
  p.set_policy_id("");
  p.set_title(" ");
  p.mutable_period()->set_end_year(2019);
  p.set_mission(std::string("ctl\x01", 4));
  p.set_vision("\xC3");
  p.add_target_groups(TARGET_GROUP_AUTISM);  // duplicate at [2]
  p.add_target_groups(static_cast<helhed::common::v1::TargetGroup>(99));
  EXPECT_EQ(BadFields(ValidatePlan, p, "plan"),
            Sorted({"plan.policy_id", "plan.title", "plan.period.end_year", "plan.mission",
                    "plan.vision", "plan.target_groups[2]", "plan.target_groups[3]"}));
}

TEST(PlansValidationTest, PlanBadPolicyIdAndYears) {
  v1::Plan p = GoodPlan();
  p.set_policy_id("../etc/passwd");
  p.mutable_period()->set_start_year(1800);
  p.mutable_period()->set_end_year(2300);
  EXPECT_EQ(BadFields(ValidatePlan, p, "plan"),
            Sorted({"plan.policy_id", "plan.period.start_year", "plan.period.end_year"}));
}

// ---------------------------------------------------------------------------
// Track

TEST(PlansValidationTest, TrackReportsEveryBadField) {
  v1::Track t;
  t.set_title(Repeat("a", 201));
  t.set_position(1001);
  EXPECT_EQ(BadFields(ValidateTrack, t, "track"),
            Sorted({"track.plan_id", "track.title", "track.position"}));
  t.set_plan_id("p");
  t.set_title("ok");
  t.set_position(-1);
  EXPECT_EQ(BadFields(ValidateTrack, t, "track"), std::vector<std::string>{"track.position"});
}

// ---------------------------------------------------------------------------
// Initiative area

TEST(PlansValidationTest, InitiativeAreaSdgTargetsNameTheCode) {
  v1::InitiativeArea a = GoodArea();
  a.clear_sdg_targets();
  a.add_sdg_targets()->set_code("10.2");
  a.add_sdg_targets()->set_code("18.1");
  a.add_sdg_targets()->set_code("10.2");  // duplicate of [0]
  a.add_sdg_targets()->set_code("10.ab");
  a.add_sdg_targets()->set_code("1.a");
  EXPECT_EQ(BadFields(ValidateInitiativeArea, a, "initiative_area"),
            Sorted({"initiative_area.sdg_targets[1].code", "initiative_area.sdg_targets[2].code",
                    "initiative_area.sdg_targets[3].code"}));
}

// Only the 169 real targets of the UN SDGs: a well-formed code that names no
// target (a made-up letter or number) is refused like a malformed one.
TEST(PlansValidationTest, InitiativeAreaSdgTargetsMustBeRealTargets) {
  for (const char* code : {"10.x", "10.z", "17.99", "10.8", "10.d"}) {
    v1::InitiativeArea a = GoodArea();
    a.clear_sdg_targets();
    a.add_sdg_targets()->set_code("10.7");
    a.add_sdg_targets()->set_code(code);
    EXPECT_EQ(BadFields(ValidateInitiativeArea, a, "initiative_area"),
              std::vector<std::string>{"initiative_area.sdg_targets[1].code"})
        << code;
  }
  v1::InitiativeArea a = GoodArea();
  a.clear_sdg_targets();
  for (const char* code : {"10.1", "10.7", "10.a", "10.c", "17.19", "3.d", "16.10"}) {
    a.add_sdg_targets()->set_code(code);
  }
  EXPECT_TRUE(BadFields(ValidateInitiativeArea, a, "initiative_area").empty());
}

TEST(PlansValidationTest, InitiativeAreaReportsEveryBadField) {
  v1::InitiativeArea a = GoodArea();
  a.set_plan_id("");
  a.set_track_id("bad id");
  a.set_title("");
  a.set_purpose(Repeat("x", 4001));
  a.add_life_areas(LIFE_AREA_LIVE);  // duplicate at [1]
  a.add_target_groups(static_cast<helhed::common::v1::TargetGroup>(0));
  a.set_responsible_unit("line\nbreak");
  a.add_departments("");
  a.set_position(-5);
  EXPECT_EQ(BadFields(ValidateInitiativeArea, a, "initiative_area"),
            Sorted({"initiative_area.plan_id", "initiative_area.track_id", "initiative_area.title",
                    "initiative_area.purpose", "initiative_area.life_areas[1]",
                    "initiative_area.target_groups[0]", "initiative_area.responsible_unit",
                    "initiative_area.departments[0]", "initiative_area.position"}));
}

TEST(PlansValidationTest, InitiativeAreaListLimits) {
  v1::InitiativeArea a = GoodArea();
  a.clear_life_areas();
  a.add_life_areas(LIFE_AREA_MASTER);
  a.add_life_areas(LIFE_AREA_BE);
  a.add_life_areas(LIFE_AREA_LIVE);
  EXPECT_TRUE(BadFields(ValidateInitiativeArea, a, "initiative_area").empty());
  a.add_life_areas(LIFE_AREA_MASTER);
  a.clear_sdg_targets();
  for (int i = 1; i <= 21; ++i) {
    a.add_sdg_targets()->set_code("1." + std::to_string(i));
  }
  EXPECT_EQ(BadFields(ValidateInitiativeArea, a, "initiative_area"),
            Sorted({"initiative_area.life_areas", "initiative_area.sdg_targets"}));
}

// ---------------------------------------------------------------------------
// Activity

TEST(PlansValidationTest, ActivityDueBeforeStart) {
  v1::Activity a = GoodActivity();
  *a.mutable_start_date() = MakeDate(2024, 6, 1);
  *a.mutable_due_date() = MakeDate(2024, 5, 31);
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"),
            std::vector<std::string>{"activity.due_date"});
}

TEST(PlansValidationTest, ActivityReportsEveryBadField) {
  v1::Activity a;
  a.set_title("");
  a.set_status(static_cast<v1::ActivityStatus>(42));
  *a.mutable_start_date() = MakeDate(2023, 2, 29);  // not a leap year
  *a.mutable_due_date() = MakeDate(2024, 4, 31);
  a.set_responsible("tab\t");
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"),
            Sorted({"activity.initiative_area_id", "activity.title", "activity.status",
                    "activity.start_date", "activity.due_date", "activity.responsible"}));
}

TEST(PlansValidationTest, ActivityStatusIsRequired) {
  v1::Activity a = GoodActivity();
  a.set_status(v1::ACTIVITY_STATUS_UNSPECIFIED);
  EXPECT_EQ(BadFields(ValidateActivity, a, "activity"),
            std::vector<std::string>{"activity.status"});
}

// ---------------------------------------------------------------------------
// Indicator

TEST(PlansValidationTest, IndicatorReportsEveryBadField) {
  v1::Indicator i;
  i.set_initiative_area_id("a b");
  i.set_unit(Repeat("u", 51));
  i.mutable_baseline()->set_value(std::numeric_limits<double>::quiet_NaN());  // and no date
  EXPECT_EQ(BadFields(ValidateIndicator, i, "indicator"),
            Sorted({"indicator.plan_id", "indicator.initiative_area_id", "indicator.title",
                    "indicator.unit", "indicator.direction", "indicator.baseline.date",
                    "indicator.baseline.value", "indicator.target"}));
}

TEST(PlansValidationTest, IndicatorTargetDateNotBeforeBaseline) {
  v1::Indicator i = GoodIndicator();
  *i.mutable_target()->mutable_date() = MakeDate(2022, 12, 31);
  EXPECT_EQ(BadFields(ValidateIndicator, i, "indicator"),
            std::vector<std::string>{"indicator.target.date"});
  i.mutable_target()->set_value(std::numeric_limits<double>::infinity());
  *i.mutable_target()->mutable_date() = MakeDate(2026, 2, 29);
  EXPECT_EQ(BadFields(ValidateIndicator, i, "indicator"),
            Sorted({"indicator.target.date", "indicator.target.value"}));
}

// ---------------------------------------------------------------------------
// Citizen plan, goal, action

TEST(PlansValidationTest, CitizenPlan) {
  v1::CitizenPlan cp;
  cp.set_hopes(Repeat("å", 8001));
  EXPECT_EQ(BadFields(ValidateCitizenPlan, cp, "citizen_plan"),
            Sorted({"citizen_plan.citizen_id", "citizen_plan.hopes"}));
  cp.set_citizen_id("0101901234 ");
  cp.set_hopes(Repeat("å", 8000));
  EXPECT_EQ(BadFields(ValidateCitizenPlan, cp, "citizen_plan"),
            std::vector<std::string>{"citizen_plan.citizen_id"});
}

TEST(PlansValidationTest, Goal) {
  v1::Goal g;
  g.set_description("  ");
  g.set_initiative_area_id("x/y");
  *g.mutable_target_date() = MakeDate(2024, 2, 30);
  EXPECT_EQ(BadFields(ValidateGoal, g, "goal"),
            Sorted({"goal.citizen_plan_id", "goal.description", "goal.life_area",
                    "goal.initiative_area_id", "goal.target_date"}));
}

TEST(PlansValidationTest, Action) {
  v1::Action a;
  a.set_description(Repeat("x", 2001));
  a.set_performer(static_cast<v1::ActionPerformer>(6));
  *a.mutable_due_date() = MakeDate(1899, 1, 1);
  EXPECT_EQ(
      BadFields(ValidateAction, a, "action"),
      Sorted({"action.goal_id", "action.description", "action.performer", "action.due_date"}));
}

// ---------------------------------------------------------------------------
// Entries

TEST(PlansValidationTest, Progress) {
  v1::ActivityProgress p;
  p.set_new_status(static_cast<v1::ActivityStatus>(6));
  EXPECT_EQ(BadFields(ValidateProgress, p, "progress"),
            Sorted({"progress.update_date", "progress.note", "progress.new_status"}));
}

TEST(PlansValidationTest, Measurement) {
  v1::Measurement m;
  EXPECT_EQ(BadFields(ValidateMeasurement, m, "measurement"),
            std::vector<std::string>{"measurement.value"});
  *m.mutable_value()->mutable_date() = MakeDate(2023, 2, 29);
  m.mutable_value()->set_value(-std::numeric_limits<double>::infinity());
  m.set_source(Repeat("s", 501));
  m.set_note(std::string("a\0b", 3));
  EXPECT_EQ(BadFields(ValidateMeasurement, m, "measurement"),
            Sorted({"measurement.value.date", "measurement.value.value", "measurement.source",
                    "measurement.note"}));
}

TEST(PlansValidationTest, Assessment) {
  v1::Assessment a;
  a.set_score(0);
  a.set_outcome(static_cast<v1::GoalOutcome>(5));
  EXPECT_EQ(BadFields(ValidateAssessment, a, "assessment"),
            Sorted({"assessment.assessment_date", "assessment.score", "assessment.outcome"}));
  *a.mutable_assessment_date() = MakeDate(2024, 1, 1);
  a.set_score(6);
  a.set_outcome(v1::GOAL_OUTCOME_CLOSED);
  EXPECT_EQ(BadFields(ValidateAssessment, a, "assessment"),
            std::vector<std::string>{"assessment.score"});
}

TEST(PlansValidationTest, YearlyFocus) {
  v1::YearlyFocus f;
  f.set_year(1800);
  f.add_initiative_area_ids("a1");
  f.add_initiative_area_ids("");
  f.add_initiative_area_ids("a1");
  f.add_initiative_area_ids("bad id");
  EXPECT_EQ(BadFields(ValidateYearlyFocus, f, "focus"),
            Sorted({"focus.plan_id", "focus.year", "focus.initiative_area_ids[1]",
                    "focus.initiative_area_ids[2]", "focus.initiative_area_ids[3]"}));
  v1::YearlyFocus many;
  many.set_plan_id("p");
  many.set_year(2024);
  for (int i = 0; i < 101; ++i) {
    many.add_initiative_area_ids("a" + std::to_string(i));
  }
  EXPECT_EQ(BadFields(ValidateYearlyFocus, many, "focus"),
            std::vector<std::string>{"focus.initiative_area_ids"});
}

TEST(PlansValidationTest, PrefixIsUsedAsGiven) {
  v1::Plan p = GoodPlan();
  p.set_title("");
  EXPECT_EQ(BadFields(ValidatePlan, p, "request.plan"),
            std::vector<std::string>{"request.plan.title"});
}

}  // namespace
}  // namespace helhed::plans
