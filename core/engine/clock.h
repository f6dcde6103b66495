// The engine's clock, injectable: RealClock in production, ManualClock in tests (time moves only
// when the test calls Advance, and due timers are handed out before Advance returns, so tests
// never sleep).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "actors/actor.h"

namespace coral::engine {

using TimePoint = actors::Clock::time_point;

// Told when a clock that does not move by itself has moved.
class ClockListener {
 public:
  virtual ~ClockListener() = default;
  virtual void OnClockAdvanced() = 0;
};

class EngineClock {
 public:
  virtual ~EngineClock() = default;
  virtual TimePoint Now() const = 0;
  // True when time passes by itself (a waiter may sleep until a deadline); false when it moves
  // only through calls that then notify the listeners.
  virtual bool Realtime() const = 0;
  virtual void AddListener(ClockListener* /*listener*/) {}
  // After this returns, `listener` is not being called and will not be.
  virtual void RemoveListener(ClockListener* /*listener*/) {}
};

// The system clock.
class RealClock final : public EngineClock {
 public:
  TimePoint Now() const override { return actors::Clock::now(); }
  bool Realtime() const override { return true; }
};

// A clock for tests. Starts at `start`; Advance moves it and, before returning, calls every
// listener (the timer service then dispatches the timers that became due).
class ManualClock final : public EngineClock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)));
  TimePoint Now() const override;
  bool Realtime() const override { return false; }
  void AddListener(ClockListener* listener) override;
  void RemoveListener(ClockListener* listener) override;

  void Advance(std::chrono::nanoseconds by);

 private:
  std::atomic<TimePoint::rep> now_;
  std::mutex listeners_mutex_;  // held while listeners are called
  std::vector<ClockListener*> listeners_;
};

}  // namespace coral::engine
