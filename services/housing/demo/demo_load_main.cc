// helhed-housing-demo-load --target=127.0.0.1:50064 [--municipality=730]
// Loads generated housing demo data through the API; safe to run again.
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "common/auth/principal_token.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/housing/demo/demo_loader.h"

int main(int argc, char** argv) {
  std::string key_file;  // else HELHED_PRINCIPAL_KEY_FILE
  std::string target = "127.0.0.1:50064";
  helhed::housing::demo::DemoOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--principal-key-file=")) {
      key_file = a.substr(21);
    } else if (absl::StartsWith(a, "--target=")) {
      target = a.substr(9);
    } else if (absl::StartsWith(a, "--municipality=")) {
      o.municipality = a.substr(15);
    } else if (absl::StartsWith(a, "--applications=") &&
               absl::SimpleAtoi(a.substr(15), &o.applications)) {
    } else {
      std::fprintf(stderr,
                   "usage: %s [--principal-key-file=F] [--target=host:port] [--municipality=NNN] "
                   "[--applications=N]\n",
                   argv[0]);
      return 2;
    }
  }
  auto channel = helhed::auth::NewSigningChannel(target, key_file, "housing");
  if (!channel.ok()) {
    std::fprintf(stderr, "%s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  auto ids = helhed::housing::demo::LoadDemo(*channel, o);
  if (!ids.ok()) {
    std::fprintf(stderr, "demo load failed: %s\n", ids.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "housing demo data loaded into %s: units=%zu applications=%zu stays=%zu offers=%zu"
      " whole-picture=%zu\n",
      target.c_str(), ids->units.size(), ids->applications.size(), ids->tenancies.size(),
      ids->offers.size(), ids->whole_picture.size());
  return 0;
}
