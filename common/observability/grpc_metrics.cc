#include "common/observability/grpc_metrics.h"

#include <chrono>
#include <random>

#include "absl/strings/str_format.h"
#include "common/auth/principal.h"
#include "common/observability/log.h"
#include "google/protobuf/descriptor.h"

namespace helhed::observability {
namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* b = new prometheus::Histogram::BucketBoundaries{
      0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,   0.05,     0.1,     0.25,   0.5,     1,      2.5,   5,      10};
  return *b;
}

// The method's call type as its API declares it: a generic service (the
// gateway) sees every call as a bidi stream, the proto knows better.
const char* TypeName(grpc::experimental::ServerRpcInfo* info) {
  using T = grpc::experimental::ServerRpcInfo::Type;
  T t = info->type();
  if (t == T::BIDI_STREAMING && info->method() != nullptr && info->method()[0] == '/') {
    const std::string path(info->method() + 1);
    const size_t slash = path.find('/');
    const auto* service =
        slash == std::string::npos
            ? nullptr
            : google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
                  path.substr(0, slash));
    const auto* m =
        service == nullptr ? nullptr : service->FindMethodByName(path.substr(slash + 1));
    if (m != nullptr) {
      t = m->client_streaming() ? (m->server_streaming() ? T::BIDI_STREAMING : T::CLIENT_STREAMING)
                                : (m->server_streaming() ? T::SERVER_STREAMING : T::UNARY);
    }
  }
  switch (t) {
    case T::UNARY:
      return "unary";
    case T::CLIENT_STREAMING:
      return "client_stream";
    case T::SERVER_STREAMING:
      return "server_stream";
    case T::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(grpc::experimental::ServerRpcInfo* info, GrpcServerMetrics* metrics,
                     bool log_principal)
      : info_(info),
        metrics_(metrics),
        log_principal_(log_principal),
        method_(metrics->Lookup(info->method())),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      if (method_.started != nullptr) method_.started->Increment();
      auto* md = methods->GetRecvInitialMetadata();
      auto rid = md->find("x-request-id");
      if (rid != md->end() && rid->second.size() > 0 && rid->second.size() <= 128) {
        request_id_.assign(rid->second.data(), rid->second.size());
      } else {
        request_id_ = NewRequestId();
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (!request_id_.empty()) {
        methods->GetSendInitialMetadata()->emplace("x-request-id", request_id_);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::string caller;
      if (auto* trailers = methods->GetSendTrailingMetadata(); trailers != nullptr) {
        auto it = trailers->find(kLogCallerTrailer);
        if (it != trailers->end()) {
          caller = std::move(it->second);
          trailers->erase(it);
        }
      }
      const grpc::Status status = methods->GetSendStatus();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      const int code = static_cast<int>(status.error_code());
      metrics_->Handled(method_, code, elapsed.count());
      const log::Level level = code == grpc::StatusCode::INTERNAL ||
                                       code == grpc::StatusCode::UNKNOWN ||
                                       code == grpc::StatusCode::DATA_LOSS
                                   ? log::Level::kError
                                   : log::Level::kInfo;
      if (log::Enabled(level)) {
        std::string subject;
        std::string tenant;
        if (const size_t space = caller.rfind(' '); space != std::string::npos) {
          subject = caller.substr(0, space);
          tenant = caller.substr(space + 1);
        } else if (log_principal_ && info_->server_context() != nullptr) {
          // Only a verified principal (common/auth/principal_interceptor.h).
          auto principal = auth::PrincipalFromContext(*info_->server_context());
          if (principal.ok()) {
            subject = principal->subject();
            tenant = principal->municipality_code();
          }
        }
        log::Fields f;
        f.Str("request_id", request_id_)
            .Str("method", info_->method())
            .Str("type", TypeName(info_))
            .Str("code", GrpcCodeName(code))
            .Num("duration_ms", elapsed.count() * 1000.0)
            .Str("principal", subject)
            .Str("tenant", tenant);
        log::Write(level, "call", f);
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  GrpcServerMetrics* metrics_;
  const bool log_principal_;
  GrpcServerMetrics::Method& method_;
  std::chrono::steady_clock::time_point start_;
  std::string request_id_;
};

}  // namespace

const char* GrpcCodeName(int code) {
  static const char* const kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  if (code < 0 || code > 16) {
    return "Unknown";
  }
  return kNames[code];
}

const char* GrpcStatusName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "UNKNOWN";
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry, const std::string& service,
                                     const std::string& version,
                                     const std::vector<std::string>& methods)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(
          prometheus::BuildCounter()
              .Name("grpc_server_handled_total")
              .Help(
                  "Total number of RPCs completed on the server, regardless of success or failure.")
              .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Histogram of response latency (seconds) of gRPC that had been "
                         "application-level handled by the server.")
                   .Register(registry)),
      health_checks_(prometheus::BuildCounter()
                         .Name("helhed_grpc_health_checks_total")
                         .Help("Health checks (grpc.health.v1.Health) answered, by method and "
                               "code; not counted in grpc_server_*.")
                         .Register(registry)) {
  prometheus::BuildGauge()
      .Name("helhed_build_info")
      .Help("Always 1; labels tell which Helhed service and version runs.")
      .Register(registry)
      .Add({{"service", service}, {"version", version}})
      .Set(1);
  for (const auto& path : methods) {
    // "/pkg.Service/Method"
    const size_t slash = path.rfind('/');
    if (path.size() < 3 || path[0] != '/' || slash == 0 || slash == std::string::npos) {
      continue;
    }
    methods_[path] = Make(path.substr(1, slash - 1), path.substr(slash + 1));
  }
  unknown_ = Make("unknown", "unknown");
}

std::unique_ptr<GrpcServerMetrics::Method> GrpcServerMetrics::Make(const std::string& service,
                                                                   const std::string& method) {
  auto m = std::make_unique<Method>();
  m->service = service;
  m->method = method;
  if (service == "grpc.health.v1.Health") {
    m->health = true;
    return m;
  }
  const std::map<std::string, std::string> labels = {
      {"grpc_type", "unary"}, {"grpc_service", service}, {"grpc_method", method}};
  m->started = &started_.Add(labels);
  m->seconds = &seconds_.Add(labels, LatencyBuckets());
  return m;
}

GrpcServerMetrics::Method& GrpcServerMetrics::Lookup(const char* path) {
  if (path != nullptr) {
    auto it = methods_.find(path);
    if (it != methods_.end()) {
      return *it->second;
    }
  }
  return *unknown_;
}

void GrpcServerMetrics::Handled(Method& m, int code, double seconds) {
  if (code < 0 || code > 16) {
    code = 2;
  }
  prometheus::Counter* c = m.handled[code].load(std::memory_order_acquire);
  if (c == nullptr && m.health) {
    c = &health_checks_.Add({{"grpc_method", m.method}, {"grpc_code", GrpcCodeName(code)}});
    m.handled[code].store(c, std::memory_order_release);
  } else if (c == nullptr) {
    c = &handled_.Add({{"grpc_type", "unary"},
                       {"grpc_service", m.service},
                       {"grpc_method", m.method},
                       {"grpc_code", GrpcCodeName(code)}});
    m.handled[code].store(c, std::memory_order_release);
  }
  c->Increment();
  if (m.seconds != nullptr) m.seconds->Observe(seconds);
}

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsInterceptor(info, metrics_, log_principal_);
}

}  // namespace helhed::observability
