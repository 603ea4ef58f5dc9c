// gateway_bench: what the gateway costs. The same cheap call (ListPlans,
// page_size 1, on an empty store: OK and empty) to the real helhed-plans
// three ways, at the same concurrency, in the same run:
//   direct   to the plans port, with the x-helhed-principal metadata
//   gateway  through helhed-gateway, with "authorization: Bearer <JWT>"
//            (RS256, role manager, municipality 730) on every call; the
//            per-subject rate limit is off (HELHED_GATEWAY_RATE=0)
//   nginx    through nginx's grpc_pass (h2c on loopback, upstream keepalive),
//            with the x-helhed-principal metadata; skipped when /usr/sbin/nginx
//            is missing or lacks the http_v2 or grpc module
// It prints figures and never fails on speed; it exits non-zero only when it
// cannot set up (a binary that does not start, a first call that fails).
//
//   build/tests/gateway_bench [--clients=4,32] [--seconds=5] [--warmup=1] [--rounds=2]
//
// For each load level (N concurrent closed-loop clients: a client sends its
// next call as soon as the previous one completes, spread over one channel,
// i.e. one TCP connection, per 4 clients) it runs the targets one after the
// other, --rounds times, the order reversed every other round (direct,
// gateway, nginx, then nginx, gateway, direct) so that drift of the shared
// machine falls on all of them. Each run is a warm-up and a measured window;
// calls completing inside the window count; throughput and latencies are of
// OK calls, any other status is an error, counted by code. Then the rounds
// pooled and the ratios the aims are about: gateway / nginx throughput, and
// the p99 the gateway adds to the direct call.
//
// The client, plans, the gateway and nginx share the machine's cores. nginx
// runs with worker_processes auto (one worker per core, as many cores as the
// gateway's gRPC threads may use), its own prefix, config, pid and log files
// in a temp directory, and is stopped by PID at the end.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
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
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/observability/grpc_metrics.h"
#include "common/store/store_url.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/service_process.h"
#include "tests/support/test_store.h"

extern char** environ;

namespace helhed::gateway {
namespace {

using Clock = std::chrono::steady_clock;
namespace pv1 = ::helhed::plans::v1;

constexpr int kClientsPerChannel = 4;
constexpr auto kDeadline = std::chrono::seconds(10);
constexpr char kMunicipality[] = "730";
constexpr char kNginx[] = "/usr/sbin/nginx";

// ---------------------------------------------------------------------------
// Flags

struct Options {
  std::vector<int> clients = {4, 32};  // the first is the "moderate" level
  double seconds = 5;
  double warmup = 1;
  int rounds = 2;
};

constexpr char kUsage[] =
    "usage: gateway_bench [--clients=4,32] [--seconds=5] [--warmup=1] [--rounds=2]\n"
    "  --clients   load levels: concurrent clients, each with one call outstanding\n"
    "              (default 4,32; the first is the moderate level of the latency aim)\n"
    "  --seconds   measured seconds per target, level and round (default 5)\n"
    "  --warmup    unmeasured seconds before each measured window (default 1)\n"
    "  --rounds    rounds per level, the target order reversed every other one (default 2)\n";

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
    static const char* const kFlags[] = {"clients", "seconds", "warmup", "rounds"};
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
      o.clients.clear();
      for (absl::string_view c : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        int n = 0;
        ok = ok && absl::SimpleAtoi(c, &n) && n >= 1 && n <= 4096;
        o.clients.push_back(n);
      }
      ok = ok && !o.clients.empty();
    } else if (name == "seconds") {
      ok = absl::SimpleAtod(value, &o.seconds) && o.seconds > 0 && o.seconds <= 3600;
    } else if (name == "warmup") {
      ok = absl::SimpleAtod(value, &o.warmup) && o.warmup >= 0 && o.warmup <= 3600;
    } else if (name == "rounds") {
      ok = absl::SimpleAtoi(value, &o.rounds) && o.rounds >= 1 && o.rounds <= 100;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat("bad value for --", name, ": ", value));
    }
  }
  return o;
}

