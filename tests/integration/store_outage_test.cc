// The database goes away and comes back: health turns NOT_SERVING, calls get
// UNAVAILABLE (never INTERNAL), and the service recovers by itself.
// MariaDB only: an embedded SQLite file cannot go away apart from the process.
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/store/store_url.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/test_store.h"

namespace helhed::plans {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

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

bool WaitFor(grpc::health::v1::Health::Stub& stub, HealthCheckResponse::ServingStatus want) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (Health(stub, "helhed.plans.v1.PlansService") == want && Health(stub, "") == want) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

grpc::Status ListPolicies(v1::PlansService::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  v1::ListPoliciesRequest req;
  v1::ListPoliciesResponse resp;
  return stub.ListPolicies(&ctx, req, &resp);
}

TEST(StoreOutageTest, MysqlOutageIsNotServingThenRecoversWithoutRestart) {
  if (std::getenv("HELHED_TEST_MYSQL_URL") == nullptr &&
      std::getenv("HELHED_TEST_REQUIRE_MYSQL") == nullptr) {
    GTEST_SKIP() << "no MariaDB configured (scripts/test starts one)";
  }
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kMysql);
  ASSERT_TRUE(url.ok()) << url.status();
  auto parsed = store::ParseStoreUrl(*url);
  ASSERT_TRUE(parsed.ok());
  auto proxy = helhed::testing::TcpProxy::Start(parsed->port);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  const std::string via_proxy =
      absl::StrCat("mysql://", parsed->user, ":", parsed->password, "@127.0.0.1:", (*proxy)->port(),
                   "/", parsed->database);
  auto service = helhed::testing::ServiceProcess::Start(HELHED_PLANS_BINARY, via_proxy);
  ASSERT_TRUE(service.ok()) << service.status();
  auto channel = (*service)->NewChannel();
  auto health = grpc::health::v1::Health::NewStub(channel);
  auto plans = v1::PlansService::NewStub(channel);

  ASSERT_TRUE(WaitFor(*health, HealthCheckResponse::SERVING));
  ASSERT_TRUE(ListPolicies(*plans).ok());

  (*proxy)->SetBlocked(true);
  EXPECT_TRUE(WaitFor(*health, HealthCheckResponse::NOT_SERVING));
  grpc::Status during = ListPolicies(*plans);
  EXPECT_EQ(during.error_code(), grpc::StatusCode::UNAVAILABLE) << during.error_message();

  (*proxy)->SetBlocked(false);
  EXPECT_TRUE(WaitFor(*health, HealthCheckResponse::SERVING));
  grpc::Status after = ListPolicies(*plans);
  EXPECT_TRUE(after.ok()) << after.error_message();
}

}  // namespace
}  // namespace helhed::plans
