// Tests of services/plans/domain/list_filters: List requests become
// validated filters; bad filters name the request field.
#include "services/plans/domain/list_filters.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/field_violations.h"
#include "gtest/gtest.h"

namespace helhed::plans {
namespace {

using helhed::common::v1::LIFE_AREA_BE;
using helhed::common::v1::TARGET_GROUP_AUTISM;

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& f : FieldViolationsOf(s)) {
    out.push_back(f.field);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PageOfTest, DefaultsAndBounds) {
  helhed::common::v1::PageRequest r;
  auto p = PageOf(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size, 50);
  EXPECT_EQ(p->token, "");
  r.set_page_size(7);
  r.set_page_token("tok");
  p = PageOf(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size, 7);
  EXPECT_EQ(p->token, "tok");
  r.set_page_size(501);
  EXPECT_EQ(BadFields(PageOf(r).status()), std::vector<std::string>{"page.page_size"});
  r.set_page_size(-1);
  EXPECT_EQ(BadFields(PageOf(r).status()), std::vector<std::string>{"page.page_size"});
}

TEST(ListFiltersTest, Policies) {
  v1::ListPoliciesRequest r;
  r.set_year(2024);
  r.set_include_archived(true);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->year, 2024);
  EXPECT_TRUE(f->include_archived);
  r.set_year(99);
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"year"});
}

TEST(ListFiltersTest, Plans) {
  v1::ListPlansRequest r;
  r.set_policy_id("pol-1");
  r.set_year(2022);
  r.set_target_group(TARGET_GROUP_AUTISM);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "pol-1");
  EXPECT_EQ(f->year, 2022);
  EXPECT_EQ(f->tag, "tg:3");
  EXPECT_FALSE(f->include_archived);

  v1::ListPlansRequest none;
  f = FilterOf(none);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->tag, "");
  EXPECT_EQ(f->parent_id, "");

  v1::ListPlansRequest bad;
  bad.set_policy_id("no spaces allowed");
  bad.set_year(3000);
  bad.set_target_group(static_cast<helhed::common::v1::TargetGroup>(99));
  EXPECT_EQ(BadFields(FilterOf(bad).status()),
            (std::vector<std::string>{"policy_id", "target_group", "year"}));
}

TEST(ListFiltersTest, TracksNeedAPlan) {
  v1::ListTracksRequest r;
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"plan_id"});
  r.set_plan_id("plan-1");
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->parent_id, "plan-1");
}

TEST(ListFiltersTest, InitiativeAreaTags) {
  v1::ListInitiativeAreasRequest r;
  r.set_plan_id("plan-1");
  r.set_track_id("track-1");
  r.set_life_area(LIFE_AREA_BE);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "plan-1");
  EXPECT_EQ(f->ref_id, "track-1");
  EXPECT_EQ(f->tag, "la:2");

  v1::ListInitiativeAreasRequest sdg;
  sdg.set_sdg_target("10.2");
  f = FilterOf(sdg);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->tag, "sdg:10.2");

  v1::ListInitiativeAreasRequest tg;
  tg.set_target_group(TARGET_GROUP_AUTISM);
  f = FilterOf(tg);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->tag, "tg:3");
}

TEST(ListFiltersTest, InitiativeAreaBadFilters) {
  v1::ListInitiativeAreasRequest r;
  r.set_sdg_target("18.1");
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"sdg_target"});

  v1::ListInitiativeAreasRequest two;
  two.set_target_group(TARGET_GROUP_AUTISM);
  two.set_sdg_target("10.2");
  EXPECT_EQ(BadFields(FilterOf(two).status()), std::vector<std::string>{"target_group"});

  v1::ListInitiativeAreasRequest focus;
  focus.set_focus_year(2024);  // without plan_id
  EXPECT_EQ(BadFields(FilterOf(focus).status()), std::vector<std::string>{"plan_id"});
  focus.set_plan_id("plan-1");
  auto f = FilterOf(focus);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->focus_year, 2024);

  v1::ListInitiativeAreasRequest all;
  all.set_plan_id("a b");
  all.set_track_id("c/d");
  all.set_life_area(static_cast<helhed::common::v1::LifeArea>(9));
  all.set_focus_year(1);
  EXPECT_EQ(BadFields(FilterOf(all).status()),
            (std::vector<std::string>{"focus_year", "life_area", "plan_id", "track_id"}));
}

TEST(ListFiltersTest, Activities) {
  v1::ListActivitiesRequest r;
  r.set_initiative_area_id("area-1");
  r.set_plan_id("plan-1");
  r.set_status(v1::ACTIVITY_STATUS_ON_HOLD);
  r.set_year(2025);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "area-1");
  EXPECT_EQ(f->ref_id, "plan-1");
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, v1::ACTIVITY_STATUS_ON_HOLD);
  EXPECT_EQ(f->year, 2025);

  v1::ListActivitiesRequest any;
  f = FilterOf(any);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_status);

  v1::ListActivitiesRequest bad;
  bad.set_status(static_cast<v1::ActivityStatus>(8));
  bad.set_year(-1);
  EXPECT_EQ(BadFields(FilterOf(bad).status()), (std::vector<std::string>{"status", "year"}));
}

TEST(ListFiltersTest, Indicators) {
  v1::ListIndicatorsRequest r;
  r.set_plan_id("plan-1");
  r.set_initiative_area_id("area-1");
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->parent_id, "plan-1");
  EXPECT_EQ(f->ref_id, "area-1");
  r.set_initiative_area_id("%");
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"initiative_area_id"});
}

TEST(ListFiltersTest, CitizenPlans) {
  v1::ListCitizenPlansRequest r;
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->citizen_id, "");
  r.set_citizen_id("c-1");
  f = FilterOf(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->citizen_id, "c-1");
  r.set_citizen_id("010190-1234 Jens");
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"citizen_id"});
}

TEST(ListFiltersTest, Goals) {
  v1::ListGoalsRequest r;
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"citizen_plan_id"});
  r.set_citizen_plan_id("cp-1");
  r.set_life_area(LIFE_AREA_BE);
  r.set_active_only(true);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "cp-1");
  EXPECT_EQ(f->tag, "la:2");
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, 1);
  r.set_active_only(false);
  f = FilterOf(r);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_status);
}

TEST(ListFiltersTest, Actions) {
  v1::ListActionsRequest r;
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"goal_id"});
  r.set_goal_id("g-1");
  r.set_performer(v1::ACTION_PERFORMER_VOLUNTEER);
  auto f = FilterOf(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->parent_id, "g-1");
  EXPECT_TRUE(f->has_status);
  EXPECT_EQ(f->status, v1::ACTION_PERFORMER_VOLUNTEER);
  r.set_performer(static_cast<v1::ActionPerformer>(77));
  EXPECT_EQ(BadFields(FilterOf(r).status()), std::vector<std::string>{"performer"});
}

}  // namespace
}  // namespace helhed::plans
