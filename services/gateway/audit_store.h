// The gateway's audit trail: one durable row per citizen per call, written
// before the caller gets the answer; listed by auditors; purged after the
// retention. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "common/store/resources.h"
#include "helhed/gateway/v1/gateway_service.pb.h"

namespace helhed::gateway {


class AuditStore {
 public:
  AuditStore(store::Database* db, const store::PageTokens* tokens) : db_(db), tokens_(tokens) {}

  // Writes one event per citizen id in `citizens` (the rest of `event`
  // shared), in one transaction; OK only once it is durable.
  absl::Status Record(const v1::AuditEvent& event, const std::vector<std::string>& citizens);

  absl::Status List(const std::string& muni, const v1::ListAuditEventsRequest& req,
                    const store::Page& page, v1::ListAuditEventsResponse* out);
  absl::Status AccessLog(const std::string& muni, const std::string& citizen_id,
                         const store::Page& page, v1::GetCitizenAccessLogResponse* out);
  // Deletes events older than `before`; returns how many.
  absl::StatusOr<int64_t> Purge(absl::Time before);

 private:
  store::Database* db_;
  const store::PageTokens* tokens_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_STORE_H_
