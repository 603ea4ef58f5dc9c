// Loads the demo data set through the plans service's own gRPC API. Every
// create carries a request id derived from the item's place in the data set,
// so loading twice creates nothing new.
#ifndef HELHED_SERVICES_PLANS_DEMO_DEMO_LOADER_H_
#define HELHED_SERVICES_PLANS_DEMO_DEMO_LOADER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "demo_dataset.pb.h"
#include "grpcpp/channel.h"

namespace helhed::plans::demo {

struct LoadResult {
  // Counts by kind ("policies", "plans", ...).
  std::map<std::string, int> created;
  // Ids of what was created, by data-set key ("730/policy/0", area keys, ...).
  std::map<std::string, std::string> ids;
};

absl::StatusOr<DemoDataset> ReadDataset(const std::string& path);

absl::StatusOr<LoadResult> LoadDataset(const DemoDataset& data,
                                       const std::shared_ptr<grpc::Channel>& channel);

}  // namespace helhed::plans::demo

#endif  // HELHED_SERVICES_PLANS_DEMO_DEMO_LOADER_H_
