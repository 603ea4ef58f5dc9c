#include "services/plans/plans_store.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "common/store/resources.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/plans/domain/status_report.h"
#include "services/plans/domain/validation.h"

namespace helhed::store {

namespace v1 = ::helhed::plans::v1;

// ---------------------------------------------------------------------------
// Per-kind rules of the plans service: table, validation, output-only and
// immutable fields, references, projection.

template <>
struct Kind<v1::Policy> {
  static constexpr const char* kTable = "policies";
  static constexpr const char* kName = "policy";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::Policy&) {}
  static void Validate(const v1::Policy& m, FieldViolations& v) {
    plans::ValidatePolicy(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, v1::Policy& m,
                                            bool = true) {
    Projection p;
    p.start_year = m.period().start_year();
    p.end_year = m.period().end_year();
    return p;
  }
};

template <>
struct Kind<v1::Plan> {
  static constexpr const char* kTable = "plans";
  static constexpr const char* kName = "plan";
  static std::vector<std::string> Immutable() { return {"policy_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::Plan&) {}
  static void Validate(const v1::Plan& m, FieldViolations& v) { plans::ValidatePlan(m, kName, v); }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni, v1::Plan& m,
                                            bool check_refs = true) {
    if (check_refs) {
      HELHED_RETURN_IF_ERROR(
          Require<v1::Policy>(c, muni, m.policy_id(), "plan.policy_id").status());
    }
    Projection p;
    p.parent_id = m.policy_id();
    p.start_year = m.period().start_year();
    p.end_year = m.period().end_year();
    AddTags(p.tags, m.target_groups(), "tg:");
    return p;
  }
};

template <>
struct Kind<v1::Track> {
  static constexpr const char* kTable = "tracks";
  static constexpr const char* kName = "track";
  static std::vector<std::string> Immutable() { return {"plan_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::Track&) {}
  static void Validate(const v1::Track& m, FieldViolations& v) {
    plans::ValidateTrack(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni, v1::Track& m,
                                            bool check_refs = true) {
    if (check_refs) {
      HELHED_RETURN_IF_ERROR(Require<v1::Plan>(c, muni, m.plan_id(), "track.plan_id").status());
    }
    Projection p;
    p.parent_id = m.plan_id();
    return p;
  }
};

template <>
struct Kind<v1::InitiativeArea> {
  static constexpr const char* kTable = "initiative_areas";
  static constexpr const char* kName = "initiative_area";
  static std::vector<std::string> Immutable() { return {"plan_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::InitiativeArea&) {}
  static void Validate(const v1::InitiativeArea& m, FieldViolations& v) {
    plans::ValidateInitiativeArea(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            v1::InitiativeArea& m, bool check_refs = true) {
    if (check_refs) {
      HELHED_RETURN_IF_ERROR(
          Require<v1::Plan>(c, muni, m.plan_id(), "initiative_area.plan_id").status());
    }
    if (check_refs && !m.track_id().empty()) {
      HELHED_ASSIGN_OR_RETURN(
          auto track, Require<v1::Track>(c, muni, m.track_id(), "initiative_area.track_id"));
      if (track.msg.plan_id() != m.plan_id()) {
        return InvalidField("initiative_area.track_id",
                            i18n::Later("validation.plans.track_of_other_plan"));
      }
    }
    Projection p;
    p.parent_id = m.plan_id();
    p.ref_id = m.track_id();
    AddTags(p.tags, m.target_groups(), "tg:");
    AddTags(p.tags, m.life_areas(), "la:");
    for (const auto& s : m.sdg_targets()) {
      p.tags.push_back(absl::StrCat("sdg:", s.code()));
    }
    return p;
  }
};

template <>
struct Kind<v1::Activity> {
  static constexpr const char* kTable = "activities";
  static constexpr const char* kName = "activity";
  static std::vector<std::string> Immutable() { return {"initiative_area_id"}; }
  static std::vector<std::string> Outputs() { return {"plan_id", "last_progress_time"}; }
  static void ClearOutputs(v1::Activity& m) {
    m.clear_plan_id();
    m.clear_last_progress_time();
  }
  static void Validate(const v1::Activity& m, FieldViolations& v) {
    plans::ValidateActivity(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni, v1::Activity& m,
                                            bool check_refs = true) {
    if (check_refs) {
      HELHED_ASSIGN_OR_RETURN(auto area,
                              Require<v1::InitiativeArea>(c, muni, m.initiative_area_id(),
                                                          "activity.initiative_area_id"));
      m.set_plan_id(area.msg.plan_id());
    }
    Projection p;
    p.parent_id = m.initiative_area_id();
    p.ref_id = m.plan_id();
    p.status = m.status();
    p.start_year = m.has_start_date() ? m.start_date().year() : 0;
    p.end_year = m.has_due_date() ? m.due_date().year() : 0;
    return p;
  }
};

template <>
struct Kind<v1::Indicator> {
  static constexpr const char* kTable = "indicators";
  static constexpr const char* kName = "indicator";
  static std::vector<std::string> Immutable() { return {"plan_id"}; }
  static std::vector<std::string> Outputs() { return {"latest", "last_measurement_time"}; }
  static void ClearOutputs(v1::Indicator& m) {
    m.clear_latest();
    m.clear_last_measurement_time();
  }
  static void Validate(const v1::Indicator& m, FieldViolations& v) {
    plans::ValidateIndicator(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            v1::Indicator& m, bool check_refs = true) {
    if (check_refs) {
      HELHED_RETURN_IF_ERROR(Require<v1::Plan>(c, muni, m.plan_id(), "indicator.plan_id").status());
    }
    if (check_refs && !m.initiative_area_id().empty()) {
      HELHED_ASSIGN_OR_RETURN(auto area,
                              Require<v1::InitiativeArea>(c, muni, m.initiative_area_id(),
                                                          "indicator.initiative_area_id"));
      if (area.msg.plan_id() != m.plan_id()) {
        return InvalidField("indicator.initiative_area_id",
                            i18n::Later("validation.plans.area_of_other_plan"));
      }
    }
    Projection p;
    p.parent_id = m.plan_id();
    p.ref_id = m.initiative_area_id();
    return p;
  }
};

template <>
struct Kind<v1::CitizenPlan> {
  static constexpr const char* kTable = "citizen_plans";
  static constexpr const char* kListKey = "citizen_plans_list";  // migration 0002
  static constexpr const char* kName = "citizen_plan";
  static std::vector<std::string> Immutable() { return {"citizen_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::CitizenPlan&) {}
  static void Validate(const v1::CitizenPlan& m, FieldViolations& v) {
    plans::ValidateCitizenPlan(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, v1::CitizenPlan& m,
                                            bool = true) {
    Projection p;
    p.citizen_id = m.citizen_id();
    return p;
  }
};

template <>
struct Kind<v1::Goal> {
  static constexpr const char* kTable = "goals";
  static constexpr const char* kName = "goal";
  static std::vector<std::string> Immutable() { return {"citizen_plan_id"}; }
  static std::vector<std::string> Outputs() { return {"outcome", "active"}; }
  static void ClearOutputs(v1::Goal& m) {
    m.clear_outcome();
    m.set_active(true);
  }
  static void Validate(const v1::Goal& m, FieldViolations& v) { plans::ValidateGoal(m, kName, v); }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni, v1::Goal& m,
                                            bool check_refs = true) {
    Projection p;
    if (check_refs) {
      HELHED_ASSIGN_OR_RETURN(auto plan, Require<v1::CitizenPlan>(c, muni, m.citizen_plan_id(),
                                                                  "goal.citizen_plan_id"));
      p.citizen_id = plan.msg.citizen_id();
    }
    if (check_refs && !m.initiative_area_id().empty()) {
      HELHED_RETURN_IF_ERROR(
          Require<v1::InitiativeArea>(c, muni, m.initiative_area_id(), "goal.initiative_area_id")
              .status());
    }
    p.parent_id = m.citizen_plan_id();
    p.ref_id = m.initiative_area_id();
    p.status = m.active() ? 1 : 0;
    p.tags.push_back(absl::StrCat("la:", m.life_area()));
    return p;
  }
};

template <>
struct Kind<v1::Action> {
  static constexpr const char* kTable = "actions";
  static constexpr const char* kName = "action";
  static std::vector<std::string> Immutable() { return {"goal_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(v1::Action&) {}
  static void Validate(const v1::Action& m, FieldViolations& v) {
    plans::ValidateAction(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni, v1::Action& m,
                                            bool check_refs = true) {
    Projection p;
    if (check_refs) {
      HELHED_ASSIGN_OR_RETURN(auto goal, Require<v1::Goal>(c, muni, m.goal_id(), "action.goal_id"));
      p.citizen_id = goal.citizen_id;
    }
    p.parent_id = m.goal_id();
    p.status = m.performer();
    return p;
  }
};

}  // namespace helhed::store

namespace helhed::plans {
namespace {

using helhed::common::v1::RESOURCE_STATE_ACTIVE;
using helhed::common::v1::RESOURCE_STATE_ARCHIVED;
using store::Connection;
using store::Corrupt;
using store::Etag;
using store::FindEntry;
using store::ForUpdate;
using store::InsertEntry;
using store::Kind;
using store::ListEntries;
using store::ListFilter;
using store::Load;
using store::Micros;
using store::Page;
using store::Projection;
using store::Replace;
using store::Rows;
using store::SelectAll;
using store::Ts;

absl::StatusOr<bool> LoadFocus(Connection& c, const std::string& muni, const std::string& plan_id,
                               int year, v1::YearlyFocus* out);

constexpr char kProgress[] = "progress";
constexpr char kMeasurement[] = "measurement";
constexpr char kAssessment[] = "assessment";

}  // namespace

// ---------------------------------------------------------------------------
// Generic resource operations (common/store/resources.h).

template <typename T>
absl::Status PlansStore::Create(const std::string& muni, const T& resource,
                                const std::string& request_id, T* out) {
  return store::CreateResource(db_, Now(), muni, resource, request_id, out);
}

template <typename T>
absl::Status PlansStore::Get(const std::string& muni, const std::string& id, T* out) {
  return store::GetResource(db_, muni, id, out);
}

template <typename T>
absl::Status PlansStore::Update(const std::string& muni, const T& patch,
                                const google::protobuf::FieldMask& mask, T* out) {
  return store::UpdateResource(db_, Now(), muni, patch, mask, out);
}

template <typename T>
absl::Status PlansStore::Archive(const std::string& muni, const std::string& id,
                                 const std::string& etag, T* out) {
  return store::ArchiveResource(db_, Now(), muni, id, etag, out);
}

template <typename T>
absl::Status PlansStore::List(const std::string& muni, const ListFilter& filter, const Page& page,
                              google::protobuf::RepeatedPtrField<T>* out, std::string* next) {
  ListFilter f = filter;
  if (f.focus_year != 0) {
    // The year's focus decides which areas qualify.
    HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
      v1::YearlyFocus focus;
      HELHED_ASSIGN_OR_RETURN(bool found, LoadFocus(c, muni, f.parent_id, f.focus_year, &focus));
      f.restrict_ids = true;
      if (found) {
        f.ids.assign(focus.initiative_area_ids().begin(), focus.initiative_area_ids().end());
      }
      return absl::OkStatus();
    }));
  }
  return store::ListResources(db_, tokens_, muni, f, page, out, next);
}

#define HELHED_PLANS_INSTANTIATE(T)                                                             \
  template absl::Status PlansStore::Create<T>(const std::string&, const T&, const std::string&, \
                                              T*);                                              \
  template absl::Status PlansStore::Get<T>(const std::string&, const std::string&, T*);         \
  template absl::Status PlansStore::Update<T>(const std::string&, const T&,                     \
                                              const google::protobuf::FieldMask&, T*);          \
  template absl::Status PlansStore::Archive<T>(const std::string&, const std::string&,          \
                                               const std::string&, T*);                         \
  template absl::Status PlansStore::List<T>(const std::string&, const ListFilter&, const Page&, \
                                            google::protobuf::RepeatedPtrField<T>*, std::string*);
HELHED_PLANS_INSTANTIATE(v1::Policy)
HELHED_PLANS_INSTANTIATE(v1::Plan)
HELHED_PLANS_INSTANTIATE(v1::Track)
HELHED_PLANS_INSTANTIATE(v1::InitiativeArea)
HELHED_PLANS_INSTANTIATE(v1::Activity)
HELHED_PLANS_INSTANTIATE(v1::Indicator)
HELHED_PLANS_INSTANTIATE(v1::CitizenPlan)
HELHED_PLANS_INSTANTIATE(v1::Goal)
HELHED_PLANS_INSTANTIATE(v1::Action)
#undef HELHED_PLANS_INSTANTIATE

// ---------------------------------------------------------------------------
// Entries.

absl::Status PlansStore::AddProgress(const std::string& muni, const std::string& subject,
                                     const v1::AddActivityProgressRequest& req,
                                     v1::AddActivityProgressResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("activity_id", req.activity_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  ValidateProgress(req.progress(), "progress", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // Lock the parent first: a concurrent retry of the same request then
    // waits here and finds the entry below instead of inserting it twice.
    HELHED_ASSIGN_OR_RETURN(auto act, Load<v1::Activity>(c, muni, req.activity_id(), true));
    v1::ActivityProgress existing;
    HELHED_ASSIGN_OR_RETURN(bool found,
                            FindEntry(c, muni, kProgress, req.idempotency_key(), &existing));
    if (found) {
      *out->mutable_progress() = existing;
      *out->mutable_activity() = act.msg;
      return absl::OkStatus();
    }
    if (act.msg.state() == RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("plans.error.activity_archived"));
    }
    const absl::Time now = Now();
    v1::ActivityProgress e = req.progress();
    e.set_activity_id(act.msg.id());
    e.set_author(subject);
    HELHED_RETURN_IF_ERROR(InsertEntry(c, muni, kProgress, act.msg.id(), DateKey(e.update_date()),
                                       req.idempotency_key(), now, e));
    v1::Activity a = act.msg;
    if (e.new_status() != v1::ACTIVITY_STATUS_UNSPECIFIED) {
      a.set_status(e.new_status());
    }
    *a.mutable_last_progress_time() = Ts(now);
    HELHED_ASSIGN_OR_RETURN(Projection p,
                            Kind<v1::Activity>::Prepare(c, muni, a, /*check_refs=*/false));
    HELHED_RETURN_IF_ERROR(Replace(c, muni, p, act.version, now, a));
    *out->mutable_progress() = std::move(e);
    *out->mutable_activity() = std::move(a);
    return absl::OkStatus();
  });
}

absl::Status PlansStore::ListProgress(const std::string& muni, const std::string& activity_id,
                                      const Page& page, v1::ListActivityProgressResponse* out) {
  FieldViolations v;
  Validator(v).Id("activity_id", activity_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return ListEntries<v1::Activity>(db_, tokens_, muni, kProgress, activity_id, page,
                                   out->mutable_progress(),
                                   out->mutable_page()->mutable_next_page_token());
}

absl::Status PlansStore::RecordMeasurement(const std::string& muni,
                                           const v1::RecordMeasurementRequest& req,
                                           v1::RecordMeasurementResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("indicator_id", req.indicator_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  ValidateMeasurement(req.measurement(), "measurement", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // Lock the parent first: a concurrent retry of the same request then
    // waits here and finds the entry below instead of inserting it twice.
    HELHED_ASSIGN_OR_RETURN(auto ind, Load<v1::Indicator>(c, muni, req.indicator_id(), true));
    v1::Measurement existing;
    HELHED_ASSIGN_OR_RETURN(bool found,
                            FindEntry(c, muni, kMeasurement, req.idempotency_key(), &existing));
    if (found) {
      *out->mutable_measurement() = existing;
      *out->mutable_indicator() = ind.msg;
      return absl::OkStatus();
    }
    if (ind.msg.state() == RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("plans.error.indicator_archived"));
    }
    const absl::Time now = Now();
    v1::Measurement e = req.measurement();
    e.set_indicator_id(ind.msg.id());
    HELHED_RETURN_IF_ERROR(InsertEntry(c, muni, kMeasurement, ind.msg.id(),
                                       DateKey(e.value().date()), req.idempotency_key(), now, e));
    v1::Indicator i = ind.msg;
    if (!i.has_latest() || DateKey(e.value().date()) >= DateKey(i.latest().date())) {
      *i.mutable_latest() = e.value();
    }
    *i.mutable_last_measurement_time() = Ts(now);
    HELHED_ASSIGN_OR_RETURN(Projection p,
                            Kind<v1::Indicator>::Prepare(c, muni, i, /*check_refs=*/false));
    HELHED_RETURN_IF_ERROR(Replace(c, muni, p, ind.version, now, i));
    *out->mutable_measurement() = std::move(e);
    *out->mutable_indicator() = std::move(i);
    return absl::OkStatus();
  });
}

absl::Status PlansStore::ListMeasurements(const std::string& muni, const std::string& indicator_id,
                                          const Page& page, v1::ListMeasurementsResponse* out) {
  FieldViolations v;
  Validator(v).Id("indicator_id", indicator_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return ListEntries<v1::Indicator>(db_, tokens_, muni, kMeasurement, indicator_id, page,
                                    out->mutable_measurements(),
                                    out->mutable_page()->mutable_next_page_token());
}

absl::Status PlansStore::AddAssessment(const std::string& muni, const v1::AddAssessmentRequest& req,
                                       v1::AddAssessmentResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("goal_id", req.goal_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  ValidateAssessment(req.assessment(), "assessment", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // Lock the parent first: a concurrent retry of the same request then
    // waits here and finds the entry below instead of inserting it twice.
    HELHED_ASSIGN_OR_RETURN(auto goal, Load<v1::Goal>(c, muni, req.goal_id(), true));
    v1::Assessment existing;
    HELHED_ASSIGN_OR_RETURN(bool found,
                            FindEntry(c, muni, kAssessment, req.idempotency_key(), &existing));
    if (found) {
      *out->mutable_assessment() = existing;
      *out->mutable_goal() = goal.msg;
      return absl::OkStatus();
    }
    if (goal.msg.state() == RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("plans.error.goal_archived"));
    }
    if (!goal.msg.active()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("plans.error.goal_closed"));
    }
    const absl::Time now = Now();
    v1::Assessment e = req.assessment();
    e.set_goal_id(goal.msg.id());
    HELHED_RETURN_IF_ERROR(InsertEntry(c, muni, kAssessment, goal.msg.id(),
                                       DateKey(e.assessment_date()), req.idempotency_key(), now,
                                       e));
    v1::Goal g = goal.msg;
    if (e.outcome() != v1::GOAL_OUTCOME_UNSPECIFIED) {
      g.set_outcome(e.outcome());
      g.set_active(e.outcome() != v1::GOAL_OUTCOME_CLOSED);
    }
    HELHED_ASSIGN_OR_RETURN(Projection p,
                            Kind<v1::Goal>::Prepare(c, muni, g, /*check_refs=*/false));
    HELHED_RETURN_IF_ERROR(Replace(c, muni, p, goal.version, now, g));
    *out->mutable_assessment() = std::move(e);
    *out->mutable_goal() = std::move(g);
    return absl::OkStatus();
  });
}

absl::Status PlansStore::ListAssessments(const std::string& muni, const std::string& goal_id,
                                         const Page& page, v1::ListAssessmentsResponse* out) {
  FieldViolations v;
  Validator(v).Id("goal_id", goal_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return ListEntries<v1::Goal>(db_, tokens_, muni, kAssessment, goal_id, page,
                               out->mutable_assessments(),
                               out->mutable_page()->mutable_next_page_token());
}

// ---------------------------------------------------------------------------
// Yearly focus.

absl::Status PlansStore::SetYearlyFocus(const std::string& muni, const v1::YearlyFocus& focus,
                                        v1::YearlyFocus* out) {
  FieldViolations v;
  ValidateYearlyFocus(focus, "focus", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto plan, Load<v1::Plan>(c, muni, focus.plan_id(), false));
    if (focus.year() < plan.msg.period().start_year() ||
        focus.year() > plan.msg.period().end_year()) {
      return InvalidField("focus.year",
                          i18n::Later("validation.plans.outside_period",
                                      {{"start", absl::StrCat(plan.msg.period().start_year())},
                                       {"end", absl::StrCat(plan.msg.period().end_year())}}));
    }
    FieldViolations bad;
    for (int i = 0; i < focus.initiative_area_ids_size(); ++i) {
      auto area = Load<v1::InitiativeArea>(c, muni, focus.initiative_area_ids(i), false);
      if (!area.ok() && area.status().code() != absl::StatusCode::kNotFound) {
        return area.status();
      }
      if (!area.ok() || area->msg.plan_id() != focus.plan_id() ||
          area->msg.state() == RESOURCE_STATE_ARCHIVED) {
        bad.Add(absl::StrCat("focus.initiative_area_ids[", i, "]"),
                i18n::Later("validation.plans.not_active_area"));
      }
    }
    HELHED_RETURN_IF_ERROR(bad.ToStatus());
    HELHED_ASSIGN_OR_RETURN(
        Rows rows, c.Query(absl::StrCat("SELECT version FROM yearly_focus WHERE municipality = ?"
                                        " AND plan_id = ? AND year = ?",
                                        ForUpdate(c)),
                           {muni, focus.plan_id(), focus.year()}));
    const absl::Time now = Now();
    v1::YearlyFocus f = focus;
    *f.mutable_update_time() = Ts(now);
    if (rows.empty()) {
      f.set_etag(Etag(1));
      HELHED_RETURN_IF_ERROR(
          c.Execute("INSERT INTO yearly_focus (municipality, plan_id, year, version, update_time,"
                    " body) VALUES (?, ?, ?, ?, ?, ?)",
                    {muni, f.plan_id(), f.year(), int64_t{1}, Micros(now), store::StoredBody(f)})
              .status());
    } else {
      const int64_t version = rows[0].Int(0);
      if (focus.etag() != Etag(version)) {
        return TextError(absl::StatusCode::kFailedPrecondition,
                         i18n::Later("plans.error.focus_stale"));
      }
      f.set_etag(Etag(version + 1));
      HELHED_RETURN_IF_ERROR(
          c.Execute("UPDATE yearly_focus SET version = ?, update_time = ?, body = ? WHERE"
                    " municipality = ? AND plan_id = ? AND year = ?",
                    {version + 1, Micros(now), store::StoredBody(f), muni, f.plan_id(), f.year()})
              .status());
    }
    *out = std::move(f);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("plans.error.focus_concurrent"));
  }
  return status;
}

namespace {
absl::StatusOr<bool> LoadFocus(Connection& c, const std::string& muni, const std::string& plan_id,
                               int year, v1::YearlyFocus* out) {
  HELHED_ASSIGN_OR_RETURN(Rows rows,
                          c.Query("SELECT body FROM yearly_focus WHERE municipality = ? AND"
                                  " plan_id = ? AND year = ?",
                                  {muni, plan_id, year}));
  if (rows.empty()) {
    return false;
  }
  if (!out->ParseFromString(rows[0][0].AsString())) {
    return Corrupt<v1::YearlyFocus>();
  }
  return true;
}
}  // namespace

absl::Status PlansStore::GetYearlyFocus(const std::string& muni, const std::string& plan_id,
                                        int year, v1::YearlyFocus* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("plan_id", plan_id, true);
  check.Year("year", year, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(Load<v1::Plan>(c, muni, plan_id, false).status());
    HELHED_ASSIGN_OR_RETURN(bool found, LoadFocus(c, muni, plan_id, year, out));
    if (!found) {
      return TextError(absl::StatusCode::kNotFound,
                       i18n::Later("plans.error.no_focus", {{"year", absl::StrCat(year)}}));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Reports.

absl::Status PlansStore::GetStatusReport(const std::string& muni,
                                         const v1::GetStatusReportRequest& req,
                                         i18n::Language language,
                                         v1::GetStatusReportResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("plan_id", req.plan_id(), true);
  check.Year("year", req.year(), true);
  check.Date("as_of", req.has_as_of(), req.as_of(), false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  ReportInput in;
  in.year = req.year();
  in.as_of = req.has_as_of() ? req.as_of() : DefaultAsOf(req.year(), Now());
  HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto plan, Load<v1::Plan>(c, muni, req.plan_id(), false));
    in.plan = plan.msg;
    ListFilter by_plan;
    by_plan.parent_id = req.plan_id();
    HELHED_ASSIGN_OR_RETURN(in.tracks, SelectAll<v1::Track>(c, muni, by_plan));
    HELHED_ASSIGN_OR_RETURN(in.areas, SelectAll<v1::InitiativeArea>(c, muni, by_plan));
    HELHED_ASSIGN_OR_RETURN(in.indicators, SelectAll<v1::Indicator>(c, muni, by_plan));
    ListFilter acts;
    acts.ref_id = req.plan_id();
    HELHED_ASSIGN_OR_RETURN(in.activities, SelectAll<v1::Activity>(c, muni, acts));
    std::stable_sort(in.areas.begin(), in.areas.end(),
                     [](const v1::InitiativeArea& a, const v1::InitiativeArea& b) {
                       return a.position() < b.position();
                     });
    HELHED_ASSIGN_OR_RETURN(
        Rows progress,
        c.Query(
            "SELECT e.parent_id, e.body FROM entries e JOIN activities a ON a.id = e.parent_id"
            " WHERE e.municipality = ? AND e.kind = ? AND a.municipality = ? AND a.ref_id = ?"
            " AND e.entry_date BETWEEN ? AND ? ORDER BY e.seq",
            {muni, kProgress, muni, req.plan_id(), req.year() * 10000, req.year() * 10000 + 1231}));
    for (const auto& r : progress) {
      v1::ActivityProgress p;
      if (!p.ParseFromString(r[1].AsString())) {
        return Corrupt<v1::ActivityProgress>();
      }
      in.progress[r.Str(0)].push_back(std::move(p));
    }
    HELHED_ASSIGN_OR_RETURN(
        Rows ms,
        c.Query(
            "SELECT e.parent_id, e.body FROM entries e JOIN indicators i ON i.id = e.parent_id"
            " WHERE e.municipality = ? AND e.kind = ? AND i.municipality = ? AND i.parent_id = ?"
            " AND e.entry_date <= ? ORDER BY e.seq",
            {muni, kMeasurement, muni, req.plan_id(), req.year() * 10000 + 1231}));
    for (const auto& r : ms) {
      v1::Measurement m;
      if (!m.ParseFromString(r[1].AsString())) {
        return Corrupt<v1::Measurement>();
      }
      in.measurements[r.Str(0)].push_back(std::move(m));
    }
    v1::YearlyFocus focus;
    HELHED_ASSIGN_OR_RETURN(bool has_focus, LoadFocus(c, muni, req.plan_id(), req.year(), &focus));
    if (has_focus) {
      in.focus_area_ids.assign(focus.initiative_area_ids().begin(),
                               focus.initiative_area_ids().end());
    }
    return absl::OkStatus();
  }));
  *out->mutable_report() = BuildStatusReport(in);
  out->set_markdown(RenderMarkdown(out->report(), in, language));
  return absl::OkStatus();
}

absl::Status PlansStore::ListStaleItems(const std::string& muni, const std::string& plan_id,
                                        int days, v1::ListStaleItemsResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("plan_id", plan_id, true);
  if (days != 0) {
    check.Range("stale_after_days", days, 1, 3650);
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (days == 0) {
    days = 90;
  }
  std::vector<v1::Activity> activities;
  std::vector<v1::Indicator> indicators;
  HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(Load<v1::Plan>(c, muni, plan_id, false).status());
    ListFilter acts;
    acts.ref_id = plan_id;
    HELHED_ASSIGN_OR_RETURN(activities, SelectAll<v1::Activity>(c, muni, acts));
    ListFilter inds;
    inds.parent_id = plan_id;
    HELHED_ASSIGN_OR_RETURN(indicators, SelectAll<v1::Indicator>(c, muni, inds));
    return absl::OkStatus();
  }));
  for (auto& item : FindStaleItems(activities, indicators, Now(), days)) {
    *out->add_items() = std::move(item);
  }
  return absl::OkStatus();
}

absl::Status PlansStore::CountActiveGoals(const std::string& muni,
                                          const std::string& initiative_area_id,
                                          v1::CountActiveGoalsResponse* out) {
  FieldViolations v;
  Validator(v).Id("initiative_area_id", initiative_area_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(Load<v1::InitiativeArea>(c, muni, initiative_area_id, false).status());
    HELHED_ASSIGN_OR_RETURN(
        Rows rows, c.Query("SELECT COUNT(*), COUNT(DISTINCT citizen_id) FROM goals WHERE"
                           " municipality = ? AND ref_id = ? AND status = 1 AND state = ?",
                           {muni, initiative_area_id, static_cast<int>(RESOURCE_STATE_ACTIVE)}));
    out->set_active_goals(rows.empty() ? 0 : rows[0].Int(0));
    out->set_citizens(rows.empty() ? 0 : rows[0].Int(1));
    return absl::OkStatus();
  });
}

}  // namespace helhed::plans
