// load_bench: a realistic mix of calls through the gateway, with valid
// tokens, against the four real services; and a soak of the same mix that
// watches the memory and file descriptors of every process.
//
//   build/tests/load_bench [--seconds=20] [--warmup=2] [--rate=0] [--concurrency=16]
//                          [--stores=sqlite|mysql] [--soak-seconds=N]
//
// Setup: starts helhed-plans, -volunteers, -guides and -housing (port 0) on
// fresh stores (SQLite files, or new MariaDB databases with --stores=mysql,
// which needs HELHED_TEST_MYSQL_URL as scripts/test and scripts/bench set
// it) and helhed-gateway in front of them with its own audit store and the
// per-subject rate limit off (HELHED_GATEWAY_RATE=0). It loads the demo data
// sets into the services directly (services/*/demo), makes an RS256 key
// pair and mints one token per role (caseworker, volunteer_coordinator,
// guide_coordinator, housing_officer, manager). Then it reads through the
// gateway what the mix needs (citizens, plans, requests, units) and checks
// every call of the mix once.
//
// The mix (one "action" per pick, weights in percent), every call through
// the gateway with "authorization: Bearer <JWT>" of the role that does it:
//   35 caseworker             GatewayService/GetCitizenOverview (a demo citizen)
//   10 caseworker             CitizenPlansService/ListCitizenPlans (a demo citizen)
//   10 caseworker             PlansService/ListPlans (page of 20)
//   10 manager                PlansService/GetStatusReport (a demo plan and year)
//   10 volunteer_coordinator  VolunteersService/RankCandidates (a demo request)
//   10 guide_coordinator      GuidesService/RankGuides (a demo request)
//   10 housing_officer        HousingService/RankCandidates (a demo unit)
//    5 housing_officer        HousingService/MakeOffer, then WithdrawOffer or
//                             DeclineOffer (alternately) of that offer: two
//                             writes. Each (unit, application) pair is used
//                             by one action at a time; when every pair is
//                             busy the action is a RankCandidates instead
//                             (counted as "offers deferred").
// Every call must be OK, and an OK response must answer the request (the
// overview of that citizen with every section available, an offer that is
// pending and then withdrawn or declined ...); anything else is an error,
// counted per RPC by code. The mix is built so that no other code is
// expected.
//
// Load (default): --rate=0 runs --concurrency closed-loop clients (each
// sends its next action as soon as the previous one completes); --rate=R
// starts R actions per second on a fixed schedule whatever the latency (an
// open loop: latency counts from the scheduled start, so a client that
// falls behind shows it). Calls completing in the --seconds window after
// --warmup count. Output per RPC: calls, calls/s, p50/p99/p99.9 ms, errors
// by code, and overall; the CPU of each process in the window; RSS and fds.
//
// Soak (--soak-seconds=N): the mix at a fixed rate (--rate, default 200/s)
// for N seconds; every 10 s it samples VmRSS (/proc/<pid>/status) and the
// open file descriptors (/proc/<pid>/fd) of the four services, the gateway
// and itself, and prints a line with them and the OK calls/s, errors and
// p50/p99 of those 10 s. At the end: the latency table of the whole soak
// and, per process, the growth from the first sample after the warm-up
// (60 s, or 20 % of the run when that is shorter) to the last, flagged (not
// failed) above 10 % RSS or 5 fds for the suite's processes (load_bench's
// own growth, every latency it keeps, is shown, not judged). A step after
// a burst (store pools open connections lazily, allocators keep freed
// memory) reads differently from a steady climb: read the 10 s lines, not
// only the summary.
//
// It never fails on speed. It exits non-zero when it cannot set up, and in
// a soak when any call failed or a process died.
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/observability/grpc_metrics.h"
#include "common/store/database.h"
#include "common/store/store_url.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/guides/demo/demo_loader.h"
#include "services/housing/demo/demo_loader.h"
#include "services/plans/demo/demo_loader.h"
#include "services/volunteers/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed::loadbench {
namespace {

using Clock = std::chrono::steady_clock;
namespace gv1 = ::helhed::gateway::v1;
namespace pv1 = ::helhed::plans::v1;
namespace vv1 = ::helhed::volunteers::v1;
namespace guv1 = ::helhed::guides::v1;
namespace hv1 = ::helhed::housing::v1;

constexpr int kClientsPerChannel = 4;
constexpr auto kDeadline = std::chrono::seconds(10);
constexpr char kMunicipality[] = "730";
constexpr double kSoakDefaultRate = 200;
constexpr double kSampleSeconds = 10;
constexpr double kRssFlagPercent = 10;
constexpr long kFdFlag = 5;
constexpr size_t kMaxOutstanding = 10000;  // open loop: actions in flight at most

// ---------------------------------------------------------------------------
// Flags

struct Options {
  double seconds = 20;
  double warmup = 2;
  double rate = 0;  // actions per second; 0: closed loop
  bool rate_given = false;
  int concurrency = 16;
  std::string store = "sqlite";
  double soak_seconds = 0;  // > 0: soak mode
};

constexpr char kUsage[] =
    "usage: load_bench [--seconds=20] [--warmup=2] [--rate=0] [--concurrency=16]\n"
    "                  [--stores=sqlite|mysql] [--soak-seconds=N]\n"
    "  --seconds       measured seconds of the load run (default 20)\n"
    "  --warmup        unmeasured seconds before it (default 2)\n"
    "  --rate          actions per second on a fixed schedule (open loop); 0 (default):\n"
    "                  as fast as possible with --concurrency closed-loop clients\n"
    "  --concurrency   closed-loop clients (default 16); channels: one per 4 clients\n"
    "  --stores        sqlite (default) or mysql (needs HELHED_TEST_MYSQL_URL)\n"
    "  --soak-seconds  soak instead: the mix at --rate (default 200/s) for N seconds,\n"
    "                  RSS and fds of every process sampled every 10 s\n";

absl::StatusOr<Options> ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::CancelledError(kUsage);
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument ", argv[i]));
    }
    const std::vector<absl::string_view> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    static const char* const kFlags[] = {"seconds",     "warmup", "rate",
                                         "concurrency", "stores", "soak-seconds"};
    if (std::find(std::begin(kFlags), std::end(kFlags), kv[0]) == std::end(kFlags)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", kv[0]));
    }
    if (kv.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", arg, " needs a value (--", arg, "=...)"));
    }
    const absl::string_view name = kv[0];
    const absl::string_view value = kv[1];
    bool ok = true;
    if (name == "seconds") {
      ok = absl::SimpleAtod(value, &o.seconds) && o.seconds > 0 && o.seconds <= 86400;
    } else if (name == "warmup") {
      ok = absl::SimpleAtod(value, &o.warmup) && o.warmup >= 0 && o.warmup <= 3600;
    } else if (name == "rate") {
      ok = absl::SimpleAtod(value, &o.rate) && o.rate >= 0 && o.rate <= 1e6;
      o.rate_given = true;
    } else if (name == "concurrency") {
      ok = absl::SimpleAtoi(value, &o.concurrency) && o.concurrency >= 1 && o.concurrency <= 4096;
    } else if (name == "stores") {
      o.store = std::string(value);
      ok = o.store == "sqlite" || o.store == "mysql";
    } else if (name == "soak-seconds") {
      ok = absl::SimpleAtod(value, &o.soak_seconds) && o.soak_seconds >= 10 &&
           o.soak_seconds <= 7 * 86400;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat("bad value for --", name, ": ", value));
    }
  }
  if (o.soak_seconds > 0 && !o.rate_given) o.rate = kSoakDefaultRate;
  if (o.soak_seconds > 0 && o.rate <= 0) {
    return absl::InvalidArgumentError("a soak runs at a fixed rate: --rate must be > 0");
  }
  return o;
}

// ---------------------------------------------------------------------------
// The RPCs and the mix

enum Rpc {
  kOverview,
  kListCitizenPlans,
  kListPlans,
  kStatusReport,
  kRankVolunteers,
  kRankGuides,
  kRankHousing,
  kMakeOffer,
  kWithdrawOffer,
  kDeclineOffer,
  kRpcCount
};

