// Two replicas each of plans and housing behind one gateway whose backend
// targets list both (gRPC's "ipv4:A,B" target, the local stand-in for a
// headless Service's dns:/// name): round_robin gives both replicas a fair
// share of the calls; a replica SIGKILLed under a loop of reads costs no
// read (idempotent reads are retried once, on the other replica); restarted
// on its port, it takes calls again. The replicas of a service share one
// SQLite file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/service_process.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

using helhed::testing::ServiceProcess;
namespace hv1 = ::helhed::housing::v1;
namespace pv1 = ::helhed::plans::v1;

// A port nothing listens on now (the kernel's pick for port 0), so that a
// replica can be restarted on the same address.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// The sum of grpc_server_handled_total for `method` (any code) on a
// process's /metrics; -1 when /metrics cannot be read.
double Handled(const ServiceProcess& p, const std::string& method) {
  FILE* f =
      popen(absl::StrCat("curl -sf http://127.0.0.1:", p.metrics_port(), "/metrics").c_str(), "r");
  if (f == nullptr) return -1;
  std::string metrics;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) metrics.append(buf, n);
  if (pclose(f) != 0) return -1;
  double total = 0;
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (!absl::StartsWith(line, "grpc_server_handled_total{") ||
        !absl::StrContains(line, absl::StrCat("grpc_method=\"", method, "\""))) {
      continue;
    }
    double v = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &v)) total += v;
  }
  return total;
}

struct Replicas {
  int ports[2] = {0, 0};
  std::unique_ptr<ServiceProcess> p[2];
  std::string Target() const {
    return absl::StrCat("ipv4:127.0.0.1:", ports[0], ",127.0.0.1:", ports[1]);
  }
};

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    private_key_ = helhed::testing::WriteGatewayKeys(dir_);
    ASSERT_FALSE(private_key_.empty());
    StartPair(HELHED_PLANS_BINARY, plans_);
    StartPair(HELHED_HOUSING_BINARY, housing_);
    setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (dir_ + "/keys").c_str(), 1);
    setenv("HELHED_GATEWAY_CPR_KEY_FILE", (dir_ + "/cpr.key").c_str(), 1);
    setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt", 1);
    // The read loop below is one caller as fast as it can go.
    setenv("HELHED_GATEWAY_RATE", "100000", 1);
    setenv("HELHED_GATEWAY_BURST", "100000", 1);
    setenv("HELHED_GATEWAY_BACKENDS",
           absl::StrCat("plans=", plans_.Target(), ",housing=", housing_.Target()).c_str(), 1);
    auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
    ASSERT_TRUE(url.ok()) << url.status();
    auto g = ServiceProcess::Start(HELHED_GATEWAY_BINARY, *url);
    ASSERT_TRUE(g.ok()) << g.status();
    gateway_ = std::move(*g);
    plans_stub_ = pv1::PlansService::NewStub(gateway_->NewChannel());
    housing_stub_ = hv1::HousingService::NewStub(gateway_->NewChannel());
    MintToken();
  }

  // Two replicas of `binary` on one SQLite file, each on a fixed port.
  void StartPair(const char* binary, Replicas& r) {
    auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
    ASSERT_TRUE(url.ok()) << url.status();
    for (int i = 0; i < 2; ++i) {  // one after the other: the first migrates
      r.ports[i] = FreePort();
      ASSERT_GT(r.ports[i], 0);
      auto p =
          ServiceProcess::Start(binary, *url, {absl::StrCat("--listen=127.0.0.1:", r.ports[i])});
      ASSERT_TRUE(p.ok()) << p.status();
      r.p[i] = std::move(*p);
    }
  }

  void MintToken() {
    gateway::MintOptions o;
    o.private_key_pem = private_key_;
    o.kid = "idp-1";
    o.issuer = "https://idp.helhed.local";
    o.audience = "helhed-gateway";
    o.subject = "u-1";
    o.municipality = "730";
    o.roles = {"caseworker", "housing_officer"};
    o.issued_at = absl::Now() - absl::Minutes(1);
    o.lifetime = absl::Hours(1);
    auto t = gateway::MintToken(o);
    ASSERT_TRUE(t.ok()) << t.status();
    token_ = *t;
  }

  std::unique_ptr<grpc::ClientContext> Ctx() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token_);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  grpc::Status ListPolicies() {
    pv1::ListPoliciesResponse resp;
    return plans_stub_->ListPolicies(Ctx().get(), pv1::ListPoliciesRequest(), &resp);
  }
  grpc::Status ListUnits() {
    hv1::ListUnitsResponse resp;
    return housing_stub_->ListUnits(Ctx().get(), hv1::ListUnitsRequest(), &resp);
  }

  // Calls both reads until each replica of both services has answered at
  // least one (their channels are connected), or 20 s.
  bool WarmUp() {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (!ListPolicies().ok() || !ListUnits().ok()) return false;
      bool all = true;
      for (int i = 0; i < 2; ++i) {
        all = all && Handled(*plans_.p[i], "ListPolicies") > 0 &&
              Handled(*housing_.p[i], "ListUnits") > 0;
      }
      if (all) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  std::string dir_;
  std::string private_key_;
  std::string token_;
  Replicas plans_;
  Replicas housing_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::unique_ptr<pv1::PlansService::Stub> plans_stub_;
  std::unique_ptr<hv1::HousingService::Stub> housing_stub_;
};

