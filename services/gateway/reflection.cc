#include "services/gateway/reflection.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/support/server_callback.h"

namespace helhed::gateway {
namespace {

using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;

constexpr char kV1[] = "grpc.reflection.v1.ServerReflection";
constexpr char kV1Alpha[] = "grpc.reflection.v1alpha.ServerReflection";
constexpr char kHealth[] = "grpc.health.v1.Health";

// One ServerReflectionInfo stream: each request read is answered in turn.
class ReflectionReactor final
    : public grpc::ServerBidiReactor<ServerReflectionRequest, ServerReflectionResponse> {
 public:
  explicit ReflectionReactor(const Reflection* reflection) : reflection_(reflection) {
    StartRead(&request_);
  }
  void OnReadDone(bool ok) override {
    if (!ok) {  // the client is done
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    reflection_->Answer(request_, &response_);
    StartWrite(&response_);
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed"));
      return;
    }
    StartRead(&request_);
  }
  void OnDone() override { delete this; }

 private:
  const Reflection* reflection_;
  ServerReflectionRequest request_;
  ServerReflectionResponse response_;
};

class V1Service final : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  explicit V1Service(const Reflection* reflection) : reflection_(reflection) {}
  grpc::ServerBidiReactor<ServerReflectionRequest, ServerReflectionResponse>* ServerReflectionInfo(
      grpc::CallbackServerContext*) override {
    return new ReflectionReactor(reflection_);
  }

 private:
  const Reflection* reflection_;
};

// grpc.reflection.v1alpha: the same messages on the wire as v1 (v1 is its
// copy under a new package), so the v1 types serve it too.
class V1AlphaService final : public grpc::Service {
 public:
  explicit V1AlphaService(const Reflection* reflection) {
    AddMethod(new grpc::internal::RpcServiceMethod(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        grpc::internal::RpcMethod::BIDI_STREAMING, nullptr));
    MarkMethodCallback(
        0,
        new grpc::internal::CallbackBidiHandler<ServerReflectionRequest, ServerReflectionResponse>(
            [reflection](grpc::CallbackServerContext*) {
              return new ReflectionReactor(reflection);
            }));
  }
};

void SetError(grpc::StatusCode code, const std::string& message,
              ServerReflectionResponse* response) {
  response->mutable_error_response()->set_error_code(code);
  response->mutable_error_response()->set_error_message(message);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Reflection>> Reflection::Create(
    const std::vector<std::string>& services) {
  // Links grpc.health.v1 (and its descriptors) into the gateway.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  std::unique_ptr<Reflection> r(new Reflection());
  r->pool_ = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> names(services.begin(), services.end());
  names.insert({kHealth, kV1, kV1Alpha});
  std::function<void(const google::protobuf::FileDescriptor*)> add =
      [&](const google::protobuf::FileDescriptor* f) {
        if (!r->files_.insert(f->name()).second) return;
        for (int i = 0; i < f->dependency_count(); ++i) add(f->dependency(i));
      };
  for (const std::string& name : names) {
    const auto* service = r->pool_->FindServiceByName(name);
    if (service == nullptr) {
      return absl::NotFoundError(absl::StrCat("reflection: no descriptor for service ", name));
    }
    add(service->file());
    r->services_.push_back(name);
  }
  // The error details answers carry (grpc-status-details-bin: google.rpc.Status
  // with google.rpc.BadRequest), so that clients can print them.
  for (const char* detail : {"google.rpc.Status", "google.rpc.BadRequest"}) {
    if (const auto* type = r->pool_->FindMessageTypeByName(detail); type != nullptr) {
      add(type->file());
    }
  }
  return r;
}

std::vector<server::RegisteredService> Reflection::Services() const {
  std::vector<server::RegisteredService> out;
  out.push_back({kV1, std::make_unique<V1Service>(this)});
  out.push_back({kV1Alpha, std::make_unique<V1AlphaService>(this)});
  return out;
}

// `f` when it is one of the files the listed services need, else null.
const google::protobuf::FileDescriptor* Reflection::Known(
    const google::protobuf::FileDescriptor* f) const {
  return f != nullptr && files_.count(f->name()) > 0 ? f : nullptr;
}

// The file first, then what it imports (each once), as the clients expect.
void Reflection::AddFiles(const google::protobuf::FileDescriptor* file,
                          ServerReflectionResponse* response) const {
  std::set<std::string> sent;
  std::function<void(const google::protobuf::FileDescriptor*)> add =
      [&](const google::protobuf::FileDescriptor* f) {
        if (!sent.insert(f->name()).second) return;
        google::protobuf::FileDescriptorProto proto;
        f->CopyTo(&proto);
        proto.SerializeToString(
            response->mutable_file_descriptor_response()->add_file_descriptor_proto());
        for (int i = 0; i < f->dependency_count(); ++i) add(f->dependency(i));
      };
  add(file);
}

void Reflection::Answer(const ServerReflectionRequest& request,
                        ServerReflectionResponse* response) const {
  response->set_valid_host(request.host());
  *response->mutable_original_request() = request;
  switch (request.message_request_case()) {
    case ServerReflectionRequest::kListServices:
      for (const std::string& name : services_) {
        response->mutable_list_services_response()->add_service()->set_name(name);
      }
      return;
    case ServerReflectionRequest::kFileByFilename: {
      const auto* f = Known(pool_->FindFileByName(request.file_by_filename()));
      if (f == nullptr) {
        SetError(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("file_by_filename: no file ", request.file_by_filename()), response);
        return;
      }
      AddFiles(f, response);
      return;
    }
    case ServerReflectionRequest::kFileContainingSymbol: {
      const auto* f = Known(pool_->FindFileContainingSymbol(request.file_containing_symbol()));
      if (f == nullptr) {
        SetError(
            grpc::StatusCode::NOT_FOUND,
            absl::StrCat("file_containing_symbol: no symbol ", request.file_containing_symbol()),
            response);
        return;
      }
      AddFiles(f, response);
      return;
    }
    case ServerReflectionRequest::kFileContainingExtension: {
      const auto& ext = request.file_containing_extension();
      const auto* type = pool_->FindMessageTypeByName(ext.containing_type());
      const auto* field = type == nullptr || Known(type->file()) == nullptr
                              ? nullptr
                              : pool_->FindExtensionByNumber(type, ext.extension_number());
      if (field == nullptr || Known(field->file()) == nullptr) {
        SetError(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("file_containing_extension: no extension ", ext.extension_number(),
                              " of ", ext.containing_type()),
                 response);
        return;
      }
      AddFiles(field->file(), response);
      return;
    }
    case ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const std::string& name = request.all_extension_numbers_of_type();
      const auto* type = pool_->FindMessageTypeByName(name);
      if (type == nullptr || Known(type->file()) == nullptr) {
        SetError(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("all_extension_numbers_of_type: no message type ", name), response);
        return;
      }
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool_->FindAllExtensions(type, &extensions);
      auto* out = response->mutable_all_extension_numbers_response();
      out->set_base_type_name(name);
      for (const auto* e : extensions) {
        if (Known(e->file()) != nullptr) out->add_extension_number(e->number());
      }
      return;
    }
    case ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
      break;
  }
  SetError(grpc::StatusCode::INVALID_ARGUMENT,
           "message_request: none of list_services, file_by_filename, file_containing_symbol,"
           " file_containing_extension, all_extension_numbers_of_type is set",
           response);
}

}  // namespace helhed::gateway
