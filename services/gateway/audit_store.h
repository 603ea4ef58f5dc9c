// The gateway's audit trail: one durable row per citizen per call, written
// before the caller gets the answer; listed by auditors; purged after the
// retention. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "common/store/resources.h"
#include "helhed/gateway/v1/gateway_service.pb.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace helhed::gateway {

struct AuditOptions {
  // Most calls whose events one transaction commits (group commit). A call
  // that arrives while a commit is running waits for it, then its events
  // are committed with those of every other call that queued meanwhile, in
  // one transaction (one fsync). 1: a transaction per call.
  int max_batch = 64;
  // How long a call waits for its events to become durable. Past it the
  // call fails (UNAVAILABLE) and its events are never written: a call
  // whose events did not start committing in time is dropped from the
  // queue, so the trail never records an answer that was not given.
  absl::Duration timeout = absl::Seconds(2);
};

class AuditStore {
 public:
  // `registry` may be null (no metrics).
  AuditStore(store::Database* db, const store::PageTokens* tokens, AuditOptions options = {},
             prometheus::Registry* registry = nullptr);
  // Commits what is queued, then stops the committer.
  ~AuditStore();
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  // Writes one event per citizen id in `citizens` (the rest of `event`
  // shared); OK only once they are durable, UNAVAILABLE when that did not
  // happen within AuditOptions::timeout (and then never). Concurrent calls'
  // events are committed together by one committer thread
  // (AuditOptions::max_batch); when such a transaction fails, each call's
  // events are retried in a transaction of their own, so one call's failure
  // is never another's.
  absl::Status Record(const v1::AuditEvent& event, const std::vector<std::string>& citizens);

  absl::Status List(const std::string& muni, const v1::ListAuditEventsRequest& req,
                    const store::Page& page, v1::ListAuditEventsResponse* out);
  absl::Status AccessLog(const std::string& muni, const std::string& citizen_id,
                         const store::Page& page, v1::GetCitizenAccessLogResponse* out);
  // Deletes events older than `before`; returns how many.
  absl::StatusOr<int64_t> Purge(absl::Time before);

 private:
  // One Record call waiting for its events to be committed.
  enum class State { kQueued, kTaken, kCommitting, kAbandoned };
  struct Pending {
    const v1::AuditEvent* event;
    const std::vector<std::string>* citizens;
    // One new event id per citizen, drawn on the caller's thread (the
    // committer thread lives as long as the process and draws no random
    // numbers of its own).
    std::vector<std::string> ids;
    absl::Status status;
    State state = State::kQueued;
    bool done = false;
  };

  // Shared by the waiting call and the committer: a call that gives up
  // leaves it to the committer, which only reads its state then (its event
  // and citizens live on the caller's stack and are read only while the
  // caller waits, i.e. once it is kCommitting).
  using PendingPtr = std::shared_ptr<Pending>;

  void CommitLoop();
  // Inserts the events of `batch` (those not abandoned) in one transaction.
  absl::Status Commit(const std::vector<PendingPtr>& batch);

  store::Database* db_;
  const store::PageTokens* tokens_;
  const AuditOptions options_;
  prometheus::Histogram* batch_calls_ = nullptr;

  absl::Mutex mu_;
  absl::CondVar queued_;
  absl::CondVar committed_;
  std::deque<PendingPtr> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread committer_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
