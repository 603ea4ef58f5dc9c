// National scale: the sizes all 98 municipalities would bring (about 300,000
// citizens with plans, 100,000 volunteers, 20,000 guides, 50,000 housing
// applications, at --scale=1.0), generated and loaded through the services'
// own APIs into MariaDB, spread over 98 municipality codes in proportion to
// their populations. Then, per service, in the largest municipality (101),
// a typical one (the median) and the smallest (825): a first List page of
// 50, every page of a deep walk with page tokens, the ranking RPC and the
// report RPC, p50/p99 over N calls; and EXPLAIN of the hot queries on
// MariaDB. Prints figures; never fails on time.
//
//   scripts/bench national [--scale=0.1] [--clients=16] [--calls=30]
//                          [--max-pages=2000] [--services=plans,volunteers,guides,housing]
//
// Needs HELHED_TEST_MYSQL_URL (scripts/bench starts a throwaway MariaDB and
// sets it).
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/store/database.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/guides/demo/demo_loader.h"
#include "services/housing/demo/demo_loader.h"
#include "services/plans/demo/demo_loader.h"
#include "services/volunteers/demo/demo_loader.h"
#include "tests/support/bench_stats.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace {

namespace pv1 = ::helhed::plans::v1;
namespace vv1 = ::helhed::volunteers::v1;
namespace gv1 = ::helhed::guides::v1;
namespace hv1 = ::helhed::housing::v1;
using helhed::testing::ServiceProcess;

struct Options {
  double scale = 0.1;
  int clients = 16;
  int calls = 30;
  int max_pages = 2000;
  std::vector<std::string> services = {"plans", "volunteers", "guides", "housing"};
};

// The 98 municipalities: code and population in thousands (rounded).
struct Muni {
  const char* code;
  double population;
};
constexpr Muni kMunis[] = {
    {"101", 660}, {"147", 104}, {"151", 49},  {"153", 39}, {"155", 14},  {"157", 75},  {"159", 70},
    {"161", 23},  {"163", 29},  {"165", 28},  {"167", 54}, {"169", 52},  {"173", 56},  {"175", 41},
    {"183", 24},  {"185", 43},  {"187", 17},  {"190", 41}, {"201", 26},  {"210", 41},  {"217", 63},
    {"219", 52},  {"223", 25},  {"230", 57},  {"240", 44}, {"250", 46},  {"253", 51},  {"259", 62},
    {"260", 31},  {"265", 90},  {"269", 24},  {"270", 41}, {"306", 33},  {"316", 72},  {"320", 37},
    {"326", 49},  {"329", 36},  {"330", 80},  {"336", 23}, {"340", 30},  {"350", 29},  {"360", 41},
    {"370", 83},  {"376", 60},  {"390", 46},  {"400", 39}, {"410", 39},  {"420", 41},  {"430", 52},
    {"440", 24},  {"450", 32},  {"461", 207}, {"479", 59}, {"480", 30},  {"482", 12},  {"492", 6},
    {"510", 56},  {"530", 27},  {"540", 74},  {"550", 37}, {"561", 116}, {"563", 3.5}, {"573", 50},
    {"575", 43},  {"580", 59},  {"607", 52},  {"615", 98}, {"621", 95},  {"630", 120}, {"657", 90},
    {"661", 59},  {"665", 19},  {"671", 21},  {"706", 43}, {"707", 37},  {"710", 49},  {"727", 23},
    {"730", 99},  {"740", 98},  {"741", 3.7}, {"746", 64}, {"751", 370}, {"756", 42},  {"760", 56},
    {"766", 47},  {"773", 20},  {"779", 46},  {"787", 43}, {"791", 97},  {"810", 36},  {"813", 59},
    {"820", 36},  {"825", 1.8}, {"840", 30},  {"846", 42}, {"849", 38},  {"851", 222}, {"860", 64},
};
constexpr int kMuniCount = sizeof(kMunis) / sizeof(kMunis[0]);
static_assert(kMuniCount == 98, "98 municipalities");

