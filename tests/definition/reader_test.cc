#include <doctest/doctest.h>

#include "definition/reader.h"
#include "definition/validator.h"

using namespace coral::definition;

TEST_CASE("YAML scalars are typed by the core schema; quoted scalars stay strings") {
  Diagnostics diagnostics;
  auto node = ReadDocument("a: 1\nb: '1'\nc: true\nd: ~\ne: 2.5e3\nf: yes\ng: -7\n", diagnostics);
  REQUIRE(node);
  Json json = node->ToJson();
  CHECK(json.dump() == R"({"a":1,"b":"1","c":true,"d":null,"e":2500.0,"f":"yes","g":-7})");
}

TEST_CASE("positions are 1-based line and column of each value") {
  Diagnostics diagnostics;
  auto node = ReadDocument("name: x\nactors:\n  - name: a\n", diagnostics);
  REQUIRE(node);
  const Node* actors = node->Find("actors");
  REQUIRE(actors);
  CHECK(actors->items()[0].Find("name")->position().line == 3);
  CHECK(actors->items()[0].Find("name")->position().column == 11);
  CHECK(node->entries()[1].key_position.line == 2);
  CHECK(node->entries()[1].key_position.column == 1);
}

TEST_CASE("field order is kept as written") {
  Diagnostics diagnostics;
  auto node = ReadDocument("{\"z\": 1, \"a\": 2, \"m\": 3}", diagnostics);
  REQUIRE(node);
  CHECK(node->ToJson().dump() == R"({"z":1,"a":2,"m":3})");
}

TEST_CASE("JSON with tab indentation reads like any other JSON") {
  Diagnostics diagnostics;
  auto node = ReadDocument("{\n\t\"name\": \"r\",\n\t\"n\": [1,\n\t\t2]\n}\n", diagnostics);
  REQUIRE(node);
  CHECK(node->ToJson().dump() == R"({"name":"r","n":[1,2]})");
}

TEST_CASE("YAML and JSON of the same runtime give the same model") {
  const char* yaml = R"(name: pair
actors:
  - name: in
    type: httpbroadcast
  - name: out
    type: httpbroadcast
    copies: 2
    group: {by: user.id}
links:
  - {from: in, to: out}
distribution: {mode: round-robin, copies: 3, partition-key: user.id}
)";
  const char* json = R"({"name": "pair",
 "actors": [{"name": "in", "type": "httpbroadcast"},
            {"name": "out", "type": "httpbroadcast", "copies": 2, "group": {"by": "user.id"}}],
 "links": [{"from": "in", "to": "out"}],
 "distribution": {"mode": "round-robin", "copies": 3, "partition-key": "user.id"}})";
  Validation from_yaml = ValidateText(yaml);
  Validation from_json = ValidateText(json);
  REQUIRE(from_yaml.definition);
  REQUIRE(from_json.definition);
  const RuntimeDefinition& a = *from_yaml.definition;
  const RuntimeDefinition& b = *from_json.definition;
  CHECK(a.source == b.source);
  CHECK(a.name == b.name);
  REQUIRE(a.actors.size() == b.actors.size());
  for (std::size_t i = 0; i < a.actors.size(); ++i) {
    CHECK(a.actors[i].name == b.actors[i].name);
    CHECK(a.actors[i].type == b.actors[i].type);
    CHECK(a.actors[i].copies == b.actors[i].copies);
    CHECK(a.actors[i].group_by.has_value() == b.actors[i].group_by.has_value());
  }
  CHECK(a.actors[1].copies == 2);
  CHECK(a.actors[1].group_by->text() == "user.id");
  CHECK(a.links.size() == 1);
  CHECK(a.distribution.copies == 3);
  CHECK(*a.distribution.mode == "round-robin");
  CHECK(a.distribution.partition_key->text() == b.distribution.partition_key->text());
}

TEST_CASE("warnings: unknown fields, unlinked actors; --strict turns them into errors") {
  const char* text = R"(name: r
colour: blue
actors:
  - {name: a, type: httpbroadcast}
  - {name: b, type: httpbroadcast}
  - {name: lonely, type: httpbroadcast}
links:
  - {from: a, to: b}
)";
  Validation relaxed = ValidateText(text);
  CHECK(relaxed.definition);
  CHECK(relaxed.diagnostics.warnings() == 2);
  CHECK(relaxed.diagnostics.all()[0].path == "colour");
  CHECK(relaxed.diagnostics.all()[1].message.find("\"lonely\" is in no link") != std::string::npos);
  Validation strict = ValidateText(text, {.strict = true});
  CHECK_FALSE(strict.definition);
  CHECK(strict.diagnostics.errors() == 2);
}

TEST_CASE("a runtime with one actor needs no links") {
  Validation v = ValidateText("name: solo\nactors:\n  - {name: a, type: httpbroadcast}\n");
  CHECK(v.definition);
  CHECK_FALSE(v.diagnostics.HasErrors());
}

TEST_CASE("all problems are reported at once") {
  Validation v = ValidateText(R"(name: "bad name"
actors:
  - {name: a, type: nosuchtype}
  - {type: httpbroadcast}
links:
  - {from: a, to: zz}
)");
  CHECK(v.diagnostics.errors() == 4);
}
