// helhed-dev-principal: prints the x-helhed-principal metadata value for a
// development caller, for calling a service directly (without the gateway):
// signed with the principal key the services share (the same file as their
// --principal-key-file), for the services named by --audience.
//
//   helhed-dev-principal --key-file=var/dev-keys/principal.key --subject=dev
//       --municipality=730 --roles=caseworker,manager [--audience=plans] [--ttl-seconds=300]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/auth/principal_token.h"

int main(int argc, char** argv) {
  helhed::auth::Principal p;
  p.set_subject("dev-user");
  p.set_municipality_code("730");
  std::string roles = "caseworker,manager";
  const char* key_env = std::getenv("HELHED_PRINCIPAL_KEY_FILE");
  std::string key_file = key_env != nullptr ? key_env : "";
  std::string audience = "plans,volunteers,guides,housing";
  int ttl_seconds = 300;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--key-file=")) {
      key_file = a.substr(11);
    } else if (absl::StartsWith(a, "--audience=")) {
      audience = a.substr(11);
    } else if (absl::StartsWith(a, "--ttl-seconds=")) {
      if (!absl::SimpleAtoi(a.substr(14), &ttl_seconds) || ttl_seconds < 1 || ttl_seconds > 86400) {
        std::fprintf(stderr, "--ttl-seconds: 1 to 86400\n");
        return 2;
      }
    } else if (absl::StartsWith(a, "--subject=")) {
      p.set_subject(a.substr(10));
    } else if (absl::StartsWith(a, "--municipality=")) {
      p.set_municipality_code(a.substr(15));
    } else if (absl::StartsWith(a, "--roles=")) {
      roles = a.substr(8);
    } else {
      std::fprintf(stderr,
                   "usage: %s --key-file=FILE (or HELHED_PRINCIPAL_KEY_FILE) [--subject=S]\n"
                   "  [--municipality=730] [--roles=caseworker,manager]\n"
                   "  [--audience=plans,volunteers,guides,housing] [--ttl-seconds=300]\n",
                   argv[0]);
      return 2;
    }
  }
  for (absl::string_view r : absl::StrSplit(roles, ',', absl::SkipEmpty())) {
    helhed::common::v1::Role role;
    if (!helhed::common::v1::Role_Parse("ROLE_" + absl::AsciiStrToUpper(r), &role)) {
      std::fprintf(stderr, "unknown role %s\n", std::string(r).c_str());
      return 2;
    }
    p.add_roles(role);
  }
  if (!helhed::auth::IsMunicipalityCode(p.municipality_code())) {
    std::fprintf(stderr, "municipality must be three digits\n");
    return 2;
  }
  audience = absl::StrReplaceAll(audience, {{",", "+"}});  // the wire form
  if (!helhed::auth::IsAudienceList(audience)) {
    std::fprintf(stderr, "--audience: service names separated by commas\n");
    return 2;
  }
  if (key_file.empty()) {
    std::fprintf(stderr,
                 "the principal key file is required (--key-file or HELHED_PRINCIPAL_KEY_FILE)\n");
    return 2;
  }
  auto key = helhed::auth::PrincipalKey::FromFile(key_file);
  if (!key.ok()) {
    std::fprintf(stderr, "%s\n", std::string(key.status().message()).c_str());
    return 2;
  }
  std::printf("%s\n", key->Sign(p, audience, absl::Now() + absl::Seconds(ttl_seconds)).c_str());
  return 0;
}