constexpr const char* kRpcNames[kRpcCount] = {
    "gateway GetCitizenOverview", "plans ListCitizenPlans",    "plans ListPlans",
    "plans GetStatusReport",      "volunteers RankCandidates", "guides RankGuides",
    "housing RankCandidates",     "housing MakeOffer",         "housing WithdrawOffer",
    "housing DeclineOffer"};

// Actions are picked by weight; an offer action is MakeOffer followed by
// WithdrawOffer or DeclineOffer.
enum Action {
  kActOverview,
  kActCitizenPlans,
  kActListPlans,
  kActStatus,
  kActVolunteers,
  kActGuides,
  kActHousingRank,
  kActOffer,
  kActionCount
};
constexpr int kWeights[kActionCount] = {35, 10, 10, 10, 10, 10, 10, 5};
constexpr const char* kActionNames[kActionCount] = {
    "caseworker GetCitizenOverview",
    "caseworker ListCitizenPlans",
    "caseworker ListPlans",
    "manager GetStatusReport",
    "volunteer_coordinator RankCandidates",
    "guide_coordinator RankGuides",
    "housing_officer RankCandidates",
    "housing_officer MakeOffer + Withdraw/DeclineOffer"};

const char* CodeName(grpc::StatusCode code) {
  return helhed::observability::GrpcStatusName(static_cast<int>(code));
}

// An OK status whose response does not answer the request.
constexpr char kBadResponse[] = "BAD_RESPONSE";

// ---------------------------------------------------------------------------
// What the mix works on (read-only once the run starts, except the pairs)

struct OfferPair {
  std::string unit_id;
  std::string application_id;
};

// (unit, application) pairs that can take an offer; each used by one action
// at a time.
class PairPool {
 public:
  void Add(OfferPair p) {
    absl::MutexLock lock(&mu_);
    free_.push_back(std::move(p));
    ++total_;
  }
  std::optional<OfferPair> Acquire() {
    absl::MutexLock lock(&mu_);
    if (free_.empty()) return std::nullopt;
    OfferPair p = std::move(free_.back());
    free_.pop_back();
    return p;
  }
  void Release(OfferPair p) {
    absl::MutexLock lock(&mu_);
    free_.push_back(std::move(p));
  }
  // A pair whose offer could not be closed: it is not used again.
  void Retire() {
    absl::MutexLock lock(&mu_);
    ++retired_;
  }
  int total() const {
    absl::MutexLock lock(&mu_);
    return total_;
  }
  int retired() const {
    absl::MutexLock lock(&mu_);
    return retired_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<OfferPair> free_ ABSL_GUARDED_BY(mu_);
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  int retired_ ABSL_GUARDED_BY(mu_) = 0;
};

struct World {
  std::map<std::string, std::string> bearer;         // role -> "Bearer <JWT>"
  std::vector<std::string> citizens;                 // every demo citizen of 730
  std::vector<std::pair<std::string, int>> reports;  // (plan id, year)
  std::vector<std::string> accompaniments;           // volunteers' requests
  std::vector<std::string> guidance;                 // guides' requests
  std::vector<std::string> units;                    // housing units
  PairPool pairs;
  std::string run_tag;
  std::atomic<int64_t> offers_deferred{0};
};

struct Stubs {
  explicit Stubs(const std::shared_ptr<grpc::Channel>& ch)
      : gateway(gv1::GatewayService::NewStub(ch)),
        plans(pv1::PlansService::NewStub(ch)),
        citizen_plans(pv1::CitizenPlansService::NewStub(ch)),
        volunteers(vv1::VolunteersService::NewStub(ch)),
        guides(guv1::GuidesService::NewStub(ch)),
        housing(hv1::HousingService::NewStub(ch)) {}
  std::unique_ptr<gv1::GatewayService::Stub> gateway;
  std::unique_ptr<pv1::PlansService::Stub> plans;
  std::unique_ptr<pv1::CitizenPlansService::Stub> citizen_plans;
  std::unique_ptr<vv1::VolunteersService::Stub> volunteers;
  std::unique_ptr<guv1::GuidesService::Stub> guides;
  std::unique_ptr<hv1::HousingService::Stub> housing;
};

// ---------------------------------------------------------------------------
// One RPC of a flow, on the async API

class CallBase {
 public:
  virtual ~CallBase() = default;
  virtual void Issue(grpc::ClientContext* ctx, grpc::CompletionQueue* cq, grpc::Status* status,
                     void* tag) = 0;
  virtual void Reset() = 0;  // the reader lives in the context's arena
};

template <class Req, class Resp>
class Call final : public CallBase {
 public:
  using Prepare = std::function<std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>>(
      grpc::ClientContext*, const Req&, grpc::CompletionQueue*)>;
  explicit Call(Prepare prepare) : prepare_(std::move(prepare)) {}

  void Issue(grpc::ClientContext* ctx, grpc::CompletionQueue* cq, grpc::Status* status,
             void* tag) override {
    response.Clear();
    rpc_ = prepare_(ctx, request, cq);
    rpc_->StartCall();
    rpc_->Finish(&response, status, tag);
  }
  void Reset() override { rpc_.reset(); }

  Req request;
  Resp response;

 private:
  Prepare prepare_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> rpc_;
};

#define HELHED_PREPARE(stub, Method)                                              \
  [s = (stub)](grpc::ClientContext* c, const auto& r, grpc::CompletionQueue* q) { \
    return s->PrepareAsync##Method(c, r, q);                                      \
  }

// One user's action at a time: one RPC, or MakeOffer and then its
// withdrawal or decline. Lives on one driver thread; tagged with itself.
class Flow {
 public:
  Flow(World* world, Stubs* stubs, int id, uint64_t seed)
      : world_(world),
        rng_(seed),
        prefix_(absl::StrCat(world->run_tag, "-", id, "-")),
        overview_(HELHED_PREPARE(stubs->gateway.get(), GetCitizenOverview)),
        citizen_plans_(HELHED_PREPARE(stubs->citizen_plans.get(), ListCitizenPlans)),
        list_plans_(HELHED_PREPARE(stubs->plans.get(), ListPlans)),
        status_report_(HELHED_PREPARE(stubs->plans.get(), GetStatusReport)),
        rank_volunteers_(HELHED_PREPARE(stubs->volunteers.get(), RankCandidates)),
        rank_guides_(HELHED_PREPARE(stubs->guides.get(), RankGuides)),
        rank_housing_(HELHED_PREPARE(stubs->housing.get(), RankCandidates)),
        make_offer_(HELHED_PREPARE(stubs->housing.get(), MakeOffer)),
        withdraw_offer_(HELHED_PREPARE(stubs->housing.get(), WithdrawOffer)),
        decline_offer_(HELHED_PREPARE(stubs->housing.get(), DeclineOffer)) {
    list_plans_.request.mutable_page()->set_page_size(20);
    citizen_plans_.request.mutable_page()->set_page_size(20);
    rank_volunteers_.request.set_limit(10);
    rank_guides_.request.set_limit(10);
    rank_housing_.request.set_limit(10);
    withdraw_offer_.request.set_note("Withdrawn by load_bench.");
    decline_offer_.request.set_reason(hv1::DECLINE_REASON_NOT_READY);
    decline_offer_.request.set_note("Declined by load_bench.");
    for (int a = 0; a < kActionCount; ++a) total_weight_ += kWeights[a];
  }

  ~Flow() { ResetAll(); }

