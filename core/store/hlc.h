// A hybrid logical clock: 64-bit timestamps `physical milliseconds << 16 | logical counter` that
// never repeat or go backwards on one node and move past every remote timestamp merged into them,
// so "last writer wins" between nodes agrees with causality. The version of every replicated
// record in the store is one of these.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include "common/error.h"

namespace coral::store {

class HybridLogicalClock {
 public:
  // Milliseconds since the Unix epoch; injectable for tests.
  using PhysicalClock = std::function<std::uint64_t()>;
  static std::uint64_t SystemMillis();

  // `max_drift`: Update refuses a remote timestamp more than this ahead of our physical clock
  // (a peer with a broken clock must not drag every node into the future). Zero: no limit.
  explicit HybridLogicalClock(PhysicalClock physical = SystemMillis,
                              std::chrono::milliseconds max_drift = std::chrono::minutes(1));

  // A timestamp for a local event (a write), greater than every timestamp returned before.
  std::uint64_t Tick();
  // Merges a timestamp received from another node; returns a local timestamp greater than both.
  // kInvalidArgument (clock unchanged) when `remote` is beyond the drift limit.
  Result<std::uint64_t> Update(std::uint64_t remote);
  // Moves the clock to at least `timestamp` without a drift check: for timestamps this node
  // wrote itself, read back from its own store on start.
  void Advance(std::uint64_t timestamp);
  // The last timestamp handed out (0 before the first).
  std::uint64_t Last() const;

  static constexpr std::uint64_t Pack(std::uint64_t millis, std::uint16_t logical) {
    return millis << 16 | logical;
  }
  static constexpr std::uint64_t Millis(std::uint64_t timestamp) { return timestamp >> 16; }
  static constexpr std::uint16_t Logical(std::uint64_t timestamp) {
    return static_cast<std::uint16_t>(timestamp & 0xFFFF);
  }

 private:
  PhysicalClock physical_;
  std::chrono::milliseconds max_drift_;
  mutable std::mutex mutex_;
  std::uint64_t last_ = 0;  // guarded by mutex_
};

}  // namespace coral::store
