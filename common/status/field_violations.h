// Collects every bad field of a request, then turns them into one
// INVALID_ARGUMENT status carrying google.rpc.BadRequest field violations.
//
//   FieldViolations v;
//   if (req.title().empty()) v.Add("policy.title", "must not be empty");
//   HELHED_RETURN_IF_ERROR(v.ToStatus());
//
// Not thread-safe; use one per request.
#ifndef HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_
#define HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace helhed {

// The payload URL under which BadRequest details travel in an absl::Status.
inline constexpr absl::string_view kBadRequestPayloadUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// What one INVALID_ARGUMENT carries at most, so that it always fits the
// trailers of a gRPC answer (8 KiB of metadata by default: the message is
// sent percent-encoded, the details base64-encoded, both also through the
// gateway) with at least its first field named. Violations beyond these are
// counted in the message ("and N more") but not listed.
inline constexpr size_t kMaxReportedViolations = 20;
inline constexpr size_t kMaxViolationDetailsBytes = 2048;  // the serialized BadRequest
inline constexpr size_t kMaxStatusMessageBytes = 512;
inline constexpr size_t kMaxViolationFieldBytes = 200;
inline constexpr size_t kMaxViolationDescriptionBytes = 300;
// At most this many violations are kept by a FieldViolations (the rest only
// counted), whatever a validation adds.
inline constexpr size_t kMaxKeptViolations = 100;

struct FieldViolation {
  std::string field;
  std::string description;
};

class FieldViolations {
 public:
  void Add(std::string field, std::string description) {
    if (violations_.size() >= kMaxKeptViolations) {
      ++dropped_;
      return;
    }
    violations_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return violations_.empty(); }
  // The first kMaxKeptViolations added.
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // How many were added in all.
  size_t total() const { return violations_.size() + dropped_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT whose message names
  // the fields and whose payload is a serialized google.rpc.BadRequest, both
  // within the limits above (the first violations, in the order added).
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
  size_t dropped_ = 0;
};

// `text` cut to at most `max` bytes at a UTF-8 character boundary, with
// "..." at the end when it was cut.
std::string TruncateUtf8(absl::string_view text, size_t max);

// A single-field INVALID_ARGUMENT with its BadRequest payload.
absl::Status InvalidField(std::string field, std::string description);

// The field violations carried by `status` (empty when there are none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace helhed

#endif  // HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_