  // Picks an action and starts its first RPC; latency counts from `intended`.
  void Begin(grpc::CompletionQueue* cq, Clock::time_point intended) {
    int pick = std::uniform_int_distribution<int>(0, total_weight_ - 1)(rng_);
    int action = 0;
    while (pick >= kWeights[action]) pick -= kWeights[action++];
    if (action == kActOffer) {
      pair_ = world_->pairs.Acquire();
      if (!pair_) {
        world_->offers_deferred.fetch_add(1, std::memory_order_relaxed);
        action = kActHousingRank;
      }
    }
    switch (action) {
      case kActOverview:
        overview_.request.set_citizen_id(Pick(world_->citizens));
        Start(cq, kOverview, &overview_, "caseworker", intended);
        break;
      case kActCitizenPlans:
        citizen_plans_.request.set_citizen_id(Pick(world_->citizens));
        Start(cq, kListCitizenPlans, &citizen_plans_, "caseworker", intended);
        break;
      case kActListPlans:
        Start(cq, kListPlans, &list_plans_, "caseworker", intended);
        break;
      case kActStatus: {
        const auto& [plan, year] = Pick(world_->reports);
        status_report_.request.set_plan_id(plan);
        status_report_.request.set_year(year);
        Start(cq, kStatusReport, &status_report_, "manager", intended);
        break;
      }
      case kActVolunteers:
        rank_volunteers_.request.set_accompaniment_id(Pick(world_->accompaniments));
        Start(cq, kRankVolunteers, &rank_volunteers_, "volunteer_coordinator", intended);
        break;
      case kActGuides:
        rank_guides_.request.set_guidance_request_id(Pick(world_->guidance));
        Start(cq, kRankGuides, &rank_guides_, "guide_coordinator", intended);
        break;
      case kActHousingRank:
        rank_housing_.request.set_unit_id(Pick(world_->units));
        Start(cq, kRankHousing, &rank_housing_, "housing_officer", intended);
        break;
      case kActOffer: {
        auto& r = make_offer_.request;
        r.set_unit_id(pair_->unit_id);
        r.set_application_id(pair_->application_id);
        *r.mutable_deadline() = google::protobuf::util::TimeUtil::TimeTToTimestamp(
            absl::ToTimeT(absl::Now() + absl::Hours(24 * 30)));
        r.set_idempotency_key(absl::StrCat(prefix_, seq_++));
        Start(cq, kMakeOffer, &make_offer_, "housing_officer", intended);
        break;
      }
      default:
        break;
    }
  }

  struct Done {
    Rpc rpc;
    grpc::Status outcome;
    int64_t latency_ns;
    bool continues;  // the flow's next RPC has started
  };

  // The current RPC completed (at `now`): its outcome, and the next RPC of
  // the action started if there is one.
  Done Complete(grpc::CompletionQueue* cq, Clock::time_point now) {
    Done d;
    d.rpc = rpc_;
    d.outcome = status_.ok() ? Check() : status_;
    d.latency_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_).count();
    d.continues = false;
    if (rpc_ == kMakeOffer) {
      if (d.outcome.ok()) {
        const hv1::Offer& offer = make_offer_.response.offer();
        if (decline_next_) {
          decline_offer_.request.set_offer_id(offer.id());
          decline_offer_.request.set_etag(offer.etag());
          Start(cq, kDeclineOffer, &decline_offer_, "housing_officer", now);
        } else {
          withdraw_offer_.request.set_offer_id(offer.id());
          withdraw_offer_.request.set_etag(offer.etag());
          Start(cq, kWithdrawOffer, &withdraw_offer_, "housing_officer", now);
        }
        decline_next_ = !decline_next_;
        d.continues = true;
      } else {
        world_->pairs.Retire();  // an offer may hold the pair: not used again
        pair_.reset();
      }
    } else if (rpc_ == kWithdrawOffer || rpc_ == kDeclineOffer) {
      if (d.outcome.ok()) {
        world_->pairs.Release(std::move(*pair_));
      } else {
        world_->pairs.Retire();
      }
      pair_.reset();
    }
    return d;
  }

 private:
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng_)];
  }

  void ResetAll() {
    for (CallBase* c : std::initializer_list<CallBase*>{
             &overview_, &citizen_plans_, &list_plans_, &status_report_, &rank_volunteers_,
             &rank_guides_, &rank_housing_, &make_offer_, &withdraw_offer_, &decline_offer_}) {
      c->Reset();
    }
  }

  void Start(grpc::CompletionQueue* cq, Rpc rpc, CallBase* call, const std::string& role,
             Clock::time_point from) {
    if (current_ != nullptr) current_->Reset();
    context_ = std::make_unique<grpc::ClientContext>();
    context_->AddMetadata("authorization", world_->bearer.at(role));
    context_->AddMetadata("x-helhed-purpose", "load_bench");
    context_->set_deadline(std::chrono::system_clock::now() + kDeadline);
    status_ = grpc::Status();
    rpc_ = rpc;
    current_ = call;
    started_ = from;
    call->Issue(context_.get(), cq, &status_, this);
  }

  static grpc::Status Bad(const std::string& why) {
    return grpc::Status(grpc::StatusCode::UNKNOWN, absl::StrCat(kBadResponse, ": ", why));
  }

  // An OK response that answers the request, or an error.
  grpc::Status Check() {
    switch (rpc_) {
      case kOverview: {
        const auto& o = overview_.response.overview();
        if (o.citizen_id() != overview_.request.citizen_id()) return Bad("another citizen");
        for (const auto* s : {&o.plans().section(), &o.volunteers().section(),
                              &o.guides().section(), &o.housing().section()}) {
          if (s->status() != gv1::SECTION_STATUS_AVAILABLE) {
            return Bad(absl::StrCat("a section is ", gv1::SectionStatus_Name(s->status()), " (",
                                    s->reason(), ")"));
          }
        }
        return grpc::Status::OK;
      }
      case kListCitizenPlans:
        for (const auto& p : citizen_plans_.response.citizen_plans()) {
          if (p.citizen_id() != citizen_plans_.request.citizen_id()) {
            return Bad("another citizen's plan");
          }
        }
        return grpc::Status::OK;
      case kListPlans:
        return list_plans_.response.plans().empty() ? Bad("no plans") : grpc::Status::OK;
      case kStatusReport:
        return status_report_.response.markdown().empty() ? Bad("empty report") : grpc::Status::OK;
      case kRankVolunteers:
        return rank_volunteers_.response.considered() <= 0 ? Bad("no volunteer considered")
                                                           : grpc::Status::OK;
      case kRankGuides:
        return rank_guides_.response.considered() <= 0 ? Bad("no guide considered")
                                                       : grpc::Status::OK;
      case kRankHousing:
        return grpc::Status::OK;
      case kMakeOffer: {
        const auto& o = make_offer_.response.offer();
        if (o.id().empty() || o.offer_state() != hv1::OFFER_STATE_PENDING ||
            o.unit_id() != make_offer_.request.unit_id()) {
          return Bad("no pending offer of the unit came back");
        }
        return grpc::Status::OK;
      }
      case kWithdrawOffer:
        return withdraw_offer_.response.offer().offer_state() != hv1::OFFER_STATE_WITHDRAWN
                   ? Bad("the offer is not withdrawn")
                   : grpc::Status::OK;
      case kDeclineOffer:
        return decline_offer_.response.offer().offer_state() != hv1::OFFER_STATE_DECLINED
                   ? Bad("the offer is not declined")
                   : grpc::Status::OK;
      default:
        return Bad("unknown rpc");
    }
  }

  World* world_;
  std::mt19937_64 rng_;
  const std::string prefix_;
  int64_t seq_ = 0;
  int total_weight_ = 0;
  bool decline_next_ = false;
  std::optional<OfferPair> pair_;

  Call<gv1::GetCitizenOverviewRequest, gv1::GetCitizenOverviewResponse> overview_;
  Call<pv1::ListCitizenPlansRequest, pv1::ListCitizenPlansResponse> citizen_plans_;
  Call<pv1::ListPlansRequest, pv1::ListPlansResponse> list_plans_;
  Call<pv1::GetStatusReportRequest, pv1::GetStatusReportResponse> status_report_;
  Call<vv1::RankCandidatesRequest, vv1::RankCandidatesResponse> rank_volunteers_;
  Call<guv1::RankGuidesRequest, guv1::RankGuidesResponse> rank_guides_;
  Call<hv1::RankCandidatesRequest, hv1::RankCandidatesResponse> rank_housing_;
  Call<hv1::MakeOfferRequest, hv1::MakeOfferResponse> make_offer_;
  Call<hv1::WithdrawOfferRequest, hv1::WithdrawOfferResponse> withdraw_offer_;
  Call<hv1::DeclineOfferRequest, hv1::DeclineOfferResponse> decline_offer_;

  // The current RPC; the context outlives its reader (reset in Start).
  std::unique_ptr<grpc::ClientContext> context_;
  CallBase* current_ = nullptr;
  grpc::Status status_;
  Rpc rpc_ = kRpcCount;
  Clock::time_point started_;
};

