#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

// Renders `event` through a json actor with `params`; the one emitted event's bytes.
std::string Render(std::string_view params, std::string_view event) {
  auto actor = MakeActor("json", params);
  FakeActorContext context;
  actor->OnEvent(Ev(event), context);
  REQUIRE(context.failures.empty());
  REQUIRE(context.emitted.size() == 1);
  return std::string(context.emitted[0].bytes());
}

}  // namespace

TEST_SUITE("json actor") {
  TEST_CASE("a whole-string hole becomes the value with its JSON type") {
    CHECK(
        Render(
            R"({template: {n: "${n}", s: "${s}", b: "${b}", z: "${z}", o: "${o}", a: "${a}"}})",
            R"({"n": 42, "s": "text", "b": true, "z": null, "o": {"k": [1, 2]}, "a": [1, "x"]})") ==
        R"({"n":42,"s":"text","b":true,"z":null,"o":{"k":[1,2]},"a":[1,"x"]})");
  }

  TEST_CASE("numbers keep their kind: integers, negatives, floats, large integers") {
    CHECK(Render(R"({template: {a: "${a}", b: "${b}", c: "${c}", d: "${d}", e: "${e}"}})",
                 R"({"a": -7, "b": 3.0, "c": 2.5, "d": 18446744073709551615, "e": 1e300})") ==
          R"({"a":-7,"b":3.0,"c":2.5,"d":18446744073709551615,"e":1e+300})");
  }

  TEST_CASE("paths: dots, indexes, quoted keys, combinations and spaces inside the braces") {
    CHECK(Render(R"({template: {p1: "${a.b}", p2: "${l[2]}", p3: "${m['b c']}",
                                p4: "${a.c[1].d}", p5: "${  a.b  }", p6: "${m[\"b c\"]}"}})",
                 R"({"a": {"b": 1, "c": [{"d": 0}, {"d": "deep"}]}, "l": [10, 20, 30],
                     "m": {"b c": "spaced"}})") ==
          R"({"p1":1,"p2":30,"p3":"spaced","p4":"deep","p5":1,"p6":"spaced"})");
  }

  TEST_CASE("a path that does not resolve gives null") {
    CHECK(
        Render(R"({template: {missing: "${nope}", deep: "${a.b.c.d}", out_of_range: "${l[5]}",
                                into_scalar: "${s.x}", index_on_object: "${a[0]}"}})",
               R"({"a": {"b": 1}, "l": [1], "s": "text"})") ==
        R"({"missing":null,"deep":null,"out_of_range":null,"into_scalar":null,"index_on_object":null})");
  }

  TEST_CASE("the whole event with *") {
    CHECK(Render(R"({template: {event: "${*}", also: "${ * }"}})", R"({"x": 1, "y": [true]})") ==
          R"({"event":{"x":1,"y":[true]},"also":{"x":1,"y":[true]}})");
  }

  TEST_CASE("holes inside text: strings as text, other values as compact JSON") {
    CHECK(Render(R"({template: {t: "user ${name} (${age}) ${ok} ${nothing} tags=${tags} o=${o}"}})",
                 R"({"name": "Ann", "age": 31, "ok": false, "nothing": null, "tags": ["a", "b"],
                     "o": {"k": "v"}})") ==
          R"({"t":"user Ann (31) false null tags=[\"a\",\"b\"] o={\"k\":\"v\"}"})");
  }

  TEST_CASE("a path inside text that does not resolve gives empty text") {
    CHECK(Render(R"({template: {t: "[${missing}] [${l[9]}]"}})", R"({"l": []})") ==
          R"({"t":"[] []"})");
  }

  TEST_CASE("the whole event inside text is escaped compact JSON") {
    CHECK(Render(R"({template: {t: "got ${*}"}})", R"({"q": "say \"hi\""})") ==
          R"({"t":"got {\"q\":\"say \\\"hi\\\"\"}"})");
  }

  TEST_CASE("escapes in event strings survive both kinds of hole") {
    CHECK(Render(R"({template: {v: "${s}", t: "<${s}>"}})", R"({"s": "a\"b\\c\nd\u0001"})") ==
          R"({"v":"a\"b\\c\nd\u0001","t":"<a\"b\\c\nd\u0001>"})");
  }

  TEST_CASE("keys written with escapes in the event are matched by their text") {
    CHECK(Render(R"({template: {v: "${café}"}})", R"({"caf\u00e9": 1})") == R"({"v":1})");
  }

  TEST_CASE("nested objects and lists, literal values and literal keys") {
    CHECK(
        Render(R"({template: {outer: {inner: ["${a}", 2, "lit \"q\"", {deep: "${b}"}], n: 1.5,
                                        f: false, z: null}, "${a}": "key stays literal"}})",
               R"({"a": "A", "b": [1]})") ==
        R"({"outer":{"inner":["A",2,"lit \"q\"",{"deep":[1]}],"n":1.5,"f":false,"z":null},"${a}":"key stays literal"})");
  }

  TEST_CASE("an event built by another actor (no bytes yet) renders the same") {
    auto actor = MakeActor("json", R"({template: {v: "${a.b}"}})");
    FakeActorContext context;
    actor->OnEvent(Event::FromJson(Json::parse(R"({"a": {"b": "x"}})")), context);
    REQUIRE(context.emitted.size() == 1);
    CHECK(context.emitted[0].bytes() == R"({"v":"x"})");
  }

  TEST_CASE("each event gets its own output") {
    auto actor = MakeActor("json", R"({template: {v: "${v}"}})");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"v": 1})"), context);
    actor->OnEvent(Ev(R"({"w": 2})"), context);
    actor->OnEvent(Ev(R"({"v": "three"})"), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({R"({"v":1})", R"({"v":null})", R"({"v":"three"})"}));
  }

  TEST_CASE("a template written as a string of JSON is accepted") {
    CHECK(Render(R"({template: '{"v": "${a}", "n": 1}'})", R"({"a": 5})") == R"({"v":5,"n":1})");
  }

  TEST_CASE("params: template missing") {
    Configured configured = Configure("json", "{}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.template", "missing; add `template:`");
  }

  TEST_CASE("params: no params at all") {
    Configured configured = Configure("json", "");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.template", "missing");
  }

  TEST_CASE("params: template not a mapping") {
    Configured configured = Configure("json", "{template: [1, 2]}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.template", "expected a mapping");
    Configured text = Configure("json", "{template: 'just text'}");
    CHECK_FALSE(text.create);
    CHECK_PARAM_ERROR(text, "actors[0].params.template", "not a JSON object");
  }

  TEST_CASE("params: malformed paths are reported each at its own place, all at once") {
    Configured configured = Configure(
        "json",
        R"({template: {a: "${x..y}", b: {c: ["ok ${fine}", "${}"]}, d: "x ${l[a]} y", e: "${open"}})");
    CHECK_FALSE(configured.create);
    CHECK(configured.diagnostics.errors() == 4);
    CHECK_PARAM_ERROR(configured, "actors[0].params.template.a", "${x..y} does not name a field");
    CHECK_PARAM_ERROR(configured, "actors[0].params.template.b.c[1]", "the path is empty");
    CHECK_PARAM_ERROR(configured, "actors[0].params.template.d",
                      "${l[a]} does not name a field: inside `[...]` write an index");
    CHECK_PARAM_ERROR(configured, "actors[0].params.template.e", "has no closing `}`");
  }

  TEST_CASE("params: unknown keys are warnings") {
    Configured configured = Configure("json", R"({template: {a: 1}, templat: {b: 2}})");
    CHECK(configured.create);
    CHECK_PARAM_WARNING(configured, "actors[0].params.templat", "did you mean `template`?");
  }
}

}  // namespace coral::testing
