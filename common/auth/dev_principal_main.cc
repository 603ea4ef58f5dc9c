// helhed-dev-principal: prints the x-helhed-principal metadata value for a
// development caller, for calling a service directly (without the gateway).
//
//   helhed-dev-principal --subject=dev --municipality=730 --roles=caseworker,manager
#include <cstdio>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/auth/principal.h"

int main(int argc, char** argv) {
  helhed::auth::Principal p;
  p.set_subject("dev-user");
  p.set_municipality_code("730");
  std::string roles = "caseworker,manager";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--subject=")) {
      p.set_subject(a.substr(10));
    } else if (absl::StartsWith(a, "--municipality=")) {
      p.set_municipality_code(a.substr(15));
    } else if (absl::StartsWith(a, "--roles=")) {
      roles = a.substr(8);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--subject=S] [--municipality=730] [--roles=caseworker,manager]\n",
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
  std::printf("%s\n", helhed::auth::EncodePrincipal(p).c_str());
  return 0;
}