// `total` spread over the municipalities by population (at least 1 each).
std::vector<std::pair<std::string, int>> Spread(double total) {
  double sum = 0;
  for (const auto& m : kMunis) sum += m.population;
  std::vector<std::pair<std::string, int>> out;
  for (const auto& m : kMunis) {
    out.emplace_back(m.code,
                     std::max(1, static_cast<int>(std::lround(total * m.population / sum))));
  }
  return out;
}

// The smallest municipality (Laesoe), where a list that scans in seq order
// reads the most rows per row it returns.
constexpr char kSmallest[] = "825";

// The largest municipality and the median one.
std::pair<std::string, std::string> LargestAndTypical() {
  std::vector<Muni> v(std::begin(kMunis), std::end(kMunis));
  std::sort(v.begin(), v.end(),
            [](const Muni& a, const Muni& b) { return a.population > b.population; });
  return {v.front().code, v[v.size() / 2].code};
}

using helhed::testing::Percentile;

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& muni) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal(muni));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return ctx;
}

void PrintHeader() {
  std::printf("  %-52s %6s %9s %9s %9s %6s\n", "call", "calls", "p50 ms", "p99 ms", "max ms",
              "errors");
}

// Calls `fn` calls+2 times (the first two are warm-up) and prints p50/p99.
void Measure(const std::string& name, int calls, const std::function<grpc::Status()>& fn,
             const std::string& note = "") {
  std::vector<double> ms;
  int errors = 0;
  std::string first_error;
  for (int i = 0; i < calls + 2; ++i) {
    const absl::Time t0 = absl::Now();
    grpc::Status s = fn();
    const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - t0);
    if (!s.ok()) {
      if (errors++ == 0) first_error = s.error_message();
      continue;
    }
    if (i >= 2) ms.push_back(elapsed);
  }
  std::printf("  %-52s %6zu %9.2f %9.2f %9.2f %6d%s%s\n", name.c_str(), ms.size(),
              Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), errors,
              note.empty() ? "" : "  ", note.c_str());
  if (!first_error.empty()) std::printf("    first error: %s\n", first_error.c_str());
}

// Walks every page (page_size 50) with page tokens; `page` fetches one page
// for a token and returns the next token and the item count. Prints the
// first page, p50/p99 over all pages and the last page.
using PageFn = std::function<grpc::Status(const std::string& token, std::string* next, int* n)>;

void MeasureList(const std::string& what, const std::string& muni, int calls, int max_pages,
                 const PageFn& page) {
  Measure(absl::StrCat(what, " first page of 50 (", muni, ")"), calls, [&] {
    std::string next;
    int n = 0;
    return page("", &next, &n);
  });
  std::vector<double> ms;
  std::string token;
  long items = 0;
  int pages = 0;
  grpc::Status last;
  double last_ms = 0;
  while (pages < max_pages) {
    std::string next;
    int n = 0;
    const absl::Time t0 = absl::Now();
    last = page(token, &next, &n);
    last_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    if (!last.ok()) break;
    ms.push_back(last_ms);
    items += n;
    ++pages;
    if (next.empty()) break;
    token = next;
  }
  std::printf("  %-52s %6d %9.2f %9.2f %9.2f %6d  %ld items, last page %.2f ms%s\n",
              absl::StrCat(what, " every page, walked with tokens (", muni, ")").c_str(), pages,
              Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), last.ok() ? 0 : 1,
              items, last_ms, pages >= max_pages ? " (stopped at --max-pages)" : "");
  if (!last.ok()) std::printf("    error: %s\n", last.error_message().c_str());
}

// Runs `work(i)` for i in [0, n) on `clients` threads.
void Parallel(int n, int clients, const std::function<void(int, int)>& work) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = next++; i < n; i = next++) work(c, i);
    });
  }
  for (auto& t : threads) t.join();
}

void PrintLoad(const char* what, long done, long failed, absl::Time start, int clients) {
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("loaded %ld %s in %.1f s = %.0f creates/s with %d clients (%ld failed)\n", done, what,
              secs, static_cast<double>(done) / secs, clients, failed);
}

