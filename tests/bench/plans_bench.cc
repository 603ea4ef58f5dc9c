// plans_bench: throughput and latency of the plans service under N
// concurrent clients, on each store, next to the cheapest call the same
// server answers (the baseline), measured in the same run because the
// machine is shared and its speed drifts. It prints figures and never fails
// on speed; it exits non-zero only when it cannot set up (no binary, no
// store, demo data that does not load, a server that does not answer).
//
//   build/tests/plans_bench [--clients=8] [--seconds=5] [--warmup=1]
//                           [--stores=sqlite,mysql] [--target=host:port]
//
// For each store it starts the real helhed-plans binary on a fresh database,
// loads the demo data set through the API, and runs three scenarios, each
// with N closed-loop clients (a client sends its next call as soon as the
// previous one completes, so N calls are always outstanding), spread over
// one channel (TCP connection) per 4 clients:
//   baseline  grpc.health.v1.Health/Check: no handler work, same port
//   read      PlansService/GetInitiativeArea over the demo areas of 730
//   write     PlansService/AddActivityProgress over the demo activities of
//             730, a fresh idempotency_key per call
// Every call carries the x-helhed-principal metadata and a deadline. Calls
// that complete inside the measured window (after the warm-up) count;
// throughput counts OK calls only, latencies are those of OK calls, and any
// other status is an error, counted and printed by code.
//
// Next to the client's view it prints what the server says about the same
// window (grpc_server_handling_seconds from /metrics) and where the CPU went
// (this process, the service, MariaDB when scripts/bench started it, and the
// whole machine).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
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
#include <string>
#include <thread>
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
#include "common/auth/principal.h"
#include "common/auth/principal_token.h"
#include "common/observability/grpc_metrics.h"
#include "common/server/byte_buffer.h"
#include "common/store/database.h"
#include "common/store/store_url.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/plans/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

namespace helhed::plans {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kClientsPerChannel = 4;
constexpr auto kDeadline = std::chrono::seconds(10);
constexpr char kMunicipality[] = "730";
constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";

// ---------------------------------------------------------------------------
// Flags

struct Options {
  int clients = 8;
  double seconds = 5;
  double warmup = 1;
  std::vector<std::string> stores = {"sqlite", "mysql"};
  bool stores_given = false;
  std::string target;
};

constexpr char kUsage[] =
    "usage: plans_bench [--clients=N] [--seconds=S] [--warmup=S] [--stores=sqlite,mysql]\n"
    "                   [--target=host:port]\n"
    "  --clients   concurrent clients, each with one call outstanding (default 8)\n"
    "  --seconds   measured seconds per scenario (default 5)\n"
    "  --warmup    unmeasured seconds before each scenario (default 1)\n"
    "  --stores    stores to run on, each with a fresh database (default sqlite,mysql;\n"
    "              mysql only when HELHED_TEST_MYSQL_URL is set, as scripts/bench does)\n"
    "  --target    drive an already running plans service (plaintext) instead of\n"
    "              starting one; the demo data is loaded into it (idempotently)\n";

absl::StatusOr<Options> ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      return absl::CancelledError(kUsage);
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument ", argv[i]));
    }
    const std::vector<absl::string_view> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    static const char* const kFlags[] = {"clients", "seconds", "warmup", "stores", "target"};
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
    if (name == "clients") {
      ok = absl::SimpleAtoi(value, &o.clients) && o.clients >= 1 && o.clients <= 4096;
    } else if (name == "seconds") {
      ok = absl::SimpleAtod(value, &o.seconds) && o.seconds > 0 && o.seconds <= 3600;
    } else if (name == "warmup") {
      ok = absl::SimpleAtod(value, &o.warmup) && o.warmup >= 0 && o.warmup <= 3600;
    } else if (name == "stores") {
      o.stores = absl::StrSplit(value, ',', absl::SkipEmpty());
      o.stores_given = true;
      ok = !o.stores.empty();
      for (const auto& s : o.stores) {
        ok = ok && (s == "sqlite" || s == "mysql");
      }
    } else if (name == "target") {
      o.target = std::string(value);
      ok = absl::StrContains(value, ':');
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat("bad value for --", name, ": ", value));
    }
  }
  return o;
}

// ---------------------------------------------------------------------------
// One client's call

// The state of one client: one call at a time on a completion queue, tagged
// with the Call itself. Not thread-safe; it lives on one driver thread.
class Call {
 public:
  explicit Call(const std::string* principal) : principal_(principal) {}
  virtual ~Call() = default;  // derived members (the reader) go before context_