TEST_F(ReplicasTest, CallsSpreadOverReplicasSurviveAKillAndReachTheRestartedOne) {
  ASSERT_TRUE(WarmUp()) << "not every replica answered within 20 s";

  // A fair share: round_robin alternates, so each gets about half.
  double before[2][2];
  for (int i = 0; i < 2; ++i) {
    before[0][i] = Handled(*plans_.p[i], "ListPolicies");
    before[1][i] = Handled(*housing_.p[i], "ListUnits");
  }
  constexpr int kCalls = 40;
  for (int n = 0; n < kCalls; ++n) {
    ASSERT_TRUE(ListPolicies().ok());
    ASSERT_TRUE(ListUnits().ok());
  }
  for (int i = 0; i < 2; ++i) {
    const double plans = Handled(*plans_.p[i], "ListPolicies") - before[0][i];
    const double housing = Handled(*housing_.p[i], "ListUnits") - before[1][i];
    EXPECT_GE(plans, kCalls / 4) << "plans replica " << i << " of " << kCalls;
    EXPECT_GE(housing, kCalls / 4) << "housing replica " << i << " of " << kCalls;
  }

  // SIGKILL one replica of each under a loop of reads: no read fails.
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::map<int, int> failed;  // by code; written by the reader thread only
  std::thread reader([&] {
    while (!stop.load()) {
      for (const grpc::Status& s : {ListPolicies(), ListUnits()}) {
        if (s.ok()) {
          ok++;
        } else {
          failed[s.error_code()]++;
        }
      }
    }
  });
  while (ok.load() < 40) absl::SleepFor(absl::Milliseconds(5));
  plans_.p[0]->Signal(SIGKILL);
  housing_.p[0]->Signal(SIGKILL);
  ASSERT_TRUE(plans_.p[0]->Wait(absl::Seconds(10)).ok());
  ASSERT_TRUE(housing_.p[0]->Wait(absl::Seconds(10)).ok());
  const int at_kill = ok.load();
  while (ok.load() < at_kill + 200) absl::SleepFor(absl::Milliseconds(5));
  stop = true;
  reader.join();
  EXPECT_TRUE(failed.empty()) << "first failed code " << failed.begin()->first << " seen "
                              << failed.begin()->second << " times";

  // Restarted on its port, the replica takes calls again (the gateway's
  // channel reconnects to it by itself).
  ASSERT_TRUE(plans_.p[0]->Restart().ok());
  ASSERT_TRUE(housing_.p[0]->Restart().ok());
  bool back = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!back && absl::Now() < deadline) {
    ASSERT_TRUE(ListPolicies().ok());
    ASSERT_TRUE(ListUnits().ok());
    back = Handled(*plans_.p[0], "ListPolicies") > 0 && Handled(*housing_.p[0], "ListUnits") > 0;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(back) << "the restarted replicas got no call within 20 s";
}

}  // namespace
}  // namespace helhed
