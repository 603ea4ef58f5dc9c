// The officer's and the councils' figures, computed from the records. Pure.
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/i18n/language.h"
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
//     screening date (the Danish day of `now`), ordered by situation.
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

// Whole days waited by the applications of one situation: how many, their
// sum and the largest (what `waiting` reports, before the mean).
struct WaitingDays {
  int count = 0;
  int64_t sum = 0;
  int max = 0;
};

// `waiting` of ComputeStats, from the applications: per situation (the enum
// value), as documented above.
std::map<int, WaitingDays> WaitingOf(const std::vector<v1::Application>& apps, absl::Time now);

// The day an application's waiting is counted from, in days since
// 1970-01-01: its screening date when set, otherwise kNotDated (it counts 0
// days). What the store projects into a column (migration 0003) so that
// `waiting` can be summed in SQL: days = max(0, TodayNumber(now) - day).
constexpr int64_t kNotDated = 2147483647;
int64_t WaitingFromDay(const v1::Application& a);
int64_t TodayNumber(absl::Time now);

// The figures in a few sentences in `language`: vacant units per type,
// waiting applicants (all situations), long temporary stays (the count,
// stays longer than `temporary_days`), offers per state and twelve-month
// retention. Numbers as the language writes them.
std::string StatsSummary(i18n::Language language, const v1::HousingStats& stats,
                         int temporary_days);

// Offers per state and declined offers per reason (the enum values), as
// `offers_*` and `decline_reasons` report them; a reason with a count of 0
// is left out by the report.
struct OfferCounts {
  std::map<int, int> by_state;
  std::map<int, int> declined_by_reason;
};

// OfferCounts of the offers. What the store counts in SQL over the columns
// offer_state and decline_reason (migration 0005).
OfferCounts OfferCountsOf(const std::vector<v1::Offer>& offers);

// ComputeStats with `waiting` already summed per situation (e.g. by SQL from
// WaitingFromDay) and the offers already counted: the same result as
// ComputeStats with the applications whose WaitingOf and the offers whose
// OfferCountsOf they are.
v1::HousingStats ComputeStatsFromCounts(const std::vector<v1::HousingUnit>& units,
                                        const std::map<int, WaitingDays>& waiting,
                                        const OfferCounts& offers,
                                        const std::vector<v1::Tenancy>& tenancies,
                                        int temporary_days, absl::Time now);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_STATS_H_