  // Starts the next call; its completion arrives on `cq` with `this` as tag.
  void Start(grpc::CompletionQueue* cq) {
    Reset();  // the previous reader lives in the previous context's arena
    context_ = std::make_unique<grpc::ClientContext>();
    context_->AddMetadata(auth::kPrincipalMetadataKey, *principal_);
    context_->set_deadline(std::chrono::system_clock::now() + kDeadline);
    status_ = grpc::Status();
    started_ = Clock::now();
    Issue(cq);
  }

  // The outcome of the completed call: its status, or an error when an OK
  // response is not an answer to what was asked.
  grpc::Status Outcome() { return status_.ok() ? Check() : status_; }

  Clock::time_point started() const { return started_; }

 protected:
  virtual void Reset() = 0;
  virtual void Issue(grpc::CompletionQueue* cq) = 0;
  virtual grpc::Status Check() = 0;

  grpc::ClientContext* context() { return context_.get(); }
  grpc::Status* status() { return &status_; }

 private:
  const std::string* principal_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::Status status_;
  Clock::time_point started_;
};

// grpc.health.v1.Health/Check with an empty HealthCheckRequest (service ""),
// through the generic stub: no generated code, and an empty byte buffer is a
// valid empty message.
class HealthCall final : public Call {
 public:
  HealthCall(const std::string* principal, grpc::GenericStub* stub) : Call(principal), stub_(stub) {
    const grpc::Slice empty{std::string()};
    request_ = grpc::ByteBuffer(&empty, 1);
  }

 private:
  void Reset() override { rpc_.reset(); }
  void Issue(grpc::CompletionQueue* cq) override {
    response_.Clear();
    rpc_ = stub_->PrepareUnaryCall(context(), kHealthCheck, request_, cq);
    rpc_->StartCall();
    rpc_->Finish(&response_, status(), this);
  }
  grpc::Status Check() override {
    // HealthCheckResponse{status: SERVING} is field 1, varint 1.
    if (helhed::server::BytesOf(response_) != std::string("\x08\x01", 2)) {
      return grpc::Status(grpc::StatusCode::UNKNOWN, "health: not SERVING");
    }
    return grpc::Status::OK;
  }

  grpc::GenericStub* stub_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> rpc_;
};

// GetInitiativeArea; client `slot` of `clients` walks the ids from its own
// offset, so the clients together spread evenly over all of them.
class ReadCall final : public Call {
 public:
  ReadCall(const std::string* principal, v1::PlansService::Stub* stub,
           const std::vector<std::string>* ids, int slot)
      : Call(principal), stub_(stub), ids_(ids), next_(static_cast<size_t>(slot)) {}

 private:
  void Reset() override { rpc_.reset(); }
  void Issue(grpc::CompletionQueue* cq) override {
    request_.set_id((*ids_)[next_++ % ids_->size()]);
    response_.Clear();
    rpc_ = stub_->PrepareAsyncGetInitiativeArea(context(), request_, cq);
    rpc_->StartCall();
    rpc_->Finish(&response_, status(), this);
  }
  grpc::Status Check() override {
    if (response_.initiative_area().id() != request_.id()) {
      return grpc::Status(grpc::StatusCode::UNKNOWN, "read: another area came back");
    }
    return grpc::Status::OK;
  }

  v1::PlansService::Stub* stub_;
  const std::vector<std::string>* ids_;
  size_t next_;
  v1::GetInitiativeAreaRequest request_;
  v1::GetInitiativeAreaResponse response_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::GetInitiativeAreaResponse>> rpc_;
};

// AddActivityProgress with a fresh idempotency_key per call (so every call
// writes), a valid date and a note; the activities are walked like the
// areas in ReadCall.
class WriteCall final : public Call {
 public:
  WriteCall(const std::string* principal, v1::PlansService::Stub* stub,
            const std::vector<std::string>* ids, int slot, const std::string& run_tag)
      : Call(principal),
        stub_(stub),
        ids_(ids),
        next_(static_cast<size_t>(slot)),
        prefix_(absl::StrCat(run_tag, "-", slot, "-")) {
    auto* p = request_.mutable_progress();
    p->mutable_update_date()->set_year(2024);
    p->set_note("Benchmark progress update (plans_bench).");
  }

