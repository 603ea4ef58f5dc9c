// The accompaniment lifecycle: requested -> matched -> confirmed ->
// completed, or cancelled / no-show. Pure.
//
//   from \ to   MATCHED  CONFIRMED  COMPLETED  CANCELLED  NO_SHOW
//   REQUESTED   yes      -          -          yes        -
//   MATCHED     -        yes        -          yes        yes
//   CONFIRMED   -        -          yes        yes        yes
//   COMPLETED, CANCELLED, NO_SHOW: final.
#ifndef HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIFECYCLE_H_
#define HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIFECYCLE_H_

#include "absl/status/status.h"
#include "helhed/volunteers/v1/resources.pb.h"

namespace helhed::volunteers {

// OK, or FAILED_PRECONDITION naming both states in words, e.g. "cannot go
// from completed to cancelled". Staying in the same state is not a
// transition (refused); UNSPECIFIED goes nowhere.
absl::Status CheckTransition(::helhed::volunteers::v1::RequestState from,
                             ::helhed::volunteers::v1::RequestState to);

// Whether the request still holds its volunteer's booking in `state`: true
// for MATCHED and CONFIRMED only.
bool HoldsBooking(::helhed::volunteers::v1::RequestState state);

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIFECYCLE_H_
