#include "services/plans/demo/demo_loader.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "google/protobuf/text_format.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"

namespace helhed::plans::demo {
namespace {

using helhed::common::v1::Principal;

class Loader {
 public:
  Loader(const std::shared_ptr<grpc::Channel>& channel)
      : plans_(v1::PlansService::NewStub(channel)),
        citizens_(v1::CitizenPlansService::NewStub(channel)) {}

  absl::Status Load(const DemoDataset& data) {
    for (const auto& m : data.municipalities()) {
      principal_.Clear();
      principal_.set_subject("demo-loader");
      principal_.set_municipality_code(m.code());
      principal_.add_roles(helhed::common::v1::ROLE_MANAGER);
      principal_.add_roles(helhed::common::v1::ROLE_CASEWORKER);
      area_ids_.clear();
      for (int i = 0; i < m.policies_size(); ++i) {
        HELHED_RETURN_IF_ERROR(LoadPolicy(m.policies(i), absl::StrCat(m.code(), "/policy/", i)));
      }
      for (int i = 0; i < m.citizen_plans_size(); ++i) {
        HELHED_RETURN_IF_ERROR(
            LoadCitizenPlan(m.citizen_plans(i), absl::StrCat(m.code(), "/citizen_plan/", i)));
      }
    }
    return absl::OkStatus();
  }

  LoadResult result;

 private:
  std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    auth::AttachPrincipal(ctx.get(), principal_);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  template <typename Req, typename Resp, typename Call>
  absl::Status Invoke(const Req& req, Resp* resp, Call call, const std::string& what) {
    auto ctx = Context();
    absl::Status s = FromGrpcStatus(call(ctx.get(), req, resp));
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
    }
    return s;
  }

  std::string RequestId(const std::string& key) { return absl::StrCat("demo:", key); }

