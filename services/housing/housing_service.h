// gRPC handlers of helhed.housing.v1: read the principal, call one store
// function, map the status. Thin by design.
#ifndef HELHED_SERVICES_HOUSING_HOUSING_SERVICE_H_
#define HELHED_SERVICES_HOUSING_HOUSING_SERVICE_H_

#include "common/server/work_pool.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "services/housing/housing_store.h"

namespace helhed::housing {

// Thread-safe.
class HousingServiceImpl final : public v1::HousingService::CallbackService {
 public:
  // `inline_reads`: answer single-row gets on the gRPC thread (local store only).
  HousingServiceImpl(HousingStore& store, server::WorkPool& pool, bool inline_reads)
      : store_(store), pool_(pool), inline_reads_(inline_reads) {}

  grpc::ServerUnaryReactor* CreateUnit(grpc::CallbackServerContext* ctx,
                                       const v1::CreateUnitRequest* req,
                                       v1::CreateUnitResponse* resp) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* ctx, const v1::GetUnitRequest* req,
                                    v1::GetUnitResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateUnit(grpc::CallbackServerContext* ctx,
                                       const v1::UpdateUnitRequest* req,
                                       v1::UpdateUnitResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveUnit(grpc::CallbackServerContext* ctx,
                                        const v1::ArchiveUnitRequest* req,
                                        v1::ArchiveUnitResponse* resp) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* ctx,
                                      const v1::ListUnitsRequest* req,
                                      v1::ListUnitsResponse* resp) override;
  grpc::ServerUnaryReactor* SetUnitAvailability(grpc::CallbackServerContext* ctx,
                                                const v1::SetUnitAvailabilityRequest* req,
                                                v1::SetUnitAvailabilityResponse* resp) override;
  grpc::ServerUnaryReactor* CreateApplication(grpc::CallbackServerContext* ctx,
                                              const v1::CreateApplicationRequest* req,
                                              v1::CreateApplicationResponse* resp) override;
  grpc::ServerUnaryReactor* GetApplication(grpc::CallbackServerContext* ctx,
                                           const v1::GetApplicationRequest* req,
                                           v1::GetApplicationResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateApplication(grpc::CallbackServerContext* ctx,
                                              const v1::UpdateApplicationRequest* req,
                                              v1::UpdateApplicationResponse* resp) override;
  grpc::ServerUnaryReactor* ArchiveApplication(grpc::CallbackServerContext* ctx,
                                               const v1::ArchiveApplicationRequest* req,
                                               v1::ArchiveApplicationResponse* resp) override;
  grpc::ServerUnaryReactor* ListApplications(grpc::CallbackServerContext* ctx,
                                             const v1::ListApplicationsRequest* req,
                                             v1::ListApplicationsResponse* resp) override;
  grpc::ServerUnaryReactor* WithdrawApplication(grpc::CallbackServerContext* ctx,
                                                const v1::WithdrawApplicationRequest* req,
                                                v1::WithdrawApplicationResponse* resp) override;
  grpc::ServerUnaryReactor* GetPriorityRule(grpc::CallbackServerContext* ctx,
                                            const v1::GetPriorityRuleRequest* req,
                                            v1::GetPriorityRuleResponse* resp) override;
  grpc::ServerUnaryReactor* UpdatePriorityRule(grpc::CallbackServerContext* ctx,
                                               const v1::UpdatePriorityRuleRequest* req,
                                               v1::UpdatePriorityRuleResponse* resp) override;
  grpc::ServerUnaryReactor* GetApplicationStanding(
      grpc::CallbackServerContext* ctx, const v1::GetApplicationStandingRequest* req,
      v1::GetApplicationStandingResponse* resp) override;
  grpc::ServerUnaryReactor* RankCandidates(grpc::CallbackServerContext* ctx,
                                           const v1::RankCandidatesRequest* req,
                                           v1::RankCandidatesResponse* resp) override;
  grpc::ServerUnaryReactor* MakeOffer(grpc::CallbackServerContext* ctx,
                                      const v1::MakeOfferRequest* req,
                                      v1::MakeOfferResponse* resp) override;
  grpc::ServerUnaryReactor* AcceptOffer(grpc::CallbackServerContext* ctx,
                                        const v1::AcceptOfferRequest* req,
                                        v1::AcceptOfferResponse* resp) override;
  grpc::ServerUnaryReactor* DeclineOffer(grpc::CallbackServerContext* ctx,
                                         const v1::DeclineOfferRequest* req,
                                         v1::DeclineOfferResponse* resp) override;
  grpc::ServerUnaryReactor* WithdrawOffer(grpc::CallbackServerContext* ctx,
                                          const v1::WithdrawOfferRequest* req,
                                          v1::WithdrawOfferResponse* resp) override;
  grpc::ServerUnaryReactor* GetOffer(grpc::CallbackServerContext* ctx,
                                     const v1::GetOfferRequest* req,
                                     v1::GetOfferResponse* resp) override;
  grpc::ServerUnaryReactor* ListOffers(grpc::CallbackServerContext* ctx,
                                       const v1::ListOffersRequest* req,
                                       v1::ListOffersResponse* resp) override;
  grpc::ServerUnaryReactor* CreateTenancy(grpc::CallbackServerContext* ctx,
                                          const v1::CreateTenancyRequest* req,
                                          v1::CreateTenancyResponse* resp) override;
  grpc::ServerUnaryReactor* GetTenancy(grpc::CallbackServerContext* ctx,
                                       const v1::GetTenancyRequest* req,
                                       v1::GetTenancyResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateTenancy(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateTenancyRequest* req,
                                          v1::UpdateTenancyResponse* resp) override;
  grpc::ServerUnaryReactor* ListTenancies(grpc::CallbackServerContext* ctx,
                                          const v1::ListTenanciesRequest* req,
                                          v1::ListTenanciesResponse* resp) override;
  grpc::ServerUnaryReactor* EndTenancy(grpc::CallbackServerContext* ctx,
                                       const v1::EndTenancyRequest* req,
                                       v1::EndTenancyResponse* resp) override;
  grpc::ServerUnaryReactor* GetHousingStats(grpc::CallbackServerContext* ctx,
                                            const v1::GetHousingStatsRequest* req,
                                            v1::GetHousingStatsResponse* resp) override;

 private:
  HousingStore& store_;
  server::WorkPool& pool_;
  const bool inline_reads_;
};

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_HOUSING_SERVICE_H_
