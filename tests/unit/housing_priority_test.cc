// Tests of housing priority (services/housing/domain/priority): the default
// rule's situation, waiting and flag points; a custom rule; the explained
// parts and their total; waiting days; and the validation of rules, which
// names the bad field.
#include <cmath>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/status/field_violations.h"
#include "gtest/gtest.h"
#include "services/housing/domain/priority.h"

namespace helhed::housing {
namespace {

// The parts' details are asserted in English (asked for) here and in
// Danish, the default, in DanishDetailsAndPoints.
constexpr i18n::Language kEn = i18n::Language::kEnglish;
constexpr i18n::Language kDa = i18n::Language::kDanish;

const absl::CivilDay kToday(2026, 6, 1);

google::type::Date MakeDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

// An application screened `days` before kToday.
v1::Application App(v1::Situation situation, int days,
                    std::vector<v1::VulnerabilityFlag> flags = {}) {
  v1::Application app;
  app.set_id("app-1");
  app.set_situation(situation);
  *app.mutable_screening_date() = MakeDate(kToday - days);
  for (v1::VulnerabilityFlag f : flags) {
    app.add_vulnerability_flags(f);
  }
  return app;
}

double DefaultTotal(const v1::Application& app) {
  return PriorityScorer(DefaultPriorityRule(), kToday).Total(app);
}

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations()) {
    out.push_back(f.field);
  }
  return out;
}

std::vector<std::string> Validate(const v1::PriorityRule& rule) {
  FieldViolations v;
  ValidatePriorityRule(rule, "rule", v);
  return Fields(v);
}

TEST(HousingPriority, DefaultRuleIsValid) {
  EXPECT_TRUE(Validate(DefaultPriorityRule()).empty());
  const v1::PriorityRule rule = DefaultPriorityRule();
  EXPECT_EQ(rule.situations_size(), 8);
  EXPECT_EQ(rule.flags_size(), 8);
  EXPECT_EQ(rule.points_per_waiting_week(), 1);
  EXPECT_EQ(rule.max_waiting_points(), 52);
}

// The item limits are checked before the items: 100,000 entries are one
// violation naming the list.
TEST(HousingPriority, TooManyRuleEntriesAreOneViolationNamingTheList) {
  v1::PriorityRule rule = DefaultPriorityRule();
  for (int i = 0; i < 100000; ++i) rule.add_situations();
  for (int i = 0; i < 100000; ++i) rule.add_flags();
  EXPECT_EQ(Validate(rule), (std::vector<std::string>{"rule.situations", "rule.flags"}));
}

TEST(HousingPriority, DefaultSituationPoints) {
  const struct {
    v1::Situation situation;
    double points;
  } cases[] = {
      {v1::SITUATION_STREET, 40},
      {v1::SITUATION_SHELTER, 30},
      {v1::SITUATION_LEAVING_PRISON, 30},
      {v1::SITUATION_LEAVING_TREATMENT, 30},
      {v1::SITUATION_AT_RISK_OF_EVICTION, 25},
      {v1::SITUATION_SOFA_SURFING, 20},
      {v1::SITUATION_TEMPORARY_RESIDENCE, 15},
      {v1::SITUATION_HOUSED, 0},
      {v1::SITUATION_UNSPECIFIED, 0},
  };
  for (const auto& c : cases) {
    // Screened today: no waiting points.
    EXPECT_EQ(DefaultTotal(App(c.situation, 0)), c.points) << v1::Situation_Name(c.situation);
  }
}

