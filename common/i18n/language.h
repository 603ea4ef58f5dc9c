// The language a person reads a composed text in: Danish unless the caller
// asks for English. Services compose texts (reports, reasons, explanations,
// the human part of validation errors) in the caller's language; ids,
// enum values and figures are the same in both.
//
// Callers ask through the request metadata key "accept-language" (RFC 9110
// syntax, e.g. "en", "en-GB, da;q=0.5"); the gateway passes it on.
#ifndef HELHED_COMMON_I18N_LANGUAGE_H_
#define HELHED_COMMON_I18N_LANGUAGE_H_

#include "absl/strings/string_view.h"

namespace helhed::i18n {

enum class Language { kDanish, kEnglish };

inline constexpr char kLanguageHeader[] = "accept-language";

// The preferred one of Danish and English in an Accept-Language value: the
// highest q-value among "da*" and "en*" ranges (the first on a tie), "*"
// counting as Danish; Danish when neither is named or the value is malformed.
Language ParseAcceptLanguage(absl::string_view header);

// "da" or "en".
absl::string_view Code(Language language);

}  // namespace helhed::i18n

#endif  // HELHED_COMMON_I18N_LANGUAGE_H_