#undef HELHED_PREPARE

// ---------------------------------------------------------------------------
// Tallies

struct RpcTally {
  std::vector<int64_t> latency_ns;  // OK calls in the window
  std::map<std::string, int64_t> errors_by_code;
  std::string first_error;

  int64_t ok() const { return static_cast<int64_t>(latency_ns.size()); }
  int64_t errors() const {
    int64_t n = 0;
    for (const auto& [code, k] : errors_by_code) n += k;
    return n;
  }
  void Merge(const RpcTally& o) {
    latency_ns.insert(latency_ns.end(), o.latency_ns.begin(), o.latency_ns.end());
    for (const auto& [code, n] : o.errors_by_code) errors_by_code[code] += n;
    if (first_error.empty()) first_error = o.first_error;
  }
  // Nearest rank, in ms; latencies sorted.
  double PercentileMs(double q) const {
    if (latency_ns.empty()) return NAN;
    const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latency_ns.size())));
    return static_cast<double>(
               latency_ns[std::min(latency_ns.size() - 1, rank == 0 ? 0 : rank - 1)]) /
           1e6;
  }
};

// One driver thread: its completion queue, channels, flows and tallies.
struct Driver {
  grpc::CompletionQueue cq;
  std::vector<std::unique_ptr<Stubs>> stubs;  // one per channel
  std::vector<std::unique_ptr<Flow>> flows;
  std::vector<Flow*> idle;  // open loop: flows not in flight
  RpcTally tally[kRpcCount];
  std::atomic<int64_t> ok_total{0};
  std::atomic<int64_t> errors_total{0};
  int64_t dropped = 0;  // open loop: scheduled starts skipped at kMaxOutstanding
  size_t peak_outstanding = 0;
  int id = 0;
  // Soak: latencies of OK calls since the last sample (all, and the
  // overview), taken by the sampling thread.
  bool keep_interval = false;
  absl::Mutex interval_mu;
  std::vector<int64_t> interval_all ABSL_GUARDED_BY(interval_mu);
  std::vector<int64_t> interval_overview ABSL_GUARDED_BY(interval_mu);
};

// Runs a driver until `to`, then lets its flows finish (including the
// second half of an offer). Closed loop (rate 0): every flow restarts as
// soon as it ends. Open loop: a flow starts every 1/rate s from `phase`.
// Outcomes completing in [from, to) count; errors count from `from` on.
void Drive(Driver* d, World* world, double rate, Clock::time_point start, Clock::time_point from,
           Clock::time_point to) {
  size_t outstanding = 0;
  auto record = [&](const Flow::Done& done, Clock::time_point now) {
    if (now < from) return;
    RpcTally& t = d->tally[done.rpc];
    if (done.outcome.ok()) {
      if (now < to) {
        t.latency_ns.push_back(done.latency_ns);
        d->ok_total.fetch_add(1, std::memory_order_relaxed);
        if (d->keep_interval) {
          absl::MutexLock lock(&d->interval_mu);
          d->interval_all.push_back(done.latency_ns);
          if (done.rpc == kOverview) d->interval_overview.push_back(done.latency_ns);
        }
      }
      return;
    }
    const std::string msg = done.outcome.error_message();
    const std::string code = absl::StartsWith(msg, kBadResponse)
                                 ? std::string(kBadResponse)
                                 : std::string(CodeName(done.outcome.error_code()));
    ++t.errors_by_code[code];
    if (t.first_error.empty()) t.first_error = absl::StrCat(code, ": ", msg);
    d->errors_total.fetch_add(1, std::memory_order_relaxed);
  };
  auto handle = [&](void* tag) {
    auto* f = static_cast<Flow*>(tag);
    const Clock::time_point now = Clock::now();
    const Flow::Done done = f->Complete(&d->cq, now);
    record(done, now);
    if (done.continues) return;
    if (rate <= 0 && now < to) {
      f->Begin(&d->cq, now);
    } else {
      --outstanding;
      if (rate > 0) d->idle.push_back(f);
    }
  };

  if (rate <= 0) {
    for (auto& f : d->flows) f->Begin(&d->cq, Clock::now());
    outstanding = d->flows.size();
    while (outstanding > 0) {
      void* tag = nullptr;
      bool ok = false;
      if (!d->cq.Next(&tag, &ok)) break;
      handle(tag);
    }
    return;
  }

  const auto interval = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / rate));
  Clock::time_point next = start + interval * d->id / 2;  // two drivers interleave
  uint64_t seed = 1000 + static_cast<uint64_t>(d->id) * 1000003;
  while (true) {
    const Clock::time_point now = Clock::now();
    while (next <= now && next < to) {
      if (outstanding >= kMaxOutstanding) {
        ++d->dropped;
      } else {
        if (d->idle.empty()) {
          const size_t channel = d->flows.size() % d->stubs.size();
          d->flows.push_back(
              std::make_unique<Flow>(world, d->stubs[channel].get(),
                                     d->id * 1000000 + static_cast<int>(d->flows.size()), seed++));
          d->idle.push_back(d->flows.back().get());
        }
        Flow* f = d->idle.back();
        d->idle.pop_back();
        f->Begin(&d->cq, next);
        ++outstanding;
        d->peak_outstanding = std::max(d->peak_outstanding, outstanding);
      }
      next += interval;
    }
    if (now >= to && outstanding == 0) break;
    void* tag = nullptr;
    bool ok = false;
    if (now >= to) {
      if (!d->cq.Next(&tag, &ok)) break;
      handle(tag);
      continue;
    }
    const auto deadline =
        std::chrono::system_clock::now() +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::min(next, to) - now);
    const auto got = d->cq.AsyncNext(&tag, &ok, deadline);
    if (got == grpc::CompletionQueue::SHUTDOWN) break;
    if (got == grpc::CompletionQueue::GOT_EVENT) handle(tag);
  }
}

// ---------------------------------------------------------------------------
// Processes: CPU, memory, descriptors

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ReadFirstLine(const std::string& path, const std::string& prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, prefix)) return line;
  }
  return "";
}

// CPU seconds of a process (user + system), from /proc; 0 when gone.
double ProcessCpuSeconds(pid_t pid) {
  std::string line;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  if (pid <= 0 || !std::getline(in, line)) return 0;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  const std::vector<std::string> f =
      absl::StrSplit(line.substr(paren + 1), ' ', absl::SkipWhitespace());
  double utime = 0;
  double stime = 0;
  if (f.size() < 13 || !absl::SimpleAtod(f[11], &utime) || !absl::SimpleAtod(f[12], &stime)) {
    return 0;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double MachineBusySeconds() {
  const std::string line = ReadFirstLine("/proc/stat", "cpu ");
  const std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  double busy = 0;
  for (size_t i = 1; i < f.size() && i <= 8; ++i) {
    double v = 0;
    if (i != 4 && i != 5 && absl::SimpleAtod(f[i], &v)) busy += v / tick;  // not idle, iowait
  }
  return busy;
}

struct ProcSample {
  bool alive = false;
  long rss_kb = 0;
  long fds = 0;
};

ProcSample SampleProcess(pid_t pid) {
  ProcSample s;
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  bool zombie = false;
  bool has_rss = false;
  while (std::getline(in, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, "State:")) {
      zombie = absl::StrContains(v, "Z") || absl::StrContains(v, "X");
    } else if (absl::ConsumePrefix(&v, "VmRSS:")) {
      v = absl::StripAsciiWhitespace(v);
      absl::ConsumeSuffix(&v, "kB");
      has_rss = absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &s.rss_kb);
    }
  }
  s.alive = has_rss && !zombie;
  if (DIR* dir = opendir(absl::StrCat("/proc/", pid, "/fd").c_str())) {
    while (const dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') ++s.fds;
    }
    closedir(dir);
  }
  return s;
}

struct Watched {
  std::string name;
  pid_t pid;
};

// ---------------------------------------------------------------------------
// Setup

struct Setup {
  std::string dir;
  std::string store;  // "sqlite" or "mysql"
  std::map<std::string, std::unique_ptr<helhed::testing::ServiceProcess>> services;
  std::unique_ptr<helhed::testing::ServiceProcess> gateway;
  std::vector<std::string> temp_dirs;
  std::vector<std::string> mysql_urls;
};

