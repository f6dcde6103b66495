#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {

TEST_SUITE("httpbroadcast actor") {
  TEST_CASE("emits its input unchanged: the same bytes, not re-serialised") {
    auto actor = MakeActor("httpbroadcast", "");
    FakeActorContext context;
    Event in = Ev(R"({"b": 1,  "a": [1, 2]})");
    actor->OnEvent(in, context);
    actor->OnEvent(Ev("{}"), context);
    REQUIRE(context.emitted.size() == 2);
    CHECK(context.emitted[0].bytes() == R"({"b": 1,  "a": [1, 2]})");
    CHECK(context.emitted[0].bytes().data() == in.bytes().data());
    CHECK(context.emitted[1].bytes() == "{}");
    CHECK(context.ignored.empty());
  }

  TEST_CASE("params: none; any given is a warning, not an error") {
    Configured none = Configure("httpbroadcast", "");
    CHECK(none.create);
    CHECK(none.diagnostics.all().empty());
    Configured empty = Configure("httpbroadcast", "{}");
    CHECK(empty.create);
    CHECK(empty.diagnostics.all().empty());
    Configured some = Configure("httpbroadcast", "{port: 8080, path: /in}");
    CHECK(some.create);
    CHECK(some.diagnostics.errors() == 0);
    CHECK(some.diagnostics.warnings() == 2);
    CHECK_PARAM_WARNING(some, "actors[0].params.port", "httpbroadcast takes no parameters");
    CHECK_PARAM_WARNING(some, "actors[0].params.path", "this one is ignored");
  }
}

}  // namespace coral::testing
