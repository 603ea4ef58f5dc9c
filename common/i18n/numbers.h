// Numbers and dates as a reader of the language writes them.
//   Danish:  1.234,5   12 %   +3,5   3. december 2026
//   English: 1,234.5   12%    +3.5   3 December 2026
// Values are rounded to the decimals asked for, and a value that rounds to
// zero is written without a sign (never "-0").
#ifndef HELHED_COMMON_I18N_NUMBERS_H_
#define HELHED_COMMON_I18N_NUMBERS_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "common/i18n/language.h"

namespace helhed::i18n {

// `value` with exactly `decimals` decimals (0..6) and grouped thousands.
std::string Number(Language language, double value, int decimals);
// At most `decimals` decimals: trailing zeros dropped ("2,5", "3").
std::string Decimal(Language language, double value, int max_decimals);
std::string Integer(Language language, int64_t value);
// A percentage given in percent (12.3 -> "12 %" in Danish with 0 decimals).
std::string Percent(Language language, double percent, int decimals = 0);
// A change with its sign: "+3,5", "-2", "0".
std::string Change(Language language, double value, int max_decimals);
// "3. december 2026" / "3 December 2026".
std::string LongDate(Language language, absl::CivilDay day);
// "03.12.2026" / "2026-12-03".
std::string ShortDate(Language language, absl::CivilDay day);

}  // namespace helhed::i18n

#endif  // HELHED_COMMON_I18N_NUMBERS_H_
