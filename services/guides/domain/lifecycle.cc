#include "services/guides/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"

namespace helhed::guides {

namespace {

std::string StateWord(v1::MatchState state) {
  switch (state) {
    case v1::MATCH_STATE_UNSPECIFIED:
      return "unspecified";
    case v1::MATCH_STATE_PROPOSED:
      return "proposed";
    case v1::MATCH_STATE_ACCEPTED:
      return "accepted";
    case v1::MATCH_STATE_ACTIVE:
      return "active";
    case v1::MATCH_STATE_ENDED:
      return "ended";
    case v1::MATCH_STATE_DECLINED:
      return "declined";
    default:
      return "unknown";
  }
}

bool Allowed(v1::MatchState from, v1::MatchState to) {
  switch (from) {
    case v1::MATCH_STATE_PROPOSED:
      return to == v1::MATCH_STATE_ACCEPTED || to == v1::MATCH_STATE_DECLINED;
    case v1::MATCH_STATE_ACCEPTED:
      return to == v1::MATCH_STATE_ACTIVE || to == v1::MATCH_STATE_DECLINED;
    case v1::MATCH_STATE_ACTIVE:
      return to == v1::MATCH_STATE_ENDED;
    default:
      // ENDED and DECLINED are final; UNSPECIFIED and unknown values go
      // nowhere.
      return false;
  }
}

}  // namespace

absl::Status CheckMatchTransition(v1::MatchState from, v1::MatchState to) {
  if (Allowed(from, to)) {
    return absl::OkStatus();
  }
  // The text names the match's state and what it can still become (one
  // catalogue text per state), in the caller's language when it is sent;
  // `to` is the call's own step.
  return TextError(absl::StatusCode::kFailedPrecondition,
                   i18n::Later(absl::StrCat("guides.match_transition.", StateWord(from))));
}

bool UsesCapacity(v1::MatchState state) {
  return state == v1::MATCH_STATE_PROPOSED || state == v1::MATCH_STATE_ACCEPTED ||
         state == v1::MATCH_STATE_ACTIVE;
}

}  // namespace helhed::guides
