// Matching volunteers to an accompaniment request: who is eligible, and a
// documented score for ranking the eligible. Pure: no I/O, time passed in.
//
// Eligible when all hold (each failing rule is reported by FailedRules, as
// a v1::EligibilityRule in brackets):
//   - status ACTIVE [INACTIVE], consent given [CONSENT], resource state
//     ACTIVE [ARCHIVED];
//   - a record check with status VALID whose expiry date is on or after the
//     day the window ends (the Danish local day of the window's last moment,
//     so a window ending at midnight ends on the day before) [RECORD_CHECK];
//   - the window [start, end) lies inside one of the volunteer's weekly
//     availability windows (Danish local time, Europe/Copenhagen, wall clock:
//     on DST days the local times count, not the elapsed time); a window that
//     crosses local midnight lies in no single weekly window, one ending
//     exactly at midnight fits a weekly window ending at minute 1440
//     [AVAILABILITY];
//   - not booked for an overlapping window (`booked`) [BOOKED];
//   - speaks the request's language, if one is asked for (ASCII case ignored)
//     [LANGUAGE];
//   - meets every need of the request (Volunteer.supports) [SUPPORT];
//   - matches the gender preference, if any [GENDER];
//   - has every required skill [SKILLS] and training [TRAINING] (of the
//     activity, if any; skills are tags compared exactly, course names
//     ignoring ASCII case);
//   - within reach: distance from home to the request's place at most
//     max_travel_km (default 10 km); when either side has no coordinates
//     (unset, or exactly 0,0), the same postcode counts as 0 km and another
//     postcode as unknown (eligible, scored as far) [DISTANCE].
// Nothing else excludes: not the role agreement, nor max_hours_per_week
// (hours given recently only lower the score, see load).
//
// Score (higher is better), each factor reported with a reason; all four
// factors are always present, with 0 points when they do not apply:
//   continuity        +50 if the citizen has been accompanied by this volunteer
//                     before (+5 per earlier completed accompaniment, up to +20
//                     more: n completed give 50 + min(5n, 20)); doubled when
//                     the request asks for a familiar volunteer
//   shared_interests  +10 per interest tag shared with the request (or its
//                     activity), up to +30; tags compared exactly, each
//                     distinct tag counted once
//   distance          +20 at 0 km, falling linearly to 0 at max_travel_km;
//                     0 when unknown
//   load              -2 per hour given in the last 28 days, down to -20, so
//                     work spreads
// Ties: fewer recent hours first, then volunteer id.
//
// Candidate.distance_km is the great-circle distance when both sides have
// coordinates, otherwise 0 (same postcode or unknown: the distance factor's
// reason says which).
#ifndef HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_
#define HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "helhed/volunteers/v1/resources.pb.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"

namespace helhed::volunteers {

struct MatchContext {
  // The request (its window, place, needs, language, preferences).
  v1::AccompanimentRequest request;
  // The activity it goes to, if any (interests, required skills/trainings).
  bool has_activity = false;
  v1::Activity activity;
  // Volunteer id -> completed accompaniments of this citizen.
  std::map<std::string, int> familiar;
  // Volunteers booked for a window overlapping the request's.
  std::set<std::string> booked;
  // Volunteer id -> hours given in the last 28 days.
  std::map<std::string, double> recent_hours;
};

// Great-circle distance in kilometres (common/geo).
double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b);

// Whether [start, end) lies inside one of `availability`'s weekly windows
// (Europe/Copenhagen local time).
bool WithinAvailability(const google::protobuf::RepeatedPtrField<v1::WeeklyWindow>& availability,
                        absl::Time start, absl::Time end);

// A failing eligibility rule with its text in the language asked for.
struct RuleFailure {
  v1::EligibilityRule rule;
  std::string text;
};

// Every rule `v` fails for the request, in the order listed above (empty when
// eligible). The ranking uses the same check, so the two cannot disagree.
std::vector<RuleFailure> FailedRules(const v1::Volunteer& v, const MatchContext& ctx,
                                     i18n::Language language);

// The texts of FailedRules (e.g. "børne- og straffeattesten er udløbet, før
// ledsagelsen", in English "record check expired").
std::vector<std::string> Ineligibility(const v1::Volunteer& v, const MatchContext& ctx,
                                       i18n::Language language);

// The score of an eligible volunteer, factors filled with reasons in
// `language` (it does not check eligibility).
v1::Candidate Score(const v1::Volunteer& v, const MatchContext& ctx, i18n::Language language);

// Eligible volunteers of `volunteers`, best first, at most `limit` (none when
// `limit` <= 0; the caller applies its default). Same rules and scores as
// FailedRules and Score, computed once per volunteer; reasons are built
// only for the volunteers returned.
std::vector<v1::Candidate> Rank(const std::vector<v1::Volunteer>& volunteers,
                                const MatchContext& ctx, int limit, i18n::Language language);

// Why `who` is, or is not, among Rank(volunteers + who, ctx, limit): the
// failing rules when not eligible; otherwise the rank among all eligible
// volunteers (also beyond `limit`), and when beyond it the gap to the last
// one listed and the score factors where that one got more points. `who`
// replaces a volunteer of `volunteers` with the same id. Texts in `language`.
v1::CandidateExplanation Explain(const std::vector<v1::Volunteer>& volunteers,
                                 const v1::Volunteer& who, const MatchContext& ctx, int limit,
                                 i18n::Language language);

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_