// Drops a MySQL database made by NewStoreUrl.
void DropMysqlDatabase(const std::string& url) {
  const char* admin = std::getenv("HELHED_TEST_MYSQL_URL");
  auto parsed = store::ParseStoreUrl(url);
  if (admin == nullptr || !parsed.ok() || !absl::StartsWith(parsed->database, "helhed_t")) return;
  store::StoreOptions opts;
  opts.pool_size = 1;
  auto db = store::Database::Open(admin, opts);
  if (db.ok()) {
    (*db)
        ->Run([&](store::Connection& c) {
          return c.ExecuteScript(absl::StrCat("DROP DATABASE ", parsed->database));
        })
        .IgnoreError();
    (*db)->Close();
  }
}

absl::StatusOr<std::unique_ptr<helhed::testing::ServiceProcess>> StartProcess(const char* binary,
                                                                              Setup* s) {
  if (access(binary, X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(binary, " is missing; build it"));
  }
  auto url = helhed::testing::NewStoreUrl(s->store == "mysql" ? helhed::testing::Backend::kMysql
                                                              : helhed::testing::Backend::kSqlite);
  if (!url.ok()) return url.status();
  if (s->store == "mysql") {
    s->mysql_urls.push_back(*url);
  } else if (auto parsed = store::ParseStoreUrl(*url); parsed.ok() && !parsed->path.empty()) {
    s->temp_dirs.push_back(std::filesystem::path(parsed->path).parent_path().string());
  }
  auto p = helhed::testing::ServiceProcess::Start(binary, *url);
  if (!p.ok()) {
    return absl::Status(p.status().code(),
                        absl::StrCat("cannot start ", binary, ": ", p.status().message()));
  }
  s->temp_dirs.push_back(std::filesystem::path((*p)->log_path()).parent_path().string());
  return p;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

absl::Status MintTokens(const std::string& dir, World* w) {
  const std::string cmd =
      absl::StrCat("mkdir -p ", dir,
                   "/keys && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ",
                   dir, "/idp.key 2>/dev/null && openssl pkey -in ", dir, "/idp.key -pubout -out ",
                   dir, "/keys/idp-1.pem && head -c 48 /dev/urandom > ", dir, "/cpr.key");
  if (std::system(cmd.c_str()) != 0) {
    return absl::InternalError("cannot make the keys (openssl genpkey)");
  }
  for (const char* role :
       {"caseworker", "volunteer_coordinator", "guide_coordinator", "housing_officer", "manager"}) {
    gateway::MintOptions m;
    m.private_key_pem = ReadFile(dir + "/idp.key");
    m.kid = "idp-1";
    m.issuer = "https://idp.helhed.local";
    m.audience = "helhed-gateway";
    m.subject = absl::StrCat("load-bench-", role);
    m.municipality = kMunicipality;
    m.roles = {role};
    m.issued_at = absl::Now() - absl::Minutes(1);
    m.lifetime = absl::Hours(24 * 8);  // longer than any soak
    auto token = gateway::MintToken(m);
    if (!token.ok()) return token.status();
    w->bearer[role] = absl::StrCat("Bearer ", *token);
  }
  return absl::OkStatus();
}

std::unique_ptr<grpc::ClientContext> Ctx(const World& w, const std::string& role) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", w.bearer.at(role));
  ctx->AddMetadata("x-helhed-purpose", "load_bench setup");
  ctx->set_deadline(std::chrono::system_clock::now() + kDeadline);
  return ctx;
}

absl::Status Failed(const std::string& what, const grpc::Status& s) {
  return absl::UnavailableError(
      absl::StrCat(what, ": ", CodeName(s.error_code()), ": ", s.error_message()));
}

// Every page of a list through the gateway.
template <class Req, class Resp, class Fn, class Each>
absl::Status ListAll(const std::string& what, Req req, Fn call, Each each) {
  req.mutable_page()->set_page_size(500);
  for (int pages = 0; pages < 100; ++pages) {
    Resp resp;
    const grpc::Status s = call(req, &resp);
    if (!s.ok()) return Failed(what, s);
    each(resp);
    if (resp.page().next_page_token().empty()) return absl::OkStatus();
    req.mutable_page()->set_page_token(resp.page().next_page_token());
  }
  return absl::OkStatus();
}

