#include "engine/engine.h"

namespace coral::engine {

Engine::Engine(EngineOptions options)
    : clock_(options.clock ? std::move(options.clock) : std::make_shared<RealClock>()),
      timers_(std::make_unique<TimerService>(*clock_)),
      workers_(std::make_unique<WorkerPool>(options.workers)) {}

Engine::~Engine() {
  workers_.reset();  // joins the workers first: no turn runs while timers go away
  timers_.reset();
}

}  // namespace coral::engine