 private:
  void Reset() override { rpc_.reset(); }
  void Issue(grpc::CompletionQueue* cq) override {
    request_.set_activity_id((*ids_)[next_ % ids_->size()]);
    request_.set_idempotency_key(absl::StrCat(prefix_, seq_++));
    auto* date = request_.mutable_progress()->mutable_update_date();
    date->set_month(static_cast<int>(1 + next_ % 12));
    date->set_day(static_cast<int>(1 + next_ % 28));
    ++next_;
    response_.Clear();
    rpc_ = stub_->PrepareAsyncAddActivityProgress(context(), request_, cq);
    rpc_->StartCall();
    rpc_->Finish(&response_, status(), this);
  }
  grpc::Status Check() override {
    if (response_.progress().id().empty() ||
        response_.progress().activity_id() != request_.activity_id()) {
      return grpc::Status(grpc::StatusCode::UNKNOWN, "write: no progress update came back");
    }
    return grpc::Status::OK;
  }

  v1::PlansService::Stub* stub_;
  const std::vector<std::string>* ids_;
  size_t next_;
  const std::string prefix_;
  int64_t seq_ = 0;
  v1::AddActivityProgressRequest request_;
  v1::AddActivityProgressResponse response_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::AddActivityProgressResponse>> rpc_;
};

// ---------------------------------------------------------------------------
// Driving the calls

// What one driver thread saw inside the measured window.
struct Tally {
  std::vector<int64_t> latency_ns;  // OK calls
  int64_t errors = 0;
  std::map<std::string, int64_t> errors_by_code;
  std::string first_error;

  void Merge(const Tally& other) {
    latency_ns.insert(latency_ns.end(), other.latency_ns.begin(), other.latency_ns.end());
    errors += other.errors;
    for (const auto& [code, n] : other.errors_by_code) {
      errors_by_code[code] += n;
    }
    if (first_error.empty()) {
      first_error = other.first_error;
    }
  }
};

const char* CodeName(grpc::StatusCode code) {
  return helhed::observability::GrpcStatusName(static_cast<int>(code));
}

// Runs `calls` on `cq` until `to`: each completion starts that client's next
// call, until the window closes; then waits for the last ones.
void Drive(grpc::CompletionQueue* cq, const std::vector<Call*>& calls, Clock::time_point from,
           Clock::time_point to, Tally* tally) {
  for (Call* c : calls) {
    c->Start(cq);
  }
  size_t outstanding = calls.size();
  while (outstanding > 0) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq->Next(&tag, &ok)) {
      break;
    }
    auto* call = static_cast<Call*>(tag);
    const Clock::time_point now = Clock::now();
    if (now >= from && now < to) {
      const grpc::Status s = call->Outcome();
      if (s.ok()) {
        tally->latency_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - call->started()).count());
      } else {
        ++tally->errors;
        ++tally->errors_by_code[CodeName(s.error_code())];
        if (tally->first_error.empty()) {
          tally->first_error = absl::StrCat(CodeName(s.error_code()), ": ", s.error_message());
        }
      }
    }
    if (now < to) {
      call->Start(cq);
    } else {
      --outstanding;
    }
  }
}

// ---------------------------------------------------------------------------
// What the server and the machine say

// CPU seconds used by a process (user + system), from /proc.
std::optional<double> ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (pid <= 0 || !std::getline(in, line)) {
    return std::nullopt;
  }
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) {
    return std::nullopt;
  }
  // After "pid (comm)": state is field 3, utime 14, stime 15.
  const std::vector<std::string> f =
      absl::StrSplit(line.substr(paren + 1), ' ', absl::SkipWhitespace());
  double utime = 0;
  double stime = 0;
  if (f.size() < 13 || !absl::SimpleAtod(f[11], &utime) || !absl::SimpleAtod(f[12], &stime)) {
    return std::nullopt;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// Busy and total core-seconds of the whole machine, from /proc/stat.
struct MachineCpu {
  double busy = 0;
  double total = 0;
};

MachineCpu ReadMachineCpu() {
  std::ifstream in("/proc/stat");
  std::string line;
  MachineCpu m;
  if (!std::getline(in, line) || !absl::StartsWith(line, "cpu ")) {
    return m;
  }
  const std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  // cpu user nice system idle iowait irq softirq steal
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (size_t i = 1; i < f.size() && i <= 8; ++i) {
    double v = 0;
    absl::SimpleAtod(f[i], &v);
    m.total += v / tick;
    if (i != 4 && i != 5) {  // idle, iowait
      m.busy += v / tick;
    }
  }
  return m;
}

// A plain HTTP/1.0 GET on 127.0.0.1 (the service's /metrics).
absl::StatusOr<std::string> HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError("socket failed");
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string req = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[65536];
      ssize_t n = 0;
      while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        reply.append(buf, static_cast<size_t>(n));
      }
    }
  }
  close(fd);
  const size_t body = reply.find("\r\n\r\n");
  if (!absl::StartsWith(reply, "HTTP/1.") || body == std::string::npos ||
      !absl::StrContains(reply.substr(0, reply.find("\r\n")), " 200")) {
    return absl::UnavailableError(absl::StrCat("GET ", path, " on port ", port, " failed"));
  }
  return reply.substr(body + 4);
}

