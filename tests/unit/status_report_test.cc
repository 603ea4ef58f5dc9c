// Tests of services/plans/domain/status_report: the yearly status report,
// its Markdown, indicator progress and stale items.
#include "services/plans/domain/status_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace helhed::plans {
namespace {

using google::protobuf::util::TimeUtil;
using i18n::Language;

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

v1::Indicator MakeIndicator(const std::string& id, v1::IndicatorDirection dir, double baseline,
                            double target, const std::string& area = "") {
  v1::Indicator i;
  i.set_id(id);
  i.set_title("Indicator " + id);
  i.set_initiative_area_id(area);
  i.set_direction(dir);
  *i.mutable_baseline()->mutable_date() = MakeDate(2022, 1, 1);
  i.mutable_baseline()->set_value(baseline);
  *i.mutable_target()->mutable_date() = MakeDate(2026, 12, 31);
  i.mutable_target()->set_value(target);
  return i;
}

v1::Activity MakeActivity(const std::string& id, const std::string& area,
                          v1::ActivityStatus status) {
  v1::Activity a;
  a.set_id(id);
  a.set_initiative_area_id(area);
  a.set_title("Activity " + id);
  a.set_status(status);
  return a;
}

v1::Measurement MakeMeasurement(const google::type::Date& d, double v) {
  v1::Measurement m;
  *m.mutable_value()->mutable_date() = d;
  m.mutable_value()->set_value(v);
  return m;
}

v1::ActivityProgress MakeProgress(const google::type::Date& d, const std::string& note) {
  v1::ActivityProgress p;
  *p.mutable_update_date() = d;
  p.set_note(note);
  return p;
}

int CountOf(const v1::InitiativeAreaReport& a, v1::ActivityStatus s) {
  for (const auto& c : a.status_counts()) {
    if (c.status() == s) {
      return c.count();
    }
  }
  return 0;
}

// Pipes that split a Markdown table row (not escaped by a backslash).
int UnescapedPipes(const std::string& line) {
  int n = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) {
      ++n;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------
// Indicators

TEST(IndicatorProgressTest, Increase) {
  const v1::Indicator i = MakeIndicator("i", v1::INDICATOR_DIRECTION_INCREASE, 10, 20);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 10), 0.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 15), 0.5);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 20), 1.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 25), 1.5);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 5), -0.5);  // went the wrong way
  EXPECT_FALSE(TargetMet(i, 19.9));
  EXPECT_TRUE(TargetMet(i, 20));
  EXPECT_TRUE(TargetMet(i, 21));
}

TEST(IndicatorProgressTest, Decrease) {
  const v1::Indicator i = MakeIndicator("i", v1::INDICATOR_DIRECTION_DECREASE, 100, 60);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 100), 0.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 90), 0.25);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 60), 1.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(i, 110), -0.25);
  EXPECT_FALSE(TargetMet(i, 61));
  EXPECT_TRUE(TargetMet(i, 60));
  EXPECT_TRUE(TargetMet(i, 40));
}

TEST(IndicatorProgressTest, TargetEqualToBaseline) {
  const v1::Indicator keep = MakeIndicator("i", v1::INDICATOR_DIRECTION_INCREASE, 50, 50);
  EXPECT_DOUBLE_EQ(IndicatorProgress(keep, 50), 1.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(keep, 49), 0.0);
  const v1::Indicator down = MakeIndicator("i", v1::INDICATOR_DIRECTION_DECREASE, 50, 50);
  EXPECT_DOUBLE_EQ(IndicatorProgress(down, 49), 1.0);
  EXPECT_DOUBLE_EQ(IndicatorProgress(down, 51), 0.0);
}

// ---------------------------------------------------------------------------
// DefaultAsOf

