// The language a gRPC caller asked for (common/i18n/language.h).
#ifndef HELHED_COMMON_I18N_CALL_LANGUAGE_H_
#define HELHED_COMMON_I18N_CALL_LANGUAGE_H_

#include "absl/strings/string_view.h"
#include "common/i18n/language.h"
#include "grpcpp/server_context.h"

namespace helhed::i18n {

// From the "accept-language" request metadata; Danish when absent.
inline Language LanguageOf(const grpc::ServerContextBase& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find(kLanguageHeader);
  if (it == md.end()) return Language::kDanish;
  return ParseAcceptLanguage(absl::string_view(it->second.data(), it->second.size()));
}

}  // namespace helhed::i18n

#endif  // HELHED_COMMON_I18N_CALL_LANGUAGE_H_
