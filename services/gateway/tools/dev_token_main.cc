// helhed-dev-token: signs a development bearer token for the gateway.
//
//   helhed-dev-token --key=var/dev-keys/jwt/dev.key [--kid=dev]
//       [--issuer=https://idp.helhed.local] [--audience=helhed-gateway]
//       [--subject=dev-user] [--municipality=730] [--roles=caseworker,manager]
//       [--minutes=480]
//
// Prints the token on stdout; errors go to stderr with exit status 2.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/gateway/policy/policy.h"

namespace {

constexpr char kUsage[] =
    "usage: helhed-dev-token --key=PRIVATE_KEY.pem [--kid=ID] [--issuer=URL]\n"
    "         [--audience=AUD] [--subject=SUB] [--municipality=NNN]\n"
    "         [--roles=role[,role...]] [--minutes=N] [--org-unit=UNIT]\n"
    "roles: caseworker, volunteer_coordinator, guide_coordinator, housing_officer,\n"
    "       manager, council_member, auditor, operations\n";

int Fail(const std::string& message) {
  std::cerr << "helhed-dev-token: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string key_path;
  std::string kid;
  std::string issuer = "https://idp.helhed.local";
  std::string audience = "helhed-gateway";
  std::string subject = "dev-user";
  std::string municipality = "730";
  std::string roles = "caseworker";
  std::string minutes_text = "480";
  std::string org_unit;

  struct Flag {
    const char* name;
    std::string* value;
  };
  const Flag flags[] = {{"--key=", &key_path},     {"--kid=", &kid},
                        {"--issuer=", &issuer},    {"--audience=", &audience},
                        {"--subject=", &subject},  {"--municipality=", &municipality},
                        {"--roles=", &roles},      {"--minutes=", &minutes_text},
                        {"--org-unit=", &org_unit}};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    bool known = false;
    for (const Flag& f : flags) {
      if (absl::StartsWith(arg, f.name)) {
        *f.value = arg.substr(std::string(f.name).size());
        known = true;
        break;
      }
    }
    if (!known) return Fail("unknown argument '" + arg + "'");
  }

  if (key_path.empty()) return Fail("--key is required");
  if (kid.empty()) kid = std::filesystem::path(key_path).stem().string();
  if (kid.empty()) return Fail("--kid is empty");
  int minutes = 0;
  if (!absl::SimpleAtoi(minutes_text, &minutes) || minutes <= 0 || minutes > 7 * 24 * 60) {
    return Fail("--minutes must be a whole number of minutes, 1 to 10080");
  }
  if (municipality.size() != 3 ||
      !std::all_of(municipality.begin(), municipality.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    return Fail("--municipality must be a three-digit code such as 730");
  }
  if (subject.empty()) return Fail("--subject is empty");

  helhed::gateway::MintOptions options;
  options.org_unit = org_unit;
  for (absl::string_view r : absl::StrSplit(roles, ',', absl::SkipWhitespace())) {
    const std::string role(absl::StripAsciiWhitespace(r));
    if (helhed::gateway::RoleFromName(role) == helhed::common::v1::ROLE_UNSPECIFIED) {
      return Fail("unknown role '" + role + "'");
    }
    options.roles.push_back(role);
  }
  if (options.roles.empty()) return Fail("--roles names no role");

  std::ifstream in(key_path, std::ios::binary);
  if (!in.is_open()) return Fail("cannot read " + key_path);
  std::ostringstream pem;
  pem << in.rdbuf();

  options.private_key_pem = pem.str();
  options.kid = kid;
  options.issuer = issuer;
  options.audience = audience;
  options.subject = subject;
  options.municipality = municipality;
  options.issued_at = absl::Now();
  options.lifetime = absl::Minutes(minutes);
  absl::StatusOr<std::string> token = helhed::gateway::MintToken(options);
  if (!token.ok()) return Fail(key_path + ": " + std::string(token.status().message()));
  std::cout << *token << "\n";
  return 0;
}
