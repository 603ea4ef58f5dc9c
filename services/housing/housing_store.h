// The housing service's storage: its SQL and row mapping. Generic resource
// operations come from common/store/resources.h; this adds offers (a unit
// and an application held atomically, with unique pending keys in the
// schema as the last line of defence), tenancies, the priority rule,
// ranking, expiry and the officer's figures. Every query is scoped to the
// caller's municipality. Thread-safe.
#ifndef HELHED_SERVICES_HOUSING_HOUSING_STORE_H_
#define HELHED_SERVICES_HOUSING_HOUSING_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "common/store/resources.h"
#include "helhed/housing/v1/housing_service.pb.h"

namespace helhed::housing {

using Clock = std::function<absl::Time()>;

class HousingStore {
 public:
  HousingStore(store::Database* db, const store::PageTokens* tokens, Clock clock)
      : db_(db), tokens_(tokens), clock_(std::move(clock)) {}

  // T in HousingUnit, Application, Tenancy (Create and Archive: not Tenancy).
  template <typename T>
  absl::Status Create(const std::string& muni, const T& resource, const std::string& request_id,
                      T* out);
  template <typename T>
  absl::Status Get(const std::string& muni, const std::string& id, T* out);
  template <typename T>
  absl::Status Update(const std::string& muni, const T& patch,
                      const google::protobuf::FieldMask& mask, T* out);
  template <typename T>
  absl::Status Archive(const std::string& muni, const std::string& id, const std::string& etag,
                       T* out);
  template <typename T>
  absl::Status List(const std::string& muni, const store::ListFilter& filter,
                    const store::Page& page, google::protobuf::RepeatedPtrField<T>* out,
                    std::string* next);

  absl::Status SetUnitAvailability(const std::string& muni, const std::string& id,
                                   const std::string& etag, bool available, i18n::Language lang,
                                   v1::HousingUnit* out);
  absl::Status WithdrawApplication(const std::string& muni, const std::string& id,
                                   const std::string& etag, v1::Application* out);

  absl::Status GetRule(const std::string& muni, v1::PriorityRule* out, bool* is_default);
  absl::Status UpdateRule(const std::string& muni, const v1::PriorityRule& rule,
                          v1::PriorityRule* out);
  // Texts (priority parts, explanations, reasons) in `lang`.
  absl::Status Standing(const std::string& muni, const std::string& application_id,
                        i18n::Language lang, v1::GetApplicationStandingResponse* out);
  // With `explain_application_id` set, also why that application is where
  // it is (NOT_FOUND when the municipality has no such application).
  absl::Status Rank(const std::string& muni, const std::string& unit_id, int limit,
                    const std::string& explain_application_id, i18n::Language lang,
                    v1::RankCandidatesResponse* out);

  absl::Status MakeOffer(const std::string& muni, const v1::MakeOfferRequest& req,
                         i18n::Language lang, v1::Offer* out);
  absl::Status AcceptOffer(const std::string& muni, const v1::AcceptOfferRequest& req,
                           i18n::Language lang, v1::AcceptOfferResponse* out);
  absl::Status DeclineOffer(const std::string& muni, const v1::DeclineOfferRequest& req,
                            i18n::Language lang, v1::DeclineOfferResponse* out);
  absl::Status WithdrawOffer(const std::string& muni, const v1::WithdrawOfferRequest& req,
                             i18n::Language lang, v1::WithdrawOfferResponse* out);
  absl::Status GetOffer(const std::string& muni, const std::string& id, v1::Offer* out);
  absl::Status ListOffers(const std::string& muni, const v1::ListOffersRequest& req,
                          const store::Page& page, v1::ListOffersResponse* out);

  absl::Status CreateTenancy(const std::string& muni, const v1::Tenancy& tenancy,
                             const std::string& request_id, v1::Tenancy* out);
  absl::Status EndTenancy(const std::string& muni, const v1::EndTenancyRequest& req,
                          v1::EndTenancyResponse* out);

  absl::Status Stats(const std::string& muni, int temporary_days, v1::HousingStats* out);
  absl::StatusOr<std::vector<std::string>> Municipalities();

  // Expires every pending offer whose deadline has passed, in every
  // municipality; returns how many it expired.
  absl::StatusOr<int> ExpireDue();

  absl::Time Now() const { return clock_(); }

 private:
  store::Database* db_;
  const store::PageTokens* tokens_;
  Clock clock_;
  static store::ListFilter ActiveApplications() {
    store::ListFilter f;
    f.has_status = true;
    f.status = v1::APPLICATION_STATUS_ACTIVE;
    return f;
  }
  store::ResourceCache<v1::Application> active_apps_{ActiveApplications()};
};

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_HOUSING_STORE_H_
