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

}  // namespace

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

int DateKey(const google::type::Date& d) { return d.year() * 10000 + d.month() * 100 + d.day(); }

void Validator::Title(const std::string& field, absl::string_view value, long max) {
  if (IsBlank(value)) {
    v_.Add(field, "is required");
    return;
  }
  Line(field, value, max);
}

void Validator::Line(const std::string& field, absl::string_view value, long max) {
  const long n = Utf8Length(value);
  if (n < 0) {
    v_.Add(field, "is not valid UTF-8");
  } else if (n > max) {
    v_.Add(field, absl::StrCat("must be at most ", max, " characters"));
  } else if (HasControl(value, /*multiline=*/false)) {
    v_.Add(field, "must not contain control characters");
  }
}

void Validator::Text(const std::string& field, absl::string_view value, long max, bool required) {
  if (required && IsBlank(value)) {
    v_.Add(field, "is required");
    return;
  }
  const long n = Utf8Length(value);
  if (n < 0) {
    v_.Add(field, "is not valid UTF-8");
  } else if (n > max) {
    v_.Add(field, absl::StrCat("must be at most ", max, " characters"));
  } else if (HasControl(value, /*multiline=*/true)) {
    v_.Add(field, "must not contain control characters other than newlines and tabs");
  }
}

void Validator::Lines(const std::string& field,
                      const google::protobuf::RepeatedPtrField<std::string>& values, int max_items,
                      long max_len) {
  if (values.size() > max_items) {
    v_.Add(field, absl::StrCat("must have at most ", max_items, " items"));
    return;
  }
  for (int i = 0; i < values.size(); ++i) {
    Title(absl::StrCat(field, "[", i, "]"), values[i], max_len);
  }
}

void Validator::Enum(const std::string& field, int value, bool (*is_valid)(int), bool required) {
  if (value == 0) {
    if (required) {
      v_.Add(field, "is required");
    }
    return;
  }
  if (!is_valid(value)) {
    v_.Add(field, absl::StrCat("has no value ", value));
  }
}

void Validator::EnumList(const std::string& field,
                         const google::protobuf::RepeatedField<int>& values, bool (*is_valid)(int),
                         int max_items) {
  if (values.size() > max_items) {
    v_.Add(field, absl::StrCat("must have at most ", max_items, " items"));
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (values[i] == 0 || !is_valid(values[i])) {
      v_.Add(f, absl::StrCat("has no value ", values[i]));
    } else if (!seen.insert(values[i]).second) {
      v_.Add(f, "is a duplicate");
    }
  }
}

void Validator::Year(const std::string& field, int year, bool required) {
  if (year == 0 && !required) {
    return;
  }
  if (year < 1900 || year > 2200) {
    v_.Add(field, "must be a year between 1900 and 2200");
  }
}

void Validator::Period(const std::string& field, bool present,
                       const helhed::common::v1::YearPeriod& p, bool required) {
  if (!present) {
    if (required) {
      v_.Add(field, "is required");
    }
    return;
  }
  const size_t before = v_.violations().size();
  Year(field + ".start_year", p.start_year(), true);
  Year(field + ".end_year", p.end_year(), true);
  if (v_.violations().size() == before && p.end_year() < p.start_year()) {
    v_.Add(field + ".end_year", "must not be before start_year");
  }
}

void Validator::Date(const std::string& field, bool present, const google::type::Date& d,
                     bool required) {
  if (!present) {
    if (required) {
      v_.Add(field, "is required");
    }
    return;
  }
  if (!IsValidDate(d)) {
    v_.Add(field, "must be a valid date between 1900 and 2200");
  }
}

void Validator::NotBefore(const std::string& field, const google::type::Date& later,
                          const google::type::Date& earlier) {
  if (IsValidDate(later) && IsValidDate(earlier) && DateKey(later) < DateKey(earlier)) {
    v_.Add(field, "must not be before the start");
  }
}

void Validator::Id(const std::string& field, absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) {
      v_.Add(field, "is required");
    }
    return;
  }
  if (value.size() > 40 || !IsIdChars(value)) {
    v_.Add(field, "is not a valid id");
  }
}

void Validator::CitizenId(const std::string& field, absl::string_view value) {
  if (value.empty()) {
    v_.Add(field, "is required");
  } else if (value.size() > 64 || !IsIdChars(value)) {
    v_.Add(field,
           "must be 1-64 characters of letters, digits, '-' and '_' (a pseudonymous id, never a "
           "CPR number)");
  }
}

void Validator::RequestId(const std::string& field, absl::string_view value) {
  if (value.size() > 128) {
    v_.Add(field, "must be at most 128 characters");
    return;
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7e) {
      v_.Add(field, "must be printable ASCII without spaces");
      return;
    }
  }
}

void Validator::SdgTarget(const std::string& field, absl::string_view code) {
  const size_t dot = code.find('.');
  int goal = 0;
  // The goal: one or two digits without a leading zero (SimpleAtoi alone
  // would also take "01" and "1 ").
  bool ok = dot != absl::string_view::npos && dot > 0 && dot <= 2 &&
            absl::ascii_isdigit(static_cast<unsigned char>(code[0])) &&
            absl::ascii_isdigit(static_cast<unsigned char>(code[dot - 1])) && code[0] != '0' &&
            absl::SimpleAtoi(code.substr(0, dot), &goal) && goal >= 1 && goal <= 17;
  if (ok) {
    absl::string_view t = code.substr(dot + 1);
    if (t.size() == 1 && absl::ascii_islower(static_cast<unsigned char>(t[0]))) {
      ok = true;
    } else {
      int target = 0;
      ok = !t.empty() && t.size() <= 2 && absl::ascii_isdigit(static_cast<unsigned char>(t[0])) &&
           absl::ascii_isdigit(static_cast<unsigned char>(t.back())) &&
           absl::SimpleAtoi(t, &target) && target >= 1 && code.substr(0, dot)[0] != '0' &&
           t[0] != '0';
    }
  }
  if (!ok) {
    v_.Add(field, "must be an SDG target such as \"10.2\" or \"1.a\"");
  }
}

void Validator::Range(const std::string& field, long value, long lo, long hi) {
  if (value < lo || value > hi) {
    v_.Add(field, absl::StrCat("must be between ", lo, " and ", hi));
  }
}

void Validator::Finite(const std::string& field, double value) {
  if (!std::isfinite(value)) {
    v_.Add(field, "must be a finite number");
  }
}

}  // namespace helhed
