// Matching volunteers to an accompaniment request: who is eligible, and a
// documented score for ranking the eligible. Pure: no I/O, time passed in.
//
// Eligible when all hold (each failing rule is reported by Ineligibility):
//   - status ACTIVE, consent given, resource state ACTIVE;
//   - a record check with status VALID whose expiry date is on or after the
//     day the window ends;
//   - the window [start, end) lies inside one of the volunteer's weekly
//     availability windows (Danish local time, Europe/Copenhagen);
//   - not booked for an overlapping window (`booked`);
//   - speaks the request's language, if one is asked for;
//   - meets every need of the request (Volunteer.supports);
//   - matches the gender preference, if any;
//   - has every required training and skill (of the activity, if any);
//   - within reach: distance from home to the place at most max_travel_km
//     (default 10 km); when either side has no coordinates, the same
//     postcode counts as 0 km and another postcode as unknown (eligible,
//     scored as far).
//
// Score (higher is better), each factor reported with a reason:
//   continuity        +50 if the citizen has been accompanied by this volunteer
//                     before (+5 per earlier completed accompaniment, up to +20
//                     more); doubled when the request asks for a familiar
//                     volunteer
//   shared_interests  +10 per interest tag shared with the request (or its
//                     activity), up to +30
//   distance          +20 at 0 km, falling linearly to 0 at max_travel_km;
//                     0 when unknown
//   load              -2 per hour given in the last 28 days, down to -20, so
//                     work spreads
// Ties: fewer recent hours first, then volunteer id.
#ifndef HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_
#define HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "helhed/volunteers/v1/resources.pb.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"

namespace helhed::volunteers {

namespace v1 = ::helhed::volunteers::v1;

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

// Great-circle distance in kilometres.
double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b);

// Whether [start, end) lies inside one of `availability`'s weekly windows
// (Europe/Copenhagen local time).
bool WithinAvailability(const google::protobuf::RepeatedPtrField<v1::WeeklyWindow>& availability,
                        absl::Time start, absl::Time end);

// Empty when `v` is eligible for the request; otherwise one short reason per
// failing rule (e.g. "record check expired", "not available then").
std::vector<std::string> Ineligibility(const v1::Volunteer& v, const MatchContext& ctx);

// The score of an eligible volunteer, factors filled.
v1::Candidate Score(const v1::Volunteer& v, const MatchContext& ctx);

// Eligible volunteers of `volunteers`, best first, at most `limit`.
std::vector<v1::Candidate> Rank(const std::vector<v1::Volunteer>& volunteers,
                                const MatchContext& ctx, int limit);

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_DOMAIN_MATCHING_H_
