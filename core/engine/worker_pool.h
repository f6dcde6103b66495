// A fixed pool of worker threads running Tasks (an actor instance's turn) from one run queue.
// A task is queued at most once at a time by its owner's protocol (see runtime_copy.h); the pool
// only runs what it is given, in FIFO order.
//
// Thread-safety: Schedule may be called from any thread, including from a running task.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace coral::engine {

class Task {
 public:
  virtual ~Task() = default;
  virtual void Run() = 0;
};

class WorkerPool {
 public:
  // `threads` <= 0: one per hardware thread (std::thread::hardware_concurrency, at least 1).
  explicit WorkerPool(int threads);
  // Joins the workers. REQUIRES: no task is queued or running.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run once on some worker. REQUIRES: `task` lives until it has run.
  void Schedule(Task* task);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task*> queue_;
  int idle_ = 0;    // workers waiting on ready_
  int waking_ = 0;  // of those, signalled and not yet awake
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace coral::engine
