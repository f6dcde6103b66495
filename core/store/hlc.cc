#include "store/hlc.h"

#include <algorithm>
#include <string>

namespace coral::store {

std::uint64_t HybridLogicalClock::SystemMillis() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

HybridLogicalClock::HybridLogicalClock(PhysicalClock physical, std::chrono::milliseconds max_drift)
    : physical_(std::move(physical)), max_drift_(max_drift) {}

// The packed form makes the HLC rules a max: the physical part wins when it moved forward,
// otherwise the logical counter (the low 16 bits) counts up. A counter overflow carries into the
// millisecond part, which only makes the clock run a little ahead -- still monotonic.
std::uint64_t HybridLogicalClock::Tick() {
  const std::uint64_t physical = Pack(physical_(), 0);
  std::lock_guard lock(mutex_);
  last_ = std::max(last_ + 1, physical);
  return last_;
}

Result<std::uint64_t> HybridLogicalClock::Update(std::uint64_t remote) {
  const std::uint64_t now_ms = physical_();
  if (max_drift_.count() > 0 &&
      Millis(remote) > now_ms + static_cast<std::uint64_t>(max_drift_.count())) {
    return Error{ErrorCode::kInvalidArgument, "remote clock is " +
                                                  std::to_string(Millis(remote) - now_ms) +
                                                  " ms ahead of ours, beyond the drift limit of " +
                                                  std::to_string(max_drift_.count()) + " ms"};
  }
  std::lock_guard lock(mutex_);
  last_ = std::max({last_ + 1, remote + 1, Pack(now_ms, 0)});
  return last_;
}

void HybridLogicalClock::Advance(std::uint64_t timestamp) {
  std::lock_guard lock(mutex_);
  last_ = std::max(last_, timestamp);
}

std::uint64_t HybridLogicalClock::Last() const {
  std::lock_guard lock(mutex_);
  return last_;
}

}  // namespace coral::store
