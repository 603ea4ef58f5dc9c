#include "common/status/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "common/status/field_violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace helhed {

grpc::Status ToGrpcStatus(const absl::Status& status) {
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
  auto payload = status.GetPayload(kBadRequestPayloadUrl);
  if (!payload.has_value()) {
    return grpc::Status(code, message);
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  google::rpc::BadRequest bad;
  if (bad.ParseFromString(std::string(*payload))) {
    if (static_cast<size_t>(bad.field_violations_size()) > kMaxReportedViolations ||
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
