// Expires pending offers whose deadline has passed, by itself: every
// `every` (and once at start, so deadlines that passed while the service
// was down are handled on restart). Counts what it did in
// helhed_housing_offers_expired_total and failed sweeps in
// helhed_housing_expiry_failures_total.
#ifndef HELHED_SERVICES_HOUSING_OFFER_EXPIRER_H_
#define HELHED_SERVICES_HOUSING_OFFER_EXPIRER_H_

#include <memory>

#include "common/server/periodic.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/housing/housing_store.h"

namespace helhed::housing {

// Thread-safe; Stop() before the store goes away.
class OfferExpirer {
 public:
  OfferExpirer(HousingStore& store, prometheus::Registry& registry, absl::Duration every);
  void Sweep();
  void Stop() { periodic_->Stop(); }

 private:
  HousingStore& store_;
  prometheus::Counter& expired_;
  prometheus::Counter& failures_;
  std::unique_ptr<server::Periodic> periodic_;
};

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_OFFER_EXPIRER_H_
