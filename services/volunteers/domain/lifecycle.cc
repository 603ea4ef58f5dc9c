#include "services/volunteers/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace helhed::volunteers {


namespace {

std::string StateWord(v1::RequestState state) {
  switch (state) {
    case v1::REQUEST_STATE_UNSPECIFIED:
      return "unspecified";
    case v1::REQUEST_STATE_REQUESTED:
      return "requested";
    case v1::REQUEST_STATE_MATCHED:
      return "matched";
    case v1::REQUEST_STATE_CONFIRMED:
      return "confirmed";
    case v1::REQUEST_STATE_COMPLETED:
      return "completed";
    case v1::REQUEST_STATE_CANCELLED:
      return "cancelled";
    case v1::REQUEST_STATE_NO_SHOW:
      return "no-show";
    default:
      return absl::StrCat("unknown state ", static_cast<int>(state));
  }
}

bool Allowed(v1::RequestState from, v1::RequestState to) {
  switch (from) {
    case v1::REQUEST_STATE_REQUESTED:
      return to == v1::REQUEST_STATE_MATCHED || to == v1::REQUEST_STATE_CANCELLED;
    case v1::REQUEST_STATE_MATCHED:
      return to == v1::REQUEST_STATE_CONFIRMED || to == v1::REQUEST_STATE_CANCELLED ||
             to == v1::REQUEST_STATE_NO_SHOW;
    case v1::REQUEST_STATE_CONFIRMED:
      return to == v1::REQUEST_STATE_COMPLETED || to == v1::REQUEST_STATE_CANCELLED ||
             to == v1::REQUEST_STATE_NO_SHOW;
    default:
      // COMPLETED, CANCELLED and NO_SHOW are final; UNSPECIFIED and unknown
      // values go nowhere.
      return false;
  }
}

}  // namespace

absl::Status CheckTransition(v1::RequestState from, v1::RequestState to) {
  if (Allowed(from, to)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("cannot go from ", StateWord(from), " to ", StateWord(to)));
}

bool HoldsBooking(v1::RequestState state) {
  return state == v1::REQUEST_STATE_MATCHED || state == v1::REQUEST_STATE_CONFIRMED;
}

}  // namespace helhed::volunteers
