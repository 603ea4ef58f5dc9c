// The match lifecycle. Pure.
//   PROPOSED -> ACCEPTED -> ACTIVE -> ENDED
//   PROPOSED or ACCEPTED -> DECLINED (the request is open again)
// Nothing else, not even staying in the same state; ENDED and DECLINED are
// final, UNSPECIFIED (and unknown values) go nowhere.
#ifndef HELHED_SERVICES_GUIDES_DOMAIN_LIFECYCLE_H_
#define HELHED_SERVICES_GUIDES_DOMAIN_LIFECYCLE_H_

#include "absl/status/status.h"
#include "helhed/guides/v1/resources.pb.h"

namespace helhed::guides {

// OK, or FAILED_PRECONDITION naming both states.
absl::Status CheckMatchTransition(::helhed::guides::v1::MatchState from,
                                  ::helhed::guides::v1::MatchState to);

// Whether a match in `state` uses one of the guide's slots: PROPOSED,
// ACCEPTED and ACTIVE do (they make up GuideState::load).
bool UsesCapacity(::helhed::guides::v1::MatchState state);

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_DOMAIN_LIFECYCLE_H_
