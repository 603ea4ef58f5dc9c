// Runs a real Helhed service binary as a child process for integration
// tests: free ports (port 0, read back from --port-file), its own log file,
// restart, and signals.
#ifndef HELHED_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define HELHED_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal_token.h"
#include "grpcpp/channel.h"

namespace helhed::testing {

// Not thread-safe.
class ServiceProcess {
 public:
  // Starts `binary --store=store_url --listen=127.0.0.1:0
  // --principal-key-file=<test key> --policy=<repository policy> ... extra_args`
  // and waits until it serves.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, const std::string& store_url,
      std::vector<std::string> extra_args = {});
  ~ServiceProcess();  // SIGKILLs it if still running

  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  // The --health-listen port, 0 when not asked for.
  int health_port() const { return health_port_; }
  std::string target() const;
  // A channel to it that signs any bare principal attached to a call
  // (auth::AttachPrincipal) with the test key, for the service this binary
  // runs ("helhed-plans" -> "plans"); a signed or malformed one passes as is.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // Sends `sig`.
  void Signal(int sig);
  // Waits for the process to exit; its exit code, or 128+signal.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // Starts it again with the same arguments (new ports).
  absl::Status Restart();

 private:
  ServiceProcess() = default;
  absl::Status Launch();

  std::string binary_;
  std::vector<std::string> args_;
  std::string dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  int health_port_ = 0;
};

// The x-helhed-principal value for tests: a caller in `municipality` with
// every staff role the services' policy knows (caseworker, manager, the
// coordinators, housing officer), signed with the test key for all four
// services, valid for an hour.
std::string TestPrincipal(const std::string& municipality, const std::string& subject = "tester");

// The principal key every ServiceProcess gets (--principal-key-file): a
// fixed, non-secret test key, written to a file once per test process.
const std::string& TestPrincipalKeyFile();
const auth::PrincipalKey& TestPrincipalKey();
// The role policy file every ServiceProcess gets (--policy): the repository's.
std::string TestPolicyFile();

}  // namespace helhed::testing

#endif  // HELHED_TESTS_SUPPORT_SERVICE_PROCESS_H_
