#include <doctest/doctest.h>

#include "event/event.h"

namespace coral {
namespace {

FieldPath P(std::string_view text) {
  return *FieldPath::Parse(text);
}

// TextAt from the original bytes (on demand) and from a built value must agree.
std::optional<std::string> BothWays(std::string_view json, std::string_view path) {
  Event parsed = *Event::Parse(json);
  Event built = Event::FromJson(Json::parse(json));
  std::optional<std::string> a = parsed.TextAt(P(path));
  std::optional<std::string> b = built.TextAt(P(path));
  CHECK_MESSAGE(a == b, json, " at ", path);
  return a;
}

TEST_SUITE("event") {
  TEST_CASE("TextAtGivesStringsAsTheirCharacters") {
    CHECK(BothWays(R"({"s": "a\"b\u00e9"})", "s") == "a\"b\u00e9");
    CHECK(BothWays(R"({"s": "x\\y"})", "s") == "x\\y");
    CHECK(BothWays(R"({"s": ""})", "s") == "");
  }

  TEST_CASE("TextAtGivesOtherValuesAsCompactJson") {
    std::string_view json =
        R"({"i": -5, "u": 18446744073709551615, "d": 2.50, "e": 1e3, "t": true, "f": false,
            "n": null, "a": [1, 2.0, "x"], "o": {"k": [ ]}})";
    CHECK(BothWays(json, "i") == "-5");
    CHECK(BothWays(json, "u") == "18446744073709551615");
    CHECK(BothWays(json, "d") == "2.5");
    CHECK(BothWays(json, "e") == "1000.0");
    CHECK(BothWays(json, "t") == "true");
    CHECK(BothWays(json, "f") == "false");
    CHECK(BothWays(json, "n") == "null");
    CHECK(BothWays(json, "a") == "[1,2.0,\"x\"]");
    CHECK(BothWays(json, "o") == "{\"k\":[]}");
  }

  TEST_CASE("TextAtFollowsPathsAndSaysWhenTheyDoNotResolve") {
    std::string_view json = R"({"a": {"b": [{"c": 1}, {"c": "two"}]}, "s": "x"})";
    CHECK(BothWays(json, "a.b[1].c") == "two");
    CHECK(BothWays(json, "a.b[0].c") == "1");
    CHECK_FALSE(BothWays(json, "a.b[2].c"));
    CHECK_FALSE(BothWays(json, "a.x"));
    CHECK_FALSE(BothWays(json, "s.x"));
    CHECK_FALSE(BothWays(json, "a[0]"));
    CHECK(BothWays(json, "*") == R"({"a":{"b":[{"c":1},{"c":"two"}]},"s":"x"})");
  }

  // KeyAt is the group.by identity: Json::dump text, the same from bytes and from a value, with
  // the string "5" and the number 5 kept apart.
  TEST_CASE("KeyAtGivesJsonTextThatTellsStringsFromNumbers") {
    std::string_view json = R"({"s": "5", "n": 5, "e": "a\"b\u00e9", "o": {"k": [1, 2.50]}})";
    Event parsed = *Event::Parse(json);
    Event built = Event::FromJson(Json::parse(json));
    for (std::string_view path : {"s", "n", "e", "o", "o.k[1]", "missing"}) {
      CHECK_MESSAGE(parsed.KeyAt(P(path)) == built.KeyAt(P(path)), path);
    }
    CHECK(parsed.KeyAt(P("s")) == "\"5\"");
    CHECK(parsed.KeyAt(P("n")) == "5");
    CHECK(parsed.KeyAt(P("e")) == "\"a\\\"b\u00e9\"");
    CHECK(parsed.KeyAt(P("o")) == R"({"k":[1,2.5]})");
    CHECK_FALSE(parsed.KeyAt(P("missing")));
  }
}

}  // namespace
}  // namespace coral
