#include "services/guides/domain/list_filters.h"

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"
#include "common/store/paging.h"

namespace helhed::guides {
namespace {

namespace v1 = ::helhed::guides::v1;

absl::StatusOr<store::ListFilter> Done(const FieldViolations& v, store::ListFilter f) {
  absl::Status s = v.ToStatus();
  if (!s.ok()) {
    return s;
  }
  return f;
}

}  // namespace

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListGuidesRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("status", r.status(), v1::GuideStatus_IsValid, false);
  c.Enum("experience", r.experience(), v1::ExperienceTag_IsValid, false);
  c.Enum("setting", r.setting(), v1::Setting_IsValid, false);
  if (r.experience() != 0 && r.setting() != 0) {
    c.Add("experience", i18n::Later("validation.filter.one_of_two",
                                    {{"first", "experience"}, {"second", "setting"}}));
  }
  store::ListFilter f;
  f.has_status = r.status() != 0;
  f.status = r.status();
  if (r.experience() != 0) {
    f.tag = absl::StrCat("exp:", r.experience());
  } else if (r.setting() != 0) {
    f.tag = absl::StrCat("set:", r.setting());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListGuidanceRequestsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("request_state", r.request_state(), v1::RequestState_IsValid, false);
  if (!r.citizen_id().empty()) c.CitizenId("citizen_id", r.citizen_id());
  c.Enum("urgency", r.urgency(), v1::Urgency_IsValid, false);
  store::ListFilter f;
  f.has_status = r.request_state() != 0;
  f.status = r.request_state();
  f.citizen_id = r.citizen_id();
  if (r.urgency() != 0) {
    f.tag = absl::StrCat("urg:", r.urgency());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

absl::StatusOr<store::ListFilter> FilterOf(const v1::ListGroupSessionsRequest& r) {
  FieldViolations v;
  Validator c(v);
  c.Enum("kind", r.kind(), v1::SessionKind_IsValid, false);
  c.Enum("audience", r.audience(), v1::Audience_IsValid, false);
  c.Id("guide_id", r.guide_id(), false);
  if (r.audience() != 0 && !r.guide_id().empty()) {
    c.Add("audience", i18n::Later("validation.filter.one_of_two",
                                  {{"first", "audience"}, {"second", "guide_id"}}));
  }
  store::ListFilter f;
  f.has_status = r.kind() != 0;
  f.status = r.kind();
  if (r.audience() != 0) {
    f.tag = absl::StrCat("aud:", r.audience());
  } else if (!r.guide_id().empty()) {
    f.tag = absl::StrCat("guide:", r.guide_id());
  }
  f.include_archived = r.include_archived();
  return Done(v, f);
}

}  // namespace helhed::guides