// Starts everything, loads the demo data and fills `w` from what the
// gateway returns; every kind of call of the mix is tried once.
absl::Status SetUp(Setup* s, World* w) {
  s->dir = helhed::testing::TempDir();
  s->temp_dirs.push_back(s->dir);
  if (absl::Status st = MintTokens(s->dir, w); !st.ok()) return st;

  const std::pair<const char*, const char*> binaries[] = {{"plans", HELHED_PLANS_BINARY},
                                                          {"volunteers", HELHED_VOLUNTEERS_BINARY},
                                                          {"guides", HELHED_GUIDES_BINARY},
                                                          {"housing", HELHED_HOUSING_BINARY}};
  for (const auto& [name, binary] : binaries) {
    auto p = StartProcess(binary, s);
    if (!p.ok()) return p.status();
    s->services[name] = std::move(*p);
  }

  // Demo data, straight into the services.
  const Clock::time_point load_start = Clock::now();
  auto data =
      plans::demo::ReadDataset(HELHED_SOURCE_DIR "/services/plans/demo/demo_data.textproto");
  if (!data.ok()) return data.status();
  if (auto r = plans::demo::LoadDataset(*data, s->services["plans"]->NewChannel()); !r.ok()) {
    return absl::Status(r.status().code(), absl::StrCat("plans demo: ", r.status().message()));
  }
  volunteers::demo::DemoOptions vo;
  vo.municipality = kMunicipality;
  auto vids = volunteers::demo::LoadDemo(s->services["volunteers"]->NewChannel(), vo);
  if (!vids.ok()) {
    return absl::Status(vids.status().code(),
                        absl::StrCat("volunteers demo: ", vids.status().message()));
  }
  guides::demo::DemoOptions go;
  go.municipality = kMunicipality;
  auto gids = guides::demo::LoadDemo(s->services["guides"]->NewChannel(), go);
  if (!gids.ok()) {
    return absl::Status(gids.status().code(),
                        absl::StrCat("guides demo: ", gids.status().message()));
  }
  housing::demo::DemoOptions ho;
  ho.municipality = kMunicipality;
  auto hids = housing::demo::LoadDemo(s->services["housing"]->NewChannel(), ho);
  if (!hids.ok()) {
    return absl::Status(hids.status().code(),
                        absl::StrCat("housing demo: ", hids.status().message()));
  }
  const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();

  setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (s->dir + "/keys").c_str(), 1);
  setenv("HELHED_GATEWAY_CPR_KEY_FILE", (s->dir + "/cpr.key").c_str(), 1);
  setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt", 1);
  setenv("HELHED_GATEWAY_BACKENDS",
         absl::StrCat("plans=", s->services["plans"]->target(),
                      ",volunteers=", s->services["volunteers"]->target(),
                      ",guides=", s->services["guides"]->target(),
                      ",housing=", s->services["housing"]->target())
             .c_str(),
         1);
  setenv("HELHED_GATEWAY_RATE", "0", 1);
  auto gateway = StartProcess(HELHED_GATEWAY_BINARY, s);
  if (!gateway.ok()) return gateway.status();
  s->gateway = std::move(*gateway);

  // What the mix works on, read through the gateway.
  Stubs gw(NewChannel(s->gateway->target()));
  std::set<std::string> citizens;
  std::vector<pv1::Plan> plan_list;
  absl::Status st = ListAll<pv1::ListPlansRequest, pv1::ListPlansResponse>(
      "ListPlans", {},
      [&](const auto& r, auto* out) {
        return gw.plans->ListPlans(Ctx(*w, "manager").get(), r, out);
      },
      [&](const auto& resp) {
        plan_list.insert(plan_list.end(), resp.plans().begin(), resp.plans().end());
      });
  if (!st.ok()) return st;
  st = ListAll<pv1::ListCitizenPlansRequest, pv1::ListCitizenPlansResponse>(
      "ListCitizenPlans", {},
      [&](const auto& r, auto* out) {
        return gw.citizen_plans->ListCitizenPlans(Ctx(*w, "manager").get(), r, out);
      },
      [&](const auto& resp) {
        for (const auto& p : resp.citizen_plans()) citizens.insert(p.citizen_id());
      });
  if (!st.ok()) return st;
  st = ListAll<vv1::ListAccompanimentRequestsRequest, vv1::ListAccompanimentRequestsResponse>(
      "ListAccompanimentRequests", {},
      [&](const auto& r, auto* out) {
        return gw.volunteers->ListAccompanimentRequests(Ctx(*w, "manager").get(), r, out);
      },
      [&](const auto& resp) {
        for (const auto& a : resp.accompaniment_requests()) citizens.insert(a.citizen_id());
      });
  if (!st.ok()) return st;
  st = ListAll<guv1::ListGuidanceRequestsRequest, guv1::ListGuidanceRequestsResponse>(
      "ListGuidanceRequests", {},
      [&](const auto& r, auto* out) {
        return gw.guides->ListGuidanceRequests(Ctx(*w, "manager").get(), r, out);
      },
      [&](const auto& resp) {
        for (const auto& g : resp.guidance_requests()) citizens.insert(g.citizen_id());
      });
  if (!st.ok()) return st;
  st = ListAll<hv1::ListApplicationsRequest, hv1::ListApplicationsResponse>(
      "ListApplications", {},
      [&](const auto& r, auto* out) {
        return gw.housing->ListApplications(Ctx(*w, "manager").get(), r, out);
      },
      [&](const auto& resp) {
        for (const auto& a : resp.applications()) citizens.insert(a.citizen_id());
      });
  if (!st.ok()) return st;
  w->citizens.assign(citizens.begin(), citizens.end());

  // Every call of the mix once: keep what answers OK.
  for (const auto& p : plan_list) {
    for (int year = p.period().start_year(); year <= p.period().end_year(); ++year) {
      pv1::GetStatusReportRequest req;
      req.set_plan_id(p.id());
      req.set_year(year);
      pv1::GetStatusReportResponse resp;
      const grpc::Status g = gw.plans->GetStatusReport(Ctx(*w, "manager").get(), req, &resp);
      if (!g.ok()) return Failed(absl::StrCat("GetStatusReport ", p.id(), " ", year), g);
      w->reports.emplace_back(p.id(), year);
    }
  }
  for (const auto& id : vids->requests) {
    vv1::RankCandidatesRequest req;
    req.set_accompaniment_id(id);
    vv1::RankCandidatesResponse resp;
    if (gw.volunteers->RankCandidates(Ctx(*w, "volunteer_coordinator").get(), req, &resp).ok() &&
        resp.considered() > 0) {
      w->accompaniments.push_back(id);
    }
  }
  for (const auto& id : gids->requests) {
    guv1::RankGuidesRequest req;
    req.set_guidance_request_id(id);
    guv1::RankGuidesResponse resp;
    if (gw.guides->RankGuides(Ctx(*w, "guide_coordinator").get(), req, &resp).ok() &&
        resp.considered() > 0) {
      w->guidance.push_back(id);
    }
  }
  std::set<std::string> paired_apps;
  for (const auto& id : hids->units) {
    hv1::RankCandidatesRequest req;
    req.set_unit_id(id);
    req.set_limit(100);
    hv1::RankCandidatesResponse resp;
    const grpc::Status g = gw.housing->RankCandidates(Ctx(*w, "housing_officer").get(), req, &resp);
    if (!g.ok()) continue;
    w->units.push_back(id);
    hv1::GetUnitRequest ureq;
    ureq.set_id(id);
    hv1::GetUnitResponse unit;
    if (!gw.housing->GetUnit(Ctx(*w, "housing_officer").get(), ureq, &unit).ok() ||
        unit.unit().unit_status() != hv1::UNIT_STATUS_AVAILABLE) {
      continue;
    }
    for (const auto& c : resp.candidates()) {
      if (paired_apps.insert(c.application_id()).second) {
        w->pairs.Add({id, c.application_id()});
        break;
      }
    }
  }
  gv1::GetCitizenOverviewRequest oreq;
  gv1::GetCitizenOverviewResponse oresp;
  for (const auto& c : w->citizens) {
    oreq.set_citizen_id(c);
    const grpc::Status g =
        gw.gateway->GetCitizenOverview(Ctx(*w, "caseworker").get(), oreq, &oresp);
    if (!g.ok()) return Failed(absl::StrCat("GetCitizenOverview ", c), g);
  }
  if (w->citizens.empty() || w->reports.empty() || w->accompaniments.empty() ||
      w->guidance.empty() || w->units.empty() || w->pairs.total() == 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the demo data gives too little to run the mix: %zu citizens, %zu (plan, year) reports, "
        "%zu accompaniment requests, %zu guidance requests, %zu units, %d offer pairs",
        w->citizens.size(), w->reports.size(), w->accompaniments.size(), w->guidance.size(),
        w->units.size(), w->pairs.total()));
  }
  std::printf(
      "store: %s; demo data loaded into the services in %.1f s\n"
      "municipality %s through the gateway: %zu citizens, %zu plans (%zu plan-years), %zu "
      "accompaniment requests, %zu guidance requests, %zu units, %d (unit, application) pairs "
      "for offers\n",
      s->store.c_str(), load_s, kMunicipality, w->citizens.size(), plan_list.size(),
      w->reports.size(), w->accompaniments.size(), w->guidance.size(), w->units.size(),
      w->pairs.total());
  std::fflush(stdout);
  return absl::OkStatus();
}

// Stops what SetUp started (SIGTERM, gateway first); their exits printed.
// Leaves the temp dirs and databases when something went wrong.
void TearDown(Setup* s, bool failed) {
  std::vector<std::string> exits;
  auto stop = [&](const std::string& name, std::unique_ptr<helhed::testing::ServiceProcess>* p) {
    if (!*p) return;
    (*p)->Signal(SIGTERM);
    auto code = (*p)->Wait(absl::Seconds(30));
    exits.push_back(absl::StrCat(name, " ", code.ok() ? absl::StrCat("exit ", *code) : "no exit"));
    p->reset();
  };
  stop("gateway", &s->gateway);
  for (auto& [name, p] : s->services) stop(name, &p);
  if (!exits.empty()) std::printf("stopped (SIGTERM): %s\n", absl::StrJoin(exits, ", ").c_str());
  if (failed) {
    helhed::testing::KeepTempDirs();
    std::fprintf(stderr, "load_bench: logs left in %s\n", absl::StrJoin(s->temp_dirs, " ").c_str());
    return;
  }
  for (const auto& d : s->temp_dirs) helhed::testing::RemoveTempDir(d);
  for (const auto& u : s->mysql_urls) DropMysqlDatabase(u);
}

// ---------------------------------------------------------------------------
// Printing

std::string Ms(double v) { return std::isnan(v) ? "-" : absl::StrFormat("%.2f", v); }

void PrintTable(Driver* const* drivers, size_t n, double window_s) {
  RpcTally merged[kRpcCount];
  RpcTally all;
  for (size_t i = 0; i < n; ++i) {
    for (int r = 0; r < kRpcCount; ++r) merged[r].Merge(drivers[i]->tally[r]);
  }
  for (int r = 0; r < kRpcCount; ++r) {
    all.Merge(merged[r]);
    std::sort(merged[r].latency_ns.begin(), merged[r].latency_ns.end());
  }
  std::sort(all.latency_ns.begin(), all.latency_ns.end());
  std::printf("%-28s %9s %7s %9s %8s %8s %9s\n", "rpc", "calls", "errors", "calls/s", "p50 ms",
              "p99 ms", "p99.9 ms");
  auto row = [&](const char* name, const RpcTally& t) {
    std::printf("%-28s %9lld %7lld %9.1f %8s %8s %9s\n", name,
                static_cast<long long>(t.ok() + t.errors()), static_cast<long long>(t.errors()),
                static_cast<double>(t.ok()) / window_s, Ms(t.PercentileMs(0.50)).c_str(),
                Ms(t.PercentileMs(0.99)).c_str(), Ms(t.PercentileMs(0.999)).c_str());
  };
  for (int r = 0; r < kRpcCount; ++r) row(kRpcNames[r], merged[r]);
  row("all", all);
  for (int r = 0; r < kRpcCount; ++r) {
    if (merged[r].errors() == 0) continue;
    std::vector<std::string> parts;
    for (const auto& [code, k] : merged[r].errors_by_code)
      parts.push_back(absl::StrCat(code, " x", k));
    std::printf("  errors in %s: %s; first: %s\n", kRpcNames[r], absl::StrJoin(parts, ", ").c_str(),
                merged[r].first_error.c_str());
  }
}

