// SIGTERM under load, for every service: the process drains and exits 0, and
// no call the server accepted is cut off: every call completes OK, or was
// refused by the closing transport before the server took it (UNAVAILABLE,
// or CANCELLED when its stream was reset). (Writes under SIGTERM, with the
// store checked afterwards, are in plans_integration_test.)
#include <signal.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "absl/time/clock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

struct Target {
  const char* name;
  const char* binary;
  const char* list_method;  // reads the store; the empty request is valid
};

const Target kTargets[] = {
    {"plans", HELHED_PLANS_BINARY, "/helhed.plans.v1.PlansService/ListPolicies"},
    {"volunteers", HELHED_VOLUNTEERS_BINARY,
     "/helhed.volunteers.v1.VolunteersService/ListVolunteers"},
    {"guides", HELHED_GUIDES_BINARY, "/helhed.guides.v1.GuidesService/ListGuides"},
    {"housing", HELHED_HOUSING_BINARY, "/helhed.housing.v1.HousingService/ListUnits"},
};

class GracefulShutdownTest : public ::testing::TestWithParam<Target> {};

TEST_P(GracefulShutdownTest, SigtermUnderLoadCutsOffNoAcceptedCall) {
  const Target& t = GetParam();
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto service = helhed::testing::ServiceProcess::Start(t.binary, *url);
  ASSERT_TRUE(service.ok()) << service.status();
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::mutex mu;
  std::map<int, int> codes;
  std::vector<std::thread> clients;
  for (int w = 0; w < 6; ++w) {
    clients.emplace_back([&] {
      grpc::GenericStub stub((*service)->NewChannel());
      while (!stop.load()) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        grpc::Slice empty(std::string(""));
        grpc::ByteBuffer req(&empty, 1);
        grpc::ByteBuffer resp;
        std::promise<grpc::Status> done;
        stub.UnaryCall(&ctx, t.list_method, grpc::StubOptions(), &req, &resp,
                       [&](grpc::Status s) { done.set_value(std::move(s)); });
        const grpc::Status s = done.get_future().get();
        if (s.ok()) ok++;
        std::lock_guard<std::mutex> lock(mu);
        codes[s.error_code()]++;
        if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
          absl::SleepFor(absl::Milliseconds(5));  // the server is gone; do not spin
        }
      }
    });
  }
  while (ok.load() < 200) absl::SleepFor(absl::Milliseconds(5));
  (*service)->Signal(SIGTERM);
  auto exit_code = (*service)->Wait(absl::Seconds(30));
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << "graceful shutdown exits 0";
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::CANCELLED)
        << t.name << ": code " << code << " seen " << n << " times";
  }
  EXPECT_GE(codes[grpc::StatusCode::OK], 200);
}

INSTANTIATE_TEST_SUITE_P(Services, GracefulShutdownTest, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& p) {
                           return std::string(p.param.name);
                         });

}  // namespace
}  // namespace helhed
