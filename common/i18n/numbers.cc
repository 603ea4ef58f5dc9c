#include "common/i18n/numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace helhed::i18n {
namespace {

char DecimalMark(Language language) { return language == Language::kDanish ? ',' : '.'; }
char GroupMark(Language language) { return language == Language::kDanish ? '.' : ','; }

// |value| rounded to `decimals`, thousands grouped, with a sign only when
// what is shown is not zero. Years are not amounts: print them with StrCat.
std::string Format(Language language, double value, int decimals, bool trim) {
  decimals = std::clamp(decimals, 0, 6);
  if (!std::isfinite(value)) return std::isnan(value) ? "-" : (value > 0 ? "∞" : "-∞");
  std::string digits = absl::StrFormat("%.*f", decimals, std::fabs(value));
  bool zero = true;
  for (char c : digits) {
    if (c >= '1' && c <= '9') zero = false;
  }
  const bool negative = value < 0 && !zero;
  std::string whole = digits;
  std::string frac;
  if (const size_t dot = digits.find('.'); dot != std::string::npos) {
    whole = digits.substr(0, dot);
    frac = digits.substr(dot + 1);
  }
  if (trim) {
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  std::string grouped;
  const int n = static_cast<int>(whole.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) grouped.push_back(GroupMark(language));
    grouped.push_back(whole[i]);
  }
  std::string out = negative ? "-" : "";
  out += grouped;
  if (!frac.empty()) {
    out.push_back(DecimalMark(language));
    out += frac;
  }
  return out;
}

constexpr const char* kMonthsDa[] = {"januar",    "februar", "marts",    "april",
                                     "maj",       "juni",    "juli",     "august",
                                     "september", "oktober", "november", "december"};
constexpr const char* kMonthsEn[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

}  // namespace

std::string Number(Language language, double value, int decimals) {
  return Format(language, value, decimals, false);
}

std::string Decimal(Language language, double value, int max_decimals) {
  return Format(language, value, max_decimals, true);
}

std::string Integer(Language language, int64_t value) {
  return Format(language, static_cast<double>(value), 0, false);
}

std::string Percent(Language language, double percent, int decimals) {
  const std::string n = Format(language, percent, decimals, false);
  return language == Language::kDanish ? absl::StrCat(n, " %") : absl::StrCat(n, "%");
}

std::string Change(Language language, double value, int max_decimals) {
  std::string n = Format(language, value, max_decimals, true);
  if (n == "0" || n[0] == '-') return n;
  return absl::StrCat("+", n);
}

std::string LongDate(Language language, absl::CivilDay day) {
  const int m = day.month() - 1;
  if (language == Language::kDanish) {
    return absl::StrCat(day.day(), ". ", kMonthsDa[m], " ", day.year());
  }
  return absl::StrCat(day.day(), " ", kMonthsEn[m], " ", day.year());
}

std::string ShortDate(Language language, absl::CivilDay day) {
  if (language == Language::kDanish) {
    return absl::StrFormat("%02d.%02d.%04d", day.day(), day.month(), day.year());
  }
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace helhed::i18n
