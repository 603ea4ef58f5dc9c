// The guide service's storage: its SQL and row mapping. Generic resource
// operations come from common/store/resources.h; this adds matches with
// capacity taken atomically, meetings, ranking, the batch assignment and the
// coordinator's figures. Every query is scoped to the caller's
// municipality. Thread-safe.
#ifndef HELHED_SERVICES_GUIDES_GUIDES_STORE_H_
#define HELHED_SERVICES_GUIDES_GUIDES_STORE_H_

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
#include "helhed/guides/v1/guides_service.pb.h"
#include "services/guides/domain/matching.h"

namespace helhed::guides {

using Clock = std::function<absl::Time()>;

class GuidesStore {
 public:
  GuidesStore(store::Database* db, const store::PageTokens* tokens, Clock clock)
      : db_(db), tokens_(tokens), clock_(std::move(clock)) {}

  // T in Guide, GuidanceRequest, GroupSession (common/store/resources.h).
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

  // Texts (reasons, the explanation of `explain_guide_id` if not empty) in
  // `language`.
  absl::Status Rank(const std::string& muni, const std::string& request_id, int limit,
                    const std::string& explain_guide_id, i18n::Language language,
                    v1::RankGuidesResponse* out);
  // A guide that cannot take the request: FAILED_PRECONDITION with the rules
  // in `language`. The match's score factors are stored in Danish.
  absl::Status Propose(const std::string& muni, const v1::ProposeMatchRequest& req,
                       i18n::Language language, v1::Match* out);
  // ACCEPTED or ACTIVE.
  absl::Status Advance(const std::string& muni, const std::string& match_id,
                       const std::string& etag, v1::MatchState to, v1::Match* out);
  absl::Status Decline(const std::string& muni, const v1::DeclineMatchRequest& req, v1::Match* out);
  absl::Status End(const std::string& muni, const v1::EndMatchRequest& req, v1::Match* out);
  absl::Status GetMatch(const std::string& muni, const std::string& match_id, v1::Match* out);
  absl::Status ListMatches(const std::string& muni, const v1::ListMatchesRequest& req,
                           const store::Page& page, v1::ListMatchesResponse* out);
  absl::Status LogMeeting(const std::string& muni, const v1::LogMeetingRequest& req,
                          v1::Meeting* out);
  absl::Status ListMeetings(const std::string& muni, const std::string& match_id,
                            const store::Page& page, v1::ListMeetingsResponse* out);
  absl::Status AssignBatch(const std::string& muni, bool dry_run, i18n::Language language,
                           v1::AssignBatchResponse* out);
  absl::Status Stats(const std::string& muni, int training_within_days, v1::CoordinatorStats* out);
  absl::StatusOr<std::vector<std::string>> Municipalities();

  absl::Time Now() const { return clock_(); }

 private:
  absl::Status ProposeInTx(store::Connection& c, const std::string& muni,
                           const std::string& request_id, const std::string& guide_id,
                           const std::string& etag, i18n::Language language, v1::Match* out);

  store::Database* db_;
  const store::PageTokens* tokens_;
  Clock clock_;
  static store::ListFilter ActiveGuides() {
    store::ListFilter f;
    f.has_status = true;
    f.status = v1::GUIDE_STATUS_ACTIVE;
    return f;
  }
  store::ResourceCache<v1::Guide> active_guides_{ActiveGuides()};

  // Active guides with their loads, as ranking needs them, rebuilt only when
  // the guides (a new cached list) or the matches (their stamp) change, so a
  // ranking does not copy every guide.
  absl::StatusOr<std::shared_ptr<const std::vector<GuideState>>> RankingInput(
      store::Connection& c, const std::string& muni);
  struct StatesEntry {
    std::shared_ptr<const std::vector<v1::Guide>> guides;
    std::string matches_stamp;
    std::shared_ptr<const std::vector<GuideState>> states;
  };
  absl::Mutex states_mu_;
  std::map<std::string, StatesEntry> states_ ABSL_GUARDED_BY(states_mu_);
};

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_GUIDES_STORE_H_
