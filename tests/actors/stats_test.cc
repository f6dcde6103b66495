#include <cmath>

#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;

// What the engine does with calc-local: OnEvent, then UpdateState.
void Feed(actors::Actor& actor, FakeActorContext& context, std::string_view text) {
  Event event = Ev(text);
  actor.OnEvent(event, context);
  actor.UpdateState(event);
}

void FeedValues(actors::Actor& actor, FakeActorContext& context,
                std::initializer_list<double> values) {
  for (double value : values) Feed(actor, context, R"({"v": )" + Json(value).dump() + "}");
}

TEST_SUITE("stats") {
  TEST_CASE("StatsRequiresAField") {
    Configured missing = Configure("stats", "{fields: v}");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.field", "missing; add `field:`");
    CHECK_PARAM_WARNING(missing, "actors[0].params.fields", "unknown parameter");
    Configured bad = Configure("stats", "{field: 'a[x]'}");
    CHECK_PARAM_ERROR(bad, "actors[0].params.field", "is not a valid field path");
  }

  TEST_CASE("StatsIsStatefulWithItsFields") {
    const actors::ActorType* type = actors::FindActorType("stats");
    CHECK(type->stateful);
    std::vector<std::string_view> fields(type->state_fields.begin(), type->state_fields.end());
    CHECK(fields == std::vector<std::string_view>{"count", "avg", "sd", "min", "max"});
    CHECK(type->collect_aliases.empty());
  }

  TEST_CASE("StatsWithNoValuesShowsNulls") {
    auto actor = MakeActor("stats", "{field: v}");
    CHECK(actor->State().dump() == R"({"count":0,"avg":null,"sd":null,"min":null,"max":null})");
  }

  TEST_CASE("StatsKeepsCountMeanPopulationSdMinMax") {
    auto actor = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*actor, context, {2, 4, 4, 4, 5, 5, 7, 9});
    Json state = actor->State();
    CHECK(state["count"] == 8);
    CHECK(state["avg"].get<double>() == doctest::Approx(5));
    CHECK(state["sd"].get<double>() == doctest::Approx(2));
    CHECK(state["min"].get<double>() == 2);
    CHECK(state["max"].get<double>() == 9);
    CHECK(context.emitted.empty());
    CHECK(context.ignored.empty());
  }

  TEST_CASE("StatsOfOneValueHasSdZero") {
    auto actor = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*actor, context, {-3.5});
    CHECK(actor->State().dump() == R"({"count":1,"avg":-3.5,"sd":0.0,"min":-3.5,"max":-3.5})");
  }

  TEST_CASE("StatsStaysAccurateForLargeValues") {
    // The textbook sum-of-squares formula loses every digit here; Welford's does not.
    auto actor = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*actor, context, {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16});
    CHECK(actor->State()["sd"].get<double>() == doctest::Approx(std::sqrt(22.5)));
  }

  TEST_CASE("StatsCountsAndSkipsValuesItCannotUse") {
    auto actor = MakeActor("stats", "{field: 'a.b[1]'}");
    FakeActorContext context;
    Feed(*actor, context, R"({"a": {"b": [0, 10]}})");
    Feed(*actor, context, R"({"a": {"b": [0]}})");        // index out of range
    Feed(*actor, context, R"({"x": 1})");                 // missing
    Feed(*actor, context, R"({"a": {"b": [0, "20"]}})");  // a string
    Feed(*actor, context, R"({"a": {"b": [0, null]}})");  // null
    Feed(*actor, context, R"({"a": {"b": [0, 30]}})");
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kMissingField,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType});
    Json state = actor->State();
    CHECK(state["count"] == 2);
    CHECK(state["avg"].get<double>() == 20);
  }

  TEST_CASE("StatsResetStartsOver") {
    auto actor = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*actor, context, {1, 2, 3});
    actor->ResetState();
    CHECK(actor->State()["count"] == 0);
    CHECK(actor->State()["avg"].is_null());
    FeedValues(*actor, context, {10});
    CHECK(actor->State()["min"].get<double>() == 10);
  }

  TEST_CASE("StatsRestoredFromASnapshotContinuesWhereItWas") {
    auto whole = MakeActor("stats", "{field: v}");
    auto restored = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*whole, context, {3, 1, 4, 1, 5});
    restored->RestoreState(Json::parse(whole->State().dump()));
    CHECK(restored->State() == whole->State());
    FeedValues(*whole, context, {9, 2, 6});
    FeedValues(*restored, context, {9, 2, 6});
    Json a = whole->State();
    Json b = restored->State();
    CHECK(a["count"] == b["count"]);
    CHECK(a["avg"].get<double>() == doctest::Approx(b["avg"].get<double>()));
    CHECK(a["sd"].get<double>() == doctest::Approx(b["sd"].get<double>()));
    CHECK(a["min"] == b["min"]);
    CHECK(a["max"] == b["max"]);
  }

  TEST_CASE("StatsRestoredFromABrokenSnapshotStartsEmpty") {
    auto actor = MakeActor("stats", "{field: v}");
    FakeActorContext context;
    FeedValues(*actor, context, {1});
    actor->RestoreState(Json::parse(R"({"count": 3, "avg": "x"})"));
    CHECK(actor->State()["count"] == 0);
    actor->RestoreState(Json::parse(R"([1, 2])"));
    CHECK(actor->State()["count"] == 0);
    actor->RestoreState(
        Json::parse(R"({"count": 0, "avg": null, "sd": null, "min": null, "max": null})"));
    CHECK(actor->State()["avg"].is_null());
  }
}

}  // namespace
}  // namespace coral::testing