// One series of grpc_server_handling_seconds: cumulative bucket counts by
// upper bound, sum and count.
struct Histogram {
  std::map<double, double> buckets;
  double sum = 0;
  double count = 0;

  Histogram Minus(const Histogram& earlier) const {
    Histogram d = *this;
    for (auto& [le, n] : d.buckets) {
      auto it = earlier.buckets.find(le);
      n -= it == earlier.buckets.end() ? 0 : it->second;
    }
    d.sum -= earlier.sum;
    d.count -= earlier.count;
    return d;
  }

  // As Prometheus' histogram_quantile: linear within the bucket.
  double Quantile(double q) const {
    if (count <= 0) {
      return NAN;
    }
    const double rank = q * count;
    double lower = 0;
    double below = 0;
    for (const auto& [le, n] : buckets) {
      if (n >= rank) {
        if (std::isinf(le)) {
          return lower;  // beyond the last finite bound
        }
        return n > below ? lower + (le - lower) * (rank - below) / (n - below) : le;
      }
      lower = le;
      below = n;
    }
    return lower;
  }
};

// The grpc_server_handling_seconds series of one method, from a /metrics page.
std::optional<Histogram> ParseHandlingSeconds(const std::string& page, const std::string& service,
                                              const std::string& method) {
  const std::string base = "grpc_server_handling_seconds";
  const std::string want_service = absl::StrCat("grpc_service=\"", service, "\"");
  const std::string want_method = absl::StrCat("grpc_method=\"", method, "\"");
  Histogram h;
  bool found = false;
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (!absl::ConsumePrefix(&line, base) || !absl::StrContains(line, want_service) ||
        !absl::StrContains(line, want_method)) {
      continue;
    }
    const size_t close = line.rfind('}');
    if (close == absl::string_view::npos) {
      continue;
    }
    double value = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(line.substr(close + 1)), &value)) {
      continue;
    }
    found = true;
    if (absl::StartsWith(line, "_sum")) {
      h.sum = value;
    } else if (absl::StartsWith(line, "_count")) {
      h.count = value;
    } else if (absl::StartsWith(line, "_bucket")) {
      const size_t le = line.find("le=\"");
      if (le == absl::string_view::npos) {
        continue;
      }
      const absl::string_view bound = line.substr(le + 4, line.find('"', le + 4) - (le + 4));
      double b = INFINITY;
      if (bound != "+Inf" && !absl::SimpleAtod(bound, &b)) {
        continue;
      }
      h.buckets[b] = value;
    }
  }
  return found ? std::optional<Histogram>(h) : std::nullopt;
}

// A snapshot at a window boundary.
struct Probe {
  pid_t server_pid = -1;
  pid_t db_pid = -1;
  int metrics_port = 0;
  std::string grpc_service;
  std::string grpc_method;

  struct Sample {
    double client = 0;
    std::optional<double> server;
    std::optional<double> db;
    MachineCpu machine;
    std::optional<Histogram> handling;
  };

  Sample Take() const {
    Sample s;
    s.client = SelfCpuSeconds();
    s.server = server_pid > 0 ? ProcessCpuSeconds(server_pid) : std::nullopt;
    s.db = db_pid > 0 ? ProcessCpuSeconds(db_pid) : std::nullopt;
    s.machine = ReadMachineCpu();
    if (metrics_port > 0) {
      auto page = HttpGet(metrics_port, "/metrics");
      if (page.ok()) {
        s.handling = ParseHandlingSeconds(*page, grpc_service, grpc_method);
      }
    }
    return s;
  }
};

// ---------------------------------------------------------------------------
// A scenario

