// Domain gauges exported once per deployment, not once per replica.
//
// Every replica of a service computes its domain gauges from the same shared
// database, so if all exported them, `sum by (municipality)` would count
// each figure once per replica and an alert on them would fire once per
// replica. Instead the replicas hold a lease (common/store/lease.h, name
// "stats") in the service's database: the holder exports the gauges, the
// others export none of them (series set before are removed, so nothing
// stale remains), and every replica exports
//   helhed_<service>_stats_leader  1 on the holder, 0 elsewhere
// The holder renews the lease each refresh, for three refresh periods; when
// it stops (shut down: released at once; killed: after three periods) the
// next replica to refresh takes it over.
//
//   DeploymentGauges gauges(registry, db, "guides", absl::Seconds(15));
//   // each refresh:
//   if (!gauges.Acquire()) return;
//   gauges.Set(open_, {{"municipality", m}}, n);
#ifndef HELHED_COMMON_OBSERVABILITY_DEPLOYMENT_GAUGES_H_
#define HELHED_COMMON_OBSERVABILITY_DEPLOYMENT_GAUGES_H_

#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "common/store/lease.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace helhed::observability {

// Thread-safe.
class DeploymentGauges {
 public:
  using Labels = std::map<std::string, std::string>;

  // `service`: "guides" gives helhed_guides_stats_leader. `period`: how
  // often Acquire() is called; the lease lasts three periods.
  DeploymentGauges(prometheus::Registry& registry, store::Database& db, const std::string& service,
                   absl::Duration period, store::Lease::Clock clock = absl::Now);

  // Renews or takes the lease. True: this process holds it; compute the
  // figures and Set() them. False (another replica holds it, or the store
  // failed): every series set through Set() has been removed.
  bool Acquire();

  // family{labels} = value, remembered so that losing the lease removes it.
  void Set(prometheus::Family<prometheus::Gauge>& family, const Labels& labels, double value);

  // Removes the series and gives the lease up (shutdown), so that another
  // replica takes over at its next refresh.
  void Release();

  bool leader() const;
  const std::string& holder() const { return lease_.holder(); }

 private:
  void ClearLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  store::Lease lease_;
  prometheus::Gauge& leader_gauge_;
  mutable absl::Mutex mu_;
  bool leader_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::pair<prometheus::Family<prometheus::Gauge>*, prometheus::Gauge*>> series_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace helhed::observability

#endif  // HELHED_COMMON_OBSERVABILITY_DEPLOYMENT_GAUGES_H_
