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

#include "common/i18n/language.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"
#include "services/housing/domain/priority.h"

namespace helhed::housing {

// The rules `app` breaks for `unit`, empty when it can take it: first the
// application's own state (archived or withdrawn: NOT_ACTIVE; a pending
// offer: ALREADY_OFFERED; housed: ALREADY_HOUSED), then UNIT_TYPE, ROOMS,
// RENT, ACCESSIBILITY, SUPPORT in that order. The ranking uses the same
// rules, so the two never disagree.
std::vector<v1::EligibilityRule> BrokenRules(const v1::HousingUnit& unit,
                                             const v1::Application& app);
// The unit rules alone (no state rule): whether `app` fits `unit`.
bool Eligible(const v1::HousingUnit& unit, const v1::Application& app);
// One text in `language` per broken rule (each missing accessibility need
// on its own), in BrokenRules' order, e.g. "har brug for 3 værelser,
// boligen har 2" / "needs 3 rooms, the unit has 2".
std::vector<std::string> Ineligibility(i18n::Language language, const v1::HousingUnit& unit,
                                       const v1::Application& app);
// Why an eligible application fits, one line per rule, in `language`, e.g.
// "husleje 4.800 kr. inden for 5.200 kr.", "i et ønsket område: 8900
// (familie)".
std::vector<std::string> FitReasons(i18n::Language language, const v1::HousingUnit& unit,
                                    const v1::Application& app);
bool InPreferredArea(const v1::HousingUnit& unit, const v1::Application& app);

struct Ranking {
  std::vector<v1::Candidate> candidates;  // at most `limit`, rank 1..n
  int considered = 0;                     // applications looked at
  int eligible = 0;                       // of those, eligible
};

// Ranks `apps` for `unit`. Only applications with application_status ACTIVE
// and state ACTIVE are considered. Each candidate carries its explained
// priority and FitReasons in `language`.
Ranking RankCandidates(const v1::HousingUnit& unit, const std::vector<v1::Application>& apps,
                       const PriorityScorer& scorer, int limit, i18n::Language language);

// Why `app` (any application of the municipality, active or not) is or is
// not among `ranking` = RankCandidates(unit, apps, scorer, ...): its broken
// rules, or its place among all eligible applications in `apps` and, when
// it is below the last ranked candidate, the points it lacks and the parts
// of its priority that are lower than that candidate's; with a text in
// `language`.
v1::CandidateExplanation ExplainCandidate(const v1::HousingUnit& unit, const v1::Application& app,
                                          const std::vector<v1::Application>& apps,
                                          const PriorityScorer& scorer, const Ranking& ranking,
                                          i18n::Language language);

// The application's place, per unit type it lists, among the applications
// in `apps` (ACTIVE status and state, itself included even if not active)
// that list that type, in candidate order (priority, earlier screening,
// id; no area). In the order of app.unit_types.
std::vector<v1::QueuePlace> QueuePlaces(const v1::Application& app,
                                        const std::vector<v1::Application>& apps,
                                        const PriorityScorer& scorer);

// Where the applicant stands, in `language`: the priority total and its
// parts, the place in each queue, and a note when the application is not
// active. `priority` and `queues` as Explain and QueuePlaces give them.
std::string StandingText(i18n::Language language, const v1::Application& app,
                         const v1::Priority& priority, const std::vector<v1::QueuePlace>& queues);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_ELIGIBILITY_H_
