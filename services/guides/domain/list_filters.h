// Turns the guide service's List requests into validated filters. Pure.
#ifndef HELHED_SERVICES_GUIDES_DOMAIN_LIST_FILTERS_H_
#define HELHED_SERVICES_GUIDES_DOMAIN_LIST_FILTERS_H_

#include "absl/status/statusor.h"
#include "common/store/resources.h"
#include "helhed/guides/v1/guides_service.pb.h"

namespace helhed::guides {

using store::PageOf;
absl::StatusOr<store::ListFilter> FilterOf(const ::helhed::guides::v1::ListGuidesRequest& r);
absl::StatusOr<store::ListFilter> FilterOf(
    const ::helhed::guides::v1::ListGuidanceRequestsRequest& r);
absl::StatusOr<store::ListFilter> FilterOf(const ::helhed::guides::v1::ListGroupSessionsRequest& r);

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_DOMAIN_LIST_FILTERS_H_
