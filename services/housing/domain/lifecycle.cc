#include "services/housing/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace helhed::housing {


namespace {

std::string OfferStateName(v1::OfferState state) {
  const std::string& name = v1::OfferState_Name(state);
  return name.empty() ? absl::StrCat("OFFER_STATE_", static_cast<int>(state)) : name;
}

std::string UnitStatusName(v1::UnitStatus status) {
  const std::string& name = v1::UnitStatus_Name(status);
  return name.empty() ? absl::StrCat("UNIT_STATUS_", static_cast<int>(status)) : name;
}

bool IsFinal(v1::OfferState state) {
  return state == v1::OFFER_STATE_ACCEPTED || state == v1::OFFER_STATE_DECLINED ||
         state == v1::OFFER_STATE_EXPIRED || state == v1::OFFER_STATE_WITHDRAWN;
}

}  // namespace

absl::Status CheckOfferTransition(v1::OfferState from, v1::OfferState to) {
  if (from == v1::OFFER_STATE_PENDING && IsFinal(to)) {
    return absl::OkStatus();
  }
  std::string message =
      absl::StrCat("an offer cannot go from ", OfferStateName(from), " to ", OfferStateName(to));
  if (IsFinal(from)) {
    absl::StrAppend(&message, "; ", OfferStateName(from), " is final");
  }
  return absl::FailedPreconditionError(message);
}

bool IsTemporary(v1::UnitType type) {
  return type == v1::UNIT_TYPE_TEMPORARY_107 || type == v1::UNIT_TYPE_SHELTER_110;
}

absl::Status CheckAvailabilityChange(v1::UnitStatus from, bool available) {
  switch (from) {
    case v1::UNIT_STATUS_AVAILABLE:
    case v1::UNIT_STATUS_UNAVAILABLE:
      return absl::OkStatus();
    case v1::UNIT_STATUS_OFFERED:
      return absl::FailedPreconditionError(
          absl::StrCat("the unit is ", UnitStatusName(from),
                       "; a pending offer holds it, withdraw or answer the offer first"));
    case v1::UNIT_STATUS_OCCUPIED:
      return absl::FailedPreconditionError(absl::StrCat(
          "the unit is ", UnitStatusName(from), "; end the tenancy to make it available again"));
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("the unit is ", UnitStatusName(from), "; only ",
                       UnitStatusName(v1::UNIT_STATUS_AVAILABLE), " and ",
                       UnitStatusName(v1::UNIT_STATUS_UNAVAILABLE), " units can be changed"));
  }
}

}  // namespace helhed::housing
