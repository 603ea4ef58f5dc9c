// Starts the real services (plans, volunteers, guides, housing) and the real
// helhed-gateway in front of them, and calls only the gateway: every way a
// token is refused, role denials, a spoofed principal ignored, tenancy, the
// audit trail (also for list results, closed when it cannot be written),
// the overview with a backend down, deadlines reaching the backend, the
// rate limit, per-backend health.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/store/database.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "openssl/hmac.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/service_process.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed::gateway {
namespace {

namespace gv1 = ::helhed::gateway::v1;
namespace hv1 = ::helhed::housing::v1;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string B64(const std::string& s) {
  std::string out;
  absl::WebSafeBase64Escape(s, &out);
  return out;
}

google::type::Date DaysAgo(int days) {
  const absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days;
  google::type::Date out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

// A stand-in backend that answers nothing: it waits until the call is
// cancelled (or 10 s) and records the deadline it got and whether the
// cancellation reached it.
class SlowBackend final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      Reactor(SlowBackend* b, grpc::GenericCallbackServerContext* ctx)
          : b_(b), ctx_(ctx), ours_(ctx->method().rfind("/helhed.", 0) == 0) {
        if (ours_) {  // not the gateway's health probes
          absl::MutexLock lock(&b_->mu);
          b_->deadline_left = absl::FromChrono(ctx->deadline()) - absl::Now();
          b_->calls++;
        }
        StartRead(&buf_);
      }
      void OnReadDone(bool) override {
        std::thread([this] {
          const absl::Time until = absl::Now() + absl::Seconds(10);
          while (!ctx_->IsCancelled() && absl::Now() < until) {
            absl::SleepFor(absl::Milliseconds(5));
          }
          if (ours_ && ctx_->IsCancelled()) b_->cancelled++;
          Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "slow"));
        }).detach();
      }
      void OnDone() override { delete this; }

     private:
      SlowBackend* b_;
      grpc::GenericCallbackServerContext* ctx_;
      const bool ours_;
      grpc::ByteBuffer buf_;
    };
    return new Reactor(this, ctx);
  }
  absl::Mutex mu;
  absl::Duration deadline_left ABSL_GUARDED_BY(mu);
  int calls ABSL_GUARDED_BY(mu) = 0;
  std::atomic<int> cancelled{0};
};

class GatewayIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    private_key_ = helhed::testing::WriteGatewayKeys(dir_);
    ASSERT_FALSE(private_key_.empty());
    ASSERT_TRUE(
        helhed::testing::WriteFile(dir_ + "/other.key", helhed::testing::NewRsaKey().private_pem));
    StartBackends({});
  }

  // (Re)starts the four services on fresh SQLite stores with `args`.
  void StartBackends(const std::vector<std::string>& args) {
    for (const char* name : {"plans", "volunteers", "guides", "housing"}) {
      auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
      ASSERT_TRUE(url.ok());
      const std::string binary = std::string(name) == "plans"        ? HELHED_PLANS_BINARY
                                 : std::string(name) == "volunteers" ? HELHED_VOLUNTEERS_BINARY
                                 : std::string(name) == "guides"     ? HELHED_GUIDES_BINARY
                                                                     : HELHED_HOUSING_BINARY;
      auto p = ServiceProcess::Start(binary, *url, args);
      ASSERT_TRUE(p.ok()) << p.status();
      backends_[name] = std::move(*p);
    }
  }

  void StartGateway(const std::string& housing_target = "", Backend store = Backend::kSqlite) {
    setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (dir_ + "/keys").c_str(), 1);
    setenv("HELHED_GATEWAY_CPR_KEY_FILE", (dir_ + "/cpr.key").c_str(), 1);
    setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt", 1);
    setenv("HELHED_GATEWAY_BACKENDS",
           absl::StrCat("plans=", backends_["plans"]->target(),
                        ",volunteers=", backends_["volunteers"]->target(),
                        ",guides=", backends_["guides"]->target(), ",housing=",
                        housing_target.empty() ? backends_["housing"]->target() : housing_target)
               .c_str(),
           1);
    auto url = helhed::testing::NewStoreUrl(store);
    ASSERT_TRUE(url.ok()) << url.status();
    gateway_url_ = *url;
    // Call logs on: tests check what they never contain.
    auto p = ServiceProcess::Start(HELHED_GATEWAY_BINARY, gateway_url_, {"--log-level=info"});
    ASSERT_TRUE(p.ok()) << p.status();
    gateway_ = std::move(*p);
    housing_ = hv1::HousingService::NewStub(gateway_->NewChannel());
    gw_ = gv1::GatewayService::NewStub(gateway_->NewChannel());
    audit_ = gv1::AuditService::NewStub(gateway_->NewChannel());
  }

  std::string Token(const std::vector<std::string>& roles, const std::string& muni = "730",
                    const std::string& subject = "u-1", absl::Duration lifetime = absl::Hours(1),
                    const std::string& audience = "helhed-gateway",
                    const std::string& issuer = "https://idp.helhed.local",
                    const std::string& org_unit = "") {
    MintOptions o;
    o.org_unit = org_unit;
    o.private_key_pem = private_key_;
    o.kid = "idp-1";
    o.issuer = issuer;
    o.audience = audience;
    o.subject = subject;
    o.municipality = muni;
    o.roles = roles;
    o.issued_at = absl::Now() - absl::Minutes(1);
    o.lifetime = lifetime;
    auto t = MintToken(o);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : "";
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token,
                                           const std::string& purpose = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
    if (!purpose.empty()) ctx->AddMetadata("x-helhed-purpose", purpose);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  grpc::Status CreateApp(const std::string& token, const std::string& citizen,
                         hv1::Application* out = nullptr) {
    hv1::CreateApplicationRequest req;
    hv1::Application* a = req.mutable_application();
    a->set_citizen_id(citizen);
    a->set_situation(hv1::SITUATION_STREET);
    *a->mutable_screening_date() = DaysAgo(10);
    a->set_rooms_needed(1);
    a->set_support_needed(hv1::SUPPORT_LEVEL_NONE);
    a->add_unit_types(hv1::UNIT_TYPE_HOUSING_FIRST);
    a->set_max_rent_dkk(5000);
    hv1::CreateApplicationResponse resp;
    grpc::Status s = housing_->CreateApplication(Ctx(token, "boligsag").get(), req, &resp);
    if (out != nullptr) *out = resp.application();
    return s;
  }

  std::vector<gv1::AuditEvent> AuditOf(const std::string& citizen) {
    gv1::ListAuditEventsRequest req;
    req.set_citizen_id(citizen);
    gv1::ListAuditEventsResponse resp;
    grpc::Status s =
        audit_->ListAuditEvents(Ctx(Token({"auditor"}, "730", "a-1")).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.events().begin(), resp.events().end()};
  }

  std::string Metrics() {
    std::string metrics;
    FILE* f = popen(
        absl::StrCat("curl -sf http://127.0.0.1:", gateway_->metrics_port(), "/metrics").c_str(),
        "r");
    if (f == nullptr) return metrics;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) metrics.append(buf, n);
    pclose(f);
    return metrics;
  }

  std::string dir_;
  std::string private_key_;
  std::string gateway_url_;
  std::map<std::string, std::unique_ptr<ServiceProcess>> backends_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::unique_ptr<hv1::HousingService::Stub> housing_;
  std::unique_ptr<gv1::GatewayService::Stub> gw_;
  std::unique_ptr<gv1::AuditService::Stub> audit_;
};

