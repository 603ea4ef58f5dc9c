// Runs a function now and then every `every` on its own thread until
// Stop() (or destruction). For background refreshes such as domain gauges.
// Thread-safe.
#ifndef HELHED_COMMON_SERVER_PERIODIC_H_
#define HELHED_COMMON_SERVER_PERIODIC_H_

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace helhed::server {

class Periodic {
 public:
  Periodic(absl::Duration every, std::function<void()> fn)
      : thread_([this, every, fn = std::move(fn)] {
          do {
            fn();
          } while (!stop_.WaitForNotificationWithTimeout(every));
        }) {}
  ~Periodic() { Stop(); }
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Waits for a running call to finish; idempotent.
  void Stop() {
    if (!stop_.HasBeenNotified()) {
      stop_.Notify();
    }
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_PERIODIC_H_
