// Tests of services/gateway/policy: the policy file format, its checks
// against the descriptors, and the shipped default policy.
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/gateway/v1/gateway_service.pb.h"
#include "helhed/guides/v1/guides_service.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"
#include "services/gateway/policy/policy.h"

namespace helhed::gateway {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using helhed::common::v1::Principal;
using helhed::common::v1::Role;

constexpr char kDefaultPolicy[] = HELHED_SOURCE_DIR "/common/auth/default_policy.txt";

// The proto files of every routed service. Naming a message of each makes
// sure its generated code (and so its descriptors) is linked in.
std::vector<const FileDescriptor*> ServiceFiles() {
  return {
      helhed::plans::v1::ListPlansRequest::descriptor()->file(),
      helhed::volunteers::v1::GetMonthlyStatsRequest::descriptor()->file(),
      helhed::guides::v1::GetCoordinatorStatsRequest::descriptor()->file(),
      helhed::housing::v1::ListApplicationsRequest::descriptor()->file(),
      helhed::gateway::v1::ResolveCitizenRequest::descriptor()->file(),
  };
}

const std::set<std::string>& Routed() {
  static const std::set<std::string>* const routed = [] {
    ServiceFiles();
    return new std::set<std::string>{
        "helhed.plans.v1.PlansService",           "helhed.plans.v1.CitizenPlansService",
        "helhed.volunteers.v1.VolunteersService", "helhed.guides.v1.GuidesService",
        "helhed.housing.v1.HousingService",       "helhed.gateway.v1.GatewayService",
        "helhed.gateway.v1.AuditService",
    };
  }();
  return *routed;
}

const DescriptorPool& Pool() {
  ServiceFiles();
  return *DescriptorPool::generated_pool();
}

std::vector<Role> AllRoles() {
  std::vector<Role> roles;
  for (int r = helhed::common::v1::Role_MIN; r <= helhed::common::v1::Role_MAX; ++r) {
    if (r != helhed::common::v1::ROLE_UNSPECIFIED) roles.push_back(static_cast<Role>(r));
  }
  return roles;
}

Principal With(std::initializer_list<Role> roles) {
  Principal p;
  p.set_subject("user-1");
  p.set_municipality_code("730");
  for (const Role r : roles) p.add_roles(r);
  return p;
}

// Every wire method of `service`.
std::vector<std::string> MethodsOf(const std::string& service) {
  std::vector<std::string> out;
  const google::protobuf::ServiceDescriptor* s = Pool().FindServiceByName(service);
  if (s == nullptr) return out;
  for (int i = 0; i < s->method_count(); ++i) {
    out.push_back(absl::StrCat("/", service, "/", s->method(i)->name()));
  }
  return out;
}

class DefaultPolicyTest : public testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Policy::Load(kDefaultPolicy, Pool(), Routed());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    policy_ = *std::move(loaded);
  }
  Policy policy_;
};

TEST_F(DefaultPolicyTest, EveryRoutedServiceIsInThePool) {
  for (const std::string& service : Routed()) {
    EXPECT_NE(Pool().FindServiceByName(service), nullptr) << service;
    EXPECT_FALSE(MethodsOf(service).empty()) << service;
  }
}

TEST_F(DefaultPolicyTest, CoversEveryMethod) {
  const std::vector<std::string> uncovered = policy_.Uncovered(Pool(), Routed());
  EXPECT_TRUE(uncovered.empty()) << "first uncovered: " << uncovered.front();
  size_t methods = 0;
  for (const std::string& service : Routed()) methods += MethodsOf(service).size();
  EXPECT_EQ(policy_.rules().size(), methods);
}

TEST_F(DefaultPolicyTest, ResolveCitizenOnlyCaseworker) {
  const std::string method = "/helhed.gateway.v1.GatewayService/ResolveCitizen";
  for (const Role r : AllRoles()) {
    EXPECT_EQ(policy_.Allows(method, With({r})), r == helhed::common::v1::ROLE_CASEWORKER)
        << RoleName(r);
  }
}

TEST_F(DefaultPolicyTest, CitizenOverviewCaseworkerAndManager) {
  const std::string method = "/helhed.gateway.v1.GatewayService/GetCitizenOverview";
  for (const Role r : AllRoles()) {
    EXPECT_EQ(policy_.Allows(method, With({r})),
              r == helhed::common::v1::ROLE_CASEWORKER || r == helhed::common::v1::ROLE_MANAGER)
        << RoleName(r);
  }
}

