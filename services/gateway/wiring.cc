#include "services/gateway/wiring.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/observability/log.h"
#include "common/server/periodic.h"
#include "common/server/service_host.h"
#include "common/store/paging.h"
#include "google/protobuf/descriptor.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "prometheus/counter.h"

namespace helhed::gateway {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* e = std::getenv(name);
  return e == nullptr || *e == '\0' ? fallback : std::string(e);
}

double EnvNumber(const char* name, double fallback) {
  double v = fallback;
  if (const char* e = std::getenv(name); e != nullptr && *e != '\0') {
    if (!absl::SimpleAtod(e, &v) || v < 0) {
      std::fprintf(stderr, "%s: not a number >= 0: %s\n", name, e);
      std::exit(2);
    }
  }
  return v;
}

[[noreturn]] void Fail(const std::string& what) {
  helhed::log::Error("gateway configuration", helhed::log::Fields().Str("error", what));
  std::fprintf(stderr, "helhed-gateway: %s\n", what.c_str());
  std::exit(2);
}

}  // namespace

const std::set<std::string>& RoutedServices() {
  static const std::set<std::string> routed = {
      plans::v1::PlansService::service_full_name(),
      plans::v1::CitizenPlansService::service_full_name(),
      volunteers::v1::VolunteersService::service_full_name(),
      guides::v1::GuidesService::service_full_name(),
      housing::v1::HousingService::service_full_name(),
      v1::GatewayService::service_full_name(),
      v1::AuditService::service_full_name()};
  return routed;
}