void PrintMachine(int argc, char** argv) {
  cpu_set_t set;
  CPU_ZERO(&set);
  const int nproc = sched_getaffinity(0, sizeof(set), &set) == 0
                        ? CPU_COUNT(&set)
                        : static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  utsname u{};
  uname(&u);
  std::string model = ReadFirstLine("/proc/cpuinfo", "model name");
  if (const size_t colon = model.find(':'); colon != std::string::npos) {
    model = std::string(absl::StripAsciiWhitespace(model.substr(colon + 1)));
  }
  std::vector<std::string> args(argv, argv + argc);
  std::printf("load_bench\n");
  std::printf("command: %s\n", absl::StrJoin(args, " ").c_str());
  std::printf("started: %s\n",
              absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::Now(), absl::UTCTimeZone()).c_str());
  std::printf("machine: nproc %d, kernel %s, %s; gRPC %s\n", nproc, u.release,
              model.empty() ? "cpu unknown" : model.c_str(), grpc::Version().c_str());
  std::printf("load average at start: %s\n", ReadFirstLine("/proc/loadavg", "").c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// The run

int64_t Sum(const std::vector<std::unique_ptr<Driver>>& ds, std::atomic<int64_t> Driver::*counter) {
  int64_t n = 0;
  for (const auto& d : ds) n += ((*d).*counter).load(std::memory_order_relaxed);
  return n;
}

// Runs the mix (load or soak) and prints. Returns false when the soak saw
// errors or a process died.
bool Run(const Options& o, Setup* s, World* w) {
  const bool soak = o.soak_seconds > 0;
  const double seconds = soak ? o.soak_seconds : o.seconds;
  const double warmup = soak ? 0 : o.warmup;
  const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  const int channels = std::max(2, (o.concurrency + kClientsPerChannel - 1) / kClientsPerChannel);
  const int threads = std::min(cores, channels);

  std::vector<Watched> watched = {
      {"plans", s->services["plans"]->pid()},   {"volunteers", s->services["volunteers"]->pid()},
      {"guides", s->services["guides"]->pid()}, {"housing", s->services["housing"]->pid()},
      {"gateway", s->gateway->pid()},           {"load_bench", getpid()}};

  std::vector<std::unique_ptr<Driver>> drivers;
  for (int t = 0; t < threads; ++t) {
    drivers.push_back(std::make_unique<Driver>());
    drivers.back()->id = t;
    drivers.back()->keep_interval = soak;
  }
  for (int c = 0; c < channels; ++c) {
    auto ch = NewChannel(s->gateway->target());
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      std::fprintf(stderr, "load_bench: cannot connect to the gateway\n");
      return false;
    }
    drivers[static_cast<size_t>(c % threads)]->stubs.push_back(std::make_unique<Stubs>(ch));
  }
  if (o.rate <= 0) {
    for (int i = 0; i < o.concurrency; ++i) {
      Driver* d = drivers[static_cast<size_t>(i % threads)].get();
      d->flows.push_back(std::make_unique<Flow>(w,
                                                d->stubs[d->flows.size() % d->stubs.size()].get(),
                                                i, static_cast<uint64_t>(7919 * (i + 1))));
    }
  }

  std::printf("\nmix (weights in %%, one action per pick):\n");
  for (int a = 0; a < kActionCount; ++a) std::printf("  %3d  %s\n", kWeights[a], kActionNames[a]);
  if (o.rate > 0) {
    std::printf(
        "%s: %.0f actions/s on a fixed schedule (open loop; latency from the scheduled "
        "start), %d driver threads, %d channels, for %.0f s%s\n",
        soak ? "soak" : "load", o.rate, threads, channels, seconds,
        soak ? "" : absl::StrFormat(" after %.1f s of warm-up", warmup).c_str());
  } else {
    std::printf(
        "load: as fast as possible, %d closed-loop clients over %d channels, %d driver "
        "threads; %.1f s warm-up + %.1f s measured\n",
        o.concurrency, channels, threads, warmup, seconds);
  }
  std::printf("latencies client-side (send, or scheduled start, to completion), OK calls only\n");
  std::fflush(stdout);

  const Clock::time_point start = Clock::now();
  const Clock::time_point from =
      start + std::chrono::microseconds(static_cast<int64_t>(warmup * 1e6));
  const Clock::time_point to =
      from + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  std::vector<std::thread> threads_run;
  for (auto& d : drivers) {
    threads_run.emplace_back(Drive, d.get(), w, o.rate / threads, start, from, to);
  }

  auto cpu_now = [&] {
    std::vector<double> v;
    for (const auto& p : watched) v.push_back(ProcessCpuSeconds(p.pid));
    v.push_back(MachineBusySeconds());
    return v;
  };

  // Samples: time since start, processes.
  struct Sample {
    double t = 0;
    int64_t ok = 0;
    int64_t errors = 0;
    std::vector<ProcSample> procs;
    std::vector<double> cpu;  // seconds, per watched process
    // OK calls since the previous sample, ms.
    double p50 = NAN;
    double p99 = NAN;
    double overview_p50 = NAN;
  };
  std::vector<Sample> samples;
  auto take = [&](double t) {
    Sample smp;
    smp.t = t;
    smp.ok = Sum(drivers, &Driver::ok_total);
    smp.errors = Sum(drivers, &Driver::errors_total);
    for (const auto& p : watched) {
      smp.procs.push_back(SampleProcess(p.pid));
      smp.cpu.push_back(ProcessCpuSeconds(p.pid));
    }
    RpcTally all;
    RpcTally overview;
    for (auto& d : drivers) {
      absl::MutexLock lock(&d->interval_mu);
      all.latency_ns.insert(all.latency_ns.end(), d->interval_all.begin(), d->interval_all.end());
      overview.latency_ns.insert(overview.latency_ns.end(), d->interval_overview.begin(),
                                 d->interval_overview.end());
      d->interval_all.clear();
      d->interval_overview.clear();
    }
    std::sort(all.latency_ns.begin(), all.latency_ns.end());
    std::sort(overview.latency_ns.begin(), overview.latency_ns.end());
    smp.p50 = all.PercentileMs(0.50);
    smp.p99 = all.PercentileMs(0.99);
    smp.overview_p50 = overview.PercentileMs(0.50);
    return smp;
  };
  bool died = false;
  std::this_thread::sleep_until(from);
  const std::vector<double> cpu_before = cpu_now();
  if (soak) {
    std::printf(
        "\nevery %.0f s, for the calls since the last line: OK calls/s, errors, p50 and p99 of\n"
        "all OK calls and p50 of the overview (ms); per process RSS (MB) and open fds\n",
        kSampleSeconds);
    std::printf("%6s %7s %6s %6s %6s %6s", "", "", "", "", "", "");
    for (const auto& p : watched) std::printf(" %13s", p.name.c_str());
    std::printf("\n%6s %7s %6s %6s %6s %6s", "t s", "ok/s", "errors", "p50", "p99", "ovw50");
    for (size_t i = 0; i < watched.size(); ++i) std::printf(" %8s %4s", "RSS", "fds");
    std::printf("\n");
    auto print = [&](const Sample& cur, const Sample* prev) {
      const double dt = prev ? cur.t - prev->t : 0;
      std::printf("%6.0f %7s %6lld %6s %6s %6s", cur.t,
                  prev && dt > 0 ? absl::StrFormat("%.1f", (cur.ok - prev->ok) / dt).c_str() : "-",
                  static_cast<long long>(cur.errors - (prev ? prev->errors : 0)),
                  Ms(cur.p50).c_str(), Ms(cur.p99).c_str(), Ms(cur.overview_p50).c_str());
      for (const auto& p : cur.procs) {
        if (!p.alive) {
          std::printf(" %13s", "DEAD");
        } else {
          std::printf(" %8.1f %4ld", p.rss_kb / 1024.0, p.fds);
        }
      }
      std::printf("\n");
      std::fflush(stdout);
    };
    samples.push_back(take(0));
    print(samples.back(), nullptr);
    for (int k = 1;; ++k) {
      const Clock::time_point at =
          from + std::chrono::microseconds(static_cast<int64_t>(k * kSampleSeconds * 1e6));
      if (at > to) break;
      std::this_thread::sleep_until(at);
      samples.push_back(take(k * kSampleSeconds));
      print(samples.back(), &samples[samples.size() - 2]);
      for (const auto& p : samples.back().procs) died = died || !p.alive;
    }
    if (samples.back().t < seconds - 0.5) {  // a last sample at the end of the run
      std::this_thread::sleep_until(to);
      samples.push_back(take(seconds));
      print(samples.back(), &samples[samples.size() - 2]);
      for (const auto& p : samples.back().procs) died = died || !p.alive;
    }
  }
  std::this_thread::sleep_until(to);
  const std::vector<double> cpu_after = cpu_now();
  for (auto& t : threads_run) t.join();
  for (auto& d : drivers) {
    d->cq.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (d->cq.Next(&tag, &ok)) {
    }
  }

  std::printf("\n=== %s: per RPC, %.0f s %s ===\n", soak ? "soak" : "load", seconds,
              soak ? "(the whole soak)" : "measured");
  std::vector<Driver*> raw;
  for (auto& d : drivers) raw.push_back(d.get());
  PrintTable(raw.data(), raw.size(), seconds);
  int64_t dropped = 0;
  size_t peak = 0;
  for (const auto& d : drivers) {
    dropped += d->dropped;
    peak = std::max(peak, d->peak_outstanding);
  }
  std::printf(
      "offers deferred (every pair busy): %lld; offer pairs retired after an error: %d of %d\n",
      static_cast<long long>(w->offers_deferred.load()), w->pairs.retired(), w->pairs.total());
  if (o.rate > 0) {
    std::printf(
        "open loop: peak %zu actions in flight per driver thread; %lld scheduled starts "
        "dropped (cap %zu)\n",
        peak, static_cast<long long>(dropped), kMaxOutstanding);
  }
  std::printf("\nCPU in the window, cores (core-seconds per second):");
  for (size_t i = 0; i < watched.size(); ++i) {
    std::printf(" %s %.2f,", watched[i].name.c_str(), (cpu_after[i] - cpu_before[i]) / seconds);
  }
  std::printf(" machine %.2f\n", (cpu_after.back() - cpu_before.back()) / seconds);

  const int64_t errors = Sum(drivers, &Driver::errors_total);
  if (!soak) {
    std::printf("memory and descriptors at the end:");
    for (const auto& p : watched) {
      const ProcSample smp = SampleProcess(p.pid);
      std::printf(" %s %.1f MB %ld fds;", p.name.c_str(), smp.rss_kb / 1024.0, smp.fds);
    }
    std::printf("\n");
    std::fflush(stdout);
    return true;
  }

  // Growth after the warm-up.
  const double warm = std::min(60.0, 0.2 * seconds);
  const Sample* base = nullptr;
  for (const auto& smp : samples) {
    if (smp.t >= warm) {
      base = &smp;
      break;
    }
  }
  const Sample& last = samples.back();
  bool flagged = false;
  bool compared = false;
  if (base == nullptr || base == &last) {
    std::printf("\ngrowth: too few samples after the %.0f s warm-up to compare\n", warm);
  } else {
    compared = true;
    std::printf(
        "\ngrowth after the warm-up: sample at %.0f s against the last, at %.0f s "
        "(flag: RSS > +%.0f %% or fds > +%ld)\n",
        base->t, last.t, kRssFlagPercent, kFdFlag);
    // CPU (cores) in the 10 s before a sample.
    const size_t bi = static_cast<size_t>(base - samples.data());
    const size_t li = samples.size() - 1;
    auto cores_before = [&](size_t k, size_t i) {
      const double dt = samples[k].t - samples[k - 1].t;
      return dt > 0 ? (samples[k].cpu[i] - samples[k - 1].cpu[i]) / dt : NAN;
    };
    std::printf("%-11s %8s %8s %8s %8s %8s %5s %5s %5s %6s %6s  %s\n", "process", "RSS MB",
                "last MB", "delta MB", "delta %", "max MB", "fds", "last", "delta", "cores", "last",
                "");
    for (size_t i = 0; i < watched.size(); ++i) {
      const ProcSample& b = base->procs[i];
      const ProcSample& l = last.procs[i];
      long max_kb = 0;
      for (const auto& smp : samples) {
        if (smp.t >= base->t) max_kb = std::max(max_kb, smp.procs[i].rss_kb);
      }
      const double pct = b.rss_kb > 0 ? 100.0 * (l.rss_kb - b.rss_kb) / b.rss_kb : NAN;
      // load_bench itself keeps every OK call's latency (8 bytes a call, for
      // exact percentiles): its growth is shown, not judged.
      const bool self = watched[i].pid == getpid();
      const bool flag = !self && (!l.alive || pct > kRssFlagPercent || l.fds - b.fds > kFdFlag);
      flagged = flagged || flag;
      std::printf("%-11s %8.1f %8.1f %+8.1f %+7.1f%% %8.1f %5ld %5ld %+5ld %6.2f %6.2f  %s\n",
                  watched[i].name.c_str(), b.rss_kb / 1024.0, l.rss_kb / 1024.0,
                  (l.rss_kb - b.rss_kb) / 1024.0, pct, max_kb / 1024.0, b.fds, l.fds, l.fds - b.fds,
                  cores_before(bi, i), cores_before(li, i),
                  self       ? "(the load generator: keeps every latency; not judged)"
                  : !l.alive ? "DEAD"
                  : flag     ? "GROWTH (flagged)"
                             : "ok");
    }
    std::printf(
        "latency, the 10 s before each: p50 %s -> %s ms, p99 %s -> %s ms; overview p50 %s -> %s "
        "ms\n",
        Ms(base->p50).c_str(), Ms(last.p50).c_str(), Ms(base->p99).c_str(), Ms(last.p99).c_str(),
        Ms(base->overview_p50).c_str(), Ms(last.overview_p50).c_str());
  }
  std::printf("\nsoak verdict: %lld errors, %s; growth %s\n", static_cast<long long>(errors),
              died ? "a process DIED" : "every process alive",
              !compared ? "not compared (too short)"
              : flagged ? "FLAGGED (see above; not a failure by itself)"
                        : "within the limits");
  std::fflush(stdout);
  return errors == 0 && !died;
}

