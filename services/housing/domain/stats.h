// The officer's and the councils' figures, computed from the records. Pure.
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_

#include <vector>

#include "absl/time/time.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"

namespace helhed::housing {

// `units`, `apps` and `tenancies` may include archived records (skipped
// where noted); `offers` are all offers.
//   vacant_units: per unit type with at least one unit that is AVAILABLE and
//     not archived: count, mean and max whole days since vacant_since
//     (a missing vacant_since counts as 0 days), ordered by unit type.
//   waiting: per situation with at least one non-archived application with
//     status ACTIVE or OFFERED: count, mean and max waiting days since the
//     screening date (UTC day of `now`), ordered by situation.
//   long_stays: CURRENT tenancies in temporary units (IsTemporary(unit_type))
//     whose move_in is more than `temporary_days` days before today, longest
//     first (then tenancy id).
//   offers_*: per offer state; decline_reasons per reason with a count > 0,
//     ordered by reason.
//   retention: tenancies (archived included) in non-temporary units with a
//     move_in at least 365 days before today form the cohort; retained are
//     those still CURRENT or whose move_out is at least 365 days after
//     move_in.
//   computed_time = now.
v1::HousingStats ComputeStats(const std::vector<v1::HousingUnit>& units,
                              const std::vector<v1::Application>& apps,
                              const std::vector<v1::Offer>& offers,
                              const std::vector<v1::Tenancy>& tenancies, int temporary_days,
                              absl::Time now);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_