TEST(HousingPriority, DefaultSituationSeverityOrder) {
  const v1::Situation order[] = {
      v1::SITUATION_STREET,
      v1::SITUATION_SHELTER,
      v1::SITUATION_AT_RISK_OF_EVICTION,
      v1::SITUATION_SOFA_SURFING,
      v1::SITUATION_TEMPORARY_RESIDENCE,
      v1::SITUATION_HOUSED,
  };
  for (size_t i = 1; i < std::size(order); ++i) {
    EXPECT_GT(DefaultTotal(App(order[i - 1], 30)), DefaultTotal(App(order[i], 30)))
        << v1::Situation_Name(order[i - 1]) << " vs " << v1::Situation_Name(order[i]);
  }
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_SHELTER, 30)),
            DefaultTotal(App(v1::SITUATION_LEAVING_PRISON, 30)));
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_SHELTER, 30)),
            DefaultTotal(App(v1::SITUATION_LEAVING_TREATMENT, 30)));
}

TEST(HousingPriority, DefaultWaitingOnePointPerWeekCappedAt52) {
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 0)), 0);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 7)), 1);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 84)), 12);
  EXPECT_DOUBLE_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 10)), 10.0 / 7);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 52 * 7)), 52);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 52 * 7 + 1)), 52);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 5 * 365)), 52);
  EXPECT_EQ(DefaultTotal(App(v1::SITUATION_STREET, 3 * 365)), 92);
}

TEST(HousingPriority, DefaultFlagPoints) {
  const struct {
    v1::VulnerabilityFlag flag;
    double points;
  } cases[] = {
      {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS, 15},
      {v1::VULNERABILITY_FLAG_VIOLENCE, 15},
      {v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS, 15},
      {v1::VULNERABILITY_FLAG_MENTAL_ILLNESS, 10},
      {v1::VULNERABILITY_FLAG_SUBSTANCE_USE, 10},
      {v1::VULNERABILITY_FLAG_YOUNG_ADULT, 10},
      {v1::VULNERABILITY_FLAG_CHILDREN, 10},
      {v1::VULNERABILITY_FLAG_PHYSICAL_DISABILITY, 5},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DefaultTotal(App(v1::SITUATION_HOUSED, 0, {c.flag})), c.points)
        << v1::VulnerabilityFlag_Name(c.flag);
  }
  // Flags add up, with situation and waiting.
  EXPECT_EQ(
      DefaultTotal(App(v1::SITUATION_STREET, 14,
                       {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS, v1::VULNERABILITY_FLAG_CHILDREN,
                        v1::VULNERABILITY_FLAG_PHYSICAL_DISABILITY})),
      40 + 2 + 15 + 10 + 5);
}

TEST(HousingPriority, FlagCountsOnceAndUnknownValuesAreIgnored) {
  v1::Application app = App(v1::SITUATION_HOUSED, 0,
                            {v1::VULNERABILITY_FLAG_VIOLENCE, v1::VULNERABILITY_FLAG_VIOLENCE});
  app.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(99));
  app.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(-3));
  app.set_situation(static_cast<v1::Situation>(1000));
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  EXPECT_EQ(scorer.Total(app), 15);
  EXPECT_EQ(scorer.Explain(app, kEn).total(), 15);
}

TEST(HousingPriority, ExplainParts) {
  const v1::Application app =
      App(v1::SITUATION_SHELTER, 87,
          {v1::VULNERABILITY_FLAG_CHILDREN, v1::VULNERABILITY_FLAG_MENTAL_ILLNESS});
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  const v1::Priority p = scorer.Explain(app, kEn);
  ASSERT_EQ(p.parts_size(), 4);
  EXPECT_EQ(p.parts(0).kind(), "situation");
  EXPECT_EQ(p.parts(0).detail(), "in a shelter");
  EXPECT_EQ(p.parts(0).points(), 30);
  EXPECT_EQ(p.parts(1).kind(), "waiting");
  EXPECT_EQ(p.parts(1).detail(), "12 weeks since screening");
  EXPECT_DOUBLE_EQ(p.parts(1).points(), 87.0 / 7);
  EXPECT_EQ(p.parts(2).kind(), "flag");
  EXPECT_EQ(p.parts(2).detail(), "has children");
  EXPECT_EQ(p.parts(2).points(), 10);
  EXPECT_EQ(p.parts(3).kind(), "flag");
  EXPECT_EQ(p.parts(3).detail(), "mental illness");
  EXPECT_EQ(p.parts(3).points(), 10);
  EXPECT_EQ(p.waiting_days(), 87);
  double sum = 0;
  for (const v1::PriorityPart& part : p.parts()) {
    sum += part.points();
  }
  EXPECT_DOUBLE_EQ(p.total(), sum);
  EXPECT_EQ(p.total(), scorer.Total(app));
}

