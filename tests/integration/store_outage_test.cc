// The database goes away and comes back, for every service: readiness
// (health "" and the service's name) turns NOT_SERVING while liveness
// ("helhed.liveness") stays SERVING, calls get UNAVAILABLE (never
// INTERNAL), and the service recovers by itself, without a restart.
// MariaDB only: an embedded SQLite file cannot go away apart from the
// process. On SQLite: liveness is SERVING until SIGTERM starts the drain.
#include <signal.h>

#include <cstdlib>
#include <future>

#include "absl/strings/str_cat.h"
#include "common/store/store_url.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/service_process.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

struct Target {
  const char* name;
  const char* binary;
  const char* service;
  // A list call that reads the store; its empty request is valid.
  const char* list_method;
};

const Target kTargets[] = {
    {"plans", HELHED_PLANS_BINARY, "helhed.plans.v1.PlansService",
     "/helhed.plans.v1.PlansService/ListPolicies"},
    {"volunteers", HELHED_VOLUNTEERS_BINARY, "helhed.volunteers.v1.VolunteersService",
     "/helhed.volunteers.v1.VolunteersService/ListVolunteers"},
    {"guides", HELHED_GUIDES_BINARY, "helhed.guides.v1.GuidesService",
     "/helhed.guides.v1.GuidesService/ListGuides"},
    {"housing", HELHED_HOUSING_BINARY, "helhed.housing.v1.HousingService",
     "/helhed.housing.v1.HousingService/ListUnits"},
};

constexpr char kLiveness[] = "helhed.liveness";

HealthCheckResponse::ServingStatus Health(grpc::health::v1::Health::Stub& stub,
                                          const std::string& service) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  HealthCheckRequest req;
  req.set_service(service);
  HealthCheckResponse resp;
  if (!stub.Check(&ctx, req, &resp).ok()) {
    return HealthCheckResponse::UNKNOWN;
  }
  return resp.status();
}

bool WaitFor(grpc::health::v1::Health::Stub& stub, const std::string& service,
             HealthCheckResponse::ServingStatus want) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (Health(stub, service) == want && Health(stub, "") == want) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

grpc::Status List(grpc::GenericStub& stub, const std::string& method) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  grpc::Slice empty(std::string(""));
  grpc::ByteBuffer req(&empty, 1);  // zero bytes: the default request
  grpc::ByteBuffer resp;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &req, &resp,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

class StoreOutageTest : public ::testing::TestWithParam<Target> {};

TEST_P(StoreOutageTest, MysqlOutageIsNotServingThenRecoversWithoutRestart) {
  if (std::getenv("HELHED_TEST_MYSQL_URL") == nullptr &&
      std::getenv("HELHED_TEST_REQUIRE_MYSQL") == nullptr) {
    GTEST_SKIP() << "no MariaDB configured (scripts/test starts one)";
  }
  const Target& t = GetParam();
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kMysql);
  ASSERT_TRUE(url.ok()) << url.status();
  auto parsed = store::ParseStoreUrl(*url);
  ASSERT_TRUE(parsed.ok());
  auto proxy = helhed::testing::TcpProxy::Start(parsed->port);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  const std::string via_proxy =
      absl::StrCat("mysql://", parsed->user, ":", parsed->password, "@127.0.0.1:", (*proxy)->port(),
                   "/", parsed->database);
  auto service = helhed::testing::ServiceProcess::Start(t.binary, via_proxy);
  ASSERT_TRUE(service.ok()) << service.status();
  auto channel = (*service)->NewChannel();
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::GenericStub stub(channel);

  ASSERT_TRUE(WaitFor(*health, t.service, HealthCheckResponse::SERVING));
  grpc::Status before = List(stub, t.list_method);
  ASSERT_TRUE(before.ok()) << before.error_message();

  EXPECT_EQ(Health(*health, kLiveness), HealthCheckResponse::SERVING);

  (*proxy)->SetBlocked(true);
  EXPECT_TRUE(WaitFor(*health, t.service, HealthCheckResponse::NOT_SERVING));
  // Not ready, but alive: the kubelet must not restart it for the store.
  EXPECT_EQ(Health(*health, kLiveness), HealthCheckResponse::SERVING);
  grpc::Status during = List(stub, t.list_method);
  EXPECT_EQ(during.error_code(), grpc::StatusCode::UNAVAILABLE) << during.error_message();
  EXPECT_EQ(Health(*health, kLiveness), HealthCheckResponse::SERVING);

  (*proxy)->SetBlocked(false);
  EXPECT_TRUE(WaitFor(*health, t.service, HealthCheckResponse::SERVING));
  EXPECT_EQ(Health(*health, kLiveness), HealthCheckResponse::SERVING);
  grpc::Status after = List(stub, t.list_method);
  EXPECT_TRUE(after.ok()) << after.error_message();
}

// SQLite: liveness and readiness are SERVING while the service serves;
// once SIGTERM starts the drain, a watcher of liveness sees NOT_SERVING.
TEST_P(StoreOutageTest, LivenessServingUntilSigtermStartsTheDrain) {
  const Target& t = GetParam();
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok()) << url.status();
  auto service = helhed::testing::ServiceProcess::Start(t.binary, *url);
  ASSERT_TRUE(service.ok()) << service.status();
  auto health = grpc::health::v1::Health::NewStub((*service)->NewChannel());
  ASSERT_TRUE(WaitFor(*health, t.service, HealthCheckResponse::SERVING));
  EXPECT_EQ(Health(*health, kLiveness), HealthCheckResponse::SERVING);

  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  HealthCheckRequest req;
  req.set_service(kLiveness);
  auto watch = health->Watch(&ctx, req);
  HealthCheckResponse resp;
  ASSERT_TRUE(watch->Read(&resp));
  EXPECT_EQ(resp.status(), HealthCheckResponse::SERVING);

  (*service)->Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&resp)) << "the watch ended without a last status";
  EXPECT_EQ(resp.status(), HealthCheckResponse::NOT_SERVING);
  ctx.TryCancel();
  auto code = (*service)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

INSTANTIATE_TEST_SUITE_P(Services, StoreOutageTest, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& p) {
                           return std::string(p.param.name);
                         });

}  // namespace
}  // namespace helhed
