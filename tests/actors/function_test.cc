#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {

using actors::IgnoreReason;

TEST_SUITE("function actor") {
  TEST_CASE("emits the event plus outputfield = the result") {
    auto actor = MakeActor("function", "{function: 'price * qty', outputfield: total}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"price": 2.5, "qty": 3, "id": "a"})"), context);
    actor->OnEvent(Ev(R"({"price": 2, "qty": 3})"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"price":2.5,"qty":3,"id":"a","total":7.5})",
                                                   R"({"price":2,"qty":3,"total":6})"}));
  }

  TEST_CASE("strings, booleans and whole values as results; an existing field is replaced") {
    auto label = MakeActor("function", R"({function: "name + ' #' + n", outputfield: name})");
    auto check = MakeActor("function", "{function: 't > 30 && !muted', outputfield: alarm}");
    auto copy = MakeActor("function", "{function: 'a.b', outputfield: c}");
    FakeActorContext context;
    label->OnEvent(Ev(R"({"name": "pump", "n": 2})"), context);
    check->OnEvent(Ev(R"({"t": 31, "muted": false})"), context);
    copy->OnEvent(Ev(R"({"a": {"b": [1, {"x": null}]}})"), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({R"({"name":"pump #2","n":2})", R"({"t":31,"muted":false,"alarm":true})",
                  R"({"a":{"b":[1,{"x":null}]},"c":[1,{"x":null}]})"}));
  }

  TEST_CASE("no value: nothing emitted, ignored with the reason") {
    auto actor = MakeActor("function", "{function: 'a / b', outputfield: r}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnEvent(Ev(R"({"a": "x", "b": 2})"), context);
    actor->OnEvent(Ev(R"({"a": 1, "b": 0})"), context);
    actor->OnEvent(Ev(R"({"a": 1, "b": null})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType,
                                    IgnoreReason::kNotFinite, IgnoreReason::kWrongType});
  }

  TEST_CASE("params: a syntax error names the column and what to write") {
    Configured configured = Configure("function", "{function: 'a + * b', outputfield: r}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.function",
                      "at column 5 of \"a + * b\": expected a value (a number, a 'string', true, "
                      "false, null, a field name or `(`), found `*`");
  }

  TEST_CASE("params: missing, empty and unknown") {
    Configured missing = Configure("function", "{}");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.function", "missing; add `function:`");
    CHECK_PARAM_ERROR(missing, "actors[0].params.outputfield", "missing; add `outputfield:`");
    Configured empty = Configure("function", "{function: '', outputfield: ''}");
    CHECK_FALSE(empty.create);
    CHECK_PARAM_ERROR(empty, "actors[0].params.function", "at column 1 of \"\": expected a value");
    CHECK_PARAM_ERROR(empty, "actors[0].params.outputfield", "is empty");
    Configured unknown = Configure("function", "{function: '1', outputfield: r, output: x}");
    CHECK(unknown.create);
    CHECK_PARAM_WARNING(unknown, "actors[0].params.output", "unknown parameter");
  }

  TEST_CASE("a number written as the whole function is an expression too") {
    auto actor = MakeActor("function", "{function: 42, outputfield: answer}");
    FakeActorContext context;
    actor->OnEvent(Ev("{}"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"answer":42})"}));
  }
}

}  // namespace coral::testing
