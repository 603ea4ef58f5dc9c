// Benchmarks the housing service end to end over gRPC: RankCandidates for a
// unit among N active applications (default 20,000), and offer/accept
// throughput (MakeOffer + AcceptOffer pairs from several clients). GetUnit
// (a single-row read) is measured in the same run as the baseline for this
// noisy shared machine. Prints figures; never fails on time.
//
//   build/tests/housing_bench [--applications=20000] [--rankings=100]
//                             [--offers=400] [--clients=4] [--stores=sqlite,mysql]
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "tests/support/bench_stats.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace {

namespace v1 = ::helhed::housing::v1;

struct Options {
  int applications = 20000;
  int rankings = 100;
  int offers = 400;
  int clients = 4;
  std::vector<std::string> stores = {"sqlite", "mysql"};
};

using helhed::testing::Percentile;

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return ctx;
}

google::type::Date DaysAgo(int days) {
  const absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days;
  google::type::Date out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

v1::Application RandomApp(std::mt19937& rng, int i) {
  v1::Application a;
  a.set_citizen_id(absl::StrCat("bench-", i));
  a.set_situation(static_cast<v1::Situation>(1 + rng() % 8));
  *a.mutable_screening_date() = DaysAgo(static_cast<int>(rng() % 700));
  a.set_rooms_needed(1 + static_cast<int>(rng() % 3));
  if (rng() % 6 == 0) a.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
  a.set_support_needed(static_cast<v1::SupportLevel>(1 + rng() % 6));
  for (int t = 1; t <= 7; ++t) {
    if (rng() % 3 == 0 || t == 1) a.add_unit_types(static_cast<v1::UnitType>(t));
  }
  auto* area = a.add_preferred_areas();
  area->set_postcode(absl::StrCat(8900 + 10 * (rng() % 7)));
  area->set_reason(v1::AREA_REASON_FAMILY);
  a.set_max_rent_dkk(3000 + static_cast<int>(rng() % 5000));
  if (rng() % 3 == 0) a.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  if (rng() % 4 == 0) a.add_vulnerability_flags(v1::VULNERABILITY_FLAG_YOUNG_ADULT);
  return a;
}

// Creates `n` applications from `clients` threads; returns their ids.
std::vector<std::string> Seed(helhed::testing::ServiceProcess& service, int n, int clients,
                              int offset) {
  std::vector<std::string> ids(n);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto stub = v1::HousingService::NewStub(service.NewChannel());
      std::mt19937 rng(1000 + c);
      for (int i = next++; i < n; i = next++) {
        v1::CreateApplicationRequest req;
        *req.mutable_application() = RandomApp(rng, offset + i);
        req.set_idempotency_key(absl::StrCat("bench-app-", offset + i));
        v1::CreateApplicationResponse resp;
        grpc::Status s = stub->CreateApplication(Ctx().get(), req, &resp);
        if (s.ok()) ids[i] = resp.application().id();
      }
    });
  }
  for (auto& t : threads) t.join();
  return ids;
}

v1::HousingUnit NewUnit(v1::HousingService::Stub& stub, v1::UnitType type, int rooms, int rent,
                        v1::SupportLevel support) {
  v1::CreateUnitRequest req;
  v1::HousingUnit* u = req.mutable_unit();
  u->set_unit_type(type);
  u->set_landlord("Randers Boligforening");
  u->set_postcode("8900");
  u->set_rooms(rooms);
  u->set_monthly_rent_dkk(rent);
  u->set_support(support);
  v1::CreateUnitResponse resp;
  stub.CreateUnit(Ctx().get(), req, &resp);
  return resp.unit();
}

