// Matching borgerguides to guidance requests: hard constraints, a
// documented score, and the batch assignment. Pure: no I/O.
//
// Hard constraints (a guide failing one is not a candidate; FailedRules gives
// each failing rule as the v1::EligibilityRule in brackets, with a text):
//   - the request has the citizen's consent [CONSENT];
//   - the guide is ACTIVE [INACTIVE] and its resource state ACTIVE [ARCHIVED];
//   - capacity left: load < capacity (load = proposed + accepted + active)
//     [CAPACITY];
//   - a training valid on `today`: valid_until set and >= today (and
//     completed_date, when set, <= today) [TRAINING];
//   - speaks the request's language (preferences.language, default "da";
//     ASCII case ignored) [LANGUAGE];
//   - works in the preferred setting, if one is given [SETTING];
//   - each must-have: GENDER (preferences.gender) [GENDER], AGE_BAND
//     (preferences.age_band) [AGE_BAND], SETTING, SHARED_EXPERIENCE (a tag in
//     common) [SHARED_EXPERIENCE]. GENDER, AGE_BAND or SETTING without that
//     preference ask for nothing; SETTING with one is the rule above (one
//     reason, not two);
//   - the pair was not declined before (`declined_pairs`) [DECLINED];
//   - within the guide's travel distance (max_travel_km, default 20 km) when
//     both sides have coordinates (great-circle distance; unset or exactly
//     0,0 counts as none); otherwise the same postcode counts as 0 km and
//     another as unknown (allowed, scores nothing for distance) [DISTANCE].
//
// Score (each factor reported with a reason; all seven always present, with
// 0 points when they do not apply; the score is their sum):
//   experience    +30 per tag shared with the situation, +10 more for each
//                 shared tag with years_ago >= 2 (lived through, not in the
//                 midst of it), up to +90
//   life_phase    +20 when the guide knows the request's life phase
//   distance      +15 at 0 km falling linearly to 0 at the travel limit;
//                 +15 for the same postcode without coordinates, 0 unknown
//   age           +10 when the age band matches the preference
//   gender        +10 when the gender matches the preference
//   availability  +5 when the guide is available on 3 or more (distinct)
//                 days
//   load          -5 per active match (GuideState::load)
#ifndef HELHED_SERVICES_GUIDES_DOMAIN_MATCHING_H_
#define HELHED_SERVICES_GUIDES_DOMAIN_MATCHING_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/i18n/language.h"
#include "google/type/date.pb.h"
#include "helhed/guides/v1/guides_service.pb.h"
#include "helhed/guides/v1/resources.pb.h"

namespace helhed::guides {

struct GuideState {
  v1::Guide guide;
  // Proposed + accepted + active matches now.
  int load = 0;
};

struct MatchInputs {
  google::type::Date today;
  // (request id, guide id) pairs declined before: never proposed again.
  std::set<std::pair<std::string, std::string>> declined_pairs;
};

// A failing hard constraint with its text in the language asked for.
struct RuleFailure {
  v1::EligibilityRule rule;
  std::string text;
};

// Every hard constraint `g` fails for `r`, in the order listed above (empty
// when `g` may take `r`). Rank and the batches use the same check, so they
// cannot disagree.
std::vector<RuleFailure> FailedRules(const v1::GuidanceRequest& r, const GuideState& g,
                                     const MatchInputs& in, i18n::Language language);

// The texts of FailedRules (e.g. "for langt væk: 25 km (kører højst 20 km)",
// in English "too far: 25 km (travels up to 20 km)").
std::vector<std::string> Violations(const v1::GuidanceRequest& r, const GuideState& g,
                                    const MatchInputs& in, i18n::Language language);

// The score of a feasible pair, factors filled with reasons in `language`.
v1::Candidate Score(const v1::GuidanceRequest& r, const GuideState& g, i18n::Language language);

// Feasible guides for one request, best first (ties: lower load, then id),
// at most `limit` (none when limit <= 0). Reasons are written only for the
// guides returned, in `language`.
std::vector<v1::Candidate> Rank(const v1::GuidanceRequest& r, const std::vector<GuideState>& guides,
                                const MatchInputs& in, int limit, i18n::Language language);

// Why `who` is, or is not, among Rank(r, guides + who, in, limit): the
// failing constraints when infeasible; otherwise the rank among all feasible
// guides (also beyond `limit`), and when beyond it the gap to the last one
// listed and the score factors where that one got more points. `who`
// replaces a guide of `guides` with the same id. Texts in `language`.
v1::CandidateExplanation Explain(const v1::GuidanceRequest& r,
                                 const std::vector<GuideState>& guides, const GuideState& who,
                                 const MatchInputs& in, int limit, i18n::Language language);

struct BatchResult {
  // (request index, guide index) pairs, by request index.
  std::vector<std::pair<int, int>> assignments;
  // The sum of the assigned pairs' scores (as Score gives them).
  double total_score = 0;
  std::vector<int> unassigned;  // request indices, ascending
};

// In a batch each request gets at most one guide, each guide at most its
// free capacity (capacity - load) of them, and only feasible pairs; a pair
// scores as Score gives it, with the guide's load before the batch.
//
// The exact batch assignment: the best assignment lexicographically, by
//   1. the number of URGENT requests assigned, then HIGH, NORMAL, LOW, and
//      unspecified (or unknown) urgency last: no request is left out for one
//      of lower urgency when a feasible guide could take it instead, and no
//      request is left out for a better score;
//   2. then the total score.
// Solved exactly (no pruning) as a min-cost flow, source -> request (1) ->
// guide (free capacity) -> sink, a request -> guide edge costing
// -(bonus(level) + score), with bonus(level) = (level + 1) * W for urgency
// level 0 (unspecified) .. 4 (urgent), W = 2 * A * R + 1, A the largest
// |score| of a feasible pair and R the requests with a feasible guide, scores
// in micro-points (1e-6 points, rounded): an exchange changes the scores by
// less than W, so one more request of a level, or one of a level instead of
// one of a lower level, always wins. (The unit grows by tens only if int64
// could overflow, which validated guides never come near.) Successive
// shortest paths with potentials (Dijkstra), one request at a time, most
// urgent first, with "stays unassigned" as a zero-cost way out. The total is
// optimal up to that rounding: within 1e-6 points per request.
BatchResult AssignExact(const std::vector<v1::GuidanceRequest>& requests,
                        const std::vector<GuideState>& guides, const MatchInputs& in);

// Greedy for comparison: requests by urgency (then age: the oldest
// create_time first, then input order), each to its best guide (as in Rank)
// with a free slot left.
BatchResult AssignGreedy(const std::vector<v1::GuidanceRequest>& requests,
                         const std::vector<GuideState>& guides, const MatchInputs& in);

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_DOMAIN_MATCHING_H_
