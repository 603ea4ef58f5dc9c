// libFuzzer target: arbitrary requests to every RPC of helhed-plans, through
// its real wiring on a temporary SQLite store with its demo data (see
// tests/fuzz/service_fuzz.h for the input format and what counts as a bug).
#include <cstddef>
#include <cstdint>
#include <functional>

#include "services/plans/demo/demo_loader.h"
#include "services/plans/wiring.h"
#include "tests/fuzz/service_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static helhed::plans::Wiring wiring;
  helhed::fuzz::Target target;
  target.service = "plans";
  target.migrations = &helhed::store::PlansMigrations();
  target.wiring = std::ref(wiring);
  target.load_demo = [](const std::shared_ptr<grpc::Channel>& channel) -> absl::Status {
    auto data = helhed::plans::demo::ReadDataset(std::string(HELHED_SOURCE_DIR) +
                                                 "/services/plans/demo/demo_data.textproto");
    if (!data.ok()) return data.status();
    return helhed::plans::demo::LoadDataset(*data, channel).status();
  };
  return helhed::fuzz::Initialize(std::move(target));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return helhed::fuzz::RunOne(data, size);
}