// EXPLAIN of `sql` on the service's database, and its own time (p50 of 10).
void Explain(helhed::store::Database& db, const std::string& sql) {
  std::printf("  %s\n", sql.c_str());
  absl::Status s = db.Run([&](helhed::store::Connection& c) -> absl::Status {
    auto rows = c.Query(absl::StrCat("EXPLAIN ", sql), {});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      auto col = [&](size_t i) { return r.IsNull(i) ? std::string("NULL") : r.Str(i); };
      std::printf("    EXPLAIN: table %s, type %s, key %s, rows %s, extra %s\n", col(2).c_str(),
                  col(3).c_str(), col(5).c_str(), col(8).c_str(), col(9).c_str());
    }
    std::vector<double> ms;
    size_t n = 0;
    for (int i = 0; i < 10; ++i) {
      const absl::Time t0 = absl::Now();
      auto q = c.Query(sql, {});
      if (!q.ok()) return q.status();
      n = q->size();
      ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    }
    std::printf("    query alone: p50 %.2f ms, max %.2f ms over 10 runs, %zu rows\n",
                Percentile(ms, 0.5), Percentile(ms, 1.0), n);
    return absl::OkStatus();
  });
  if (!s.ok()) std::printf("    failed: %s\n", s.ToString().c_str());
}

// The seq of the municipality's row of `table` at `fraction` of its rows in
// seq order, for a deep page.
int64_t SeqAt(helhed::store::Database& db, const std::string& table, const std::string& muni,
              double fraction) {
  int64_t at = 0;
  (void)db.Run([&](helhed::store::Connection& c) -> absl::Status {
    auto rows =
        c.Query(absl::StrCat("SELECT COUNT(*) FROM ", table, " WHERE municipality = ?"), {muni});
    if (!rows.ok() || rows->empty()) return absl::OkStatus();
    const auto n = static_cast<int64_t>(static_cast<double>((*rows)[0].Int(0)) * fraction);
    auto found = c.Query(absl::StrCat("SELECT seq FROM ", table,
                                      " WHERE municipality = ? ORDER BY seq LIMIT 1 OFFSET ", n),
                         {muni});
    if (found.ok() && !found->empty()) at = (*found)[0].Int(0);
    return absl::OkStatus();
  });
  return at;
}

// `select FROM table rest` left to the optimizer, the same without `key`
// (as it ran before the migration that added it) and forced to use `key`
// (as the service sends it on MySQL since common/store/resources.h and the
// stores name their keys; the optimizer's choice varies with its statistics,
// e.g. right after a bulk load).
void ExplainWithout(helhed::store::Database& db, const std::string& select,
                    const std::string& table, const std::string& rest, const std::string& key) {
  Explain(db, absl::StrCat(select, " FROM ", table, rest));
  if (key.empty()) return;
  Explain(db, absl::StrCat(select, " FROM ", table, " IGNORE INDEX (", key, ")", rest));
  Explain(db, absl::StrCat(select, " FROM ", table, " FORCE INDEX (", key, ")", rest));
}

// The list query of common/store/resources.h (first page, a page in the
// middle, a page near the end) and the cache stamp of ResourceCache, for
// `table` in `muni`, with and without `key`.
void ExplainResourceQueries(helhed::store::Database& db, const std::string& table,
                            const std::string& muni, const std::string& key,
                            const std::string& extra_filter = "", bool stamp = true) {
  const std::string m = absl::StrCat("'", muni, "'");
  for (double at : {0.0, 0.5, 0.99}) {
    const int64_t after = at == 0.0 ? 0 : SeqAt(db, table, muni, at);
    ExplainWithout(db, "SELECT seq, body", table,
                   absl::StrCat(" WHERE municipality = ", m, " AND seq > ", after, extra_filter,
                                " AND state = 1 ORDER BY seq LIMIT 51"),
                   key);
  }
  if (stamp) {
    ExplainWithout(db, "SELECT COUNT(*), SUM(version), MAX(update_time)", table,
                   absl::StrCat(" WHERE municipality = ", m), key);
  }
}

std::unique_ptr<helhed::store::Database> OpenDb(const std::string& url) {
  auto db = helhed::store::Database::Open(url, helhed::store::StoreOptions{});
  if (!db.ok()) {
    std::printf("cannot open %s for EXPLAIN: %s\n", url.c_str(), db.status().ToString().c_str());
    return nullptr;
  }
  return std::move(*db);
}

