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

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace helhed {

// The payload URL under which BadRequest details travel in an absl::Status.
inline constexpr absl::string_view kBadRequestPayloadUrl =
    "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  std::string field;
  std::string description;
};

class FieldViolations {
 public:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT whose message names
  // the fields and whose payload is a serialized google.rpc.BadRequest.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// A single-field INVALID_ARGUMENT with its BadRequest payload.
absl::Status InvalidField(std::string field, std::string description);

// The field violations carried by `status` (empty when there are none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace helhed

#endif  // HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_
