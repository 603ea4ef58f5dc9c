// Turns List requests into validated filters and pages. Pure.
#ifndef HELHED_SERVICES_PLANS_DOMAIN_LIST_FILTERS_H_
#define HELHED_SERVICES_PLANS_DOMAIN_LIST_FILTERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/resources.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"

namespace helhed::plans {

using store::ListFilter;
using store::Page;

using store::PageOf;

absl::StatusOr<ListFilter> FilterOf(const v1::ListPoliciesRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListPlansRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListTracksRequest& r);
// focus_year is resolved by the store (it needs the year's focus).
absl::StatusOr<ListFilter> FilterOf(const v1::ListInitiativeAreasRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListActivitiesRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListIndicatorsRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListCitizenPlansRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListGoalsRequest& r);
absl::StatusOr<ListFilter> FilterOf(const v1::ListActionsRequest& r);

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_DOMAIN_LIST_FILTERS_H_