TEST(HousingPriority, ExplainWaitingCappedAndSingularWeek) {
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  const v1::Priority capped = scorer.Explain(App(v1::SITUATION_STREET, 400), kEn);
  ASSERT_EQ(capped.parts_size(), 2);
  EXPECT_EQ(capped.parts(1).detail(), "57 weeks since screening");
  EXPECT_EQ(capped.parts(1).points(), 52);
  EXPECT_EQ(capped.waiting_days(), 400);
  EXPECT_EQ(capped.total(), 92);
  EXPECT_EQ(scorer.Explain(App(v1::SITUATION_STREET, 9), kEn).parts(1).detail(),
            "1 week since screening");
}

TEST(HousingPriority, OnlyFlagsWithPointsAreParts) {
  v1::PriorityRule rule;
  rule.add_flags()->set_flag(v1::VULNERABILITY_FLAG_CHILDREN);  // 0 points
  v1::PriorityRule::FlagPoints* f = rule.add_flags();
  f->set_flag(v1::VULNERABILITY_FLAG_VIOLENCE);
  f->set_points(7);
  const PriorityScorer scorer(rule, kToday);
  const v1::Priority p =
      scorer.Explain(App(v1::SITUATION_STREET, 0,
                         {v1::VULNERABILITY_FLAG_CHILDREN, v1::VULNERABILITY_FLAG_YOUNG_ADULT,
                          v1::VULNERABILITY_FLAG_VIOLENCE}),
                     kEn);
  ASSERT_EQ(p.parts_size(), 3);
  EXPECT_EQ(p.parts(0).detail(), "on the street");
  EXPECT_EQ(p.parts(0).points(), 0);  // the rule gives the street nothing
  EXPECT_EQ(p.parts(2).kind(), "flag");
  EXPECT_EQ(p.parts(2).detail(), "violence");
  EXPECT_EQ(p.total(), 7);
}

TEST(HousingPriority, CustomRule) {
  v1::PriorityRule rule;
  v1::PriorityRule::SituationPoints* s = rule.add_situations();
  s->set_situation(v1::SITUATION_SOFA_SURFING);
  s->set_points(100);
  s = rule.add_situations();
  s->set_situation(v1::SITUATION_STREET);
  s->set_points(5);
  rule.set_points_per_waiting_week(2.5);
  rule.set_max_waiting_points(10);
  v1::PriorityRule::FlagPoints* f = rule.add_flags();
  f->set_flag(v1::VULNERABILITY_FLAG_YOUNG_ADULT);
  f->set_points(33);
  ASSERT_TRUE(Validate(rule).empty());
  const PriorityScorer scorer(rule, kToday);
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_SOFA_SURFING, 0)), 100);
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_STREET, 0)), 5);
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_SHELTER, 0)), 0);  // not in the rule
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_STREET, 14)), 5 + 5);
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_STREET, 28)), 5 + 10);   // capped at 10
  EXPECT_EQ(scorer.Total(App(v1::SITUATION_STREET, 700)), 5 + 10);  // capped at 10
  EXPECT_EQ(scorer.Total(
                App(v1::SITUATION_STREET, 0,
                    {v1::VULNERABILITY_FLAG_YOUNG_ADULT, v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS})),
            5 + 33);
}

