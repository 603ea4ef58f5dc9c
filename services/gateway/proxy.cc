#include "services/gateway/proxy.h"

#include <algorithm>
#include <atomic>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/audit/attribution.h"
#include "common/audit/citizen_fields.h"
#include "common/auth/principal.h"
#include "common/i18n/call_language.h"
#include "common/i18n/catalogue.h"
#include "common/observability/grpc_metrics.h"
#include "common/observability/log.h"
#include "common/server/byte_buffer.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/status/validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/gateway/audit/wire_check.h"

namespace helhed::gateway {
namespace {

std::string Metadata(const grpc::GenericCallbackServerContext& ctx, const char* key) {
  const auto& md = ctx.client_metadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// "/helhed.plans.v1.PlansService/ListPlans" -> its descriptor, or null.
const google::protobuf::MethodDescriptor* FindMethod(const std::string& method) {
  if (method.size() < 4 || method[0] != '/') return nullptr;
  const size_t slash = method.find('/', 1);
  if (slash == std::string::npos) return nullptr;
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      method.substr(1, slash - 1));
  if (service == nullptr) return nullptr;
  return service->FindMethodByName(method.substr(slash + 1));
}

// The purpose a caller gives: "x-helhed-purpose-bin" (a binary header:
// any UTF-8, e.g. "opfølgning") or "x-helhed-purpose" (printable ASCII,
// percent-encoded UTF-8 allowed: "opf%C3%B8lgning"). INVALID_ARGUMENT naming
// the header when it is not UTF-8 or longer than kMaxPurpose characters:
// never silently cut.
constexpr long kMaxPurpose = 200;

absl::StatusOr<std::string> PurposeOf(const grpc::GenericCallbackServerContext& ctx) {
  std::string header = "x-helhed-purpose-bin";
  std::string value = Metadata(ctx, "x-helhed-purpose-bin");
  if (value.empty()) {
    header = "x-helhed-purpose";
    const std::string raw = Metadata(ctx, "x-helhed-purpose");
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size() && absl::ascii_isxdigit(raw[i + 1]) &&
          absl::ascii_isxdigit(raw[i + 2])) {
        value.push_back(static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        value.push_back(raw[i]);
      }
    }
  }
  const long length = Utf8Length(value);
  if (length < 0) {
    return InvalidField(header, i18n::Later("validation.header.not_utf8"));
  }
  if (length > kMaxPurpose) {
    return InvalidField(
        header, i18n::Later("validation.header.too_long", {{"max", absl::StrCat(kMaxPurpose)}}));
  }
  return value;
}

// What a caller may see of a backend's failure: transport errors name
// backend addresses, which stay inside.
grpc::Status ForCaller(const grpc::Status& s, i18n::Language language) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          i18n::Message(language, "gateway.error.unavailable"));
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
      return grpc::Status(s.error_code(), "internal error");
    default:
      return s;
  }
}

}  // namespace

