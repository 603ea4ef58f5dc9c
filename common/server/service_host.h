// The bootstrap every service's main() uses: configuration, logs, metrics
// endpoint, store (with migrations), gRPC server with health, reflection,
// the metrics/log interceptor and optional (mutual) TLS, then graceful
// shutdown on SIGTERM/SIGINT: health NOT_SERVING, stop accepting, drain
// in-flight calls within the drain deadline, close the store.
//
//   int main(int argc, char** argv) {
//     ServerConfig d;
//     d.service_name = "plans"; d.listen = "127.0.0.1:50061"; ...
//     return RunService(d, argc, argv, store::PlansMigrations(), [](Runtime& rt) {
//       std::vector<RegisteredService> s;
//       s.push_back({PlansService::service_full_name(), std::make_unique<PlansServiceImpl>(rt)});
//       return s;
//     });
//   }
#ifndef HELHED_COMMON_SERVER_SERVICE_HOST_H_
#define HELHED_COMMON_SERVER_SERVICE_HOST_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/audit/attribution.h"
#include "common/auth/policy.h"
#include "common/auth/principal_token.h"
#include "common/observability/grpc_metrics.h"
#include "common/server/config.h"
#include "common/server/work_pool.h"
#include "common/store/database.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/server.h"
#include "grpcpp/support/client_interceptor.h"
#include "prometheus/registry.h"

namespace helhed::server {

// What a service's handlers may use; outlives the services.
struct Runtime {
  const ServerConfig* config = nullptr;
  store::Database* db = nullptr;
  WorkPool* pool = nullptr;
  prometheus::Registry* registry = nullptr;
  // Run, in order, after the server has drained and before the store closes:
  // background work a service started stops here.
  std::vector<std::function<void()>> stop_hooks;
  // Optional: answers every method no registered service has (the
  // gateway's proxy). Owned by the factory's caller; outlives the server.
  grpc::CallbackGenericService* generic_service = nullptr;
  // More full method names ("/pkg.Service/Method") for the bounded method
  // label of the gRPC server metrics (e.g. those the generic service serves).
  std::vector<std::string> extra_methods;
  // Called once the server is serving, with its health service, e.g. to
  // report backends under their own service names.
  std::function<void(grpc::HealthCheckServiceInterface*)> on_serving;
  // Whether call logs name the caller from the x-helhed-principal metadata;
  // false where clients could set it themselves (the gateway).
  // When true (the services) the host also judges every call's principal
  // (common/auth/principal_interceptor.h) with the key and the policy it
  // loads from the config after the factory ran (--principal-key-file,
  // --policy), and refuses to start without them.
  bool principal_from_metadata = true;
  // Set by the host for the services (see above); outlive the server.
  const auth::PrincipalKey* principal_key = nullptr;
  const auth::Policy* policy = nullptr;
  // How this service's records about one citizen lead to their citizen
  // (common/audit/attribution.h). Required when the registered services'
  // messages name such records: the server then refuses to start without
  // it, or when it misses a kind. Owned by the factory's caller.
  const audit::CitizenResolver* citizen_resolver = nullptr;
  // True when the factory's services include server reflection themselves
  // (grpc.reflection.v1alpha and v1, e.g. the gateway's, which describes the
  // services behind it): grpc's reflection plugin, which lists only the
  // services registered here, is then left out of the server.
  bool own_reflection = false;
};

// The grpc.health.v1 service name for liveness probes: SERVING from the
// moment the server serves until shutdown begins, whatever the store does.
// Readiness is the overall "" name (and each registered service's name):
// NOT_SERVING while the store cannot be reached.
inline constexpr char kLivenessService[] = "helhed.liveness";

struct RegisteredService {
  std::string full_name;  // e.g. "helhed.plans.v1.PlansService"
  std::unique_ptr<grpc::Service> service;
};

using ServiceFactory = std::function<std::vector<RegisteredService>(Runtime&)>;

// Runs until SIGTERM/SIGINT; returns the process exit code.
int RunService(ServerConfig defaults, int argc, char** argv,
               const std::vector<store::MigrationFile>& migrations, const ServiceFactory& make);

// A service's real wiring (the factory its main passes to RunService) run
// inside this process, without a listening port: the same services, store
// (with migrations) and metrics/log interceptor, reached through channel().
// For the fuzz targets (tests/fuzz), which call every RPC in-process.
class InProcessHost {
 public:
  // `config` needs service_name and store_url, and (unless the factory
  // clears Runtime::principal_from_metadata) principal_key_file and
  // policy_file; the rest keeps its defaults.
  // With config.listen set (e.g. "127.0.0.1:0") it also listens there,
  // without TLS, for clients in other components (the gateway's backends).
  static absl::StatusOr<std::unique_ptr<InProcessHost>> Start(
      ServerConfig config, const std::vector<store::MigrationFile>& migrations,
      const ServiceFactory& make);
  // Drains the server, stops the pool and the services' background work,
  // closes the store.
  ~InProcessHost();
  InProcessHost(const InProcessHost&) = delete;
  InProcessHost& operator=(const InProcessHost&) = delete;

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // Another in-process channel whose calls pass through `interceptors`.
  std::shared_ptr<grpc::Channel> InProcessChannelWithInterceptors(
      std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
          interceptors) const;
  // Every method of the registered services, in declaration order.
  const std::vector<const google::protobuf::MethodDescriptor*>& methods() const { return methods_; }
  // The port it listens on (0 without config.listen).
  int port() const { return port_; }

 private:
  InProcessHost() = default;

  ServerConfig config_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<WorkPool> pool_;
  Runtime runtime_;
  std::vector<RegisteredService> services_;
  std::unique_ptr<auth::PrincipalKey> principal_key_;
  std::unique_ptr<auth::Policy> policy_;
  std::unique_ptr<observability::GrpcServerMetrics> grpc_metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::vector<const google::protobuf::MethodDescriptor*> methods_;
  int port_ = 0;
};

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_SERVICE_HOST_H_
