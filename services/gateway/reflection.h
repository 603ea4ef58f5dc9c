// Server reflection for the one door: grpc.reflection.v1alpha and
// grpc.reflection.v1 (the same answers on both) list every service the
// gateway answers (its own, those of the backends it routes to, health and
// reflection) and describe them, with their imports, from the descriptors
// linked into the gateway, so that grpcurl or `buf curl` need no schema file.
//
// Only schema, never data: nothing a caller sends reaches a backend or the
// audit store, so reflection is open without a token (like health). Only the
// files the listed services need (and the google.rpc error details their
// answers carry) are described. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_REFLECTION_H_
#define HELHED_SERVICES_GATEWAY_REFLECTION_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/service_host.h"
#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1/reflection.pb.h"

namespace helhed::gateway {

class Reflection {
 public:
  // `services`: full names ("helhed.plans.v1.PlansService"); NOT_FOUND naming
  // one the gateway's descriptor pool does not know. Health and reflection
  // are always listed.
  static absl::StatusOr<std::unique_ptr<Reflection>> Create(
      const std::vector<std::string>& services);

  // The reflection services (v1 and v1alpha) to register; they use this
  // object, which must outlive them.
  std::vector<server::RegisteredService> Services() const;

  // The answer to one request of the ServerReflectionInfo stream.
  void Answer(const grpc::reflection::v1::ServerReflectionRequest& request,
              grpc::reflection::v1::ServerReflectionResponse* response) const;

 private:
  Reflection() = default;
  const google::protobuf::FileDescriptor* Known(const google::protobuf::FileDescriptor* f) const;
  void AddFiles(const google::protobuf::FileDescriptor* file,
                grpc::reflection::v1::ServerReflectionResponse* response) const;

  const google::protobuf::DescriptorPool* pool_ = nullptr;
  std::vector<std::string> services_;  // sorted
  std::set<std::string> files_;        // the files they need, imports included
};

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_REFLECTION_H_
