// Validation of housing resources and requests. Pure. Field paths as the
// caller sees them, e.g. "application.preferred_areas[1].postcode".
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_VALIDATION_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_VALIDATION_H_

#include <string>

#include "absl/time/civil_time.h"
#include "common/status/field_violations.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/housing/v1/resources.pb.h"

namespace helhed::housing {


// A four-digit Danish postcode, 1000-9999.
bool IsPostcode(const std::string& s);

// unit_type required; landlord Title(200); postcode; rooms 1-20; rent
// 0-50,000; accessibility EnumList (max 3); support required;
// available_from a valid date when set (optional); notes Text(2000).
void ValidateUnit(const v1::HousingUnit& m, const std::string& p, FieldViolations& v);
// citizen_id CitizenId; situation required; screening_date required, valid,
// not after `today`, not before 1990; rooms_needed 1-10; accessibility_needs
// EnumList(3); support_needed required; unit_types EnumList(7) with at least
// one; preferred_areas at most 10, each postcode valid and reason a defined
// value (UNSPECIFIED allowed), no postcode twice; max_rent_dkk 0-50,000;
// vulnerability_flags EnumList(8); notes Text(2000).
void ValidateApplication(const v1::Application& m, const std::string& p, absl::CivilDay today,
                         FieldViolations& v);
// For CreateTenancy and UpdateTenancy: unit_id Id (required), citizen_id
// CitizenId, move_in required, valid, not after today + 365 days; notes
// Text(2000).
void ValidateTenancy(const v1::Tenancy& m, const std::string& p, absl::CivilDay today,
                     FieldViolations& v);

// Request checks (ids, etags, enums, lengths); paths are the request's own.
void ValidateMakeOffer(const v1::MakeOfferRequest& r, absl::Time now, FieldViolations& v);
void ValidateAcceptOffer(const v1::AcceptOfferRequest& r, FieldViolations& v);
void ValidateDeclineOffer(const v1::DeclineOfferRequest& r, FieldViolations& v);
void ValidateWithdrawOffer(const v1::WithdrawOfferRequest& r, FieldViolations& v);
void ValidateEndTenancy(const v1::EndTenancyRequest& r, absl::CivilDay today, FieldViolations& v);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_VALIDATION_H_
