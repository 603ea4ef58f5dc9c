// gRPC handlers of helhed.plans.v1: validate, read the principal, call one
// store function, map the status (in common/server/unary.h). Thin by design.
#ifndef HELHED_SERVICES_PLANS_PLANS_SERVICE_H_
#define HELHED_SERVICES_PLANS_PLANS_SERVICE_H_

#include "common/server/work_pool.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/plans/plans_store.h"

namespace helhed::plans {

// Thread-safe.
class PlansServiceImpl final : public v1::PlansService::CallbackService {
 public:
  // `inline_reads`: answer single-row gets on the gRPC thread (local store
  // only); everything else runs on `pool`.
  PlansServiceImpl(PlansStore& store, server::WorkPool& pool, bool inline_reads)
      : store_(store), pool_(pool), inline_reads_(inline_reads) {}

  grpc::ServerUnaryReactor* CreatePolicy(grpc::CallbackServerContext* ctx,
                                         const v1::CreatePolicyRequest* req,
                                         v1::CreatePolicyResponse* resp) override;
  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* ctx,
                                      const v1::GetPolicyRequest* req,
                                      v1::GetPolicyResponse* resp) override;
  grpc::ServerUnaryReactor* UpdatePolicy(grpc::CallbackServerContext* ctx,
                                         const v1::UpdatePolicyRequest* req,
                                         v1::UpdatePolicyResponse* resp) override;
  grpc::ServerUnaryReactor* ArchivePolicy(grpc::CallbackServerContext* ctx,
                                          const v1::ArchivePolicyRequest* req,
                                          v1::ArchivePolicyResponse* resp) override;
  grpc::ServerUnaryReactor* ListPolicies(grpc::CallbackServerContext* ctx,
                                         const v1::ListPoliciesRequest* req,
                                         v1::ListPoliciesResponse* resp) override;
  grpc::ServerUnaryReactor* CreatePlan(grpc::CallbackServerContext* ctx,
                                       const v1::CreatePlanRequest* req,
                                       v1::CreatePlanResponse* resp) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx, const v1::GetPlanRequest* req,
                                    v1::GetPlanResponse* resp) override;
  grpc::ServerUnaryReactor* UpdatePlan(grpc::CallbackServerContext* ctx,
                                       const v1::UpdatePlanRequest* req,
                                       v1::UpdatePlanResponse* resp) override;
  grpc::ServerUnaryReactor* ArchivePlan(grpc::CallbackServerContext* ctx,
                                        const v1::ArchivePlanRequest* req,
                                        v1::ArchivePlanResponse* resp) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* ctx,
                                      const v1::ListPlansRequest* req,
                                      v1::ListPlansResponse* resp) override;
  grpc::ServerUnaryReactor* CreateTrack(grpc::CallbackServerContext* ctx,
                                        const v1::CreateTrackRequest* req,
                                        v1::CreateTrackResponse* resp) override;
  grpc::ServerUnaryReactor* GetTrack(grpc::CallbackServerContext* ctx,
                                     const v1::GetTrackRequest* req,
                                     v1::GetTrackResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateTrack(grpc::CallbackServerContext* ctx,
                                        const v1::UpdateTrackRequest* req,
                                        v1::UpdateTrackResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveTrack(grpc::CallbackServerContext* ctx,
                                         const v1::ArchiveTrackRequest* req,
                                         v1::ArchiveTrackResponse* resp) override;
  grpc::ServerUnaryReactor* ListTracks(grpc::CallbackServerContext* ctx,
                                       const v1::ListTracksRequest* req,
                                       v1::ListTracksResponse* resp) override;
  grpc::ServerUnaryReactor* CreateInitiativeArea(grpc::CallbackServerContext* ctx,
                                                 const v1::CreateInitiativeAreaRequest* req,
                                                 v1::CreateInitiativeAreaResponse* resp) override;
  grpc::ServerUnaryReactor* GetInitiativeArea(grpc::CallbackServerContext* ctx,
                                              const v1::GetInitiativeAreaRequest* req,
                                              v1::GetInitiativeAreaResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateInitiativeArea(grpc::CallbackServerContext* ctx,
                                                 const v1::UpdateInitiativeAreaRequest* req,
                                                 v1::UpdateInitiativeAreaResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveInitiativeArea(grpc::CallbackServerContext* ctx,
                                                  const v1::ArchiveInitiativeAreaRequest* req,
                                                  v1::ArchiveInitiativeAreaResponse* resp) override;
  grpc::ServerUnaryReactor* ListInitiativeAreas(grpc::CallbackServerContext* ctx,
                                                const v1::ListInitiativeAreasRequest* req,
                                                v1::ListInitiativeAreasResponse* resp) override;
  grpc::ServerUnaryReactor* CreateActivity(grpc::CallbackServerContext* ctx,
                                           const v1::CreateActivityRequest* req,
                                           v1::CreateActivityResponse* resp) override;
  grpc::ServerUnaryReactor* GetActivity(grpc::CallbackServerContext* ctx,
                                        const v1::GetActivityRequest* req,
                                        v1::GetActivityResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateActivity(grpc::CallbackServerContext* ctx,
                                           const v1::UpdateActivityRequest* req,
                                           v1::UpdateActivityResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveActivity(grpc::CallbackServerContext* ctx,
                                            const v1::ArchiveActivityRequest* req,
                                            v1::ArchiveActivityResponse* resp) override;
  grpc::ServerUnaryReactor* ListActivities(grpc::CallbackServerContext* ctx,
                                           const v1::ListActivitiesRequest* req,
                                           v1::ListActivitiesResponse* resp) override;
  grpc::ServerUnaryReactor* CreateIndicator(grpc::CallbackServerContext* ctx,
                                            const v1::CreateIndicatorRequest* req,
                                            v1::CreateIndicatorResponse* resp) override;
  grpc::ServerUnaryReactor* GetIndicator(grpc::CallbackServerContext* ctx,
                                         const v1::GetIndicatorRequest* req,
                                         v1::GetIndicatorResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateIndicator(grpc::CallbackServerContext* ctx,
                                            const v1::UpdateIndicatorRequest* req,
                                            v1::UpdateIndicatorResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveIndicator(grpc::CallbackServerContext* ctx,
                                             const v1::ArchiveIndicatorRequest* req,
                                             v1::ArchiveIndicatorResponse* resp) override;
  grpc::ServerUnaryReactor* ListIndicators(grpc::CallbackServerContext* ctx,
                                           const v1::ListIndicatorsRequest* req,
                                           v1::ListIndicatorsResponse* resp) override;
  grpc::ServerUnaryReactor* AddActivityProgress(grpc::CallbackServerContext* ctx,
                                                const v1::AddActivityProgressRequest* req,
                                                v1::AddActivityProgressResponse* resp) override;
  grpc::ServerUnaryReactor* ListActivityProgress(grpc::CallbackServerContext* ctx,
                                                 const v1::ListActivityProgressRequest* req,
                                                 v1::ListActivityProgressResponse* resp) override;
  grpc::ServerUnaryReactor* RecordMeasurement(grpc::CallbackServerContext* ctx,
                                              const v1::RecordMeasurementRequest* req,
                                              v1::RecordMeasurementResponse* resp) override;
  grpc::ServerUnaryReactor* ListMeasurements(grpc::CallbackServerContext* ctx,
                                             const v1::ListMeasurementsRequest* req,
                                             v1::ListMeasurementsResponse* resp) override;
  grpc::ServerUnaryReactor* SetYearlyFocus(grpc::CallbackServerContext* ctx,
                                           const v1::SetYearlyFocusRequest* req,
                                           v1::SetYearlyFocusResponse* resp) override;
  grpc::ServerUnaryReactor* GetYearlyFocus(grpc::CallbackServerContext* ctx,
                                           const v1::GetYearlyFocusRequest* req,
                                           v1::GetYearlyFocusResponse* resp) override;
  grpc::ServerUnaryReactor* GetStatusReport(grpc::CallbackServerContext* ctx,
                                            const v1::GetStatusReportRequest* req,
                                            v1::GetStatusReportResponse* resp) override;
  grpc::ServerUnaryReactor* ListStaleItems(grpc::CallbackServerContext* ctx,
                                           const v1::ListStaleItemsRequest* req,
                                           v1::ListStaleItemsResponse* resp) override;

 private:
  PlansStore& store_;
  server::WorkPool& pool_;
  const bool inline_reads_;
};

// Thread-safe.
class CitizenPlansServiceImpl final : public v1::CitizenPlansService::CallbackService {
 public:
  // `inline_reads`: answer single-row gets on the gRPC thread (local store
  // only); everything else runs on `pool`.
  CitizenPlansServiceImpl(PlansStore& store, server::WorkPool& pool, bool inline_reads)
      : store_(store), pool_(pool), inline_reads_(inline_reads) {}

  grpc::ServerUnaryReactor* CreateCitizenPlan(grpc::CallbackServerContext* ctx,
                                              const v1::CreateCitizenPlanRequest* req,
                                              v1::CreateCitizenPlanResponse* resp) override;
  grpc::ServerUnaryReactor* GetCitizenPlan(grpc::CallbackServerContext* ctx,
                                           const v1::GetCitizenPlanRequest* req,
                                           v1::GetCitizenPlanResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateCitizenPlan(grpc::CallbackServerContext* ctx,
                                              const v1::UpdateCitizenPlanRequest* req,
                                              v1::UpdateCitizenPlanResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveCitizenPlan(grpc::CallbackServerContext* ctx,
                                               const v1::ArchiveCitizenPlanRequest* req,
                                               v1::ArchiveCitizenPlanResponse* resp) override;
  grpc::ServerUnaryReactor* ListCitizenPlans(grpc::CallbackServerContext* ctx,
                                             const v1::ListCitizenPlansRequest* req,
                                             v1::ListCitizenPlansResponse* resp) override;
  grpc::ServerUnaryReactor* CreateGoal(grpc::CallbackServerContext* ctx,
                                       const v1::CreateGoalRequest* req,
                                       v1::CreateGoalResponse* resp) override;
  grpc::ServerUnaryReactor* GetGoal(grpc::CallbackServerContext* ctx, const v1::GetGoalRequest* req,
                                    v1::GetGoalResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateGoal(grpc::CallbackServerContext* ctx,
                                       const v1::UpdateGoalRequest* req,
                                       v1::UpdateGoalResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveGoal(grpc::CallbackServerContext* ctx,
                                        const v1::ArchiveGoalRequest* req,
                                        v1::ArchiveGoalResponse* resp) override;
  grpc::ServerUnaryReactor* ListGoals(grpc::CallbackServerContext* ctx,
                                      const v1::ListGoalsRequest* req,
                                      v1::ListGoalsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateAction(grpc::CallbackServerContext* ctx,
                                         const v1::CreateActionRequest* req,
                                         v1::CreateActionResponse* resp) override;
  grpc::ServerUnaryReactor* GetAction(grpc::CallbackServerContext* ctx,
                                      const v1::GetActionRequest* req,
                                      v1::GetActionResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateAction(grpc::CallbackServerContext* ctx,
                                         const v1::UpdateActionRequest* req,
                                         v1::UpdateActionResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveAction(grpc::CallbackServerContext* ctx,
                                          const v1::ArchiveActionRequest* req,
                                          v1::ArchiveActionResponse* resp) override;
  grpc::ServerUnaryReactor* ListActions(grpc::CallbackServerContext* ctx,
                                        const v1::ListActionsRequest* req,
                                        v1::ListActionsResponse* resp) override;
  grpc::ServerUnaryReactor* AddAssessment(grpc::CallbackServerContext* ctx,
                                          const v1::AddAssessmentRequest* req,
                                          v1::AddAssessmentResponse* resp) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* ctx,
                                            const v1::ListAssessmentsRequest* req,
                                            v1::ListAssessmentsResponse* resp) override;
  grpc::ServerUnaryReactor* CountActiveGoals(grpc::CallbackServerContext* ctx,
                                             const v1::CountActiveGoalsRequest* req,
                                             v1::CountActiveGoalsResponse* resp) override;

 private:
  PlansStore& store_;
  server::WorkPool& pool_;
  const bool inline_reads_;
};

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_PLANS_SERVICE_H_
