// A fixed set of threads running submitted work in order of submission.
// gRPC's callback handlers must not block, so handlers hand their store work
// to this pool and finish the reactor from here.
#ifndef HELHED_COMMON_SERVER_WORK_POOL_H_
#define HELHED_COMMON_SERVER_WORK_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace helhed::server {

// Thread-safe.
class WorkPool {
 public:
  explicit WorkPool(int threads);
  ~WorkPool();  // runs what is queued, then joins

  void Submit(std::function<void()> work);
  // Runs what is queued and stops the threads. Idempotent.
  void Stop();

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace helhed::server

#endif  // HELHED_COMMON_SERVER_WORK_POOL_H_