// ---------------------------------------------------------------------------
// One client's call

using Metadata = std::vector<std::pair<std::string, std::string>>;

// One client: ListPlans (page_size 1) with the target's metadata, one call at
// a time on a completion queue, tagged with itself. Not thread-safe; it lives
// on one driver thread.
class ListCall {
 public:
  ListCall(pv1::PlansService::Stub* stub, const Metadata* metadata)
      : stub_(stub), metadata_(metadata) {
    request_.mutable_page()->set_page_size(1);
  }

  // Starts the next call; its completion arrives on `cq` with `this` as tag.
  void Start(grpc::CompletionQueue* cq) {
    rpc_.reset();  // it lives in the previous context's arena
    context_ = std::make_unique<grpc::ClientContext>();
    for (const auto& [key, value] : *metadata_) {
      context_->AddMetadata(key, value);
    }
    context_->set_deadline(std::chrono::system_clock::now() + kDeadline);
    status_ = grpc::Status();
    response_.Clear();
    started_ = Clock::now();
    rpc_ = stub_->PrepareAsyncListPlans(context_.get(), request_, cq);
    rpc_->StartCall();
    rpc_->Finish(&response_, &status_, this);
  }

  const grpc::Status& status() const { return status_; }
  Clock::time_point started() const { return started_; }

 private:
  pv1::PlansService::Stub* stub_;
  const Metadata* metadata_;
  pv1::ListPlansRequest request_;
  pv1::ListPlansResponse response_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<pv1::ListPlansResponse>> rpc_;
  grpc::Status status_;
  Clock::time_point started_;
};

// ---------------------------------------------------------------------------
// Driving the calls

const char* CodeName(grpc::StatusCode code) {
  return helhed::observability::GrpcStatusName(static_cast<int>(code));
}

// What the client saw inside measured windows.
struct Tally {
  std::vector<int64_t> latency_ns;  // OK calls; sorted once merged
  std::map<std::string, int64_t> errors_by_code;
  std::string first_error;
  double window_s = 0;

  int64_t ok() const { return static_cast<int64_t>(latency_ns.size()); }
  int64_t errors() const {
    int64_t n = 0;
    for (const auto& [code, k] : errors_by_code) n += k;
    return n;
  }
  double throughput() const { return window_s > 0 ? ok() / window_s : 0; }
  // Nearest-rank percentile of the OK calls, in ms.
  double PercentileMs(double q) const {
    if (latency_ns.empty()) return NAN;
    const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latency_ns.size())));
    return static_cast<double>(
               latency_ns[std::min(latency_ns.size() - 1, rank == 0 ? 0 : rank - 1)]) /
           1e6;
  }
  void Merge(const Tally& other) {
    latency_ns.insert(latency_ns.end(), other.latency_ns.begin(), other.latency_ns.end());
    for (const auto& [code, n] : other.errors_by_code) errors_by_code[code] += n;
    if (first_error.empty()) first_error = other.first_error;
    window_s += other.window_s;
  }
};

// Runs `calls` on `cq` until `to`: each completion starts that client's next
// call, until the window closes; then waits for the last ones.
void Drive(grpc::CompletionQueue* cq, const std::vector<ListCall*>& calls, Clock::time_point from,
           Clock::time_point to, Tally* tally) {
  for (ListCall* c : calls) c->Start(cq);
  size_t outstanding = calls.size();
  while (outstanding > 0) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq->Next(&tag, &ok)) break;
    auto* call = static_cast<ListCall*>(tag);
    const Clock::time_point now = Clock::now();
    if (now >= from && now < to) {
      const grpc::Status& s = call->status();
      if (s.ok()) {
        tally->latency_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - call->started()).count());
      } else {
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
// CPU

// CPU seconds used by a process (user + system), from /proc.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (pid <= 0 || !std::getline(in, line)) return 0;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  // After "pid (comm)": state is field 3, utime 14, stime 15.
  const std::vector<std::string> f =
      absl::StrSplit(line.substr(paren + 1), ' ', absl::SkipWhitespace());
  double utime = 0;
  double stime = 0;
  if (f.size() < 13 || !absl::SimpleAtod(f[11], &utime) || !absl::SimpleAtod(f[12], &stime)) {
    return 0;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// Busy core-seconds of the whole machine, from /proc/stat.
double MachineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line) || !absl::StartsWith(line, "cpu ")) return 0;
  const std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  // cpu user nice system idle iowait irq softirq steal
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  double busy = 0;
  for (size_t i = 1; i < f.size() && i <= 8; ++i) {
    double v = 0;
    if (i != 4 && i != 5 && absl::SimpleAtod(f[i], &v)) busy += v / tick;
  }
  return busy;
}