  absl::Status LoadPolicy(const DemoPolicy& p, const std::string& key) {
    v1::CreatePolicyRequest req;
    *req.mutable_policy() = p.policy();
    req.set_idempotency_key(RequestId(key));
    v1::CreatePolicyResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp, [&](auto* c, auto& r, auto* o) { return plans_->CreatePolicy(c, r, o); }, key));
    Created("policies", key, resp.policy().id());
    for (int i = 0; i < p.plans_size(); ++i) {
      HELHED_RETURN_IF_ERROR(
          LoadPlan(p.plans(i), resp.policy().id(), absl::StrCat(key, "/plan/", i)));
    }
    return absl::OkStatus();
  }

  absl::Status LoadPlan(const DemoPlan& p, const std::string& policy_id, const std::string& key) {
    v1::CreatePlanRequest req;
    *req.mutable_plan() = p.plan();
    req.mutable_plan()->set_policy_id(policy_id);
    req.set_idempotency_key(RequestId(key));
    v1::CreatePlanResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp, [&](auto* c, auto& r, auto* o) { return plans_->CreatePlan(c, r, o); }, key));
    const std::string plan_id = resp.plan().id();
    Created("plans", key, plan_id);
    std::map<std::string, std::string> tracks;
    for (int i = 0; i < p.tracks_size(); ++i) {
      v1::CreateTrackRequest tr;
      *tr.mutable_track() = p.tracks(i).track();
      tr.mutable_track()->set_plan_id(plan_id);
      if (tr.track().position() == 0) {
        tr.mutable_track()->set_position(i);
      }
      const std::string tkey = absl::StrCat(key, "/track/", p.tracks(i).key());
      tr.set_idempotency_key(RequestId(tkey));
      v1::CreateTrackResponse tresp;
      HELHED_RETURN_IF_ERROR(Invoke(
          tr, &tresp, [&](auto* c, auto& r, auto* o) { return plans_->CreateTrack(c, r, o); },
          tkey));
      tracks[p.tracks(i).key()] = tresp.track().id();
      Created("tracks", tkey, tresp.track().id());
    }
    for (int i = 0; i < p.initiative_areas_size(); ++i) {
      const auto& a = p.initiative_areas(i);
      v1::CreateInitiativeAreaRequest ar;
      *ar.mutable_initiative_area() = a.area();
      ar.mutable_initiative_area()->set_plan_id(plan_id);
      if (!a.track_key().empty()) {
        auto t = tracks.find(a.track_key());
        if (t == tracks.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat(a.key(), ": unknown track ", a.track_key()));
        }
        ar.mutable_initiative_area()->set_track_id(t->second);
      }
      if (ar.initiative_area().position() == 0) {
        ar.mutable_initiative_area()->set_position(i);
      }
      const std::string akey = absl::StrCat(key, "/area/", a.key());
      ar.set_idempotency_key(RequestId(akey));
      v1::CreateInitiativeAreaResponse aresp;
      HELHED_RETURN_IF_ERROR(Invoke(
          ar, &aresp,
          [&](auto* c, auto& r, auto* o) { return plans_->CreateInitiativeArea(c, r, o); }, akey));
      const std::string area_id = aresp.initiative_area().id();
      area_ids_[a.key()] = area_id;
      Created("initiative_areas", a.key(), area_id);
      for (int j = 0; j < a.activities_size(); ++j) {
        HELHED_RETURN_IF_ERROR(
            LoadActivity(a.activities(j), area_id, absl::StrCat(akey, "/activity/", j)));
      }
      for (int j = 0; j < a.indicators_size(); ++j) {
        HELHED_RETURN_IF_ERROR(
            LoadIndicator(a.indicators(j), plan_id, area_id, absl::StrCat(akey, "/indicator/", j)));
      }
    }
    for (int j = 0; j < p.indicators_size(); ++j) {
      HELHED_RETURN_IF_ERROR(
          LoadIndicator(p.indicators(j), plan_id, "", absl::StrCat(key, "/indicator/", j)));
    }
    for (const auto& f : p.focus()) {
      HELHED_RETURN_IF_ERROR(LoadFocus(f, plan_id, absl::StrCat(key, "/focus/", f.year())));
    }
    return absl::OkStatus();
  }

  absl::Status LoadActivity(const DemoActivity& a, const std::string& area_id,
                            const std::string& key) {
    v1::CreateActivityRequest req;
    *req.mutable_activity() = a.activity();
    req.mutable_activity()->set_initiative_area_id(area_id);
    req.set_idempotency_key(RequestId(key));
    v1::CreateActivityResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp, [&](auto* c, auto& r, auto* o) { return plans_->CreateActivity(c, r, o); },
        key));
    Created("activities", key, resp.activity().id());
    for (int i = 0; i < a.progress_size(); ++i) {
      v1::AddActivityProgressRequest pr;
      pr.set_activity_id(resp.activity().id());
      *pr.mutable_progress() = a.progress(i);
      const std::string pkey = absl::StrCat(key, "/progress/", i);
      pr.set_idempotency_key(RequestId(pkey));
      v1::AddActivityProgressResponse presp;
      HELHED_RETURN_IF_ERROR(Invoke(
          pr, &presp,
          [&](auto* c, auto& r, auto* o) { return plans_->AddActivityProgress(c, r, o); }, pkey));
      Created("progress_updates", pkey, presp.progress().id());
    }
    return absl::OkStatus();
  }

  absl::Status LoadIndicator(const DemoIndicator& d, const std::string& plan_id,
                             const std::string& area_id, const std::string& key) {
    v1::CreateIndicatorRequest req;
    *req.mutable_indicator() = d.indicator();
    req.mutable_indicator()->set_plan_id(plan_id);
    req.mutable_indicator()->set_initiative_area_id(area_id);
    req.set_idempotency_key(RequestId(key));
    v1::CreateIndicatorResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp, [&](auto* c, auto& r, auto* o) { return plans_->CreateIndicator(c, r, o); },
        key));
    Created("indicators", key, resp.indicator().id());
    for (int i = 0; i < d.measurements_size(); ++i) {
      v1::RecordMeasurementRequest mr;
      mr.set_indicator_id(resp.indicator().id());
      *mr.mutable_measurement() = d.measurements(i);
      const std::string mkey = absl::StrCat(key, "/measurement/", i);
      mr.set_idempotency_key(RequestId(mkey));
      v1::RecordMeasurementResponse mresp;
      HELHED_RETURN_IF_ERROR(Invoke(
          mr, &mresp, [&](auto* c, auto& r, auto* o) { return plans_->RecordMeasurement(c, r, o); },
          mkey));
      Created("measurements", mkey, mresp.measurement().id());
    }
    return absl::OkStatus();
  }

  absl::Status LoadFocus(const DemoFocus& f, const std::string& plan_id, const std::string& key) {
    v1::GetYearlyFocusRequest get;
    get.set_plan_id(plan_id);
    get.set_year(f.year());
    v1::GetYearlyFocusResponse got;
    absl::Status s = Invoke(
        get, &got, [&](auto* c, auto& r, auto* o) { return plans_->GetYearlyFocus(c, r, o); }, key);
    if (s.ok()) {
      result.ids[key] = absl::StrCat(plan_id, "/", f.year());  // set by an earlier load
      return absl::OkStatus();
    }
    if (s.code() != absl::StatusCode::kNotFound) {
      return s;
    }
    v1::SetYearlyFocusRequest req;
    req.mutable_focus()->set_plan_id(plan_id);
    req.mutable_focus()->set_year(f.year());
    req.mutable_focus()->set_rationale(f.rationale());
    for (const auto& k : f.area_keys()) {
      auto it = area_ids_.find(k);
      if (it == area_ids_.end()) {
        return absl::InvalidArgumentError(absl::StrCat(key, ": unknown area key ", k));
      }
      req.mutable_focus()->add_initiative_area_ids(it->second);
    }
    v1::SetYearlyFocusResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp, [&](auto* c, auto& r, auto* o) { return plans_->SetYearlyFocus(c, r, o); },
        key));
    Created("yearly_focus", key, absl::StrCat(plan_id, "/", f.year()));
    return absl::OkStatus();
  }

  absl::Status LoadCitizenPlan(const DemoCitizenPlan& p, const std::string& key) {
    v1::CreateCitizenPlanRequest req;
    *req.mutable_citizen_plan() = p.plan();
    req.set_idempotency_key(RequestId(key));
    v1::CreateCitizenPlanResponse resp;
    HELHED_RETURN_IF_ERROR(Invoke(
        req, &resp,
        [&](auto* c, auto& r, auto* o) { return citizens_->CreateCitizenPlan(c, r, o); }, key));
    Created("citizen_plans", key, resp.citizen_plan().id());
    for (int i = 0; i < p.goals_size(); ++i) {
      const auto& g = p.goals(i);
      const std::string gkey = absl::StrCat(key, "/goal/", i);
      v1::CreateGoalRequest gr;
      *gr.mutable_goal() = g.goal();
      gr.mutable_goal()->set_citizen_plan_id(resp.citizen_plan().id());
      if (!g.area_key().empty()) {
        auto it = area_ids_.find(g.area_key());
        if (it == area_ids_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat(gkey, ": unknown area key ", g.area_key()));
        }
        gr.mutable_goal()->set_initiative_area_id(it->second);
      }
      gr.set_idempotency_key(RequestId(gkey));
      v1::CreateGoalResponse gresp;
      HELHED_RETURN_IF_ERROR(Invoke(
          gr, &gresp, [&](auto* c, auto& r, auto* o) { return citizens_->CreateGoal(c, r, o); },
          gkey));
      Created("goals", gkey, gresp.goal().id());
      for (int j = 0; j < g.actions_size(); ++j) {
        v1::CreateActionRequest ar;
        *ar.mutable_action() = g.actions(j);
        ar.mutable_action()->set_goal_id(gresp.goal().id());
        const std::string akey = absl::StrCat(gkey, "/action/", j);
        ar.set_idempotency_key(RequestId(akey));
        v1::CreateActionResponse aresp;
        HELHED_RETURN_IF_ERROR(Invoke(
            ar, &aresp, [&](auto* c, auto& r, auto* o) { return citizens_->CreateAction(c, r, o); },
            akey));
        Created("actions", akey, aresp.action().id());
      }
      for (int j = 0; j < g.assessments_size(); ++j) {
        v1::AddAssessmentRequest ar;
        ar.set_goal_id(gresp.goal().id());
        *ar.mutable_assessment() = g.assessments(j);
        const std::string akey = absl::StrCat(gkey, "/assessment/", j);
        ar.set_idempotency_key(RequestId(akey));
        v1::AddAssessmentResponse aresp;
        HELHED_RETURN_IF_ERROR(Invoke(
            ar, &aresp,
            [&](auto* c, auto& r, auto* o) { return citizens_->AddAssessment(c, r, o); }, akey));
        Created("assessments", akey, aresp.assessment().id());
      }
    }
    return absl::OkStatus();
  }

  void Created(const std::string& kind, const std::string& key, const std::string& id) {
    result.created[kind]++;
    result.ids[key] = id;
  }

  std::unique_ptr<v1::PlansService::Stub> plans_;
  std::unique_ptr<v1::CitizenPlansService::Stub> citizens_;
  Principal principal_;
  std::map<std::string, std::string> area_ids_;
};

}  // namespace

absl::StatusOr<DemoDataset> ReadDataset(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  DemoDataset data;
  if (!google::protobuf::TextFormat::ParseFromString(ss.str(), &data)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a valid DemoDataset"));
  }
  return data;
}

absl::StatusOr<LoadResult> LoadDataset(const DemoDataset& data,
                                       const std::shared_ptr<grpc::Channel>& channel) {
  Loader loader(channel);
  HELHED_RETURN_IF_ERROR(loader.Load(data));
  return loader.result;
}

}  // namespace helhed::plans::demo
