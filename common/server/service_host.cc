#include "common/server/service_host.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/audit/citizen_fields.h"
#include "common/auth/principal_interceptor.h"
#include "common/observability/grpc_metrics.h"
#include "common/observability/log.h"
#include "common/server/unary.h"
#include "common/status/status_macros.h"
#include "common/store/store_metrics.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "prometheus/exposer.h"

#ifndef HELHED_VERSION
#define HELHED_VERSION "dev"
#endif

namespace helhed::server {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerConfig& c) {
  if (c.tls_cert.empty()) {
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions opts;
  auto cert = ReadFile(c.tls_cert);
  auto key = ReadFile(c.tls_key);
  if (!cert.ok()) return cert.status();
  if (!key.ok()) return key.status();
  opts.pem_key_cert_pairs.push_back({*key, *cert});
  if (!c.tls_client_ca.empty()) {
    auto ca = ReadFile(c.tls_client_ca);
    if (!ca.ok()) return ca.status();
    opts.pem_root_certs = *ca;
    opts.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(opts);
}

// The descriptors of the registered services' methods; NOT_FOUND naming a
// service the generated descriptor pool does not know.
absl::StatusOr<std::vector<const google::protobuf::MethodDescriptor*>> MethodsOf(
    const std::vector<RegisteredService>& services) {
  std::vector<const google::protobuf::MethodDescriptor*> out;
  for (const auto& s : services) {
    const auto* desc =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(s.full_name);
    if (desc == nullptr) {
      return absl::NotFoundError(s.full_name);
    }
    for (int i = 0; i < desc->method_count(); ++i) {
      out.push_back(desc->method(i));
    }
  }
  return out;
}

// Every full method path the server answers, for the bounded method label of
// the server metrics: health, reflection, the services', the runtime's extra.
absl::StatusOr<std::vector<std::string>> ServedMethods(
    const std::vector<RegisteredService>& services, const Runtime& runtime) {
  auto descs = MethodsOf(services);
  if (!descs.ok()) return descs.status();
  std::vector<std::string> methods = {
      "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"};
  for (const auto* m : *descs) {
    methods.push_back(absl::StrCat("/", m->service()->full_name(), "/", m->name()));
  }
  for (const auto& m : runtime.extra_methods) {
    methods.push_back(m);
  }
  return methods;
}

// FAILED_PRECONDITION when the services' messages name records about one
// citizen that the runtime's resolver cannot turn into citizens (no
// resolver, or kinds it misses): such a service would answer calls the
// gateway cannot audit.
absl::Status CheckAttribution(const std::vector<RegisteredService>& services,
                              const Runtime& runtime) {
  std::vector<const google::protobuf::ServiceDescriptor*> descs;
  for (const auto& s : services) {
    const auto* d =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(s.full_name);
    if (d != nullptr) descs.push_back(d);
  }
  if (runtime.citizen_resolver == nullptr) {
    for (const auto* d : descs) {
      for (int i = 0; i < d->method_count(); ++i) {
        const auto* m = d->method(i);
        if (audit::MayNameCitizenRecords(m->input_type()) ||
            audit::MayNameCitizenRecords(m->output_type())) {
          return absl::FailedPreconditionError(
              absl::StrCat(m->full_name(),
                           " names records about a citizen, and the service has"
                           " no citizen resolver"));
        }
      }
    }
    return absl::OkStatus();
  }
  const std::vector<std::string> missing = runtime.citizen_resolver->Missing(descs);
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the citizen resolver cannot resolve record kinds: ", absl::StrJoin(missing, ", ")));
  }
  return absl::OkStatus();
}

// The key and the policy a service judges principals with (services only:
// Runtime::principal_from_metadata). The policy is checked against the
// services' own methods; lines about other services are checked for syntax
// and roles only.
absl::Status LoadPrincipalCheck(const ServerConfig& cfg,
                                const std::vector<RegisteredService>& services,
                                std::unique_ptr<auth::PrincipalKey>& key,
                                std::unique_ptr<auth::Policy>& policy) {
  if (cfg.principal_key_file.empty()) {
    return absl::FailedPreconditionError(
        "--principal-key-file (HELHED_PRINCIPAL_KEY_FILE) is required");
  }
  auto k = auth::PrincipalKey::FromFile(cfg.principal_key_file);
  if (!k.ok()) return k.status();
  key = std::make_unique<auth::PrincipalKey>(*std::move(k));
  std::set<std::string> own;
  for (const auto& s : services) own.insert(s.full_name);
  const auto& pool = *google::protobuf::DescriptorPool::generated_pool();
  auto p = auth::Policy::Load(cfg.policy_file, pool, own, auth::Policy::Others::kSkip);
  if (!p.ok()) return p.status();
  policy = std::make_unique<auth::Policy>(*std::move(p));
  for (const auto& m : policy->Uncovered(pool, own)) {
    log::Warning("no policy rule: method denied to everyone", log::Fields().Str("method", m));
  }
  return absl::OkStatus();
}

// Leaves grpc's reflection plugin out of a server whose services bring
// their own (Runtime::own_reflection).
class WithoutReflectionPlugin final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    const std::string name = grpc::reflection::ProtoServerReflectionPlugin().name();
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [&](const auto& p) { return p->name() == name; }),
                   plugins->end());
  }
};

