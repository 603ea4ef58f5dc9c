#include "common/status/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace helhed {
namespace {

bool IsBlank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

// True if `s` has a control character; `multiline` allows \n, \r and \t.
bool HasControl(absl::string_view s, bool multiline) {
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t')))) {
      return true;
    }
  }
  return false;
}

bool IsIdChars(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

// The targets of each goal (index goal - 1): how many numeric (N.1..N.k)
// and how many lettered (N.a..) ones; 169 in all.
struct SdgGoal {
  int numeric;
  int lettered;
};
constexpr SdgGoal kSdgGoals[17] = {
    {5, 2},   // 1: 1.1-1.5, 1.a-1.b
    {5, 3},   // 2: 2.1-2.5, 2.a-2.c
    {9, 4},   // 3: 3.1-3.9, 3.a-3.d
    {7, 3},   // 4: 4.1-4.7, 4.a-4.c
    {6, 3},   // 5: 5.1-5.6, 5.a-5.c
    {6, 2},   // 6: 6.1-6.6, 6.a-6.b
    {3, 2},   // 7: 7.1-7.3, 7.a-7.b
    {10, 2},  // 8: 8.1-8.10, 8.a-8.b
    {5, 3},   // 9: 9.1-9.5, 9.a-9.c
    {7, 3},   // 10: 10.1-10.7, 10.a-10.c
    {7, 3},   // 11: 11.1-11.7, 11.a-11.c
    {8, 3},   // 12: 12.1-12.8, 12.a-12.c
    {3, 2},   // 13: 13.1-13.3, 13.a-13.b
    {7, 3},   // 14: 14.1-14.7, 14.a-14.c
    {9, 3},   // 15: 15.1-15.9, 15.a-15.c
    {10, 2},  // 16: 16.1-16.10, 16.a-16.b
    {19, 0},  // 17: 17.1-17.19
};

// A number of one or two digits without a leading zero, else 0.
int SmallNumber(absl::string_view s) {
  if (s.empty() || s.size() > 2 || s[0] == '0') return 0;
  int n = 0;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

bool IsSdgTarget(absl::string_view code) {
  const size_t dot = code.find('.');
  if (dot == absl::string_view::npos) return false;
  const int goal = SmallNumber(code.substr(0, dot));
  if (goal < 1 || goal > 17) return false;
  const SdgGoal& g = kSdgGoals[goal - 1];
  const absl::string_view target = code.substr(dot + 1);
  if (target.size() == 1 && target[0] >= 'a' && target[0] <= 'z') {
    return target[0] - 'a' < g.lettered;
  }
  const int n = SmallNumber(target);
  return n >= 1 && n <= g.numeric;
}

long Utf8Length(absl::string_view s) {
  long n = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80             ? 1
              : (c & 0xE0) == 0xC0 ? 2
              : (c & 0xF0) == 0xE0 ? 3
              : (c & 0xF8) == 0xF0 ? 4
                                   : 0;
    if (len == 0 || i + len > s.size()) {
      return -1;
    }
    // Shortest form only, no UTF-16 surrogates, nothing above U+10FFFF.
    const unsigned char c1 = static_cast<unsigned char>(s[i + (len > 1 ? 1 : 0)]);
    if ((len == 2 && c < 0xC2) || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) ||
        (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F) || c > 0xF4) {
      return -1;
    }
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return -1;
      }
    }
    i += len;
    ++n;
  }
  return n;
}

bool IsValidDate(const google::type::Date& d) {
  if (d.year() < 1900 || d.year() > 2200 || d.month() < 1 || d.month() > 12 || d.day() < 1) {
    return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = kDays[d.month() - 1];
  const int y = d.year();
  if (d.month() == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
    days = 29;
  }
  return d.day() <= days;
}

void Validator::Title(const std::string& field, absl::string_view value, long max) {
  if (IsBlank(value)) {
    v_.Add(field, i18n::Later("validation.field.required"));
    return;
  }
  Line(field, value, max);
}

void Validator::Line(const std::string& field, absl::string_view value, long max) {
  const long n = Utf8Length(value);
  if (n < 0) {
    v_.Add(field, i18n::Later("validation.text.not_utf8"));
  } else if (n > max) {
    v_.Add(field, i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(max)}}));
  } else if (HasControl(value, /*multiline=*/false)) {
    v_.Add(field, i18n::Later("validation.text.control"));
  }
}

void Validator::Text(const std::string& field, absl::string_view value, long max, bool required) {
  if (required && IsBlank(value)) {
    v_.Add(field, i18n::Later("validation.field.required"));
    return;
  }
  const long n = Utf8Length(value);
  if (n < 0) {
    v_.Add(field, i18n::Later("validation.text.not_utf8"));
  } else if (n > max) {
    v_.Add(field, i18n::Later("validation.text.max_chars", {{"max", absl::StrCat(max)}}));
  } else if (HasControl(value, /*multiline=*/true)) {
    v_.Add(field, i18n::Later("validation.text.control_multiline"));
  }
}

