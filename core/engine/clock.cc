#include "engine/clock.h"

#include <algorithm>

namespace coral::engine {

ManualClock::ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}

TimePoint ManualClock::Now() const {
  return TimePoint(TimePoint::duration(now_.load()));
}

void ManualClock::AddListener(ClockListener* listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(listener);
}

void ManualClock::RemoveListener(ClockListener* listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), listener), listeners_.end());
}

void ManualClock::Advance(std::chrono::nanoseconds by) {
  now_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(by).count());
  std::lock_guard lock(listeners_mutex_);
  for (ClockListener* listener : listeners_) listener->OnClockAdvanced();
}

}  // namespace coral::engine
