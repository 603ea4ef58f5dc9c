// The plans service's storage: its SQL and row mapping, nothing else.
//
// Every resource table has the same shape (see migrations/): the protobuf
// body is the record, and a few projected columns serve keys, filters and
// optimistic concurrency. Kind<T> (in the .cc) says, per resource type,
// which table it lives in, how it is projected, and which references it
// must satisfy. All queries are scoped to the caller's municipality.
//
// Thread-safe: every call runs in its own pooled connection/transaction.
#ifndef HELHED_SERVICES_PLANS_PLANS_STORE_H_
#define HELHED_SERVICES_PLANS_PLANS_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "google/protobuf/field_mask.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"
#include "helhed/plans/v1/resources.pb.h"
#include "services/plans/domain/list_filters.h"

namespace helhed::plans {

using Clock = std::function<absl::Time()>;

class PlansStore {
 public:
  PlansStore(store::Database* db, const store::PageTokens* tokens, Clock clock)
      : db_(db), tokens_(tokens), clock_(std::move(clock)) {}

  // Generic resource operations, for T in Policy, Plan, Track,
  // InitiativeArea, Activity, Indicator, CitizenPlan, Goal, Action.
  // Create validates, checks references, and is idempotent on the idempotency key.
  template <typename T>
  absl::Status Create(const std::string& municipality, const T& resource,
                      const std::string& request_id, T* out);
  template <typename T>
  absl::Status Get(const std::string& municipality, const std::string& id, T* out);
  // Applies the fields in `mask` from `patch` if patch.etag() is current.
  template <typename T>
  absl::Status Update(const std::string& municipality, const T& patch,
                      const google::protobuf::FieldMask& mask, T* out);
  template <typename T>
  absl::Status Archive(const std::string& municipality, const std::string& id,
                       const std::string& etag, T* out);
  template <typename T>
  absl::Status List(const std::string& municipality, const ListFilter& filter, const Page& page,
                    google::protobuf::RepeatedPtrField<T>* out, std::string* next_page_token);

  // Dated entries.
  absl::Status AddProgress(const std::string& municipality, const std::string& subject,
                           const v1::AddActivityProgressRequest& req,
                           v1::AddActivityProgressResponse* out);
  absl::Status ListProgress(const std::string& municipality, const std::string& activity_id,
                            const Page& page, v1::ListActivityProgressResponse* out);
  absl::Status RecordMeasurement(const std::string& municipality,
                                 const v1::RecordMeasurementRequest& req,
                                 v1::RecordMeasurementResponse* out);
  absl::Status ListMeasurements(const std::string& municipality, const std::string& indicator_id,
                                const Page& page, v1::ListMeasurementsResponse* out);
  absl::Status AddAssessment(const std::string& municipality, const v1::AddAssessmentRequest& req,
                             v1::AddAssessmentResponse* out);
  absl::Status ListAssessments(const std::string& municipality, const std::string& goal_id,
                               const Page& page, v1::ListAssessmentsResponse* out);

  absl::Status SetYearlyFocus(const std::string& municipality, const v1::YearlyFocus& focus,
                              v1::YearlyFocus* out);
  absl::Status GetYearlyFocus(const std::string& municipality, const std::string& plan_id, int year,
                              v1::YearlyFocus* out);

  // The report's Markdown is written in `language`.
  absl::Status GetStatusReport(const std::string& municipality,
                               const v1::GetStatusReportRequest& req, i18n::Language language,
                               v1::GetStatusReportResponse* out);
  absl::Status ListStaleItems(const std::string& municipality, const std::string& plan_id, int days,
                              v1::ListStaleItemsResponse* out);
  absl::Status CountActiveGoals(const std::string& municipality,
                                const std::string& initiative_area_id,
                                v1::CountActiveGoalsResponse* out);

  absl::Time Now() const { return clock_(); }

 private:
  store::Database* db_;
  const store::PageTokens* tokens_;
  Clock clock_;
};

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_PLANS_STORE_H_
