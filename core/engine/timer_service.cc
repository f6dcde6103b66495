#include "engine/timer_service.h"

namespace coral::engine {

TimerService::TimerService(EngineClock& clock) : clock_(clock) {
  clock_.AddListener(this);
  if (clock_.Realtime()) thread_ = std::thread([this] { Loop(); });
}

TimerService::~TimerService() {
  clock_.RemoveListener(this);
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerService::Schedule(TimerTarget* target, int kind, TimePoint deadline, const void* owner) {
  std::lock_guard lock(mutex_);
  if (shutdown_) return;
  auto found = index_.find(Key(target, kind));
  if (found != index_.end()) RemoveLocked(found->second);
  bool earliest = entries_.empty() || deadline < entries_.begin()->deadline;
  auto it = entries_.insert(Entry{deadline, next_sequence_++, target, kind, owner}).first;
  index_[Key(target, kind)] = it;
  if (deadline <= clock_.Now()) {
    DispatchDueLocked();
  } else if (earliest && thread_.joinable()) {
    wake_.notify_one();
  }
}

void TimerService::Cancel(TimerTarget* target, int kind) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(Key(target, kind));
  if (found != index_.end()) RemoveLocked(found->second);
}

void TimerService::CancelOwner(const void* owner) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->owner == owner) RemoveLocked(it);
    it = next;
  }
}

std::size_t TimerService::pending() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void TimerService::OnClockAdvanced() {
  std::lock_guard lock(mutex_);
  DispatchDueLocked();
}

void TimerService::RemoveLocked(std::set<Entry>::iterator it) {
  index_.erase(Key(it->target, it->kind));
  entries_.erase(it);
}

void TimerService::DispatchDueLocked() {
  TimePoint now = clock_.Now();
  while (!entries_.empty() && entries_.begin()->deadline <= now) {
    Entry entry = *entries_.begin();
    RemoveLocked(entries_.begin());
    entry.target->OnTimerDue(entry.kind);
  }
}

void TimerService::Loop() {
  std::unique_lock lock(mutex_);
  while (!shutdown_) {
    DispatchDueLocked();
    if (entries_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto wait = entries_.begin()->deadline - clock_.Now();
    if (wait > TimePoint::duration::zero()) wake_.wait_for(lock, wait);
  }
}

}  // namespace coral::engine
