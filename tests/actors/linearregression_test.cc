#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {

using actors::IgnoreReason;

TEST_SUITE("linearregression actor") {
  TEST_CASE("emits the event plus intercept + sum of weight * feature") {
    auto actor =
        MakeActor("linearregression",
                  "{weights: {age: 0.5, 'income.monthly': 0.001, 'l[1]': 2}, intercept: -1}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"age": 40, "income": {"monthly": 3000}, "l": [0, 1.25], "name": "x"})"),
                   context);
    REQUIRE(context.emitted.size() == 1);
    // -1 + 20 + 3 + 2.5
    CHECK(context.emitted[0].bytes() ==
          R"({"age":40,"income":{"monthly":3000},"l":[0,1.25],"name":"x","score":24.5})");
  }

  TEST_CASE("a whole-number score is an integer; outcome names the field") {
    auto actor =
        MakeActor("linearregression", "{weights: {x: 2}, intercept: 1, outcome: prediction}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"x": 3})"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"x":3,"prediction":7})"}));
  }

  TEST_CASE("an existing outcome field is replaced in place") {
    auto actor = MakeActor("linearregression", "{weights: {x: 1}, intercept: 0}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"score": "old", "x": 0.5})"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"score":0.5,"x":0.5})"}));
  }

  TEST_CASE("a missing or non-numeric feature: nothing emitted, ignored with the reason") {
    auto actor = MakeActor("linearregression", "{weights: {a: 1, b.c: 1}, intercept: 0}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnEvent(Ev(R"({"a": 1, "b": {"c": "2"}})"), context);
    actor->OnEvent(Ev(R"({"a": null, "b": {"c": 2}})"), context);
    actor->OnEvent(Ev(R"({"a": 1, "b": 5})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType,
                                    IgnoreReason::kWrongType, IgnoreReason::kMissingField});
  }

  TEST_CASE("a score that overflows is not finite") {
    auto actor = MakeActor("linearregression", "{weights: {a: 1e308}, intercept: 0}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": 1e10})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored == std::vector<IgnoreReason>{IgnoreReason::kNotFinite});
  }

  TEST_CASE("params: every problem reported at its place") {
    Configured configured = Configure(
        "linearregression", "{weights: {age: heavy, 'a..b': 1, '*': 2}, outcome: '', extra: 1}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.weights.age",
                      "expected a number (the weight of this feature), found the string \"heavy\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.weights[\"a..b\"]",
                      "\"a..b\" is not a valid field path");
    CHECK_PARAM_ERROR(configured, "actors[0].params.weights[\"*\"]", "`*` is the whole event");
    CHECK_PARAM_ERROR(configured, "actors[0].params.intercept", "missing; add `intercept:`");
    CHECK_PARAM_ERROR(configured, "actors[0].params.outcome", "is empty");
    CHECK_PARAM_WARNING(configured, "actors[0].params.extra", "unknown parameter");
  }

  TEST_CASE("params: weights missing, empty or not a mapping") {
    CHECK_PARAM_ERROR(Configure("linearregression", "{intercept: 1}"), "actors[0].params.weights",
                      "missing; add `weights:`");
    CHECK_PARAM_ERROR(Configure("linearregression", "{weights: {}, intercept: 1}"),
                      "actors[0].params.weights", "is empty; give each feature field its weight");
    CHECK_PARAM_ERROR(Configure("linearregression", "{weights: [1, 2], intercept: 1}"),
                      "actors[0].params.weights", "expected a mapping, found a list");
    CHECK_PARAM_ERROR(Configure("linearregression", "{weights: {a: 1}, intercept: x}"),
                      "actors[0].params.intercept", "expected a number");
  }
}

}  // namespace coral::testing
