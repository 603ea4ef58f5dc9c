#include "services/gateway/backends.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/observability/grpc_metrics.h"
#include "common/observability/log.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace helhed::gateway {
namespace {

const std::map<std::string, std::vector<std::string>>& KnownBackends() {
  static const auto* known = new std::map<std::string, std::vector<std::string>>{
      {"plans", {"helhed.plans.v1.PlansService", "helhed.plans.v1.CitizenPlansService"}},
      {"volunteers", {"helhed.volunteers.v1.VolunteersService"}},
      {"guides", {"helhed.guides.v1.GuidesService"}},
      {"housing", {"helhed.housing.v1.HousingService"}},
  };
  return *known;
}

// Whether a method of a routed service only reads (by the naming rule of
// the services' protos): such calls may run twice, so one that failed
// UNAVAILABLE is tried once more, on another replica.
bool IsIdempotentRead(const std::string& method) {
  for (const char* prefix : {"Get", "List", "Rank", "Count"}) {
    if (absl::StartsWith(method, prefix)) return true;
  }
  return false;
}

}  // namespace

std::string BackendServiceConfig(const std::vector<std::string>& services) {
  std::vector<std::string> names;
  for (const auto& service : services) {
    const auto* desc =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    if (desc == nullptr) continue;
    for (int i = 0; i < desc->method_count(); ++i) {
      if (IsIdempotentRead(desc->method(i)->name())) {
        names.push_back(absl::StrCat(R"({"service":")", service, R"(","method":")",
                                     desc->method(i)->name(), R"("})"));
      }
    }
  }
  std::string config = R"({"loadBalancingConfig":[{"round_robin":{}}])";
  if (!names.empty()) {
    absl::StrAppend(&config, R"(,"methodConfig":[{"name":[)", absl::StrJoin(names, ","),
                    R"(],"retryPolicy":{"maxAttempts":2,"initialBackoff":"0.02s",)",
                    R"("maxBackoff":"0.2s","backoffMultiplier":2,)",
                    R"("retryableStatusCodes":["UNAVAILABLE"]}}])");
  }
  absl::StrAppend(&config, "}");
  return config;
}

namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Backends>> Backends::Create(
    const std::string& spec, const BackendTls& tls, prometheus::Registry& registry,
    std::shared_ptr<const auth::PrincipalKey> principal_key, absl::Duration principal_ttl) {
  std::shared_ptr<grpc::ChannelCredentials> creds = grpc::InsecureChannelCredentials();
  if (!tls.ca_file.empty()) {
    grpc::SslCredentialsOptions o;
    auto ca = ReadFile(tls.ca_file);
    if (!ca.ok()) return ca.status();
    o.pem_root_certs = *ca;
    if (!tls.cert_file.empty()) {
      auto cert = ReadFile(tls.cert_file);
      if (!cert.ok()) return cert.status();
      auto key = ReadFile(tls.key_file);
      if (!key.ok()) return key.status();
      o.pem_cert_chain = *cert;
      o.pem_private_key = *key;
    }
    creds = grpc::SslCredentials(o);
  }
  auto& calls = prometheus::BuildCounter()
                    .Name("helhed_gateway_backend_calls_total")
                    .Help("Calls the gateway made to a backend, by backend and gRPC code.")
                    .Register(registry);
  auto& latency = prometheus::BuildHistogram()
                      .Name("helhed_gateway_backend_call_seconds")
                      .Help("Latency of the gateway's calls to a backend.")
                      .Register(registry);
  // Entries are name=target; a piece without "=" continues the target
  // before it (gRPC's "ipv4:10.0.0.1:50061,10.0.0.2:50061" address lists).
  std::vector<std::pair<std::string, std::string>> entries;
  for (absl::string_view piece : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!absl::StrContains(piece, '=') && !entries.empty()) {
      absl::StrAppend(&entries.back().second, ",", piece);
      continue;
    }
    std::pair<std::string, std::string> kv = absl::StrSplit(piece, absl::MaxSplits('=', 1));
    if (KnownBackends().count(kv.first) == 0 || kv.second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("backends: \"", piece,
                       "\" is not name=target (host:port, dns:///host:port,"
                       " ipv4:host:port,host:port) with a name of plans, volunteers,"
                       " guides, housing"));
    }
    entries.push_back(std::move(kv));
  }
  auto out = std::unique_ptr<Backends>(new Backends());
  for (const auto& kv : entries) {
    auto known = KnownBackends().find(kv.first);
    auto b = std::make_unique<Backend>();
    b->name = kv.first;
    b->address = kv.second;
    b->services = known->second;
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    // Reconnect soon after a backend comes back.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    args.SetMaxReceiveMessageSize(4 * 1024 * 1024);
    // Every address the target resolves to (all pods behind a headless
    // Service with dns:///), calls spread over them; idempotent reads that
    // fail UNAVAILABLE are tried once more, on the next replica.
    args.SetLoadBalancingPolicyName("round_robin");
    args.SetServiceConfigJSON(BackendServiceConfig(b->services));
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> signers;
    if (principal_key != nullptr) {
      signers.push_back(auth::NewPrincipalSigner(principal_key, b->name, principal_ttl));
    }
    b->channel = grpc::experimental::CreateCustomChannelWithInterceptors(b->address, creds, args,
                                                                         std::move(signers));
    b->stub = std::make_unique<grpc::GenericStub>(b->channel);
    for (int code = 0; code <= 16; ++code) {
      b->calls[code] =
          &calls.Add({{"backend", b->name}, {"code", observability::GrpcStatusName(code)}});
    }
    b->latency = &latency.Add({{"backend", b->name}}, prometheus::Histogram::BucketBoundaries{
                                                          0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
    for (const auto& s : b->services) {
      if (out->by_service_.count(s)) {
        return absl::InvalidArgumentError(absl::StrCat("backends: ", kv.first, " given twice"));
      }
      out->by_service_[s] = b.get();
    }
    b->channel->GetState(/*try_to_connect=*/true);
    out->backends_.push_back(std::move(b));
  }
  return out;
}

Backends::~Backends() { StopProbing(); }

Backend* Backends::Find(const std::string& service) const {
  auto it = by_service_.find(service);
  return it == by_service_.end() ? nullptr : it->second;
}

std::vector<std::string> Backends::Services() const {
  std::vector<std::string> out;
  for (const auto& [s, b] : by_service_) out.push_back(s);
  return out;
}

void Backends::Record(Backend& b, int code, double seconds) {
  b.calls[code >= 0 && code <= 16 ? code : 2]->Increment();  // 2: UNKNOWN
  b.latency->Observe(seconds);
}

void Backends::StartProbing(grpc::HealthCheckServiceInterface* health, absl::Duration every) {
  probe_ = std::make_unique<server::Periodic>(every, [this, health] {
    for (const auto& b : backends_) {
      auto stub = grpc::health::v1::Health::NewStub(b->channel);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(800));
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      const grpc::Status s = stub->Check(&ctx, req, &resp);
      const bool serving =
          s.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
      for (const auto& name : b->services) {
        health->SetServingStatus(name, serving);
      }
    }
  });
}

void Backends::StopProbing() {
  if (probe_) probe_->Stop();
}

}  // namespace helhed::gateway