int RunStore(const std::string& store, const Options& o) {
  std::printf("\n=== store: %s ===\n", store.c_str());
  auto url = helhed::testing::NewStoreUrl(store == "sqlite" ? helhed::testing::Backend::kSqlite
                                                            : helhed::testing::Backend::kMysql);
  if (!url.ok()) return 1;
  auto p = helhed::testing::ServiceProcess::Start(HELHED_HOUSING_BINARY, *url);
  if (!p.ok()) {
    std::fprintf(stderr, "cannot start: %s\n", p.status().ToString().c_str());
    return 1;
  }
  auto& service = **p;
  auto stub = v1::HousingService::NewStub(service.NewChannel());

  const absl::Time t0 = absl::Now();
  std::vector<std::string> seeded = Seed(service, o.applications, o.clients, 0);
  const double secs = absl::ToDoubleSeconds(absl::Now() - t0);
  const auto missing = std::count(seeded.begin(), seeded.end(), std::string());
  std::printf("created %d applications in %.1f s (%.0f/s, %ld failed) with %d clients\n",
              o.applications, secs, o.applications / secs, static_cast<long>(missing), o.clients);

  // Baseline: a single-row read.
  v1::HousingUnit probe =
      NewUnit(*stub, v1::UNIT_TYPE_PUBLIC_REFERRAL, 2, 5000, v1::SUPPORT_LEVEL_NONE);
  std::vector<double> base;
  for (int i = 0; i < o.rankings + 3; ++i) {
    v1::GetUnitRequest req;
    req.set_id(probe.id());
    v1::GetUnitResponse resp;
    const absl::Time s = absl::Now();
    grpc::Status st = stub->GetUnit(Ctx().get(), req, &resp);
    if (st.ok() && i >= 3) base.push_back(absl::ToDoubleMilliseconds(absl::Now() - s));
  }
  std::printf("baseline GetUnit: p50 %.2f ms, p99 %.2f ms over %zu calls\n", Percentile(base, 0.5),
              Percentile(base, 0.99), base.size());

  struct Case {
    const char* name;
    v1::UnitType type;
    int rooms;
    int rent;
    v1::SupportLevel support;
  };
  const Case cases[] = {
      {"public referral, 2 rooms, 5000 kr", v1::UNIT_TYPE_PUBLIC_REFERRAL, 2, 5000,
       v1::SUPPORT_LEVEL_NONE},
      {"Housing First, 1 room, 4200 kr, ACT", v1::UNIT_TYPE_HOUSING_FIRST, 1, 4200,
       v1::SUPPORT_LEVEL_ACT},
      {"skaev bolig, 1 room, 3500 kr, staffed", v1::UNIT_TYPE_SKAEV_BOLIG, 1, 3500,
       v1::SUPPORT_LEVEL_STAFFED},
  };
  for (const auto& c : cases) {
    v1::HousingUnit unit = NewUnit(*stub, c.type, c.rooms, c.rent, c.support);
    std::vector<double> ms;
    int considered = 0, eligible = 0, errors = 0;
    for (int i = 0; i < o.rankings + 3; ++i) {
      v1::RankCandidatesRequest req;
      req.set_unit_id(unit.id());
      req.set_limit(10);
      v1::RankCandidatesResponse resp;
      const absl::Time s = absl::Now();
      grpc::Status st = stub->RankCandidates(Ctx().get(), req, &resp);
      const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - s);
      if (!st.ok()) {
        ++errors;
        continue;
      }
      considered = resp.considered();
      eligible = resp.eligible();
      if (i >= 3) ms.push_back(elapsed);
    }
    std::printf(
        "RankCandidates (%s) among %d active, %d eligible: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
        " over %zu calls, %d errors\n",
        c.name, considered, eligible, Percentile(ms, 0.5), Percentile(ms, 0.99),
        Percentile(ms, 1.0), ms.size(), errors);
  }

  // Offer/accept throughput: each pair is a unit and an application made for
  // each other; clients offer and accept as fast as they can.
  std::vector<std::pair<std::string, std::string>> pairs;
  {
    std::mt19937 rng(7);
    for (int i = 0; i < o.offers; ++i) {
      v1::HousingUnit u =
          NewUnit(*stub, v1::UNIT_TYPE_LONG_TERM_108, 1, 2000, v1::SUPPORT_LEVEL_STAFFED);
      v1::CreateApplicationRequest req;
      *req.mutable_application() = RandomApp(rng, 1000000 + i);
      req.mutable_application()->set_max_rent_dkk(9000);
      req.mutable_application()->set_rooms_needed(1);
      req.mutable_application()->clear_accessibility_needs();
      req.mutable_application()->clear_unit_types();
      req.mutable_application()->add_unit_types(v1::UNIT_TYPE_LONG_TERM_108);
      v1::CreateApplicationResponse resp;
      stub->CreateApplication(Ctx().get(), req, &resp);
      pairs.emplace_back(u.id(), resp.application().id());
    }
  }
  std::atomic<int> next{0};
  std::atomic<int> ok{0}, failed{0};
  std::mutex mu;
  std::vector<double> pair_ms;
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&] {
      auto s2 = v1::HousingService::NewStub(service.NewChannel());
      for (int i = next++; i < static_cast<int>(pairs.size()); i = next++) {
        const absl::Time s = absl::Now();
        v1::MakeOfferRequest mo;
        mo.set_unit_id(pairs[i].first);
        mo.set_application_id(pairs[i].second);
        *mo.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
            absl::ToUnixSeconds(absl::Now() + absl::Hours(48)));
        v1::MakeOfferResponse offered;
        if (!s2->MakeOffer(Ctx().get(), mo, &offered).ok()) {
          failed++;
          continue;
        }
        v1::AcceptOfferRequest ao;
        ao.set_offer_id(offered.offer().id());
        v1::AcceptOfferResponse accepted;
        if (!s2->AcceptOffer(Ctx().get(), ao, &accepted).ok()) {
          failed++;
          continue;
        }
        ok++;
        std::lock_guard<std::mutex> lock(mu);
        pair_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - s));
      }
    });
  }
  for (auto& t : threads) t.join();
  const double total = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf(
      "offer+accept: %d pairs in %.2f s with %d clients = %.0f pairs/s (%.0f writes/s);"
      " per pair p50 %.1f ms, p99 %.1f ms; %d failed\n",
      ok.load(), total, o.clients, ok.load() / total, 2 * ok.load() / total,
      Percentile(pair_ms, 0.5), Percentile(pair_ms, 0.99), failed.load());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string cmd = "build/tests/housing_bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    absl::StrAppend(&cmd, " ", a);
    auto num = [&](const char* flag, int* out) {
      return absl::StartsWith(a, flag) && absl::SimpleAtoi(a.substr(strlen(flag)), out);
    };
    if (num("--applications=", &o.applications) || num("--rankings=", &o.rankings) ||
        num("--offers=", &o.offers) || num("--clients=", &o.clients)) {
      continue;
    }
    if (absl::StartsWith(a, "--stores=")) {
      o.stores = absl::StrSplit(a.substr(9), ',', absl::SkipEmpty());
      continue;
    }
    std::fprintf(stderr,
                 "usage: %s [--applications=N] [--rankings=N] [--offers=N] [--clients=N]"
                 " [--stores=sqlite,mysql]\n",
                 argv[0]);
    return 2;
  }
  utsname u{};
  uname(&u);
  std::printf("housing_bench\ncommand: %s\nmachine: nproc %ld, kernel %s\n", cmd.c_str(),
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
