// The engine's timer service: every timer of every actor instance (generator ticks, window and
// duration state updates, OnTimer requests) lives in one ordered set, served by one thread (none
// with a ManualClock, whose Advance dispatches due timers synchronously).
//
// Thread-safety: all methods may be called from any thread. Targets are called with the
// service's lock held, so TimerTarget::OnTimerDue must be quick and must not call the service.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "engine/clock.h"

namespace coral::engine {

class TimerTarget {
 public:
  virtual ~TimerTarget() = default;
  // Timer `kind` of this target is due. Called with the service's lock held.
  virtual void OnTimerDue(int kind) = 0;
};

class TimerService final : public ClockListener {
 public:
  explicit TimerService(EngineClock& clock);
  ~TimerService() override;
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  // Arms timer `kind` of `target` for `deadline`, replacing a pending one of the same kind. A
  // deadline already reached is dispatched before this returns. `owner` groups timers for
  // CancelOwner. REQUIRES: `target` stays alive until the timer fires or is cancelled.
  void Schedule(TimerTarget* target, int kind, TimePoint deadline, const void* owner);
  void Cancel(TimerTarget* target, int kind);
  // Removes every timer of `owner`; when this returns none of them is being dispatched.
  void CancelOwner(const void* owner);
  std::size_t pending() const;

  void OnClockAdvanced() override;

 private:
  struct Entry {
    TimePoint deadline;
    std::uint64_t sequence;
    TimerTarget* target;
    int kind;
    const void* owner;
    bool operator<(const Entry& other) const {
      return std::pair(deadline, sequence) < std::pair(other.deadline, other.sequence);
    }
  };
  using Key = std::pair<TimerTarget*, int>;

  void DispatchDueLocked();
  void RemoveLocked(std::set<Entry>::iterator it);
  void Loop();

  EngineClock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::set<Entry> entries_;
  std::map<Key, std::set<Entry>::iterator> index_;
  std::uint64_t next_sequence_ = 0;
  bool shutdown_ = false;
  std::thread thread_;  // only for a realtime clock
};

}  // namespace coral::engine