// One call. Reads the single request, checks it, forwards it, audits, answers.
class ProxyReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyReactor(Proxy* proxy, grpc::GenericCallbackServerContext* ctx)
      : proxy_(proxy), ctx_(ctx), method_(ctx->method()) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          i18n::Message(i18n::LanguageOf(*ctx_), "gateway.error.no_request")));
      return;
    }
    Admit();
  }
  void OnWriteDone(bool) override {}
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (backend_started_) client_ctx_.TryCancel();
  }
  void OnDone() override { delete this; }

 private:
  void Admit() {
    // Who is calling.
    VerifyResult who = proxy_->verifier_->Verify(Metadata(*ctx_, "authorization"), absl::Now());
    if (!who.ok) {
      proxy_->auth_failures_.Add({{"reason", AuthFailureName(who.failure)}}).Increment();
      Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          i18n::Message(i18n::LanguageOf(*ctx_), "gateway.error.unauthenticated")));
      return;
    }
    info_.principal = std::move(who.principal);
    // The call log names the verified caller (never a citizen).
    ctx_->AddTrailingMetadata(
        observability::kLogCallerTrailer,
        absl::StrCat(info_.principal.subject(), " ", info_.principal.municipality_code()));
    if (!proxy_->limiter_->Allow(info_.principal.subject(), absl::Now())) {
      proxy_->rate_limited_.Increment();
      Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          i18n::Message(i18n::LanguageOf(*ctx_), "gateway.error.rate_limited")));
      return;
    }
    descriptor_ = FindMethod(method_);
    const bool local = proxy_->local_->Has(method_);
    Backend* backend = nullptr;
    if (descriptor_ != nullptr && !local) {
      backend = proxy_->backends_->Find(descriptor_->service()->full_name());
    }
    if (descriptor_ == nullptr || (!local && backend == nullptr)) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                          i18n::Message(i18n::LanguageOf(*ctx_), "gateway.error.no_such_method")));
      return;
    }
    absl::StatusOr<std::string> purpose = PurposeOf(*ctx_);
    if (!purpose.ok()) {
      Finish(ToGrpcStatus(purpose.status(), i18n::LanguageOf(*ctx_)));
      return;
    }
    info_.purpose = std::move(*purpose);
    info_.language = i18n::LanguageOf(*ctx_);
    if (!proxy_->policy_->Allows(method_, info_.principal)) {
      proxy_->denied_.Add({{"method", method_}}).Increment();
      // A refused attempt on a citizen's data is audited too.
      request_bytes_ = server::BytesOf(request_);
      proxy_->pool_->Submit([this] {
        Complete(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                              i18n::Message(info_.language, "gateway.error.roles_deny")),
                 std::string(), /*from_backend=*/false);
      });
      return;
    }
    // The deadline: the caller's, else the default, never past the maximum.
    const auto now = std::chrono::system_clock::now();
    const auto max = now + absl::ToChronoMilliseconds(proxy_->options_.max_deadline);
    auto deadline = ctx_->deadline();
    if (deadline == std::chrono::system_clock::time_point::max()) {
      deadline = now + absl::ToChronoMilliseconds(proxy_->options_.default_deadline);
    }
    info_.deadline = std::min(deadline, max);
    // A request the service could not parse (e.g. a string that is not
    // UTF-8) gets a clear error naming the field, here.
    request_bytes_ = server::BytesOf(request_);
    if (absl::Status wire = CheckWire(descriptor_->input_type(), request_bytes_); !wire.ok()) {
      Finish(ToGrpcStatus(wire, info_.language));
      return;
    }
    needs_audit_ = audit::ConcernsCitizens(descriptor_->input_type()) ||
                   audit::ConcernsCitizens(descriptor_->output_type());
    names_records_ = audit::MayNameCitizenRecords(descriptor_->input_type()) ||
                     audit::MayNameCitizenRecords(descriptor_->output_type());
    if (local) {
      proxy_->pool_->Submit([this] {
        if (ctx_->IsCancelled()) {
          Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller"));
          return;
        }
        std::string response;
        grpc::Status s = proxy_->local_->Call(method_, info_, request_bytes_, &response);
        Complete(s, std::move(response), /*from_backend=*/false);
      });
      return;
    }
    Forward(*backend);
  }

  void Forward(Backend& backend) {
    client_ctx_.set_deadline(info_.deadline);
    auth::AttachPrincipal(&client_ctx_, info_.principal);
    if (!info_.purpose.empty()) {
      client_ctx_.AddMetadata("x-helhed-purpose-bin", info_.purpose);
    }
    client_ctx_.AddMetadata(i18n::kLanguageHeader, std::string(i18n::Code(info_.language)));
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller"));
        return;
      }
      backend_started_ = true;
    }
    backend_ = &backend;
    started_ = absl::Now();
    backend.stub->UnaryCall(
        &client_ctx_, method_, grpc::StubOptions(), &request_, &response_, [this](grpc::Status s) {
          Backends::Record(*backend_, s.error_code(),
                           absl::ToDoubleSeconds(absl::Now() - started_));
          if (!needs_audit_) {
            // Nothing to audit: answer from here, no copy.
            if (s.ok()) {
              StartWriteAndFinish(&response_, grpc::WriteOptions(), s);
            } else {
              Finish(ForCaller(s, info_.language));
            }
            return;
          }
          // Auditing writes to the store: off the gRPC thread.
          proxy_->pool_->Submit([this, s] {
            std::string bytes = s.ok() ? server::BytesOf(response_) : std::string();
            Complete(ForCaller(s, info_.language), std::move(bytes), /*from_backend=*/true);
          });
        });
  }

  // Audits (when the call concerns citizens) and answers. `from_backend`:
  // the answer came from a service, whose trailers name the citizens of the
  // records the call touched (common/audit/attribution.h).
  void Complete(const grpc::Status& status, std::string response, bool from_backend) {
    std::vector<std::string> citizens;
    if (audit::MayCarryCitizenRefs(descriptor_->input_type())) {
      auto refs = audit::CitizenRefsOf(descriptor_->input_type(), request_bytes_);
      if (refs.ok()) citizens = *refs;
    }
    if (status.ok() && audit::MayCarryCitizenRefs(descriptor_->output_type())) {
      auto refs = audit::CitizenRefsOf(descriptor_->output_type(), response);
      if (refs.ok()) citizens.insert(citizens.end(), refs->begin(), refs->end());
    }
    if (from_backend && names_records_) {
      const auto& trailers = client_ctx_.GetServerTrailingMetadata();
      const auto it = trailers.find(audit::kCitizensTrailer);
      if (it == trailers.end()) {
        if (status.ok()) {
          // The service did not say whose records these are: no audit, no
          // answer.
          log::Error("backend answer without citizen attribution; call refused",
                     log::Fields().Str("method", method_));
          Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              i18n::Message(info_.language, "gateway.error.unavailable")));
          return;
        }
      } else {
        for (absl::string_view id :
             absl::StrSplit(absl::string_view(it->second.data(), it->second.size()), ',')) {
          if (id != "-") citizens.emplace_back(id);
        }
      }
    }
    // Only ids of the services' form: anything else names no citizen (and
    // the service refuses it), and must not bloat the trail.
    citizens.erase(std::remove_if(citizens.begin(), citizens.end(),
                                  [](const std::string& c) { return !IsCitizenId(c); }),
                   citizens.end());
    if (!citizens.empty()) {
      std::sort(citizens.begin(), citizens.end());
      citizens.erase(std::unique(citizens.begin(), citizens.end()), citizens.end());
      v1::AuditEvent event;
      *event.mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now()));
      event.set_subject(info_.principal.subject());
      event.set_organisation_unit(info_.principal.organisation_unit());
      event.set_municipality_code(info_.principal.municipality_code());
      *event.mutable_roles() = info_.principal.roles();
      event.set_method(method_);
      event.set_purpose(info_.purpose);
      event.set_outcome(observability::GrpcStatusName(status.error_code()));
      const absl::Time t0 = absl::Now();
      absl::Status written = proxy_->audit_->Record(event, citizens);
      proxy_->audit_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - t0));
      if (!written.ok()) {
        proxy_->audit_failures_.Increment();
        log::Error("audit write failed; call refused",
                   log::Fields().Str("method", method_).Str("error", written.ToString()));
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            i18n::Message(info_.language, "gateway.error.audit_unavailable")));
        return;
      }
    }
    if (!status.ok()) {
      Finish(status);
      return;
    }
    response_out_ = server::BufferOf(response);
    StartWriteAndFinish(&response_out_, grpc::WriteOptions(), grpc::Status::OK);
  }

  Proxy* proxy_;
  grpc::GenericCallbackServerContext* ctx_;
  const std::string method_;
  const google::protobuf::MethodDescriptor* descriptor_ = nullptr;
  bool needs_audit_ = true;
  bool names_records_ = false;
  CallInfo info_;
  grpc::ByteBuffer request_;
  std::string request_bytes_;
  grpc::ByteBuffer response_;
  grpc::ByteBuffer response_out_;
  grpc::ClientContext client_ctx_;
  Backend* backend_ = nullptr;
  absl::Time started_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool backend_started_ ABSL_GUARDED_BY(mu_) = false;
};