TEST(DefaultAsOfTest, TodayOrTheEndOfAnEarlierYear) {
  const absl::Time now = Day(2025, 3, 14) + absl::Hours(10);
  google::type::Date past = DefaultAsOf(2024, now);
  EXPECT_EQ(past.year(), 2024);
  EXPECT_EQ(past.month(), 12);
  EXPECT_EQ(past.day(), 31);
  google::type::Date current = DefaultAsOf(2025, now);
  EXPECT_EQ(current.year(), 2025);
  EXPECT_EQ(current.month(), 3);
  EXPECT_EQ(current.day(), 14);
}

// ---------------------------------------------------------------------------
// BuildStatusReport

class StatusReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_.plan.set_id("plan-1");
    in_.plan.set_title("Voksenhandicapplan");
    in_.year = 2024;
    in_.as_of = MakeDate(2024, 6, 30);
    v1::Track t;
    t.set_id("t1");
    t.set_title("Engagement i dig");
    in_.tracks.push_back(t);
    v1::InitiativeArea a1;
    a1.set_id("a1");
    a1.set_title("Bolig");
    a1.set_track_id("t1");
    v1::InitiativeArea a2;
    a2.set_id("a2");
    a2.set_title("Beskæftigelse");
    in_.areas = {a1, a2};
    in_.focus_area_ids = {"a2"};
  }
  ReportInput in_;
};

TEST_F(StatusReportTest, CountsActivitiesByStatusPerArea) {
  in_.activities = {MakeActivity("x1", "a1", v1::ACTIVITY_STATUS_PLANNED),
                    MakeActivity("x2", "a1", v1::ACTIVITY_STATUS_PLANNED),
                    MakeActivity("x3", "a1", v1::ACTIVITY_STATUS_COMPLETED),
                    MakeActivity("x4", "a2", v1::ACTIVITY_STATUS_IN_PROGRESS),
                    MakeActivity("x5", "elsewhere", v1::ACTIVITY_STATUS_PLANNED)};
  const v1::StatusReport r = BuildStatusReport(in_);
  EXPECT_EQ(r.plan_id(), "plan-1");
  EXPECT_EQ(r.plan_title(), "Voksenhandicapplan");
  EXPECT_EQ(r.year(), 2024);
  ASSERT_EQ(r.initiative_areas_size(), 2);
  const auto& a1 = r.initiative_areas(0);
  const auto& a2 = r.initiative_areas(1);
  EXPECT_EQ(a1.initiative_area_id(), "a1");
  EXPECT_EQ(a1.track_title(), "Engagement i dig");
  EXPECT_FALSE(a1.in_focus());
  EXPECT_EQ(CountOf(a1, v1::ACTIVITY_STATUS_PLANNED), 2);
  EXPECT_EQ(CountOf(a1, v1::ACTIVITY_STATUS_COMPLETED), 1);
  EXPECT_EQ(CountOf(a1, v1::ACTIVITY_STATUS_IN_PROGRESS), 0);
  EXPECT_EQ(a2.initiative_area_id(), "a2");
  EXPECT_TRUE(a2.in_focus());
  EXPECT_EQ(a2.track_title(), "");
  EXPECT_EQ(CountOf(a2, v1::ACTIVITY_STATUS_IN_PROGRESS), 1);
  EXPECT_EQ(CountOf(a2, v1::ACTIVITY_STATUS_PLANNED), 0);
}

TEST_F(StatusReportTest, OverdueIsDueBeforeAsOfAndNotClosed) {
  auto due = [](v1::Activity a, const google::type::Date& d) {
    *a.mutable_due_date() = d;
    return a;
  };
  in_.activities = {
      due(MakeActivity("late", "a1", v1::ACTIVITY_STATUS_IN_PROGRESS), MakeDate(2024, 6, 29)),
      due(MakeActivity("held", "a1", v1::ACTIVITY_STATUS_ON_HOLD), MakeDate(2023, 1, 1)),
      due(MakeActivity("today", "a1", v1::ACTIVITY_STATUS_PLANNED), MakeDate(2024, 6, 30)),
      due(MakeActivity("done", "a1", v1::ACTIVITY_STATUS_COMPLETED), MakeDate(2024, 1, 1)),
      due(MakeActivity("dropped", "a1", v1::ACTIVITY_STATUS_CANCELLED), MakeDate(2024, 1, 1)),
      due(MakeActivity("future", "a1", v1::ACTIVITY_STATUS_PLANNED), MakeDate(2024, 7, 1)),
      MakeActivity("undated", "a1", v1::ACTIVITY_STATUS_PLANNED),
  };
  const v1::StatusReport r = BuildStatusReport(in_);
  std::vector<std::string> overdue;
  for (const auto& o : r.initiative_areas(0).overdue()) {
    overdue.push_back(o.activity_id());
  }
  EXPECT_EQ(overdue, (std::vector<std::string>{"late", "held"}));
  EXPECT_EQ(r.initiative_areas(0).overdue(0).due_date().day(), 29);
}

