#include "services/housing/domain/lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"

namespace helhed::housing {
namespace {

bool IsFinal(v1::OfferState state) {
  return state == v1::OFFER_STATE_ACCEPTED || state == v1::OFFER_STATE_DECLINED ||
         state == v1::OFFER_STATE_EXPIRED || state == v1::OFFER_STATE_WITHDRAWN;
}

}  // namespace

absl::Status CheckOfferTransition(v1::OfferState from, v1::OfferState to, i18n::Language language) {
  if (from == v1::OFFER_STATE_PENDING && IsFinal(to)) {
    return absl::OkStatus();
  }
  std::string message = i18n::Message(
      language, "housing.lifecycle.offer_transition",
      {{"from", i18n::EnumName(language, from)}, {"to", i18n::EnumName(language, to)}});
  if (IsFinal(from)) {
    absl::StrAppend(&message, "; ",
                    i18n::Message(language, "housing.lifecycle.offer_final",
                                  {{"state", i18n::EnumName(language, from)}}));
  }
  return absl::FailedPreconditionError(message);
}

bool IsTemporary(v1::UnitType type) {
  return type == v1::UNIT_TYPE_TEMPORARY_107 || type == v1::UNIT_TYPE_SHELTER_110;
}

absl::Status CheckAvailabilityChange(v1::UnitStatus from, bool available, i18n::Language language) {
  const std::string status = i18n::EnumName(language, from);
  switch (from) {
    case v1::UNIT_STATUS_AVAILABLE:
    case v1::UNIT_STATUS_UNAVAILABLE:
      return absl::OkStatus();
    case v1::UNIT_STATUS_OFFERED:
      return absl::FailedPreconditionError(
          i18n::Message(language, "housing.lifecycle.unit_offered", {{"status", status}}));
    case v1::UNIT_STATUS_OCCUPIED:
      return absl::FailedPreconditionError(
          i18n::Message(language, "housing.lifecycle.unit_occupied", {{"status", status}}));
    default:
      return absl::FailedPreconditionError(
          i18n::Message(language, "housing.lifecycle.unit_other",
                        {{"status", status},
                         {"available", i18n::EnumName(language, v1::UNIT_STATUS_AVAILABLE)},
                         {"unavailable", i18n::EnumName(language, v1::UNIT_STATUS_UNAVAILABLE)}}));
  }
}

}  // namespace helhed::housing
