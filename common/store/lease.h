// A lease in a service's own database: at most one process of a deployment
// holds a named lease at a time, until it stops renewing it. Used so that
// work every replica could do is done (or exported) by one only, e.g. the
// domain gauges (common/observability/deployment_gauges.h).
//
// The table (a migration of each service that uses leases):
//   CREATE TABLE helhed_leases (name VARCHAR(64) PRIMARY KEY,
//                               holder VARCHAR(64), expires_at BIGINT)
// expires_at is microseconds since 1970 (UTC) by the holder's clock, so
// replicas' clocks must agree to well within the lease's ttl (NTP does).
//
//   store::Lease lease(db, "stats", absl::Seconds(45));
//   absl::StatusOr<bool> held = lease.Renew();  // every 15 s
#ifndef HELHED_COMMON_STORE_LEASE_H_
#define HELHED_COMMON_STORE_LEASE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace helhed::store {

// Thread-compatible: one thread renews (a background loop).
class Lease {
 public:
  using Clock = std::function<absl::Time()>;

  // `holder` identifies this process; empty: a new random id.
  Lease(Database& db, std::string name, absl::Duration ttl, Clock clock = absl::Now,
        std::string holder = "");

  // In one transaction (SELECT ... FOR UPDATE on MySQL, BEGIN IMMEDIATE on
  // SQLite): takes the lease when it is free, expired or already ours, and
  // then holds it until now + ttl. True when this process holds it now;
  // false when another live process does. An error (store unreachable)
  // means "not known": the caller should act as if it did not hold it.
  absl::StatusOr<bool> Renew();

  // Gives the lease up if this process holds it, so another replica takes
  // it at its next Renew() instead of after ttl.
  absl::Status Release();

  const std::string& holder() const { return holder_; }
  const std::string& name() const { return name_; }

 private:
  Database& db_;
  const std::string name_;
  const absl::Duration ttl_;
  const Clock clock_;
  const std::string holder_;
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_LEASE_H_