struct Started {
  std::string url;
  std::unique_ptr<ServiceProcess> process;
};

absl::StatusOr<Started> StartService(const char* binary) {
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kMysql);
  if (!url.ok()) return url.status();
  auto p = ServiceProcess::Start(binary, *url);
  if (!p.ok()) return p.status();
  return Started{*url, std::move(*p)};
}

const char* kHopes[] = {
    "At komme i arbejde igen, i det mindste et par timer om ugen, og have en fast rytme i"
    " hverdagen.",
    "At få min egen bolig og kunne klare indkøb, rengøring og økonomi selv.",
    "At se mine børn oftere og være en god far for dem.",
    "At blive fri af misbruget og få nye venner, der ikke drikker.",
    "At tage en uddannelse som tømrer og få styr på mine penge.",
    "At kunne tage bussen alene og gå til fodbold om tirsdagen.",
};

int RunPlans(const Options& o, const std::string& large, const std::string& typical) {
  std::printf("\n=== plans: %d citizen plans over 98 municipalities ===\n",
              static_cast<int>(std::lround(300000 * o.scale)));
  auto started = StartService(HELHED_PLANS_BINARY);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start plans: %s\n", started.status().ToString().c_str());
    return 1;
  }
  ServiceProcess& service = *started->process;
  auto data = helhed::plans::demo::ReadDataset(HELHED_SOURCE_DIR
                                               "/services/plans/demo/demo_data.textproto");
  if (!data.ok()) {
    std::fprintf(stderr, "demo data: %s\n", data.status().ToString().c_str());
    return 1;
  }
  if (auto r = helhed::plans::demo::LoadDataset(*data, service.NewChannel()); !r.ok()) {
    std::fprintf(stderr, "demo load: %s\n", r.status().ToString().c_str());
    return 1;
  }
  // One work item per citizen plan; municipalities interleaved.
  std::vector<std::pair<std::string, int>> items;
  auto spread = Spread(300000 * o.scale);
  int most = 0;
  for (const auto& [code, n] : spread) most = std::max(most, n);
  for (int i = 0; i < most; ++i) {
    for (const auto& [code, n] : spread) {
      if (i < n) items.emplace_back(code, i);
    }
  }
  std::vector<std::unique_ptr<pv1::CitizenPlansService::Stub>> stubs;
  for (int c = 0; c < o.clients; ++c) {
    stubs.push_back(pv1::CitizenPlansService::NewStub(service.NewChannel()));
  }
  std::atomic<long> done{0}, failed{0};
  const absl::Time start = absl::Now();
  Parallel(static_cast<int>(items.size()), o.clients, [&](int c, int i) {
    const auto& [code, k] = items[i];
    pv1::CreateCitizenPlanRequest req;
    req.mutable_citizen_plan()->set_citizen_id(absl::StrCat("nat-", code, "-", k));
    req.mutable_citizen_plan()->set_hopes(kHopes[k % 6]);
    req.set_idempotency_key(absl::StrCat("national-plan-", k));
    pv1::CreateCitizenPlanResponse resp;
    if (stubs[c]->CreateCitizenPlan(Ctx(code).get(), req, &resp).ok()) {
      ++done;
    } else {
      ++failed;
    }
  });
  PrintLoad("citizen plans", done, failed, start, o.clients);

  auto stub = pv1::CitizenPlansService::NewStub(service.NewChannel());
  auto plans = pv1::PlansService::NewStub(service.NewChannel());
  PrintHeader();
  for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
    MeasureList("ListCitizenPlans", muni, o.calls, o.max_pages,
                [&](const std::string& token, std::string* next, int* n) {
                  pv1::ListCitizenPlansRequest req;
                  req.mutable_page()->set_page_size(50);
                  req.mutable_page()->set_page_token(token);
                  pv1::ListCitizenPlansResponse resp;
                  grpc::Status s = stub->ListCitizenPlans(Ctx(muni).get(), req, &resp);
                  *next = resp.page().next_page_token();
                  *n = resp.citizen_plans_size();
                  return s;
                });
    Measure(absl::StrCat("ListCitizenPlans of one citizen (", muni, ")"), o.calls, [&] {
      pv1::ListCitizenPlansRequest req;
      req.set_citizen_id(absl::StrCat("nat-", muni, "-0"));
      pv1::ListCitizenPlansResponse resp;
      return stub->ListCitizenPlans(Ctx(muni).get(), req, &resp);
    });
  }
  // The status report is of one policy plan (its tracks, areas, activities
  // and indicators), not of the citizen plans: the demo plans of 730.
  pv1::ListPlansRequest lp;
  pv1::ListPlansResponse plist;
  if (plans->ListPlans(Ctx("730").get(), lp, &plist).ok()) {
    for (const auto& p : plist.plans()) {
      const int year = p.period().start_year() > 0 ? p.period().start_year() : 2024;
      Measure(absl::StrCat("GetStatusReport (730, demo plan ", year, ")"), o.calls, [&] {
        pv1::GetStatusReportRequest req;
        req.set_plan_id(p.id());
        req.set_year(year);
        pv1::GetStatusReportResponse resp;
        return plans->GetStatusReport(Ctx("730").get(), req, &resp);
      });
      break;
    }
  }
  if (auto db = OpenDb(started->url)) {
    for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
      std::printf("EXPLAIN on MariaDB (%s):\n", muni.c_str());
      ExplainResourceQueries(*db, "citizen_plans", muni, "citizen_plans_list", "", false);
    }
    std::printf("EXPLAIN on MariaDB (%s), one citizen's plans:\n", large.c_str());
    ExplainWithout(
        *db, "SELECT seq, body", "citizen_plans",
        absl::StrCat(" WHERE municipality = '", large, "' AND seq > 0 AND citizen_id = 'nat-",
                     large, "-0' AND state = 1 ORDER BY seq LIMIT 51"),
        "citizen_plans_citizen");
  }
  return 0;
}

