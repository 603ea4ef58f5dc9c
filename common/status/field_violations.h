// Collects every bad field of a request, then turns them into one
// INVALID_ARGUMENT status carrying google.rpc.BadRequest field violations.
//
//   FieldViolations v;
//   if (req.title().empty()) v.Add("policy.title", i18n::Later("validation.required"));
//   HELHED_RETURN_IF_ERROR(v.ToStatus());
//
// A description given as an i18n::Text (a catalogue message id and its
// arguments) is written in English in the status (logs, in-process callers)
// and travels with it, so that ToGrpcStatus writes it again in the caller's
// language; a description given as a plain string stays as it is.
//
// Not thread-safe; use one per request.
#ifndef HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_
#define HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/language.h"

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
  std::optional<i18n::Text> text;  // the description as a catalogue message
};

// The payload URL under which the violations' catalogue texts travel in an
// absl::Status (never sent: ToGrpcStatus renders them).
inline constexpr absl::string_view kViolationTextsPayloadUrl = "helhed.i18n/violation-texts";

class FieldViolations {
 public:
  void Add(std::string field, std::string description) {
    if (violations_.size() >= kMaxKeptViolations) {
      ++dropped_;
      return;
    }
    violations_.push_back({std::move(field), std::move(description), std::nullopt});
  }
  void Add(std::string field, i18n::Text text) {
    if (violations_.size() >= kMaxKeptViolations) {
      ++dropped_;
      return;
    }
    std::string description = i18n::Render(i18n::Language::kEnglish, text);
    violations_.push_back({std::move(field), std::move(description), std::move(text)});
  }
  // Adds `total` - kept violations to the count of those not kept.
  void AddDropped(size_t n) { dropped_ += n; }
  bool empty() const { return violations_.empty(); }
  // The first kMaxKeptViolations added.
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // How many were added in all.
  size_t total() const { return violations_.size() + dropped_; }

  // OK when nothing was added; otherwise INVALID_ARGUMENT whose message names
  // the fields and whose payload is a serialized google.rpc.BadRequest, both
  // within the limits above (the first violations, in the order added).
  // Catalogue texts are written in `language` (English by default: the
  // status also goes to logs and in-process callers).
  absl::Status ToStatus(i18n::Language language = i18n::Language::kEnglish) const;

 private:
  std::vector<FieldViolation> violations_;
  size_t dropped_ = 0;
};

// `text` cut to at most `max` bytes at a UTF-8 character boundary, with
// "..." at the end when it was cut.
std::string TruncateUtf8(absl::string_view text, size_t max);

// A single-field INVALID_ARGUMENT with its BadRequest payload.
absl::Status InvalidField(std::string field, std::string description);
absl::Status InvalidField(std::string field, i18n::Text text);

// An error for people whose message is a catalogue text: English in process
// (logs, in-process callers), the caller's language on the wire
// (ToGrpcStatus). E.g.
//   return TextError(absl::StatusCode::kFailedPrecondition,
//                    i18n::Later("<area>.<topic>.<name>", {{"id", id}}));
inline constexpr absl::string_view kMessageTextPayloadUrl = "helhed.i18n/message-text";
absl::Status TextError(absl::StatusCode code, i18n::Text text);
// The catalogue text of a TextError, if `status` is one.
std::optional<i18n::Text> MessageTextOf(const absl::Status& status);

// The field violations carried by `status` (empty when there are none).
// Catalogue texts ride along (FieldViolation::text) when the status still
// has them (in process, before ToGrpcStatus).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
// How many violations were found in all (listed or only counted).
size_t ViolationTotalOf(const absl::Status& status);

}  // namespace helhed

#endif  // HELHED_COMMON_STATUS_FIELD_VIOLATIONS_H_
