#include "store/hlc.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

namespace coral::store {
namespace {

struct FakePhysical {
  std::atomic<std::uint64_t> millis{1'700'000'000'000};
  HybridLogicalClock::PhysicalClock clock() {
    return [this] { return millis.load(); };
  }
};

TEST_SUITE("hybrid logical clock") {
  TEST_CASE("ticks strictly increase while the physical clock stands still") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock());
    std::uint64_t last = clock.Tick();
    CHECK(HybridLogicalClock::Millis(last) == physical.millis);
    CHECK(HybridLogicalClock::Logical(last) == 0);
    for (int i = 1; i <= 1000; ++i) {
      const std::uint64_t next = clock.Tick();
      CHECK(next > last);
      CHECK(HybridLogicalClock::Millis(next) == physical.millis);
      CHECK(HybridLogicalClock::Logical(next) == i);
      last = next;
    }
  }

  TEST_CASE("the physical part takes over when the wall clock moves forward") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock());
    clock.Tick();
    clock.Tick();
    physical.millis += 5;
    const std::uint64_t next = clock.Tick();
    CHECK(next == HybridLogicalClock::Pack(physical.millis, 0));
  }

  TEST_CASE("a wall clock going backwards does not make the clock go backwards") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock());
    const std::uint64_t before = clock.Tick();
    physical.millis -= 60'000;
    CHECK(clock.Tick() > before);
  }

  TEST_CASE("update with a remote clock ahead moves past it; behind changes only the counter") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock());
    const std::uint64_t local = clock.Tick();
    const std::uint64_t remote = HybridLogicalClock::Pack(physical.millis + 2'000, 7);
    auto merged = clock.Update(remote);
    REQUIRE(merged.ok());
    CHECK(merged.value() > remote);
    CHECK(merged.value() > local);
    CHECK(clock.Tick() > merged.value());

    auto behind = clock.Update(HybridLogicalClock::Pack(physical.millis - 10'000, 3));
    REQUIRE(behind.ok());
    CHECK(behind.value() > merged.value());
  }

  TEST_CASE("a remote clock beyond the drift limit is refused and changes nothing") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock(), std::chrono::seconds(10));
    const std::uint64_t local = clock.Tick();
    auto merged = clock.Update(HybridLogicalClock::Pack(physical.millis + 3'600'000, 0));
    REQUIRE_FALSE(merged.ok());
    CHECK(merged.error().code == ErrorCode::kInvalidArgument);
    CHECK(clock.Last() == local);
  }

  TEST_CASE("advance moves the clock forward without a drift check, never backwards") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock(), std::chrono::seconds(1));
    const std::uint64_t far = HybridLogicalClock::Pack(physical.millis + 3'600'000, 0);
    clock.Advance(far);
    CHECK(clock.Tick() > far);
    clock.Advance(1);
    CHECK(clock.Last() > far);
  }

  TEST_CASE("ticks from several threads are all distinct") {
    FakePhysical physical;
    HybridLogicalClock clock(physical.clock());
    std::vector<std::vector<std::uint64_t>> seen(4);
    std::vector<std::thread> threads;
    for (auto& out : seen) {
      threads.emplace_back([&clock, &out] {
        for (int i = 0; i < 2000; ++i) out.push_back(clock.Tick());
      });
    }
    for (auto& thread : threads) thread.join();
    std::vector<std::uint64_t> all;
    for (const auto& out : seen) {
      for (std::size_t i = 1; i < out.size(); ++i) CHECK(out[i] > out[i - 1]);
      all.insert(all.end(), out.begin(), out.end());
    }
    std::sort(all.begin(), all.end());
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  }
}

}  // namespace
}  // namespace coral::store
