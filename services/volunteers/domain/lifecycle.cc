#include "services/volunteers/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"

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
      return "no_show";
    default:
      return "unknown";
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
  // The text names the request's state and what it can still become (one
  // catalogue text per state), in the caller's language when it is sent;
  // `to` is the call's own step.
  return TextError(absl::StatusCode::kFailedPrecondition,
                   i18n::Later(absl::StrCat("volunteers.request_transition.", StateWord(from))));
}

bool HoldsBooking(v1::RequestState state) {
  return state == v1::REQUEST_STATE_MATCHED || state == v1::REQUEST_STATE_CONFIRMED;
}

}  // namespace helhed::volunteers
