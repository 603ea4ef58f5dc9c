// The gateway's backend list: gRPC targets of every kind (dns:///, ipv4:
// address lists whose commas continue the entry), and the channels' service
// config (round_robin; one retry on UNAVAILABLE for reads only).
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "prometheus/registry.h"
#include "services/gateway/backends.h"

namespace helhed::gateway {
namespace {

TEST(GatewayBackendsTest, TargetsOfEveryKindAndAddressLists) {
  prometheus::Registry registry;
  auto b = Backends::Create(
      "plans=dns:///helhed-plans-headless:50061, housing=ipv4:127.0.0.1:1,127.0.0.1:2,"
      "guides=127.0.0.1:3",
      BackendTls(), registry);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ((*b)->all().size(), 3u);
  EXPECT_EQ((*b)->Find("helhed.plans.v1.PlansService")->address,
            "dns:///helhed-plans-headless:50061");
  EXPECT_EQ((*b)->Find("helhed.housing.v1.HousingService")->address,
            "ipv4:127.0.0.1:1,127.0.0.1:2");
  EXPECT_EQ((*b)->Find("helhed.guides.v1.GuidesService")->address, "127.0.0.1:3");
}

TEST(GatewayBackendsTest, BadEntriesAreRefused) {
  prometheus::Registry registry;
  EXPECT_FALSE(Backends::Create("127.0.0.1:1", BackendTls(), registry).ok());
  EXPECT_FALSE(Backends::Create("plans=", BackendTls(), registry).ok());
  EXPECT_FALSE(Backends::Create("billing=127.0.0.1:1", BackendTls(), registry).ok());
  EXPECT_FALSE(
      Backends::Create("plans=127.0.0.1:1,plans=127.0.0.1:2", BackendTls(), registry).ok());
}

TEST(GatewayBackendsTest, ServiceConfigRetriesReadsOnly) {
  // Keep the generated services in the descriptor pool.
  (void)helhed::plans::v1::PlansService::service_full_name();
  (void)helhed::housing::v1::ListUnitsRequest::descriptor();
  (void)helhed::plans::v1::ListPoliciesRequest::descriptor();
  const std::string config =
      BackendServiceConfig({"helhed.plans.v1.PlansService", "helhed.housing.v1.HousingService"});
  EXPECT_NE(config.find(R"({"round_robin":{}})"), std::string::npos) << config;
  for (const char* read : {"ListPolicies", "GetPlan", "ListUnits", "RankCandidates"}) {
    EXPECT_NE(config.find(absl::StrCat(R"("method":")", read, R"(")")), std::string::npos) << read;
  }
  for (const char* write : {"CreatePolicy", "UpdatePlan", "MakeOffer", "ArchiveUnit"}) {
    EXPECT_EQ(config.find(absl::StrCat(R"("method":")", write, R"(")")), std::string::npos)
        << write;
  }
  EXPECT_NE(config.find(R"("maxAttempts":2)"), std::string::npos);
  EXPECT_NE(config.find(R"("retryableStatusCodes":["UNAVAILABLE"])"), std::string::npos);
}

}  // namespace
}  // namespace helhed::gateway
