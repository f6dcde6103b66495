#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;

TEST_SUITE("threshold") {
  TEST_CASE("ThresholdRequiresKeyAndNumber") {
    Configured missing = Configure("threshold", "");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.key", "missing; add `key:`");
    CHECK_PARAM_ERROR(missing, "actors[0].params.threshold",
                      "missing; add `threshold:` with a number");

    Configured wrong = Configure("threshold", "{key: 'a..b', threshold: '5'}");
    CHECK_FALSE(wrong.create);
    CHECK_PARAM_ERROR(wrong, "actors[0].params.key", "\"a..b\" is not a valid field path");
    CHECK_PARAM_ERROR(wrong, "actors[0].params.threshold", "expected a number, found the string");

    Configured typo = Configure("threshold", "{key: amount, treshold: 5}");
    CHECK_FALSE(typo.create);
    CHECK_PARAM_ERROR(typo, "actors[0].params.threshold", "missing");
    CHECK_PARAM_WARNING(typo, "actors[0].params.treshold", "did you mean `threshold`?");
  }

  TEST_CASE("ThresholdEmitsAtExactlyTheThreshold") {
    auto actor = MakeActor("threshold", "{key: amount, threshold: 10}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"amount": 9.999})"), context);
    actor->OnEvent(Ev(R"({"amount": 10})"), context);
    actor->OnEvent(Ev(R"({"amount": 10.0, "x": 1})"), context);
    actor->OnEvent(Ev(R"({"amount": 1e3})"), context);
    actor->OnEvent(Ev(R"({"amount": -11})"), context);
    CHECK(context.EmittedText() == std::vector<std::string>{R"({"amount": 10})",
                                                            R"({"amount": 10.0, "x": 1})",
                                                            R"({"amount": 1e3})"});
    CHECK(context.ignored.empty());
  }

  TEST_CASE("ThresholdPassesTheSameEventWithoutReserialising") {
    auto actor = MakeActor("threshold", "{key: amount, threshold: 0}");
    FakeActorContext context;
    Event event = Ev(R"({ "z": 1,  "amount" : 5 })");
    actor->OnEvent(event, context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes().data() == event.bytes().data());
  }

  TEST_CASE("ThresholdWorksOnEventsBuiltByActors") {
    auto actor = MakeActor("threshold", "{key: a.b, threshold: 1}");
    FakeActorContext context;
    actor->OnEvent(Event::FromJson(Json::parse(R"({"a": {"b": 2}})")), context);
    actor->OnEvent(Event::FromJson(Json::parse(R"({"a": {"b": 0}})")), context);
    actor->OnEvent(Event::FromJson(Json::parse(R"({"a": {}})")), context);
    CHECK(context.emitted.size() == 1);
    CHECK(context.ignored == std::vector<IgnoreReason>{IgnoreReason::kMissingField});
  }

  TEST_CASE("ThresholdFollowsDeepPaths") {
    auto actor = MakeActor("threshold", "{key: 'a.b[1].c', threshold: 5}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": {"b": [{"c": 1}, {"c": 7}]}})"), context);
    actor->OnEvent(Ev(R"({"a": {"b": [{"c": 9}, {"c": 2}]}})"), context);
    actor->OnEvent(Ev(R"({"a": {"b": [{"c": 9}]}})"), context);  // index out of range
    actor->OnEvent(Ev(R"({"a": {"b": {"c": 9}}})"), context);    // not a list
    actor->OnEvent(Ev(R"({"a": 3})"), context);                  // stepping into a number
    CHECK(context.EmittedText() ==
          std::vector<std::string>{R"({"a": {"b": [{"c": 1}, {"c": 7}]}})"});
    CHECK(context.ignored == std::vector<IgnoreReason>(3, IgnoreReason::kMissingField));
  }

  TEST_CASE("ThresholdIgnoresMissingAndNonNumericValues") {
    auto actor = MakeActor("threshold", "{key: amount, threshold: 1}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"other": 5})"), context);
    actor->OnEvent(Ev(R"({"amount": "5"})"), context);
    actor->OnEvent(Ev(R"({"amount": null})"), context);
    actor->OnEvent(Ev(R"({"amount": true})"), context);
    actor->OnEvent(Ev(R"({"amount": [5]})"), context);
    actor->OnEvent(Ev(R"({"amount": {"v": 5}})"), context);
    actor->OnEvent(Ev(R"({})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType,
                                    IgnoreReason::kMissingField});
  }

  TEST_CASE("ThresholdIgnoresNumbersThatAreNotFinite") {
    auto actor = MakeActor("threshold", "{key: x, threshold: 0}");
    FakeActorContext context;
    Json value = Json::object();
    value["x"] = std::numeric_limits<double>::infinity();
    actor->OnEvent(Event::FromJson(value), context);
    value["x"] = std::nan("");
    actor->OnEvent(Event::FromJson(value), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored == std::vector<IgnoreReason>(2, IgnoreReason::kNotFinite));
  }

  TEST_CASE("ThresholdComparesNegativeAndLargeNumbers") {
    auto actor = MakeActor("threshold", "{key: x, threshold: -2.5}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"x": -2.5})"), context);
    actor->OnEvent(Ev(R"({"x": -2.6})"), context);
    actor->OnEvent(Ev(R"({"x": 18446744073709551615})"), context);
    actor->OnEvent(Ev(R"({"x": -9223372036854775808})"), context);
    CHECK(context.EmittedText() ==
          std::vector<std::string>{R"({"x": -2.5})", R"({"x": 18446744073709551615})"});
  }

  TEST_CASE("ThresholdOnTheWholeEventIsAWrongType") {
    auto actor = MakeActor("threshold", "{key: '*', threshold: 0}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"x": 1})"), context);
    CHECK(context.ignored == std::vector<IgnoreReason>{IgnoreReason::kWrongType});
  }
}

}  // namespace
}  // namespace coral::testing