int RunVolunteers(const Options& o, const std::string& large, const std::string& typical) {
  std::printf("\n=== volunteers: %d volunteers over 98 municipalities ===\n",
              static_cast<int>(std::lround(100000 * o.scale)));
  auto started = StartService(HELHED_VOLUNTEERS_BINARY);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start volunteers: %s\n", started.status().ToString().c_str());
    return 1;
  }
  ServiceProcess& service = *started->process;
  auto spread = Spread(100000 * o.scale);
  std::sort(spread.begin(), spread.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::mutex mu;
  std::map<std::string, helhed::volunteers::demo::DemoIds> ids;
  std::atomic<long> done{0}, failed{0};
  const absl::Time start = absl::Now();
  Parallel(kMuniCount, o.clients, [&](int, int i) {
    helhed::volunteers::demo::DemoOptions d;
    d.municipality = spread[i].first;
    d.volunteers = spread[i].second;
    d.activities = 4;
    d.requests = 4;
    d.seed = static_cast<unsigned>(std::atoi(d.municipality.c_str()));
    auto r = helhed::volunteers::demo::LoadDemo(service.NewChannel(), d);
    if (!r.ok()) {
      ++failed;
      std::printf("  load of %s failed: %s\n", d.municipality.c_str(),
                  r.status().ToString().c_str());
      return;
    }
    done += static_cast<long>(r->volunteers.size() + r->organisations.size() +
                              r->activities.size() + r->requests.size());
    std::lock_guard<std::mutex> lock(mu);
    ids[d.municipality] = std::move(*r);
  });
  PrintLoad("volunteers, organisations, activities and requests", done, failed, start, o.clients);

  auto stub = vv1::VolunteersService::NewStub(service.NewChannel());
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  PrintHeader();
  for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
    MeasureList("ListVolunteers", muni, o.calls, o.max_pages,
                [&](const std::string& token, std::string* next, int* n) {
                  vv1::ListVolunteersRequest req;
                  req.mutable_page()->set_page_size(50);
                  req.mutable_page()->set_page_token(token);
                  vv1::ListVolunteersResponse resp;
                  grpc::Status s = stub->ListVolunteers(Ctx(muni).get(), req, &resp);
                  *next = resp.page().next_page_token();
                  *n = resp.volunteers_size();
                  return s;
                });
    const auto& reqs = ids[muni].requests;
    int considered = 0;
    int k = 0;
    Measure(absl::StrCat("RankCandidates (", muni, ")"), o.calls, [&] {
      vv1::RankCandidatesRequest req;
      req.set_accompaniment_id(reqs.empty() ? "" : reqs[k++ % reqs.size()]);
      vv1::RankCandidatesResponse resp;
      grpc::Status s = stub->RankCandidates(Ctx(muni).get(), req, &resp);
      considered = resp.considered();
      return s;
    });
    std::printf("    (considered %d volunteers)\n", considered);
    Measure(absl::StrCat("GetMonthlyStats (", muni, ")"), o.calls, [&] {
      vv1::GetMonthlyStatsRequest req;
      req.set_year(static_cast<int>(today.year()));
      req.set_month(today.month());
      vv1::GetMonthlyStatsResponse resp;
      return stub->GetMonthlyStats(Ctx(muni).get(), req, &resp);
    });
  }
  if (auto db = OpenDb(started->url)) {
    for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
      std::printf("EXPLAIN on MariaDB (%s):\n", muni.c_str());
      ExplainResourceQueries(*db, "volunteers", muni, "volunteers_list", "", true);
    }
    std::printf("EXPLAIN on MariaDB (%s), GetMonthlyStats (migration 0003):\n", large.c_str());
    ExplainWithout(*db, "SELECT COUNT(*)", "volunteers",
                   absl::StrCat(" WHERE municipality = '", large,
                                "' AND status = 1 AND state = 1 AND consent = 1"),
                   "volunteers_consent");
  }
  return 0;
}

