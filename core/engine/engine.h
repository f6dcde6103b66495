// The engine of one process: a pool of worker threads that run actor turns, one timer service,
// and the clock both use. Runtime copies (runtime_copy.h) are created on an Engine; any number of
// copies, of one definition or of many, share its workers.
//
// Thread-safety: the accessors may be called from any thread.
#pragma once

#include <memory>

#include "engine/clock.h"
#include "engine/timer_service.h"
#include "engine/worker_pool.h"

namespace coral::engine {

struct EngineOptions {
  // Worker threads. Default (0): std::thread::hardware_concurrency().
  int workers = 0;
  // Default (nullptr): a RealClock. Tests pass a ManualClock.
  std::shared_ptr<EngineClock> clock;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  // REQUIRES: every RuntimeCopy created on this engine has been destroyed.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  EngineClock& clock() { return *clock_; }
  TimerService& timers() { return *timers_; }
  WorkerPool& workers() { return *workers_; }

 private:
  std::shared_ptr<EngineClock> clock_;
  std::unique_ptr<TimerService> timers_;
  std::unique_ptr<WorkerPool> workers_;
};

}  // namespace coral::engine