// The children of `parent` (nginx's workers), from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    int pid = 0;
    if (!absl::SimpleAtoi(e.path().filename().string(), &pid)) continue;
    std::ifstream in(e.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    const size_t paren = line.rfind(')');
    if (paren == std::string::npos) continue;
    const std::vector<std::string> f =
        absl::StrSplit(line.substr(paren + 1), ' ', absl::SkipWhitespace());
    int ppid = 0;
    if (f.size() > 1 && absl::SimpleAtoi(f[1], &ppid) && ppid == parent) out.push_back(pid);
  }
  return out;
}

// CPU seconds of a process and its children (so far) together.
double TreeCpuSeconds(pid_t pid) {
  double s = ProcessCpuSeconds(pid);
  for (pid_t child : ChildrenOf(pid)) s += ProcessCpuSeconds(child);
  return s;
}

struct CpuSample {
  double bench = 0;
  double plans = 0;
  double proxy = 0;
  double machine = 0;
};

// ---------------------------------------------------------------------------
// Targets and runs

struct Target {
  std::string name;      // "direct", "gateway", "nginx"
  std::string address;   // host:port
  Metadata metadata;     // sent on every call
  pid_t proxy_pid = -1;  // the gateway, or nginx's master (with its workers)
  std::vector<std::shared_ptr<grpc::Channel>> channels;  // one per 4 clients
  std::vector<std::unique_ptr<pv1::PlansService::Stub>> stubs;
};

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// Channels enough for `clients`, connected.
absl::Status EnsureChannels(Target* t, int clients) {
  const size_t want = static_cast<size_t>((clients + kClientsPerChannel - 1) / kClientsPerChannel);
  while (t->channels.size() < want) {
    auto ch = NewChannel(t->address);
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      return absl::UnavailableError(absl::StrCat(t->name, ": cannot connect to ", t->address));
    }
    t->stubs.push_back(pv1::PlansService::NewStub(ch));
    t->channels.push_back(std::move(ch));
  }
  return absl::OkStatus();
}

// One blocking call: the target answers the benchmark's call with OK.
absl::Status CheckTarget(Target* t) {
  if (absl::Status s = EnsureChannels(t, 1); !s.ok()) return s;
  grpc::ClientContext ctx;
  for (const auto& [key, value] : t->metadata) ctx.AddMetadata(key, value);
  ctx.set_deadline(std::chrono::system_clock::now() + kDeadline);
  pv1::ListPlansRequest req;
  req.mutable_page()->set_page_size(1);
  pv1::ListPlansResponse resp;
  const grpc::Status s = t->stubs[0]->ListPlans(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat(t->name, ": the first ListPlans failed: ",
                                               CodeName(s.error_code()), ": ", s.error_message()));
  }
  return absl::OkStatus();
}

struct RunResult {
  Tally tally;
  CpuSample cpu;  // core-seconds in the window
};

