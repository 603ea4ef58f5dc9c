#include "services/plans/plans_service.h"

#include "absl/strings/str_cat.h"
#include "common/i18n/call_language.h"
#include "common/server/unary.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "services/plans/domain/list_filters.h"

namespace helhed::plans {

grpc::ServerUnaryReactor* PlansServiceImpl::CreatePolicy(grpc::CallbackServerContext* ctx,
                                                         const v1::CreatePolicyRequest* req,
                                                         v1::CreatePolicyResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->policy(), req->idempotency_key(),
                         resp->mutable_policy());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetPolicy(grpc::CallbackServerContext* ctx,
                                                      const v1::GetPolicyRequest* req,
                                                      v1::GetPolicyResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_policy());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdatePolicy(grpc::CallbackServerContext* ctx,
                                                         const v1::UpdatePolicyRequest* req,
                                                         v1::UpdatePolicyResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->policy(), req->update_mask(),
                         resp->mutable_policy());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchivePolicy(grpc::CallbackServerContext* ctx,
                                                          const v1::ArchivePolicyRequest* req,
                                                          v1::ArchivePolicyResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_policy());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListPolicies(grpc::CallbackServerContext* ctx,
                                                         const v1::ListPoliciesRequest* req,
                                                         v1::ListPoliciesResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_policies(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::CreatePlan(grpc::CallbackServerContext* ctx,
                                                       const v1::CreatePlanRequest* req,
                                                       v1::CreatePlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->plan(), req->idempotency_key(),
                         resp->mutable_plan());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetPlan(grpc::CallbackServerContext* ctx,
                                                    const v1::GetPlanRequest* req,
                                                    v1::GetPlanResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_plan());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdatePlan(grpc::CallbackServerContext* ctx,
                                                       const v1::UpdatePlanRequest* req,
                                                       v1::UpdatePlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->plan(), req->update_mask(),
                         resp->mutable_plan());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchivePlan(grpc::CallbackServerContext* ctx,
                                                        const v1::ArchivePlanRequest* req,
                                                        v1::ArchivePlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_plan());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListPlans(grpc::CallbackServerContext* ctx,
                                                      const v1::ListPlansRequest* req,
                                                      v1::ListPlansResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_plans(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::CreateTrack(grpc::CallbackServerContext* ctx,
                                                        const v1::CreateTrackRequest* req,
                                                        v1::CreateTrackResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->track(), req->idempotency_key(),
                         resp->mutable_track());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetTrack(grpc::CallbackServerContext* ctx,
                                                     const v1::GetTrackRequest* req,
                                                     v1::GetTrackResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_track());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdateTrack(grpc::CallbackServerContext* ctx,
                                                        const v1::UpdateTrackRequest* req,
                                                        v1::UpdateTrackResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->track(), req->update_mask(),
                         resp->mutable_track());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchiveTrack(grpc::CallbackServerContext* ctx,
                                                         const v1::ArchiveTrackRequest* req,
                                                         v1::ArchiveTrackResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_track());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListTracks(grpc::CallbackServerContext* ctx,
                                                       const v1::ListTracksRequest* req,
                                                       v1::ListTracksResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_tracks(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::CreateInitiativeArea(
    grpc::CallbackServerContext* ctx, const v1::CreateInitiativeAreaRequest* req,
    v1::CreateInitiativeAreaResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->initiative_area(), req->idempotency_key(),
                         resp->mutable_initiative_area());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetInitiativeArea(
    grpc::CallbackServerContext* ctx, const v1::GetInitiativeAreaRequest* req,
    v1::GetInitiativeAreaResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_initiative_area());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdateInitiativeArea(
    grpc::CallbackServerContext* ctx, const v1::UpdateInitiativeAreaRequest* req,
    v1::UpdateInitiativeAreaResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->initiative_area(), req->update_mask(),
                         resp->mutable_initiative_area());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchiveInitiativeArea(
    grpc::CallbackServerContext* ctx, const v1::ArchiveInitiativeAreaRequest* req,
    v1::ArchiveInitiativeAreaResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                          resp->mutable_initiative_area());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListInitiativeAreas(
    grpc::CallbackServerContext* ctx, const v1::ListInitiativeAreasRequest* req,
    v1::ListInitiativeAreasResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_initiative_areas(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::CreateActivity(grpc::CallbackServerContext* ctx,
                                                           const v1::CreateActivityRequest* req,
                                                           v1::CreateActivityResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->activity(), req->idempotency_key(),
                         resp->mutable_activity());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetActivity(grpc::CallbackServerContext* ctx,
                                                        const v1::GetActivityRequest* req,
                                                        v1::GetActivityResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_activity());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdateActivity(grpc::CallbackServerContext* ctx,
                                                           const v1::UpdateActivityRequest* req,
                                                           v1::UpdateActivityResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->activity(), req->update_mask(),
                         resp->mutable_activity());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchiveActivity(grpc::CallbackServerContext* ctx,
                                                            const v1::ArchiveActivityRequest* req,
                                                            v1::ArchiveActivityResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_activity());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListActivities(grpc::CallbackServerContext* ctx,
                                                           const v1::ListActivitiesRequest* req,
                                                           v1::ListActivitiesResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_activities(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::CreateIndicator(grpc::CallbackServerContext* ctx,
                                                            const v1::CreateIndicatorRequest* req,
                                                            v1::CreateIndicatorResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->indicator(), req->idempotency_key(),
                         resp->mutable_indicator());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetIndicator(grpc::CallbackServerContext* ctx,
                                                         const v1::GetIndicatorRequest* req,
                                                         v1::GetIndicatorResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_indicator());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::UpdateIndicator(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdateIndicatorRequest* req,
                                                            v1::UpdateIndicatorResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->indicator(), req->update_mask(),
                         resp->mutable_indicator());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ArchiveIndicator(grpc::CallbackServerContext* ctx,
                                                             const v1::ArchiveIndicatorRequest* req,
                                                             v1::ArchiveIndicatorResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_indicator());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListIndicators(grpc::CallbackServerContext* ctx,
                                                           const v1::ListIndicatorsRequest* req,
                                                           v1::ListIndicatorsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_indicators(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::AddActivityProgress(
    grpc::CallbackServerContext* ctx, const v1::AddActivityProgressRequest* req,
    v1::AddActivityProgressResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.AddProgress(p.municipality_code(), p.subject(), *req, resp);
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListActivityProgress(
    grpc::CallbackServerContext* ctx, const v1::ListActivityProgressRequest* req,
    v1::ListActivityProgressResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.ListProgress(p.municipality_code(), req->activity_id(), page, resp);
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::RecordMeasurement(
    grpc::CallbackServerContext* ctx, const v1::RecordMeasurementRequest* req,
    v1::RecordMeasurementResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.RecordMeasurement(p.municipality_code(), *req, resp);
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListMeasurements(grpc::CallbackServerContext* ctx,
                                                             const v1::ListMeasurementsRequest* req,
                                                             v1::ListMeasurementsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.ListMeasurements(p.municipality_code(), req->indicator_id(), page, resp);
      });
}

grpc::ServerUnaryReactor* PlansServiceImpl::SetYearlyFocus(grpc::CallbackServerContext* ctx,
                                                           const v1::SetYearlyFocusRequest* req,
                                                           v1::SetYearlyFocusResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.SetYearlyFocus(p.municipality_code(), req->focus(), resp->mutable_focus());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetYearlyFocus(grpc::CallbackServerContext* ctx,
                                                           const v1::GetYearlyFocusRequest* req,
                                                           v1::GetYearlyFocusResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.GetYearlyFocus(p.municipality_code(), req->plan_id(), req->year(),
                                 resp->mutable_focus());
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::GetStatusReport(grpc::CallbackServerContext* ctx,
                                                            const v1::GetStatusReportRequest* req,
                                                            v1::GetStatusReportResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_, [this, req, resp, language](const auth::Principal& p) {
    return store_.GetStatusReport(p.municipality_code(), *req, language, resp);
  });
}

grpc::ServerUnaryReactor* PlansServiceImpl::ListStaleItems(grpc::CallbackServerContext* ctx,
                                                           const v1::ListStaleItemsRequest* req,
                                                           v1::ListStaleItemsResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.ListStaleItems(p.municipality_code(), req->plan_id(), req->stale_after_days(),
                                 resp);
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::CreateCitizenPlan(
    grpc::CallbackServerContext* ctx, const v1::CreateCitizenPlanRequest* req,
    v1::CreateCitizenPlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->citizen_plan(), req->idempotency_key(),
                         resp->mutable_citizen_plan());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::GetCitizenPlan(
    grpc::CallbackServerContext* ctx, const v1::GetCitizenPlanRequest* req,
    v1::GetCitizenPlanResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_citizen_plan());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::UpdateCitizenPlan(
    grpc::CallbackServerContext* ctx, const v1::UpdateCitizenPlanRequest* req,
    v1::UpdateCitizenPlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->citizen_plan(), req->update_mask(),
                         resp->mutable_citizen_plan());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ArchiveCitizenPlan(
    grpc::CallbackServerContext* ctx, const v1::ArchiveCitizenPlanRequest* req,
    v1::ArchiveCitizenPlanResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                          resp->mutable_citizen_plan());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ListCitizenPlans(
    grpc::CallbackServerContext* ctx, const v1::ListCitizenPlansRequest* req,
    v1::ListCitizenPlansResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_citizen_plans(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::CreateGoal(grpc::CallbackServerContext* ctx,
                                                              const v1::CreateGoalRequest* req,
                                                              v1::CreateGoalResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->goal(), req->idempotency_key(),
                         resp->mutable_goal());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::GetGoal(grpc::CallbackServerContext* ctx,
                                                           const v1::GetGoalRequest* req,
                                                           v1::GetGoalResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_goal());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::UpdateGoal(grpc::CallbackServerContext* ctx,
                                                              const v1::UpdateGoalRequest* req,
                                                              v1::UpdateGoalResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->goal(), req->update_mask(),
                         resp->mutable_goal());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ArchiveGoal(grpc::CallbackServerContext* ctx,
                                                               const v1::ArchiveGoalRequest* req,
                                                               v1::ArchiveGoalResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_goal());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ListGoals(grpc::CallbackServerContext* ctx,
                                                             const v1::ListGoalsRequest* req,
                                                             v1::ListGoalsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_goals(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::CreateAction(grpc::CallbackServerContext* ctx,
                                                                const v1::CreateActionRequest* req,
                                                                v1::CreateActionResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Create(p.municipality_code(), req->action(), req->idempotency_key(),
                         resp->mutable_action());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::GetAction(grpc::CallbackServerContext* ctx,
                                                             const v1::GetActionRequest* req,
                                                             v1::GetActionResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) {
    return store_.Get(p.municipality_code(), req->id(), resp->mutable_action());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::UpdateAction(grpc::CallbackServerContext* ctx,
                                                                const v1::UpdateActionRequest* req,
                                                                v1::UpdateActionResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Update(p.municipality_code(), req->action(), req->update_mask(),
                         resp->mutable_action());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ArchiveAction(
    grpc::CallbackServerContext* ctx, const v1::ArchiveActionRequest* req,
    v1::ArchiveActionResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_action());
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ListActions(grpc::CallbackServerContext* ctx,
                                                               const v1::ListActionsRequest* req,
                                                               v1::ListActionsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_actions(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::AddAssessment(
    grpc::CallbackServerContext* ctx, const v1::AddAssessmentRequest* req,
    v1::AddAssessmentResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.AddAssessment(p.municipality_code(), *req, resp);
  });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::ListAssessments(
    grpc::CallbackServerContext* ctx, const v1::ListAssessmentsRequest* req,
    v1::ListAssessmentsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(Page page, PageOf(req->page()));
        return store_.ListAssessments(p.municipality_code(), req->goal_id(), page, resp);
      });
}

grpc::ServerUnaryReactor* CitizenPlansServiceImpl::CountActiveGoals(
    grpc::CallbackServerContext* ctx, const v1::CountActiveGoalsRequest* req,
    v1::CountActiveGoalsResponse* resp) {
  return server::ServeUnary(ctx, pool_, [this, req, resp](const auth::Principal& p) {
    return store_.CountActiveGoals(p.municipality_code(), req->initiative_area_id(), resp);
  });
}

}  // namespace helhed::plans
