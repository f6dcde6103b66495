#include "engine/runtime_copy.h"

#include <thread>

#include "engine/copy_router.h"
#include "engine/engine_fixture.h"

namespace coral::testing {
namespace {

// Waits (without sleeping a fixed time) until `condition` holds or 10 s pass.
template <typename Condition>
bool WaitFor(Condition condition) {
  auto deadline = Deadline();
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

std::vector<Event> Events(std::initializer_list<std::string_view> texts) {
  std::vector<Event> events;
  for (auto text : texts) events.push_back(E(text));
  return events;
}

TEST_CASE("LinksFanOutEveryEmittedEventToEveryTargetInOrderWithBytesKept") {
  engine::Engine engine;
  auto a = std::make_shared<Probe>(), b = std::make_shared<Probe>(), c = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("a", Pass(a));
  builder.Actor("b", Pass(b));
  builder.Actor("c", Pass(c));
  builder.Link("a", "b").Link("a", "c");
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("a", Events({R"({"z": 1,  "a": 2})", R"({"n":2})", R"({"n":3})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  std::vector<std::string> expected = {R"({"z": 1,  "a": 2})", R"({"n":2})", R"({"n":3})"};
  CHECK(b->Events() == expected);
  CHECK(c->Events() == expected);
  auto stats = copy->ActorStats("a").value();
  CHECK(stats["received"] == 3);
  CHECK(stats["emitted"] == 3);
  CHECK(copy->ActorStats("b").value()["received"] == 3);
}

TEST_CASE("InjectIntoAnUnknownActorIsNotFound") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("a", Pass(nullptr));
  auto copy = MakeCopy(engine, builder.Build());
  auto status = copy->Inject("nope", Events({R"({"n":1})"}));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == ErrorCode::kNotFound);
}

TEST_CASE("CopiesTakeEventsRoundRobinAndKeepTheirOwnState") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("counter", Count(), /*stateful=*/true).copies = 3;
  auto copy = MakeCopy(engine, builder.Build());
  std::vector<Event> events;
  for (int i = 0; i < 7; ++i) events.push_back(E(R"({"v": 1})"));
  REQUIRE(copy->Inject("counter", std::move(events)).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  Json state = copy->ActorState("counter").value();
  REQUIRE(state.is_array());
  REQUIRE(state.size() == 3);
  CHECK(state[0]["count"] == 3);
  CHECK(state[1]["count"] == 2);
  CHECK(state[2]["count"] == 2);
  CHECK(state[2]["copy"] == 3);
  CHECK(copy->ActorStats("counter").value()["instances"] == 3);
}

TEST_CASE("GroupByCreatesOneInstancePerKeyAndCountsEventsWithoutTheField") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("per-user", Count(), true).group_by = FieldPath::Parse("user");
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("per-user",
                       Events({R"({"user": "ann", "v": 1})", R"({"user": "bob", "v": 5})",
                               R"({"v": 7})", R"({"user": "ann", "v": 2})", R"({"user": 3})"}))
              .ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  Json state = copy->ActorState("per-user").value();
  CHECK(state["ann"]["count"] == 2);
  CHECK(state["ann"]["sum"] == 3.0);
  CHECK(state["bob"]["count"] == 1);
  CHECK(state["3"]["count"] == 1);
  Json stats = copy->ActorStats("per-user").value();
  CHECK(stats["instances"] == 3);
  CHECK(stats["received"] == 5);
  CHECK(stats["ignored"] == 1);
  CHECK(stats["ignoredBy"]["missing group field"] == 1);
  CHECK(copy->queued() == 0);
}

TEST_CASE("CollectReadsTheSourceStateAndForAGroupedSourceTheInstanceOfTheEventsKey") {
  engine::Engine engine;
  auto out = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("total", Count(), true);
  builder.Actor("per-user", Count(), true).group_by = FieldPath::Parse("user");
  builder.Actor("reader", [](const actors::ActorEnv&) { return std::make_unique<CollectActor>(); })
      .collect = {{"count", "total", "count"}};
  builder
      .Actor("grouped-reader",
             [](const actors::ActorEnv&) { return std::make_unique<CollectActor>(); })
      .collect = {{"count", "per-user", "count"}};
  builder.Actor("out", Pass(out));
  builder.Link("reader", "out").Link("grouped-reader", "out");
  auto copy = MakeCopy(engine, builder.Build());

  auto feed = Events({R"({"user": "ann"})", R"({"user": "ann"})", R"({"user": "bob"})"});
  REQUIRE(copy->Inject("total", feed).ok());
  REQUIRE(copy->Inject("per-user", feed).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  REQUIRE(copy->Inject("reader", Events({R"({"user": "ann"})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  REQUIRE(copy->Inject("grouped-reader",
                       Events({R"({"user": "ann"})", R"({"user": "bob"})", R"({"user": "cy"})"}))
              .ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  std::vector<std::string> expected = {R"({"user":"ann","seen":3})", R"({"user":"ann","seen":2})",
                                       R"({"user":"bob","seen":1})",
                                       R"({"user":"cy","seen":null})"};
  CHECK(out->Events() == expected);
  CHECK(copy->ActorStats("grouped-reader").value()["ignoredBy"]["no collected state"] == 1);
}

TEST_CASE("ActorsThatCollectFromEachOtherInACycleAreRejected") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("a", Count(), true).collect = {{"count", "b", "count"}};
  builder.Actor("b", Count(), true).collect = {{"count", "a", "count"}};
  auto made = engine::RuntimeCopy::Create(engine, builder.Build(), {});
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().message.find("cycle") != std::string::npos);
}

TEST_CASE("CalcLocalUpdatesStateAfterEveryEvent") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("counter", Count(), true);
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("counter", Events({R"({"v": 2})", R"({"v": 3})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["sum"] == 5.0);
}

TEST_CASE("StatelessTypesGetNoStateFunctions") {
  engine::Engine engine;
  DefinitionBuilder builder;
  auto& actor = builder.Actor("counter", Count(), /*stateful=*/false);
  actor.state.calc_local = true;  // ignored: the type is not stateful
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("counter", Events({R"({"v": 2})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["count"] == 0);
}

// Injects events {"v": from} .. {"v": to} one at a time, waiting for each to be processed.
void Feed(engine::RuntimeCopy& copy, std::string_view actor, int from, int to) {
  for (int v = from; v <= to; ++v) {
    REQUIRE(copy.Inject(actor, {Event::FromJson({{"v", v}})}).ok());
    REQUIRE(copy.WaitIdle(Deadline()));
  }
}

TEST_CASE("CollectLocalEventCountRecomputesEveryCountEventsOverTheLastCount") {
  engine::Engine engine;
  DefinitionBuilder builder;
  auto& actor = builder.Actor("counter", Count(), true);
  actor.state.calc_local = false;
  actor.state.collect_local = {true, {definition::StateUpdate::Kind::kEventCount, 3}};
  auto copy = MakeCopy(engine, builder.Build());
  Feed(*copy, "counter", 1, 2);
  CHECK(copy->ActorState("counter").value()["count"] == 0);
  Feed(*copy, "counter", 3, 3);
  CHECK(copy->ActorState("counter").value()["sum"] == 6.0);
  Feed(*copy, "counter", 4, 5);
  CHECK(copy->ActorState("counter").value()["sum"] == 6.0);
  Feed(*copy, "counter", 6, 6);
  CHECK(copy->ActorState("counter").value()["count"] == 3);
  CHECK(copy->ActorState("counter").value()["sum"] == 15.0);
}

TEST_CASE("CollectLocalSlidingWindowRecomputesEverySlideOverTheLastSize") {
  engine::Engine engine;
  DefinitionBuilder builder;
  auto& actor = builder.Actor("counter", Count(), true);
  actor.state.calc_local = false;
  definition::StateUpdate update{definition::StateUpdate::Kind::kSlidingWindow};
  update.size = 4;
  update.slide = 2;
  actor.state.collect_local = {true, update};
  auto copy = MakeCopy(engine, builder.Build());
  Feed(*copy, "counter", 1, 2);
  CHECK(copy->ActorState("counter").value()["sum"] == 3.0);
  Feed(*copy, "counter", 3, 5);
  CHECK(copy->ActorState("counter").value()["sum"] == 10.0);
  Feed(*copy, "counter", 6, 6);
  CHECK(copy->ActorState("counter").value()["count"] == 4);
  CHECK(copy->ActorState("counter").value()["sum"] == 18.0);
}

TEST_CASE("CollectLocalDurationRecomputesOnTheEngineTimerOverThePeriodsEvents") {
  auto clock = std::make_shared<engine::ManualClock>();
  engine::Engine engine({.clock = clock});
  DefinitionBuilder builder;
  auto& actor = builder.Actor("counter", Count(), true);
  actor.state.calc_local = false;
  definition::StateUpdate update{definition::StateUpdate::Kind::kDuration};
  update.duration = 1000ms;
  actor.state.collect_local = {true, update};
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->WaitIdle(Deadline()));  // started: the duration timer is armed
  Feed(*copy, "counter", 1, 3);
  CHECK(copy->ActorState("counter").value()["count"] == 0);
  clock->Advance(999ms);
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["count"] == 0);
  clock->Advance(1ms);
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["sum"] == 6.0);
  Feed(*copy, "counter", 10, 10);
  clock->Advance(1s);
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["sum"] == 10.0);
  clock->Advance(1s);
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("counter").value()["count"] == 0);
}

TEST_CASE("TimersFireOnTheManualClockAndBoundedSourcesFinish") {
  auto clock = std::make_shared<engine::ManualClock>();
  engine::Engine engine({.clock = clock});
  auto sink = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("tick", [](const actors::ActorEnv&) { return std::make_unique<TickActor>(3); });
  builder.Actor("sink", Pass(sink));
  builder.Link("tick", "sink");
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(sink->Size() == 0);
  CHECK_FALSE(copy->AllSourcesFinished());
  for (int i = 1; i <= 3; ++i) {
    clock->Advance(500ms);
    REQUIRE(copy->WaitIdle(Deadline()));
    CHECK(sink->Size() == static_cast<std::size_t>(i - 1));
    clock->Advance(500ms);
    REQUIRE(copy->WaitIdle(Deadline()));
    CHECK(sink->Size() == static_cast<std::size_t>(i));
  }
  CHECK(copy->AllSourcesFinished());
  CHECK(copy->WaitFinished(Deadline()));
  CHECK(engine.timers().pending() == 0);
  CHECK(sink->Events().back() == R"({"tick":3})");
}

TEST_CASE("FedActorsAreNotWaitedForAsSources") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("tick", [](const actors::ActorEnv&) { return std::make_unique<TickActor>(3); });
  builder.Actor("entry", Pass(nullptr));
  auto copy = MakeCopy(engine, builder.Build(), {.fed_actors = {"entry", "tick"}});
  CHECK(copy->AllSourcesFinished());
}

TEST_CASE("PassiveSourcesAreDoneAtOnceAndTimerDrivenOnesOnlyWhenFinished") {
  auto clock = std::make_shared<engine::ManualClock>();
  engine::Engine engine({.clock = clock});
  DefinitionBuilder builder;
  builder.Actor("passive", Pass(nullptr));
  builder.Actor("tick", [](const actors::ActorEnv&) { return std::make_unique<TickActor>(1); });
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK_FALSE(copy->AllSourcesFinished());  // tick has a timer armed
  CHECK_FALSE(copy->WaitFinished(std::chrono::steady_clock::now()));
  clock->Advance(1s);
  CHECK(copy->WaitFinished(Deadline()));
}

TEST_CASE("AFullQueueMakesAFastSourceWaitInsteadOfGrowingMemory") {
  engine::Engine engine;
  auto gate = std::make_shared<Gate>();
  DefinitionBuilder builder;
  builder.Actor("pass", Pass(nullptr));
  builder.Actor("slow",
                [gate](const actors::ActorEnv&) { return std::make_unique<GatedActor>(gate); });
  builder.Link("pass", "slow");
  constexpr std::int64_t kBudget = 64;
  auto copy = MakeCopy(engine, builder.Build(), {.queue_budget = kBudget, .max_batch = 8});
  constexpr int kEvents = 2000;
  std::atomic<int> injected{0};
  std::thread source([&] {
    for (int i = 0; i < kEvents; ++i) {
      REQUIRE(copy->Inject("pass", {Event::FromJson({{"i", i}})}).ok());
      injected.fetch_add(1);
    }
  });
  // The source fills the budget, then waits.
  REQUIRE(WaitFor([&] { return copy->queued() == kBudget; }));
  CHECK(injected.load() <= kBudget);
  CHECK(copy->queued() <= kBudget);
  gate->Open();
  std::int64_t peak = 0;
  while (injected.load() < kEvents) peak = std::max(peak, copy->queued());
  source.join();
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(peak <= kBudget);
  CHECK(gate->taken == kEvents);  // nothing dropped
  CHECK(copy->ActorStats("slow").value()["received"] == kEvents);
}

// Emits `burst` events per timer tick, every second, forever.
class BurstActor : public actors::Actor {
 public:
  void OnStart(actors::ActorContext& context) override { context.StartTimer(1s); }
  void OnEvent(const Event&, actors::ActorContext&) override {}
  void OnTimer(actors::ActorContext& context) override {
    ++ticks_;
    for (int i = 0; i < 100; ++i) context.Emit(Event::FromJson({{"i", i}}));
    context.StartTimer(1s);
  }
  Json State() const override { return {{"ticks", ticks_}}; }

 private:
  std::int64_t ticks_ = 0;
};

TEST_CASE("TimerDrivenSourcesAreDeferredWhileTheCopyIsOverBudget") {
  auto clock = std::make_shared<engine::ManualClock>();
  engine::Engine engine({.clock = clock});
  auto gate = std::make_shared<Gate>();
  DefinitionBuilder builder;
  builder.Actor("burst", [](const actors::ActorEnv&) { return std::make_unique<BurstActor>(); });
  builder.Actor("slow",
                [gate](const actors::ActorEnv&) { return std::make_unique<GatedActor>(gate); });
  builder.Link("burst", "slow");
  auto copy = MakeCopy(engine, builder.Build(), {.queue_budget = 50});
  REQUIRE(copy->WaitIdle(Deadline()));
  clock->Advance(1s);
  REQUIRE(WaitFor([&] { return copy->queued() == 100; }));
  clock->Advance(1s);  // due, but over budget: deferred
  clock->Advance(1s);
  CHECK(copy->ActorState("burst").value()["ticks"] == 1);
  CHECK(copy->queued() == 100);
  gate->Open();
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->ActorState("burst").value()["ticks"] == 2);  // the deferred tick ran once drained
  CHECK(gate->taken == 200);
}

TEST_CASE("ExceptionsThrownByAnActorAreCountedAndTheRuntimeKeepsRunning") {
  engine::Engine engine;
  auto sink = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("a", Pass(nullptr));
  builder.Actor("sink", Pass(sink));
  builder.Link("a", "sink");
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("a", Events({R"({"n":1})", R"({"boom":2})", R"({"n":3})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(sink->Size() == 2);
  Json stats = copy->ActorStats("a").value();
  CHECK(stats["errors"] == 1);
  CHECK(stats["received"] == 3);
  CHECK(stats["lastError"] == "boom!");
  CHECK(copy->Stats()["totalExceptions"] == 1);
}

// Sets the trouble named by each event's "trouble" field ("" clears it).
class TroubleActor : public actors::Actor {
 public:
  void OnEvent(const Event& event, actors::ActorContext& context) override {
    context.SetTrouble(event.value()["trouble"].get<std::string>());
  }
};

TEST_CASE("ATroubleShowsInTheActorsStatsUntilTheActorClearsIt") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("feed", [](const actors::ActorEnv&) { return std::make_unique<TroubleActor>(); });
  builder.Actor("other", Pass(nullptr));
  auto copy = MakeCopy(engine, builder.Build());
  CHECK(copy->Troubles().empty());
  CHECK_FALSE(copy->ActorStats("feed").value().contains("trouble"));

  REQUIRE(copy->Inject("feed", Events({R"({"trouble":"broker down: refused"})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  using Troubles = std::vector<std::pair<std::string, std::string>>;
  CHECK(copy->Troubles() == Troubles{{"feed", "broker down: refused"}});
  CHECK(copy->ActorStats("feed").value()["trouble"] == "broker down: refused");
  CHECK(copy->Stats()["counters"]["feed"]["trouble"] == "broker down: refused");
  CHECK(copy->ActorStats("feed").value()["errors"] == 0);  // a condition, not a failure

  REQUIRE(copy->Inject("feed", Events({R"({"trouble":""})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(copy->Troubles().empty());
  CHECK_FALSE(copy->ActorStats("feed").value().contains("trouble"));
}

TEST_CASE("RuntimeStatsHaveTheShapeOfTheApi") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("a", Pass(nullptr)).copies = 2;
  builder.Actor("b", Pass(nullptr));
  builder.Link("a", "b");
  auto copy = MakeCopy(engine, builder.Build());
  REQUIRE(copy->Inject("a", Events({R"({"n":1})", R"({"n":2})"})).ok());
  REQUIRE(copy->WaitIdle(Deadline()));
  Json stats = copy->Stats();
  CHECK(stats["totalActors"] == 3);
  CHECK(stats["totalMessages"] == 4);
  CHECK(stats["totalExceptions"] == 0);
  std::vector<std::string> keys;
  for (const auto& [key, value] : stats.items()) keys.push_back(key);
  CHECK(keys ==
        std::vector<std::string>{"totalActors", "totalMessages", "totalExceptions", "counters"});
  const Json& a = stats["counters"]["a"];
  CHECK(a["instances"] == 2);
  CHECK(a["received"] == 2);
  CHECK(a["emitted"] == 2);
  CHECK(a["ignored"] == 0);
  CHECK(a["errors"] == 0);
  CHECK(a["queued"] == 0);
  CHECK(stats["counters"]["total"]["received"] == 4);
  CHECK(stats["counters"]["total"]["emitted"] == 4);
}

TEST_CASE("ShuntReturnsWhatTheActorEmitsInsteadOfSendingItOn") {
  engine::Engine engine;
  auto sink = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("a", Pass(nullptr));
  builder.Actor("sink", Pass(sink));
  builder.Link("a", "sink");
  auto copy = MakeCopy(engine, builder.Build());
  auto emitted = copy->Shunt("a", E(R"({"n": 1})"));
  REQUIRE(emitted.ok());
  REQUIRE(emitted.value().size() == 1);
  CHECK(emitted.value()[0].bytes() == R"({"n": 1})");
  REQUIRE(copy->WaitIdle(Deadline()));
  CHECK(sink->Size() == 0);
  CHECK(copy->ActorStats("a").value()["received"] == 1);
  CHECK_FALSE(copy->Shunt("nope", E("{}")).ok());
}

TEST_CASE("RuntimeCopiesOfOneDefinitionAreIndependent") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("counter", Count(), true);
  auto definition = builder.Build();
  auto one = MakeCopy(engine, definition, {.copy = 1});
  auto two = MakeCopy(engine, definition, {.copy = 2});
  REQUIRE(one->Inject("counter", Events({R"({"v":1})", R"({"v":1})"})).ok());
  REQUIRE(two->Inject("counter", Events({R"({"v":1})"})).ok());
  REQUIRE(one->WaitIdle(Deadline()));
  REQUIRE(two->WaitIdle(Deadline()));
  CHECK(one->ActorState("counter").value()["count"] == 2);
  CHECK(two->ActorState("counter").value()["count"] == 1);
  two->Stop();
  REQUIRE(one->Inject("counter", Events({R"({"v":1})"})).ok());
  REQUIRE(one->WaitIdle(Deadline()));
  CHECK(one->ActorState("counter").value()["count"] == 3);
}

TEST_CASE("TheCopyRouterSendsEachPartitionKeyValueToOneCopy") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("per-user", Count(), true).group_by = FieldPath::Parse("user");
  auto definition = builder.Build();
  std::vector<std::unique_ptr<engine::RuntimeCopy>> copies;
  std::vector<std::shared_ptr<engine::CopyEndpoint>> endpoints;
  for (int k = 1; k <= 3; ++k) {
    copies.push_back(MakeCopy(engine, definition, {.copy = k}));
    endpoints.push_back(std::make_shared<engine::LocalCopyEndpoint>(*copies.back()));
  }
  engine::CopyRouter router(endpoints, FieldPath::Parse("user"));
  std::vector<Event> events;
  for (int i = 0; i < 60; ++i) {
    // 7 users over 3 copies: round robin alone would spread each user over every copy.
    events.push_back(Event::FromJson({{"user", "u" + std::to_string(i % 7)}, {"v", 1}}));
  }
  REQUIRE(router.Deliver("per-user", std::move(events)).ok());
  int users = 0;
  for (auto& copy : copies) {
    REQUIRE(copy->WaitIdle(Deadline()));
    Json states = copy->ActorState("per-user").value();
    for (const auto& [user, state] : states.items()) {
      // every event of a user went to the same copy: 60 = 7 * 8 + 4, so u0..u3 have 9, u4..u6 8
      int number = std::stoi(user.substr(1));
      CHECK_MESSAGE(state["count"] == (number < 4 ? 9 : 8), user);
      ++users;
    }
  }
  CHECK(users == 7);
  CHECK(engine::Murmur3Token("") == 0);
}

TEST_CASE("CreateFailsWithTheMessageOfAnActorThatCannotBeCreated") {
  engine::Engine engine;
  DefinitionBuilder builder;
  builder.Actor("kafka", [](const actors::ActorEnv&) -> std::unique_ptr<actors::Actor> {
    throw std::runtime_error("kafka actors are not available in this build");
  });
  auto made = engine::RuntimeCopy::Create(engine, builder.Build(), {});
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().message == "actor `kafka`: kafka actors are not available in this build");
}

// Emits one event when stopped (a window flushing its last batch).
class FlushOnStopActor : public actors::Actor {
 public:
  void OnEvent(const Event&, actors::ActorContext&) override {}
  void OnStop(actors::ActorContext& context) override {
    context.Emit(Event::FromJson({{"last", true}}));
  }
};

TEST_CASE("StopCallsOnStopInLinkOrderAndDeliversWhatIsEmittedOnTheWay") {
  engine::Engine engine;
  auto sink = std::make_shared<Probe>();
  DefinitionBuilder builder;
  builder.Actor("sink", Pass(sink));  // defined first, stopped last
  builder.Actor("window",
                [](const actors::ActorEnv&) { return std::make_unique<FlushOnStopActor>(); });
  builder.Link("window", "sink");
  auto copy = MakeCopy(engine, builder.Build());
  copy->Stop();
  CHECK(sink->Events() == std::vector<std::string>{R"({"last":true})"});
  CHECK(sink->stops == 1);
  CHECK_FALSE(copy->Inject("window", Events({"{}"})).ok());
  copy->Stop();  // idempotent
}

TEST_CASE("InterruptWakesAnInjectWaitingForBudget") {
  engine::Engine engine;
  auto gate = std::make_shared<Gate>();
  DefinitionBuilder builder;
  builder.Actor("slow",
                [gate](const actors::ActorEnv&) { return std::make_unique<GatedActor>(gate); });
  auto copy = MakeCopy(engine, builder.Build(), {.queue_budget = 4});
  std::atomic<bool> failed{false};
  std::thread source([&] {
    for (int i = 0; i < 100 && !failed; ++i) {
      failed = !copy->Inject("slow", {Event::FromJson({{"i", i}})}).ok();
    }
  });
  REQUIRE(WaitFor([&] { return copy->queued() == 4; }));
  copy->Interrupt();
  source.join();
  CHECK(failed.load());
  gate->Open();
  copy->Stop();
  CHECK(gate->taken == 4);
}

}  // namespace
}  // namespace coral::testing