// What both servers (RunService's and InProcessHost's) register, and how:
// the services, the runtime's generic service, the metrics/log interceptor
// and the message size limit.
void Register(grpc::ServerBuilder& builder, std::vector<RegisteredService>& services,
              const Runtime& runtime, observability::GrpcServerMetrics* metrics) {
  for (auto& s : services) {
    builder.RegisterService(s.service.get());
  }
  if (runtime.generic_service != nullptr) {
    builder.RegisterCallbackGenericService(runtime.generic_service);
  }
  if (runtime.own_reflection) {
    builder.SetOption(std::make_unique<WithoutReflectionPlugin>());
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // The principal's verdict first: the handlers read it.
  if (runtime.principal_key != nullptr && runtime.policy != nullptr) {
    interceptors.push_back(std::make_unique<auth::PrincipalInterceptorFactory>(
        runtime.config->service_name, runtime.principal_key, runtime.policy));
  }
  // Attribution first: it may turn an answer into UNAVAILABLE, which the
  // metrics and the call log then count as such.
  if (runtime.citizen_resolver != nullptr) {
    interceptors.push_back(
        std::make_unique<audit::AttributionInterceptorFactory>(runtime.citizen_resolver));
  }
  interceptors.push_back(std::make_unique<observability::MetricsInterceptorFactory>(
      metrics, runtime.principal_from_metadata));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
}

}  // namespace

void LogInternalError(grpc::CallbackServerContext* ctx, const absl::Status& status) {
  // Store messages carry SQL errors, never bound values (no personal data).
  log::Error("internal error", log::Fields().Str("status", status.ToString()));
}

