// gRPC handlers of helhed.guides.v1: validate, read the principal, call one
// store function, map the status. Thin by design.
#ifndef HELHED_SERVICES_GUIDES_GUIDES_SERVICE_H_
#define HELHED_SERVICES_GUIDES_GUIDES_SERVICE_H_

#include "common/server/work_pool.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "services/guides/guides_store.h"

namespace helhed::guides {

// Thread-safe.
class GuidesServiceImpl final : public v1::GuidesService::CallbackService {
 public:
  // `inline_reads`: answer single-row gets on the gRPC thread (local store only).
  GuidesServiceImpl(GuidesStore& store, server::WorkPool& pool, bool inline_reads)
      : store_(store), pool_(pool), inline_reads_(inline_reads) {}

  grpc::ServerUnaryReactor* CreateGuide(grpc::CallbackServerContext* ctx,
                                        const v1::CreateGuideRequest* req,
                                        v1::CreateGuideResponse* resp) override;
  grpc::ServerUnaryReactor* GetGuide(grpc::CallbackServerContext* ctx,
                                     const v1::GetGuideRequest* req,
                                     v1::GetGuideResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateGuide(grpc::CallbackServerContext* ctx,
                                        const v1::UpdateGuideRequest* req,
                                        v1::UpdateGuideResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveGuide(grpc::CallbackServerContext* ctx,
                                         const v1::ArchiveGuideRequest* req,
                                         v1::ArchiveGuideResponse* resp) override;
  grpc::ServerUnaryReactor* ListGuides(grpc::CallbackServerContext* ctx,
                                       const v1::ListGuidesRequest* req,
                                       v1::ListGuidesResponse* resp) override;
  grpc::ServerUnaryReactor* CreateGuidanceRequest(grpc::CallbackServerContext* ctx,
                                                  const v1::CreateGuidanceRequestRequest* req,
                                                  v1::CreateGuidanceRequestResponse* resp) override;
  grpc::ServerUnaryReactor* GetGuidanceRequest(grpc::CallbackServerContext* ctx,
                                               const v1::GetGuidanceRequestRequest* req,
                                               v1::GetGuidanceRequestResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateGuidanceRequest(grpc::CallbackServerContext* ctx,
                                                  const v1::UpdateGuidanceRequestRequest* req,
                                                  v1::UpdateGuidanceRequestResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveGuidanceRequest(
      grpc::CallbackServerContext* ctx, const v1::ArchiveGuidanceRequestRequest* req,
      v1::ArchiveGuidanceRequestResponse* resp) override;
  grpc::ServerUnaryReactor* ListGuidanceRequests(grpc::CallbackServerContext* ctx,
                                                 const v1::ListGuidanceRequestsRequest* req,
                                                 v1::ListGuidanceRequestsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateGroupSession(grpc::CallbackServerContext* ctx,
                                               const v1::CreateGroupSessionRequest* req,
                                               v1::CreateGroupSessionResponse* resp) override;
  grpc::ServerUnaryReactor* GetGroupSession(grpc::CallbackServerContext* ctx,
                                            const v1::GetGroupSessionRequest* req,
                                            v1::GetGroupSessionResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateGroupSession(grpc::CallbackServerContext* ctx,
                                               const v1::UpdateGroupSessionRequest* req,
                                               v1::UpdateGroupSessionResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveGroupSession(grpc::CallbackServerContext* ctx,
                                                const v1::ArchiveGroupSessionRequest* req,
                                                v1::ArchiveGroupSessionResponse* resp) override;
  grpc::ServerUnaryReactor* ListGroupSessions(grpc::CallbackServerContext* ctx,
                                              const v1::ListGroupSessionsRequest* req,
                                              v1::ListGroupSessionsResponse* resp) override;
  grpc::ServerUnaryReactor* RankGuides(grpc::CallbackServerContext* ctx,
                                       const v1::RankGuidesRequest* req,
                                       v1::RankGuidesResponse* resp) override;
  grpc::ServerUnaryReactor* ProposeMatch(grpc::CallbackServerContext* ctx,
                                         const v1::ProposeMatchRequest* req,
                                         v1::ProposeMatchResponse* resp) override;
  grpc::ServerUnaryReactor* AcceptMatch(grpc::CallbackServerContext* ctx,
                                        const v1::AcceptMatchRequest* req,
                                        v1::AcceptMatchResponse* resp) override;
  grpc::ServerUnaryReactor* ActivateMatch(grpc::CallbackServerContext* ctx,
                                          const v1::ActivateMatchRequest* req,
                                          v1::ActivateMatchResponse* resp) override;
  grpc::ServerUnaryReactor* DeclineMatch(grpc::CallbackServerContext* ctx,
                                         const v1::DeclineMatchRequest* req,
                                         v1::DeclineMatchResponse* resp) override;
  grpc::ServerUnaryReactor* EndMatch(grpc::CallbackServerContext* ctx,
                                     const v1::EndMatchRequest* req,
                                     v1::EndMatchResponse* resp) override;
  grpc::ServerUnaryReactor* GetMatch(grpc::CallbackServerContext* ctx,
                                     const v1::GetMatchRequest* req,
                                     v1::GetMatchResponse* resp) override;
  grpc::ServerUnaryReactor* ListMatches(grpc::CallbackServerContext* ctx,
                                        const v1::ListMatchesRequest* req,
                                        v1::ListMatchesResponse* resp) override;
  grpc::ServerUnaryReactor* LogMeeting(grpc::CallbackServerContext* ctx,
                                       const v1::LogMeetingRequest* req,
                                       v1::LogMeetingResponse* resp) override;
  grpc::ServerUnaryReactor* ListMeetings(grpc::CallbackServerContext* ctx,
                                         const v1::ListMeetingsRequest* req,
                                         v1::ListMeetingsResponse* resp) override;
  grpc::ServerUnaryReactor* AssignBatch(grpc::CallbackServerContext* ctx,
                                        const v1::AssignBatchRequest* req,
                                        v1::AssignBatchResponse* resp) override;
  grpc::ServerUnaryReactor* GetCoordinatorStats(grpc::CallbackServerContext* ctx,
                                                const v1::GetCoordinatorStatsRequest* req,
                                                v1::GetCoordinatorStatsResponse* resp) override;

 private:
  GuidesStore& store_;
  server::WorkPool& pool_;
  const bool inline_reads_;
};

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_GUIDES_SERVICE_H_
