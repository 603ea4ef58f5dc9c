#include "common/audit/attribution.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit/citizen_fields.h"
#include "common/auth/principal.h"
#include "common/observability/log.h"
#include "common/status/status_macros.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/interceptor.h"

namespace helhed::audit {
namespace {

namespace pb = google::protobuf;
using grpc::experimental::InterceptionHookPoints;

// The most ids one query binds; longer lists are split.
constexpr size_t kMaxIdsPerQuery = 200;

const pb::MethodDescriptor* FindMethod(const char* path) {
  if (path == nullptr || path[0] != '/') return nullptr;
  const std::string p(path + 1);
  const size_t slash = p.find('/');
  if (slash == std::string::npos) return nullptr;
  const auto* service = pb::DescriptorPool::generated_pool()->FindServiceByName(p.substr(0, slash));
  return service == nullptr ? nullptr : service->FindMethodByName(p.substr(slash + 1));
}

void Merge(std::map<std::string, std::vector<std::string>> from,
           std::map<std::string, std::vector<std::string>>& into) {
  for (auto& [kind, ids] : from) {
    auto& out = into[kind];
    out.insert(out.end(), std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
  }
}

class AttributionInterceptor final : public grpc::experimental::Interceptor {
 public:
  AttributionInterceptor(grpc::experimental::ServerRpcInfo* info,
                         const pb::MethodDescriptor* method, const CitizenResolver* resolver)
      : info_(info), method_(method), resolver_(resolver) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* m = methods->GetRecvMessage(); m != nullptr) {
        Merge(CitizenRecords(*static_cast<const pb::Message*>(m)), records_);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const void* m = methods->GetSendMessage(); m != nullptr) {
        Merge(CitizenRecords(*static_cast<const pb::Message*>(m)), records_);
      } else if (grpc::ByteBuffer* b = methods->GetSerializedSendMessage(); b != nullptr) {
        // Already serialized: read it back as the response type.
        std::unique_ptr<pb::Message> msg(
            pb::MessageFactory::generated_factory()->GetPrototype(method_->output_type())->New());
        grpc::Slice slice;
        if (b->TrySingleSlice(&slice).ok() &&
            msg->ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
          Merge(CitizenRecords(*msg), records_);
        } else if (grpc::ByteBuffer copy(*b);
                   copy.DumpToSingleSlice(&slice).ok() &&
                   msg->ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
          Merge(CitizenRecords(*msg), records_);
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Attribute(methods);
    }
    methods->Proceed();
  }

 private:
  void Attribute(grpc::experimental::InterceptorBatchMethods* methods) {
    std::vector<std::string> citizens;
    if (!records_.empty()) {
      // Only a caller the service accepted can have been shown anything.
      absl::StatusOr<auth::Principal> who = auth::PrincipalFromContext(*info_->server_context());
      if (who.ok()) {
        absl::StatusOr<std::vector<std::string>> resolved =
            resolver_->Resolve(who->municipality_code(), records_);
        if (!resolved.ok()) {
          // No citizen, no audit, no answer.
          log::Error("citizen attribution failed; call refused",
                     log::Fields()
                         .Str("method", info_->method())
                         .Str("error", resolved.status().ToString()));
          methods->ModifySendStatus(
              grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "whose data this is cannot be determined now; try again later"));
          return;
        }
        citizens = std::move(*resolved);
      }
    }
    std::multimap<std::string, std::string>* trailers = methods->GetSendTrailingMetadata();
    if (trailers != nullptr) {
      trailers->emplace(kCitizensTrailer, citizens.empty() ? "-" : absl::StrJoin(citizens, ","));
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
  const pb::MethodDescriptor* method_;
  const CitizenResolver* resolver_;
  std::map<std::string, std::vector<std::string>> records_;
};

}  // namespace

void CitizenResolver::Add(const std::string& kind, std::string select) {
  selects_[kind] = std::move(select);
}

absl::StatusOr<std::vector<std::string>> CitizenResolver::Resolve(
    const std::string& muni, const std::map<std::string, std::vector<std::string>>& records) const {
  std::vector<std::string> out;
  for (const auto& [kind, ids] : records) {
    if (selects_.find(kind) == selects_.end()) {
      return absl::InternalError(absl::StrCat("no resolver for citizen record kind ", kind));
    }
  }
  absl::Status s = db_->Run([&](store::Connection& c) -> absl::Status {
    for (const auto& [kind, ids] : records) {
      const std::string& select = selects_.at(kind);
      for (size_t from = 0; from < ids.size(); from += kMaxIdsPerQuery) {
        const size_t n = std::min(kMaxIdsPerQuery, ids.size() - from);
        std::string sql = absl::StrCat(select, " (");
        store::Params params = {muni};
        for (size_t i = 0; i < n; ++i) {
          absl::StrAppend(&sql, i == 0 ? "?" : ", ?");
          params.emplace_back(ids[from + i]);
        }
        sql += ")";
        HELHED_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
        for (const auto& row : rows) {
          std::string citizen = row.Str(0);
          if (!citizen.empty()) out.push_back(std::move(citizen));
        }
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> CitizenResolver::Missing(
    const std::vector<const pb::ServiceDescriptor*>& services) const {
  std::set<std::string> missing;
  for (const pb::ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const pb::MethodDescriptor* m = service->method(i);
      for (const pb::Descriptor* type : {m->input_type(), m->output_type()}) {
        for (const std::string& kind : RecordKinds(type)) {
          if (selects_.find(kind) == selects_.end()) missing.insert(kind);
        }
      }
    }
  }
  return std::vector<std::string>(missing.begin(), missing.end());
}

grpc::experimental::Interceptor* AttributionInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const pb::MethodDescriptor* method = FindMethod(info->method());
  if (method == nullptr || !(MayNameCitizenRecords(method->input_type()) ||
                             MayNameCitizenRecords(method->output_type()))) {
    return nullptr;
  }
  return new AttributionInterceptor(info, method, resolver_);
}

}  // namespace helhed::audit
