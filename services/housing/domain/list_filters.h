// Turns the housing service's List requests into validated filters. Pure.
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_LIST_FILTERS_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_LIST_FILTERS_H_

#include "absl/status/statusor.h"
#include "common/store/resources.h"
#include "helhed/housing/v1/housing_service.pb.h"

namespace helhed::housing {

using store::PageOf;
// Units: status = unit_status, ref_id = unit type number, tag "pc:<postcode>".
absl::StatusOr<store::ListFilter> FilterOf(const ::helhed::housing::v1::ListUnitsRequest& r);
// Applications: status = application_status, citizen_id, ref_id = situation
// number.
absl::StatusOr<store::ListFilter> FilterOf(const ::helhed::housing::v1::ListApplicationsRequest& r);
// Tenancies: parent_id = unit_id, citizen_id, status = tenancy_status,
// ref_id = unit type number.
absl::StatusOr<store::ListFilter> FilterOf(const ::helhed::housing::v1::ListTenanciesRequest& r);

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_LIST_FILTERS_H_
