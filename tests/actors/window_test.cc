#include <doctest/doctest.h>

#include <chrono>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using namespace std::chrono_literals;

Event N(int n) {
  return Ev(R"({"n":)" + std::to_string(n) + "}");
}

std::string Window(std::initializer_list<int> ns) {
  std::string out = R"({"data":[)";
  bool first = true;
  for (int n : ns) {
    if (!first) out += ",";
    first = false;
    out += R"({"n":)" + std::to_string(n) + "}";
  }
  return out + "]}";
}

}  // namespace

TEST_SUITE("window actor") {
  TEST_CASE("count: tumbling windows of `number` events; a partial window waits") {
    auto actor = MakeActor("window", "{method: count, number: 3}");
    FakeActorContext context;
    for (int n = 1; n <= 7; ++n) actor->OnEvent(N(n), context);
    CHECK(Joined(context.EmittedText()) == Joined({Window({1, 2, 3}), Window({4, 5, 6})}));
  }

  TEST_CASE("count: sliding by 1 emits the last `number` events after each event") {
    auto actor = MakeActor("window", "{method: count, number: 3, sliding: 1}");
    FakeActorContext context;
    for (int n = 1; n <= 5; ++n) actor->OnEvent(N(n), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({Window({1, 2, 3}), Window({2, 3, 4}), Window({3, 4, 5})}));
  }

  TEST_CASE("count: sliding by 2 over windows of 3") {
    auto actor = MakeActor("window", "{method: count, number: 3, sliding: 2}");
    FakeActorContext context;
    for (int n = 1; n <= 8; ++n) actor->OnEvent(N(n), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({Window({1, 2, 3}), Window({3, 4, 5}), Window({5, 6, 7})}));
  }

  TEST_CASE("count: a window of one") {
    auto actor = MakeActor("window", "{method: count, number: 1}");
    FakeActorContext context;
    actor->OnEvent(N(1), context);
    actor->OnEvent(N(2), context);
    CHECK(Joined(context.EmittedText()) == Joined({Window({1}), Window({2})}));
  }

  TEST_CASE("count: events keep their bytes inside the window") {
    auto actor = MakeActor("window", "{method: count, number: 2}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": {"b": [1, 2]}})"), context);
    actor->OnEvent(Event::FromJson(Json::parse(R"({"s": "x\"y"})")), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({R"({"data":[{"a": {"b": [1, 2]}},{"s":"x\"y"}]})"}));
  }

  TEST_CASE("time: tumbling windows [T - number, T); an event at exactly T is in the next") {
    auto actor = MakeActor("window", "{method: time, number: 1000}");
    FakeActorContext context;
    actor->OnStart(context);
    REQUIRE(context.timer);
    CHECK(*context.timer - context.now == 1000ms);
    context.Advance(*actor, 100ms);
    actor->OnEvent(N(1), context);
    context.Advance(*actor, 899ms);
    actor->OnEvent(N(2), context);  // at 999 ms
    CHECK(context.emitted.empty());
    context.now += 1ms;
    actor->OnEvent(N(3), context);  // at 1000 ms, before the timer fires: the next window
    context.Advance(*actor, 0ms);   // tick at 1000 ms
    CHECK(Joined(context.EmittedText()) == Joined({Window({1, 2})}));
    actor->OnEvent(N(4), context);    // at 1000 ms, after the tick
    context.Advance(*actor, 1000ms);  // tick at 2000 ms
    CHECK(Joined(context.EmittedText()) == Joined({Window({1, 2}), Window({3, 4})}));
  }

  TEST_CASE("time: an empty window emits nothing and the timer keeps running") {
    auto actor = MakeActor("window", "{method: time, number: 100}");
    FakeActorContext context;
    actor->OnStart(context);
    context.Advance(*actor, 350ms);  // ticks at 100, 200, 300: all empty
    CHECK(context.emitted.empty());
    REQUIRE(context.timer);
    actor->OnEvent(N(1), context);
    context.Advance(*actor, 50ms);  // tick at 400
    CHECK(Joined(context.EmittedText()) == Joined({Window({1})}));
  }

  TEST_CASE("time: sliding windows cover the last `number` ms, every `sliding` ms") {
    auto actor = MakeActor("window", "{method: time, number: 1000, sliding: 500}");
    FakeActorContext context;
    actor->OnStart(context);
    context.Advance(*actor, 100ms);
    actor->OnEvent(N(100), context);
    context.Advance(*actor, 500ms);  // tick 500: (-500, 500]
    actor->OnEvent(N(600), context);
    context.Advance(*actor, 600ms);  // tick 1000: (0, 1000]
    actor->OnEvent(N(1200), context);
    context.Advance(*actor, 1300ms);  // ticks 1500, 2000, 2500
    CHECK(Joined(context.EmittedText()) ==
          Joined({Window({100}), Window({100, 600}), Window({600, 1200}), Window({1200})}));
  }

  TEST_CASE("time: a late timer emits the windows that came due, each with its own events") {
    auto actor = MakeActor("window", "{method: time, number: 100}");
    FakeActorContext context;
    auto start = context.now;
    actor->OnStart(context);
    actor->OnEvent(N(1), context);  // at 0: window [0, 100)
    context.now = start + 150ms;
    actor->OnEvent(N(2), context);  // at 150: window [100, 200)
    context.now = start + 480ms;
    actor->OnEvent(N(3), context);  // at 480, after the missed ticks: window [400, 500)
    context.timer.reset();
    actor->OnTimer(context);  // the engine was busy: the 100 ms tick comes at 480 ms
    CHECK(Joined(context.EmittedText()) == Joined({Window({1}), Window({2})}));
    REQUIRE(context.timer);
    CHECK(*context.timer == start + 500ms);  // still on the grid
    context.Advance(*actor, 20ms);
    CHECK(Joined(context.EmittedText()) == Joined({Window({1}), Window({2}), Window({3})}));
  }

  TEST_CASE("time: after a long pause the timer skips ahead without emitting empty windows") {
    auto actor = MakeActor("window", "{method: time, number: 10, sliding: 1}");
    FakeActorContext context;
    auto start = context.now;
    actor->OnStart(context);
    context.now = start + std::chrono::hours(24) + 500us;
    context.timer.reset();
    actor->OnTimer(context);
    CHECK(context.emitted.empty());
    REQUIRE(context.timer);
    CHECK(*context.timer == start + std::chrono::hours(24) + 1ms);
  }

  TEST_CASE("time: the timer starts with the first event when OnStart was not called") {
    auto actor = MakeActor("window", "{method: time, number: 10}");
    FakeActorContext context;
    actor->OnEvent(N(1), context);
    REQUIRE(context.timer);
    context.Advance(*actor, 10ms);
    CHECK(Joined(context.EmittedText()) == Joined({Window({1})}));
  }

  TEST_CASE("state: method, number and sliding") {
    CHECK(MakeActor("window", "{method: count, number: 5}")->State() ==
          Json::parse(R"({"method": "count", "number": 5, "sliding": 5})"));
    CHECK(MakeActor("window", "{method: time, number: 60000, sliding: 1000}")->State() ==
          Json::parse(R"({"method": "time", "number": 60000, "sliding": 1000})"));
    const actors::ActorType* type = actors::FindActorType("window");
    REQUIRE(type);
    CHECK_FALSE(type->stateful);
    CHECK(std::vector<std::string_view>(type->state_fields.begin(), type->state_fields.end()) ==
          std::vector<std::string_view>{"method", "number", "sliding"});
  }

  TEST_CASE("params: method and number missing") {
    Configured configured = Configure("window", "{}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.method",
                      "missing; add `method:` with count or time");
    CHECK_PARAM_ERROR(configured, "actors[0].params.number", "missing");
  }

  TEST_CASE("params: unknown method suggests the nearest") {
    Configured configured = Configure("window", "{method: tme, number: 5}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.method", "did you mean \"time\"?");
  }

  TEST_CASE("params: number out of range") {
    CHECK_PARAM_ERROR(Configure("window", "{method: count, number: 0}"), "actors[0].params.number",
                      "must be from 1 to 1000000, found 0");
    CHECK_PARAM_ERROR(Configure("window", "{method: count, number: 2.5}"),
                      "actors[0].params.number", "expected a whole number from 1 to 1000000");
    CHECK_PARAM_ERROR(Configure("window", "{method: time, number: 86400001}"),
                      "actors[0].params.number", "must be from 1 to 86400000");
  }

  TEST_CASE("params: sliding must be from 1 to number") {
    Configured bigger = Configure("window", "{method: count, number: 3, sliding: 4}");
    CHECK_FALSE(bigger.create);
    CHECK_PARAM_ERROR(bigger, "actors[0].params.sliding",
                      "must be from 1 to `number` (3), found 4");
    CHECK_PARAM_ERROR(Configure("window", "{method: time, number: 3, sliding: 0}"),
                      "actors[0].params.sliding", "found 0");
    CHECK_PARAM_ERROR(Configure("window", "{method: time, number: 3, sliding: often}"),
                      "actors[0].params.sliding",
                      "expected a whole number of milliseconds from 1 to `number`, found the "
                      "string \"often\"");
    CHECK(Configure("window", "{method: count, number: 3, sliding: 3}").create);
  }
}

}  // namespace coral::testing
