// Generates and loads volunteer demo data through the service's own API:
// organisations of the kinds the plans name, generated volunteers and
// activities around the municipality, a handful of open accompaniment
// requests, and in 730 the whole-picture citizens' accompaniments to an
// activity, matched with a volunteer. Deterministic for a seed; every create
// carries a request id derived from its place, so loading twice creates
// nothing new.
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
  // The accompaniment requests of the whole-picture citizens (demo-730-w1
  // ... w4, in 730 only), each matched with a volunteer for a demo activity.
  std::vector<std::string> whole_picture;
};

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options);

}  // namespace helhed::volunteers::demo

#endif  // HELHED_SERVICES_VOLUNTEERS_DEMO_DEMO_LOADER_H_