TEST_F(DefaultPolicyTest, AuditServiceOnlyAuditorAndTheCitizensOwnView) {
  const std::vector<std::string> methods = MethodsOf("helhed.gateway.v1.AuditService");
  ASSERT_EQ(methods.size(), 2u);
  for (const std::string& m : methods) {
    // A caseworker fetches one citizen's access log for the citizen in
    // front of them (who looked, when, why; never who); nothing else of
    // the trail.
    const bool own_view = m == "/helhed.gateway.v1.AuditService/GetCitizenAccessLog";
    for (const Role r : AllRoles()) {
      EXPECT_EQ(policy_.Allows(m, With({r})),
                r == helhed::common::v1::ROLE_AUDITOR ||
                    (own_view && r == helhed::common::v1::ROLE_CASEWORKER))
          << m << " " << RoleName(r);
    }
  }
}

TEST_F(DefaultPolicyTest, AuditorReadsOnlyTheAuditTrail) {
  for (const auto& [method, roles] : policy_.rules()) {
    const bool audit = method.rfind("/helhed.gateway.v1.AuditService/", 0) == 0;
    EXPECT_EQ(policy_.Allows(method, With({helhed::common::v1::ROLE_AUDITOR})), audit) << method;
  }
}

TEST_F(DefaultPolicyTest, OperationsAllowedNothing) {
  for (const auto& [method, roles] : policy_.rules()) {
    EXPECT_FALSE(policy_.Allows(method, With({helhed::common::v1::ROLE_OPERATIONS}))) << method;
  }
}

TEST_F(DefaultPolicyTest, CitizenPlansCaseworkerWritesManagerReads) {
  const Principal cw = With({helhed::common::v1::ROLE_CASEWORKER});
  const Principal mg = With({helhed::common::v1::ROLE_MANAGER});
  const Principal cm = With({helhed::common::v1::ROLE_COUNCIL_MEMBER});
  EXPECT_TRUE(policy_.Allows("/helhed.plans.v1.CitizenPlansService/CreateCitizenPlan", cw));
  EXPECT_FALSE(policy_.Allows("/helhed.plans.v1.CitizenPlansService/CreateCitizenPlan", mg));
  EXPECT_TRUE(policy_.Allows("/helhed.plans.v1.CitizenPlansService/GetCitizenPlan", mg));
  EXPECT_FALSE(policy_.Allows("/helhed.plans.v1.CitizenPlansService/GetCitizenPlan", cm));
}

TEST_F(DefaultPolicyTest, PlansReadByStaffWrittenByManager) {
  EXPECT_TRUE(policy_.Allows("/helhed.plans.v1.PlansService/ListPlans",
                             With({helhed::common::v1::ROLE_COUNCIL_MEMBER})));
  EXPECT_FALSE(policy_.Allows("/helhed.plans.v1.PlansService/ListPlans",
                              With({helhed::common::v1::ROLE_AUDITOR})));
  EXPECT_TRUE(policy_.Allows("/helhed.plans.v1.PlansService/CreatePlan",
                             With({helhed::common::v1::ROLE_MANAGER})));
  EXPECT_FALSE(policy_.Allows("/helhed.plans.v1.PlansService/CreatePlan",
                              With({helhed::common::v1::ROLE_CASEWORKER})));
}

TEST_F(DefaultPolicyTest, HousingPriorityRuleAndStats) {
  EXPECT_TRUE(policy_.Allows("/helhed.housing.v1.HousingService/UpdatePriorityRule",
                             With({helhed::common::v1::ROLE_MANAGER})));
  EXPECT_FALSE(policy_.Allows("/helhed.housing.v1.HousingService/UpdatePriorityRule",
                              With({helhed::common::v1::ROLE_HOUSING_OFFICER})));
  EXPECT_TRUE(policy_.Allows("/helhed.housing.v1.HousingService/GetHousingStats",
                             With({helhed::common::v1::ROLE_COUNCIL_MEMBER})));
  EXPECT_TRUE(policy_.Allows("/helhed.housing.v1.HousingService/CreateApplication",
                             With({helhed::common::v1::ROLE_CASEWORKER})));
  EXPECT_FALSE(policy_.Allows("/helhed.housing.v1.HousingService/MakeOffer",
                              With({helhed::common::v1::ROLE_CASEWORKER})));
}

