#include "security/login_throttle.h"

#include <doctest/doctest.h>

namespace coral::security {
namespace {

using std::chrono::milliseconds;

struct FakeNow {
  SteadyTime now{std::chrono::hours(1000)};
  std::function<SteadyTime()> clock() {
    return [this] { return now; };
  }
};

ThrottleOptions Options() {
  ThrottleOptions options;
  options.base_delay = milliseconds(100);
  options.max_delay = milliseconds(1000);
  options.free_failures_per_address = 3;
  options.forget_after = std::chrono::seconds(60);
  options.max_entries = 100;
  return options;
}

// One failed attempt: the delay it was held for.
milliseconds Fail(LoginThrottle& throttle, std::string_view name, std::string_view address) {
  const milliseconds delay = throttle.Begin(name, address);
  throttle.End(name, address, LoginThrottle::Outcome::kFailed);
  return delay;
}

TEST_SUITE("security: failed-login throttle") {
  TEST_CASE("the delay doubles with each failure of a name, up to the cap") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    std::vector<long> delays;
    for (int i = 0; i < 7; ++i) {
      delays.push_back(Fail(throttle, "alice", "10.0.0." + std::to_string(i)).count());
    }
    CHECK(delays == std::vector<long>{0, 100, 200, 400, 800, 1000, 1000});
  }

  TEST_CASE("a success resets the name's failures") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    Fail(throttle, "alice", "a1");
    Fail(throttle, "alice", "a2");
    CHECK(throttle.Begin("alice", "a3") == milliseconds(200));
    throttle.End("alice", "a3", LoginThrottle::Outcome::kSucceeded);
    CHECK(Fail(throttle, "alice", "a4") == milliseconds(0));
    CHECK(Fail(throttle, "alice", "a5") == milliseconds(100));
  }

  TEST_CASE("an address gets free failures, then slows down every name tried from it") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    std::vector<long> delays;
    for (int i = 0; i < 6; ++i) {
      delays.push_back(Fail(throttle, "user" + std::to_string(i), "10.9.9.9").count());
    }
    CHECK(delays == std::vector<long>{0, 0, 0, 0, 100, 200});
    CHECK(Fail(throttle, "someone", "10.1.1.1") == milliseconds(0));
  }

  TEST_CASE("parallel attempts count each other before their outcome is known") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    CHECK(throttle.Begin("alice", "a") == milliseconds(0));
    CHECK(throttle.Begin("alice", "b") == milliseconds(100));
    CHECK(throttle.Begin("alice", "c") == milliseconds(200));
  }

  TEST_CASE("an inconclusive attempt (server down) is not counted") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    for (int i = 0; i < 5; ++i) {
      CHECK(throttle.Begin("alice", "a") == milliseconds(0));
      throttle.End("alice", "a", LoginThrottle::Outcome::kInconclusive);
    }
  }

  TEST_CASE("failures are forgotten after a quiet period") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    Fail(throttle, "alice", "a");
    Fail(throttle, "alice", "a");
    time.now += std::chrono::seconds(30);
    CHECK(Fail(throttle, "alice", "a") == milliseconds(200));
    time.now += std::chrono::seconds(61);
    CHECK(Fail(throttle, "alice", "a") == milliseconds(0));
  }

  TEST_CASE("the maps stay bounded, dropping the stalest entries") {
    FakeNow time;
    LoginThrottle throttle(Options(), time.clock());
    Fail(throttle, "victim", "v");
    for (int i = 0; i < 500; ++i) {
      time.now += milliseconds(1);
      Fail(throttle, "name" + std::to_string(i), "addr" + std::to_string(i));
    }
    CHECK(throttle.tracked_names() <= 100);
    CHECK(throttle.tracked_addresses() <= 100);
    CHECK(throttle.DelayFor(1000) == milliseconds(1000));
    CHECK(throttle.DelayFor(0) == milliseconds(0));
  }
}

}  // namespace
}  // namespace coral::security
