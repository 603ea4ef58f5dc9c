#include "services/gateway/gateway_service.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/status/validation.h"
#include "common/store/resources.h"
#include "grpcpp/client_context.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/gateway/audit/cpr.h"

namespace helhed::gateway {
namespace {

constexpr char kOverview[] = "/helhed.gateway.v1.GatewayService/GetCitizenOverview";
constexpr char kResolve[] = "/helhed.gateway.v1.GatewayService/ResolveCitizen";
constexpr char kListEvents[] = "/helhed.gateway.v1.AuditService/ListAuditEvents";
constexpr char kAccessLog[] = "/helhed.gateway.v1.AuditService/GetCitizenAccessLog";

// A context for one backend call of the overview: the caller's principal
// and deadline.
std::unique_ptr<grpc::ClientContext> Ctx(const CallInfo& info) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(info.deadline);
  auth::AttachPrincipal(ctx.get(), info.principal);
  if (!info.purpose.empty()) ctx->AddMetadata("x-helhed-purpose-bin", info.purpose);
  ctx->AddMetadata(i18n::kLanguageHeader, std::string(i18n::Code(info.language)));
  return ctx;
}

void MarkUnavailable(v1::Section* s, const grpc::Status& status) {
  s->set_status(v1::SECTION_STATUS_UNAVAILABLE);
  s->set_reason(status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? "DEADLINE_EXCEEDED"
                                                                           : "UNAVAILABLE");
}

// The first page of up to 100 is the overview's view; more is listed per service.
helhed::common::v1::PageRequest FirstPage() {
  helhed::common::v1::PageRequest p;
  p.set_page_size(100);
  return p;
}

}  // namespace

bool GatewayMethods::Has(const std::string& method) const {
  return method == kOverview || method == kResolve || method == kListEvents || method == kAccessLog;
}

grpc::Status GatewayMethods::Call(const std::string& method, const CallInfo& info,
                                  const std::string& request, std::string* response) {
  const std::string& muni = info.principal.municipality_code();
  if (method == kOverview) {
    v1::GetCitizenOverviewRequest req;
    if (!req.ParseFromString(request)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          i18n::Message(info.language, "gateway.error.unparsable"));
    }
    FieldViolations v;
    Validator(v).CitizenId("citizen_id", req.citizen_id());
    if (absl::Status s = v.ToStatus(); !s.ok()) return ToGrpcStatus(s, info.language);
    v1::GetCitizenOverviewResponse resp;
    Overview(info, req.citizen_id(), resp.mutable_overview());
    *response = resp.SerializeAsString();
    return grpc::Status::OK;
  }
  if (method == kResolve) {
    v1::ResolveCitizenRequest req;
    if (!req.ParseFromString(request)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          i18n::Message(info.language, "gateway.error.unparsable"));
    }
    auto digits = NormalizeCpr(req.cpr());
    if (!digits.ok()) return ToGrpcStatus(digits.status(), info.language);
    v1::ResolveCitizenResponse resp;
    resp.set_citizen_id(CitizenPseudonym(cpr_key_, *digits));
    *response = resp.SerializeAsString();
    return grpc::Status::OK;
  }
  if (method == kListEvents) {
    v1::ListAuditEventsRequest req;
    if (!req.ParseFromString(request)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          i18n::Message(info.language, "gateway.error.unparsable"));
    }
    auto page = store::PageOf(req.page());
    if (!page.ok()) return ToGrpcStatus(page.status(), info.language);
    v1::ListAuditEventsResponse resp;
    absl::Status s = audit_->List(muni, req, *page, &resp);
    if (!s.ok()) return ToGrpcStatus(s, info.language);
    *response = resp.SerializeAsString();
    return grpc::Status::OK;
  }
  if (method == kAccessLog) {
    v1::GetCitizenAccessLogRequest req;
    if (!req.ParseFromString(request)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          i18n::Message(info.language, "gateway.error.unparsable"));
    }
    auto page = store::PageOf(req.page());
    if (!page.ok()) return ToGrpcStatus(page.status(), info.language);
    v1::GetCitizenAccessLogResponse resp;
    absl::Status s = audit_->AccessLog(muni, req.citizen_id(), *page, &resp);
    if (!s.ok()) return ToGrpcStatus(s, info.language);
    *response = resp.SerializeAsString();
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      i18n::Message(info.language, "gateway.error.no_such_method"));
}

