// Which applications can take which unit, and their order (docs/HOUSING.md).
// Pure.
//
// An application can take a unit when all hold:
//   - the unit's type is one of the application's unit_types;
//   - the unit has at least rooms_needed rooms;
//   - the rent is at most max_rent_dkk;
//   - every accessibility need is among the unit's accessibility;
//   - the support needed is SUPPORT_LEVEL_NONE/UNSPECIFIED, or the unit's
//     support equals it, or the unit is SUPPORT_LEVEL_STAFFED (covers all).
// Candidates are ordered by priority (highest first), then those whose
// preferred areas include the unit's postcode, then the earlier screening
// date, then application id.
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_ELIGIBILITY_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_ELIGIBILITY_H_

#include <string>
#include <vector>

#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"
#include "services/housing/domain/priority.h"

namespace helhed::housing {

// Empty when `app` can take `unit`; otherwise one readable reason per rule
// broken, e.g. "needs 3 rooms, the unit has 2".
std::vector<std::string> Ineligibility(const v1::HousingUnit& unit, const v1::Application& app);
bool Eligible(const v1::HousingUnit& unit, const v1::Application& app);
// Why an eligible application fits, one line per rule, e.g.
// "rent 4800 kr within 5200 kr", "in a preferred area: 8900 (family)".
std::vector<std::string> FitReasons(const v1::HousingUnit& unit, const v1::Application& app);
bool InPreferredArea(const v1::HousingUnit& unit, const v1::Application& app);

struct Ranking {
  std::vector<v1::Candidate> candidates;  // at most `limit`, rank 1..n
  int considered = 0;                     // applications looked at
  int eligible = 0;                       // of those, eligible
};

// Ranks `apps` for `unit`. Only applications with application_status ACTIVE
// and state ACTIVE are considered. Each candidate carries its explained
// priority and FitReasons.
Ranking RankCandidates(const v1::HousingUnit& unit, const std::vector<v1::Application>& apps,
                       const PriorityScorer& scorer, int limit);

// The application's place, per unit type it lists, among the applications
// in `apps` (ACTIVE status and state, itself included even if not active)
// that list that type, in candidate order (priority, earlier screening,
// id; no area). In the order of app.unit_types.
std::vector<v1::QueuePlace> QueuePlaces(const v1::Application& app,
                                        const std::vector<v1::Application>& apps,
                                        const PriorityScorer& scorer);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_ELIGIBILITY_H_
