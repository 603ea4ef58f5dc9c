// Server-side gRPC metrics and per-call logs, recorded by one interceptor for
// every method of every service on the server, never by hand in handlers.
//
// Series (the names dashboards for go-grpc-prometheus already know):
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
//   helhed_build_info{service,version} 1
//   helhed_grpc_health_checks_total{grpc_method,grpc_code}
// Health checks (grpc.health.v1.Health/Check and Watch, i.e. kubelet and
// load-balancer probes) are counted only in the last one, never in the
// grpc_server_* series, so probes do not dilute error ratios and rates.
// Method labels are limited to the methods registered on the server; any
// other path is counted as grpc_service="unknown", grpc_method="unknown".
// Helhed's APIs are unary only, so grpc_type is always "unary".
#ifndef HELHED_COMMON_OBSERVABILITY_GRPC_METRICS_H_
#define HELHED_COMMON_OBSERVABILITY_GRPC_METRICS_H_

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace helhed::observability {

// Thread-safe after construction.
class GrpcServerMetrics {
 public:
  // `methods` are full method paths ("/pkg.Service/Method") served here.
  GrpcServerMetrics(prometheus::Registry& registry, const std::string& service,
                    const std::string& version, const std::vector<std::string>& methods);

  struct Method {
    std::string service;
    std::string method;
    prometheus::Counter* started = nullptr;
    prometheus::Histogram* seconds = nullptr;
    std::array<std::atomic<prometheus::Counter*>, 17> handled{};
    // grpc.health.v1.Health: counted in helhed_grpc_health_checks_total
    // only (started and seconds are null).
    bool health = false;
  };

  // The series of `path`, or of "unknown".
  Method& Lookup(const char* path);
  void Handled(Method& m, int code, double seconds);

 private:
  std::unique_ptr<Method> Make(const std::string& service, const std::string& method);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Family<prometheus::Counter>& health_checks_;
  std::map<std::string, std::unique_ptr<Method>> methods_;  // immutable after construction
  std::unique_ptr<Method> unknown_;
};

// Trailing metadata a server's own code sets to name the verified caller
// in the call log ("<subject> <municipality>"), where the caller is not
// known from x-helhed-principal (the gateway, which verifies tokens). The
// interceptor removes it before the trailers leave the server.
inline constexpr char kLogCallerTrailer[] = "x-helhed-log-caller";

// Creates one MetricsInterceptor per call. Register it with
// ServerBuilder::experimental().SetInterceptorCreators().
class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `log_principal`: log the caller from the x-helhed-principal metadata
  // (services, where the gateway set it); false where clients could set it
  // themselves (the gateway, which trusts only tokens).
  explicit MetricsInterceptorFactory(GrpcServerMetrics* metrics, bool log_principal = true)
      : metrics_(metrics), log_principal_(log_principal) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics* metrics_;
  const bool log_principal_;
};

// The gRPC code name as go-grpc-prometheus prints it ("OK", "NotFound", ...).
const char* GrpcCodeName(int code);
// The gRPC code name as the gRPC spec writes it ("OK", "NOT_FOUND", ...;
// "UNKNOWN" when out of range): audit outcomes, client-side series, benches.
const char* GrpcStatusName(int code);

// A new random request id (hex).
std::string NewRequestId();

}  // namespace helhed::observability

#endif  // HELHED_COMMON_OBSERVABILITY_GRPC_METRICS_H_