// `clients` closed-loop clients on `t` for the warm-up and the measured
// window. Clients of one channel share a driver thread; at most as many
// driver threads as cores (but two at least).
RunResult RunTarget(Target* t, int clients, const Options& o, pid_t plans_pid) {
  const int channels = (clients + kClientsPerChannel - 1) / kClientsPerChannel;
  const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  const int threads = std::min(channels, cores);
  std::vector<std::unique_ptr<ListCall>> calls;
  std::vector<std::vector<ListCall*>> assigned(static_cast<size_t>(threads));
  for (int i = 0; i < clients; ++i) {
    const size_t channel = static_cast<size_t>(i / kClientsPerChannel);
    calls.push_back(std::make_unique<ListCall>(t->stubs[channel].get(), &t->metadata));
    assigned[channel % static_cast<size_t>(threads)].push_back(calls.back().get());
  }
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  for (int i = 0; i < threads; ++i) queues.push_back(std::make_unique<grpc::CompletionQueue>());

  auto sample = [&] {
    CpuSample s;
    s.bench = SelfCpuSeconds();
    s.plans = ProcessCpuSeconds(plans_pid);
    s.proxy = t->proxy_pid > 0 ? TreeCpuSeconds(t->proxy_pid) : 0;
    s.machine = MachineBusySeconds();
    return s;
  };

  std::vector<Tally> tallies(static_cast<size_t>(threads));
  const Clock::time_point from =
      Clock::now() + std::chrono::microseconds(static_cast<int64_t>(o.warmup * 1e6));
  const Clock::time_point to =
      from + std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6));
  std::vector<std::thread> drivers;
  for (size_t i = 0; i < static_cast<size_t>(threads); ++i) {
    drivers.emplace_back(Drive, queues[i].get(), std::cref(assigned[i]), from, to, &tallies[i]);
  }
  std::this_thread::sleep_until(from);
  const CpuSample before = sample();
  std::this_thread::sleep_until(to);
  const CpuSample after = sample();
  for (auto& d : drivers) d.join();
  for (auto& q : queues) {
    q->Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (q->Next(&tag, &ok)) {
    }
  }

  RunResult r;
  for (auto& tally : tallies) r.tally.Merge(tally);
  r.tally.window_s = o.seconds;
  std::sort(r.tally.latency_ns.begin(), r.tally.latency_ns.end());
  r.cpu.bench = after.bench - before.bench;
  r.cpu.plans = after.plans - before.plans;
  r.cpu.proxy = after.proxy - before.proxy;
  r.cpu.machine = after.machine - before.machine;
  return r;
}

// ---------------------------------------------------------------------------
// Printing

std::string Ms(double v) { return std::isnan(v) ? "-" : absl::StrFormat("%.3f", v); }

void PrintHeader() {
  std::printf("%-8s %-8s %9s %7s %9s %8s %8s %8s   %6s %6s %6s %6s %9s\n", "round", "target",
              "calls", "errors", "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "bench", "plans",
              "proxy", "all", "proxy us");
}

// One row. `cpu` in core-seconds over the tally's window; "proxy us" is the
// proxy's CPU per OK call.
void PrintRow(const std::string& round, const std::string& target, const Tally& t,
              const CpuSample& cpu, bool has_proxy) {
  const double w = t.window_s > 0 ? t.window_s : 1;
  std::printf(
      "%-8s %-8s %9lld %7lld %9.0f %8s %8s %8s   %6.2f %6.2f %6s %6.2f %9s\n", round.c_str(),
      target.c_str(), static_cast<long long>(t.ok() + t.errors()),
      static_cast<long long>(t.errors()), t.throughput(), Ms(t.PercentileMs(0.50)).c_str(),
      Ms(t.PercentileMs(0.99)).c_str(), Ms(t.PercentileMs(0.999)).c_str(), cpu.bench / w,
      cpu.plans / w, has_proxy ? absl::StrFormat("%.2f", cpu.proxy / w).c_str() : "-",
      cpu.machine / w,
      has_proxy && t.ok() > 0 ? absl::StrFormat("%.1f", cpu.proxy / t.ok() * 1e6).c_str() : "-");
  if (t.errors() > 0) {
    std::vector<std::string> parts;
    for (const auto& [code, n] : t.errors_by_code) parts.push_back(absl::StrCat(code, " x", n));
    std::printf("  errors: %s; first: %s\n", absl::StrJoin(parts, ", ").c_str(),
                t.first_error.c_str());
  }
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// Setup: keys, token, processes

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

// A free TCP port on 127.0.0.1 (bound and released: nginx cannot report the
// port it got for port 0).
absl::StatusOr<int> FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  socklen_t len = sizeof(addr);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) return absl::InternalError("no free port on 127.0.0.1");
  return static_cast<int>(ntohs(addr.sin_port));
}