int RunGuides(const Options& o, const std::string& large, const std::string& typical) {
  std::printf("\n=== guides: %d guides over 98 municipalities ===\n",
              static_cast<int>(std::lround(20000 * o.scale)));
  auto started = StartService(HELHED_GUIDES_BINARY);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start guides: %s\n", started.status().ToString().c_str());
    return 1;
  }
  ServiceProcess& service = *started->process;
  auto spread = Spread(20000 * o.scale);
  std::sort(spread.begin(), spread.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::mutex mu;
  std::map<std::string, helhed::guides::demo::DemoIds> ids;
  std::atomic<long> done{0}, failed{0};
  const absl::Time start = absl::Now();
  Parallel(kMuniCount, o.clients, [&](int, int i) {
    helhed::guides::demo::DemoOptions d;
    d.municipality = spread[i].first;
    d.guides = spread[i].second;
    d.requests = 5;
    d.seed = static_cast<unsigned>(std::atoi(d.municipality.c_str()));
    auto r = helhed::guides::demo::LoadDemo(service.NewChannel(), d);
    if (!r.ok()) {
      ++failed;
      std::printf("  load of %s failed: %s\n", d.municipality.c_str(),
                  r.status().ToString().c_str());
      return;
    }
    done += static_cast<long>(r->guides.size() + r->requests.size());
    std::lock_guard<std::mutex> lock(mu);
    ids[d.municipality] = std::move(*r);
  });
  PrintLoad("guides and guidance requests", done, failed, start, o.clients);

  auto stub = gv1::GuidesService::NewStub(service.NewChannel());
  PrintHeader();
  for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
    MeasureList("ListGuides", muni, o.calls, o.max_pages,
                [&](const std::string& token, std::string* next, int* n) {
                  gv1::ListGuidesRequest req;
                  req.mutable_page()->set_page_size(50);
                  req.mutable_page()->set_page_token(token);
                  gv1::ListGuidesResponse resp;
                  grpc::Status s = stub->ListGuides(Ctx(muni).get(), req, &resp);
                  *next = resp.page().next_page_token();
                  *n = resp.guides_size();
                  return s;
                });
    const auto& reqs = ids[muni].requests;
    int considered = 0;
    int k = 0;
    Measure(absl::StrCat("RankGuides (", muni, ")"), o.calls, [&] {
      gv1::RankGuidesRequest req;
      // The first four demo requests have consent.
      req.set_guidance_request_id(reqs.empty() ? "" : reqs[k++ % std::min<size_t>(4, reqs.size())]);
      gv1::RankGuidesResponse resp;
      grpc::Status s = stub->RankGuides(Ctx(muni).get(), req, &resp);
      considered = resp.considered();
      return s;
    });
    std::printf("    (considered %d guides)\n", considered);
    Measure(absl::StrCat("GetCoordinatorStats (", muni, ")"), o.calls, [&] {
      gv1::GetCoordinatorStatsRequest req;
      gv1::GetCoordinatorStatsResponse resp;
      return stub->GetCoordinatorStats(Ctx(muni).get(), req, &resp);
    });
  }
  if (auto db = OpenDb(started->url)) {
    for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
      std::printf("EXPLAIN on MariaDB (%s):\n", muni.c_str());
      ExplainResourceQueries(*db, "guides", muni, "guides_list", "", true);
    }
    std::printf("EXPLAIN on MariaDB (%s), GetCoordinatorStats (migration 0003):\n", large.c_str());
    ExplainWithout(*db,
                   "SELECT id, display_name, capacity, CASE WHEN training_expiry <= 0 THEN body"
                   " ELSE NULL END, training_expiry IS NULL",
                   "guides",
                   absl::StrCat(" WHERE municipality = '", large, "' AND state = 1 ORDER BY seq"),
                   "guides_list");
  }
  return 0;
}

