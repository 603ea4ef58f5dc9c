// The gateway's audit trail: one durable row per citizen per call, written
// before the caller gets the answer; listed by auditors; purged after the
// retention. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_

#include <deque>
#include <string>
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
};

class AuditStore {
 public:
  // `registry` may be null (no metrics).
  AuditStore(store::Database* db, const store::PageTokens* tokens, AuditOptions options = {},
             prometheus::Registry* registry = nullptr);

  // Writes one event per citizen id in `citizens` (the rest of `event`
  // shared); OK only once they are durable. Concurrent calls' events are
  // committed together (AuditOptions::max_batch); when such a transaction
  // fails, each call's events are retried in a transaction of their own, so
  // one call's failure is never another's.
  absl::Status Record(const v1::AuditEvent& event, const std::vector<std::string>& citizens);

  absl::Status List(const std::string& muni, const v1::ListAuditEventsRequest& req,
                    const store::Page& page, v1::ListAuditEventsResponse* out);
  absl::Status AccessLog(const std::string& muni, const std::string& citizen_id,
                         const store::Page& page, v1::GetCitizenAccessLogResponse* out);
  // Deletes events older than `before`; returns how many.
  absl::StatusOr<int64_t> Purge(absl::Time before);

 private:
  // One Record call waiting for its events to be committed.
  struct Pending {
    const v1::AuditEvent* event;
    const std::vector<std::string>* citizens;
    absl::Status status;
    bool done = false;
  };

  // Inserts the events of `batch` in one transaction.
  absl::Status Commit(const std::vector<Pending*>& batch);

  store::Database* db_;
  const store::PageTokens* tokens_;
  const AuditOptions options_;
  prometheus::Histogram* batch_calls_ = nullptr;

  absl::Mutex mu_;
  absl::CondVar committed_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