int RunService(ServerConfig defaults, int argc, char** argv,
               const std::vector<store::MigrationFile>& migrations, const ServiceFactory& make) {
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Debian's Abseil checks every Mutex for lock-order cycles; that is a
  // debugging aid with a cost on every lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto loaded = LoadConfig(argc, argv, std::move(defaults));
  if (!loaded.ok()) {
    if (loaded.status().code() == absl::StatusCode::kCancelled) {
      std::fputs(std::string(loaded.status().message()).c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return 2;
  }
  const ServerConfig cfg = *std::move(loaded);
  log::SetLevel(cfg.log_level);
  const log::Fields svc = log::Fields().Str("service", cfg.service_name);

  auto registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!cfg.migrate_only) {  // a migration Job serves nothing
    try {
      exposer = std::make_unique<prometheus::Exposer>(cfg.metrics_listen, 2);
    } catch (const std::exception& e) {
      log::Error("cannot serve metrics",
                 log::Fields(svc).Str("address", cfg.metrics_listen).Str("error", e.what()));
      return 1;
    }
    exposer->RegisterCollectable(registry);
  }
  store::StoreMetrics store_metrics(*registry);

  store::StoreOptions store_options;
  store_options.pool_size = cfg.store_pool;
  store_options.metrics = &store_metrics;
  store_options.migrate_lock_timeout = cfg.migrate_lock_timeout;
  // Lock names carry the database's name or file, never personal data.
  store_options.on_migrate_wait = [&svc](const std::string& lock) {
    log::Info("waiting for another process's migration", log::Fields(svc).Str("lock", lock));
  };
  std::unique_ptr<store::Database> db;
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (true) {
    auto opened = store::Database::Open(cfg.store_url, store_options);
    if (opened.ok()) {
      db = *std::move(opened);
      store::MigrationReport report;
      absl::Status migrated = db->Migrate(migrations, &report);
      if (migrated.ok() || !report.applied.empty()) {
        log::Info(migrated.ok() ? "migrated" : "migrated partly",
                  log::Fields(svc)
                      .Str("applied",
                           report.applied.empty() ? "none" : absl::StrJoin(report.applied, ","))
                      .Str("lock", report.lock)
                      .Str("waited", report.waited ? "yes" : "no")
                      .Num("wait_seconds", absl::ToDoubleSeconds(report.wait_time)));
      }
      if (migrated.ok()) {
        break;
      }
      opened = migrated;
    }
    const absl::Status& error = opened.status();
    if (error.code() != absl::StatusCode::kUnavailable || absl::Now() > give_up) {
      log::Error("cannot open store", log::Fields(svc).Str("error", std::string(error.message())));
      return 1;
    }
    log::Warning("store unreachable, retrying",
                 log::Fields(svc).Str("error", std::string(error.message())));
    db.reset();
    absl::SleepFor(absl::Seconds(1));
  }
  if (cfg.migrate_only) {
    db->Close();
    log::Info("migrate-only: store migrated, exiting", svc);
    return 0;
  }

  WorkPool pool(cfg.workers);
  Runtime runtime;
  runtime.config = &cfg;
  runtime.db = db.get();
  runtime.pool = &pool;
  runtime.registry = registry.get();
  std::vector<RegisteredService> services = make(runtime);
  if (absl::Status attributed = CheckAttribution(services, runtime); !attributed.ok()) {
    log::Error("citizen attribution incomplete",
               log::Fields(svc).Str("error", std::string(attributed.message())));
    return 1;
  }
  std::unique_ptr<auth::PrincipalKey> principal_key;
  std::unique_ptr<auth::Policy> policy;
  if (runtime.principal_from_metadata) {
    if (absl::Status s = LoadPrincipalCheck(cfg, services, principal_key, policy); !s.ok()) {
      log::Error("cannot check principals",
                 log::Fields(svc).Str("error", std::string(s.message())));
      std::fprintf(stderr, "helhed-%s: %s\n", cfg.service_name.c_str(),
                   std::string(s.message()).c_str());
      return 2;
    }
    runtime.principal_key = principal_key.get();
    runtime.policy = policy.get();
  }

  auto methods = ServedMethods(services, runtime);
  if (!methods.ok()) {
    log::Error("unknown service name",
               log::Fields(svc).Str("name", std::string(methods.status().message())));
    return 1;
  }
  observability::GrpcServerMetrics grpc_metrics(*registry, cfg.service_name, HELHED_VERSION,
                                                *methods);

  auto creds = Credentials(cfg);
  if (!creds.ok()) {
    log::Error("bad TLS configuration",
               log::Fields(svc).Str("error", std::string(creds.status().message())));
    return 1;
  }
  // Keeps grpc.health.v1 in the descriptor pool, so reflection describes it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(cfg.listen, *creds, &port);
  Register(builder, services, runtime, &grpc_metrics);
  // Clients (the gateway) keep long-lived channels with keepalive pings.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  if (cfg.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(cfg.max_connection_age)));
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
        static_cast<int>(absl::ToInt64Milliseconds(cfg.max_connection_age_grace)));
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    log::Error("cannot listen", log::Fields(svc).Str("address", cfg.listen));
    return 1;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  // The probe port: a second server with nothing but the health service.
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  if (!cfg.health_listen.empty()) {
    grpc::ServerBuilder hb;
    hb.AddListeningPort(cfg.health_listen, grpc::InsecureServerCredentials(), &health_port);
    health_server = hb.BuildAndStart();
    if (health_server == nullptr || health_port == 0) {
      log::Error("cannot listen", log::Fields(svc).Str("address", cfg.health_listen));
      return 1;
    }
  }
  // Readiness ("" and the services' names) follows the store; liveness
  // (kLivenessService) only the process: SERVING from here until shutdown
  // begins. Named calls only: the unnamed SetServingStatus(bool) would set
  // every name, liveness included.
  auto set_health = [&](bool serving) {
    for (grpc::Server* srv : {server.get(), health_server.get()}) {
      if (srv == nullptr) continue;
      grpc::HealthCheckServiceInterface* h = srv->GetHealthCheckService();
      h->SetServingStatus("", serving);
      for (const auto& s : services) {
        h->SetServingStatus(s.full_name, serving);
      }
    }
  };
  auto set_live = [&](bool live) {
    for (grpc::Server* srv : {server.get(), health_server.get()}) {
      if (srv != nullptr) srv->GetHealthCheckService()->SetServingStatus(kLivenessService, live);
    }
  };
  set_health(true);
  set_live(true);
  if (runtime.on_serving) {
    runtime.on_serving(health);
  }

  const auto metrics_ports = exposer->GetListeningPorts();
  const int metrics_port = metrics_ports.empty() ? 0 : metrics_ports.front();
  if (!cfg.port_file.empty()) {
    const std::string tmp = cfg.port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << "grpc=" << port << "\nmetrics=" << metrics_port << "\n";
      if (health_port != 0) out << "health=" << health_port << "\n";
    }
    std::rename(tmp.c_str(), cfg.port_file.c_str());
  }
  log::Info("listening", log::Fields(svc)
                             .Int("grpc_port", port)
                             .Int("metrics_port", metrics_port)
                             .Str("store", db->url().Redacted())
                             .Str("tls", cfg.tls_cert.empty()
                                             ? "off"
                                             : (cfg.tls_client_ca.empty() ? "server" : "mutual")));

  // Health follows the store: NOT_SERVING while it cannot be reached.
  absl::Notification stop_health;
  std::thread health_thread([&] {
    bool serving = true;
    while (!stop_health.WaitForNotificationWithTimeout(absl::Seconds(1))) {
      const absl::Status ping = db->Ping();
      if (ping.ok() != serving) {
        serving = ping.ok();
        set_health(serving);
        if (serving) {
          log::Info("store reachable again", svc);
        } else {
          log::Warning("store unreachable",
                       log::Fields(svc).Str("error", std::string(ping.message())));
        }
      }
    }
  });

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info(
      "shutting down",
      log::Fields(svc).Int("signal", sig).Num("drain_seconds", absl::ToDoubleSeconds(cfg.drain)));
  stop_health.Notify();
  health_thread.join();
  set_health(false);
  set_live(false);
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(absl::ToInt64Milliseconds(cfg.drain)));
  server->Wait();
  if (health_server) {
    health_server->Shutdown();
  }
  log::Info("drained", svc);
  pool.Stop();
  for (auto& hook : runtime.stop_hooks) {
    hook();
  }
  db->Close();
  log::Info("stopped", svc);
  return 0;
}