TEST_F(GatewayIntegrationTest, EveryBadTokenIsUnauthenticatedWithoutDetail) {
  StartGateway();
  const std::string header = B64(R"({"alg":"RS256","typ":"JWT","kid":"idp-1"})");
  const std::string claims = B64(absl::StrCat(
      R"({"iss":"https://idp.helhed.local","aud":"helhed-gateway","sub":"x","municipality":"730","roles":["housing_officer"],"exp":)",
      absl::ToUnixSeconds(absl::Now() + absl::Hours(1)), "}"));
  // alg none, and HS256 keyed with our public key (key confusion).
  const std::string none = B64(R"({"alg":"none","typ":"JWT"})") + "." + claims + ".";
  const std::string hs_header = B64(R"({"alg":"HS256","typ":"JWT","kid":"idp-1"})");
  const std::string pub = ReadFile(dir_ + "/keys/idp-1.pem");
  unsigned char mac[32];
  unsigned int mac_len = 0;
  const std::string signing_input = hs_header + "." + claims;
  HMAC(EVP_sha256(), pub.data(), static_cast<int>(pub.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_len);
  const std::string hs =
      signing_input + "." + B64(std::string(reinterpret_cast<char*>(mac), mac_len));
  // Signed by another key under our kid.
  MintOptions forged;
  forged.private_key_pem = ReadFile(dir_ + "/other.key");
  forged.kid = "idp-1";
  forged.issuer = "https://idp.helhed.local";
  forged.audience = "helhed-gateway";
  forged.subject = "mallory";
  forged.municipality = "730";
  forged.roles = {"housing_officer"};
  forged.issued_at = absl::Now();
  auto forged_token = MintToken(forged);
  ASSERT_TRUE(forged_token.ok());
  MintOptions unknown = forged;
  unknown.private_key_pem = private_key_;
  unknown.kid = "idp-9";
  auto unknown_kid = MintToken(unknown);
  ASSERT_TRUE(unknown_kid.ok());
  MintOptions early = unknown;
  early.kid = "idp-1";
  early.not_before = absl::Now() + absl::Hours(1);
  auto not_yet = MintToken(early);
  ASSERT_TRUE(not_yet.ok());

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"missing", ""},
      {"garbage", "not-a-token"},
      {"none", none},
      {"hs256", hs},
      {"unknown kid", *unknown_kid},
      {"other key", *forged_token},
      {"expired", Token({"housing_officer"}, "730", "u", -absl::Minutes(5))},
      {"not yet valid", *not_yet},
      {"audience", Token({"housing_officer"}, "730", "u", absl::Hours(1), "someone-else")},
      {"issuer", Token({"housing_officer"}, "730", "u", absl::Hours(1), "helhed-gateway",
                       "https://evil.example")},
  };
  for (const auto& [name, token] : bad) {
    hv1::ListUnitsRequest req;
    hv1::ListUnitsResponse resp;
    grpc::Status s = housing_->ListUnits(Ctx(token).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name;
    EXPECT_EQ(s.error_message().find("expired"), std::string::npos) << name;
    EXPECT_EQ(s.error_message().find("kid"), std::string::npos) << name;
  }
  hv1::ListUnitsResponse ok;
  EXPECT_TRUE(
      housing_->ListUnits(Ctx(Token({"housing_officer"})).get(), hv1::ListUnitsRequest(), &ok)
          .ok());
  const std::string metrics = Metrics();
  for (const char* reason : {"missing", "algorithm", "unknown_key", "signature", "expired",
                             "not_yet_valid", "audience", "issuer"}) {
    const std::string series =
        absl::StrCat("helhed_gateway_auth_failures_total{reason=\"", reason, "\"} ");
    const size_t at = metrics.find(series);
    ASSERT_NE(at, std::string::npos) << reason;
    EXPECT_GE(std::stod(metrics.substr(at + series.size())), 1) << reason;
  }
}

