#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

// Runs `events` through a filter with `params`; returns the texts of the events passed on.
std::vector<std::string> Pass(std::string_view params,
                              std::initializer_list<std::string_view> events) {
  auto actor = MakeActor("filter", params);
  FakeActorContext context;
  for (std::string_view text : events) actor->OnEvent(Ev(text), context);
  CHECK(context.ignored.empty());
  return context.EmittedText();
}

using Texts = std::vector<std::string>;

TEST_SUITE("filter") {
  TEST_CASE("FilterAcceptsAMappingOrABareList") {
    auto mapping = Pass("{filters: [{type: equals, function: include, field: name, param: Ann}]}",
                        {R"({"name": "Ann"})", R"({"name": "Bob"})"});
    CHECK(mapping == Texts{R"({"name": "Ann"})"});
    auto list = Pass("[{type: equals, function: include, field: name, param: Ann}]",
                     {R"({"name": "Ann"})", R"({"name": "Bob"})"});
    CHECK(list == mapping);
  }

  TEST_CASE("FilterRejectsAnEmptyOrMissingList") {
    Configured empty = Configure("filter", "{filters: []}");
    CHECK_FALSE(empty.create);
    CHECK_PARAM_ERROR(empty, "actors[0].params.filters",
                      "the list of filters is empty; add at least one, such as {type: equals");
    Configured bare = Configure("filter", "[]");
    CHECK_FALSE(bare.create);
    CHECK_PARAM_ERROR(bare, "actors[0].params", "the list of filters is empty");
    Configured none = Configure("filter", "");
    CHECK_FALSE(none.create);
    CHECK_PARAM_ERROR(none, "actors[0].params.filters", "missing; add `filters:` with a list");
    Configured scalar = Configure("filter", "{filters: name}");
    CHECK_PARAM_ERROR(scalar, "actors[0].params.filters", "expected a list, found the string");
    Configured text = Configure("filter", "just text");
    CHECK_FALSE(text.create);
    CHECK_PARAM_ERROR(text, "actors[0].params", "expected a mapping of parameters");
  }

  TEST_CASE("FilterReportsEveryBadFilterWithItsPath") {
    Configured configured = Configure("filter", R"({filters: [
      {type: startwith, function: include, field: name, param: A},
      {type: equals, function: keep, field: 'a..b', param: x},
      name,
      {type: regex, function: exclude, field: name, param: '(unclosed'},
      {type: contains, function: include, field: name}
    ]})");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[0].type",
                      "expected startswith, equals, contains or regex, found the string "
                      "\"startwith\"; did you mean \"startswith\"?");
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[1].function",
                      "expected include or exclude, found the string \"keep\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[1].field",
                      "\"a..b\" is not a valid field path");
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[2]",
                      "expected a filter such as {type: equals, function: include, field: name, "
                      "param: Alice}, found the string \"name\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[3].param",
                      "\"(unclosed\" is not a valid regular expression");
    CHECK_PARAM_ERROR(configured, "actors[0].params.filters[4].param", "missing; add `param:`");
    CHECK(configured.diagnostics.errors() == 6);
  }

  TEST_CASE("FilterBareListErrorsNameTheListItem") {
    Configured configured =
        Configure("filter", "[{type: equal, function: include, field: a, param: x}]");
    CHECK_PARAM_ERROR(configured, "actors[0].params[0].type", "did you mean \"equals\"?");
  }

  TEST_CASE("FilterWarnsAboutUnknownKeysInAFilter") {
    Configured configured =
        Configure("filter", "[{type: equals, function: include, field: a, param: x, parm: y}]");
    CHECK(configured.create);
    CHECK_PARAM_WARNING(configured, "actors[0].params[0].parm", "did you mean `param`?");
  }

  TEST_CASE("FilterTypesMatchAsNamed") {
    std::initializer_list<std::string_view> events = {R"({"s": "hello world"})",
                                                      R"({"s": "world"})", R"({"s": "say hello"})"};
    CHECK(Pass("[{type: startswith, function: include, field: s, param: hello}]", events) ==
          Texts{R"({"s": "hello world"})"});
    CHECK(Pass("[{type: equals, function: include, field: s, param: world}]", events) ==
          Texts{R"({"s": "world"})"});
    CHECK(Pass("[{type: contains, function: include, field: s, param: hello}]", events) ==
          Texts{R"({"s": "hello world"})", R"({"s": "say hello"})"});
    // A regex is searched anywhere in the value; ^ and $ anchor it.
    CHECK(Pass("[{type: regex, function: include, field: s, param: 'o\\sw'}]", events) ==
          Texts{R"({"s": "hello world"})"});
    CHECK(Pass("[{type: regex, function: include, field: s, param: '^w.*d$'}]", events) ==
          Texts{R"({"s": "world"})"});
  }

  TEST_CASE("FilterExcludePassesWhatDoesNotMatch") {
    CHECK(Pass("[{type: contains, function: exclude, field: s, param: x}]",
               {R"({"s": "axb"})", R"({"s": "ab"})"}) == Texts{R"({"s": "ab"})"});
  }

  TEST_CASE("FilterMissingFieldDoesNotMatch") {
    std::initializer_list<std::string_view> events = {R"({"other": "x"})", R"({"a": {"b": []}})"};
    // include: a missing field fails; exclude: a missing field passes.
    CHECK(Pass("[{type: equals, function: include, field: 'a.b[0]', param: x}]", events).empty());
    CHECK(Pass("[{type: equals, function: exclude, field: 'a.b[0]', param: x}]", events) ==
          Texts{R"({"other": "x"})", R"({"a": {"b": []}})"});
  }

  TEST_CASE("FilterComparesOtherValuesByTheirJsonText") {
    std::initializer_list<std::string_view> events = {R"({"v": 5})",    R"({"v": "5"})",
                                                      R"({"v": 5.5})",  R"({"v": true})",
                                                      R"({"v": null})", R"({"v": [1, 2]})"};
    CHECK(Pass("[{type: equals, function: include, field: v, param: 5}]", events) ==
          Texts{R"({"v": 5})", R"({"v": "5"})"});
    CHECK(Pass("[{type: startswith, function: include, field: v, param: 5}]", events) ==
          Texts{R"({"v": 5})", R"({"v": "5"})", R"({"v": 5.5})"});
    CHECK(Pass("[{type: equals, function: include, field: v, param: 'true'}]", events) ==
          Texts{R"({"v": true})"});
    CHECK(Pass("[{type: equals, function: include, field: v, param: 'null'}]", events) ==
          Texts{R"({"v": null})"});
    CHECK(Pass("[{type: equals, function: include, field: v, param: '[1,2]'}]", events) ==
          Texts{R"({"v": [1, 2]})"});
  }

  TEST_CASE("FilterPassesOnlyWhenEveryFilterPasses") {
    std::string_view params = R"([
      {type: startswith, function: include, field: name, param: A},
      {type: equals, function: exclude, field: 'tags[0]', param: test},
      {type: regex, function: include, field: 'geo.country', param: '^(BE|NL)$'}])";
    CHECK(Pass(params, {R"({"name": "Ann", "tags": ["prod"], "geo": {"country": "BE"}})",
                        R"({"name": "Bob", "tags": ["prod"], "geo": {"country": "BE"}})",
                        R"({"name": "Ann", "tags": ["test"], "geo": {"country": "BE"}})",
                        R"({"name": "Ann", "geo": {"country": "NL"}})",
                        R"({"name": "Ann", "geo": {"country": "FR"}})"}) ==
          Texts{R"({"name": "Ann", "tags": ["prod"], "geo": {"country": "BE"}})",
                R"({"name": "Ann", "geo": {"country": "NL"}})"});
  }

  TEST_CASE("FilterPassesTheSameEventWithoutReserialising") {
    auto actor = MakeActor("filter", "[{type: equals, function: include, field: a, param: x}]");
    FakeActorContext context;
    Event event = Ev(R"({"a" : "x"})");
    actor->OnEvent(event, context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes().data() == event.bytes().data());
  }

  TEST_CASE("FilterWithAnEmptyParamMatchesEveryString") {
    CHECK(Pass("[{type: startswith, function: include, field: s, param: ''}]",
               {R"({"s": ""})", R"({"s": "x"})", R"({"t": "x"})"}) ==
          Texts{R"({"s": ""})", R"({"s": "x"})"});
  }
}

}  // namespace
}  // namespace coral::testing
