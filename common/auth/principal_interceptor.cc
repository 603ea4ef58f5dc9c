#include "common/auth/principal_interceptor.h"

#include <iterator>
#include <map>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"

namespace helhed::auth {
namespace {

class PrincipalInterceptor final : public grpc::experimental::Interceptor {
 public:
  PrincipalInterceptor(grpc::experimental::ServerRpcInfo* info, const std::string* audience,
                       const PrincipalKey* key, const Policy* policy)
      : info_(info), audience_(audience), key_(key), policy_(policy) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* md = methods->GetRecvInitialMetadata();
      // Only this interceptor speaks here: whatever a client sent goes.
      md->erase(grpc::string_ref(kPrincipalVerdictKey));
      const char* method = info_->method();
      if (method != nullptr && !IsOpenMethod(method)) {
        verdict_ = Judge(*md, method);
        md->emplace(grpc::string_ref(kPrincipalVerdictKey), grpc::string_ref(verdict_));
      }
    }
    methods->Proceed();
  }

 private:
  std::string Judge(const std::multimap<grpc::string_ref, grpc::string_ref>& md,
                    const std::string& method) const {
    const auto range = md.equal_range(grpc::string_ref(kPrincipalMetadataKey));
    if (range.first == range.second) {
      return MakeVerdict(
          TextError(absl::StatusCode::kUnauthenticated, i18n::Later("common.auth.no_principal")),
          nullptr);
    }
    if (std::next(range.first) != range.second) {
      return MakeVerdict(TextError(absl::StatusCode::kUnauthenticated,
                                   i18n::Later("common.auth.several_principals")),
                         nullptr);
    }
    const grpc::string_ref& token = range.first->second;
    auto principal =
        key_->Verify(absl::string_view(token.data(), token.size()), *audience_, absl::Now());
    if (!principal.ok()) {
      return MakeVerdict(principal.status(), nullptr);
    }
    if (!policy_->Allows(method, *principal)) {
      return MakeVerdict(
          TextError(absl::StatusCode::kPermissionDenied, i18n::Later("common.auth.roles_deny")),
          &*principal);
    }
    return MakeVerdict(absl::OkStatus(), &*principal);
  }

  grpc::experimental::ServerRpcInfo* info_;
  const std::string* audience_;
  const PrincipalKey* key_;
  const Policy* policy_;
  std::string verdict_;  // the metadata entry points here for the call's life
};

}  // namespace

bool IsOpenMethod(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.health.v1.Health/") ||
         absl::StartsWith(method, "/grpc.reflection.v1alpha.ServerReflection/") ||
         absl::StartsWith(method, "/grpc.reflection.v1.ServerReflection/");
}

grpc::experimental::Interceptor* PrincipalInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new PrincipalInterceptor(info, &audience_, key_, policy_);
}

}  // namespace helhed::auth
