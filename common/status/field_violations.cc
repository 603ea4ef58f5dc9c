#include "common/status/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace helhed {

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) {
    return absl::OkStatus();
  }
  google::rpc::BadRequest bad;
  std::string message = "invalid request: ";
  for (size_t i = 0; i < violations_.size(); ++i) {
    auto* fv = bad.add_field_violations();
    fv->set_field(violations_[i].field);
    fv->set_description(violations_[i].description);
    if (i > 0) {
      absl::StrAppend(&message, "; ");
    }
    absl::StrAppend(&message, violations_[i].field, ": ", violations_[i].description);
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestPayloadUrl, absl::Cord(bad.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  if (!payload.has_value()) {
    return out;
  }
  google::rpc::BadRequest bad;
  if (!bad.ParseFromString(std::string(*payload))) {
    return out;
  }
  for (const auto& fv : bad.field_violations()) {
    out.push_back({fv.field(), fv.description()});
  }
  return out;
}

}  // namespace helhed
