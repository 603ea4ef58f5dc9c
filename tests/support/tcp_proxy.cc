#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace helhed::testing {
namespace {

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TcpProxy>> TcpProxy::Start(int upstream_port) {
  std::unique_ptr<TcpProxy> p(new TcpProxy);
  p->upstream_port_ = upstream_port;
  p->listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(p->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(p->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(p->listen_fd_, 64) != 0 ||
      getsockname(p->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return absl::InternalError("proxy: cannot listen");
  }
  p->port_ = ntohs(addr.sin_port);
  p->acceptor_ = std::thread([raw = p.get()] { raw->AcceptLoop(); });
  return p;
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  SetBlocked(true);
  if (acceptor_.joinable()) {
    acceptor_.join();
  }
  close(listen_fd_);
  std::vector<std::thread> pumps;
  {
    absl::MutexLock lock(&mu_);
    pumps.swap(pumps_);
  }
  for (auto& t : pumps) {
    t.join();
  }
}

void TcpProxy::SetBlocked(bool blocked) {
  blocked_ = blocked;
  if (blocked) {
    absl::MutexLock lock(&mu_);
    for (int fd : open_fds_) {
      shutdown(fd, SHUT_RDWR);
    }
  }
}

void TcpProxy::AcceptLoop() {
  while (!stop_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) {
      continue;
    }
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) {
      continue;
    }
    if (blocked_) {
      close(client);
      continue;
    }
    int upstream = ConnectLoopback(upstream_port_);
    if (upstream < 0) {
      close(client);
      continue;
    }
    absl::MutexLock lock(&mu_);
    open_fds_.insert(client);
    open_fds_.insert(upstream);
    pumps_.emplace_back([this, client, upstream] { Pump(client, upstream); });
  }
}

void TcpProxy::Pump(int client, int upstream) {
  char buf[16384];
  pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  while (!stop_ && !blocked_) {
    if (poll(fds, 2, 100) <= 0) {
      continue;
    }
    bool closed = false;
    for (int i = 0; i < 2 && !closed; ++i) {
      if (fds[i].revents == 0) {
        continue;
      }
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        closed = true;
        break;
      }
      const int out = fds[1 - i].fd;
      for (ssize_t off = 0; off < n;) {
        ssize_t w = write(out, buf + off, static_cast<size_t>(n - off));
        if (w <= 0) {
          closed = true;
          break;
        }
        off += w;
      }
    }
    if (closed) {
      break;
    }
  }
  absl::MutexLock lock(&mu_);
  open_fds_.erase(client);
  open_fds_.erase(upstream);
  close(client);
  close(upstream);
}

}  // namespace helhed::testing
