#include "common/i18n/catalogue.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/i18n/catalogue_files.h"

namespace helhed::i18n {
namespace {

struct Catalogue {
  absl::flat_hash_map<std::string, std::string> by_language[2];
  std::vector<std::string> problems;
};

int IndexOf(Language language) { return language == Language::kEnglish ? 1 : 0; }

std::string Unescape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == 'n') {
        out.push_back('\n');
        ++i;
        continue;
      }
      if (text[i + 1] == '\\') {
        out.push_back('\\');
        ++i;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

const Catalogue& Loaded() {
  static const Catalogue* catalogue = [] {
    auto* c = new Catalogue;
    for (const CatalogueFile& file : CatalogueFiles()) {
      const absl::string_view path = file.path;
      int index;
      if (absl::StartsWith(path, "da/")) {
        index = 0;
      } else if (absl::StartsWith(path, "en/")) {
        index = 1;
      } else {
        c->problems.push_back(absl::StrCat(path, ": not under da/ or en/"));
        continue;
      }
      int line_number = 0;
      for (absl::string_view line : absl::StrSplit(file.text, '\n')) {
        ++line_number;
        absl::string_view trimmed = absl::StripAsciiWhitespace(line);
        if (trimmed.empty() || trimmed[0] == '#') continue;
        const size_t eq = trimmed.find(" = ");
        if (eq == absl::string_view::npos) {
          c->problems.push_back(absl::StrCat(path, ":", line_number, ": no \" = \""));
          continue;
        }
        std::string id(absl::StripAsciiWhitespace(trimmed.substr(0, eq)));
        std::string text = Unescape(trimmed.substr(eq + 3));
        if (!c->by_language[index].emplace(id, std::move(text)).second) {
          c->problems.push_back(absl::StrCat(path, ":", line_number, ": duplicate id ", id));
        }
      }
    }
    return c;
  }();
  return *catalogue;
}

std::string Substitute(const std::string& tmpl,
                       const std::vector<std::pair<absl::string_view, absl::string_view>>& args) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      const size_t close = tmpl.find('}', i + 1);
      if (close != std::string::npos) {
        const absl::string_view name(tmpl.data() + i + 1, close - i - 1);
        auto it =
            std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (it != args.end()) {
          out.append(it->second.data(), it->second.size());
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(tmpl[i]);
    ++i;
  }
  return out;
}

}  // namespace

Text Later(absl::string_view id, std::initializer_list<Arg> args) {
  Text t{std::string(id), {}};
  for (const Arg& a : args) t.args.emplace_back(std::string(a.first), a.second);
  return t;
}

const std::string* Template(Language language, absl::string_view id) {
  const auto& map = Loaded().by_language[IndexOf(language)];
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

std::string Message(Language language, absl::string_view id, std::initializer_list<Arg> args) {
  const std::string* tmpl = Template(language, id);
  if (tmpl == nullptr) return absl::StrCat("[[", id, "]]");
  std::vector<std::pair<absl::string_view, absl::string_view>> view;
  view.reserve(args.size());
  for (const Arg& a : args) view.emplace_back(a.first, a.second);
  return Substitute(*tmpl, view);
}

std::string Render(Language language, const Text& text) {
  const std::string* tmpl = Template(language, text.id);
  if (tmpl == nullptr) return absl::StrCat("[[", text.id, "]]");
  std::vector<std::pair<absl::string_view, absl::string_view>> view;
  view.reserve(text.args.size());
  for (const auto& a : text.args) view.emplace_back(a.first, a.second);
  return Substitute(*tmpl, view);
}

bool HasMessage(Language language, absl::string_view id) {
  return Template(language, id) != nullptr;
}

std::vector<std::string> MessageIds(Language language) {
  std::vector<std::string> ids;
  for (const auto& [id, text] : Loaded().by_language[IndexOf(language)]) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

const std::vector<std::string>& CatalogueProblems() { return Loaded().problems; }

}  // namespace helhed::i18n
