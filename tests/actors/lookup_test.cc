#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;
using Texts = std::vector<std::string>;

constexpr std::string_view kTable =
    "lookup: {BE: {country: Belgium, eu: true}, NL: {country: Netherlands}, '42': {answer: yes}}";

std::string Params(std::string_view rest) {
  return "{key: code, " + std::string(kTable) + ", " + std::string(rest) + "}";
}

// Runs events through a lookup actor; returns the emitted texts (and the ignores in `context`).
Texts Run(const std::string& params, std::initializer_list<std::string_view> events,
          FakeActorContext& context) {
  auto actor = MakeActor("lookup", params);
  for (std::string_view text : events) actor->OnEvent(Ev(text), context);
  return context.EmittedText();
}

Texts Run(const std::string& params, std::initializer_list<std::string_view> events) {
  FakeActorContext context;
  return Run(params, events, context);
}

TEST_SUITE("lookup") {
  TEST_CASE("LookupRequiresKeyTableAndFunction") {
    Configured missing = Configure("lookup", "");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.key", "missing; add `key:`");
    CHECK_PARAM_ERROR(missing, "actors[0].params.lookup", "missing; add `lookup:` with a mapping");
    CHECK_PARAM_ERROR(missing, "actors[0].params.function",
                      "missing; add `function:` with enrich, filter, check or map");
  }

  TEST_CASE("LookupRejectsBadParamsWithTheirPath") {
    Configured configured = Configure("lookup", R"({key: 'a..b',
      lookup: {BE: {country: Belgium}, NL: Netherlands, FR: [1]},
      function: enrch, match: prefix, default: 5})");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.key", "is not a valid field path");
    CHECK_PARAM_ERROR(configured, "actors[0].params.lookup.NL",
                      "expected a mapping of the fields to use when the key is \"NL\", such as "
                      "{city: Brussels}, found the string \"Netherlands\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.lookup.FR", "found a list");
    CHECK_PARAM_ERROR(configured, "actors[0].params.function",
                      "expected enrich, filter, check or map, found the string \"enrch\"; did you "
                      "mean \"enrich\"?");
    CHECK_PARAM_ERROR(configured, "actors[0].params.match",
                      "expected exact or startswith, found the string \"prefix\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.default",
                      "expected a mapping, found the number 5");
    CHECK(configured.diagnostics.errors() == 6);

    Configured table = Configure("lookup", "{key: k, lookup: [a], function: check}");
    CHECK_PARAM_ERROR(table, "actors[0].params.lookup", "expected a mapping, found a list");
  }

  TEST_CASE("LookupRejectsAMalformedDefaultTemplate") {
    Configured configured = Configure("lookup", Params("function: check, default: {x: '${a..b}'}"));
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.default.x", "${a..b} does not name a field");
  }

  TEST_CASE("LookupWarnsAboutUnusedOrEmptyThings") {
    Configured filter = Configure("lookup", Params("function: filter, default: {x: 1}"));
    CHECK(filter.create);
    CHECK_PARAM_WARNING(filter, "actors[0].params.default",
                        "`default` is not used with `function: filter`");
    Configured empty = Configure("lookup", "{key: k, lookup: {}, function: check}");
    CHECK(empty.create);
    CHECK_PARAM_WARNING(empty, "actors[0].params.lookup", "the lookup table is empty");
  }

  TEST_CASE("LookupEnrichAddsTheMatchedFields") {
    CHECK(Run(Params("function: enrich"),
              {R"({"code": "BE", "eu": false, "n": 1})", R"({"code": "NL"})"}) ==
          Texts{R"({"code":"BE","eu":true,"n":1,"country":"Belgium"})",
                R"({"code":"NL","country":"Netherlands"})"});
  }

  TEST_CASE("LookupEnrichWithoutAMatchPassesTheEventUnchanged") {
    auto actor = MakeActor("lookup", Params("function: enrich"));
    FakeActorContext context;
    Event event = Ev(R"({"code" : "FR"})");
    actor->OnEvent(event, context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes().data() == event.bytes().data());
  }

  TEST_CASE("LookupEnrichWithoutAMatchUsesTheDefaultTemplate") {
    CHECK(Run(Params("function: enrich, default: {country: unknown, asked: '${code}'}"),
              {R"({"code": "FR"})", R"({"code": "BE"})"}) ==
          Texts{R"({"code":"FR","country":"unknown","asked":"FR"})",
                R"({"code":"BE","country":"Belgium","eu":true})"});
  }

  TEST_CASE("LookupFilterPassesOnlyMatches") {
    auto actor = MakeActor("lookup", Params("function: filter"));
    FakeActorContext context;
    Event match = Ev(R"({"code": "NL", "x": 1})");
    actor->OnEvent(match, context);
    actor->OnEvent(Ev(R"({"code": "FR"})"), context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes().data() == match.bytes().data());
  }

  TEST_CASE("LookupCheckEmitsTheMatchedObjectOrTheDefault") {
    CHECK(Run(Params("function: check"), {R"({"code": "BE"})", R"({"code": "FR"})"}) ==
          Texts{R"({"country":"Belgium","eu":true})"});
    CHECK(Run(Params("function: map"), {R"({"code": "NL"})"}) ==
          Texts{R"({"country":"Netherlands"})"});
    CHECK(Run(Params("function: check, default: {country: unknown}"),
              {R"({"code": "FR"})", R"({"code": "NL"})"}) ==
          Texts{R"({"country":"unknown"})", R"({"country":"Netherlands"})"});
  }

  TEST_CASE("LookupStartswithPicksTheLongestMatchingKey") {
    std::string params = R"({key: phone, function: check, match: startswith,
      lookup: {'+3': {zone: europe}, '+32': {country: BE}, '+322': {city: Brussels}, '': {zone: any}}})";
    CHECK(Run(params, {R"({"phone": "+3225551234"})", R"({"phone": "+3255"})",
                       R"({"phone": "+31"})", R"({"phone": "+1"})", R"({"phone": "+32"})"}) ==
          Texts{R"({"city":"Brussels"})", R"({"country":"BE"})", R"({"zone":"europe"})",
                R"({"zone":"any"})", R"({"country":"BE"})"});
  }

  TEST_CASE("LookupExactDoesNotMatchPrefixes") {
    CHECK(Run(Params("function: filter"), {R"({"code": "BEL"})", R"({"code": "B"})"}).empty());
  }

  TEST_CASE("LookupMatchesNumbersAndBooleansByTheirJsonText") {
    CHECK(Run(Params("function: check"), {R"({"code": 42})", R"({"code": 42.0})"}) ==
          Texts{R"({"answer":"yes"})"});
    CHECK(Run("{key: k, lookup: {'true': {t: 1}}, function: check}", {R"({"k": true})"}) ==
          Texts{R"({"t":1})"});
  }

  TEST_CASE("LookupEmitsNothingForAnEventWithoutAUsableKey") {
    for (std::string_view function : {"enrich", "filter", "check"}) {
      CAPTURE(function);
      FakeActorContext context;
      auto out = Run(Params("function: " + std::string(function) + ", default: {d: 1}"),
                     {R"({"other": "BE"})", R"({"code": null})", R"({"code": ["BE"]})",
                      R"({"code": {"BE": 1}})"},
                     context);
      CHECK(out.empty());
      CHECK(context.ignored ==
            std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType,
                                      IgnoreReason::kWrongType, IgnoreReason::kWrongType});
    }
  }

  TEST_CASE("LookupFollowsDeepKeyPaths") {
    std::string params = "{key: 'a.b[1].c', " + std::string(kTable) + ", function: check}";
    FakeActorContext context;
    auto out = Run(params, {R"({"a": {"b": [{}, {"c": "NL"}]}})", R"({"a": {"b": [{"c": "NL"}]}})"},
                   context);
    CHECK(out == Texts{R"({"country":"Netherlands"})"});
    CHECK(context.ignored == std::vector<IgnoreReason>{IgnoreReason::kMissingField});
  }
}

}  // namespace
}  // namespace coral::testing
