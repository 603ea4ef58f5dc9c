#include "common/status/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "common/status/field_violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace helhed {

grpc::Status ToGrpcStatus(const absl::Status& status, i18n::Language language) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  const auto code = static_cast<grpc::StatusCode>(status.code());
  // Within the limits of field_violations.h, whoever built the status, so
  // that the answer fits the trailers (also through the gateway).
  std::string message = TruncateUtf8(status.message(), kMaxStatusMessageBytes);
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    message = "internal error";
  }
  if (std::optional<i18n::Text> text = MessageTextOf(status);
      text.has_value() && status.code() != absl::StatusCode::kInternal &&
      status.code() != absl::StatusCode::kUnknown) {
    message = TruncateUtf8(i18n::Render(language, *text), kMaxStatusMessageBytes);
  }
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  if (!payload.has_value()) {
    return grpc::Status(code, message);
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  google::rpc::BadRequest bad;
  if (bad.ParseFromString(std::string(*payload))) {
    if (status.GetPayload(kViolationTextsPayloadUrl).has_value()) {
      // Written again in the caller's language, the same violations with
      // the same count of those not listed.
      FieldViolations again;
      for (FieldViolation& v : FieldViolationsOf(status)) {
        if (v.text.has_value()) {
          again.Add(std::move(v.field), std::move(*v.text));
        } else {
          again.Add(std::move(v.field), std::move(v.description));
        }
      }
      const size_t total = ViolationTotalOf(status);
      if (total > again.total()) again.AddDropped(total - again.total());
      const absl::Status rendered = again.ToStatus(language);
      message = std::string(rendered.message());
      bad.ParseFromString(std::string(*rendered.GetPayload(kBadRequestPayloadUrl)));
    } else if (static_cast<size_t>(bad.field_violations_size()) > kMaxReportedViolations ||
               bad.ByteSizeLong() > kMaxViolationDetailsBytes) {
      FieldViolations capped;
      for (const auto& fv : bad.field_violations()) {
        capped.Add(fv.field(), fv.description());
      }
      const absl::Status again = capped.ToStatus();
      message = std::string(again.message());
      bad.ParseFromString(std::string(*again.GetPayload(kBadRequestPayloadUrl)));
    }
    details.add_details()->PackFrom(bad);
  }
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (any.UnpackTo(&bad)) {
        out.SetPayload(kBadRequestPayloadUrl, absl::Cord(bad.SerializeAsString()));
      }
    }
  }
  return out;
}

}  // namespace helhed
