#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;

void Collected(FakeActorContext& context, Json count, Json avg, Json sd) {
  context.collected["count"] = std::move(count);
  context.collected["avg"] = std::move(avg);
  context.collected["std"] = std::move(sd);
}

TEST_SUITE("zscore") {
  TEST_CASE("ZscoreRequiresFieldAndScore") {
    Configured missing = Configure("zscore", "");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.field", "missing; add `field:`");
    CHECK_PARAM_ERROR(missing, "actors[0].params.score", "missing; add `score:` with a number");
    Configured wrong = Configure("zscore", "{field: [a], score: high}");
    CHECK_PARAM_ERROR(wrong, "actors[0].params.field", "expected a field name, found a list");
    CHECK_PARAM_ERROR(wrong, "actors[0].params.score",
                      "expected a number, found the string \"high\"");
  }

  TEST_CASE("ZscoreCollectsCountAvgStd") {
    const actors::ActorType* type = actors::FindActorType("zscore");
    std::vector<std::string_view> aliases(type->collect_aliases.begin(),
                                          type->collect_aliases.end());
    CHECK(aliases == std::vector<std::string_view>{"count", "avg", "std"});
    CHECK_FALSE(type->stateful);
  }

  TEST_CASE("ZscoreEmitsOnlyOutliersMarkedAsSuch") {
    auto actor = MakeActor("zscore", "{field: bpm, score: 2}");
    FakeActorContext context;
    Collected(context, 21, 60.0, 5.0);
    actor->OnEvent(Ev(R"({"name": "ann", "bpm": 70})"), context);    // exactly avg + 2 std
    actor->OnEvent(Ev(R"({"name": "ann", "bpm": 70.5})"), context);  // above
    actor->OnEvent(Ev(R"({"name": "ann", "bpm": 40})"), context);    // far below: not an outlier
    CHECK(context.EmittedText() ==
          std::vector<std::string>{R"({"name":"ann","bpm":70.5,"outlier":true})"});
    CHECK(context.ignored.empty());
  }

  TEST_CASE("ZscoreNeedsACountAboveTwenty") {
    auto actor = MakeActor("zscore", "{field: v, score: 1}");
    FakeActorContext context;
    Collected(context, 20, 0.0, 1.0);
    actor->OnEvent(Ev(R"({"v": 100})"), context);
    CHECK(context.emitted.empty());
    Collected(context, 0, nullptr, nullptr);  // a stats source with no values yet
    actor->OnEvent(Ev(R"({"v": 100})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored.empty());  // too little data is not a problem with the event
    Collected(context, 21, 0.0, 1.0);
    actor->OnEvent(Ev(R"({"v": 100})"), context);
    CHECK(context.emitted.size() == 1);
  }

  TEST_CASE("ZscoreReplacesAnOutlierFieldTheEventHad") {
    auto actor = MakeActor("zscore", "{field: v, score: 0}");
    FakeActorContext context;
    Collected(context, 100, 0.0, 1.0);
    actor->OnEvent(Ev(R"({"outlier": "no", "v": 1})"), context);
    CHECK(context.EmittedText() == std::vector<std::string>{R"({"outlier":true,"v":1})"});
  }

  TEST_CASE("ZscoreWithANegativeScoreFlagsValuesAboveALowerBound") {
    auto actor = MakeActor("zscore", "{field: v, score: -1}");
    FakeActorContext context;
    Collected(context, 50, 10.0, 2.0);
    actor->OnEvent(Ev(R"({"v": 8.5})"), context);
    actor->OnEvent(Ev(R"({"v": 8})"), context);
    CHECK(context.emitted.size() == 1);
  }

  TEST_CASE("ZscoreCountsMissingCollectedState") {
    auto actor = MakeActor("zscore", "{field: v, score: 1}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"v": 5})"), context);  // nothing collected at all
    Collected(context, 30, nullptr, 1.0);
    actor->OnEvent(Ev(R"({"v": 5})"), context);  // avg null although count > 20
    Collected(context, 30, 1.0, "wide");
    actor->OnEvent(Ev(R"({"v": 5})"), context);  // std not a number
    context.collected.erase("std");
    actor->OnEvent(Ev(R"({"v": 5})"), context);  // std not available
    CHECK(context.emitted.empty());
    CHECK(context.ignored == std::vector<IgnoreReason>(4, IgnoreReason::kNoCollectedState));
  }

  TEST_CASE("ZscoreCountsEventsWithoutAUsableValue") {
    auto actor = MakeActor("zscore", "{field: 'm.v[0]', score: 1}");
    FakeActorContext context;
    Collected(context, 30, 0.0, 1.0);
    actor->OnEvent(Ev(R"({"m": {"v": []}})"), context);
    actor->OnEvent(Ev(R"({"x": 1})"), context);
    actor->OnEvent(Ev(R"({"m": {"v": ["9"]}})"), context);
    actor->OnEvent(Ev(R"({"m": {"v": [null]}})"), context);
    actor->OnEvent(Ev(R"({"m": {"v": [9]}})"), context);
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kMissingField,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType});
    CHECK(context.EmittedText() == std::vector<std::string>{R"({"m":{"v":[9]},"outlier":true})"});
  }
}

}  // namespace
}  // namespace coral::testing
