// The volunteer service's storage: its SQL and row mapping. Generic resource
// operations come from common/store/resources.h; this adds sign-ups with
// capacity, bookings without overlap, the accompaniment lifecycle, hours,
// evaluations and the coordinator's views. Every query is scoped to the
// caller's municipality. Thread-safe.
#ifndef HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_STORE_H_
#define HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_STORE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "common/store/resources.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"

namespace helhed::volunteers {

using Clock = std::function<absl::Time()>;

class VolunteersStore {
 public:
  VolunteersStore(store::Database* db, const store::PageTokens* tokens, Clock clock)
      : db_(db), tokens_(tokens), clock_(std::move(clock)) {}

  // T in Organisation, Volunteer, Activity, AccompanimentRequest; see
  // common/store/resources.h for what each does.
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

  absl::Status SignUp(const std::string& muni, const v1::SignUpRequest& req,
                      v1::SignUpResponse* out);
  absl::Status CancelSignUp(const std::string& muni, const std::string& id, v1::SignUp* out);
  absl::Status ListSignUps(const std::string& muni, const v1::ListSignUpsRequest& req,
                           const store::Page& page, v1::ListSignUpsResponse* out);

  // Texts (reasons, the explanation of `explain_volunteer_id` if not empty)
  // in `language`.
  absl::Status RankCandidates(const std::string& muni, const std::string& accompaniment_id,
                              int limit, const std::string& explain_volunteer_id,
                              i18n::Language language, v1::RankCandidatesResponse* out);
  // An ineligible volunteer: FAILED_PRECONDITION with the rules in `language`.
  absl::Status Match(const std::string& muni, const v1::MatchRequestRequest& req,
                     i18n::Language language, v1::AccompanimentRequest* out);
  // CONFIRMED, CANCELLED or NO_SHOW; `reason` for CANCELLED.
  absl::Status Transition(const std::string& muni, const std::string& accompaniment_id,
                          const std::string& etag, v1::RequestState to, const std::string& reason,
                          v1::AccompanimentRequest* out);
  absl::Status Complete(const std::string& muni, const v1::CompleteRequestRequest& req,
                        v1::AccompanimentRequest* out);

  absl::Status LogHours(const std::string& muni, const v1::LogHoursRequest& req,
                        v1::HoursEntry* out);
  absl::Status ListHours(const std::string& muni, const std::string& volunteer_id,
                         const store::Page& page, v1::ListHoursResponse* out);
  absl::Status AddEvaluation(const std::string& muni, const v1::AddEvaluationRequest& req,
                             v1::Evaluation* out);
  absl::Status ListEvaluations(const std::string& muni, const v1::ListEvaluationsRequest& req,
                               const store::Page& page, v1::ListEvaluationsResponse* out);

  absl::Status ListExpiringRecordChecks(const std::string& muni, int within_days,
                                        v1::ListExpiringRecordChecksResponse* out);
  absl::Status ListInactiveVolunteers(const std::string& muni, int inactive_days,
                                      v1::ListInactiveVolunteersResponse* out);
  absl::Status GetMonthlyStats(const std::string& muni, int year, int month, v1::MonthlyStats* out);

  // Municipalities that have any volunteer (for the metrics exporter).
  absl::StatusOr<std::vector<std::string>> Municipalities();

  absl::Time Now() const { return clock_(); }

 private:
  store::Database* db_;
  const store::PageTokens* tokens_;
  Clock clock_;
  // Active volunteers, for ranking.
  store::ResourceCache<v1::Volunteer> active_volunteers_{ActiveFilter()};
  static store::ListFilter ActiveFilter() {
    store::ListFilter f;
    f.has_status = true;
    f.status = v1::VOLUNTEER_STATUS_ACTIVE;
    return f;
  }
};

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_VOLUNTEERS_STORE_H_
