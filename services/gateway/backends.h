// The services behind the gateway: one long-lived channel per backend (with
// keepalive, optionally mutual TLS), routed by full service name, with a
// health probe that reports each backend's state under its service names
// in the gateway's own health service. Thread-safe after construction.
#ifndef HELHED_SERVICES_GATEWAY_BACKENDS_H_
#define HELHED_SERVICES_GATEWAY_BACKENDS_H_

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/principal_token.h"
#include "common/server/periodic.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/health_check_service_interface.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace helhed::gateway {

struct BackendTls {
  std::string ca_file;    // verifies the backends' certificates; empty: plaintext
  std::string cert_file;  // the gateway's client certificate (mutual TLS)
  std::string key_file;
};

struct Backend {
  std::string name;                   // "plans"
  std::string address;                // "127.0.0.1:50061"
  std::vector<std::string> services;  // full service names it serves
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::GenericStub> stub;
  // Client series: calls by code, latency.
  std::array<prometheus::Counter*, 17> calls{};  // by gRPC code
  prometheus::Histogram* latency = nullptr;
};

// The gRPC service config of the channel to a backend serving `services`
// (full names): round_robin, and for the methods named Get*, List*, Rank*,
// Count* (reads; the generated descriptors tell the names) one retry on
// UNAVAILABLE. Writes are never retried.
std::string BackendServiceConfig(const std::vector<std::string>& services);

class Backends {
 public:
  // `spec`: "plans=127.0.0.1:50061,volunteers=...,guides=...,housing=..."
  // (any subset). Names: plans (PlansService, CitizenPlansService),
  // volunteers, guides, housing. INVALID_ARGUMENT naming the bad entry.
  // A target is any gRPC target: "dns:///helhed-plans-headless:50061"
  // (every address the name resolves to, re-resolved when connections
  // break) or "ipv4:127.0.0.1:1,127.0.0.1:2" (its commas continue the
  // entry). Every channel balances round_robin over the target's addresses
  // and retries idempotent reads once (BackendServiceConfig).
  // With `principal_key`, every call on a backend's channel carries the
  // principal attached to it (auth::AttachPrincipal) signed for that backend
  // (audience: its name), living `principal_ttl` at most and never past the
  // call's deadline (common/auth/principal_token.h).
  static absl::StatusOr<std::unique_ptr<Backends>> Create(
      const std::string& spec, const BackendTls& tls, prometheus::Registry& registry,
      std::shared_ptr<const auth::PrincipalKey> principal_key = nullptr,
      absl::Duration principal_ttl = auth::kDefaultPrincipalTtl);
  ~Backends();

  // The backend serving `service` ("helhed.plans.v1.PlansService"), or null.
  Backend* Find(const std::string& service) const;
  const std::vector<std::unique_ptr<Backend>>& all() const { return backends_; }
  // Every full service name routed.
  std::vector<std::string> Services() const;

  // Counts one finished backend call.
  static void Record(Backend& b, int code, double seconds);

  // Probes every backend's health every `every` and reports it in `health`
  // under each of its service names. Stop() before `health` goes away.
  void StartProbing(grpc::HealthCheckServiceInterface* health, absl::Duration every);
  void StopProbing();

 private:
  std::vector<std::unique_ptr<Backend>> backends_;
  std::map<std::string, Backend*> by_service_;
  std::unique_ptr<server::Periodic> probe_;
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_BACKENDS_H_