TEST_F(DefaultPolicyTest, NoRolesDenied) {
  for (const auto& [method, roles] : policy_.rules()) {
    EXPECT_FALSE(policy_.Allows(method, With({}))) << method;
    EXPECT_FALSE(policy_.Allows(method, With({helhed::common::v1::ROLE_UNSPECIFIED}))) << method;
  }
}

TEST_F(DefaultPolicyTest, UnknownWireMethodDenied) {
  const Principal everyone =
      With({helhed::common::v1::ROLE_CASEWORKER, helhed::common::v1::ROLE_MANAGER,
            helhed::common::v1::ROLE_AUDITOR});
  EXPECT_FALSE(policy_.Allows("/helhed.plans.v1.PlansService/NoSuchMethod", everyone));
  EXPECT_FALSE(policy_.Allows("/grpc.health.v1.Health/Check", everyone));
  EXPECT_FALSE(policy_.Allows("helhed.plans.v1.PlansService/ListPlans", everyone));
  EXPECT_FALSE(policy_.Allows("", everyone));
}

// --- Parse --------------------------------------------------------------

absl::StatusOr<Policy> ParseText(const std::string& text,
                                 const std::set<std::string>& services = Routed()) {
  return Policy::Parse(text, "test.txt", Pool(), services);
}

void ExpectError(const std::string& text, const std::string& where, const std::string& what,
                 const std::set<std::string>& services = Routed()) {
  const auto parsed = ParseText(text, services);
  ASSERT_FALSE(parsed.ok()) << text;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find(where), std::string::npos) << parsed.status();
  EXPECT_NE(parsed.status().message().find(what), std::string::npos) << parsed.status();
}

TEST(PolicyParseTest, UnknownMethod) {
  ExpectError(
      "# header\n"
      "helhed.plans.v1.PlansService/ListPlans manager\n"
      "helhed.plans.v1.PlansService/ListPlanz manager\n",
      "test.txt:3:", "ListPlanz");
}

TEST(PolicyParseTest, UnknownService) {
  ExpectError("\n\nhelhed.plans.v1.PlanService/ListPlans manager\n",
              "test.txt:3:", "helhed.plans.v1.PlanService");
}

TEST(PolicyParseTest, UnknownRole) {
  ExpectError("helhed.plans.v1.PlansService/ListPlans manager mayor\n", "test.txt:1:", "mayor");
  ExpectError("helhed.plans.v1.PlansService/ListPlans Manager\n", "test.txt:1:", "Manager");
  ExpectError("helhed.plans.v1.PlansService/ListPlans unspecified\n", "test.txt:1:", "unspecified");
  ExpectError("helhed.plans.v1.PlansService/ListPlans ROLE_MANAGER\n",
              "test.txt:1:", "ROLE_MANAGER");
}

TEST(PolicyParseTest, NoRoles) {
  ExpectError(
      "helhed.plans.v1.PlansService/ListPlans manager\n"
      "helhed.plans.v1.PlansService/GetPlan   # nobody yet\n",
      "test.txt:2:", "no roles");
  ExpectError("helhed.plans.v1.PlansService/* \n", "test.txt:1:", "no roles");
}

TEST(PolicyParseTest, ServiceNotRouted) {
  const std::set<std::string> only_plans = {"helhed.plans.v1.PlansService"};
  ExpectError(
      "helhed.plans.v1.PlansService/ListPlans manager\n"
      "helhed.gateway.v1.AuditService/ListAuditEvents auditor\n",
      "test.txt:2:", "helhed.gateway.v1.AuditService", only_plans);
}

TEST(PolicyParseTest, BadSyntax) {
  ExpectError("helhed.plans.v1.PlansService manager\n", "test.txt:1:", "expected");
  ExpectError("helhed.plans.v1.PlansService/ manager\n", "test.txt:1:", "expected");
  ExpectError("/ListPlans manager\n", "test.txt:1:", "expected");
  ExpectError("helhed.plans.v1.PlansService/ListPlans/x manager\n", "test.txt:1:", "expected");
}

