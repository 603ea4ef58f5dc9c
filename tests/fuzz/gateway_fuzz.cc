// libFuzzer target: arbitrary requests to every routed RPC through
// helhed-gateway's real wiring (tokens, rate limit off, policy, wire check,
// audit, forwarding) in-process, in front of the four services, each on its
// own temporary SQLite store with its demo data and listening on a loopback
// port. Callers carry real RS256 tokens: 0 all roles in 730, 1 all roles in
// 810, 2 none (UNAUTHENTICATED). See tests/fuzz/service_fuzz.h for the input
// format and what counts as a bug (UNAVAILABLE included: every backend is
// up).
#include <openssl/evp.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/gateway/policy/policy.h"
#include "services/gateway/wiring.h"
#include "services/guides/demo/demo_loader.h"
#include "services/guides/wiring.h"
#include "services/housing/demo/demo_loader.h"
#include "services/housing/wiring.h"
#include "services/plans/demo/demo_loader.h"
#include "services/plans/wiring.h"
#include "services/volunteers/demo/demo_loader.h"
#include "services/volunteers/wiring.h"
#include "tests/fuzz/service_fuzz.h"
#include "tests/support/test_keys.h"

namespace {

using helhed::testing::Pem;
using helhed::testing::WriteFile;

// Keys, CPR key and the settings the gateway's wiring reads; the tokens of
// callers 0 and 1.
std::vector<std::string> Configure(const std::string& dir) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  std::filesystem::create_directories(dir + "/keys");
  WriteFile(dir + "/keys/fuzz.pem", Pem(key, false));
  WriteFile(dir + "/cpr.key", std::string(48, 'k'));
  setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (dir + "/keys").c_str(), 1);
  setenv("HELHED_GATEWAY_JWT_ISSUER", "helhed-fuzz", 1);
  setenv("HELHED_GATEWAY_JWT_AUDIENCE", "helhed-gateway", 1);
  setenv("HELHED_GATEWAY_CPR_KEY_FILE", (dir + "/cpr.key").c_str(), 1);
  setenv("HELHED_POLICY",
         (std::string(HELHED_SOURCE_DIR) + "/common/auth/default_policy.txt").c_str(),
         1);
  setenv("HELHED_GATEWAY_RATE", "0", 1);
  std::vector<std::string> tokens;
  for (const char* municipality : {"730", "810"}) {
    helhed::gateway::MintOptions mint;
    mint.private_key_pem = Pem(key, true);
    mint.kid = "fuzz";
    mint.issuer = "helhed-fuzz";
    mint.audience = "helhed-gateway";
    mint.subject = "fuzz";
    mint.municipality = municipality;
    for (int r = helhed::common::v1::Role_MIN + 1; r <= helhed::common::v1::Role_MAX; ++r) {
      mint.roles.push_back(helhed::gateway::RoleName(static_cast<helhed::common::v1::Role>(r)));
    }
    mint.issued_at = absl::Now();
    mint.lifetime = absl::Hours(24 * 365);
    auto token = helhed::gateway::MintToken(mint);
    if (!token.ok()) {
      std::fprintf(stderr, "cannot mint: %s\n", token.status().ToString().c_str());
      std::exit(1);
    }
    tokens.push_back(*token);
  }
  EVP_PKEY_free(key);
  return tokens;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static helhed::plans::Wiring plans;
  static helhed::volunteers::Wiring volunteers;
  static helhed::guides::Wiring guides;
  static helhed::housing::Wiring housing;
  static helhed::gateway::Wiring gateway;
  static std::string dir;
  static std::vector<std::string> tokens;

  std::vector<helhed::fuzz::Target> backends(4);
  backends[0].service = "plans";
  backends[0].migrations = &helhed::store::PlansMigrations();
  backends[0].wiring = std::ref(plans);
  backends[0].load_demo = [](const std::shared_ptr<grpc::Channel>& channel) -> absl::Status {
    auto data = helhed::plans::demo::ReadDataset(std::string(HELHED_SOURCE_DIR) +
                                                 "/services/plans/demo/demo_data.textproto");
    if (!data.ok()) return data.status();
    return helhed::plans::demo::LoadDataset(*data, channel).status();
  };
  backends[1].service = "volunteers";
  backends[1].migrations = &helhed::store::VolunteersMigrations();
  backends[1].wiring = std::ref(volunteers);
  backends[1].load_demo = [](const std::shared_ptr<grpc::Channel>& channel) {
    return helhed::volunteers::demo::LoadDemo(channel, helhed::volunteers::demo::DemoOptions())
        .status();
  };
  backends[2].service = "guides";
  backends[2].migrations = &helhed::store::GuidesMigrations();
  backends[2].wiring = std::ref(guides);
  backends[2].load_demo = [](const std::shared_ptr<grpc::Channel>& channel) {
    return helhed::guides::demo::LoadDemo(channel, helhed::guides::demo::DemoOptions()).status();
  };
  backends[3].service = "housing";
  backends[3].migrations = &helhed::store::HousingMigrations();
  backends[3].wiring = std::ref(housing);
  backends[3].load_demo = [](const std::shared_ptr<grpc::Channel>& channel) {
    return helhed::housing::demo::LoadDemo(channel, helhed::housing::demo::DemoOptions()).status();
  };

  helhed::fuzz::Target target;
  target.service = "gateway";
  target.migrations = &helhed::store::GatewayMigrations();
  target.wiring = std::ref(gateway);
  target.backends = std::move(backends);
  for (const auto& name : helhed::gateway::RoutedServices()) target.services.push_back(name);
  target.before_wiring = [](const std::vector<int>& ports) {
    const char* tmp = std::getenv("TMPDIR");
    dir = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/helhed-fuzz-gateway-keys-",
                       getpid());
    tokens = Configure(dir);
    setenv("HELHED_GATEWAY_BACKENDS",
           absl::StrCat("plans=127.0.0.1:", ports[0], ",volunteers=127.0.0.1:", ports[1],
                        ",guides=127.0.0.1:", ports[2], ",housing=127.0.0.1:", ports[3])
               .c_str(),
           1);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    });
  };
  target.attach = [](grpc::ClientContext* ctx, int who) {
    if (who < 2) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", tokens[who]));
  };
  return helhed::fuzz::Initialize(std::move(target));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return helhed::fuzz::RunOne(data, size);
}
