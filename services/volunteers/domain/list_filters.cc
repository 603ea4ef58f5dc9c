#include "services/volunteers/domain/list_filters.h"

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"
#include "common/store/paging.h"
#include "services/volunteers/domain/validation.h"

namespace helhed::volunteers {
namespace {

absl::StatusOr<store::ListFilter> Done(const FieldViolations& v, store::ListFilter f) {
  absl::Status s = v.ToStatus();
  if (!s.ok()) {
    return s;
  }
  return f;
}

// At most one tag filter at a time: the store joins one tag.
void OneTag(FieldViolations& v, const std::string& field, int given) {
  if (given > 1) {
    v.Add(field,
          i18n::Later("validation.filter.one_of_three",
                      {{"first", "postcode"}, {"second", "interest"}, {"third", "language"}}));
  }
}

}  // namespace

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListOrganisationsRequest& r) {
  FieldViolations v;
  Validator(v).Enum("kind", r.kind(), v1::OrganisationKind_IsValid, false);
  if (!r.postcode().empty()) {
    ValidatePostcode("postcode", r.postcode(), true, v);
  }
  store::ListFilter f;
  f.has_status = r.kind() != 0;
  f.status = r.kind();
  if (!r.postcode().empty()) {
    f.tag = absl::StrCat("pc:", r.postcode());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListVolunteersRequest& r) {
  FieldViolations v;
  Validator(v).Enum("status", r.status(), v1::VolunteerStatus_IsValid, false);
  if (!r.postcode().empty()) ValidatePostcode("postcode", r.postcode(), true, v);
  if (!r.interest().empty()) ValidateTag("interest", r.interest(), v);
  if (!r.language().empty()) ValidateLanguage("language", r.language(), v);
  OneTag(v, "postcode", !r.postcode().empty() + !r.interest().empty() + !r.language().empty());
  store::ListFilter f;
  f.has_status = r.status() != 0;
  f.status = r.status();
  if (!r.postcode().empty()) {
    f.tag = absl::StrCat("pc:", r.postcode());
  } else if (!r.interest().empty()) {
    f.tag = absl::StrCat("int:", r.interest());
  } else if (!r.language().empty()) {
    f.tag = absl::StrCat("lang:", r.language());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListActivitiesRequest& r) {
  FieldViolations v;
  Validator(v).Id("organisation_id", r.organisation_id(), false);
  if (!r.postcode().empty()) ValidatePostcode("postcode", r.postcode(), true, v);
  if (!r.interest().empty()) ValidateTag("interest", r.interest(), v);
  OneTag(v, "postcode", !r.postcode().empty() + !r.interest().empty());
  store::ListFilter f;
  f.parent_id = r.organisation_id();
  if (!r.postcode().empty()) {
    f.tag = absl::StrCat("pc:", r.postcode());
  } else if (!r.interest().empty()) {
    f.tag = absl::StrCat("int:", r.interest());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListAccompanimentRequestsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("request_state", r.request_state(), v1::RequestState_IsValid, false);
  if (!r.citizen_id().empty()) c.CitizenId("citizen_id", r.citizen_id());
  c.Id("volunteer_id", r.volunteer_id(), false);
  store::ListFilter f;
  f.has_status = r.request_state() != 0;
  f.status = r.request_state();
  f.citizen_id = r.citizen_id();
  f.ref_id = r.volunteer_id();
  f.include_archived = r.include_archived();
  return Done(v, f);
}

}  // namespace helhed::volunteers
