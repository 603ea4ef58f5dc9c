// Serving one unary call of the callback API: resolve the caller, run the
// handler body on the work pool (store calls block), map its status once
// (field violations in the caller's language: common/i18n/language.h).
// A handler that composes texts reads the language itself with
// i18n::LanguageOf(*ctx) before the lambda.
//
//   grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx,
//                                     const GetPlanRequest* req, GetPlanResponse* resp) override {
//     return server::ServeUnary(ctx, pool_, [=](const auth::Principal& p) {
//       return store_.GetPlan(p, *req, resp);   // absl::Status
//     });
//   }
#ifndef HELHED_COMMON_SERVER_UNARY_H_
#define HELHED_COMMON_SERVER_UNARY_H_

#include <utility>

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "common/i18n/call_language.h"
#include "common/observability/log.h"
#include "common/server/work_pool.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace helhed::server {

// Logs INTERNAL/UNKNOWN errors (their text never reaches the caller).
void LogInternalError(grpc::CallbackServerContext* ctx, const absl::Status& status);

template <typename Fn>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* ctx, WorkPool& pool, Fn fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Principal> principal = auth::PrincipalFromContext(*ctx);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status(), i18n::LanguageOf(*ctx)));
    return reactor;
  }
  const i18n::Language language = i18n::LanguageOf(*ctx);
  pool.Submit([ctx, reactor, language, fn = std::move(fn), p = std::move(*principal)]() mutable {
    if (ctx->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the caller"));
      return;
    }
    absl::Status status = fn(static_cast<const auth::Principal&>(p));
    if (status.code() == absl::StatusCode::kInternal ||
        status.code() == absl::StatusCode::kUnknown) {
      LogInternalError(ctx, status);
    }
    reactor->Finish(ToGrpcStatus(status, language));
  });
  return reactor;
}

// Like ServeUnary, but runs `fn` on the gRPC thread that delivered the call,
// saving the hand-off to the pool and back. Only for short reads that do not
// wait on locks (single-row gets): a slow `fn` here holds a gRPC thread.
template <typename Fn>
grpc::ServerUnaryReactor* ServeUnaryInline(grpc::CallbackServerContext* ctx, Fn fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Principal> principal = auth::PrincipalFromContext(*ctx);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status(), i18n::LanguageOf(*ctx)));
    return reactor;
  }
  absl::Status status = fn(static_cast<const auth::Principal&>(*principal));
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    LogInternalError(ctx, status);
  }
  reactor->Finish(ToGrpcStatus(status, i18n::LanguageOf(*ctx)));
  return reactor;
}

// A short read: inline when the store is local (`inline_ok`, e.g. an
// embedded SQLite file that cannot hang on a network), on the pool otherwise.
template <typename Fn>
grpc::ServerUnaryReactor* ServeRead(grpc::CallbackServerContext* ctx, WorkPool& pool,
                                    bool inline_ok, Fn fn) {
  if (inline_ok) {
    return ServeUnaryInline(ctx, std::move(fn));
  }
  return ServeUnary(ctx, pool, std::move(fn));
}

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_UNARY_H_
