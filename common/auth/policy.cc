#include "common/auth/policy.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace helhed::auth {
namespace {

using helhed::common::v1::Role;

constexpr absl::string_view kRolePrefix = "ROLE_";

absl::Status LineError(const std::string& file_name, int line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(file_name, ":", line, ": ", what));
}

bool IsRoleNameChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

// Parses one non-empty, comment-free line into `rules`.
absl::Status ParseLine(absl::string_view line, const std::string& file_name, int line_no,
                       const google::protobuf::DescriptorPool& pool,
                       const std::set<std::string>& services, Policy::Others others,
                       std::map<std::string, std::set<int>>& rules) {
  std::vector<absl::string_view> tokens =
      absl::StrSplit(line, absl::ByAnyChar(" \t\r\f\v"), absl::SkipEmpty());
  const absl::string_view target = tokens.front();

  const size_t slash = target.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == target.size() ||
      target.find('/', slash + 1) != absl::string_view::npos) {
    return LineError(file_name, line_no,
                     absl::StrCat("expected <full.service.Name>/<Method> or "
                                  "<full.service.Name>/*, got '",
                                  target, "'"));
  }
  const std::string service_name(target.substr(0, slash));
  const std::string method_name(target.substr(slash + 1));
  if (tokens.size() < 2) {
    return LineError(file_name, line_no, absl::StrCat("no roles given for '", target, "'"));
  }
  std::set<int> roles;
  for (size_t i = 1; i < tokens.size(); ++i) {
    const Role role = RoleFromName(std::string(tokens[i]));
    if (role == helhed::common::v1::ROLE_UNSPECIFIED) {
      return LineError(file_name, line_no, absl::StrCat("unknown role '", tokens[i], "'"));
    }
    roles.insert(role);
  }
  if (others == Policy::Others::kSkip && services.count(service_name) == 0) {
    return absl::OkStatus();
  }

  const google::protobuf::ServiceDescriptor* service = pool.FindServiceByName(service_name);
  if (service == nullptr) {
    return LineError(file_name, line_no, absl::StrCat("unknown service '", service_name, "'"));
  }
  if (services.count(service_name) == 0) {
    return LineError(file_name, line_no,
                     absl::StrCat("service '", service_name, "' is not routed by the gateway"));
  }

  std::vector<std::string> methods;
  if (method_name == "*") {
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back(absl::StrCat("/", service_name, "/", service->method(i)->name()));
    }
  } else {
    if (service->FindMethodByName(method_name) == nullptr) {
      return LineError(
          file_name, line_no,
          absl::StrCat("unknown method '", method_name, "' of service '", service_name, "'"));
    }
    methods.push_back(absl::StrCat("/", service_name, "/", method_name));
  }

  for (const std::string& m : methods) rules[m].insert(roles.begin(), roles.end());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Policy> Policy::Parse(const std::string& text, const std::string& file_name,
                                     const google::protobuf::DescriptorPool& pool,
                                     const std::set<std::string>& services, Others others) {
  Policy policy;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const absl::Status s =
        ParseLine(line, file_name, line_no, pool, services, others, policy.rules_);
    if (!s.ok()) return s;
  }
  return policy;
}

absl::StatusOr<Policy> Policy::Load(const std::string& path,
                                    const google::protobuf::DescriptorPool& pool,
                                    const std::set<std::string>& services, Others others) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open policy file ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(absl::StrCat("cannot read policy file ", path));
  }
  return Parse(text.str(), path, pool, services, others);
}

bool Policy::Allows(const std::string& method, const helhed::common::v1::Principal& p) const {
  const auto it = rules_.find(method);
  if (it == rules_.end()) return false;
  for (const int role : p.roles()) {
    if (role != helhed::common::v1::ROLE_UNSPECIFIED && it->second.count(role) > 0) return true;
  }
  return false;
}

std::vector<std::string> Policy::Uncovered(const google::protobuf::DescriptorPool& pool,
                                           const std::set<std::string>& services) const {
  std::vector<std::string> out;
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool.FindServiceByName(name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      std::string wire = absl::StrCat("/", name, "/", service->method(i)->name());
      const auto it = rules_.find(wire);
      if (it == rules_.end() || it->second.empty()) out.push_back(std::move(wire));
    }
  }
  return out;
}

helhed::common::v1::Role RoleFromName(const std::string& name) {
  if (name.empty()) return helhed::common::v1::ROLE_UNSPECIFIED;
  for (const char c : name) {
    if (!IsRoleNameChar(c)) return helhed::common::v1::ROLE_UNSPECIFIED;
  }
  Role role = helhed::common::v1::ROLE_UNSPECIFIED;
  if (!helhed::common::v1::Role_Parse(absl::StrCat(kRolePrefix, absl::AsciiStrToUpper(name)),
                                      &role)) {
    return helhed::common::v1::ROLE_UNSPECIFIED;
  }
  return role;
}

std::string RoleName(helhed::common::v1::Role role) {
  const std::string& full = helhed::common::v1::Role_Name(role);
  if (full.empty()) return absl::StrCat(static_cast<int>(role));
  return absl::AsciiStrToLower(absl::StripPrefix(full, kRolePrefix));
}

}  // namespace helhed::auth