struct ScenarioResult {
  std::string name;
  double window_s = 0;
  Tally tally;  // latencies sorted
  Probe::Sample before;
  Probe::Sample after;

  int64_t ok() const { return static_cast<int64_t>(tally.latency_ns.size()); }
  double throughput() const { return ok() / window_s; }
  // Nearest-rank percentile of the OK calls, in ms.
  double PercentileMs(double q) const {
    const auto& v = tally.latency_ns;
    if (v.empty()) {
      return NAN;
    }
    const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return static_cast<double>(v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)]) / 1e6;
  }
};

// Runs `calls` (one per client) for the warm-up and the measured window.
// Clients of one channel share a driver thread; there are at most as many
// driver threads as cores (but two at least).
ScenarioResult RunScenario(const std::string& name, const Options& o,
                           std::vector<std::unique_ptr<Call>> calls, const Probe& probe) {
  const int channels = (o.clients + kClientsPerChannel - 1) / kClientsPerChannel;
  const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  const int threads = std::min(channels, cores);
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  std::vector<std::vector<Call*>> assigned(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    queues.push_back(std::make_unique<grpc::CompletionQueue>());
  }
  for (size_t i = 0; i < calls.size(); ++i) {
    assigned[(i / kClientsPerChannel) % static_cast<size_t>(threads)].push_back(calls[i].get());
  }

  ScenarioResult r;
  r.name = name;
  r.window_s = o.seconds;
  std::vector<Tally> tallies(static_cast<size_t>(threads));
  const Clock::time_point from =
      Clock::now() + std::chrono::microseconds(static_cast<int64_t>(o.warmup * 1e6));
  const Clock::time_point to =
      from + std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6));
  std::vector<std::thread> drivers;
  for (int t = 0; t < threads; ++t) {
    drivers.emplace_back(Drive, queues[static_cast<size_t>(t)].get(),
                         std::cref(assigned[static_cast<size_t>(t)]), from, to,
                         &tallies[static_cast<size_t>(t)]);
  }
  std::this_thread::sleep_until(from);
  r.before = probe.Take();
  std::this_thread::sleep_until(to);
  r.after = probe.Take();
  for (auto& d : drivers) {
    d.join();
  }
  for (auto& q : queues) {
    q->Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (q->Next(&tag, &ok)) {
    }
  }
  calls.clear();
  for (auto& t : tallies) {
    r.tally.Merge(t);
  }
  std::sort(r.tally.latency_ns.begin(), r.tally.latency_ns.end());
  return r;
}

// ---------------------------------------------------------------------------
// One store

struct Target {
  std::string label;    // "sqlite", "mysql", "target 127.0.0.1:50061"
  std::string address;  // host:port
  pid_t server_pid = -1;
  pid_t db_pid = -1;
  int metrics_port = 0;
};

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own
  // Signs the bare principal the demo loader attaches (the calls of the
  // scenarios carry TestPrincipal, signed already, and pass as they are).
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> signers;
  signers.push_back(auth::NewPrincipalSigner(
      std::make_shared<const auth::PrincipalKey>(helhed::testing::TestPrincipalKey()), "plans"));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), args, std::move(signers));
}

// The demo ids of municipality 730: initiative areas (keyed by their
// data-set key) and activities (keyed ".../activity/<n>").
absl::Status DemoIds(const demo::DemoDataset& data, const demo::LoadResult& loaded,
                     std::vector<std::string>* areas, std::vector<std::string>* activities) {
  for (const auto& m : data.municipalities()) {
    if (m.code() != kMunicipality) {
      continue;
    }
    for (const auto& policy : m.policies()) {
      for (const auto& plan : policy.plans()) {
        for (const auto& area : plan.initiative_areas()) {
          auto it = loaded.ids.find(area.key());
          if (it != loaded.ids.end()) {
            areas->push_back(it->second);
          }
        }
      }
    }
  }
  const std::string prefix = absl::StrCat(kMunicipality, "/");
  for (const auto& [key, id] : loaded.ids) {
    const size_t at = key.rfind("/activity/");
    int n = 0;
    if (absl::StartsWith(key, prefix) && at != std::string::npos &&
        absl::SimpleAtoi(key.substr(at + 10), &n)) {
      activities->push_back(id);
    }
  }
  if (areas->empty() || activities->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the demo data has no initiative areas or activities of municipality ", kMunicipality));
  }
  return absl::OkStatus();
}

std::string Ms(double v) { return std::isnan(v) ? "-" : absl::StrFormat("%.3f", v); }

