// helhed-plans-demo-load --target=127.0.0.1:50061 --file=services/plans/demo/demo_data.textproto
// Loads the demo data set through the API; safe to run again.
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "common/auth/principal_token.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/plans/demo/demo_loader.h"

int main(int argc, char** argv) {
  std::string key_file;  // else HELHED_PRINCIPAL_KEY_FILE
  std::string target = "127.0.0.1:50061";
  std::string file = "services/plans/demo/demo_data.textproto";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--principal-key-file=")) {
      key_file = a.substr(21);
    } else if (absl::StartsWith(a, "--target=")) {
      target = a.substr(9);
    } else if (absl::StartsWith(a, "--file=")) {
      file = a.substr(7);
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--principal-key-file=F] [--target=host:port] [--file=demo_data.textproto]\n",
          argv[0]);
      return 2;
    }
  }
  auto data = helhed::plans::demo::ReadDataset(file);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", std::string(data.status().message()).c_str());
    return 1;
  }
  auto channel = helhed::auth::NewSigningChannel(target, key_file, "plans");
  if (!channel.ok()) {
    std::fprintf(stderr, "%s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  auto result = helhed::plans::demo::LoadDataset(*data, *channel);
  if (!result.ok()) {
    std::fprintf(stderr, "demo load failed: %s\n", result.status().ToString().c_str());
    return 1;
  }
  std::printf("demo data loaded into %s:", target.c_str());
  for (const auto& [kind, n] : result->created) {
    std::printf(" %s=%d", kind.c_str(), n);
  }
  std::printf("\n");
  return 0;
}