TEST_F(StatusReportTest, ChangedCountsUpdatesOfTheYearAndKeepsTheLatestNote) {
  in_.activities = {MakeActivity("x1", "a1", v1::ACTIVITY_STATUS_IN_PROGRESS),
                    MakeActivity("x2", "a1", v1::ACTIVITY_STATUS_PLANNED)};
  in_.progress["x1"] = {MakeProgress(MakeDate(2024, 3, 1), "startet"),
                        MakeProgress(MakeDate(2024, 5, 1), "halvvejs"),
                        MakeProgress(MakeDate(2024, 4, 1), "i gang"),
                        MakeProgress(MakeDate(2023, 12, 1), "sidste år")};
  in_.progress["x2"] = {MakeProgress(MakeDate(2023, 5, 1), "gammel")};
  const v1::StatusReport r = BuildStatusReport(in_);
  const auto& a1 = r.initiative_areas(0);
  ASSERT_EQ(a1.changed_size(), 1);
  EXPECT_EQ(a1.changed(0).activity_id(), "x1");
  EXPECT_EQ(a1.changed(0).updates_in_year(), 3);
  EXPECT_EQ(a1.changed(0).latest_note(), "halvvejs");
}

TEST_F(StatusReportTest, IndicatorsAgainstTargets) {
  in_.indicators = {MakeIndicator("up", v1::INDICATOR_DIRECTION_INCREASE, 10, 20, "a1"),
                    MakeIndicator("down", v1::INDICATOR_DIRECTION_DECREASE, 100, 60),
                    MakeIndicator("none", v1::INDICATOR_DIRECTION_INCREASE, 0, 1, "a2")};
  in_.measurements["up"] = {MakeMeasurement(MakeDate(2024, 3, 1), 14),
                            MakeMeasurement(MakeDate(2023, 3, 1), 12),
                            MakeMeasurement(MakeDate(2025, 1, 1), 30)};  // after the year
  in_.measurements["down"] = {MakeMeasurement(MakeDate(2024, 1, 1), 55)};
  const v1::StatusReport r = BuildStatusReport(in_);

  ASSERT_EQ(r.initiative_areas(0).indicators_size(), 1);
  const auto& up = r.initiative_areas(0).indicators(0);
  EXPECT_EQ(up.indicator_id(), "up");
  EXPECT_TRUE(up.measured());
  EXPECT_DOUBLE_EQ(up.latest().value(), 14);
  EXPECT_EQ(up.latest().date().year(), 2024);
  EXPECT_DOUBLE_EQ(up.progress(), 0.4);
  EXPECT_FALSE(up.target_met());

  ASSERT_EQ(r.plan_indicators_size(), 1);
  const auto& down = r.plan_indicators(0);
  EXPECT_EQ(down.indicator_id(), "down");
  EXPECT_DOUBLE_EQ(down.progress(), 45.0 / 40.0);
  EXPECT_TRUE(down.target_met());
  EXPECT_EQ(down.direction(), v1::INDICATOR_DIRECTION_DECREASE);

  ASSERT_EQ(r.initiative_areas(1).indicators_size(), 1);
  EXPECT_FALSE(r.initiative_areas(1).indicators(0).measured());
}

