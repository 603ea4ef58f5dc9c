// The message catalogue: every text the services compose for people, one
// catalogue per language (common/i18n/catalogue/<language>/<area>.txt,
// compiled into the binaries). Code names a message by its id and gives its
// arguments; the wording lives only in the catalogue.
//
//   i18n::Message(lang, "housing.standing.queue_position",
//                 {{"position", i18n::Integer(lang, 3)}, {"total", "12"}})
//
// A catalogue file holds lines `id = text`; `#` starts a comment line; in the
// text `{name}` is replaced by the argument `name`, `\n` is a line break and
// `\\` a backslash. Ids are `<area>.<topic>.<name>` in lower case.
// tests/unit/i18n_test.cc fails when an id lacks a translation, when the two
// languages' placeholders differ, and when an id used in the sources is not
// in the catalogue.
#ifndef HELHED_COMMON_I18N_CATALOGUE_H_
#define HELHED_COMMON_I18N_CATALOGUE_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/i18n/language.h"

namespace helhed::i18n {

using Arg = std::pair<absl::string_view, std::string>;

// A text to compose later, in a language not known yet (e.g. a field
// violation made in domain code, rendered when the answer is sent).
// Arguments are language-neutral (ids, field names, whole numbers).
struct Text {
  std::string id;
  std::vector<std::pair<std::string, std::string>> args;
};

Text Later(absl::string_view id, std::initializer_list<Arg> args = {});

// Message `id` in `language` with its arguments substituted. An id that is
// not in the catalogue gives "[[id]]" (the tests make sure none is).
std::string Message(Language language, absl::string_view id, std::initializer_list<Arg> args = {});
std::string Render(Language language, const Text& text);

// The catalogue as loaded: is `id` there, and every id of a language.
bool HasMessage(Language language, absl::string_view id);
std::vector<std::string> MessageIds(Language language);
// The template of `id` (with its {placeholders}), or null.
const std::string* Template(Language language, absl::string_view id);
// Problems found while loading the catalogue files (malformed lines,
// duplicate ids); empty when they are well formed.
const std::vector<std::string>& CatalogueProblems();

}  // namespace helhed::i18n

#endif  // HELHED_COMMON_I18N_CATALOGUE_H_