TEST(PolicyParseTest, CommentsBlankLinesAndWhitespace) {
  const auto parsed = ParseText(
      "# a comment\n"
      "\n"
      "   \t\n"
      "\thelhed.plans.v1.PlansService/ListPlans\tmanager   caseworker # trailing\r\n"
      "helhed.plans.v1.PlansService/GetPlan manager manager");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->rules().size(), 2u);
  EXPECT_EQ(parsed->rules().at("/helhed.plans.v1.PlansService/ListPlans"),
            (std::set<int>{helhed::common::v1::ROLE_CASEWORKER, helhed::common::v1::ROLE_MANAGER}));
  EXPECT_EQ(parsed->rules().at("/helhed.plans.v1.PlansService/GetPlan"),
            (std::set<int>{helhed::common::v1::ROLE_MANAGER}));
  EXPECT_TRUE(ParseText("").ok());
}

TEST(PolicyParseTest, UnionOfStarAndMethodLines) {
  const auto parsed = ParseText(
      "helhed.gateway.v1.AuditService/* auditor\n"
      "helhed.gateway.v1.AuditService/GetCitizenAccessLog manager\n"
      "helhed.gateway.v1.AuditService/GetCitizenAccessLog caseworker auditor\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string list = "/helhed.gateway.v1.AuditService/ListAuditEvents";
  const std::string log = "/helhed.gateway.v1.AuditService/GetCitizenAccessLog";
  EXPECT_TRUE(parsed->Allows(list, With({helhed::common::v1::ROLE_AUDITOR})));
  EXPECT_FALSE(parsed->Allows(list, With({helhed::common::v1::ROLE_MANAGER})));
  EXPECT_TRUE(parsed->Allows(log, With({helhed::common::v1::ROLE_AUDITOR})));
  EXPECT_TRUE(parsed->Allows(log, With({helhed::common::v1::ROLE_MANAGER})));
  EXPECT_TRUE(parsed->Allows(log, With({helhed::common::v1::ROLE_CASEWORKER})));
  EXPECT_FALSE(parsed->Allows(log, With({helhed::common::v1::ROLE_OPERATIONS})));
  EXPECT_TRUE(parsed->Uncovered(Pool(), {"helhed.gateway.v1.AuditService"}).empty());
}

TEST(PolicyParseTest, UnlistedMethodDeniedAndUncovered) {
  const auto parsed = ParseText("helhed.gateway.v1.GatewayService/GetCitizenOverview caseworker\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Principal cw = With({helhed::common::v1::ROLE_CASEWORKER});
  EXPECT_TRUE(parsed->Allows("/helhed.gateway.v1.GatewayService/GetCitizenOverview", cw));
  EXPECT_FALSE(parsed->Allows("/helhed.gateway.v1.GatewayService/ResolveCitizen", cw));
  EXPECT_EQ(parsed->Uncovered(Pool(), {"helhed.gateway.v1.GatewayService"}),
            std::vector<std::string>{"/helhed.gateway.v1.GatewayService/ResolveCitizen"});
}

TEST(PolicyParseTest, AnyMatchingRoleAllows) {
  const auto parsed = ParseText("helhed.gateway.v1.GatewayService/ResolveCitizen caseworker\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string m = "/helhed.gateway.v1.GatewayService/ResolveCitizen";
  EXPECT_TRUE(parsed->Allows(
      m, With({helhed::common::v1::ROLE_MANAGER, helhed::common::v1::ROLE_CASEWORKER})));
  EXPECT_FALSE(parsed->Allows(
      m, With({helhed::common::v1::ROLE_MANAGER, helhed::common::v1::ROLE_AUDITOR})));
  EXPECT_FALSE(parsed->Allows(m, With({})));
}

TEST(PolicyLoadTest, MissingFile) {
  const auto loaded = Policy::Load("/nonexistent/helhed/policy.txt", Pool(), Routed());
  EXPECT_FALSE(loaded.ok());
}

TEST(RoleNameTest, RoundTrip) {
  for (const Role r : AllRoles()) {
    EXPECT_EQ(RoleFromName(RoleName(r)), r) << RoleName(r);
  }
  EXPECT_EQ(RoleName(helhed::common::v1::ROLE_HOUSING_OFFICER), "housing_officer");
  EXPECT_EQ(RoleFromName("council_member"), helhed::common::v1::ROLE_COUNCIL_MEMBER);
  EXPECT_EQ(RoleFromName(""), helhed::common::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(RoleFromName("unspecified"), helhed::common::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(RoleFromName("CASEWORKER"), helhed::common::v1::ROLE_UNSPECIFIED);
  EXPECT_EQ(RoleFromName("role_caseworker"), helhed::common::v1::ROLE_UNSPECIFIED);
}

}  // namespace
}  // namespace helhed::gateway
