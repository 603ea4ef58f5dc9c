// Structured logs: one JSON object per line on stderr. Never pass personal
// data (names, CPR numbers, free text about a citizen, citizen ids) as a
// field; log ids of resources and callers only.
#ifndef HELHED_COMMON_OBSERVABILITY_LOG_H_
#define HELHED_COMMON_OBSERVABILITY_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace helhed::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Fields of one line, in order; values are strings, or raw JSON numbers when
// added with Num().
class Fields {
 public:
  Fields& Str(absl::string_view key, absl::string_view value);
  Fields& Num(absl::string_view key, double value);
  Fields& Int(absl::string_view key, long long value);
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;  // value already JSON
};

// Thread-safe. "debug", "info", "warning", "error"; false if unknown.
bool SetLevel(absl::string_view level);
bool Enabled(Level level);
void Write(Level level, absl::string_view message, const Fields& fields = Fields());

inline void Info(absl::string_view m, const Fields& f = Fields()) { Write(Level::kInfo, m, f); }
inline void Warning(absl::string_view m, const Fields& f = Fields()) {
  Write(Level::kWarning, m, f);
}
inline void Error(absl::string_view m, const Fields& f = Fields()) { Write(Level::kError, m, f); }

// JSON string literal for `s` (quotes included); invalid UTF-8 is replaced.
std::string JsonString(absl::string_view s);

}  // namespace helhed::log

#endif  // HELHED_COMMON_OBSERVABILITY_LOG_H_
