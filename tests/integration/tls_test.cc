// The common bootstrap serves TLS and mutual TLS from PEM files.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    ASSERT_EQ(
        std::system(
            absl::StrCat(HELHED_SOURCE_DIR, "/scripts/dev-certs ", dir_, " >/dev/null").c_str()),
        0);
  }

  bool Check(int port, const std::shared_ptr<grpc::ChannelCredentials>& creds) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    args.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port), creds, args);
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return stub->Check(&ctx, req, &resp).ok() &&
           resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  std::shared_ptr<grpc::ChannelCredentials> Tls(bool with_client_cert) {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = Read(dir_ + "/ca.pem");
    if (with_client_cert) {
      o.pem_cert_chain = Read(dir_ + "/client.pem");
      o.pem_private_key = Read(dir_ + "/client.key");
    }
    return grpc::SslCredentials(o);
  }

  std::string dir_;
};

TEST_F(TlsTest, ServerTlsAcceptsTlsClientsOnly) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto p = helhed::testing::ServiceProcess::Start(
      HELHED_PLANS_BINARY, *url,
      {"--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/server.key"});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(Check((*p)->grpc_port(), Tls(false)));
  EXPECT_FALSE(Check((*p)->grpc_port(), grpc::InsecureChannelCredentials()));
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromTheCa) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto p = helhed::testing::ServiceProcess::Start(
      HELHED_PLANS_BINARY, *url,
      {"--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/server.key",
       "--tls-client-ca=" + dir_ + "/ca.pem"});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(Check((*p)->grpc_port(), Tls(true)));
  EXPECT_FALSE(Check((*p)->grpc_port(), Tls(false)));
}

// Kubernetes' native gRPC probes cannot do TLS: a plaintext port serves the
// health service, and nothing else.
TEST_F(TlsTest, PlaintextHealthPortBesideMutualTls) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto p = helhed::testing::ServiceProcess::Start(
      HELHED_PLANS_BINARY, *url,
      {"--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/server.key",
       "--tls-client-ca=" + dir_ + "/ca.pem", "--health-listen=127.0.0.1:0"});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_GT((*p)->health_port(), 0);
  EXPECT_TRUE(Check((*p)->health_port(), grpc::InsecureChannelCredentials()));
  EXPECT_FALSE(Check((*p)->grpc_port(), grpc::InsecureChannelCredentials()));
  // The API is not reachable on the probe port.
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*p)->health_port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = helhed::plans::v1::PlansService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  helhed::plans::v1::ListPlansResponse resp;
  EXPECT_EQ(stub->ListPlans(&ctx, helhed::plans::v1::ListPlansRequest(), &resp).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(TlsTest, MissingKeyFileStopsStartWithAClearError) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto p = helhed::testing::ServiceProcess::Start(
      HELHED_PLANS_BINARY, *url,
      {"--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/missing.key"});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("missing.key"), std::string::npos) << p.status();
}

}  // namespace
}  // namespace helhed