int Main(int argc, char** argv) {
  auto options = ParseFlags(argc, argv);
  if (!options.ok()) {
    const bool help = options.status().code() == absl::StatusCode::kCancelled;
    std::fprintf(help ? stdout : stderr, "%s%s",
                 help ? "" : "load_bench: ", std::string(options.status().message()).c_str());
    if (!help) std::fprintf(stderr, "\n%s", kUsage);
    return help ? 0 : 2;
  }
  const Options& o = *options;
  if (o.store == "mysql") {
    const char* url = std::getenv("HELHED_TEST_MYSQL_URL");
    if (url == nullptr || *url == '\0') {
      std::fprintf(stderr, "load_bench: --stores=mysql needs HELHED_TEST_MYSQL_URL\n");
      return 1;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  PrintMachine(argc, argv);

  Setup setup;
  setup.store = o.store;
  World world;
  std::random_device rd;
  world.run_tag = absl::StrFormat("load-%d-%08x", getpid(), rd());
  absl::Status s = SetUp(&setup, &world);
  bool ok = s.ok();
  if (!s.ok()) {
    std::fprintf(stderr, "load_bench: setup: %s\n", s.ToString().c_str());
  } else {
    ok = Run(o, &setup, &world);
  }
  TearDown(&setup, !s.ok());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace helhed::loadbench

int main(int argc, char** argv) { return helhed::loadbench::Main(argc, argv); }
