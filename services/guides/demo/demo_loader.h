// Generates and loads borgerguide demo data through the service's own API:
// guides with the experience mix the plans describe (autism, brain injury,
// mental illness, addiction recovery, homelessness, relatives ...), open
// requests, and in 730 the whole-picture citizens' requests, each matched
// with a guide of like experience. Deterministic for a seed; every create
// carries a request id derived from its place, so loading twice creates
// nothing new.
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
  // The guidance requests of the whole-picture citizens (demo-730-w1 ...
  // w4, in 730 only), each matched with a guide of like experience.
  std::vector<std::string> whole_picture;
};

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options);

}  // namespace helhed::guides::demo

#endif  // HELHED_SERVICES_GUIDES_DEMO_DEMO_LOADER_H_
