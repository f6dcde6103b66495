#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

// Which of `n` events a sample actor passes on (their indexes).
std::vector<int> Chosen(std::string_view params, int n, actors::ActorEnv env = {}) {
  auto actor = MakeActor("sample", params, std::move(env));
  FakeActorContext context;
  for (int i = 0; i < n; ++i) actor->OnEvent(Ev(R"({"i": )" + std::to_string(i) + "}"), context);
  std::vector<int> out;
  for (const Event& event : context.emitted) out.push_back(event.value()["i"].get<int>());
  return out;
}

TEST_SUITE("sample") {
  TEST_CASE("SampleRequiresAFractionFromZeroToOne") {
    Configured missing = Configure("sample", "");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.fraction",
                      "missing; add `fraction:` with a number");

    Configured high = Configure("sample", "{fraction: 1.5}");
    CHECK_FALSE(high.create);
    CHECK_PARAM_ERROR(high, "actors[0].params.fraction",
                      "must be from 0 to 1 (0.25 passes a "
                      "quarter of the events), found 1.5");
    Configured negative = Configure("sample", "{fraction: -0.1}");
    CHECK_PARAM_ERROR(negative, "actors[0].params.fraction", "found -0.1");

    Configured words = Configure("sample", "{fraction: half, seed: [1]}");
    CHECK_FALSE(words.create);
    CHECK_PARAM_ERROR(words, "actors[0].params.fraction",
                      "expected a number, found the string \"half\"");
    CHECK_PARAM_ERROR(words, "actors[0].params.seed",
                      "expected a whole number such as 42, found a list");
  }

  TEST_CASE("SampleWithFractionZeroOrOnePassesNothingOrEverything") {
    CHECK(Chosen("{fraction: 0}", 1000).empty());
    CHECK(Chosen("{fraction: 1}", 1000).size() == 1000);
  }

  TEST_CASE("SamplePassesRoughlyTheFraction") {
    std::size_t passed = Chosen("{fraction: 0.3}", 10000).size();
    CHECK(passed > 2800);  // 0.3 +- 0.02: more than 4 standard deviations
    CHECK(passed < 3200);
  }

  TEST_CASE("SampleWithASeedIsReproducible") {
    auto first = Chosen("{fraction: 0.5, seed: 12345}", 10000);
    CHECK(first == Chosen("{fraction: 0.5, seed: 12345}", 10000));
    CHECK(first != Chosen("{fraction: 0.5, seed: 12346}", 10000));
    CHECK(first.size() > 4800);
    CHECK(first.size() < 5200);
    actors::ActorEnv copy;
    copy.runtime_copy = 2;
    CHECK(first != Chosen("{fraction: 0.5, seed: 12345}", 10000, copy));
  }

  TEST_CASE("SampleWithoutASeedDiffersBetweenInstances") {
    CHECK(Chosen("{fraction: 0.5}", 1000) != Chosen("{fraction: 0.5}", 1000));
  }

  TEST_CASE("SamplePassesTheSameEventWithoutReserialising") {
    auto actor = MakeActor("sample", "{fraction: 1}");
    FakeActorContext context;
    Event event = Ev(R"({"a" :1})");
    actor->OnEvent(event, context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes().data() == event.bytes().data());
  }
}

}  // namespace
}  // namespace coral::testing
