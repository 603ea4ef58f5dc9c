#include "services/guides/guides_service.h"

#include "common/i18n/call_language.h"
#include "common/server/unary.h"
#include "common/status/status_macros.h"
#include "services/guides/domain/list_filters.h"

namespace helhed::guides {

grpc::ServerUnaryReactor* GuidesServiceImpl::CreateGuide(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateGuideRequest* req,
                                                         v1::CreateGuideResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Create(p.municipality_code(), req->guide(),
                                                   req->idempotency_key(), resp->mutable_guide());
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::GetGuide(grpc::CallbackServerContext* ctx,
                                                      const v1::GetGuideRequest* req,
                                                      v1::GetGuideResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_guide());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::UpdateGuide(grpc::CallbackServerContext* ctx,
                                                         const v1::UpdateGuideRequest* req,
                                                         v1::UpdateGuideResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Update(p.municipality_code(), req->guide(),
                                                   req->update_mask(), resp->mutable_guide());
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ArchiveGuide(grpc::CallbackServerContext* ctx,
                                                          const v1::ArchiveGuideRequest* req,
                                                          v1::ArchiveGuideResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Archive(p.municipality_code(), req->id(), req->etag(), resp->mutable_guide());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ListGuides(grpc::CallbackServerContext* ctx,
                                                        const v1::ListGuidesRequest* req,
                                                        v1::ListGuidesResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_guides(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::CreateGuidanceRequest(
    grpc::CallbackServerContext* ctx, const v1::CreateGuidanceRequestRequest* req,
    v1::CreateGuidanceRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->guidance_request(), req->idempotency_key(),
                             resp->mutable_guidance_request());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::GetGuidanceRequest(
    grpc::CallbackServerContext* ctx, const v1::GetGuidanceRequestRequest* req,
    v1::GetGuidanceRequestResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_guidance_request());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::UpdateGuidanceRequest(
    grpc::CallbackServerContext* ctx, const v1::UpdateGuidanceRequestRequest* req,
    v1::UpdateGuidanceRequestResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Update(p.municipality_code(), req->guidance_request(), req->update_mask(),
                             resp->mutable_guidance_request());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ArchiveGuidanceRequest(
    grpc::CallbackServerContext* ctx, const v1::ArchiveGuidanceRequestRequest* req,
    v1::ArchiveGuidanceRequestResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_guidance_request());
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ListGuidanceRequests(
    grpc::CallbackServerContext* ctx, const v1::ListGuidanceRequestsRequest* req,
    v1::ListGuidanceRequestsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_guidance_requests(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::CreateGroupSession(
    grpc::CallbackServerContext* ctx, const v1::CreateGroupSessionRequest* req,
    v1::CreateGroupSessionResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Create(p.municipality_code(), req->group_session(), req->idempotency_key(),
                             resp->mutable_group_session());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::GetGroupSession(grpc::CallbackServerContext* ctx,
                                                             const v1::GetGroupSessionRequest* req,
                                                             v1::GetGroupSessionResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Get(p.municipality_code(), req->id(), resp->mutable_group_session());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::UpdateGroupSession(
    grpc::CallbackServerContext* ctx, const v1::UpdateGroupSessionRequest* req,
    v1::UpdateGroupSessionResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Update(p.municipality_code(), req->group_session(), req->update_mask(),
                             resp->mutable_group_session());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ArchiveGroupSession(
    grpc::CallbackServerContext* ctx, const v1::ArchiveGroupSessionRequest* req,
    v1::ArchiveGroupSessionResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.Archive(p.municipality_code(), req->id(), req->etag(),
                                                    resp->mutable_group_session());
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ListGroupSessions(
    grpc::CallbackServerContext* ctx, const v1::ListGroupSessionsRequest* req,
    v1::ListGroupSessionsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.List(p.municipality_code(), filter, page, resp->mutable_group_sessions(),
                           resp->mutable_page()->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::RankGuides(grpc::CallbackServerContext* ctx,
                                                        const v1::RankGuidesRequest* req,
                                                        v1::RankGuidesResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, language](const auth::Principal& p) -> absl::Status {
        return store_.Rank(p.municipality_code(), req->guidance_request_id(), req->limit(),
                           req->explain_guide_id(), language, resp);
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ProposeMatch(grpc::CallbackServerContext* ctx,
                                                          const v1::ProposeMatchRequest* req,
                                                          v1::ProposeMatchResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, language](const auth::Principal& p) -> absl::Status {
        return store_.Propose(p.municipality_code(), *req, language, resp->mutable_match());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::AcceptMatch(grpc::CallbackServerContext* ctx,
                                                         const v1::AcceptMatchRequest* req,
                                                         v1::AcceptMatchResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Advance(p.municipality_code(), req->match_id(), req->etag(),
                              v1::MATCH_STATE_ACCEPTED, resp->mutable_match());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ActivateMatch(grpc::CallbackServerContext* ctx,
                                                           const v1::ActivateMatchRequest* req,
                                                           v1::ActivateMatchResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Advance(p.municipality_code(), req->match_id(), req->etag(),
                              v1::MATCH_STATE_ACTIVE, resp->mutable_match());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::DeclineMatch(grpc::CallbackServerContext* ctx,
                                                          const v1::DeclineMatchRequest* req,
                                                          v1::DeclineMatchResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Decline(p.municipality_code(), *req, resp->mutable_match());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::EndMatch(grpc::CallbackServerContext* ctx,
                                                      const v1::EndMatchRequest* req,
                                                      v1::EndMatchResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              return store_.End(p.municipality_code(), *req, resp->mutable_match());
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::GetMatch(grpc::CallbackServerContext* ctx,
                                                      const v1::GetMatchRequest* req,
                                                      v1::GetMatchResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.GetMatch(p.municipality_code(), req->match_id(), resp->mutable_match());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ListMatches(grpc::CallbackServerContext* ctx,
                                                         const v1::ListMatchesRequest* req,
                                                         v1::ListMatchesResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.ListMatches(p.municipality_code(), *req, page, resp);
                            });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::LogMeeting(grpc::CallbackServerContext* ctx,
                                                        const v1::LogMeetingRequest* req,
                                                        v1::LogMeetingResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.LogMeeting(p.municipality_code(), *req, resp->mutable_meeting());
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::ListMeetings(grpc::CallbackServerContext* ctx,
                                                          const v1::ListMeetingsRequest* req,
                                                          v1::ListMeetingsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
        return store_.ListMeetings(p.municipality_code(), req->match_id(), page, resp);
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::AssignBatch(grpc::CallbackServerContext* ctx,
                                                         const v1::AssignBatchRequest* req,
                                                         v1::AssignBatchResponse* resp) {
  const i18n::Language language = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, language](const auth::Principal& p) -> absl::Status {
        return store_.AssignBatch(p.municipality_code(), req->dry_run(), language, resp);
      });
}

grpc::ServerUnaryReactor* GuidesServiceImpl::GetCoordinatorStats(
    grpc::CallbackServerContext* ctx, const v1::GetCoordinatorStatsRequest* req,
    v1::GetCoordinatorStatsResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        return store_.Stats(p.municipality_code(), req->training_within_days(),
                            resp->mutable_stats());
      });
}

}  // namespace helhed::guides