TEST_F(StatusReportTest, IndicatorOfAnAreaNotInTheReportIsNotAPlanIndicator) {
  // E.g. its initiative area was archived: it must not show up under the
  // plan's own indicators.
  in_.indicators = {MakeIndicator("plan-level", v1::INDICATOR_DIRECTION_INCREASE, 0, 1),
                    MakeIndicator("orphan", v1::INDICATOR_DIRECTION_INCREASE, 0, 1, "gone")};
  const v1::StatusReport r = BuildStatusReport(in_);
  ASSERT_EQ(r.plan_indicators_size(), 1);
  EXPECT_EQ(r.plan_indicators(0).indicator_id(), "plan-level");
  for (const auto& a : r.initiative_areas()) {
    EXPECT_EQ(a.indicators_size(), 0);
  }
}

// ---------------------------------------------------------------------------
// RenderMarkdown

TEST_F(StatusReportTest, MarkdownHasHeadingsCountsOverdueAndIndicatorRows) {
  v1::Activity late = MakeActivity("late", "a1", v1::ACTIVITY_STATUS_IN_PROGRESS);
  late.set_title("Flyttehjælp");
  *late.mutable_due_date() = MakeDate(2024, 2, 1);
  in_.activities = {late, MakeActivity("x2", "a1", v1::ACTIVITY_STATUS_COMPLETED)};
  in_.progress["late"] = {MakeProgress(MakeDate(2024, 2, 10), "Forsinket af\nbyggeri")};
  in_.indicators = {MakeIndicator("up", v1::INDICATOR_DIRECTION_INCREASE, 10, 20, "a1")};
  in_.indicators[0].set_unit("%");
  in_.measurements["up"] = {MakeMeasurement(MakeDate(2024, 3, 1), 15)};
  const std::string md = RenderMarkdown(BuildStatusReport(in_), in_, Language::kEnglish);

  EXPECT_NE(md.find("# Status report 2024: Voksenhandicapplan"), std::string::npos) << md;
  EXPECT_NE(md.find("Progress of the plan as of 30 June 2024."), std::string::npos) << md;
  EXPECT_NE(md.find("- Activities: 2"), std::string::npos) << md;
  EXPECT_NE(md.find("- Overdue activities: 1"), std::string::npos) << md;
  EXPECT_NE(md.find("- Indicators at their target: 0 of 1"), std::string::npos) << md;
  EXPECT_NE(md.find("## Bolig\n"), std::string::npos) << md;
  EXPECT_NE(md.find("## Beskæftigelse (focus 2024)"), std::string::npos) << md;
  EXPECT_NE(md.find("Track: Engagement i dig"), std::string::npos) << md;
  EXPECT_NE(md.find("1 in progress"), std::string::npos) << md;
  EXPECT_NE(md.find("1 completed"), std::string::npos) << md;
  EXPECT_NE(md.find("Overdue:"), std::string::npos) << md;
  EXPECT_NE(md.find("- **Flyttehjælp**, due 2024-02-01 (in progress)"), std::string::npos) << md;
  EXPECT_NE(md.find("Forsinket af byggeri"), std::string::npos) << md;  // newline flattened
  EXPECT_NE(md.find("(in progress, 1 update): "), std::string::npos) << md;
  EXPECT_NE(md.find("No activities."), std::string::npos) << md;  // area a2
  EXPECT_NE(md.find("| Indicator | Baseline | Target | Latest | Progress to target | Status |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| Indicator up | 10 % (2022-01-01) | up to 20 % (2026-12-31) | "
                    "15 % (2024-03-01) | 50% (+5 %) | not yet |"),
            std::string::npos)
      << md;
}

