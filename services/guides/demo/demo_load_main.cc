// helhed-guides-demo-load --target=127.0.0.1:50063 [--guides=30]
// Loads generated borgerguide demo data through the API; safe to run again.
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "common/auth/principal_token.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/guides/demo/demo_loader.h"

int main(int argc, char** argv) {
  std::string key_file;  // else HELHED_PRINCIPAL_KEY_FILE
  std::string target = "127.0.0.1:50063";
  helhed::guides::demo::DemoOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--principal-key-file=")) {
      key_file = a.substr(21);
    } else if (absl::StartsWith(a, "--target=")) {
      target = a.substr(9);
    } else if (absl::StartsWith(a, "--guides=") && absl::SimpleAtoi(a.substr(9), &o.guides)) {
    } else if (absl::StartsWith(a, "--requests=") && absl::SimpleAtoi(a.substr(11), &o.requests)) {
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--principal-key-file=F] [--target=host:port] [--guides=N] [--requests=N]\n",
          argv[0]);
      return 2;
    }
  }
  auto channel = helhed::auth::NewSigningChannel(target, key_file, "guides");
  if (!channel.ok()) {
    std::fprintf(stderr, "%s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  auto ids = helhed::guides::demo::LoadDemo(*channel, o);
  if (!ids.ok()) {
    std::fprintf(stderr, "demo load failed: %s\n", ids.status().ToString().c_str());
    return 1;
  }
  std::printf("guide demo data loaded into %s: guides=%zu requests=%zu whole-picture=%zu\n",
              target.c_str(), ids->guides.size(), ids->requests.size(), ids->whole_picture.size());
  return 0;
}
