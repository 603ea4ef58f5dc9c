// A loopback TCP proxy for fault tests: forwards to an upstream port until
// blocked, then cuts every connection and refuses new ones (accepts and
// closes at once), as a database that went away looks to a client.
#ifndef HELHED_TESTS_SUPPORT_TCP_PROXY_H_
#define HELHED_TESTS_SUPPORT_TCP_PROXY_H_

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace helhed::testing {

// Thread-safe.
class TcpProxy {
 public:
  static absl::StatusOr<std::unique_ptr<TcpProxy>> Start(int upstream_port);
  ~TcpProxy();

  int port() const { return port_; }
  void SetBlocked(bool blocked);

 private:
  TcpProxy() = default;
  void AcceptLoop();
  void Pump(int client, int upstream);

  int listen_fd_ = -1;
  int port_ = 0;
  int upstream_port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> blocked_{false};
  std::thread acceptor_;
  absl::Mutex mu_;
  std::set<int> open_fds_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> pumps_ ABSL_GUARDED_BY(mu_);
};

}  // namespace helhed::testing

#endif  // HELHED_TESTS_SUPPORT_TCP_PROXY_H_