void PrintResults(const Target& t, const std::vector<ScenarioResult>& results) {
  std::printf("\n%-28s %9s %7s %10s %9s %9s %9s\n", "scenario", "calls", "errors", "calls/s",
              "p50 ms", "p99 ms", "p99.9 ms");
  for (const auto& r : results) {
    std::printf("%-28s %9lld %7lld %10.0f %9s %9s %9s\n", r.name.c_str(),
                static_cast<long long>(r.ok() + r.tally.errors),
                static_cast<long long>(r.tally.errors), r.throughput(),
                Ms(r.PercentileMs(0.50)).c_str(), Ms(r.PercentileMs(0.99)).c_str(),
                Ms(r.PercentileMs(0.999)).c_str());
  }
  for (const auto& r : results) {
    if (r.tally.errors > 0) {
      std::vector<std::string> parts;
      for (const auto& [code, n] : r.tally.errors_by_code) {
        parts.push_back(absl::StrCat(code, " x", n));
      }
      std::printf("  errors in %s: %s; first: %s\n", r.name.c_str(),
                  absl::StrJoin(parts, ", ").c_str(), r.tally.first_error.c_str());
    }
  }
  if (results.size() >= 2 && results[0].throughput() > 0) {
    std::printf("read / baseline throughput: %.2f (aim: >= 0.50)\n",
                results[1].throughput() / results[0].throughput());
  }
  if (results.size() >= 3 && results[0].throughput() > 0) {
    std::printf("write / baseline throughput: %.3f\n",
                results[2].throughput() / results[0].throughput());
  }

  if (t.metrics_port <= 0) {
    std::printf("\nserver side: not available with --target (its /metrics port is unknown)\n");
  } else {
    std::printf(
        "\nserver side, same window (grpc_server_handling_seconds; quantiles interpolated\n"
        "within its buckets, the first of which ends at 10 us):\n");
    std::printf("%-28s %9s %9s %9s %9s\n", "scenario", "handled", "mean ms", "~p50 ms", "~p99 ms");
    for (const auto& r : results) {
      if (!r.before.handling || !r.after.handling) {
        std::printf("%-28s %9s\n", r.name.c_str(), "-");
        continue;
      }
      const Histogram d = r.after.handling->Minus(*r.before.handling);
      std::printf("%-28s %9.0f %9s %9s %9s\n", r.name.c_str(), d.count,
                  Ms(d.count > 0 ? d.sum / d.count * 1e3 : NAN).c_str(),
                  Ms(d.Quantile(0.50) * 1e3).c_str(), Ms(d.Quantile(0.99) * 1e3).c_str());
    }
  }

  std::printf("\nCPU in the window, in cores (core-seconds per second):\n");
  std::printf("%-28s %8s %8s %8s %8s\n", "scenario", "bench", "service",
              t.db_pid > 0 ? "mariadbd" : "db", "machine");
  for (const auto& r : results) {
    auto cores = [&](const std::optional<double>& a, const std::optional<double>& b) {
      return a && b ? absl::StrFormat("%.2f", (*b - *a) / r.window_s) : std::string("-");
    };
    std::printf("%-28s %8.2f %8s %8s %8.2f\n", r.name.c_str(),
                (r.after.client - r.before.client) / r.window_s,
                cores(r.before.server, r.after.server).c_str(),
                cores(r.before.db, r.after.db).c_str(),
                (r.after.machine.busy - r.before.machine.busy) / r.window_s);
  }
}

