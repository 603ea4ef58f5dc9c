// libFuzzer target: arbitrary requests to every RPC of helhed-housing, through
// its real wiring on a temporary SQLite store with its demo data (see
// tests/fuzz/service_fuzz.h for the input format and what counts as a bug).
#include <cstddef>
#include <cstdint>
#include <functional>

#include "services/housing/demo/demo_loader.h"
#include "services/housing/wiring.h"
#include "tests/fuzz/service_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static helhed::housing::Wiring wiring;
  helhed::fuzz::Target target;
  target.service = "housing";
  target.migrations = &helhed::store::HousingMigrations();
  target.wiring = std::ref(wiring);
  target.load_demo = [](const std::shared_ptr<grpc::Channel>& channel) -> absl::Status {
    return helhed::housing::demo::LoadDemo(channel, helhed::housing::demo::DemoOptions()).status();
  };
  return helhed::fuzz::Initialize(std::move(target));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return helhed::fuzz::RunOne(data, size);
}
