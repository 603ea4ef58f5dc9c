#include "common/status/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace helhed {

std::string TruncateUtf8(absl::string_view text, size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  constexpr absl::string_view kEllipsis = "...";
  size_t cut = max > kEllipsis.size() ? max - kEllipsis.size() : 0;
  // Back to the start of a character (never split a multi-byte sequence).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;
  }
  return absl::StrCat(text.substr(0, cut), kEllipsis.substr(0, max - cut));
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) {
    return absl::OkStatus();
  }
  google::rpc::BadRequest bad;
  std::string message = "invalid request: ";
  size_t listed = 0;
  size_t in_message = 0;
  bool message_full = false;
  for (const FieldViolation& v : violations_) {
    if (listed == kMaxReportedViolations) break;
    google::rpc::BadRequest::FieldViolation fv;
    fv.set_field(TruncateUtf8(v.field, kMaxViolationFieldBytes));
    fv.set_description(TruncateUtf8(v.description, kMaxViolationDescriptionBytes));
    // The first always; the next while the details stay within their size.
    if (listed > 0 && bad.ByteSizeLong() + fv.ByteSizeLong() + 3 > kMaxViolationDetailsBytes) {
      break;
    }
    const std::string part =
        absl::StrCat(listed > 0 ? "; " : "", fv.field(), ": ", fv.description());
    // Room is kept for the " (and N more)" at the end.
    if (!message_full && message.size() + part.size() + 24 <= kMaxStatusMessageBytes) {
      message += part;
      ++in_message;
    } else if (listed == 0) {
      message += TruncateUtf8(part, kMaxStatusMessageBytes - message.size() - 24);
      ++in_message;
      message_full = true;
    } else {
      message_full = true;
    }
    *bad.add_field_violations() = std::move(fv);
    ++listed;
  }
  if (total() > in_message) {
    absl::StrAppend(&message, " (and ", total() - in_message, " more)");
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
