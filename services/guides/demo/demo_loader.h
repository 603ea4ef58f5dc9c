// Generates and loads borgerguide demo data through the service's own API:
// guides with the experience mix the plans describe (autism, brain injury,
// mental illness, addiction recovery, homelessness, relatives ...) and open
// requests. Deterministic for a seed; every create carries a request id
// derived from its place, so loading twice creates nothing new.
#ifndef HELHED_SERVICES_GUIDES_DEMO_DEMO_LOADER_H_
#define HELHED_SERVICES_GUIDES_DEMO_DEMO_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace helhed::guides::demo {

struct DemoOptions {
  std::string municipality = "730";
  int guides = 30;
  int requests = 12;
  unsigned seed = 18;
};

struct DemoIds {
  std::vector<std::string> guides;
  std::vector<std::string> requests;
};

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options);

}  // namespace helhed::guides::demo

#endif  // HELHED_SERVICES_GUIDES_DEMO_DEMO_LOADER_H_
