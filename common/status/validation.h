// Field checks shared by every service's request validation. Each check
// adds a violation naming the field to the FieldViolations it was given, so
// one pass reports every bad field at once.
//
//   FieldViolations v;
//   Validator check(v);
//   check.Title("plan.title", plan.title());
//   check.Period("plan.period", plan.period(), /*required=*/true);
//   HELHED_RETURN_IF_ERROR(v.ToStatus());
#ifndef HELHED_COMMON_STATUS_VALIDATION_H_
#define HELHED_COMMON_STATUS_VALIDATION_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "google/protobuf/repeated_field.h"
#include "google/type/date.pb.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed {

// Number of Unicode code points in valid UTF-8 `s`, or -1 if `s` is not
// valid UTF-8.
long Utf8Length(absl::string_view s);

// A date as yyyymmdd (0 for an unset date): common/calendar.
using calendar::DateKey;
bool IsValidDate(const google::type::Date& d);

// True if `code` is one of the 169 targets of the UN Sustainable
// Development Goals (2015 resolution A/RES/70/1), spelled "<goal>.<n>" or
// "<goal>.<letter>": goal N has the numeric targets N.1..N.k and the
// lettered means of implementation N.a.. (e.g. 10.1-10.7 and 10.a-10.c;
// 17.1-17.19, no letters).
bool IsSdgTarget(absl::string_view code);

// Not thread-safe; one per request.
class Validator {
 public:
  explicit Validator(FieldViolations& v) : v_(v) {}

  // A required single-line text: not blank, no control characters,
  // 1..max characters.
  void Title(const std::string& field, absl::string_view value, long max = 200);
  // An optional single-line text of at most max characters.
  void Line(const std::string& field, absl::string_view value, long max);
  // Multi-line text (newlines and tabs allowed); required means not blank.
  void Text(const std::string& field, absl::string_view value, long max, bool required = false);
  // The item limit of a repeated field, checked before its items are: true
  // if `size` <= `max`, else one violation naming the field
  // (validation.list.max_items) and false (then check no item: a request with
  // 100,000 items must cost one violation, not 100,000).
  bool MaxItems(const std::string& field, int size, int max);
  void Lines(const std::string& field,
             const google::protobuf::RepeatedPtrField<std::string>& values, int max_items,
             long max_len);

  // An enum value the proto defines; UNSPECIFIED (0) only when optional.
  void Enum(const std::string& field, int value, bool (*is_valid)(int), bool required);
  // Defined, not UNSPECIFIED, no duplicates, at most max_items.
  void EnumList(const std::string& field, const google::protobuf::RepeatedField<int>& values,
                bool (*is_valid)(int), int max_items);

  void Year(const std::string& field, int year, bool required);
  void Period(const std::string& field, bool present, const helhed::common::v1::YearPeriod& p,
              bool required);
  void Date(const std::string& field, bool present, const google::type::Date& d, bool required);
  // `later` is not before `earlier` (when both are set and valid).
  void NotBefore(const std::string& field, const google::type::Date& later,
                 const google::type::Date& earlier);

  // A resource id: 1-40 characters of A-Z a-z 0-9 - _.
  void Id(const std::string& field, absl::string_view value, bool required);
  // A pseudonymous citizen id: 1-64 characters of A-Z a-z 0-9 - _.
  void CitizenId(const std::string& field, absl::string_view value);
  // An optional client request id: at most 128 printable ASCII characters.
  void RequestId(const std::string& field, absl::string_view value);
  // One of the 169 targets of the UN Sustainable Development Goals
  // (IsSdgTarget), such as "10.2" or "1.a".
  void SdgTarget(const std::string& field, absl::string_view code);
  void Range(const std::string& field, long value, long lo, long hi);
  void Finite(const std::string& field, double value);

  // A violation of a rule of the caller's own, as a catalogue text
  // (i18n::Later("validation.<topic>.<name>", {args})).
  void Add(const std::string& field, i18n::Text text) { v_.Add(field, std::move(text)); }

 private:
  FieldViolations& v_;
};

}  // namespace helhed

#endif  // HELHED_COMMON_STATUS_VALIDATION_H_
