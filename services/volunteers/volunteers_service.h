// gRPC handlers of helhed.volunteers.v1: validate, read the principal, call
// one store function, map the status. Thin by design.
#ifndef HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_SERVICE_H_
#define HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_SERVICE_H_

#include "common/server/work_pool.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/volunteers/volunteers_store.h"

namespace helhed::volunteers {

// Thread-safe.
class VolunteersServiceImpl final : public v1::VolunteersService::CallbackService {
 public:
  // `inline_reads`: answer single-row gets on the gRPC thread (local store only).
  VolunteersServiceImpl(VolunteersStore& store, server::WorkPool& pool, bool inline_reads)
      : store_(store), pool_(pool), inline_reads_(inline_reads) {}

  grpc::ServerUnaryReactor* CreateOrganisation(grpc::CallbackServerContext* ctx,
                                               const v1::CreateOrganisationRequest* req,
                                               v1::CreateOrganisationResponse* resp) override;
  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext* ctx,
                                            const v1::GetOrganisationRequest* req,
                                            v1::GetOrganisationResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateOrganisation(grpc::CallbackServerContext* ctx,
                                               const v1::UpdateOrganisationRequest* req,
                                               v1::UpdateOrganisationResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveOrganisation(grpc::CallbackServerContext* ctx,
                                                const v1::ArchiveOrganisationRequest* req,
                                                v1::ArchiveOrganisationResponse* resp) override;
  grpc::ServerUnaryReactor* ListOrganisations(grpc::CallbackServerContext* ctx,
                                              const v1::ListOrganisationsRequest* req,
                                              v1::ListOrganisationsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateVolunteer(grpc::CallbackServerContext* ctx,
                                            const v1::CreateVolunteerRequest* req,
                                            v1::CreateVolunteerResponse* resp) override;
  grpc::ServerUnaryReactor* GetVolunteer(grpc::CallbackServerContext* ctx,
                                         const v1::GetVolunteerRequest* req,
                                         v1::GetVolunteerResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateVolunteer(grpc::CallbackServerContext* ctx,
                                            const v1::UpdateVolunteerRequest* req,
                                            v1::UpdateVolunteerResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveVolunteer(grpc::CallbackServerContext* ctx,
                                             const v1::ArchiveVolunteerRequest* req,
                                             v1::ArchiveVolunteerResponse* resp) override;
  grpc::ServerUnaryReactor* ListVolunteers(grpc::CallbackServerContext* ctx,
                                           const v1::ListVolunteersRequest* req,
                                           v1::ListVolunteersResponse* resp) override;
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
  grpc::ServerUnaryReactor* CreateAccompanimentRequest(
      grpc::CallbackServerContext* ctx, const v1::CreateAccompanimentRequestRequest* req,
      v1::CreateAccompanimentRequestResponse* resp) override;
  grpc::ServerUnaryReactor* GetAccompanimentRequest(
      grpc::CallbackServerContext* ctx, const v1::GetAccompanimentRequestRequest* req,
      v1::GetAccompanimentRequestResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateAccompanimentRequest(
      grpc::CallbackServerContext* ctx, const v1::UpdateAccompanimentRequestRequest* req,
      v1::UpdateAccompanimentRequestResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveAccompanimentRequest(
      grpc::CallbackServerContext* ctx, const v1::ArchiveAccompanimentRequestRequest* req,
      v1::ArchiveAccompanimentRequestResponse* resp) override;
  grpc::ServerUnaryReactor* ListAccompanimentRequests(
      grpc::CallbackServerContext* ctx, const v1::ListAccompanimentRequestsRequest* req,
      v1::ListAccompanimentRequestsResponse* resp) override;
  grpc::ServerUnaryReactor* SignUp(grpc::CallbackServerContext* ctx, const v1::SignUpRequest* req,
                                   v1::SignUpResponse* resp) override;
  grpc::ServerUnaryReactor* CancelSignUp(grpc::CallbackServerContext* ctx,
                                         const v1::CancelSignUpRequest* req,
                                         v1::CancelSignUpResponse* resp) override;
  grpc::ServerUnaryReactor* ListSignUps(grpc::CallbackServerContext* ctx,
                                        const v1::ListSignUpsRequest* req,
                                        v1::ListSignUpsResponse* resp) override;
  grpc::ServerUnaryReactor* RankCandidates(grpc::CallbackServerContext* ctx,
                                           const v1::RankCandidatesRequest* req,
                                           v1::RankCandidatesResponse* resp) override;
  grpc::ServerUnaryReactor* MatchRequest(grpc::CallbackServerContext* ctx,
                                         const v1::MatchRequestRequest* req,
                                         v1::MatchRequestResponse* resp) override;
  grpc::ServerUnaryReactor* ConfirmRequest(grpc::CallbackServerContext* ctx,
                                           const v1::ConfirmRequestRequest* req,
                                           v1::ConfirmRequestResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteRequest(grpc::CallbackServerContext* ctx,
                                            const v1::CompleteRequestRequest* req,
                                            v1::CompleteRequestResponse* resp) override;
  grpc::ServerUnaryReactor* CancelRequest(grpc::CallbackServerContext* ctx,
                                          const v1::CancelRequestRequest* req,
                                          v1::CancelRequestResponse* resp) override;
  grpc::ServerUnaryReactor* MarkNoShow(grpc::CallbackServerContext* ctx,
                                       const v1::MarkNoShowRequest* req,
                                       v1::MarkNoShowResponse* resp) override;
  grpc::ServerUnaryReactor* LogHours(grpc::CallbackServerContext* ctx,
                                     const v1::LogHoursRequest* req,
                                     v1::LogHoursResponse* resp) override;
  grpc::ServerUnaryReactor* ListHours(grpc::CallbackServerContext* ctx,
                                      const v1::ListHoursRequest* req,
                                      v1::ListHoursResponse* resp) override;
  grpc::ServerUnaryReactor* AddEvaluation(grpc::CallbackServerContext* ctx,
                                          const v1::AddEvaluationRequest* req,
                                          v1::AddEvaluationResponse* resp) override;
  grpc::ServerUnaryReactor* ListEvaluations(grpc::CallbackServerContext* ctx,
                                            const v1::ListEvaluationsRequest* req,
                                            v1::ListEvaluationsResponse* resp) override;
  grpc::ServerUnaryReactor* ListExpiringRecordChecks(
      grpc::CallbackServerContext* ctx, const v1::ListExpiringRecordChecksRequest* req,
      v1::ListExpiringRecordChecksResponse* resp) override;
  grpc::ServerUnaryReactor* ListInactiveVolunteers(
      grpc::CallbackServerContext* ctx, const v1::ListInactiveVolunteersRequest* req,
      v1::ListInactiveVolunteersResponse* resp) override;
  grpc::ServerUnaryReactor* GetMonthlyStats(grpc::CallbackServerContext* ctx,
                                            const v1::GetMonthlyStatsRequest* req,
                                            v1::GetMonthlyStatsResponse* resp) override;

 private:
  VolunteersStore& store_;
  server::WorkPool& pool_;
  const bool inline_reads_;
};

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_SERVICE_H_
