#include "common/observability/log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace helhed::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
absl::Mutex g_write_mu;

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      // Copy a well-formed UTF-8 sequence, replace anything else.
      int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      bool ok = len > 0 && i + len <= s.size();
      for (int k = 1; ok && k < len; ++k) {
        ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
      }
      if (ok) {
        out.append(s.data() + i, len);
        i += len - 1;
      } else {
        out.append("\\ufffd");
      }
    }
  }
  out.push_back('"');
  return out;
}

Fields& Fields::Str(absl::string_view key, absl::string_view value) {
  items_.emplace_back(std::string(key), JsonString(value));
  return *this;
}

Fields& Fields::Num(absl::string_view key, double value) {
  items_.emplace_back(std::string(key), absl::StrFormat("%.6g", value));
  return *this;
}

Fields& Fields::Int(absl::string_view key, long long value) {
  items_.emplace_back(std::string(key), absl::StrCat(value));
  return *this;
}

bool SetLevel(absl::string_view level) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (level == LevelName(l)) {
      g_level.store(static_cast<int>(l));
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, absl::string_view message, const Fields& fields) {
  if (!Enabled(level)) {
    return;
  }
  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\",\"msg\":", JsonString(message));
  for (const auto& [k, v] : fields.items()) {
    absl::StrAppend(&line, ",", JsonString(k), ":", v);
  }
  line.append("}\n");
  absl::MutexLock lock(&g_write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace helhed::log
