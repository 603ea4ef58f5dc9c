#include "services/housing/offer_expirer.h"

#include "common/observability/log.h"

namespace helhed::housing {

OfferExpirer::OfferExpirer(HousingStore& store, prometheus::Registry& registry,
                           absl::Duration every)
    : store_(store),
      expired_(prometheus::BuildCounter()
                   .Name("helhed_housing_offers_expired_total")
                   .Help("Offers expired because their deadline passed unanswered.")
                   .Register(registry)
                   .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("helhed_housing_expiry_failures_total")
                    .Help("Expiry sweeps that failed (the store was unavailable).")
                    .Register(registry)
                    .Add({})) {
  periodic_ = std::make_unique<server::Periodic>(every, [this] { Sweep(); });
}

void OfferExpirer::Sweep() {
  absl::StatusOr<int> n = store_.ExpireDue();
  if (!n.ok()) {
    failures_.Increment();
    log::Warning("offer expiry failed", log::Fields().Str("status", n.status().ToString()));
    return;
  }
  if (*n > 0) {
    expired_.Increment(*n);
    log::Info("offers expired", log::Fields().Int("count", *n));
  }
}

}  // namespace helhed::housing
