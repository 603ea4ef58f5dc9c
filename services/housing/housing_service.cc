#include "services/housing/housing_service.h"

#include "common/i18n/call_language.h"
#include "common/server/unary.h"
#include "common/status/status_macros.h"
#include "services/housing/domain/list_filters.h"
#include "services/housing/domain/stats.h"

namespace helhed::housing {

grpc::ServerUnaryReactor* HousingServiceImpl::CreateUnit(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateUnitRequest* req,
                                                         v1::CreateUnitResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.Create(m, req->unit(), req->idempotency_key(), resp->mutable_unit());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetUnit(grpc::CallbackServerContext* ctx,
                                                      const v1::GetUnitRequest* req,
                                                      v1::GetUnitResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_,
                           [this, req, resp](const auth::Principal& p) -> absl::Status {
                             const std::string& m = p.municipality_code();
                             return store_.Get(m, req->id(), resp->mutable_unit());
                           });
}

grpc::ServerUnaryReactor* HousingServiceImpl::UpdateUnit(grpc::CallbackServerContext* ctx,
                                                         const v1::UpdateUnitRequest* req,
                                                         v1::UpdateUnitResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.Update(m, req->unit(), req->update_mask(), resp->mutable_unit());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ArchiveUnit(grpc::CallbackServerContext* ctx,
                                                          const v1::ArchiveUnitRequest* req,
                                                          v1::ArchiveUnitResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.Archive(m, req->id(), req->etag(), resp->mutable_unit());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ListUnits(grpc::CallbackServerContext* ctx,
                                                        const v1::ListUnitsRequest* req,
                                                        v1::ListUnitsResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.List(m, filter, page, resp->mutable_units(),
                                                 resp->mutable_page()->mutable_next_page_token());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::SetUnitAvailability(
    grpc::CallbackServerContext* ctx, const v1::SetUnitAvailabilityRequest* req,
    v1::SetUnitAvailabilityResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.SetUnitAvailability(m, req->id(), req->etag(), req->available(), lang,
                                          resp->mutable_unit());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::CreateApplication(
    grpc::CallbackServerContext* ctx, const v1::CreateApplicationRequest* req,
    v1::CreateApplicationResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.Create(m, req->application(), req->idempotency_key(),
                                                   resp->mutable_application());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetApplication(grpc::CallbackServerContext* ctx,
                                                             const v1::GetApplicationRequest* req,
                                                             v1::GetApplicationResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_,
                           [this, req, resp](const auth::Principal& p) -> absl::Status {
                             const std::string& m = p.municipality_code();
                             return store_.Get(m, req->id(), resp->mutable_application());
                           });
}

grpc::ServerUnaryReactor* HousingServiceImpl::UpdateApplication(
    grpc::CallbackServerContext* ctx, const v1::UpdateApplicationRequest* req,
    v1::UpdateApplicationResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.Update(m, req->application(), req->update_mask(),
                                                   resp->mutable_application());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ArchiveApplication(
    grpc::CallbackServerContext* ctx, const v1::ArchiveApplicationRequest* req,
    v1::ArchiveApplicationResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.Archive(m, req->id(), req->etag(), resp->mutable_application());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ListApplications(
    grpc::CallbackServerContext* ctx, const v1::ListApplicationsRequest* req,
    v1::ListApplicationsResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.List(m, filter, page, resp->mutable_applications(),
                                                 resp->mutable_page()->mutable_next_page_token());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::WithdrawApplication(
    grpc::CallbackServerContext* ctx, const v1::WithdrawApplicationRequest* req,
    v1::WithdrawApplicationResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.WithdrawApplication(m, req->id(), req->etag(), resp->mutable_application());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetPriorityRule(
    grpc::CallbackServerContext* ctx, const v1::GetPriorityRuleRequest* /*req*/,
    v1::GetPriorityRuleResponse* resp) {
  return server::ServeRead(
      ctx, pool_, inline_reads_, [this, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        bool is_default = false;
        HELHED_RETURN_IF_ERROR(store_.GetRule(m, resp->mutable_rule(), &is_default));
        resp->set_is_default(is_default);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::UpdatePriorityRule(
    grpc::CallbackServerContext* ctx, const v1::UpdatePriorityRuleRequest* req,
    v1::UpdatePriorityRuleResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.UpdateRule(m, req->rule(), resp->mutable_rule());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetApplicationStanding(
    grpc::CallbackServerContext* ctx, const v1::GetApplicationStandingRequest* req,
    v1::GetApplicationStandingResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.Standing(m, req->application_id(), lang, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::RankCandidates(grpc::CallbackServerContext* ctx,
                                                             const v1::RankCandidatesRequest* req,
                                                             v1::RankCandidatesResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.Rank(m, req->unit_id(), req->limit(),
                                                 req->explain_application_id(), lang, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::MakeOffer(grpc::CallbackServerContext* ctx,
                                                        const v1::MakeOfferRequest* req,
                                                        v1::MakeOfferResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.MakeOffer(m, *req, lang, resp->mutable_offer());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::AcceptOffer(grpc::CallbackServerContext* ctx,
                                                          const v1::AcceptOfferRequest* req,
                                                          v1::AcceptOfferResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.AcceptOffer(m, *req, lang, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::DeclineOffer(grpc::CallbackServerContext* ctx,
                                                           const v1::DeclineOfferRequest* req,
                                                           v1::DeclineOfferResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.DeclineOffer(m, *req, lang, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::WithdrawOffer(grpc::CallbackServerContext* ctx,
                                                            const v1::WithdrawOfferRequest* req,
                                                            v1::WithdrawOfferResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.WithdrawOffer(m, *req, lang, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetOffer(grpc::CallbackServerContext* ctx,
                                                       const v1::GetOfferRequest* req,
                                                       v1::GetOfferResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_,
                           [this, req, resp](const auth::Principal& p) -> absl::Status {
                             const std::string& m = p.municipality_code();
                             return store_.GetOffer(m, req->offer_id(), resp->mutable_offer());
                           });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ListOffers(grpc::CallbackServerContext* ctx,
                                                         const v1::ListOffersRequest* req,
                                                         v1::ListOffersResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.ListOffers(m, *req, page, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::CreateTenancy(grpc::CallbackServerContext* ctx,
                                                            const v1::CreateTenancyRequest* req,
                                                            v1::CreateTenancyResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.CreateTenancy(m, req->tenancy(), req->idempotency_key(),
                                                          resp->mutable_tenancy());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetTenancy(grpc::CallbackServerContext* ctx,
                                                         const v1::GetTenancyRequest* req,
                                                         v1::GetTenancyResponse* resp) {
  return server::ServeRead(ctx, pool_, inline_reads_,
                           [this, req, resp](const auth::Principal& p) -> absl::Status {
                             const std::string& m = p.municipality_code();
                             return store_.Get(m, req->id(), resp->mutable_tenancy());
                           });
}

grpc::ServerUnaryReactor* HousingServiceImpl::UpdateTenancy(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdateTenancyRequest* req,
                                                            v1::UpdateTenancyResponse* resp) {
  return server::ServeUnary(
      ctx, pool_, [this, req, resp](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        return store_.Update(m, req->tenancy(), req->update_mask(), resp->mutable_tenancy());
      });
}

grpc::ServerUnaryReactor* HousingServiceImpl::ListTenancies(grpc::CallbackServerContext* ctx,
                                                            const v1::ListTenanciesRequest* req,
                                                            v1::ListTenanciesResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              HELHED_ASSIGN_OR_RETURN(store::ListFilter filter, FilterOf(*req));
                              HELHED_ASSIGN_OR_RETURN(store::Page page, PageOf(req->page()));
                              return store_.List(m, filter, page, resp->mutable_tenancies(),
                                                 resp->mutable_page()->mutable_next_page_token());
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::EndTenancy(grpc::CallbackServerContext* ctx,
                                                         const v1::EndTenancyRequest* req,
                                                         v1::EndTenancyResponse* resp) {
  return server::ServeUnary(ctx, pool_,
                            [this, req, resp](const auth::Principal& p) -> absl::Status {
                              const std::string& m = p.municipality_code();
                              return store_.EndTenancy(m, *req, resp);
                            });
}

grpc::ServerUnaryReactor* HousingServiceImpl::GetHousingStats(grpc::CallbackServerContext* ctx,
                                                              const v1::GetHousingStatsRequest* req,
                                                              v1::GetHousingStatsResponse* resp) {
  const i18n::Language lang = i18n::LanguageOf(*ctx);
  return server::ServeUnary(
      ctx, pool_, [this, req, resp, lang](const auth::Principal& p) -> absl::Status {
        const std::string& m = p.municipality_code();
        v1::HousingStats* stats = resp->mutable_stats();
        HELHED_RETURN_IF_ERROR(store_.Stats(m, req->temporary_days(), stats));
        stats->set_long_stay_count(stats->long_stays_size());
        resp->set_summary(
            StatsSummary(lang, *stats, req->temporary_days() == 0 ? 90 : req->temporary_days()));
        // Named citizens only for the role that works
        // with them; the rest see counts.
        if (!auth::HasRole(p, helhed::common::v1::ROLE_HOUSING_OFFICER)) {
          stats->clear_long_stays();
        }
        return absl::OkStatus();
      });
}

}  // namespace helhed::housing