int RunHousing(const Options& o, const std::string& large, const std::string& typical) {
  std::printf("\n=== housing: %d applications over 98 municipalities ===\n",
              static_cast<int>(std::lround(50000 * o.scale)));
  auto started = StartService(HELHED_HOUSING_BINARY);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start housing: %s\n", started.status().ToString().c_str());
    return 1;
  }
  ServiceProcess& service = *started->process;
  auto spread = Spread(50000 * o.scale);
  std::sort(spread.begin(), spread.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::mutex mu;
  std::map<std::string, helhed::housing::demo::DemoIds> ids;
  std::atomic<long> done{0}, failed{0}, units{0};
  const absl::Time start = absl::Now();
  Parallel(kMuniCount, o.clients, [&](int, int i) {
    helhed::housing::demo::DemoOptions d;
    d.municipality = spread[i].first;
    d.applications = spread[i].second;
    d.units_per_type = 3;
    d.seed = static_cast<unsigned>(std::atoi(d.municipality.c_str()));
    auto r = helhed::housing::demo::LoadDemo(service.NewChannel(), d);
    if (!r.ok()) {
      ++failed;
      std::printf("  load of %s failed: %s\n", d.municipality.c_str(),
                  r.status().ToString().c_str());
      return;
    }
    units += static_cast<long>(r->units.size());
    done += static_cast<long>(r->units.size() + r->applications.size() + r->tenancies.size() +
                              r->offers.size());
    std::lock_guard<std::mutex> lock(mu);
    ids[d.municipality] = std::move(*r);
  });
  PrintLoad("units, applications, tenancies and offers", done, failed, start, o.clients);
  std::printf("(%ld units)\n", units.load());

  auto stub = hv1::HousingService::NewStub(service.NewChannel());
  PrintHeader();
  for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
    MeasureList("ListApplications", muni, o.calls, o.max_pages,
                [&](const std::string& token, std::string* next, int* n) {
                  hv1::ListApplicationsRequest req;
                  req.mutable_page()->set_page_size(50);
                  req.mutable_page()->set_page_token(token);
                  hv1::ListApplicationsResponse resp;
                  grpc::Status s = stub->ListApplications(Ctx(muni).get(), req, &resp);
                  *next = resp.page().next_page_token();
                  *n = resp.applications_size();
                  return s;
                });
    const auto& us = ids[muni].units;
    int considered = 0;
    int k = 0;
    Measure(absl::StrCat("RankCandidates (", muni, ")"), o.calls, [&] {
      hv1::RankCandidatesRequest req;
      req.set_unit_id(us.empty() ? "" : us[k++ % us.size()]);
      req.set_limit(10);
      hv1::RankCandidatesResponse resp;
      grpc::Status s = stub->RankCandidates(Ctx(muni).get(), req, &resp);
      considered = std::max(considered, resp.considered());
      return s;
    });
    std::printf("    (considered up to %d applications)\n", considered);
    Measure(absl::StrCat("GetHousingStats (", muni, ")"), o.calls, [&] {
      hv1::GetHousingStatsRequest req;
      hv1::GetHousingStatsResponse resp;
      return stub->GetHousingStats(Ctx(muni).get(), req, &resp);
    });
  }
  if (auto db = OpenDb(started->url)) {
    for (const std::string& muni : {large, typical, std::string(kSmallest)}) {
      std::printf("EXPLAIN on MariaDB (%s):\n", muni.c_str());
      ExplainResourceQueries(*db, "applications", muni, "applications_list");
    }
    std::printf("EXPLAIN on MariaDB (%s), active applications (the cache of RankCandidates):\n",
                large.c_str());
    ExplainResourceQueries(*db, "applications", large, "", " AND status = 1", false);
    std::printf("EXPLAIN on MariaDB (%s), GetHousingStats (migration 0003):\n", large.c_str());
    ExplainWithout(*db,
                   "SELECT ref_id, COUNT(*), SUM(CASE WHEN waiting_from < 20000 THEN 20000 -"
                   " waiting_from ELSE 0 END), COUNT(*) - COUNT(waiting_from)",
                   "applications",
                   absl::StrCat(" WHERE municipality = '", large,
                                "' AND state = 1 AND status IN (1, 2) GROUP BY ref_id"),
                   "applications_waiting");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string cmd = "build/tests/national_bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    absl::StrAppend(&cmd, " ", a);
    auto num = [&](const char* flag, int* out) {
      return absl::StartsWith(a, flag) && absl::SimpleAtoi(a.substr(strlen(flag)), out);
    };
    if (num("--clients=", &o.clients) || num("--calls=", &o.calls) ||
        num("--max-pages=", &o.max_pages)) {
      continue;
    }
    if (absl::StartsWith(a, "--scale=") && absl::SimpleAtod(a.substr(8), &o.scale) && o.scale > 0 &&
        o.scale <= 10) {
      continue;
    }
    if (absl::StartsWith(a, "--services=")) {
      o.services = absl::StrSplit(a.substr(11), ',', absl::SkipEmpty());
      continue;
    }
    std::fprintf(stderr,
                 "usage: %s [--scale=0.1] [--clients=16] [--calls=30] [--max-pages=2000]"
                 " [--services=plans,volunteers,guides,housing]\n"
                 "--scale=1.0 is the whole country: 300,000 citizen plans, 100,000 volunteers,"
                 " 20,000 guides, 50,000 applications.\n",
                 argv[0]);
    return 2;
  }
  if (std::getenv("HELHED_TEST_MYSQL_URL") == nullptr) {
    std::fprintf(stderr,
                 "national_bench runs on MariaDB only and needs HELHED_TEST_MYSQL_URL.\n"
                 "Run it through scripts/bench, which starts a throwaway MariaDB:\n"
                 "  scripts/bench national --scale=0.1\n");
    return 2;
  }
  utsname u{};
  uname(&u);
  const auto [large, typical] = LargestAndTypical();
  std::printf(
      "national_bench\ncommand: %s\nmachine: nproc %ld, kernel %s\nscale %.2f of the whole"
      " country; largest municipality %s, typical (median) %s; %d concurrent clients while"
      " loading\n",
      cmd.c_str(), sysconf(_SC_NPROCESSORS_ONLN), u.release, o.scale, large.c_str(),
      typical.c_str(), o.clients);
  for (const std::string& s : o.services) {
    int rc = 0;
    if (s == "plans") {
      rc = RunPlans(o, large, typical);
    } else if (s == "volunteers") {
      rc = RunVolunteers(o, large, typical);
    } else if (s == "guides") {
      rc = RunGuides(o, large, typical);
    } else if (s == "housing") {
      rc = RunHousing(o, large, typical);
    } else {
      std::fprintf(stderr, "unknown service %s\n", s.c_str());
      rc = 2;
    }
    if (rc != 0) return rc;
  }
  return 0;
}
