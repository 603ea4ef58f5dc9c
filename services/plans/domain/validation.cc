#include "services/plans/domain/validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"

namespace helhed::plans {
namespace {

using helhed::common::v1::LifeArea_IsValid;
using helhed::common::v1::TargetGroup_IsValid;

constexpr long kTitle = 200;
constexpr long kText = 4000;
constexpr long kLine = 200;
constexpr int kListItems = 50;

void DatedValue(Validator& c, const std::string& f, bool present, const v1::DatedValue& d,
                bool required) {
  if (!present) {
    if (required) {
      c.Add(f, i18n::Later("validation.field.required"));
    }
    return;
  }
  c.Date(f + ".date", d.has_date(), d.date(), /*required=*/true);
  c.Finite(f + ".value", d.value());
}

}  // namespace

void ValidatePolicy(const v1::Policy& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Title(p + ".title", m.title(), kTitle);
  c.Period(p + ".period", m.has_period(), m.period(), /*required=*/true);
  c.Text(p + ".summary", m.summary(), kText);
  c.Lines(p + ".values", m.values(), kListItems, kLine);
  c.Lines(p + ".focus_areas", m.focus_areas(), kListItems, kLine);
  c.Line(p + ".owner", m.owner(), kLine);
}

void ValidatePlan(const v1::Plan& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".policy_id", m.policy_id(), /*required=*/true);
  c.Title(p + ".title", m.title(), kTitle);
  c.Period(p + ".period", m.has_period(), m.period(), /*required=*/true);
  c.Line(p + ".owner", m.owner(), kLine);
  c.Text(p + ".mission", m.mission(), kText);
  c.Text(p + ".vision", m.vision(), kText);
  c.Text(p + ".summary", m.summary(), kText);
  c.EnumList(p + ".target_groups", m.target_groups(), TargetGroup_IsValid, 20);
}

void ValidateTrack(const v1::Track& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".plan_id", m.plan_id(), /*required=*/true);
  c.Title(p + ".title", m.title(), kTitle);
  c.Text(p + ".description", m.description(), kText);
  c.Range(p + ".position", m.position(), 0, 1000);
}

void ValidateInitiativeArea(const v1::InitiativeArea& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".plan_id", m.plan_id(), /*required=*/true);
  c.Id(p + ".track_id", m.track_id(), /*required=*/false);
  c.Title(p + ".title", m.title(), kTitle);
  c.Text(p + ".purpose", m.purpose(), kText);
  c.Text(p + ".why", m.why(), kText);
  c.Text(p + ".goal", m.goal(), kText);
  c.EnumList(p + ".target_groups", m.target_groups(), TargetGroup_IsValid, 20);
  c.EnumList(p + ".life_areas", m.life_areas(), LifeArea_IsValid, 3);
  if (m.sdg_targets_size() > 20) {
    c.Add(p + ".sdg_targets", i18n::Later("validation.list.max_items", {{"max", "20"}}));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < m.sdg_targets_size(); ++i) {
      const std::string f = absl::StrCat(p, ".sdg_targets[", i, "].code");
      const size_t before = v.violations().size();
      c.SdgTarget(f, m.sdg_targets(i).code());
      if (v.violations().size() == before && !seen.insert(m.sdg_targets(i).code()).second) {
        c.Add(f, i18n::Later("validation.field.duplicate"));
      }
    }
  }
  c.Line(p + ".responsible_unit", m.responsible_unit(), kLine);
  c.Lines(p + ".working_group", m.working_group(), kListItems, kLine);
  c.Lines(p + ".departments", m.departments(), kListItems, kLine);
  c.Range(p + ".position", m.position(), 0, 1000);
}

void ValidateActivity(const v1::Activity& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".initiative_area_id", m.initiative_area_id(), /*required=*/true);
  c.Title(p + ".title", m.title(), kTitle);
  c.Text(p + ".description", m.description(), kText);
  c.Enum(p + ".status", m.status(), v1::ActivityStatus_IsValid, /*required=*/true);
  c.Date(p + ".start_date", m.has_start_date(), m.start_date(), false);
  c.Date(p + ".due_date", m.has_due_date(), m.due_date(), false);
  if (m.has_start_date() && m.has_due_date()) {
    c.NotBefore(p + ".due_date", m.due_date(), m.start_date());
  }
  c.Line(p + ".responsible", m.responsible(), kLine);
}