TEST(HousingPriority, EmptyRuleScoresZero) {
  const PriorityScorer scorer(v1::PriorityRule(), kToday);
  const v1::Application app =
      App(v1::SITUATION_STREET, 300, {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS});
  EXPECT_EQ(scorer.Total(app), 0);
  const v1::Priority p = scorer.Explain(app, kEn);
  EXPECT_EQ(p.total(), 0);
  EXPECT_EQ(p.parts_size(), 2);  // situation and waiting, no flag
  EXPECT_EQ(p.waiting_days(), 300);
}

TEST(HousingPriority, WaitingDays) {
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  EXPECT_EQ(scorer.WaitingDays(App(v1::SITUATION_STREET, 0)), 0);
  EXPECT_EQ(scorer.WaitingDays(App(v1::SITUATION_STREET, 1)), 1);
  EXPECT_EQ(scorer.WaitingDays(App(v1::SITUATION_STREET, 365)), 365);
  // Across a month and a leap day: 2024-02-28 to 2024-03-01 is two days.
  const PriorityScorer leap(DefaultPriorityRule(), absl::CivilDay(2024, 3, 1));
  v1::Application app = App(v1::SITUATION_STREET, 0);
  *app.mutable_screening_date() = MakeDate(absl::CivilDay(2024, 2, 28));
  EXPECT_EQ(leap.WaitingDays(app), 2);
}

TEST(HousingPriority, NoWaitingWithoutOrAfterScreeningDate) {
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  v1::Application missing = App(v1::SITUATION_STREET, 0);
  missing.clear_screening_date();
  EXPECT_EQ(scorer.WaitingDays(missing), 0);
  EXPECT_EQ(scorer.Total(missing), 40);
  const v1::Priority p = scorer.Explain(missing, kEn);
  ASSERT_EQ(p.parts_size(), 2);
  EXPECT_EQ(p.parts(1).kind(), "waiting");
  EXPECT_EQ(p.parts(1).points(), 0);

  const v1::Application future = App(v1::SITUATION_STREET, -30);
  EXPECT_EQ(scorer.WaitingDays(future), 0);
  EXPECT_EQ(scorer.Total(future), 40);

  v1::Application invalid = App(v1::SITUATION_STREET, 0);
  invalid.mutable_screening_date()->set_month(13);
  EXPECT_EQ(scorer.WaitingDays(invalid), 0);
}

TEST(HousingPriority, ValidationDuplicateSituation) {
  v1::PriorityRule rule = DefaultPriorityRule();
  rule.mutable_situations(3)->set_situation(v1::SITUATION_STREET);
  EXPECT_EQ(Validate(rule), std::vector<std::string>{"rule.situations[3].situation"});
}

TEST(HousingPriority, ValidationDuplicateFlag) {
  v1::PriorityRule rule = DefaultPriorityRule();
  rule.mutable_flags(7)->set_flag(v1::VULNERABILITY_FLAG_VIOLENCE);
  EXPECT_EQ(Validate(rule), std::vector<std::string>{"rule.flags[7].flag"});
}

TEST(HousingPriority, ValidationUnspecifiedAndUnknownEnums) {
  v1::PriorityRule rule = DefaultPriorityRule();
  rule.mutable_situations(0)->set_situation(v1::SITUATION_UNSPECIFIED);
  rule.mutable_situations(1)->set_situation(static_cast<v1::Situation>(42));
  rule.mutable_flags(2)->set_flag(v1::VULNERABILITY_FLAG_UNSPECIFIED);
  rule.mutable_flags(4)->set_flag(static_cast<v1::VulnerabilityFlag>(9));
  FieldViolations v;
  ValidatePriorityRule(rule, "priority_rule", v);
  ASSERT_EQ(Fields(v), (std::vector<std::string>{
                           "priority_rule.situations[0].situation",
                           "priority_rule.situations[1].situation",
                           "priority_rule.flags[2].flag",
                           "priority_rule.flags[4].flag",
                       }));
  EXPECT_EQ(v.violations()[0].description, "is required");
  EXPECT_EQ(v.violations()[1].description, "has no value 42");
  EXPECT_EQ(v.violations()[3].description, "has no value 9");
}