bool Validator::MaxItems(const std::string& field, int size, int max) {
  if (size > max) {
    v_.Add(field, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(max)}}));
    return false;
  }
  return true;
}

void Validator::Lines(const std::string& field,
                      const google::protobuf::RepeatedPtrField<std::string>& values, int max_items,
                      long max_len) {
  if (values.size() > max_items) {
    v_.Add(field, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(max_items)}}));
    return;
  }
  for (int i = 0; i < values.size(); ++i) {
    Title(absl::StrCat(field, "[", i, "]"), values[i], max_len);
  }
}

void Validator::Enum(const std::string& field, int value, bool (*is_valid)(int), bool required) {
  if (value == 0) {
    if (required) {
      v_.Add(field, i18n::Later("validation.field.required"));
    }
    return;
  }
  if (!is_valid(value)) {
    v_.Add(field, i18n::Later("validation.enum.no_value", {{"value", absl::StrCat(value)}}));
  }
}

void Validator::EnumList(const std::string& field,
                         const google::protobuf::RepeatedField<int>& values, bool (*is_valid)(int),
                         int max_items) {
  if (values.size() > max_items) {
    v_.Add(field, i18n::Later("validation.list.max_items", {{"max", absl::StrCat(max_items)}}));
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (values[i] == 0 || !is_valid(values[i])) {
      v_.Add(f, i18n::Later("validation.enum.no_value", {{"value", absl::StrCat(values[i])}}));
    } else if (!seen.insert(values[i]).second) {
      v_.Add(f, i18n::Later("validation.field.duplicate"));
    }
  }
}

void Validator::Year(const std::string& field, int year, bool required) {
  if (year == 0 && !required) {
    return;
  }
  if (year < 1900 || year > 2200) {
    v_.Add(field, i18n::Later("validation.date.year"));
  }
}

void Validator::Period(const std::string& field, bool present,
                       const helhed::common::v1::YearPeriod& p, bool required) {
  if (!present) {
    if (required) {
      v_.Add(field, i18n::Later("validation.field.required"));
    }
    return;
  }
  const size_t before = v_.violations().size();
  Year(field + ".start_year", p.start_year(), true);
  Year(field + ".end_year", p.end_year(), true);
  if (v_.violations().size() == before && p.end_year() < p.start_year()) {
    v_.Add(field + ".end_year",
           i18n::Later("validation.date.not_before", {{"other", "start_year"}}));
  }
}

void Validator::Date(const std::string& field, bool present, const google::type::Date& d,
                     bool required) {
  if (!present) {
    if (required) {
      v_.Add(field, i18n::Later("validation.field.required"));
    }
    return;
  }
  if (!IsValidDate(d)) {
    v_.Add(field, i18n::Later("validation.date.valid"));
  }
}

void Validator::NotBefore(const std::string& field, const google::type::Date& later,
                          const google::type::Date& earlier) {
  if (IsValidDate(later) && IsValidDate(earlier) && DateKey(later) < DateKey(earlier)) {
    v_.Add(field, i18n::Later("validation.date.not_before_start"));
  }
}

void Validator::Id(const std::string& field, absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) {
      v_.Add(field, i18n::Later("validation.field.required"));
    }
    return;
  }
  if (value.size() > 40 || !IsIdChars(value)) {
    v_.Add(field, i18n::Later("validation.id.invalid"));
  }
}

void Validator::CitizenId(const std::string& field, absl::string_view value) {
  if (value.empty()) {
    v_.Add(field, i18n::Later("validation.field.required"));
  } else if (value.size() > 64 || !IsIdChars(value)) {
    v_.Add(field, i18n::Later("validation.id.citizen"));
  }
}

void Validator::RequestId(const std::string& field, absl::string_view value) {
  if (value.size() > 128) {
    v_.Add(field, i18n::Later("validation.text.max_chars", {{"max", "128"}}));
    return;
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7e) {
      v_.Add(field, i18n::Later("validation.text.printable_ascii"));
      return;
    }
  }
}

void Validator::SdgTarget(const std::string& field, absl::string_view code) {
  if (!IsSdgTarget(code)) {
    v_.Add(field, i18n::Later("validation.id.sdg_target"));
  }
}

void Validator::Range(const std::string& field, long value, long lo, long hi) {
  if (value < lo || value > hi) {
    v_.Add(field, i18n::Later("validation.number.between",
                              {{"min", absl::StrCat(lo)}, {"max", absl::StrCat(hi)}}));
  }
}

void Validator::Finite(const std::string& field, double value) {
  if (!std::isfinite(value)) {
    v_.Add(field, i18n::Later("validation.number.finite"));
  }
}

}  // namespace helhed
