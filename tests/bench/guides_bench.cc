// Benchmarks the guide service end to end over gRPC: RankGuides for one
// request among N guides (default 10,000), and AssignBatch (dry run) of R
// open requests to G guides (default 2,000 x 500). Prints figures; never
// fails on time.
//
//   build/tests/guides_bench [--guides=10000] [--batch-requests=2000]
//                            [--batch-guides=500] [--stores=sqlite,mysql]
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "services/guides/demo/demo_loader.h"
#include "tests/support/bench_stats.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace {

namespace v1 = ::helhed::guides::v1;

struct Options {
  int guides = 10000;
  int batch_requests = 2000;
  int batch_guides = 500;
  int rankings = 50;
  std::vector<std::string> stores = {"sqlite", "mysql"};
};

using helhed::testing::Percentile;

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return ctx;
}

std::unique_ptr<helhed::testing::ServiceProcess> Start(const std::string& store) {
  auto url = helhed::testing::NewStoreUrl(store == "sqlite" ? helhed::testing::Backend::kSqlite
                                                            : helhed::testing::Backend::kMysql);
  if (!url.ok()) return nullptr;
  auto p = helhed::testing::ServiceProcess::Start(HELHED_GUIDES_BINARY, *url);
  if (!p.ok()) {
    std::fprintf(stderr, "cannot start: %s\n", p.status().ToString().c_str());
    return nullptr;
  }
  return std::move(*p);
}

int RunStore(const std::string& store, const Options& o) {
  std::printf("\n=== store: %s ===\n", store.c_str());
  {
    auto service = Start(store);
    if (!service) return 1;
    helhed::guides::demo::DemoOptions d;
    d.guides = o.guides;
    d.requests = 5;
    const absl::Time t0 = absl::Now();
    auto ids = helhed::guides::demo::LoadDemo(service->NewChannel(), d);
    if (!ids.ok()) {
      std::fprintf(stderr, "load failed: %s\n", ids.status().ToString().c_str());
      return 1;
    }
    std::printf("loaded %d guides in %.1f s\n", o.guides, absl::ToDoubleSeconds(absl::Now() - t0));
    auto stub = v1::GuidesService::NewStub(service->NewChannel());
    std::vector<double> ms;
    int considered = 0;
    int errors = 0;
    for (int i = 0; i < o.rankings + 3; ++i) {
      v1::RankGuidesRequest req;
      req.set_guidance_request_id(ids->requests[i % 4]);  // the consenting ones
      v1::RankGuidesResponse resp;
      const absl::Time s = absl::Now();
      grpc::Status st = stub->RankGuides(Ctx().get(), req, &resp);
      const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - s);
      if (!st.ok()) {
        ++errors;
        continue;
      }
      considered = resp.considered();
      if (i >= 3) ms.push_back(elapsed);
    }
    std::printf(
        "RankGuides among %d guides: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %zu calls,"
        " %d errors\n",
        considered, Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), ms.size(),
        errors);
  }
  {
    auto service = Start(store);
    if (!service) return 1;
    helhed::guides::demo::DemoOptions d;
    d.guides = o.batch_guides;
    d.requests = o.batch_requests;
    auto ids = helhed::guides::demo::LoadDemo(service->NewChannel(), d);
    if (!ids.ok()) {
      std::fprintf(stderr, "load failed: %s\n", ids.status().ToString().c_str());
      return 1;
    }
    auto stub = v1::GuidesService::NewStub(service->NewChannel());
    v1::AssignBatchRequest req;
    req.set_dry_run(true);
    v1::AssignBatchResponse resp;
    const absl::Time s = absl::Now();
    grpc::Status st = stub->AssignBatch(Ctx().get(), req, &resp);
    const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - s);
    if (!st.ok()) {
      std::fprintf(stderr, "AssignBatch failed: %s\n", st.error_message().c_str());
      return 1;
    }
    const double compute =
        google::protobuf::util::TimeUtil::DurationToMilliseconds(resp.compute_time());
    std::printf(
        "AssignBatch (dry run) of %d requests to %d guides: %.0f ms end to end, %.0f ms in"
        " the min-cost flow; assigned %d (total score %.0f), greedy assigned %d (total"
        " %.0f), unassigned %d\n",
        o.batch_requests, o.batch_guides, elapsed, compute, resp.assignments_size(),
        resp.total_score(), resp.greedy_assigned(), resp.greedy_total_score(),
        resp.unassigned_guidance_request_ids_size());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string cmd = "build/tests/guides_bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    absl::StrAppend(&cmd, " ", a);
    auto num = [&](const char* flag, int* out) {
      return absl::StartsWith(a, flag) && absl::SimpleAtoi(a.substr(strlen(flag)), out);
    };
    if (num("--guides=", &o.guides) || num("--batch-requests=", &o.batch_requests) ||
        num("--batch-guides=", &o.batch_guides) || num("--rankings=", &o.rankings)) {
      continue;
    }
    if (absl::StartsWith(a, "--stores=")) {
      o.stores = absl::StrSplit(a.substr(9), ',', absl::SkipEmpty());
      continue;
    }
    std::fprintf(stderr,
                 "usage: %s [--guides=N] [--batch-requests=N] [--batch-guides=N] [--rankings=N]"
                 " [--stores=sqlite,mysql]\n",
                 argv[0]);
    return 2;
  }
  utsname u{};
  uname(&u);
  std::printf("guides_bench\ncommand: %s\nmachine: nproc %ld, kernel %s\n", cmd.c_str(),
              sysconf(_SC_NPROCESSORS_ONLN), u.release);
  for (const auto& s : o.stores) {
    if (s == "mysql" && std::getenv("HELHED_TEST_MYSQL_URL") == nullptr) {
      std::printf(
          "\n=== store: mysql: skipped (HELHED_TEST_MYSQL_URL not set; scripts/bench sets it)\n");
      continue;
    }
    if (int rc = RunStore(s, o); rc != 0) return rc;
  }
  return 0;
}
