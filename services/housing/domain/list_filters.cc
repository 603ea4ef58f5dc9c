#include "services/housing/domain/list_filters.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"
#include "services/housing/domain/validation.h"

namespace helhed::housing {
namespace {

absl::StatusOr<store::ListFilter> Done(const FieldViolations& v, store::ListFilter f) {
  absl::Status s = v.ToStatus();
  if (!s.ok()) {
    return s;
  }
  return f;
}

// The enum's number as the projected ref_id, empty for "any".
std::string RefOf(int value) { return value != 0 ? absl::StrCat(value) : std::string(); }

}  // namespace

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListUnitsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("unit_type", r.unit_type(), v1::UnitType_IsValid, false);
  c.Enum("unit_status", r.unit_status(), v1::UnitStatus_IsValid, false);
  if (!r.postcode().empty() && !IsPostcode(r.postcode())) {
    c.Add("postcode", i18n::Later("validation.postcode.danish"));
  }
  store::ListFilter f;
  f.has_status = r.unit_status() != 0;
  f.status = r.unit_status();
  f.ref_id = RefOf(r.unit_type());
  if (!r.postcode().empty()) {
    f.tag = absl::StrCat("pc:", r.postcode());
  }
  f.include_archived = r.include_archived();
  return Done(v, std::move(f));
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListApplicationsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("application_status", r.application_status(), v1::ApplicationStatus_IsValid, false);
  c.Enum("situation", r.situation(), v1::Situation_IsValid, false);
  if (!r.citizen_id().empty()) c.CitizenId("citizen_id", r.citizen_id());
  store::ListFilter f;
  f.has_status = r.application_status() != 0;
  f.status = r.application_status();
  f.citizen_id = r.citizen_id();
  f.ref_id = RefOf(r.situation());
  f.include_archived = r.include_archived();
  return Done(v, std::move(f));
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListTenanciesRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Id("unit_id", r.unit_id(), false);
  if (!r.citizen_id().empty()) c.CitizenId("citizen_id", r.citizen_id());
  c.Enum("tenancy_status", r.tenancy_status(), v1::TenancyStatus_IsValid, false);
  c.Enum("unit_type", r.unit_type(), v1::UnitType_IsValid, false);
  store::ListFilter f;
  f.parent_id = r.unit_id();
  f.citizen_id = r.citizen_id();
  f.has_status = r.tenancy_status() != 0;
  f.status = r.tenancy_status();
  f.ref_id = RefOf(r.unit_type());
  return Done(v, std::move(f));
}

}  // namespace helhed::housing
