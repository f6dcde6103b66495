#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;

constexpr std::string_view kDoor = R"({key: action, s0: closed, table: {
  closed: {open: opened, lock: locked},
  opened: {close: closed},
  locked: {unlock: closed, "1": opened, "true": opened}}})";

// Runs OnEvent then UpdateState, as the engine does with calc-local.
void Feed(actors::Actor& actor, FakeActorContext& context, std::string_view event) {
  Event e = Ev(event);
  actor.OnEvent(e, context);
  actor.UpdateState(e);
}

std::string StateOf(const actors::Actor& actor) {
  return actor.State()["s"].get<std::string>();
}

}  // namespace

TEST_SUITE("fsm actor") {
  TEST_CASE("starts in s0 and follows the table") {
    auto actor = MakeActor("fsm", kDoor);
    FakeActorContext context;
    CHECK(StateOf(*actor) == "closed");
    Feed(*actor, context, R"({"action": "open"})");
    CHECK(StateOf(*actor) == "opened");
    Feed(*actor, context, R"({"action": "close"})");
    Feed(*actor, context, R"({"action": "lock"})");
    CHECK(actor->State() == Json::parse(R"({"s": "locked"})"));
    CHECK(context.emitted.empty());
    CHECK(context.ignored.empty());
  }

  TEST_CASE("an input with no transition from the current state leaves the state") {
    auto actor = MakeActor("fsm", kDoor);
    FakeActorContext context;
    Feed(*actor, context, R"({"action": "close"})");
    Feed(*actor, context, R"({"action": "fly"})");
    CHECK(StateOf(*actor) == "closed");
    CHECK(context.ignored.empty());
  }

  TEST_CASE("numbers and booleans match the transition written as their text") {
    auto actor = MakeActor("fsm", kDoor);
    FakeActorContext context;
    Feed(*actor, context, R"({"action": "lock"})");
    Feed(*actor, context, R"({"action": 1})");
    CHECK(StateOf(*actor) == "opened");
    Feed(*actor, context, R"({"action": "close"})");
    Feed(*actor, context, R"({"action": "lock"})");
    Feed(*actor, context, R"({"action": true})");
    CHECK(StateOf(*actor) == "opened");
  }

  TEST_CASE("a missing key or a null, object or list value is ignored and moves nothing") {
    auto actor = MakeActor("fsm", kDoor);
    FakeActorContext context;
    Feed(*actor, context, R"({"other": "open"})");
    Feed(*actor, context, R"({"action": null})");
    Feed(*actor, context, R"({"action": {"open": 1}})");
    Feed(*actor, context, R"({"action": ["open"]})");
    CHECK(StateOf(*actor) == "closed");
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType});
  }

  TEST_CASE("deep key paths") {
    auto actor = MakeActor("fsm", "{key: 'e.list[1].v', s0: a, table: {a: {go: b}, b: }}");
    FakeActorContext context;
    Feed(*actor, context, R"({"e": {"list": [{"v": "no"}, {"v": "go"}]}})");
    CHECK(StateOf(*actor) == "b");
    Feed(*actor, context, R"({"e": {"list": [{"v": "go"}]}})");  // index out of range
    CHECK(context.ignored == std::vector<IgnoreReason>{IgnoreReason::kMissingField});
    CHECK(StateOf(*actor) == "b");  // a final state
  }

  TEST_CASE("ResetState goes back to s0; RestoreState puts a snapshot back") {
    auto actor = MakeActor("fsm", kDoor);
    FakeActorContext context;
    Feed(*actor, context, R"({"action": "open"})");
    actor->ResetState();
    CHECK(StateOf(*actor) == "closed");
    actor->RestoreState(Json::parse(R"({"s": "locked"})"));
    CHECK(StateOf(*actor) == "locked");
    actor->RestoreState(Json::parse(R"({"s": "vanished"})"));
    CHECK(StateOf(*actor) == "closed");
    actor->RestoreState(Json::parse(R"([1])"));
    CHECK(StateOf(*actor) == "closed");
  }

  TEST_CASE("each instance has its own state") {
    Configured configured = Configure("fsm", kDoor);
    REQUIRE(configured.create);
    auto one = configured.create({});
    auto two = configured.create({});
    FakeActorContext context;
    Feed(*one, context, R"({"action": "open"})");
    CHECK(StateOf(*one) == "opened");
    CHECK(StateOf(*two) == "closed");
  }

  TEST_CASE("type traits: stateful, state field s") {
    const actors::ActorType* type = actors::FindActorType("fsm");
    REQUIRE(type);
    CHECK(type->stateful);
    CHECK(std::vector<std::string_view>(type->state_fields.begin(), type->state_fields.end()) ==
          std::vector<std::string_view>{"s"});
  }

  TEST_CASE("params: s0 not in table") {
    Configured configured = Configure("fsm", "{key: k, s0: clsed, table: {closed: {}, open: {}}}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.s0",
                      "\"clsed\" is not a state of `table` (states: closed and open); did you "
                      "mean \"closed\"?");
  }

  TEST_CASE("params: a transition to a state that is not in the table, each reported") {
    Configured configured =
        Configure("fsm", "{key: k, s0: a, table: {a: {x: b, y: c}, b: {z: nowhere}}}");
    CHECK_FALSE(configured.create);
    CHECK(configured.diagnostics.errors() == 2);
    CHECK_PARAM_ERROR(configured, "actors[0].params.table.a.y",
                      "goes to \"c\", which is not a state of `table`");
    CHECK_PARAM_ERROR(configured, "actors[0].params.table.b.z", "add it to `table` (`nowhere: {}`");
  }

  TEST_CASE("params: table shapes") {
    CHECK_PARAM_ERROR(Configure("fsm", "{key: k, s0: a, table: {}}"), "actors[0].params.table",
                      "is empty");
    CHECK_PARAM_ERROR(Configure("fsm", "{key: k, s0: a, table: [a, b]}"), "actors[0].params.table",
                      "expected a mapping, found a list");
    CHECK_PARAM_ERROR(Configure("fsm", "{key: k, s0: a, table: {a: [b]}}"),
                      "actors[0].params.table.a", "expected a mapping from input to next state");
    CHECK_PARAM_ERROR(Configure("fsm", "{key: k, s0: a, table: {a: {x: {b: 1}}}}"),
                      "actors[0].params.table.a.x", "expected the name of the next state");
  }

  TEST_CASE("params: everything missing") {
    Configured configured = Configure("fsm", "{}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.key", "missing; add `key:`");
    CHECK_PARAM_ERROR(configured, "actors[0].params.table", "missing; add `table:`");
    CHECK_PARAM_ERROR(configured, "actors[0].params.s0", "missing; add `s0:`");
  }
}

}  // namespace coral::testing