void GatewayMethods::Overview(const CallInfo& info, const std::string& citizen_id,
                              v1::CitizenOverview* out) {
  out->set_citizen_id(citizen_id);
  // Each section on its own thread, all under the caller's deadline.
  auto plans = std::async(std::launch::async, [&] {
    v1::PlanSection section;
    Backend* b = backends_->Find("helhed.plans.v1.CitizenPlansService");
    if (b == nullptr) {
      section.mutable_section()->set_status(v1::SECTION_STATUS_NOT_CONFIGURED);
      return section;
    }
    auto stub = helhed::plans::v1::CitizenPlansService::NewStub(b->channel);
    helhed::plans::v1::ListCitizenPlansRequest req;
    *req.mutable_page() = FirstPage();
    req.set_citizen_id(citizen_id);
    helhed::plans::v1::ListCitizenPlansResponse resp;
    grpc::Status s = stub->ListCitizenPlans(Ctx(info).get(), req, &resp);
    if (!s.ok()) {
      MarkUnavailable(section.mutable_section(), s);
      return section;
    }
    section.mutable_section()->set_status(v1::SECTION_STATUS_AVAILABLE);
    *section.mutable_citizen_plans() = std::move(*resp.mutable_citizen_plans());
    return section;
  });
  auto volunteers = std::async(std::launch::async, [&] {
    v1::VolunteerSection section;
    Backend* b = backends_->Find("helhed.volunteers.v1.VolunteersService");
    if (b == nullptr) {
      section.mutable_section()->set_status(v1::SECTION_STATUS_NOT_CONFIGURED);
      return section;
    }
    auto stub = helhed::volunteers::v1::VolunteersService::NewStub(b->channel);
    helhed::volunteers::v1::ListAccompanimentRequestsRequest req;
    *req.mutable_page() = FirstPage();
    req.set_citizen_id(citizen_id);
    helhed::volunteers::v1::ListAccompanimentRequestsResponse resp;
    grpc::Status s = stub->ListAccompanimentRequests(Ctx(info).get(), req, &resp);
    if (!s.ok()) {
      MarkUnavailable(section.mutable_section(), s);
      return section;
    }
    section.mutable_section()->set_status(v1::SECTION_STATUS_AVAILABLE);
    *section.mutable_accompaniment_requests() = std::move(*resp.mutable_accompaniment_requests());
    return section;
  });
  auto guides = std::async(std::launch::async, [&] {
    v1::GuideSection section;
    Backend* b = backends_->Find("helhed.guides.v1.GuidesService");
    if (b == nullptr) {
      section.mutable_section()->set_status(v1::SECTION_STATUS_NOT_CONFIGURED);
      return section;
    }
    auto stub = helhed::guides::v1::GuidesService::NewStub(b->channel);
    helhed::guides::v1::ListGuidanceRequestsRequest req;
    *req.mutable_page() = FirstPage();
    req.set_citizen_id(citizen_id);
    helhed::guides::v1::ListGuidanceRequestsResponse resp;
    grpc::Status s = stub->ListGuidanceRequests(Ctx(info).get(), req, &resp);
    if (s.ok()) {
      for (const auto& r : resp.guidance_requests()) {
        helhed::guides::v1::ListMatchesRequest mr;
        *mr.mutable_page() = FirstPage();
        mr.set_guidance_request_id(r.id());
        helhed::guides::v1::ListMatchesResponse matches;
        s = stub->ListMatches(Ctx(info).get(), mr, &matches);
        if (!s.ok()) break;
        for (auto& m : *matches.mutable_matches()) *section.add_matches() = std::move(m);
      }
    }
    if (!s.ok()) {
      section.clear_matches();
      MarkUnavailable(section.mutable_section(), s);
      return section;
    }
    section.mutable_section()->set_status(v1::SECTION_STATUS_AVAILABLE);
    *section.mutable_guidance_requests() = std::move(*resp.mutable_guidance_requests());
    return section;
  });
  auto housing = std::async(std::launch::async, [&] {
    v1::HousingSection section;
    Backend* b = backends_->Find("helhed.housing.v1.HousingService");
    if (b == nullptr) {
      section.mutable_section()->set_status(v1::SECTION_STATUS_NOT_CONFIGURED);
      return section;
    }
    auto stub = helhed::housing::v1::HousingService::NewStub(b->channel);
    helhed::housing::v1::ListApplicationsRequest ar;
    *ar.mutable_page() = FirstPage();
    ar.set_citizen_id(citizen_id);
    ar.set_include_archived(false);
    helhed::housing::v1::ListApplicationsResponse apps;
    grpc::Status s = stub->ListApplications(Ctx(info).get(), ar, &apps);
    helhed::housing::v1::ListOffersResponse offers;
    if (s.ok()) {
      helhed::housing::v1::ListOffersRequest orq;
      *orq.mutable_page() = FirstPage();
      orq.set_citizen_id(citizen_id);
      s = stub->ListOffers(Ctx(info).get(), orq, &offers);
    }
    helhed::housing::v1::ListTenanciesResponse tenancies;
    if (s.ok()) {
      helhed::housing::v1::ListTenanciesRequest tr;
      *tr.mutable_page() = FirstPage();
      tr.set_citizen_id(citizen_id);
      s = stub->ListTenancies(Ctx(info).get(), tr, &tenancies);
    }
    if (!s.ok()) {
      MarkUnavailable(section.mutable_section(), s);
      return section;
    }
    section.mutable_section()->set_status(v1::SECTION_STATUS_AVAILABLE);
    *section.mutable_applications() = std::move(*apps.mutable_applications());
    *section.mutable_offers() = std::move(*offers.mutable_offers());
    *section.mutable_tenancies() = std::move(*tenancies.mutable_tenancies());
    return section;
  });
  *out->mutable_plans() = plans.get();
  *out->mutable_volunteers() = volunteers.get();
  *out->mutable_guides() = guides.get();
  *out->mutable_housing() = housing.get();
}

}  // namespace helhed::gateway
