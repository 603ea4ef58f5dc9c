// Turns the volunteer service's List requests into validated filters. Pure.
#ifndef HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIST_FILTERS_H_
#define HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIST_FILTERS_H_

#include "absl/status/statusor.h"
#include "common/store/resources.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"

namespace helhed::volunteers {

using store::PageOf;
absl::StatusOr<store::ListFilter> FilterOf(const v1::ListOrganisationsRequest& r);
absl::StatusOr<store::ListFilter> FilterOf(const v1::ListVolunteersRequest& r);
absl::StatusOr<store::ListFilter> FilterOf(const v1::ListActivitiesRequest& r);
absl::StatusOr<store::ListFilter> FilterOf(const v1::ListAccompanimentRequestsRequest& r);

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_DOMAIN_LIST_FILTERS_H_