void ValidateIndicator(const v1::Indicator& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".plan_id", m.plan_id(), /*required=*/true);
  c.Id(p + ".initiative_area_id", m.initiative_area_id(), /*required=*/false);
  c.Title(p + ".title", m.title(), kTitle);
  c.Text(p + ".description", m.description(), kText);
  c.Line(p + ".unit", m.unit(), 50);
  c.Enum(p + ".direction", m.direction(), v1::IndicatorDirection_IsValid, /*required=*/true);
  DatedValue(c, p + ".baseline", m.has_baseline(), m.baseline(), true);
  DatedValue(c, p + ".target", m.has_target(), m.target(), true);
  if (m.has_baseline() && m.has_target()) {
    c.NotBefore(p + ".target.date", m.target().date(), m.baseline().date());
  }
}

void ValidateCitizenPlan(const v1::CitizenPlan& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.CitizenId(p + ".citizen_id", m.citizen_id());
  c.Text(p + ".hopes", m.hopes(), 8000);
}

void ValidateGoal(const v1::Goal& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".citizen_plan_id", m.citizen_plan_id(), /*required=*/true);
  c.Text(p + ".description", m.description(), 2000, /*required=*/true);
  c.Enum(p + ".life_area", m.life_area(), helhed::common::v1::LifeArea_IsValid, true);
  c.Id(p + ".initiative_area_id", m.initiative_area_id(), /*required=*/false);
  c.Date(p + ".target_date", m.has_target_date(), m.target_date(), false);
}

void ValidateAction(const v1::Action& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".goal_id", m.goal_id(), /*required=*/true);
  c.Text(p + ".description", m.description(), 2000, /*required=*/true);
  c.Enum(p + ".performer", m.performer(), v1::ActionPerformer_IsValid, true);
  c.Date(p + ".due_date", m.has_due_date(), m.due_date(), false);
}

void ValidateProgress(const v1::ActivityProgress& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Date(p + ".update_date", m.has_update_date(), m.update_date(), true);
  c.Text(p + ".note", m.note(), kText, /*required=*/true);
  c.Enum(p + ".new_status", m.new_status(), v1::ActivityStatus_IsValid, false);
}

void ValidateMeasurement(const v1::Measurement& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  DatedValue(c, p + ".value", m.has_value(), m.value(), true);
  c.Line(p + ".source", m.source(), 500);
  c.Text(p + ".note", m.note(), kText);
}

void ValidateAssessment(const v1::Assessment& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Date(p + ".assessment_date", m.has_assessment_date(), m.assessment_date(), true);
  c.Range(p + ".score", m.score(), 1, 5);
  c.Text(p + ".note", m.note(), kText);
  c.Enum(p + ".outcome", m.outcome(), v1::GoalOutcome_IsValid, false);
}

void ValidateYearlyFocus(const v1::YearlyFocus& m, const std::string& p, FieldViolations& v) {
  Validator c(v);
  c.Id(p + ".plan_id", m.plan_id(), /*required=*/true);
  c.Year(p + ".year", m.year(), /*required=*/true);
  if (m.initiative_area_ids_size() > 100) {
    c.Add(p + ".initiative_area_ids", i18n::Later("validation.list.max_items", {{"max", "100"}}));
  }
  std::set<std::string> seen;
  for (int i = 0; i < m.initiative_area_ids_size() && i < 100; ++i) {
    const std::string f = absl::StrCat(p, ".initiative_area_ids[", i, "]");
    c.Id(f, m.initiative_area_ids(i), true);
    if (!seen.insert(m.initiative_area_ids(i)).second) {
      c.Add(f, i18n::Later("validation.field.duplicate"));
    }
  }
  c.Text(p + ".rationale", m.rationale(), kText);
}

}  // namespace helhed::plans
