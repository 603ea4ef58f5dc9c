#include "tests/support/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/test_store.h"

namespace helhed::testing {

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const std::string& binary, const std::string& store_url, std::vector<std::string> extra_args) {
  std::unique_ptr<ServiceProcess> p(new ServiceProcess);
  p->binary_ = binary;
  p->dir_ = TempDir();
  p->log_path_ = p->dir_ + "/service.log";
  p->args_ = {binary,
              "--store=" + store_url,
              "--listen=127.0.0.1:0",
              "--metrics-listen=127.0.0.1:0",
              "--port-file=" + p->dir_ + "/ports",
              std::string("--log-level=") + (std::getenv("HELHED_TEST_SERVICE_LOG_LEVEL") != nullptr
                                                 ? std::getenv("HELHED_TEST_SERVICE_LOG_LEVEL")
                                                 : "warning")};
  p->args_.push_back("--principal-key-file=" + TestPrincipalKeyFile());
  p->args_.push_back("--policy=" + TestPolicyFile());
  for (auto& a : extra_args) {
    p->args_.push_back(std::move(a));
  }
  absl::Status s = p->Launch();
  if (!s.ok()) {
    return s;
  }
  return p;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

absl::Status ServiceProcess::Launch() {
  const std::string port_file = dir_ + "/ports";
  unlink(port_file.c_str());
  pid_ = fork();
  if (pid_ < 0) {
    return absl::InternalError("fork failed");
  }
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args_) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(binary_.c_str(), argv.data());
    _exit(127);
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream log(log_path_);
      std::stringstream ss;
      ss << log.rdbuf();
      return absl::InternalError(absl::StrCat("service exited at start-up: ", ss.str()));
    }
    std::ifstream in(port_file);
    std::string line;
    int grpc = 0;
    int metrics = 0;
    int health = 0;
    while (std::getline(in, line)) {
      std::vector<std::string> kv = absl::StrSplit(line, '=');
      if (kv.size() == 2 && kv[0] == "grpc") absl::SimpleAtoi(kv[1], &grpc);
      if (kv.size() == 2 && kv[0] == "metrics") absl::SimpleAtoi(kv[1], &metrics);
      if (kv.size() == 2 && kv[0] == "health") absl::SimpleAtoi(kv[1], &health);
    }
    if (grpc > 0) {
      grpc_port_ = grpc;
      metrics_port_ = metrics;
      health_port_ = health;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("service did not start within 60 s");
}

std::string ServiceProcess::target() const { return absl::StrCat("127.0.0.1:", grpc_port_); }

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel() const {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // a fresh connection per channel
  std::string name = binary_.substr(binary_.rfind('/') + 1);
  if (absl::StartsWith(name, "helhed-")) name = name.substr(7);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> signers;
  static const auto* key = new std::shared_ptr<const auth::PrincipalKey>(
      std::make_shared<const auth::PrincipalKey>(TestPrincipalKey()));
  signers.push_back(auth::NewPrincipalSigner(*key, name));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target(), grpc::InsecureChannelCredentials(), args, std::move(signers));
}

void ServiceProcess::Signal(int sig) {
  if (pid_ > 0) {
    kill(pid_, sig);
  }
}

absl::StatusOr<int> ServiceProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (pid_ > 0 && absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
      }
      return WEXITSTATUS(status);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (pid_ > 0) {
    return absl::DeadlineExceededError("process still running");
  }
  return absl::FailedPreconditionError("not running");
}

absl::Status ServiceProcess::Restart() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  return Launch();
}

std::string TestPrincipal(const std::string& municipality, const std::string& subject) {
  auth::Principal p;
  p.set_subject(subject);
  p.set_municipality_code(municipality);
  p.add_roles(helhed::common::v1::ROLE_CASEWORKER);
  p.add_roles(helhed::common::v1::ROLE_MANAGER);
  p.add_roles(helhed::common::v1::ROLE_VOLUNTEER_COORDINATOR);
  p.add_roles(helhed::common::v1::ROLE_GUIDE_COORDINATOR);
  p.add_roles(helhed::common::v1::ROLE_HOUSING_OFFICER);
  return TestPrincipalKey().Sign(p, "plans+volunteers+guides+housing",
                                 absl::Now() + absl::Hours(1));
}

const std::string& TestPrincipalKeyFile() {
  static const std::string* path = [] {
    auto* p = new std::string(TempDir() + "/principal.key");
    std::ofstream out(*p, std::ios::binary | std::ios::trunc);
    out << "helhed-test-principal-key: not a secret, tests only";
    return p;
  }();
  return *path;
}

const auth::PrincipalKey& TestPrincipalKey() {
  static const auto* key = new auth::PrincipalKey(
      *auth::PrincipalKey::FromBytes("helhed-test-principal-key: not a secret, tests only"));
  return *key;
}

std::string TestPolicyFile() { return HELHED_SOURCE_DIR "/common/auth/default_policy.txt"; }

}  // namespace helhed::testing
