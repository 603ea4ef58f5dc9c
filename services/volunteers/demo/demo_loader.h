// Generates and loads volunteer demo data through the service's own API:
// organisations of the kinds the plans name, generated volunteers and
// activities around the municipality, and a handful of open accompaniment
// requests. Deterministic for a seed; every create carries a request id
// derived from its place, so loading twice creates nothing new.
#ifndef HELHED_SERVICES_VOLUNTEERS_DEMO_DEMO_LOADER_H_
#define HELHED_SERVICES_VOLUNTEERS_DEMO_DEMO_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace helhed::volunteers::demo {

struct DemoOptions {
  std::string municipality = "730";
  int volunteers = 40;
  int activities = 12;
  int requests = 6;
  unsigned seed = 730;
};

struct DemoIds {
  std::vector<std::string> organisations;
  std::vector<std::string> volunteers;
  std::vector<std::string> activities;
  std::vector<std::string> requests;
};

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options);

}  // namespace helhed::volunteers::demo

#endif  // HELHED_SERVICES_VOLUNTEERS_DEMO_DEMO_LOADER_H_
