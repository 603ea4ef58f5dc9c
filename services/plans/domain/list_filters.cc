#include "services/plans/domain/list_filters.h"

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"
#include "common/store/paging.h"

namespace helhed::plans {
namespace {

using helhed::common::v1::LifeArea_IsValid;
using helhed::common::v1::TargetGroup_IsValid;

absl::StatusOr<ListFilter> Done(FieldViolations& v, ListFilter f) {
  absl::Status s = v.ToStatus();
  if (!s.ok()) {
    return s;
  }
  return f;
}

}  // namespace

absl::StatusOr<ListFilter> FilterOf(const v1::ListPoliciesRequest& r) {
  FieldViolations v;
  Validator(v).Year("year", r.year(), false);
  ListFilter f;
  f.year = r.year();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListPlansRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("policy_id", r.policy_id(), false);
  c.Year("year", r.year(), false);
  c.Enum("target_group", r.target_group(), TargetGroup_IsValid, false);
  ListFilter f;
  f.parent_id = r.policy_id();
  f.year = r.year();
  if (r.target_group() != 0) {
    f.tag = absl::StrCat("tg:", r.target_group());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListTracksRequest& r) {
  FieldViolations v;
  Validator(v).Id("plan_id", r.plan_id(), true);
  ListFilter f;
  f.parent_id = r.plan_id();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListInitiativeAreasRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("plan_id", r.plan_id(), false);
  c.Id("track_id", r.track_id(), false);
  c.Enum("target_group", r.target_group(), TargetGroup_IsValid, false);
  c.Enum("life_area", r.life_area(), LifeArea_IsValid, false);
  if (!r.sdg_target().empty()) {
    c.SdgTarget("sdg_target", r.sdg_target());
  }
  c.Year("focus_year", r.focus_year(), false);
  if (r.focus_year() != 0 && r.plan_id().empty()) {
    c.Add("plan_id", i18n::Later("validation.field.required_with", {{"other", "focus_year"}}));
  }
  const int filters = (r.target_group() != 0) + (r.life_area() != 0) + !r.sdg_target().empty();
  if (filters > 1) {
    c.Add("target_group", i18n::Later("validation.filter.one_of_three", {{"first", "target_group"},
                                                                         {"second", "life_area"},
                                                                         {"third", "sdg_target"}}));
  }
  ListFilter f;
  f.parent_id = r.plan_id();
  f.ref_id = r.track_id();
  f.focus_year = r.focus_year();
  if (r.target_group() != 0) {
    f.tag = absl::StrCat("tg:", r.target_group());
  } else if (r.life_area() != 0) {
    f.tag = absl::StrCat("la:", r.life_area());
  } else if (!r.sdg_target().empty()) {
    f.tag = absl::StrCat("sdg:", r.sdg_target());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListActivitiesRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("initiative_area_id", r.initiative_area_id(), false);
  c.Id("plan_id", r.plan_id(), false);
  c.Enum("status", r.status(), v1::ActivityStatus_IsValid, false);
  c.Year("year", r.year(), false);
  ListFilter f;
  f.parent_id = r.initiative_area_id();
  f.ref_id = r.plan_id();
  f.has_status = r.status() != 0;
  f.status = r.status();
  f.year = r.year();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListIndicatorsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("plan_id", r.plan_id(), false);
  c.Id("initiative_area_id", r.initiative_area_id(), false);
  ListFilter f;
  f.parent_id = r.plan_id();
  f.ref_id = r.initiative_area_id();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListCitizenPlansRequest& r) {
  FieldViolations v;
  if (!r.citizen_id().empty()) {
    Validator(v).CitizenId("citizen_id", r.citizen_id());
  }
  ListFilter f;
  f.citizen_id = r.citizen_id();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListGoalsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("citizen_plan_id", r.citizen_plan_id(), true);
  c.Enum("life_area", r.life_area(), LifeArea_IsValid, false);
  ListFilter f;
  f.parent_id = r.citizen_plan_id();
  if (r.life_area() != 0) {
    f.tag = absl::StrCat("la:", r.life_area());
  }
  f.has_status = r.active_only();
  f.status = 1;
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<ListFilter> FilterOf(const v1::ListActionsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("goal_id", r.goal_id(), true);
  c.Enum("performer", r.performer(), v1::ActionPerformer_IsValid, false);
  ListFilter f;
  f.parent_id = r.goal_id();
  f.has_status = r.performer() != 0;
  f.status = r.performer();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

}  // namespace helhed::plans