bool Connects(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// Why nginx cannot be the third target, or empty when it can.
std::string NginxUnusable(const std::string& dir) {
  if (access(kNginx, X_OK) != 0) return absl::StrCat(kNginx, " is not installed (nginx-light)");
  const std::string out = dir + "/nginx-V.txt";
  const int rc = std::system(absl::StrCat(kNginx, " -V > ", out, " 2>&1").c_str());
  const std::string v = ReadFile(out);
  if (rc != 0) return absl::StrCat(kNginx, " -V failed");
  if (!absl::StrContains(v, "--with-http_v2_module")) return "nginx is built without http_v2";
  if (absl::StrContains(v, "--without-http_grpc_module")) return "nginx is built without grpc";
  return "";
}

// nginx on 127.0.0.1:port in front of the plans service, master and workers
// in the foreground of their own process group; stopped by PID.
class Nginx {
 public:
  static absl::StatusOr<std::unique_ptr<Nginx>> Start(const std::string& dir,
                                                      const std::string& backend) {
    auto port = FreePort();
    if (!port.ok()) return port.status();
    auto n = std::unique_ptr<Nginx>(new Nginx());
    n->port_ = *port;
    n->dir_ = dir;
    std::error_code ec;
    std::filesystem::create_directories(dir + "/temp", ec);
    // As root the workers would run as nobody: keep them the current user.
    const std::string user = geteuid() == 0 ? "user root root;\n" : "";
    std::ofstream conf(dir + "/nginx.conf");
    conf << user << "worker_processes auto;\n"
         << "pid " << dir << "/nginx.pid;\n"
         << "error_log " << dir << "/error.log warn;\n"
         << "events { worker_connections 4096; }\n"
         << "http {\n"
         << "  access_log off;\n"
         << "  client_body_temp_path " << dir << "/temp/body;\n"
         << "  proxy_temp_path " << dir << "/temp/proxy;\n"
         << "  fastcgi_temp_path " << dir << "/temp/fastcgi;\n"
         << "  uwsgi_temp_path " << dir << "/temp/uwsgi;\n"
         << "  scgi_temp_path " << dir
         << "/temp/scgi;\n"
         // Client connections live for the whole run (the default closes one
         // after 1000 requests).
         << "  keepalive_requests 100000000;\n"
         << "  keepalive_timeout 600s;\n"
         // One upstream connection per concurrent call (nginx does not
         // multiplex streams upstream), kept open between calls.
         << "  upstream plans {\n"
         << "    server " << backend << ";\n"
         << "    keepalive 256;\n"
         << "    keepalive_requests 100000000;\n"
         << "    keepalive_timeout 600s;\n"
         << "  }\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << n->port_ << " http2;\n"
         << "    location / { grpc_pass grpc://plans; }\n"
         << "  }\n"
         << "}\n";
    conf.close();
    if (!conf) return absl::InternalError(absl::StrCat("cannot write ", dir, "/nginx.conf"));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = dir + "/nginx.out";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const std::string prefix = dir + "/";
    const std::string config = dir + "/nginx.conf";
    std::vector<std::string> args = {kNginx, "-p", prefix, "-c", config, "-g", "daemon off;"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, kNginx, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return absl::InternalError(absl::StrCat("cannot start ", kNginx, ": rc ", rc));
    n->pid_ = pid;
    const absl::Time until = absl::Now() + absl::Seconds(10);
    while (!Connects(n->port_)) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        n->pid_ = -1;
        return absl::InternalError(
            absl::StrCat("nginx exited at start: ", ReadFile(log), ReadFile(dir + "/error.log")));
      }
      if (absl::Now() > until) {
        return absl::DeadlineExceededError(absl::StrCat("nginx does not listen on ", n->port_));
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return n;
  }

  ~Nginx() { Stop(); }

  // SIGTERM (fast shutdown: the master stops its workers) and wait; SIGKILL
  // after 10 s. Returns how it ended.
  std::string Stop() {
    if (pid_ <= 0) return "not running";
    kill(pid_, SIGTERM);
    const absl::Time until = absl::Now() + absl::Seconds(10);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (absl::Now() > until) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return "killed (SIGKILL) after 10 s";
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? absl::StrCat("exit ", WEXITSTATUS(status))
                             : absl::StrCat("signal ", WTERMSIG(status));
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }

 private:
  Nginx() = default;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

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
  std::printf("gateway_bench\n");
  std::printf("command: %s\n", absl::StrJoin(args, " ").c_str());
  std::printf("machine: nproc %d, kernel %s, %s; gRPC %s\n", nproc, u.release,
              model.empty() ? "cpu unknown" : model.c_str(), grpc::Version().c_str());
  std::printf("load average at start: %s\n", ReadFirstLine("/proc/loadavg", "").c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------
// The run

struct Setup {
  std::string dir;
  std::unique_ptr<helhed::testing::ServiceProcess> plans;
  std::unique_ptr<helhed::testing::ServiceProcess> gateway;
  std::unique_ptr<Nginx> nginx;
  std::vector<std::string> temp_dirs;  // removed at the end
};

absl::StatusOr<std::string> MintBenchToken(const std::string& dir) {
  const std::string cmd =
      absl::StrCat("mkdir -p ", dir,
                   "/keys && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ",
                   dir, "/idp.key 2>/dev/null && openssl pkey -in ", dir, "/idp.key -pubout -out ",
                   dir, "/keys/idp-1.pem && head -c 48 /dev/urandom > ", dir, "/cpr.key");
  if (std::system(cmd.c_str()) != 0) {
    return absl::InternalError("cannot make the keys (openssl genpkey)");
  }
  MintOptions m;
  m.private_key_pem = ReadFile(dir + "/idp.key");
  m.kid = "idp-1";
  m.issuer = "https://idp.helhed.local";
  m.audience = "helhed-gateway";
  m.subject = "gateway-bench";
  m.municipality = kMunicipality;
  m.roles = {"manager"};
  m.issued_at = absl::Now() - absl::Minutes(1);
  m.lifetime = absl::Hours(12);
  return MintToken(m);
}

absl::StatusOr<std::unique_ptr<helhed::testing::ServiceProcess>> StartService(const char* binary,
                                                                              Setup* setup) {
  if (access(binary, X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(binary, " is missing; build it"));
  }
  auto url = helhed::testing::NewStoreUrl(helhed::testing::Backend::kSqlite);
  if (!url.ok()) return url.status();
  if (auto parsed = store::ParseStoreUrl(*url); parsed.ok() && !parsed->path.empty()) {
    setup->temp_dirs.push_back(std::filesystem::path(parsed->path).parent_path().string());
  }
  auto p = helhed::testing::ServiceProcess::Start(binary, *url);
  if (!p.ok()) {
    return absl::Status(p.status().code(),
                        absl::StrCat("cannot start ", binary, ": ", p.status().message()));
  }
  setup->temp_dirs.push_back(std::filesystem::path((*p)->log_path()).parent_path().string());
  return p;
}

absl::Status SetUp(Setup* s, std::vector<Target>* targets) {
  s->dir = helhed::testing::TempDir();
  s->temp_dirs.push_back(s->dir);
  auto token = MintBenchToken(s->dir);
  if (!token.ok()) return token.status();

  auto plans = StartService(HELHED_PLANS_BINARY, s);
  if (!plans.ok()) return plans.status();
  s->plans = std::move(*plans);

  setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (s->dir + "/keys").c_str(), 1);
  setenv("HELHED_GATEWAY_CPR_KEY_FILE", (s->dir + "/cpr.key").c_str(), 1);
  setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt",
         1);
  setenv("HELHED_GATEWAY_BACKENDS", absl::StrCat("plans=", s->plans->target()).c_str(), 1);
  setenv("HELHED_GATEWAY_RATE", "0", 1);
  auto gateway = StartService(HELHED_GATEWAY_BINARY, s);
  if (!gateway.ok()) return gateway.status();
  s->gateway = std::move(*gateway);

  const std::string principal = helhed::testing::TestPrincipal(kMunicipality, "gateway-bench");
  Target direct;
  direct.name = "direct";
  direct.address = s->plans->target();
  direct.metadata = {{auth::kPrincipalMetadataKey, principal}};
  Target gw;
  gw.name = "gateway";
  gw.address = s->gateway->target();
  gw.metadata = {{"authorization", absl::StrCat("Bearer ", *token)}};
  gw.proxy_pid = s->gateway->pid();
  targets->push_back(std::move(direct));
  targets->push_back(std::move(gw));

  if (const std::string why = NginxUnusable(s->dir); !why.empty()) {
    std::printf("nginx: skipped: %s\n", why.c_str());
  } else {
    auto nginx = Nginx::Start(s->dir + "/nginx", s->plans->target());
    if (!nginx.ok()) return nginx.status();
    s->nginx = std::move(*nginx);
    Target ng;
    ng.name = "nginx";
    ng.address = absl::StrCat("127.0.0.1:", s->nginx->port());
    ng.metadata = {{auth::kPrincipalMetadataKey, principal}};
    ng.proxy_pid = s->nginx->pid();
    targets->push_back(std::move(ng));
  }
  for (Target& t : *targets) {
    if (absl::Status st = CheckTarget(&t); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Stops what SetUp started; leaves the temp dirs when something went wrong.
void TearDown(Setup* s, bool failed) {
  if (s->nginx) {
    std::printf("nginx stopped: %s\n", s->nginx->Stop().c_str());
  }
  for (auto* p : {&s->gateway, &s->plans}) {
    if (*p) {
      (*p)->Signal(SIGTERM);
      (*p)->Wait(absl::Seconds(30)).IgnoreError();
      p->reset();
    }
  }
  if (failed) {
    helhed::testing::KeepTempDirs();
    std::fprintf(stderr, "gateway_bench: logs left in %s\n",
                 absl::StrJoin(s->temp_dirs, " ").c_str());
    return;
  }
  for (const auto& d : s->temp_dirs) helhed::testing::RemoveTempDir(d);
}

const Target* Find(const std::vector<Target>& targets, const std::string& name) {
  for (const auto& t : targets) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// Runs the levels and prints; the ratios at the end.
absl::Status RunAll(const Options& o, std::vector<Target>* targets, pid_t plans_pid) {
  std::printf(
      "call: helhed.plans.v1.PlansService/ListPlans, page_size 1, empty SQLite store (OK, "
      "empty)\n");
  for (const auto& t : *targets) {
    std::printf("  %-8s %s%s\n", t.name.c_str(), t.address.c_str(),
                t.name == "gateway" ? "  (authorization: Bearer <RS256 JWT>, every call)"
                : t.name == "nginx" ? "  (grpc_pass, x-helhed-principal)"
                                    : "  (x-helhed-principal)");
  }
  std::printf(
      "%.1f s warm-up + %.1f s measured per target, level and round; %d round%s per level\n"
      "latencies client-side, send to completion; CPU in cores (core-seconds per second) of\n"
      "this process, plans, the proxy (gateway, or nginx master + workers) and the machine;\n"
      "\"proxy us\": the proxy's CPU microseconds per OK call\n",
      o.warmup, o.seconds, o.rounds, o.rounds == 1 ? "" : "s");
  std::fflush(stdout);

  // pooled[level][target]
  std::map<int, std::map<std::string, std::pair<Tally, CpuSample>>> pooled;
  for (const int clients : o.clients) {
    for (Target& t : *targets) {
      if (absl::Status s = EnsureChannels(&t, clients); !s.ok()) return s;
    }
    std::printf("\n=== %d concurrent client%s over %d channel%s ===\n", clients,
                clients == 1 ? "" : "s", (clients + kClientsPerChannel - 1) / kClientsPerChannel,
                clients <= kClientsPerChannel ? "" : "s");
    PrintHeader();
    for (int round = 1; round <= o.rounds; ++round) {
      std::vector<Target*> order;
      for (Target& t : *targets) order.push_back(&t);
      if (round % 2 == 0) std::reverse(order.begin(), order.end());
      for (Target* t : order) {
        RunResult r = RunTarget(t, clients, o, plans_pid);
        PrintRow(absl::StrCat(round), t->name, r.tally, r.cpu, t->proxy_pid > 0);
        auto& [tally, cpu] = pooled[clients][t->name];
        tally.Merge(r.tally);
        cpu.bench += r.cpu.bench;
        cpu.plans += r.cpu.plans;
        cpu.proxy += r.cpu.proxy;
        cpu.machine += r.cpu.machine;
      }
    }
    if (o.rounds > 1) {
      for (const Target& t : *targets) {
        auto& [tally, cpu] = pooled[clients][t.name];
        std::sort(tally.latency_ns.begin(), tally.latency_ns.end());
        PrintRow("pooled", t.name, tally, cpu, t.proxy_pid > 0);
      }
    }
  }

  std::printf("\n=== summary (rounds pooled) ===\n");
  const bool has_nginx = Find(*targets, "nginx") != nullptr;
  for (const int clients : o.clients) {
    const auto& level = pooled[clients];
    const Tally& direct = level.at("direct").first;
    const Tally& gw = level.at("gateway").first;
    std::printf("%d clients: gateway / direct throughput %.2f", clients,
                direct.throughput() > 0 ? gw.throughput() / direct.throughput() : NAN);
    if (has_nginx) {
      const Tally& ng = level.at("nginx").first;
      std::printf("; gateway / nginx throughput %.2f (aim >= 2.00)",
                  ng.throughput() > 0 ? gw.throughput() / ng.throughput() : NAN);
    }
    std::printf("\n");
    std::printf("%d clients: added by the gateway: p50 %s ms, p99 %s ms", clients,
                Ms(gw.PercentileMs(0.50) - direct.PercentileMs(0.50)).c_str(),
                Ms(gw.PercentileMs(0.99) - direct.PercentileMs(0.99)).c_str());
    if (has_nginx) {
      const Tally& ng = level.at("nginx").first;
      std::printf("; by nginx: p50 %s ms, p99 %s ms",
                  Ms(ng.PercentileMs(0.50) - direct.PercentileMs(0.50)).c_str(),
                  Ms(ng.PercentileMs(0.99) - direct.PercentileMs(0.99)).c_str());
    }
    std::printf("%s\n", clients == o.clients.front() ? " (aim: gateway p99 added < 1 ms)" : "");
  }
  if (!has_nginx) std::printf("nginx skipped: no throughput ratio to nginx\n");
  std::fflush(stdout);
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  auto options = ParseFlags(argc, argv);
  if (!options.ok()) {
    const bool help = options.status().code() == absl::StatusCode::kCancelled;
    std::fprintf(help ? stdout : stderr, "%s%s",
                 help ? "" : "gateway_bench: ", std::string(options.status().message()).c_str());
    if (!help) std::fprintf(stderr, "\n%s", kUsage);
    return help ? 0 : 2;
  }
  signal(SIGPIPE, SIG_IGN);
  PrintMachine(argc, argv);

  Setup setup;
  std::vector<Target> targets;
  absl::Status s = SetUp(&setup, &targets);
  if (s.ok()) s = RunAll(*options, &targets, setup.plans->pid());
  targets.clear();  // channels closed before the servers stop
  if (!s.ok()) std::fprintf(stderr, "gateway_bench: %s\n", s.ToString().c_str());
  TearDown(&setup, !s.ok());
  return s.ok() ? 0 : 1;
}

}  // namespace
}  // namespace helhed::gateway

int main(int argc, char** argv) { return helhed::gateway::Main(argc, argv); }
