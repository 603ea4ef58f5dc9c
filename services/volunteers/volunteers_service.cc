#include "services/volunteers/volunteers_service.h"

#include "common/i18n/call_language.h"
#include "common/server/unary.h"
#include "common/status/status_macros.h"
#include "services/volunteers/domain/list_filters.h"

namespace helhed::volunteers {

grpc::ServerUnaryReactor* VolunteersServiceImpl::CreateOrganisation(
    grpc::CallbackServerContext* ctx, const v1::CreateOrganisationRequest* req,
    v1::CreateOrganisationResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->organisation(), req->idempotency_key(),
                             resp->mutable_organisation());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::GetOrganisation(
    grpc::CallbackServerContext* ctx, const v1::GetOrganisationRequest* req,
    v1::GetOrganisationResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_organisation());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::UpdateOrganisation(
    grpc::CallbackServerContext* ctx, const v1::UpdateOrganisationRequest* req,
    v1::UpdateOrganisationResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Update(p.municipality_code(), req->organisation(), req->update_mask(),
                             resp->mutable_organisation());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ArchiveOrganisation(
    grpc::CallbackServerContext* ctx, const v1::ArchiveOrganisationRequest* req,
    v1::ArchiveOrganisationResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_organisation());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListOrganisations(
    grpc::CallbackServerContext* ctx, const v1::ListOrganisationsRequest* req,
    v1::ListOrganisationsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_organisations(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CreateVolunteer(
    grpc::CallbackServerContext* ctx, const v1::CreateVolunteerRequest* req,
    v1::CreateVolunteerResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->volunteer(), req->idempotency_key(),
                             resp->mutable_volunteer());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::GetVolunteer(grpc::CallbackServerContext* ctx,
                                                              const v1::GetVolunteerRequest* req,
                                                              v1::GetVolunteerResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_volunteer());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::UpdateVolunteer(
    grpc::CallbackServerContext* ctx, const v1::UpdateVolunteerRequest* req,
    v1::UpdateVolunteerResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Update(p.municipality_code(), req->volunteer(),
                                                   req->update_mask(), resp->mutable_volunteer());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ArchiveVolunteer(
    grpc::CallbackServerContext* ctx, const v1::ArchiveVolunteerRequest* req,
    v1::ArchiveVolunteerResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_volunteer());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListVolunteers(
    grpc::CallbackServerContext* ctx, const v1::ListVolunteersRequest* req,
    v1::ListVolunteersResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_volunteers(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CreateActivity(
    grpc::CallbackServerContext* ctx, const v1::CreateActivityRequest* req,
    v1::CreateActivityResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->activity(), req->idempotency_key(),
                             resp->mutable_activity());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::GetActivity(grpc::CallbackServerContext* ctx,
                                                             const v1::GetActivityRequest* req,
                                                             v1::GetActivityResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_activity());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::UpdateActivity(
    grpc::CallbackServerContext* ctx, const v1::UpdateActivityRequest* req,
    v1::UpdateActivityResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Update(p.municipality_code(), req->activity(),
                                                   req->update_mask(), resp->mutable_activity());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ArchiveActivity(
    grpc::CallbackServerContext* ctx, const v1::ArchiveActivityRequest* req,
    v1::ArchiveActivityResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_activity());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListActivities(
    grpc::CallbackServerContext* ctx, const v1::ListActivitiesRequest* req,
    v1::ListActivitiesResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_activities(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CreateAccompanimentRequest(
    grpc::CallbackServerContext* ctx, const v1::CreateAccompanimentRequestRequest* req,
    v1::CreateAccompanimentRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->accompaniment_request(),
                             req->idempotency_key(), resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::GetAccompanimentRequest(
    grpc::CallbackServerContext* ctx, const v1::GetAccompanimentRequestRequest* req,
    v1::GetAccompanimentRequestResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::UpdateAccompanimentRequest(
    grpc::CallbackServerContext* ctx, const v1::UpdateAccompanimentRequestRequest* req,
    v1::UpdateAccompanimentRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Update(p.municipality_code(), req->accompaniment_request(),
                             req->update_mask(), resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ArchiveAccompanimentRequest(
    grpc::CallbackServerContext* ctx, const v1::ArchiveAccompanimentRequestRequest* req,
    v1::ArchiveAccompanimentRequestResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_accompaniment_request());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListAccompanimentRequests(
    grpc::CallbackServerContext* ctx, const v1::ListAccompanimentRequestsRequest* req,
    v1::ListAccompanimentRequestsResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.List(p.municipality_code(), filter, page,
                                                 resp->mutable_accompaniment_requests(),
                                                 resp->mutable_page()->mutable_next_page_token());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::SignUp(grpc::CallbackServerContext* ctx,
                                                        const v1::SignUpRequest* req,
                                                        v1::SignUpResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.SignUp(p.municipality_code(), *req, resp);
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CancelSignUp(grpc::CallbackServerContext* ctx,
                                                              const v1::CancelSignUpRequest* req,
                                                              v1::CancelSignUpResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.CancelSignUp(p.municipality_code(), req->sign_up_id(),
                                                         resp->mutable_sign_up());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListSignUps(grpc::CallbackServerContext* ctx,
                                                             const v1::ListSignUpsRequest* req,
                                                             v1::ListSignUpsResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.ListSignUps(p.municipality_code(), *req, page, resp);
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::RankCandidates(
    grpc::CallbackServerContext* ctx, const v1::RankCandidatesRequest* req,
    v1::RankCandidatesResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, language](const auth::Principal& p) -> absl::Status {
        return store_.RankCandidates(p.municipality_code(), req->accompaniment_id(), req->limit(),
                                     req->explain_volunteer_id(), language, resp);
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::MatchRequest(grpc::CallbackServerContext* ctx,
                                                              const v1::MatchRequestRequest* req,
                                                              v1::MatchRequestResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, language](const auth::Principal& p) -> absl::Status {
                              return store_.Match(p.municipality_code(), *req, language,
                                                  resp->mutable_accompaniment_request());
                            });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ConfirmRequest(
    grpc::CallbackServerContext* ctx, const v1::ConfirmRequestRequest* req,
    v1::ConfirmRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Transition(p.municipality_code(), req->accompaniment_id(), req->etag(),
                                 v1::REQUEST_STATE_CONFIRMED, "",
                                 resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CompleteRequest(
    grpc::CallbackServerContext* ctx, const v1::CompleteRequestRequest* req,
    v1::CompleteRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Complete(p.municipality_code(), *req, resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::CancelRequest(grpc::CallbackServerContext* ctx,
                                                               const v1::CancelRequestRequest* req,
                                                               v1::CancelRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Transition(p.municipality_code(), req->accompaniment_id(), req->etag(),
                                 v1::REQUEST_STATE_CANCELLED, req->reason(),
                                 resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::MarkNoShow(grpc::CallbackServerContext* ctx,
                                                            const v1::MarkNoShowRequest* req,
                                                            v1::MarkNoShowResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Transition(p.municipality_code(), req->accompaniment_id(), req->etag(),
                                 v1::REQUEST_STATE_NO_SHOW, "",
                                 resp->mutable_accompaniment_request());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::LogHours(grpc::CallbackServerContext* ctx,
                                                          const v1::LogHoursRequest* req,
                                                          v1::LogHoursResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.LogHours(p.municipality_code(), *req, resp->mutable_entry());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListHours(grpc::CallbackServerContext* ctx,
                                                           const v1::ListHoursRequest* req,
                                                           v1::ListHoursResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.ListHours(p.municipality_code(), req->volunteer_id(), page, resp);
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::AddEvaluation(grpc::CallbackServerContext* ctx,
                                                               const v1::AddEvaluationRequest* req,
                                                               v1::AddEvaluationResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.AddEvaluation(p.municipality_code(), *req, resp->mutable_evaluation());
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListEvaluations(
    grpc::CallbackServerContext* ctx, const v1::ListEvaluationsRequest* req,
    v1::ListEvaluationsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.ListEvaluations(p.municipality_code(), *req, page, resp);
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListExpiringRecordChecks(
    grpc::CallbackServerContext* ctx, const v1::ListExpiringRecordChecksRequest* req,
    v1::ListExpiringRecordChecksResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.ListExpiringRecordChecks(p.municipality_code(), req->within_days(), resp);
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::ListInactiveVolunteers(
    grpc::CallbackServerContext* ctx, const v1::ListInactiveVolunteersRequest* req,
    v1::ListInactiveVolunteersResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.ListInactiveVolunteers(p.municipality_code(), req->inactive_days(), resp);
      });
}

grpc::ServerUnaryReactor* VolunteersServiceImpl::GetMonthlyStats(
    grpc::CallbackServerContext* ctx, const v1::GetMonthlyStatsRequest* req,
    v1::GetMonthlyStatsResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.GetMonthlyStats(p.municipality_code(), req->year(),
                                                            req->month(), resp->mutable_stats());
                            });
}

}  // namespace helhed::volunteers
