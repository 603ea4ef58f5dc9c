// Generates and loads housing demo data through the service's own API:
// units of every type (public referral, Housing First, skæve boliger, shared
// living, §107, §108, §110), applicants in every situation, shelter and
// temporary stays (some long), offers in each state, and in 730 the
// whole-picture citizens' applications. Deterministic for a seed; every
// create carries a request id derived from its place, so loading twice
// creates nothing new.
#ifndef HELHED_SERVICES_HOUSING_DEMO_DEMO_LOADER_H_
#define HELHED_SERVICES_HOUSING_DEMO_DEMO_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace helhed::housing::demo {

struct DemoOptions {
  std::string municipality = "730";
  int units_per_type = 3;
  int applications = 32;
  unsigned seed = 5;
};

struct DemoIds {
  std::vector<std::string> units;
  std::vector<std::string> applications;
  std::vector<std::string> tenancies;
  std::vector<std::string> offers;
  // The applications of the whole-picture citizens (demo-730-w1 ... w4, in
  // 730 only); the first lives in a §110 shelter place meanwhile.
  std::vector<std::string> whole_picture;
};

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options);

}  // namespace helhed::housing::demo

#endif  // HELHED_SERVICES_HOUSING_DEMO_DEMO_LOADER_H_