TEST_F(StatusReportTest, MarkdownUnmeasuredIndicatorAndPlanIndicators) {
  in_.indicators = {MakeIndicator("p", v1::INDICATOR_DIRECTION_DECREASE, 9, 3)};
  const std::string en = RenderMarkdown(BuildStatusReport(in_), in_, Language::kEnglish);
  EXPECT_NE(en.find("## Indicators of the plan"), std::string::npos) << en;
  EXPECT_NE(en.find("| Indicator p | 9 (2022-01-01) | down to 3 (2026-12-31) | no measurement | - "
                    "| not measured |"),
            std::string::npos)
      << en;
  const std::string da = RenderMarkdown(BuildStatusReport(in_), in_, Language::kDanish);
  EXPECT_NE(da.find("## Planens indikatorer"), std::string::npos) << da;
  EXPECT_NE(da.find("| Indicator p | 9 (01.01.2022) | skal falde til 3 (31.12.2026) | "
                    "ingen måling | - | ikke målt |"),
            std::string::npos)
      << da;
}

TEST_F(StatusReportTest, PipesInTitlesAreEscaped) {
  in_.areas[0].set_title("Bolig | Hjem");
  in_.indicators = {MakeIndicator("up", v1::INDICATOR_DIRECTION_INCREASE, 1.5, 2.25, "a1")};
  in_.indicators[0].set_title("Andel | procent\ni alt");
  in_.indicators[0].set_unit("a|b");
  in_.measurements["up"] = {MakeMeasurement(MakeDate(2024, 3, 1), 2)};
  for (Language lang : {Language::kDanish, Language::kEnglish}) {
    const std::string md = RenderMarkdown(BuildStatusReport(in_), in_, lang);
    EXPECT_NE(md.find("## Bolig \\| Hjem"), std::string::npos) << md;
    bool found_row = false;
    for (absl::string_view line : absl::StrSplit(md, '\n')) {
      if (line.find("Andel") != absl::string_view::npos) {
        found_row = true;
        // Seven column separators, the user's pipes escaped.
        EXPECT_EQ(UnescapedPipes(std::string(line)), 7) << line;
        EXPECT_NE(line.find("Andel \\| procent i alt"), absl::string_view::npos) << line;
        EXPECT_NE(line.find(lang == Language::kDanish ? "1,5 a\\|b" : "1.5 a\\|b"),
                  absl::string_view::npos)
            << line;
      }
    }
    EXPECT_TRUE(found_row) << md;
  }
}

