// Benchmarks the volunteer service end to end over gRPC: ranking the
// candidates for one request among N volunteers (default 10,000), and
// sign-up throughput with concurrent clients. Prints figures; never fails on
// time.
//
//   build/tests/volunteers_bench [--volunteers=10000] [--rankings=50] [--clients=8]
//                                [--seconds=5] [--stores=sqlite,mysql]
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/volunteers/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace {

namespace v1 = ::helhed::volunteers::v1;
using google::protobuf::util::TimeUtil;

struct Options {
  int volunteers = 10000;
  int rankings = 50;
  int clients = 8;
  int seconds = 5;
  std::vector<std::string> stores = {"sqlite", "mysql"};
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

int RunStore(const std::string& store, const Options& o) {
  auto url = helhed::testing::NewStoreUrl(store == "sqlite" ? helhed::testing::Backend::kSqlite
                                                            : helhed::testing::Backend::kMysql);
  if (!url.ok()) {
    std::printf("\n=== store: %s: skipped (%s)\n", store.c_str(),
                std::string(url.status().message()).c_str());
    return 0;
  }
  auto service = helhed::testing::ServiceProcess::Start(HELHED_VOLUNTEERS_BINARY, *url);
  if (!service.ok()) {
    std::fprintf(stderr, "cannot start service: %s\n", service.status().ToString().c_str());
    return 1;
  }
  std::printf("\n=== store: %s (%s) ===\n", store.c_str(), (*service)->target().c_str());
  helhed::volunteers::demo::DemoOptions demo;
  demo.volunteers = o.volunteers;
  demo.activities = 20;
  demo.requests = 10;
  const absl::Time load_start = absl::Now();
  auto ids = helhed::volunteers::demo::LoadDemo((*service)->NewChannel(), demo);
  if (!ids.ok()) {
    std::fprintf(stderr, "demo load failed: %s\n", ids.status().ToString().c_str());
    return 1;
  }
  std::printf("loaded %d volunteers, %zu activities, %zu requests in %.1f s\n", o.volunteers,
              ids->activities.size(), ids->requests.size(),
              absl::ToDoubleSeconds(absl::Now() - load_start));

  auto stub = v1::VolunteersService::NewStub((*service)->NewChannel());
  // Ranking: one request at a time, as a coordinator would.
  std::vector<double> ms;
  int considered = 0;
  int returned = 0;
  int errors = 0;
  for (int i = 0; i < o.rankings + 3; ++i) {
    v1::RankCandidatesRequest req;
    req.set_accompaniment_id(ids->requests[i % ids->requests.size()]);
    v1::RankCandidatesResponse resp;
    const absl::Time t0 = absl::Now();
    grpc::Status s = stub->RankCandidates(Ctx().get(), req, &resp);
    const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - t0);
    if (!s.ok()) {
      ++errors;
      continue;
    }
    if (i >= 3) {  // warm-up
      ms.push_back(elapsed);
      considered = resp.considered();
      returned = resp.candidates_size();
    }
  }
  std::printf(
      "RankCandidates among %d active volunteers (%d returned): p50 %.2f ms, p99 %.2f ms,"
      " max %.2f ms over %zu calls, %d errors\n",
      considered, returned, Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0),
      ms.size(), errors);

  // Sign-ups: each client signs distinct volunteers up for weekly occurrences
  // of the demo activities (capacity is small, so most calls end in "full":
  // both outcomes are full transactions with the activity locked).
  std::atomic<bool> stop{false};
  std::atomic<long> ok{0};
  std::atomic<long> full{0};
  std::atomic<long> other{0};
  std::vector<std::vector<double>> lat(o.clients);
  std::vector<std::thread> threads;
  std::vector<v1::Activity> activities;
  for (const auto& id : ids->activities) {
    v1::GetActivityRequest g;
    g.set_id(id);
    v1::GetActivityResponse r;
    if (stub->GetActivity(Ctx().get(), g, &r).ok()) activities.push_back(r.activity());
  }
  const absl::Time begin = absl::Now();
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      auto s = v1::VolunteersService::NewStub((*service)->NewChannel());
      for (long i = 0; !stop.load(); ++i) {
        const auto& act = activities[(c + i) % activities.size()];
        // The k-th weekly occurrence from the first date.
        const auto& f = act.weekly().first_date();
        absl::TimeZone tz;
        absl::LoadTimeZone("Europe/Copenhagen", &tz);
        absl::CivilDay first(f.year(), f.month(), f.day());
        // The first day on the activity's weekday (absl: Monday = 0; ours: 1).
        while (static_cast<int>(absl::GetWeekday(first)) + 1 != act.weekly().weekday()) {
          first += 1;
        }
        const absl::CivilDay day =
            first + 7 * (1 + (i / static_cast<long>(activities.size())) % 50);
        const absl::Time start = absl::FromCivil(
            absl::CivilMinute(day.year(), day.month(), day.day(), act.weekly().start_minute() / 60,
                              act.weekly().start_minute() % 60),
            tz);
        v1::SignUpRequest req;
        req.set_activity_id(act.id());
        req.set_volunteer_id(ids->volunteers[(c * 7919 + i * 31) % ids->volunteers.size()]);
        *req.mutable_occurrence_start() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
        v1::SignUpResponse resp;
        const absl::Time t0 = absl::Now();
        grpc::Status st = s->SignUp(Ctx().get(), req, &resp);
        lat[c].push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        if (st.ok()) {
          ++ok;
        } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                   st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
          ++full;
        } else {
          ++other;
        }
      }
    });
  }
  absl::SleepFor(absl::Seconds(o.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double secs = absl::ToDoubleSeconds(absl::Now() - begin);
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::printf(
      "SignUp with %d clients: %.0f calls/s (%ld signed up, %ld refused: full or already"
      " signed up, %ld errors), p50 %.2f ms, p99 %.2f ms\n",
      o.clients, static_cast<double>(all.size()) / secs, ok.load(), full.load(), other.load(),
      Percentile(all, 0.5), Percentile(all, 0.99));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string cmd = "build/tests/volunteers_bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    absl::StrAppend(&cmd, " ", a);
    auto num = [&](const char* flag, int* out) {
      return absl::StartsWith(a, flag) && absl::SimpleAtoi(a.substr(strlen(flag)), out);
    };
    if (num("--volunteers=", &o.volunteers) || num("--rankings=", &o.rankings) ||
        num("--clients=", &o.clients) || num("--seconds=", &o.seconds)) {
      continue;
    }
    if (absl::StartsWith(a, "--stores=")) {
      o.stores = absl::StrSplit(a.substr(9), ',', absl::SkipEmpty());
      continue;
    }
    std::fprintf(stderr,
                 "usage: %s [--volunteers=N] [--rankings=N] [--clients=N] [--seconds=S]"
                 " [--stores=sqlite,mysql]\n",
                 argv[0]);
    return 2;
  }
  utsname u{};
  uname(&u);
  std::printf("volunteers_bench\ncommand: %s\nmachine: nproc %ld, kernel %s\n", cmd.c_str(),
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