// Loads the demo data into the service at `t` and runs the scenarios.
absl::Status RunStore(const Target& t, const Options& o, const demo::DemoDataset& data) {
  std::printf("\n=== store: %s (%s) ===\n", t.label.c_str(), t.address.c_str());
  std::fflush(stdout);
  const Clock::time_point load_start = Clock::now();
  auto loaded = demo::LoadDataset(data, NewChannel(t.address));
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat("loading the demo data: ", loaded.status().message()));
  }
  std::vector<std::string> areas;
  std::vector<std::string> activities;
  if (absl::Status s = DemoIds(data, *loaded, &areas, &activities); !s.ok()) {
    return s;
  }
  std::printf("demo data loaded in %.1f s; municipality %s: %zu initiative areas, %zu activities\n",
              std::chrono::duration<double>(Clock::now() - load_start).count(), kMunicipality,
              areas.size(), activities.size());

  const int nchannels = (o.clients + kClientsPerChannel - 1) / kClientsPerChannel;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic;
  std::vector<std::unique_ptr<v1::PlansService::Stub>> plans;
  for (int i = 0; i < nchannels; ++i) {
    channels.push_back(NewChannel(t.address));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      return absl::UnavailableError(absl::StrCat("cannot connect to ", t.address));
    }
    generic.push_back(std::make_unique<grpc::GenericStub>(channels.back()));
    plans.push_back(v1::PlansService::NewStub(channels.back()));
  }
  std::printf("%d client%s over %d channel%s, %.1f s warm-up + %.1f s measured per scenario\n",
              o.clients, o.clients == 1 ? "" : "s", nchannels, nchannels == 1 ? "" : "s", o.warmup,
              o.seconds);
  std::fflush(stdout);

  const std::string principal = helhed::testing::TestPrincipal(kMunicipality, "plans-bench");
  std::random_device rd;
  const std::string run_tag = absl::StrFormat("bench-%d-%08x", getpid(), rd());
  auto channel_of = [](int slot) { return static_cast<size_t>(slot / kClientsPerChannel); };

  struct Scenario {
    std::string name;
    std::string service;
    std::string method;
    std::function<std::unique_ptr<Call>(int)> make;
  };
  const std::vector<Scenario> scenarios = {
      {"baseline Health/Check", "grpc.health.v1.Health", "Check",
       [&](int slot) -> std::unique_ptr<Call> {
         return std::make_unique<HealthCall>(&principal, generic[channel_of(slot)].get());
       }},
      {"read GetInitiativeArea", "helhed.plans.v1.PlansService", "GetInitiativeArea",
       [&](int slot) -> std::unique_ptr<Call> {
         return std::make_unique<ReadCall>(&principal, plans[channel_of(slot)].get(), &areas, slot);
       }},
      {"write AddActivityProgress", "helhed.plans.v1.PlansService", "AddActivityProgress",
       [&](int slot) -> std::unique_ptr<Call> {
         return std::make_unique<WriteCall>(&principal, plans[channel_of(slot)].get(), &activities,
                                            slot, run_tag);
       }},
  };
  std::vector<ScenarioResult> results;
  for (const auto& sc : scenarios) {
    std::vector<std::unique_ptr<Call>> calls;
    for (int slot = 0; slot < o.clients; ++slot) {
      calls.push_back(sc.make(slot));
    }
    Probe probe;
    probe.server_pid = t.server_pid;
    probe.db_pid = t.db_pid;
    probe.metrics_port = t.metrics_port;
    probe.grpc_service = sc.service;
    probe.grpc_method = sc.method;
    results.push_back(RunScenario(sc.name, o, std::move(calls), probe));
  }
  PrintResults(t, results);
  std::fflush(stdout);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// The machine and the command

std::string ReadFirstLine(const std::string& path, const std::string& prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, prefix)) {
      return line;
    }
  }
  return "";
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
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    args.push_back(a.find_first_of(" \t'\"") == std::string::npos ? a : absl::StrCat("'", a, "'"));
  }
  std::printf("plans_bench\n");
  std::printf("command: %s\n", absl::StrJoin(args, " ").c_str());
  std::printf("machine: nproc %d, kernel %s, %s; gRPC %s\n", nproc, u.release,
              model.empty() ? "cpu unknown" : model.c_str(), grpc::Version().c_str());
  std::printf("load average at start: %s\n", ReadFirstLine("/proc/loadavg", "").c_str());
  std::printf(
      "client and service share this machine; latencies are client-side, from send to "
      "completion\n");
  std::fflush(stdout);
}

std::optional<pid_t> EnvPid(const char* name) {
  const char* v = std::getenv(name);
  int pid = 0;
  if (v == nullptr || !absl::SimpleAtoi(v, &pid) || pid <= 0) {
    return std::nullopt;
  }
  return static_cast<pid_t>(pid);
}

