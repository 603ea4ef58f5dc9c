// The one place where absl::Status becomes grpc::Status and back.
#ifndef HELHED_COMMON_STATUS_GRPC_STATUS_H_
#define HELHED_COMMON_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "common/i18n/language.h"
#include "grpcpp/support/status.h"

namespace helhed {

// Maps the code and message; field violations in the payload become a
// google.rpc.Status with a BadRequest detail in the error details.
// INTERNAL and UNKNOWN messages are replaced by a generic text so that no
// store detail leaks to callers (the original is logged by the caller).
// Field violations made from catalogue texts are written in `language`
// (the caller's: i18n::LanguageOf(ctx)), the rest as they are.
grpc::Status ToGrpcStatus(const absl::Status& status,
                          i18n::Language language = i18n::Language::kDanish);

// The reverse, for clients: keeps BadRequest details as a payload.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace helhed

#endif  // HELHED_COMMON_STATUS_GRPC_STATUS_H_
