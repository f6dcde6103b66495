#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {

using actors::IgnoreReason;

TEST_SUITE("minmax actor") {
  TEST_CASE("clamps below min and above max; values inside pass unchanged") {
    auto actor = MakeActor("minmax", "{field: t, min: -10, max: 40.5}");
    FakeActorContext context;
    Event inside = Ev(R"({"t": 20.25, "id": 1})");
    actor->OnEvent(Ev(R"({"t": -50, "id": 0})"), context);
    actor->OnEvent(inside, context);
    actor->OnEvent(Ev(R"({"t": 41, "id": 2})"), context);
    actor->OnEvent(Ev(R"({"t": 40.5, "id": 3})"), context);
    actor->OnEvent(Ev(R"({"t": -10, "id": 4})"), context);
    CHECK(Joined(context.EmittedText()) ==
          Joined({R"({"t":-10,"id":0})", R"({"t": 20.25, "id": 1})", R"({"t":40.5,"id":2})",
                  R"({"t": 40.5, "id": 3})", R"({"t": -10, "id": 4})"}));
    CHECK(context.emitted[1].bytes().data() == inside.bytes().data());  // the same handle
  }

  TEST_CASE("deep paths and list elements are clamped in place") {
    auto actor = MakeActor("minmax", "{field: 'a.b[1]', min: 0, max: 1}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"a": {"b": [5, 7, 9]}, "z": 0})"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"a":{"b":[5,1,9]},"z":0})"}));
  }

  TEST_CASE("min equal to max pins the value") {
    auto actor = MakeActor("minmax", "{field: x, min: 3, max: 3}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"x": 2.5})"), context);
    CHECK(Joined(context.EmittedText()) == Joined({R"({"x":3})"}));
  }

  TEST_CASE("missing, null, text and out-of-range index: ignored, not emitted") {
    auto actor = MakeActor("minmax", "{field: 'a[2]', min: 0, max: 1}");
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"b": 1})"), context);
    actor->OnEvent(Ev(R"({"a": [0, 1]})"), context);
    actor->OnEvent(Ev(R"({"a": [0, 1, null]})"), context);
    actor->OnEvent(Ev(R"({"a": [0, 1, "0.5"]})"), context);
    CHECK(context.emitted.empty());
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kMissingField,
                                    IgnoreReason::kWrongType, IgnoreReason::kWrongType});
  }

  TEST_CASE("params: min above max") {
    Configured configured = Configure("minmax", "{field: x, min: 5, max: 1}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.max", "must be at least `min` (5), found 1");
  }

  TEST_CASE("params: missing and wrong types, all at once") {
    Configured configured = Configure("minmax", "{field: 'a[', min: low}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.field", "is not a valid field path");
    CHECK_PARAM_ERROR(configured, "actors[0].params.min",
                      "expected a number, found the string \"low\"");
    CHECK_PARAM_ERROR(configured, "actors[0].params.max", "missing; add `max:` with a number");
    CHECK_PARAM_ERROR(Configure("minmax", "{field: '*', min: 0, max: 1}"), "actors[0].params.field",
                      "`*` is the whole event");
  }
}

}  // namespace coral::testing
