// Offer, unit and application states. Pure.
//   Offer: PENDING -> ACCEPTED | DECLINED | EXPIRED | WITHDRAWN; all four
//   are final (an accepted offer is never undone); nothing else, not even
//   staying in the same state.
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_LIFECYCLE_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_LIFECYCLE_H_

#include "absl/status/status.h"
#include "common/i18n/language.h"
#include "helhed/housing/v1/resources.pb.h"

namespace helhed::housing {

// OK, or FAILED_PRECONDITION naming both states (in `language`).
absl::Status CheckOfferTransition(::helhed::housing::v1::OfferState from,
                                  ::helhed::housing::v1::OfferState to, i18n::Language language);

// §107 and §110 places are temporary; the rest are homes.
bool IsTemporary(::helhed::housing::v1::UnitType type);

// SetUnitAvailability: AVAILABLE <-> UNAVAILABLE only (setting the state it
// already has is OK and changes nothing); OFFERED and OCCUPIED units are
// moved by offers and tenancies: FAILED_PRECONDITION (in `language`).
absl::Status CheckAvailabilityChange(::helhed::housing::v1::UnitStatus from, bool available,
                                     i18n::Language language);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_LIFECYCLE_H_
