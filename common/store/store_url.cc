#include "common/store/store_url.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace helhed::store {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || HexDigit(s[i + 1]) < 0 || HexDigit(s[i + 2]) < 0) {
      return absl::InvalidArgumentError("store URL: bad percent-encoding");
    }
    out.push_back(static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
    i += 2;
  }
  return out;
}

}  // namespace

std::string StoreUrl::Redacted() const {
  if (dialect == Dialect::kSqlite) {
    return absl::StrCat("sqlite://", path);
  }
  return absl::StrCat("mysql://", user, ":***@", host, ":", port, "/", database);
}

absl::StatusOr<StoreUrl> ParseStoreUrl(absl::string_view url) {
  StoreUrl out;
  if (absl::ConsumePrefix(&url, "sqlite://")) {
    if (url.empty()) {
      return absl::InvalidArgumentError("store URL: sqlite:// needs a file path");
    }
    out.dialect = Dialect::kSqlite;
    out.path = std::string(url);
    return out;
  }
  if (!absl::ConsumePrefix(&url, "mysql://")) {
    return absl::InvalidArgumentError(
        "store URL must start with sqlite:// or mysql:// (e.g. sqlite:///var/lib/helhed/plans.db)");
  }
  out.dialect = Dialect::kMysql;
  size_t at = url.rfind('@');
  if (at == absl::string_view::npos) {
    return absl::InvalidArgumentError("store URL: mysql:// needs user:password@host");
  }
  absl::string_view cred = url.substr(0, at);
  absl::string_view rest = url.substr(at + 1);
  size_t colon = cred.find(':');
  auto user = PercentDecode(cred.substr(0, colon));
  if (!user.ok()) return user.status();
  out.user = *user;
  if (colon != absl::string_view::npos) {
    auto pass = PercentDecode(cred.substr(colon + 1));
    if (!pass.ok()) return pass.status();
    out.password = *pass;
  }
  size_t slash = rest.find('/');
  if (slash == absl::string_view::npos || slash + 1 >= rest.size()) {
    return absl::InvalidArgumentError("store URL: mysql:// needs /database after the host");
  }
  out.database = std::string(rest.substr(slash + 1));
  absl::string_view hostport = rest.substr(0, slash);
  size_t pc = hostport.rfind(':');
  // A colon before a ']' is inside an IPv6 literal ("[::1]"), not a port.
  if (pc != absl::string_view::npos && hostport.find(']', pc) == absl::string_view::npos) {
    if (!absl::SimpleAtoi(hostport.substr(pc + 1), &out.port) || out.port <= 0 ||
        out.port > 65535) {
      return absl::InvalidArgumentError("store URL: bad port");
    }
    hostport = hostport.substr(0, pc);
  }
  if (hostport.empty()) {
    return absl::InvalidArgumentError("store URL: mysql:// needs a host");
  }
  out.host = std::string(hostport);
  return out;
}

}  // namespace helhed::store