std::vector<server::RegisteredService> Wiring::operator()(server::Runtime& rt) {
  const std::set<std::string>& routed = RoutedServices();

  JwtConfig jwt;
  jwt.keys_dir = Env("HELHED_GATEWAY_JWT_KEYS_DIR", "");
  jwt.issuer = Env("HELHED_GATEWAY_JWT_ISSUER", "https://idp.helhed.local");
  jwt.audience = Env("HELHED_GATEWAY_JWT_AUDIENCE", "helhed-gateway");
  if (jwt.keys_dir.empty()) Fail("HELHED_GATEWAY_JWT_KEYS_DIR is required");
  auto v = JwtVerifier::Create(jwt);
  if (!v.ok()) Fail(std::string(v.status().message()));
  verifier_ = std::move(*v);

  // The one policy file the services enforce too (--policy, HELHED_POLICY).
  const std::string& policy_file = rt.config->policy_file;
  auto p = Policy::Load(policy_file, *google::protobuf::DescriptorPool::generated_pool(), routed);
  if (!p.ok()) Fail(std::string(p.status().message()));
  policy_ = std::make_unique<Policy>(std::move(*p));
  // A method no rule covers is denied (safe), but is almost always an
  // oversight: say so at start-up.
  for (const auto& m :
       policy_->Uncovered(*google::protobuf::DescriptorPool::generated_pool(), routed)) {
    log::Warning("no policy rule: method denied to everyone", log::Fields().Str("method", m));
  }

  const std::string key_file = Env("HELHED_GATEWAY_CPR_KEY_FILE", "");
  if (key_file.empty()) Fail("HELHED_GATEWAY_CPR_KEY_FILE is required");
  std::ifstream in(key_file, std::ios::binary);
  std::stringstream key;
  key << in.rdbuf();
  if (!in || key.str().size() < 32) {
    Fail("HELHED_GATEWAY_CPR_KEY_FILE must name a readable file of at least 32 bytes");
  }

  BackendTls tls;
  tls.ca_file = Env("HELHED_GATEWAY_BACKEND_TLS_CA", "");
  tls.cert_file = Env("HELHED_GATEWAY_BACKEND_TLS_CERT", "");
  tls.key_file = Env("HELHED_GATEWAY_BACKEND_TLS_KEY", "");
  // Signs the principal of every backend call (common/auth/principal_token.h).
  if (rt.config->principal_key_file.empty()) {
    Fail("--principal-key-file (HELHED_PRINCIPAL_KEY_FILE) is required");
  }
  auto principal_key = auth::PrincipalKey::FromFile(rt.config->principal_key_file);
  if (!principal_key.ok()) Fail(std::string(principal_key.status().message()));
  auto b = Backends::Create(Env("HELHED_GATEWAY_BACKENDS", ""), tls, *rt.registry,
                            std::make_shared<const auth::PrincipalKey>(*std::move(principal_key)),
                            rt.config->principal_ttl);
  if (!b.ok()) Fail(std::string(b.status().message()));
  backends_ = std::move(*b);

  limiter_ = std::make_unique<RateLimiter>(EnvNumber("HELHED_GATEWAY_RATE", 50),
                                           EnvNumber("HELHED_GATEWAY_BURST", 100));
  tokens_ = std::make_unique<store::PageTokens>(rt.config->page_token_key);
  AuditOptions audit_options;
  const double max_batch = EnvNumber("HELHED_GATEWAY_AUDIT_MAX_BATCH", 64);
  if (max_batch < 1 || max_batch > 10000 || max_batch != std::floor(max_batch)) {
    Fail("HELHED_GATEWAY_AUDIT_MAX_BATCH: not a whole number from 1 to 10000");
  }
  audit_options.max_batch = static_cast<int>(max_batch);
  // A call whose audit events are not durable within this fails fast
  // (UNAVAILABLE) instead of hanging on a held lock until its deadline.
  audit_options.timeout =
      absl::Milliseconds(std::max(1.0, EnvNumber("HELHED_GATEWAY_AUDIT_TIMEOUT_MS", 2000)));
  audit_ = std::make_unique<AuditStore>(rt.db, tokens_.get(), audit_options, rt.registry);
  methods_ = std::make_unique<GatewayMethods>(backends_.get(), audit_.get(), key.str());
  ProxyOptions options;
  options.default_deadline =
      absl::Milliseconds(EnvNumber("HELHED_GATEWAY_DEFAULT_DEADLINE_MS", 10000));
  options.max_deadline = absl::Milliseconds(EnvNumber("HELHED_GATEWAY_MAX_DEADLINE_MS", 30000));
  proxy_ = std::make_unique<Proxy>(verifier_.get(), limiter_.get(), policy_.get(), backends_.get(),
                                   methods_.get(), audit_.get(), rt.pool, options, *rt.registry);
  rt.generic_service = proxy_.get();
  // Clients could put anything in x-helhed-principal: never log it.
  rt.principal_from_metadata = false;
  for (const auto& rule : policy_->rules()) rt.extra_methods.push_back(rule.first);

  // Audit retention: purged by the gateway itself, hourly and at start.
  const absl::Duration retention =
      absl::Hours(24) * EnvNumber("HELHED_GATEWAY_AUDIT_RETENTION_DAYS", 183);
  const absl::Duration purge_every =
      absl::Seconds(std::max(1.0, EnvNumber("HELHED_GATEWAY_AUDIT_PURGE_SECONDS", 3600)));
  // Counted so that a purge that keeps failing (personal data kept past
  // retention) alerts: HelhedAuditPurgeFailing (docs/OPERATIONS.md).
  prometheus::Counter* purge_failures = &prometheus::BuildCounter()
                                             .Name("helhed_gateway_audit_purge_failures_total")
                                             .Help("Audit retention purges that failed.")
                                             .Register(*rt.registry)
                                             .Add({});
  purge_ = std::make_unique<server::Periodic>(purge_every, [this, retention, purge_failures] {
    auto n = audit_->Purge(absl::Now() - retention);
    if (!n.ok()) {
      purge_failures->Increment();
      log::Warning("audit purge failed", log::Fields().Str("error", n.status().ToString()));
    } else if (*n > 0) {
      log::Info("audit events purged", log::Fields().Int("count", *n));
    }
  });
  // Server reflection describes what this gateway answers: its own services
  // and those of the backends it routes to (reflection.h). Open without a
  // token: it is registered, so calls to it never reach the proxy.
  std::vector<std::string> reflected = backends_->Services();
  reflected.push_back(v1::GatewayService::service_full_name());
  reflected.push_back(v1::AuditService::service_full_name());
  auto r = Reflection::Create(reflected);
  if (!r.ok()) Fail(std::string(r.status().message()));
  reflection_ = std::move(*r);
  rt.own_reflection = true;

  rt.on_serving = [this](grpc::HealthCheckServiceInterface* health) {
    backends_->StartProbing(health, absl::Seconds(1));
  };
  rt.stop_hooks.push_back([this] {
    purge_->Stop();
    backends_->StopProbing();
  });
  log::Info("gateway routes",
            log::Fields()
                .Int("backends", static_cast<long long>(backends_->all().size()))
                .Int("policy_rules", static_cast<long long>(policy_->rules().size()))
                .Int("jwt_keys", verifier_->key_count()));
  return reflection_->Services();
}

}  // namespace helhed::gateway
