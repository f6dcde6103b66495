#include "engine/worker_pool.h"

#include <algorithm>

namespace coral::engine {

WorkerPool::WorkerPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void WorkerPool::Schedule(Task* task) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(task);
    // One wake-up per idle worker at a time: a burst of Schedule calls (a batch fanned out to
    // many grouped instances) would otherwise signal the same sleeping worker over and over.
    wake = idle_ > waking_;
    if (wake) ++waking_;
  }
  if (wake) ready_.notify_one();
}

void WorkerPool::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    while (queue_.empty() && !shutdown_) {
      ++idle_;
      ready_.wait(lock);
      --idle_;
      if (waking_ > 0) --waking_;
    }
    if (queue_.empty()) return;  // shutting down
    Task* task = queue_.front();
    queue_.pop_front();
    lock.unlock();
    task->Run();
    lock.lock();
  }
}

}  // namespace coral::engine