absl::StatusOr<std::unique_ptr<InProcessHost>> InProcessHost::Start(
    ServerConfig config, const std::vector<store::MigrationFile>& migrations,
    const ServiceFactory& make) {
  std::unique_ptr<InProcessHost> h(new InProcessHost());
  h->config_ = std::move(config);
  h->registry_ = std::make_shared<prometheus::Registry>();
  store::StoreOptions store_options;
  store_options.pool_size = h->config_.store_pool;
  auto opened = store::Database::Open(h->config_.store_url, store_options);
  if (!opened.ok()) return opened.status();
  h->db_ = *std::move(opened);
  if (absl::Status migrated = h->db_->Migrate(migrations); !migrated.ok()) return migrated;
  h->pool_ = std::make_unique<WorkPool>(h->config_.workers);
  h->runtime_.config = &h->config_;
  h->runtime_.db = h->db_.get();
  h->runtime_.pool = h->pool_.get();
  h->runtime_.registry = h->registry_.get();
  h->services_ = make(h->runtime_);
  HELHED_RETURN_IF_ERROR(CheckAttribution(h->services_, h->runtime_));
  if (h->runtime_.principal_from_metadata) {
    HELHED_RETURN_IF_ERROR(
        LoadPrincipalCheck(h->config_, h->services_, h->principal_key_, h->policy_));
    h->runtime_.principal_key = h->principal_key_.get();
    h->runtime_.policy = h->policy_.get();
  }
  auto descs = MethodsOf(h->services_);
  if (!descs.ok()) return descs.status();
  h->methods_ = *std::move(descs);
  auto methods = ServedMethods(h->services_, h->runtime_);
  if (!methods.ok()) return methods.status();
  h->grpc_metrics_ = std::make_unique<observability::GrpcServerMetrics>(
      *h->registry_, h->config_.service_name, HELHED_VERSION, *methods);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  if (!h->config_.listen.empty()) {
    builder.AddListeningPort(h->config_.listen, grpc::InsecureServerCredentials(), &h->port_);
  }
  Register(builder, h->services_, h->runtime_, h->grpc_metrics_.get());
  h->server_ = builder.BuildAndStart();
  if (h->server_ == nullptr) {
    return absl::InternalError("cannot start the in-process server");
  }
  if (!h->config_.listen.empty() && h->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", h->config_.listen));
  }
  h->server_->GetHealthCheckService()->SetServingStatus(true);
  h->server_->GetHealthCheckService()->SetServingStatus(kLivenessService, true);
  if (h->runtime_.on_serving) {
    h->runtime_.on_serving(h->server_->GetHealthCheckService());
  }
  h->channel_ = h->server_->InProcessChannel(grpc::ChannelArguments());
  return h;
}

std::shared_ptr<grpc::Channel> InProcessHost::InProcessChannelWithInterceptors(
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors) const {
  return server_->experimental().InProcessChannelWithInterceptors(grpc::ChannelArguments(),
                                                                  std::move(interceptors));
}

InProcessHost::~InProcessHost() {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(absl::ToInt64Milliseconds(config_.drain)));
    server_->Wait();
  }
  if (pool_ != nullptr) pool_->Stop();
  for (auto& hook : runtime_.stop_hooks) {
    hook();
  }
  if (db_ != nullptr) db_->Close();
}

}  // namespace helhed::server
