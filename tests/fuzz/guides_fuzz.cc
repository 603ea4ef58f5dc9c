// libFuzzer target: arbitrary requests to every RPC of helhed-guides, through
// its real wiring on a temporary SQLite store with its demo data (see
// tests/fuzz/service_fuzz.h for the input format and what counts as a bug).
#include <cstddef>
#include <cstdint>
#include <functional>

#include "services/guides/demo/demo_loader.h"
#include "services/guides/wiring.h"
#include "tests/fuzz/service_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static helhed::guides::Wiring wiring;
  helhed::fuzz::Target target;
  target.service = "guides";
  target.migrations = &helhed::store::GuidesMigrations();
  target.wiring = std::ref(wiring);
  target.load_demo = [](const std::shared_ptr<grpc::Channel>& channel) -> absl::Status {
    return helhed::guides::demo::LoadDemo(channel, helhed::guides::demo::DemoOptions()).status();
  };
  return helhed::fuzz::Initialize(std::move(target));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return helhed::fuzz::RunOne(data, size);
}