// The Markdown in Danish, the default: headings, status words and enum
// names as a Danish municipality writes them, figures with a decimal comma,
// and no English left over from the English report.
TEST_F(StatusReportTest, DanishMarkdownReadsAsAMunicipalStatus) {
  in_.plan.set_title("Plan for udsatteområdet 2018-2021");
  in_.plan.set_owner("Socialchefen og centerlederen for Center for Særlig Social Indsats");
  in_.plan.add_target_groups(helhed::common::v1::TARGET_GROUP_SOCIALLY_VULNERABLE);
  in_.plan.add_target_groups(helhed::common::v1::TARGET_GROUP_HOMELESSNESS);
  in_.year = 2021;
  in_.as_of = MakeDate(2021, 12, 31);
  v1::InitiativeArea& housing = in_.areas[0];
  housing.set_title("Fleksible og individuelle boligløsninger");
  housing.add_target_groups(helhed::common::v1::TARGET_GROUP_HOMELESSNESS);
  housing.add_target_groups(helhed::common::v1::TARGET_GROUP_YOUNG_ADULTS);
  housing.add_life_areas(helhed::common::v1::LIFE_AREA_LIVE);
  housing.add_life_areas(helhed::common::v1::LIFE_AREA_MASTER);
  housing.set_responsible_unit("Center for Særlig Social Indsats");
  in_.focus_area_ids = {"a1"};
  v1::Activity late = MakeActivity("late", "a1", v1::ACTIVITY_STATUS_IN_PROGRESS);
  late.set_title("Etablering af ACT-team");
  late.set_responsible("Center for Særlig Social Indsats");
  *late.mutable_due_date() = MakeDate(2021, 6, 30);
  v1::Activity done = MakeActivity("done", "a1", v1::ACTIVITY_STATUS_COMPLETED);
  v1::Activity paused = MakeActivity("paused", "a1", v1::ACTIVITY_STATUS_ON_HOLD);
  in_.activities = {late, done, paused};
  in_.progress["late"] = {MakeProgress(MakeDate(2021, 3, 1), "Teamet er bemandet."),
                          MakeProgress(MakeDate(2021, 9, 1), "Første borgere visiteret.")};
  // §110: should fall and has not moved (the "-0 %" case); §85: rose by a
  // fraction; a large figure for thousands.
  v1::Indicator forsorg =
      MakeIndicator("forsorg", v1::INDICATOR_DIRECTION_DECREASE, 157, 130, "a1");
  forsorg.set_title("Forsorgstilbud (§110)");
  forsorg.set_unit("borgere");
  v1::Indicator stoette = MakeIndicator("stoette", v1::INDICATOR_DIRECTION_INCREASE, 105, 120);
  stoette.set_title("Bostøtte (§85), timetakst");
  stoette.set_unit("borgere");
  v1::Indicator kroner = MakeIndicator("kr", v1::INDICATOR_DIRECTION_DECREASE, 1250000, 1000000);
  kroner.set_title("Udgifter til midlertidige boformer");
  kroner.set_unit("kr.");
  in_.indicators = {forsorg, stoette, kroner};
  in_.measurements["forsorg"] = {MakeMeasurement(MakeDate(2021, 12, 31), 157)};
  in_.measurements["stoette"] = {MakeMeasurement(MakeDate(2021, 12, 31), 112.5)};
  in_.measurements["kr"] = {MakeMeasurement(MakeDate(2021, 12, 31), 1187500.25)};
  const v1::StatusReport report = BuildStatusReport(in_);
  const std::string md = RenderMarkdown(report, in_, Language::kDanish);

  for (const char* expected : {
           "# Årlig status 2021: Plan for udsatteområdet 2018-2021\n",
           "Status på implementeringen af planen pr. 31. december 2021.",
           "- Ansvarlig for planen: Socialchefen og centerlederen for Center for Særlig Social "
           "Indsats",
           "- Målgruppe: socialt udsatte, hjemløshed",
           "## Sammenfatning",
           "- Indsatsområder: 2",
           "- Aktiviteter i alt: 3",
           "- Aktiviteter med fremdrift i 2021: 1",
           "- Forsinkede aktiviteter: 1",
           "- Indikatorer, hvor målet er nået: 0 af 3",
           "## Fleksible og individuelle boligløsninger (i fokus i 2021)",
           "- Spor: Engagement i dig",
           "- Målgruppe: hjemløshed, unge voksne (18-25 år)",
           "- Livsområder: at bo, at mestre",
           "- Ansvarlig: Center for Særlig Social Indsats",
           "Aktiviteter fordelt på status: ",
           "1 i gang",
           "1 implementeret og i drift",
           "1 sat i bero",
           "Fremdrift i 2021:",
           "- **Etablering af ACT-team** (i gang, 2 opdateringer): Første borgere visiteret.",
           "Forsinket:",
           "- **Etablering af ACT-team**, tidsfrist 30.06.2021 (i gang), ansvarlig: Center for "
           "Særlig Social Indsats",
           "## Beskæftigelse\n",
           "Ingen aktiviteter.",
           "Indikatorer:",
           "| Indikator | Baseline | Mål | Seneste måling | Fremdrift mod målet | Status |",
           "| Forsorgstilbud (§110) | 157 borgere (01.01.2022) | skal falde til 130 borgere "
           "(31.12.2026) | 157 borgere (31.12.2021) | 0 % (uændret) | endnu ikke nået |",
           "## Planens indikatorer",
           "| Bostøtte (§85), timetakst | 105 borgere (01.01.2022) | skal stige til 120 borgere "
           "(31.12.2026) | 112,5 borgere (31.12.2021) | 50 % (+7,5 borgere) | endnu ikke nået |",
           "| Udgifter til midlertidige boformer | 1.250.000 kr. (01.01.2022) | skal falde til "
           "1.000.000 kr. (31.12.2026) | 1.187.500,25 kr. (31.12.2021) | 25 % (-62.499,75 kr.) |",
       }) {
    EXPECT_NE(md.find(expected), std::string::npos) << "missing: " << expected << "\n" << md;
  }
  // Nothing of the English report, no enum tokens, no negative zero.
  for (const char* english : {"Status report", "As of",        "Summary",        "Initiative areas",
                              "Activities",    "Overdue",      "Track",          "Target",
                              "Indicator",     "Latest",       "Progress",       "target met",
                              "not yet",       "not measured", "no measurement", "What changed",
                              "update",        "due ",         "focus",          "planned",
                              "in progress",   "completed",    "on hold",        "cancelled",
                              "Responsible",   "Life areas",   "unchanged"}) {
    EXPECT_EQ(md.find(english), std::string::npos) << "English: " << english << "\n" << md;
  }
  for (const char* token :
       {"LIFE_AREA_", "TARGET_GROUP_", "ACTIVITY_STATUS_", "INDICATOR_DIRECTION_", "SITUATION_",
        "VULNERABILITY_", "-0 ", "-0,", "-0%", "[["}) {
    EXPECT_EQ(md.find(token), std::string::npos) << "token: " << token << "\n" << md;
  }

  // The same report asked for in English.
  const std::string en = RenderMarkdown(report, in_, Language::kEnglish);
  for (const char* expected : {
           "# Status report 2021: Plan for udsatteområdet 2018-2021\n",
           "Progress of the plan as of 31 December 2021.",
           "- Target groups: socially vulnerable",
           "## Fleksible og individuelle boligløsninger (focus 2021)",
           "- Life areas: to live, to master",
           "- Responsible: Center for Særlig Social Indsats",
           "1 in progress",
           "(in progress, 2 updates): Første borgere visiteret.",
           "- **Etablering af ACT-team**, due 2021-06-30 (in progress), responsible: Center for "
           "Særlig Social Indsats",
           "| Forsorgstilbud (§110) | 157 borgere (2022-01-01) | down to 130 borgere (2026-12-31) "
           "| "
           "157 borgere (2021-12-31) | 0% (unchanged) | not yet |",
           "| 1,250,000 kr. (2022-01-01) | down to 1,000,000 kr. (2026-12-31) | 1,187,500.25 kr. "
           "(2021-12-31) | 25% (-62,499.75 kr.) |",
       }) {
    EXPECT_NE(en.find(expected), std::string::npos) << "missing: " << expected << "\n" << en;
  }
  for (const char* danish : {"Årlig status", "Sammenfatning", "Forsinket", "tidsfrist",
                             "skal falde", "uændret", "i gang", "Planens indikatorer"}) {
    EXPECT_EQ(en.find(danish), std::string::npos) << "Danish: " << danish << "\n" << en;
  }
}

