#include "common/i18n/language.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace helhed::i18n {

Language ParseAcceptLanguage(absl::string_view header) {
  Language best = Language::kDanish;
  double best_q = -1;
  for (absl::string_view item : absl::StrSplit(header, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string range = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&param, "q=") || absl::ConsumePrefix(&param, "Q=")) {
        if (!absl::SimpleAtod(param, &q) || q < 0 || q > 1) q = 0;
      }
    }
    if (q <= 0) continue;
    Language language;
    if (range == "da" || absl::StartsWith(range, "da-") || range == "*") {
      language = Language::kDanish;
    } else if (range == "en" || absl::StartsWith(range, "en-")) {
      language = Language::kEnglish;
    } else {
      continue;
    }
    if (q > best_q) {
      best_q = q;
      best = language;
    }
  }
  return best;
}

absl::string_view Code(Language language) { return language == Language::kEnglish ? "en" : "da"; }

}  // namespace helhed::i18n
