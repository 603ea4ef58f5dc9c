#include "services/gateway/audit/cpr.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/status/field_violations.h"

namespace helhed::gateway {
namespace {

constexpr char kField[] = "cpr";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int TwoDigits(const std::string& s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// The full year from the two-digit year and the 7th digit (the first of the
// serial number), by the CPR office's rule.
int FullYear(int yy, int seventh) {
  if (seventh <= 3) return 1900 + yy;
  if (seventh == 4 || seventh == 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;  // 5-8
}

}  // namespace

absl::StatusOr<std::string> NormalizeCpr(const std::string& cpr) {
  std::string digits;
  if (cpr.size() == 10) {
    digits = cpr;
  } else if (cpr.size() == 11 && cpr[6] == '-') {
    digits = cpr.substr(0, 6) + cpr.substr(7);
  } else {
    return InvalidField(kField, i18n::Later("validation.cpr.format"));
  }
  for (const char c : digits) {
    if (!IsDigit(c)) {
      return InvalidField(kField, i18n::Later("validation.cpr.format"));
    }
  }
  const int day = TwoDigits(digits, 0);
  const int month = TwoDigits(digits, 2);
  const int year = FullYear(TwoDigits(digits, 4), digits[6] - '0');
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return InvalidField(kField, i18n::Later("validation.cpr.birth_date"));
  }
  return digits;
}

std::string CitizenPseudonym(const std::string& key, const std::string& ten_digits) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(ten_digits.data()), ten_digits.size(), mac, &mac_len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "c";
  out.reserve(33);
  for (unsigned int i = 0; i < 16 && i < mac_len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0x0f]);
  }
  return out;
}

}  // namespace helhed::gateway