Proxy::Proxy(const JwtVerifier* verifier, RateLimiter* limiter, const Policy* policy,
             Backends* backends, LocalMethods* local, AuditStore* audit, server::WorkPool* pool,
             ProxyOptions options, prometheus::Registry& registry)
    : verifier_(verifier),
      limiter_(limiter),
      policy_(policy),
      backends_(backends),
      local_(local),
      audit_(audit),
      pool_(pool),
      options_(options),
      auth_failures_(prometheus::BuildCounter()
                         .Name("helhed_gateway_auth_failures_total")
                         .Help("Calls refused as UNAUTHENTICATED, by reason.")
                         .Register(registry)),
      denied_(prometheus::BuildCounter()
                  .Name("helhed_gateway_denied_total")
                  .Help("Calls refused by the policy (PERMISSION_DENIED), by method.")
                  .Register(registry)),
      rate_limited_(prometheus::BuildCounter()
                        .Name("helhed_gateway_rate_limited_total")
                        .Help("Calls refused by the per-subject rate limit.")
                        .Register(registry)
                        .Add({})),
      audit_seconds_(
          prometheus::BuildHistogram()
              .Name("helhed_gateway_audit_write_seconds")
              .Help("Time to write a call's audit events durably.")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                               0.025, 0.05, 0.1, 0.25, 0.5, 1})),
      audit_failures_(prometheus::BuildCounter()
                          .Name("helhed_gateway_audit_failures_total")
                          .Help("Calls refused because their audit events could not be written.")
                          .Register(registry)
                          .Add({})) {
  for (const char* r : {"missing", "malformed", "algorithm", "unknown_key", "signature", "expired",
                        "not_yet_valid", "issuer", "audience", "claims"}) {
    auth_failures_.Add({{"reason", r}});
  }
}

grpc::ServerGenericBidiReactor* Proxy::CreateReactor(grpc::GenericCallbackServerContext* ctx) {
  return new ProxyReactor(this, ctx);
}

}  // namespace helhed::gateway
