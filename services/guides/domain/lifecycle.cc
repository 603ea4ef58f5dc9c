#include "services/guides/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"

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
      return absl::StrCat("unknown state ", static_cast<int>(state));
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
  return absl::FailedPreconditionError(
      absl::StrCat("cannot go from ", StateWord(from), " to ", StateWord(to)));
}

bool UsesCapacity(v1::MatchState state) {
  return state == v1::MATCH_STATE_PROPOSED || state == v1::MATCH_STATE_ACCEPTED ||
         state == v1::MATCH_STATE_ACTIVE;
}

}  // namespace helhed::guides