TEST_F(GatewayIntegrationTest, RolesTenancyAndASpoofedPrincipalIgnored) {
  StartGateway();
  // A volunteer coordinator may not make housing offers; only caseworkers resolve CPR.
  hv1::MakeOfferRequest offer;
  hv1::MakeOfferResponse offered;
  EXPECT_EQ(housing_->MakeOffer(Ctx(Token({"volunteer_coordinator"})).get(), offer, &offered)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  gv1::ResolveCitizenRequest cpr;
  cpr.set_cpr("010190-1234");
  gv1::ResolveCitizenResponse resolved;
  EXPECT_EQ(gw_->ResolveCitizen(Ctx(Token({"manager"})).get(), cpr, &resolved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s = gw_->ResolveCitizen(Ctx(Token({"caseworker"})).get(), cpr, &resolved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resolved.citizen_id().size(), 33u);
  EXPECT_EQ(resolved.citizen_id().find("010190"), std::string::npos);
  gv1::ResolveCitizenResponse again;
  cpr.set_cpr("0101901234");
  ASSERT_TRUE(gw_->ResolveCitizen(Ctx(Token({"caseworker"})).get(), cpr, &again).ok());
  EXPECT_EQ(again.citizen_id(), resolved.citizen_id());
  cpr.set_cpr("310290-1234");  // no 31 February
  EXPECT_EQ(gw_->ResolveCitizen(Ctx(Token({"caseworker"})).get(), cpr, &again).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Resolving is itself an access to the citizen: audited.
  bool resolve_audited = false;
  for (const auto& e : AuditOf(resolved.citizen_id())) {
    resolve_audited |= e.method() == "/helhed.gateway.v1.GatewayService/ResolveCitizen";
  }
  EXPECT_TRUE(resolve_audited);

  // The caller claims another municipality in the principal header: ignored.
  hv1::CreateUnitRequest unit;
  unit.mutable_unit()->set_unit_type(hv1::UNIT_TYPE_HOUSING_FIRST);
  unit.mutable_unit()->set_landlord("Randers Boligforening");
  unit.mutable_unit()->set_postcode("8900");
  unit.mutable_unit()->set_rooms(1);
  unit.mutable_unit()->set_monthly_rent_dkk(4000);
  unit.mutable_unit()->set_support(hv1::SUPPORT_LEVEL_NONE);
  auto spoofed = Ctx(Token({"housing_officer"}, "730"));
  helhed::common::v1::Principal fake;
  fake.set_subject("spoofed-subject-77");
  fake.set_municipality_code("810");
  fake.add_roles(helhed::common::v1::ROLE_HOUSING_OFFICER);
  spoofed->AddMetadata("x-helhed-principal", auth::EncodePrincipal(fake));
  hv1::CreateUnitResponse created;
  s = housing_->CreateUnit(spoofed.get(), unit, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  hv1::GetUnitRequest get;
  get.set_id(created.unit().id());
  hv1::GetUnitResponse got;
  EXPECT_TRUE(housing_->GetUnit(Ctx(Token({"housing_officer"}, "730")).get(), get, &got).ok());
  EXPECT_EQ(housing_->GetUnit(Ctx(Token({"housing_officer"}, "810")).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Nor does the spoofed identity reach the gateway's own call log.
  {
    std::ifstream in(gateway_->log_path());
    std::stringstream log;
    log << in.rdbuf();
    EXPECT_EQ(log.str().find("spoofed-subject-77"), std::string::npos);
  }
  // Validation errors of the backend reach the caller with their fields.
  hv1::CreateUnitRequest bad;
  s = housing_->CreateUnit(Ctx(Token({"housing_officer"})).get(), bad, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(s.error_details().empty());
}

// Field violations in the caller's language through the gateway: the
// backend's (the gateway passes accept-language on), the gateway's own (a
// CPR number, the purpose header). Danish unless English is asked for.
TEST_F(GatewayIntegrationTest, ValidationSpeaksTheCallersLanguage) {
  StartGateway();
  using Descriptions = std::map<std::string, std::string>;
  auto descriptions = [](const grpc::Status& s) {
    Descriptions out;
    for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) out[v.field] = v.description;
    return out;
  };
  const std::string officer = Token({"housing_officer"});
  auto english = [&](const std::string& token, const std::string& purpose = "") {
    auto ctx = Ctx(token, purpose);
    ctx->AddMetadata("accept-language", "en");
    return ctx;
  };
  hv1::CreateUnitRequest bad;
  bad.mutable_unit()->set_unit_type(hv1::UNIT_TYPE_HOUSING_FIRST);
  bad.mutable_unit()->set_landlord(" ");
  bad.mutable_unit()->set_postcode("89");
  bad.mutable_unit()->set_rooms(1);
  bad.mutable_unit()->set_support(hv1::SUPPORT_LEVEL_NONE);
  hv1::CreateUnitResponse created;
  grpc::Status s = housing_->CreateUnit(Ctx(officer).get(), bad, &created);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      descriptions(s),
      (Descriptions{{"unit.landlord", "skal udfyldes"},
                    {"unit.postcode",
                     "skal være et dansk postnummer på fire cifre, 1000-9999, fx \"8900\""}}));
  EXPECT_EQ(s.error_message().rfind("ugyldig forespørgsel: unit.landlord: skal udfyldes", 0), 0u)
      << s.error_message();
  s = housing_->CreateUnit(english(officer).get(), bad, &created);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      descriptions(s),
      (Descriptions{{"unit.landlord", "is required"},
                    {"unit.postcode",
                     "must be a Danish postcode of four digits, 1000-9999, such as \"8900\""}}));
  EXPECT_EQ(s.error_message().rfind("invalid request: unit.landlord: is required", 0), 0u)
      << s.error_message();
  hv1::ListUnitsResponse units;
  ASSERT_TRUE(housing_->ListUnits(Ctx(officer).get(), hv1::ListUnitsRequest(), &units).ok());
  EXPECT_EQ(units.units_size(), 0);

  // The gateway's own checks.
  const std::string worker = Token({"caseworker"});
  gv1::ResolveCitizenRequest cpr;
  cpr.set_cpr("310290-1234");  // no 31 February
  gv1::ResolveCitizenResponse resolved;
  s = gw_->ResolveCitizen(Ctx(worker).get(), cpr, &resolved);
  EXPECT_EQ(descriptions(s),
            (Descriptions{{"cpr", "begynder ikke med en fødselsdato, der findes"}}));
  s = gw_->ResolveCitizen(english(worker).get(), cpr, &resolved);
  EXPECT_EQ(descriptions(s),
            (Descriptions{{"cpr", "does not start with an existing date of birth"}}));
  const std::string long_purpose(201, 'p');
  s = housing_->ListUnits(Ctx(officer, long_purpose).get(), hv1::ListUnitsRequest(), &units);
  EXPECT_EQ(descriptions(s), (Descriptions{{"x-helhed-purpose", "er længere end 200 tegn"}}));
  s = housing_->ListUnits(english(officer, long_purpose).get(), hv1::ListUnitsRequest(), &units);
  EXPECT_EQ(descriptions(s), (Descriptions{{"x-helhed-purpose", "is longer than 200 characters"}}));
}

// Refusals other than validation through the gateway: its own (the roles do
// not allow the call) and a backend's (a unit that is not there, passed
// through), in Danish by default and in English when the caller asks for it
// (accept-language, passed on to the backend).
TEST_F(GatewayIntegrationTest, RefusalsSpeakTheCallersLanguage) {
  StartGateway();
  auto english = [&](const std::string& token) {
    auto ctx = Ctx(token);
    ctx->AddMetadata("accept-language", "en");
    return ctx;
  };
  const std::string coordinator = Token({"volunteer_coordinator"});
  hv1::MakeOfferRequest offer;
  hv1::MakeOfferResponse offered;
  grpc::Status s = housing_->MakeOffer(Ctx(coordinator).get(), offer, &offered);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "dine roller giver ikke adgang til dette kald");
  s = housing_->MakeOffer(english(coordinator).get(), offer, &offered);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "your roles do not allow this call");

  const std::string officer = Token({"housing_officer"});
  hv1::GetUnitRequest get;
  get.set_id("no-such-unit");
  hv1::GetUnitResponse got;
  s = housing_->GetUnit(Ctx(officer).get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "der findes ingen bolig med id no-such-unit");
  s = housing_->GetUnit(english(officer).get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "unit no-such-unit not found");
}

TEST_F(GatewayIntegrationTest, EveryCitizenReadIsAuditedAlsoInLists) {
  StartGateway();
  const std::string worker = Token({"caseworker"}, "730", "sagsbehandler-7");
  hv1::Application a1;
  ASSERT_TRUE(CreateApp(worker, "c-audit-1", &a1).ok());
  ASSERT_TRUE(CreateApp(worker, "c-audit-2").ok());
  // A get names no citizen in its request; the response does.
  hv1::GetApplicationRequest get;
  get.set_id(a1.id());
  hv1::GetApplicationResponse got;
  ASSERT_TRUE(housing_->GetApplication(Ctx(worker, "opfoelgning").get(), get, &got).ok());
  // A list returns two citizens' records.
  hv1::ListApplicationsResponse listed;
  ASSERT_TRUE(
      housing_->ListApplications(Ctx(worker).get(), hv1::ListApplicationsRequest(), &listed).ok());
  ASSERT_EQ(listed.applications_size(), 2);

  auto events = AuditOf("c-audit-1");
  std::multiset<std::string> methods;
  for (const auto& e : events) {
    methods.insert(e.method());
    EXPECT_EQ(e.subject(), "sagsbehandler-7");
    EXPECT_EQ(e.municipality_code(), "730");
    EXPECT_EQ(e.outcome(), "OK");
  }
  EXPECT_EQ(methods.count("/helhed.housing.v1.HousingService/CreateApplication"), 1u);
  EXPECT_EQ(methods.count("/helhed.housing.v1.HousingService/GetApplication"), 1u);
  EXPECT_EQ(methods.count("/helhed.housing.v1.HousingService/ListApplications"), 1u);
  bool purpose_seen = false;
  for (const auto& e : events) purpose_seen |= e.purpose() == "opfoelgning";
  EXPECT_TRUE(purpose_seen);
  std::multiset<std::string> other;
  for (const auto& e : AuditOf("c-audit-2")) other.insert(e.method());
  EXPECT_EQ(other.count("/helhed.housing.v1.HousingService/CreateApplication"), 1u);
  EXPECT_EQ(other.count("/helhed.housing.v1.HousingService/ListApplications"), 1u);
  EXPECT_EQ(other.count("/helhed.housing.v1.HousingService/GetApplication"), 0u);

  // The citizen's own access log names no employee.
  gv1::GetCitizenAccessLogRequest log_req;
  log_req.set_citizen_id("c-audit-1");
  gv1::GetCitizenAccessLogResponse log;
  ASSERT_TRUE(
      audit_->GetCitizenAccessLog(Ctx(Token({"auditor"}, "730", "a-1")).get(), log_req, &log).ok());
  ASSERT_GE(log.entries_size(), 3);
  EXPECT_EQ(log.entries(0).service(), "housing");
  EXPECT_EQ(log.DebugString().find("sagsbehandler-7"), std::string::npos);
  // Only auditors and caseworkers (for the citizen in front of them) read
  // it; a refused attempt is itself audited.
  const std::string coordinator = Token({"volunteer_coordinator"}, "730", "sagsbehandler-7");
  EXPECT_EQ(audit_->GetCitizenAccessLog(Ctx(coordinator).get(), log_req, &log).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  {
    std::ifstream in(gateway_->log_path());
    std::stringstream calls;
    calls << in.rdbuf();
    EXPECT_NE(calls.str().find("GetApplication"), std::string::npos);  // calls are logged
    EXPECT_EQ(calls.str().find("c-audit-1"), std::string::npos);       // citizens never
    EXPECT_EQ(calls.str().find("Bearer"), std::string::npos);          // nor tokens
  }
  bool refused_audited = false;
  for (const auto& e : AuditOf("c-audit-1")) {
    refused_audited |= e.method() == "/helhed.gateway.v1.AuditService/GetCitizenAccessLog" &&
                       e.outcome() == "PERMISSION_DENIED" && e.subject() == "sagsbehandler-7";
  }
  EXPECT_TRUE(refused_audited);
}

TEST_F(GatewayIntegrationTest, ACallFailsWhenItsAuditCannotBeWritten) {
  StartGateway();
  const std::string worker = Token({"caseworker"});
  ASSERT_TRUE(CreateApp(worker, "c-closed-0").ok());
  auto db = store::Database::Open(gateway_url_, store::StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Run([](store::Connection& c) {
                    return c
                        .Execute(
                            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events BEGIN"
                            " SELECT RAISE(ABORT, 'audit store down'); END",
                            {})
                        .status();
                  })
                  .ok());
  hv1::ListApplicationsResponse listed;
  grpc::Status s =
      housing_->ListApplications(Ctx(worker).get(), hv1::ListApplicationsRequest(), &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(listed.applications_size(), 0);
  // A call that touches no citizen is not affected.
  hv1::ListUnitsResponse units;
  EXPECT_TRUE(
      housing_->ListUnits(Ctx(Token({"housing_officer"})).get(), hv1::ListUnitsRequest(), &units)
          .ok());
  ASSERT_TRUE((*db)
                  ->Run([](store::Connection& c) {
                    return c.Execute("DROP TRIGGER audit_down", {}).status();
                  })
                  .ok());
  EXPECT_TRUE(
      housing_->ListApplications(Ctx(worker).get(), hv1::ListApplicationsRequest(), &listed).ok());
  EXPECT_NE(Metrics().find("helhed_gateway_audit_failures_total 1"), std::string::npos);
}

TEST_F(GatewayIntegrationTest, OverviewIsPartialWhenABackendIsDown) {
  StartGateway();
  const std::string worker = Token({"caseworker"});
  ASSERT_TRUE(CreateApp(worker, "c-whole").ok());
  gv1::GetCitizenOverviewRequest req;
  req.set_citizen_id("c-whole");
  gv1::GetCitizenOverviewResponse resp;
  grpc::Status s = gw_->GetCitizenOverview(Ctx(worker).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.overview().housing().section().status(), gv1::SECTION_STATUS_AVAILABLE);
  ASSERT_EQ(resp.overview().housing().applications_size(), 1);
  EXPECT_EQ(resp.overview().plans().section().status(), gv1::SECTION_STATUS_AVAILABLE);
  EXPECT_EQ(resp.overview().guides().section().status(), gv1::SECTION_STATUS_AVAILABLE);

  backends_["guides"]->Signal(SIGKILL);
  ASSERT_TRUE(backends_["guides"]->Wait(absl::Seconds(10)).ok());
  const absl::Time t0 = absl::Now();
  resp.Clear();
  s = gw_->GetCitizenOverview(Ctx(worker).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(absl::Now() - t0, absl::Seconds(5));
  EXPECT_EQ(resp.overview().guides().section().status(), gv1::SECTION_STATUS_UNAVAILABLE);
  EXPECT_EQ(resp.overview().housing().section().status(), gv1::SECTION_STATUS_AVAILABLE);
  EXPECT_EQ(resp.overview().housing().applications_size(), 1);
  EXPECT_EQ(resp.overview().volunteers().section().status(), gv1::SECTION_STATUS_AVAILABLE);
  // Its own routes fail fast with UNAVAILABLE; the gateway's health says so.
  auto guides = helhed::guides::v1::GuidesService::NewStub(gateway_->NewChannel());
  helhed::guides::v1::ListGuidesResponse none;
  const absl::Time t1 = absl::Now();
  EXPECT_EQ(guides
                ->ListGuides(Ctx(Token({"guide_coordinator"})).get(),
                             helhed::guides::v1::ListGuidesRequest(), &none)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(absl::Now() - t1, absl::Seconds(3));
  auto health = grpc::health::v1::Health::NewStub(gateway_->NewChannel());
  grpc::health::v1::HealthCheckRequest hr;
  hr.set_service("helhed.guides.v1.GuidesService");
  grpc::health::v1::HealthCheckResponse hs;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (absl::Now() < until) {
    grpc::ClientContext hc;
    if (health->Check(&hc, hr, &hs).ok() &&
        hs.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(hs.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  hr.set_service("helhed.housing.v1.HousingService");
  grpc::ClientContext hc;
  ASSERT_TRUE(health->Check(&hc, hr, &hs).ok());
  EXPECT_EQ(hs.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(GatewayIntegrationTest, DeadlinesReachTheBackendAndAreBounded) {
  SlowBackend slow;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&slow);
  auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  setenv("HELHED_GATEWAY_DEFAULT_DEADLINE_MS", "1500", 1);
  setenv("HELHED_GATEWAY_MAX_DEADLINE_MS", "2500", 1);
  StartGateway(absl::StrCat("127.0.0.1:", port));
  unsetenv("HELHED_GATEWAY_DEFAULT_DEADLINE_MS");
  unsetenv("HELHED_GATEWAY_MAX_DEADLINE_MS");
  const std::string officer = Token({"housing_officer"});

  // The caller's 300 ms: the backend gets about that and sees the cancellation.
  auto ctx = Ctx(officer);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  hv1::ListUnitsResponse resp;
  const absl::Time t0 = absl::Now();
  grpc::Status s = housing_->ListUnits(ctx.get(), hv1::ListUnitsRequest(), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
  {
    absl::MutexLock lock(&slow.mu);
    EXPECT_LE(slow.deadline_left, absl::Milliseconds(300));
  }
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (slow.cancelled.load() < 1 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(slow.cancelled.load(), 1);

  // No deadline: the default (1.5 s). A minute: capped at the maximum (2.5 s).
  grpc::ClientContext none;
  none.AddMetadata("authorization", "Bearer " + officer);
  s = housing_->ListUnits(&none, hv1::ListUnitsRequest(), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  {
    absl::MutexLock lock(&slow.mu);
    EXPECT_LE(slow.deadline_left, absl::Milliseconds(1550));  // clock rounding
    EXPECT_GT(slow.deadline_left, absl::Milliseconds(1000));
  }
  auto long_ctx = Ctx(officer);
  long_ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  s = housing_->ListUnits(long_ctx.get(), hv1::ListUnitsRequest(), &resp);
  {
    absl::MutexLock lock(&slow.mu);
    EXPECT_LE(slow.deadline_left, absl::Milliseconds(2550));
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

TEST_F(GatewayIntegrationTest, OneFloodingSubjectIsLimitedOthersAreServed) {
  setenv("HELHED_GATEWAY_RATE", "5", 1);
  setenv("HELHED_GATEWAY_BURST", "5", 1);
  StartGateway();
  unsetenv("HELHED_GATEWAY_RATE");
  unsetenv("HELHED_GATEWAY_BURST");
  const std::string flood = Token({"housing_officer"}, "730", "flooder");
  int limited = 0;
  for (int i = 0; i < 30; ++i) {
    hv1::ListUnitsResponse resp;
    grpc::Status s = housing_->ListUnits(Ctx(flood).get(), hv1::ListUnitsRequest(), &resp);
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++limited;
  }
  EXPECT_GE(limited, 20);
  hv1::ListUnitsResponse resp;
  EXPECT_TRUE(housing_
                  ->ListUnits(Ctx(Token({"housing_officer"}, "730", "calm")).get(),
                              hv1::ListUnitsRequest(), &resp)
                  .ok());
}

TEST_F(GatewayIntegrationTest, AuditEventsArePurgedAfterTheRetention) {
  setenv("HELHED_GATEWAY_AUDIT_RETENTION_DAYS", "0.00003", 1);  // about 2.6 s
  setenv("HELHED_GATEWAY_AUDIT_PURGE_SECONDS", "1", 1);
  StartGateway();
  unsetenv("HELHED_GATEWAY_AUDIT_RETENTION_DAYS");
  unsetenv("HELHED_GATEWAY_AUDIT_PURGE_SECONDS");
  ASSERT_TRUE(CreateApp(Token({"caseworker"}), "c-old").ok());
  auto created = [&] {
    int n = 0;
    for (const auto& e : AuditOf("c-old")) {
      n += e.method() == "/helhed.housing.v1.HousingService/CreateApplication";
    }
    return n;
  };
  EXPECT_EQ(created(), 1);
  const absl::Time until = absl::Now() + absl::Seconds(15);
  while (created() != 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(created(), 0);
}

TEST_F(GatewayIntegrationTest, MutualTlsToTheBackends) {
  ASSERT_EQ(system(absl::StrCat(HELHED_SOURCE_DIR, "/scripts/dev-certs ", dir_, "/certs >/dev/null")
                       .c_str()),
            0);
  const std::string certs = dir_ + "/certs";
  // The services now require a client certificate from the development CA.
  StartBackends({"--tls-cert=" + certs + "/server.pem", "--tls-key=" + certs + "/server.key",
                 "--tls-client-ca=" + certs + "/ca.pem"});
  setenv("HELHED_GATEWAY_BACKEND_TLS_CA", (certs + "/ca.pem").c_str(), 1);
  setenv("HELHED_GATEWAY_BACKEND_TLS_CERT", (certs + "/client.pem").c_str(), 1);
  setenv("HELHED_GATEWAY_BACKEND_TLS_KEY", (certs + "/client.key").c_str(), 1);
  StartGateway();
  unsetenv("HELHED_GATEWAY_BACKEND_TLS_CA");
  unsetenv("HELHED_GATEWAY_BACKEND_TLS_CERT");
  unsetenv("HELHED_GATEWAY_BACKEND_TLS_KEY");
  hv1::Application app;
  grpc::Status s = CreateApp(Token({"caseworker"}), "c-tls", &app);
  ASSERT_TRUE(s.ok()) << s.error_message();
  gv1::GetCitizenOverviewRequest req;
  req.set_citizen_id("c-tls");
  gv1::GetCitizenOverviewResponse resp;
  ASSERT_TRUE(gw_->GetCitizenOverview(Ctx(Token({"caseworker"})).get(), req, &resp).ok());
  EXPECT_EQ(resp.overview().housing().applications_size(), 1);
  EXPECT_EQ(resp.overview().plans().section().status(), gv1::SECTION_STATUS_AVAILABLE);
}

TEST_F(GatewayIntegrationTest, ABadPolicyStopsTheGatewayWithTheLine) {
  {
    std::ofstream bad(dir_ + "/bad_policy.txt");
    bad << "helhed.plans.v1.PlansService/ListPlans manager\n"
        << "helhed.plans.v1.PlansService/NoSuchMethod manager\n";
  }
  const std::string cmd =
      absl::StrCat("HELHED_GATEWAY_JWT_KEYS_DIR=", dir_, "/keys HELHED_GATEWAY_CPR_KEY_FILE=", dir_,
                   "/cpr.key HELHED_POLICY=", dir_, "/bad_policy.txt ", HELHED_GATEWAY_BINARY,
                   " --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 --store=sqlite://", dir_,
                   "/gw-bad.db 2>&1");
  FILE* f = popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  const int status = pclose(f);
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("bad_policy.txt:2"), std::string::npos) << out;
  EXPECT_NE(out.find("NoSuchMethod"), std::string::npos) << out;
}

TEST_F(GatewayIntegrationTest, OversizedMessagesAreRefused) {
  StartGateway();
  hv1::ListUnitsRequest huge;
  huge.set_postcode(std::string(5 * 1024 * 1024, '8'));
  hv1::ListUnitsResponse resp;
  grpc::Status s = housing_->ListUnits(Ctx(Token({"housing_officer"})).get(), huge, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_TRUE(
      housing_->ListUnits(Ctx(Token({"housing_officer"})).get(), hv1::ListUnitsRequest(), &resp)
          .ok());
}

// A free loopback port (closed again; the race with other processes is
// acceptable in a test).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// A backend killed behind the gateway fails fast, the others are served, and
// the gateway uses it again by itself once it is back (same address).
TEST_F(GatewayIntegrationTest, GatewayRecoversWhenABackendReturns) {
  const int port = FreePort();
  auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
  ASSERT_TRUE(url.ok());
  auto housing = ServiceProcess::Start(HELHED_HOUSING_BINARY, *url,
                                       {absl::StrCat("--listen=127.0.0.1:", port)});
  ASSERT_TRUE(housing.ok()) << housing.status();
  backends_["housing"] = std::move(*housing);
  StartGateway();
  const std::string officer = Token({"housing_officer"});
  hv1::ListUnitsResponse units;
  ASSERT_TRUE(housing_->ListUnits(Ctx(officer).get(), hv1::ListUnitsRequest(), &units).ok());

  backends_["housing"]->Signal(SIGKILL);
  ASSERT_TRUE(backends_["housing"]->Wait(absl::Seconds(10)).ok());
  const absl::Time t0 = absl::Now();
  EXPECT_EQ(housing_->ListUnits(Ctx(officer).get(), hv1::ListUnitsRequest(), &units).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(absl::Now() - t0, absl::Seconds(3));
  auto plans = helhed::plans::v1::PlansService::NewStub(gateway_->NewChannel());
  helhed::plans::v1::ListPlansResponse listed;
  EXPECT_TRUE(
      plans
          ->ListPlans(Ctx(Token({"manager"})).get(), helhed::plans::v1::ListPlansRequest(), &listed)
          .ok());

  ASSERT_TRUE(backends_["housing"]->Restart().ok());
  ASSERT_EQ(backends_["housing"]->grpc_port(), port);
  grpc::Status s;
  const absl::Time until = absl::Now() + absl::Seconds(15);
  while (absl::Now() < until) {
    s = housing_->ListUnits(Ctx(officer).get(), hv1::ListUnitsRequest(), &units);
    if (s.ok()) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_TRUE(s.ok()) << s.error_message();
}

// The audit trail on MariaDB (when the tests have one).
TEST_F(GatewayIntegrationTest, AuditTrailOnMariaDb) {
  HELHED_SKIP_UNLESS_ENABLED(Backend::kMysql);
  StartGateway("", Backend::kMysql);
  const std::string worker = Token({"caseworker"}, "730", "sagsbehandler-m");
  ASSERT_TRUE(CreateApp(worker, "c-maria").ok());
  hv1::ListApplicationsResponse listed;
  ASSERT_TRUE(
      housing_->ListApplications(Ctx(worker).get(), hv1::ListApplicationsRequest(), &listed).ok());
  auto events = AuditOf("c-maria");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].subject(), "sagsbehandler-m");
  gv1::ListAuditEventsRequest by_subject;
  by_subject.set_subject("sagsbehandler-m");
  gv1::ListAuditEventsResponse page;
  by_subject.mutable_page()->set_page_size(1);
  ASSERT_TRUE(audit_->ListAuditEvents(Ctx(Token({"auditor"})).get(), by_subject, &page).ok());
  ASSERT_EQ(page.events_size(), 1);
  ASSERT_FALSE(page.page().next_page_token().empty());
  by_subject.mutable_page()->set_page_token(page.page().next_page_token());
  gv1::ListAuditEventsResponse second;
  ASSERT_TRUE(audit_->ListAuditEvents(Ctx(Token({"auditor"})).get(), by_subject, &second).ok());
  ASSERT_EQ(second.events_size(), 1);
  EXPECT_NE(second.events(0).id(), page.events(0).id());
}

}  // namespace
}  // namespace helhed::gateway

namespace {

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

namespace helhed::gateway {
namespace {

TEST_F(GatewayIntegrationTest, CallLogNamesTheVerifiedCallerAndTheRealCallType) {
  StartGateway();
  hv1::ListUnitsResponse units;
  ASSERT_TRUE(housing_
                  ->ListUnits(Ctx(Token({"housing_officer"}, "810", "officer-42")).get(),
                              hv1::ListUnitsRequest(), &units)
                  .ok());
  // A refused call is traceable to its caller too.
  EXPECT_EQ(housing_
                ->ListUnits(Ctx(Token({"auditor"}, "730", "nosy-7")).get(), hv1::ListUnitsRequest(),
                            &units)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string log = FileText(gateway_->log_path());
  std::string served;
  std::string denied;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (!absl::StrContains(line, "HousingService/ListUnits")) continue;
    if (absl::StrContains(line, "\"code\":\"OK\"")) served = std::string(line);
    if (absl::StrContains(line, "PermissionDenied")) denied = std::string(line);
  }
  ASSERT_FALSE(served.empty()) << log;
  ASSERT_FALSE(denied.empty()) << log;
  EXPECT_TRUE(absl::StrContains(served, "\"principal\":\"officer-42\"")) << served;
  EXPECT_TRUE(absl::StrContains(served, "\"tenant\":\"810\"")) << served;
  EXPECT_TRUE(absl::StrContains(served, "\"type\":\"unary\"")) << served;
  EXPECT_TRUE(absl::StrContains(denied, "\"principal\":\"nosy-7\"")) << denied;
  EXPECT_TRUE(absl::StrContains(denied, "\"tenant\":\"730\"")) << denied;
  // The private channel to the log never reaches the caller.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token({"housing_officer"}));
  ASSERT_TRUE(housing_->ListUnits(&ctx, hv1::ListUnitsRequest(), &units).ok());
  for (const auto& [key, value] : ctx.GetServerTrailingMetadata()) {
    EXPECT_FALSE(absl::StartsWith(absl::string_view(key.data(), key.size()), "x-helhed-"))
        << std::string(key.data(), key.size());
  }
}

TEST_F(GatewayIntegrationTest, BackendAddressesNeverReachCallers) {
  StartGateway();
  const std::string port = std::to_string(backends_["housing"]->grpc_port());
  backends_["housing"]->Signal(SIGKILL);
  ASSERT_TRUE(backends_["housing"]->Wait(absl::Seconds(10)).ok());
  hv1::ListUnitsResponse units;
  grpc::Status s =
      housing_->ListUnits(Ctx(Token({"housing_officer"})).get(), hv1::ListUnitsRequest(), &units);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(absl::StrContains(s.error_message(), "127.0.0.1")) << s.error_message();
  EXPECT_FALSE(absl::StrContains(s.error_message(), port)) << s.error_message();
  EXPECT_FALSE(absl::StrContains(s.error_message(), "ipv4")) << s.error_message();
  // Also where the call concerns a citizen (audited path).
  hv1::ListApplicationsResponse apps;
  s = housing_->ListApplications(Ctx(Token({"caseworker"})).get(), hv1::ListApplicationsRequest(),
                                 &apps);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(absl::StrContains(s.error_message(), "127.0.0.1")) << s.error_message();
}

TEST_F(GatewayIntegrationTest, AHeldAuditStoreFailsCitizenReadsFastAndRecordsNoAnswer) {
  setenv("HELHED_GATEWAY_AUDIT_TIMEOUT_MS", "1000", 1);
  StartGateway();
  unsetenv("HELHED_GATEWAY_AUDIT_TIMEOUT_MS");
  const std::string worker = Token({"caseworker"});
  ASSERT_TRUE(CreateApp(worker, "c-held-1").ok());
  // Another process holds the audit store's write lock.
  auto db = store::Database::Open(gateway_url_, store::StoreOptions());
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Notification held;
  absl::Notification release;
  std::thread holder([&] {
    EXPECT_TRUE((*db)
                    ->Run([&](store::Connection& c) -> absl::Status {
                      absl::Status locked = c.ExecuteScript("BEGIN IMMEDIATE");
                      held.Notify();
                      release.WaitForNotification();
                      if (!locked.ok()) return locked;
                      return c.ExecuteScript("COMMIT");
                    })
                    .ok());
  });
  held.WaitForNotification();
  const absl::Time t0 = absl::Now();
  hv1::ListApplicationsResponse listed;
  grpc::Status s = housing_->ListApplications(Ctx(worker, "held-lock").get(),
                                              hv1::ListApplicationsRequest(), &listed);
  const absl::Duration took = absl::Now() - t0;
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(listed.applications_size(), 0);
  // Fast: the audit timeout, not the caller's 20 s deadline.
  EXPECT_LT(took, absl::Seconds(5)) << took;
  absl::SleepFor(absl::Seconds(1));
  release.Notify();
  holder.join();
  // Once the store is free again, the call that got no answer is not in
  // the trail (while later calls are).
  // (A client retries UNAVAILABLE; the store may still be finishing the
  // stuck commit's retries.)
  grpc::Status after;
  for (int i = 0; i < 40; ++i) {
    after = housing_->ListApplications(Ctx(worker, "after").get(), hv1::ListApplicationsRequest(),
                                       &listed);
    if (after.ok()) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  ASSERT_TRUE(after.ok()) << after.error_message();
  absl::SleepFor(absl::Seconds(6));  // past any retry of the stuck commit
  int held_events = 0;
  int after_events = 0;
  for (const auto& e : AuditOf("c-held-1")) {
    held_events += e.purpose() == "held-lock";
    after_events += e.purpose() == "after";
  }
  EXPECT_EQ(held_events, 0);
  EXPECT_GE(after_events, 1);
}

TEST_F(GatewayIntegrationTest, CouncilMembersSeeCountsNotCitizens) {
  StartGateway();
  const std::string officer = Token({"housing_officer"}, "730", "officer-1");
  hv1::CreateUnitRequest unit;
  hv1::HousingUnit* u = unit.mutable_unit();
  u->set_unit_type(hv1::UNIT_TYPE_SHELTER_110);
  u->set_landlord("Randers Kommune");
  u->set_postcode("8900");
  u->set_rooms(1);
  u->set_monthly_rent_dkk(2500);
  u->set_support(hv1::SUPPORT_LEVEL_STAFFED);
  hv1::CreateUnitResponse made;
  ASSERT_TRUE(housing_->CreateUnit(Ctx(officer).get(), unit, &made).ok());
  hv1::CreateTenancyRequest stay;
  stay.set_idempotency_key("stay-council");
  stay.mutable_tenancy()->set_unit_id(made.unit().id());
  stay.mutable_tenancy()->set_citizen_id("c-long-stay");
  *stay.mutable_tenancy()->mutable_move_in() = DaysAgo(120);
  hv1::CreateTenancyResponse placed;
  grpc::Status s = housing_->CreateTenancy(Ctx(officer).get(), stay, &placed);
  ASSERT_TRUE(s.ok()) << s.error_message();

  hv1::GetHousingStatsRequest req;
  req.set_temporary_days(90);
  for (const char* role : {"council_member", "manager"}) {
    hv1::GetHousingStatsResponse stats;
    s = housing_->GetHousingStats(Ctx(Token({role}, "730", std::string("agg-") + role)).get(), req,
                                  &stats);
    ASSERT_TRUE(s.ok()) << role << ": " << s.error_message();
    EXPECT_EQ(stats.stats().long_stay_count(), 1) << role;
    EXPECT_EQ(stats.stats().long_stays_size(), 0) << role;
    EXPECT_FALSE(absl::StrContains(stats.DebugString(), "c-long-stay")) << role;
  }
  hv1::GetHousingStatsResponse named;
  ASSERT_TRUE(housing_->GetHousingStats(Ctx(officer, "opfoelgning").get(), req, &named).ok());
  ASSERT_EQ(named.stats().long_stays_size(), 1);
  EXPECT_EQ(named.stats().long_stays(0).citizen_id(), "c-long-stay");
  // The named list is audited; the aggregate answers are not about anyone.
  int named_reads = 0;
  for (const auto& e : AuditOf("c-long-stay")) {
    EXPECT_FALSE(absl::StartsWith(e.subject(), "agg-")) << e.subject();
    named_reads += e.method() == "/helhed.housing.v1.HousingService/GetHousingStats";
  }
  EXPECT_EQ(named_reads, 1);
}

TEST_F(GatewayIntegrationTest, RecordsFoundThroughAParentAreAudited) {
  StartGateway();
  const std::string worker = Token({"caseworker"}, "730", "cw-9");
  hv1::Application app;
  ASSERT_TRUE(CreateApp(worker, "c-parent-1", &app).ok());
  // GetApplicationStanding names only the application; the answer (the
  // citizen's situation and place in the queue) is about the citizen.
  hv1::GetApplicationStandingRequest req;
  req.set_application_id(app.id());
  hv1::GetApplicationStandingResponse standing;
  grpc::Status s = housing_->GetApplicationStanding(Ctx(worker, "standing").get(), req, &standing);
  ASSERT_TRUE(s.ok()) << s.error_message();
  bool audited = false;
  for (const auto& e : AuditOf("c-parent-1")) {
    audited |= e.method() == "/helhed.housing.v1.HousingService/GetApplicationStanding" &&
               e.purpose() == "standing" && e.outcome() == "OK";
  }
  EXPECT_TRUE(audited);
  // The service's attribution reaches the gateway only: the caller sees no
  // trailer naming citizens.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + worker);
  ASSERT_TRUE(housing_->GetApplicationStanding(&ctx, req, &standing).ok());
  EXPECT_EQ(ctx.GetServerTrailingMetadata().count("x-helhed-citizens"), 0u);
}

TEST_F(GatewayIntegrationTest, ThePurposeIsDanishTextAndNeverCut) {
  StartGateway();
  const std::string worker = Token({"caseworker"}, "730", "cw-1", absl::Hours(1), "helhed-gateway",
                                   "https://idp.helhed.local", "Socialafdelingen, Team Bolig");
  // Binary header: any UTF-8.
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + worker);
    ctx.AddMetadata("x-helhed-purpose-bin", "opfølgning på bolig");
    ASSERT_TRUE(CreateApp(worker, "c-purpose").ok());
    hv1::ListApplicationsRequest list;
    list.set_citizen_id("c-purpose");
    hv1::ListApplicationsResponse listed;
    ASSERT_TRUE(housing_->ListApplications(&ctx, list, &listed).ok());
  }
  // Percent-encoded UTF-8 in the plain header.
  {
    auto ctx = Ctx(worker, "opf%C3%B8lgning%20%C3%A6%C3%B8%C3%A5");
    hv1::ListApplicationsRequest list;
    list.set_citizen_id("c-purpose");
    hv1::ListApplicationsResponse listed;
    ASSERT_TRUE(housing_->ListApplications(ctx.get(), list, &listed).ok());
  }
  std::set<std::string> purposes;
  for (const auto& e : AuditOf("c-purpose")) purposes.insert(e.purpose());
  EXPECT_EQ(purposes.count("opfølgning på bolig"), 1u);
  EXPECT_EQ(purposes.count("opfølgning æøå"), 1u);
  // Over-long: refused naming the header, nothing cut, nothing served.
  for (const char* header : {"x-helhed-purpose", "x-helhed-purpose-bin"}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + worker);
    ctx.AddMetadata(header, std::string(201, 'a'));
    hv1::ListApplicationsRequest list;
    list.set_citizen_id("c-purpose");
    hv1::ListApplicationsResponse listed;
    grpc::Status s = housing_->ListApplications(&ctx, list, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << header;
    EXPECT_TRUE(absl::StrContains(s.error_message(), header)) << s.error_message();
    EXPECT_EQ(listed.applications_size(), 0);
  }
  // The citizen in front of the caseworker: who looked (the unit, never
  // the employee), when and why.
  gv1::GetCitizenAccessLogRequest log_req;
  log_req.set_citizen_id("c-purpose");
  gv1::GetCitizenAccessLogResponse log;
  ASSERT_TRUE(audit_->GetCitizenAccessLog(Ctx(worker, "indsigt").get(), log_req, &log).ok());
  ASSERT_GE(log.entries_size(), 3);
  bool unit_seen = false;
  for (const auto& e : log.entries()) {
    unit_seen |= e.organisation_unit() == "Socialafdelingen, Team Bolig" &&
                 e.service() == "housing" && e.purpose() == "opfølgning æøå";
  }
  EXPECT_TRUE(unit_seen) << log.DebugString();
  EXPECT_FALSE(absl::StrContains(log.DebugString(), "cw-1"));
  // Reading the access log is itself audited.
  bool self_audited = false;
  for (const auto& e : AuditOf("c-purpose")) {
    self_audited |= e.method() == "/helhed.gateway.v1.AuditService/GetCitizenAccessLog" &&
                    e.purpose() == "indsigt";
  }
  EXPECT_TRUE(self_audited);
}

}  // namespace
}  // namespace helhed::gateway
