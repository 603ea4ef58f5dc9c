// Zero trust behind the gateway, against a real service process (plans):
// a service believes only a principal signed with the shared key, for
// itself, not expired, and then enforces the role policy itself
// (common/auth/principal_interceptor.h). Calls go straight to the service's
// port on a plain channel, as an attacker inside the cluster would.
#include <chrono>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/auth/principal_token.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

using helhed::common::v1::Role;
using helhed::testing::ServiceProcess;

auth::Principal Staff(std::initializer_list<Role> roles) {
  auth::Principal p;
  p.set_subject("principal-check");
  p.set_municipality_code("730");
  for (Role r : roles) p.add_roles(r);
  return p;
}

class PrincipalCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
    ASSERT_TRUE(url.ok()) << url.status();
    auto p = ServiceProcess::Start(HELHED_PLANS_BINARY, *url);
    ASSERT_TRUE(p.ok()) << p.status();
    process_ = p->release();
  }
  static void TearDownTestSuite() {
    delete process_;
    process_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(process_, nullptr);
    // No signing interceptor: what goes out is exactly what the test sets.
    channel_ = grpc::CreateChannel(process_->target(), grpc::InsecureChannelCredentials());
    stub_ = plans::v1::PlansService::NewStub(channel_);
  }

  // ListPolicies with `principal` as the x-helhed-principal value (none
  // when empty) and any `extra` metadata.
  grpc::Status List(const std::string& principal,
                    const std::multimap<std::string, std::string>& extra = {}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!principal.empty()) ctx.AddMetadata(auth::kPrincipalMetadataKey, principal);
    for (const auto& [k, v] : extra) ctx.AddMetadata(k, v);
    plans::v1::ListPoliciesRequest req;
    plans::v1::ListPoliciesResponse resp;
    return stub_->ListPolicies(&ctx, req, &resp);
  }

  static std::string Signed(const auth::Principal& p, absl::Duration ttl = absl::Seconds(30),
                            const std::string& audience = "plans") {
    return helhed::testing::TestPrincipalKey().Sign(p, audience, absl::Now() + ttl);
  }

  static ServiceProcess* process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<plans::v1::PlansService::Stub> stub_;
};

ServiceProcess* PrincipalCheckTest::process_ = nullptr;

TEST_F(PrincipalCheckTest, SignedPrincipalWithAnAllowedRoleIsServed) {
  const grpc::Status s = List(Signed(Staff({helhed::common::v1::ROLE_CASEWORKER})));
  EXPECT_TRUE(s.ok()) << s.error_message();
  // The tests' shared helper signs the same way.
  EXPECT_TRUE(List(helhed::testing::TestPrincipal("730")).ok());
}

TEST_F(PrincipalCheckTest, MissingPrincipalIsUnauthenticated) {
  EXPECT_EQ(List("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PrincipalCheckTest, UnsignedPrincipalIsUnauthenticated) {
  // The form services used to trust: a bare base64 principal.
  const grpc::Status s = List(auth::EncodePrincipal(Staff({helhed::common::v1::ROLE_MANAGER})));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Danish by default, English on request.
  EXPECT_EQ(s.error_message(), "oplysningerne om den kaldende (principal) er ikke signeret");
  const grpc::Status en = List(auth::EncodePrincipal(Staff({helhed::common::v1::ROLE_MANAGER})),
                               {{"accept-language", "en"}});
  EXPECT_EQ(en.error_message(), "principal is not signed");
}

TEST_F(PrincipalCheckTest, ForgedSignatureIsUnauthenticated) {
  // Signed with a key that is not the service's.
  auto other = auth::PrincipalKey::FromBytes(std::string(40, 'f'));
  ASSERT_TRUE(other.ok());
  const std::string forged = other->Sign(Staff({helhed::common::v1::ROLE_MANAGER}), "plans",
                                         absl::Now() + absl::Seconds(30));
  grpc::Status s = List(forged);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(),
            "signaturen på oplysningerne om den kaldende (principal) er ikke gyldig");

  // A real signature with the principal swapped for a more powerful one.
  const std::string real = Signed(Staff({helhed::common::v1::ROLE_CASEWORKER}));
  const std::string swapped = auth::EncodePrincipal(Staff({helhed::common::v1::ROLE_MANAGER})) +
                              real.substr(real.find('.'));
  EXPECT_EQ(List(swapped).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PrincipalCheckTest, PrincipalForAnotherServiceIsUnauthenticated) {
  const grpc::Status s =
      List(Signed(Staff({helhed::common::v1::ROLE_CASEWORKER}), absl::Seconds(30), "housing"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(),
            "oplysningerne om den kaldende (principal) er til en anden tjeneste");
}

TEST_F(PrincipalCheckTest, ClientCannotSupplyTheVerdict) {
  // The internal verdict entry, as a client might try to inject it.
  const std::string fake = "00000000000000000000000000000000:0:" +
                           auth::EncodePrincipal(Staff({helhed::common::v1::ROLE_MANAGER})) + ":";
  EXPECT_EQ(List("", {{auth::kPrincipalVerdictKey, fake}}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Nor override a denial with one.
  EXPECT_EQ(
      List(Signed(Staff({helhed::common::v1::ROLE_AUDITOR})), {{auth::kPrincipalVerdictKey, fake}})
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PrincipalCheckTest, RoleThePolicyDeniesIsPermissionDenied) {
  // auditor reads the audit trail only (common/auth/default_policy.txt).
  grpc::Status s = List(Signed(Staff({helhed::common::v1::ROLE_AUDITOR})));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // CreatePolicy is manager's: a caseworker is refused before the request
  // is even looked at (it is empty, so the handler would say INVALID_ARGUMENT).
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ctx.AddMetadata(auth::kPrincipalMetadataKey,
                  Signed(Staff({helhed::common::v1::ROLE_CASEWORKER})));
  plans::v1::CreatePolicyRequest req;
  plans::v1::CreatePolicyResponse resp;
  s = stub_->CreatePolicy(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // No roles at all.
  EXPECT_EQ(List(Signed(Staff({}))).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PrincipalCheckTest, ReplayedPrincipalExpires) {
  // Captured while valid (a short life, as a short deadline would give it).
  const std::string captured =
      Signed(Staff({helhed::common::v1::ROLE_CASEWORKER}), absl::Seconds(1));
  grpc::Status s = List(captured);
  ASSERT_TRUE(s.ok()) << s.error_message();
  absl::SleepFor(absl::Seconds(1) + auth::kPrincipalClockLeeway + absl::Milliseconds(300));
  s = List(captured);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "oplysningerne om den kaldende (principal) er udløbet");
}

TEST_F(PrincipalCheckTest, HealthStaysOpen) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("helhed.plans.v1.PlansService");
  grpc::health::v1::HealthCheckResponse resp;
  const grpc::Status s = health->Check(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace helhed