TEST_F(StatusReportTest, IndicatorThatReachedItsTargetAndOneThatWentTheWrongWay) {
  in_.indicators = {MakeIndicator("met", v1::INDICATOR_DIRECTION_DECREASE, 10, 8),
                    MakeIndicator("worse", v1::INDICATOR_DIRECTION_INCREASE, 10, 20)};
  in_.measurements["met"] = {MakeMeasurement(MakeDate(2024, 3, 1), 7.996)};
  in_.measurements["worse"] = {MakeMeasurement(MakeDate(2024, 3, 1), 9)};
  const std::string md = RenderMarkdown(BuildStatusReport(in_), in_, Language::kDanish);
  // 7.996 is shown to two decimals as 8; its progress rounds to 100 %.
  EXPECT_NE(md.find("| 8 (01.03.2024) | 100 % (-2) | målet er nået |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 9 (01.03.2024) | -10 % (-1) | endnu ikke nået |"), std::string::npos) << md;
  EXPECT_NE(md.find("- Indikatorer, hvor målet er nået: 1 af 2"), std::string::npos) << md;
}

// ---------------------------------------------------------------------------
// FindStaleItems

TEST(FindStaleItemsTest, OldUntouchedItemsLongestFirst) {
  const absl::Time now = Day(2024, 6, 1);
  v1::Activity fresh = MakeActivity("fresh", "a1", v1::ACTIVITY_STATUS_IN_PROGRESS);
  *fresh.mutable_create_time() = Ts(now - absl::Hours(24 * 10));
  v1::Activity old = MakeActivity("old", "a1", v1::ACTIVITY_STATUS_PLANNED);
  *old.mutable_create_time() = Ts(now - absl::Hours(24 * 100));
  v1::Activity older_but_updated = MakeActivity("updated", "a2", v1::ACTIVITY_STATUS_PLANNED);
  *older_but_updated.mutable_create_time() = Ts(now - absl::Hours(24 * 400));
  *older_but_updated.mutable_last_progress_time() = Ts(now - absl::Hours(24 * 5));
  v1::Activity oldest = MakeActivity("oldest", "a2", v1::ACTIVITY_STATUS_ON_HOLD);
  *oldest.mutable_create_time() = Ts(now - absl::Hours(24 * 300));
  *oldest.mutable_last_progress_time() = Ts(now - absl::Hours(24 * 200));
  v1::Activity done = MakeActivity("done", "a1", v1::ACTIVITY_STATUS_COMPLETED);
  *done.mutable_create_time() = Ts(now - absl::Hours(24 * 500));
  v1::Activity cancelled = MakeActivity("cancelled", "a1", v1::ACTIVITY_STATUS_CANCELLED);
  *cancelled.mutable_create_time() = Ts(now - absl::Hours(24 * 500));

  v1::Indicator measured = MakeIndicator("measured", v1::INDICATOR_DIRECTION_INCREASE, 0, 1, "a1");
  *measured.mutable_create_time() = Ts(now - absl::Hours(24 * 365));
  *measured.mutable_last_measurement_time() = Ts(now - absl::Hours(24 * 150));
  v1::Indicator recent = MakeIndicator("recent", v1::INDICATOR_DIRECTION_INCREASE, 0, 1);
  *recent.mutable_create_time() = Ts(now - absl::Hours(24 * 365));
  *recent.mutable_last_measurement_time() = Ts(now - absl::Hours(24 * 1));

  auto items = FindStaleItems({fresh, old, older_but_updated, oldest, done, cancelled},
                              {measured, recent}, now, 90);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].id(), "oldest");
  EXPECT_EQ(items[0].kind(), v1::STALE_ITEM_KIND_ACTIVITY);
  EXPECT_EQ(items[0].days_since_update(), 200);
  EXPECT_EQ(items[0].initiative_area_id(), "a2");
  EXPECT_EQ(items[1].id(), "measured");
  EXPECT_EQ(items[1].kind(), v1::STALE_ITEM_KIND_INDICATOR);
  EXPECT_EQ(items[1].days_since_update(), 150);
  EXPECT_EQ(items[2].id(), "old");
  EXPECT_EQ(items[2].days_since_update(), 100);
  EXPECT_EQ(items[2].title(), "Activity old");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(items[2].last_update_time()),
            absl::ToUnixMicros(now - absl::Hours(24 * 100)));
}

TEST(FindStaleItemsTest, Threshold) {
  const absl::Time now = Day(2024, 6, 1);
  v1::Activity a = MakeActivity("a", "x", v1::ACTIVITY_STATUS_PLANNED);
  *a.mutable_create_time() = Ts(now - absl::Hours(24 * 30) + absl::Minutes(1));  // 29.99 days
  EXPECT_TRUE(FindStaleItems({a}, {}, now, 30).empty());
  *a.mutable_create_time() = Ts(now - absl::Hours(24 * 30));
  EXPECT_EQ(FindStaleItems({a}, {}, now, 30).size(), 1u);
}

}  // namespace
}  // namespace helhed::plans