// Drops a MySQL database made by NewStoreUrl.
void DropMysqlDatabase(const std::string& url) {
  const char* admin = std::getenv("HELHED_TEST_MYSQL_URL");
  auto parsed = store::ParseStoreUrl(url);
  if (admin == nullptr || !parsed.ok() || !absl::StartsWith(parsed->database, "helhed_t")) {
    return;
  }
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

// Starts the service on a fresh database of `store`, runs, and stops it.
// Returns false on a setup failure.
bool RunOnFreshStore(const std::string& store, const Options& o, const demo::DemoDataset& data) {
  const bool mysql = store == "mysql";
  const char* mysql_url = std::getenv("HELHED_TEST_MYSQL_URL");
  if (mysql && (mysql_url == nullptr || *mysql_url == '\0')) {
    std::printf(
        "\n=== store: mysql: skipped (HELHED_TEST_MYSQL_URL is not set; scripts/bench "
        "starts a throwaway MariaDB) ===\n");
    return true;
  }
  auto url = helhed::testing::NewStoreUrl(mysql ? helhed::testing::Backend::kMysql
                                                : helhed::testing::Backend::kSqlite);
  if (!url.ok()) {
    std::fprintf(stderr, "plans_bench: %s: no fresh database: %s\n", store.c_str(),
                 url.status().ToString().c_str());
    return false;
  }
  auto service = helhed::testing::ServiceProcess::Start(HELHED_PLANS_BINARY, *url);
  if (!service.ok()) {
    std::fprintf(stderr, "plans_bench: %s: cannot start %s: %s\n", store.c_str(),
                 HELHED_PLANS_BINARY, service.status().ToString().c_str());
    return false;
  }
  Target t;
  t.label = store;
  t.address = (*service)->target();
  t.server_pid = (*service)->pid();
  t.metrics_port = (*service)->metrics_port();
  if (mysql) {
    t.db_pid = EnvPid("HELHED_MARIADB_PID").value_or(-1);
  }
  const absl::Status s = RunStore(t, o, data);
  (*service)->Signal(SIGTERM);
  auto code = (*service)->Wait(absl::Seconds(30));
  if (!s.ok()) {
    std::fprintf(stderr, "plans_bench: %s: %s (service log: %s)\n", store.c_str(),
                 s.ToString().c_str(), (*service)->log_path().c_str());
    return false;
  }
  if (!code.ok() || *code != 0) {
    const std::string how = code.ok() ? absl::StrCat("exit ", *code) : code.status().ToString();
    helhed::testing::KeepTempDirs();
    std::printf("note: the service did not stop cleanly on SIGTERM (%s); log: %s\n", how.c_str(),
                (*service)->log_path().c_str());
    return true;
  }
  const std::string log_dir = std::filesystem::path((*service)->log_path()).parent_path().string();
  service->reset();
  helhed::testing::RemoveTempDir(log_dir);
  if (mysql) {
    DropMysqlDatabase(*url);
  } else {
    auto parsed = store::ParseStoreUrl(*url);
    if (parsed.ok()) {
      helhed::testing::RemoveTempDir(std::filesystem::path(parsed->path).parent_path().string());
    }
  }
  return true;
}

int Main(int argc, char** argv) {
  auto options = ParseFlags(argc, argv);
  if (!options.ok()) {
    const bool help = options.status().code() == absl::StatusCode::kCancelled;
    std::fprintf(help ? stdout : stderr, "%s%s",
                 help ? "" : "plans_bench: ", std::string(options.status().message()).c_str());
    if (!help) {
      std::fprintf(stderr, "\n%s", kUsage);
    }
    return help ? 0 : 2;
  }
  const Options& o = *options;
  signal(SIGPIPE, SIG_IGN);
  PrintMachine(argc, argv);

  auto data = demo::ReadDataset(HELHED_SOURCE_DIR "/services/plans/demo/demo_data.textproto");
  if (!data.ok()) {
    std::fprintf(stderr, "plans_bench: %s\n", data.status().ToString().c_str());
    return 1;
  }

  if (!o.target.empty()) {
    if (o.stores_given) {
      std::printf("note: --stores is ignored with --target (the target has its own store)\n");
    }
    Target t;
    t.label = absl::StrCat("target ", o.target);
    t.address = o.target;
    const absl::Status s = RunStore(t, o, *data);
    if (!s.ok()) {
      std::fprintf(stderr, "plans_bench: %s: %s\n", o.target.c_str(), s.ToString().c_str());
      return 1;
    }
    return 0;
  }
  if (access(HELHED_PLANS_BINARY, X_OK) != 0) {
    std::fprintf(stderr, "plans_bench: %s is missing; build it (ninja -C build helhed-plans)\n",
                 HELHED_PLANS_BINARY);
    return 1;
  }
  bool ok = true;
  for (const auto& store : o.stores) {
    ok = RunOnFreshStore(store, o, *data) && ok;
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace helhed::plans

int main(int argc, char** argv) { return helhed::plans::Main(argc, argv); }