TEST(HousingPriority, ValidationPoints) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  v1::PriorityRule rule = DefaultPriorityRule();
  rule.mutable_situations(0)->set_points(-1);
  rule.mutable_situations(2)->set_points(nan);
  rule.mutable_situations(5)->set_points(1000.5);
  rule.mutable_flags(1)->set_points(inf);
  rule.mutable_flags(6)->set_points(-0.5);
  rule.set_points_per_waiting_week(101);
  rule.set_max_waiting_points(nan);
  EXPECT_EQ(Validate(rule), (std::vector<std::string>{
                                "rule.situations[0].points",
                                "rule.situations[2].points",
                                "rule.situations[5].points",
                                "rule.points_per_waiting_week",
                                "rule.max_waiting_points",
                                "rule.flags[1].points",
                                "rule.flags[6].points",
                            }));
}

TEST(HousingPriority, ValidationBoundsAreInclusive) {
  v1::PriorityRule rule = DefaultPriorityRule();
  rule.mutable_situations(0)->set_points(1000);
  rule.mutable_flags(0)->set_points(0);
  rule.set_points_per_waiting_week(100);
  rule.set_max_waiting_points(1000);
  EXPECT_TRUE(Validate(rule).empty());
  rule.set_points_per_waiting_week(-0.01);
  rule.set_max_waiting_points(1e9);
  EXPECT_EQ(Validate(rule),
            (std::vector<std::string>{"rule.points_per_waiting_week", "rule.max_waiting_points"}));
  EXPECT_TRUE(Validate(v1::PriorityRule()).empty());
}

TEST(HousingPriority, ScorerIgnoresNonFinitePoints) {
  v1::PriorityRule rule;
  v1::PriorityRule::SituationPoints* s = rule.add_situations();
  s->set_situation(v1::SITUATION_STREET);
  s->set_points(std::numeric_limits<double>::quiet_NaN());
  rule.set_points_per_waiting_week(1);
  rule.set_max_waiting_points(std::numeric_limits<double>::infinity());
  const PriorityScorer scorer(rule, kToday);
  const double total = scorer.Total(App(v1::SITUATION_STREET, 70));
  EXPECT_TRUE(std::isfinite(total));
  EXPECT_EQ(total, 0);  // the cap counts as 0, so no waiting points
}

TEST(HousingPriority, DanishDetailsAndPoints) {
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  const v1::Priority p = scorer.Explain(
      App(v1::SITUATION_LEAVING_TREATMENT, 87, {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS}), kDa);
  ASSERT_EQ(p.parts_size(), 3);
  EXPECT_EQ(p.parts(0).detail(), "på vej ud af behandling");
  EXPECT_EQ(p.parts(1).detail(), "12 uger siden visitationen");
  EXPECT_EQ(p.parts(2).detail(), "dobbeltdiagnose");
  EXPECT_EQ(scorer.Explain(App(v1::SITUATION_STREET, 9), kDa).parts(1).detail(),
            "1 uge siden visitationen");
  v1::Application undated = App(v1::SITUATION_SHELTER, 0);
  undated.clear_screening_date();
  EXPECT_EQ(scorer.Explain(undated, kDa).parts(1).detail(), "ingen visitationsdato");
  EXPECT_EQ(scorer.Explain(undated, kEn).parts(1).detail(), "no screening date");
  // 87 / 7 = 12.43 waiting points: one decimal, the reader's decimal mark.
  EXPECT_EQ(PointsText(kDa, p.parts(1).points()), "12,4 point");
  EXPECT_EQ(PointsText(kEn, p.parts(1).points()), "12.4 points");
  EXPECT_EQ(PointsText(kEn, 1), "1 point");
  EXPECT_EQ(PointsText(kDa, 1234.5), "1.234,5 point");
  EXPECT_EQ(PointsText(kDa, -0.01), "0 point");  // never "-0"
}

}  // namespace
}  // namespace helhed::housing
