// Every invalid fixture in tests/definition/fixtures/invalid/ must be rejected with the messages
// and positions its sidecar .expect file names. One line of .expect per expected diagnostic:
//   LINE:COL PATH: message substring      (position and path checked exactly)
//   message substring                     (for whole-document problems without a path)
// Fixtures named strict-* are validated with --strict.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <fmt/format.h>

#include "definition/validator.h"

namespace fs = std::filesystem;
using namespace coral::definition;

namespace {

struct Expectation {
  int line = 0, column = 0;  // 0: not checked
  std::string text;          // "path: message" or just a message substring
};

std::vector<Expectation> ReadExpectations(const fs::path& file) {
  std::vector<Expectation> out;
  std::ifstream in(file);
  std::string line;
  static const std::regex positioned(R"((\d+):(\d+) (.*))");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::smatch match;
    if (std::regex_match(line, match, positioned)) {
      out.push_back({std::stoi(match[1]), std::stoi(match[2]), match[3]});
    } else {
      out.push_back({0, 0, line});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every invalid fixture is rejected with the expected messages and positions") {
  fs::path dir = fs::path(CORAL_SOURCE_DIR) / "tests/definition/fixtures/invalid";
  int fixtures = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    fs::path file = entry.path();
    if (file.extension() != ".yaml" && file.extension() != ".json") continue;
    ++fixtures;
    CAPTURE(file.filename().string());
    fs::path expect_file = fs::path(file).replace_extension(".expect");
    REQUIRE_MESSAGE(fs::exists(expect_file), "fixture without .expect file");
    ValidationOptions options{.strict = file.filename().string().starts_with("strict-")};
    Validation validation = ValidateFile(file.string(), options);
    CHECK(validation.definition == nullptr);
    CHECK(validation.diagnostics.HasErrors());
    std::string all;
    for (const auto& d : validation.diagnostics.all()) all += FormatDiagnostic(d, "f") + "\n";
    for (const Expectation& expected : ReadExpectations(expect_file)) {
      bool found = false;
      for (const auto& d : validation.diagnostics.all()) {
        if (d.severity != Severity::kError) continue;
        std::string text = d.path.empty() ? d.message : d.path + ": " + d.message;
        if (text.find(expected.text) == std::string::npos) continue;
        if (expected.line && (d.position.line != expected.line ||
                              d.position.column != expected.column)) {
          continue;
        }
        found = true;
      }
      CHECK_MESSAGE(found, fmt::format("expected error {}:{} {}\ngot:\n{}", expected.line,
                                       expected.column, expected.text, all));
    }
  }
  CHECK(fixtures >= 40);
}

TEST_CASE("malformed input gives a clear error, never a crash or a hang") {
  SUBCASE("10,000-deep nesting") {
    std::string json(10000, '[');
    json += std::string(10000, ']');
    Validation v = ValidateText(json);
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("nested deeper than") != std::string::npos);
  }
  SUBCASE("10,000-deep mappings") {
    std::string json;
    for (int i = 0; i < 10000; ++i) json += "{\"a\":";
    json += "1" + std::string(10000, '}');
    Validation v = ValidateText(json);
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("nested deeper than") != std::string::npos);
  }
  SUBCASE("a 10 MB document") {
    std::string big = "name: r\ndescription: \"" + std::string(10 * 1000 * 1000, 'x') + "\"\n";
    Validation v = ValidateText(big);
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("limited to 4 MiB") != std::string::npos);
  }
  SUBCASE("whitespace only") {
    Validation v = ValidateText(" \n\n  \n");
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("empty") != std::string::npos);
  }
  SUBCASE("a NUL byte") {
    Validation v = ValidateText(std::string("name: r\0x", 9));
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("NUL") != std::string::npos);
  }
  SUBCASE("YAML alias bomb") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char previous = 'a';
    for (char name = 'b'; name <= 'j'; ++name) {
      bomb += fmt::format("{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n", name, name,
                          previous, previous, previous, previous, previous, previous, previous,
                          previous, previous, previous);
      previous = name;
    }
    Validation v = ValidateText(bomb);
    REQUIRE(v.diagnostics.HasErrors());
    CHECK(v.diagnostics.all()[0].message.find("expands to more than") != std::string::npos);
  }
  SUBCASE("a missing file and a directory") {
    Validation missing = ValidateFile("/nonexistent/runtime.yaml");
    REQUIRE(missing.diagnostics.HasErrors());
    CHECK(missing.diagnostics.all()[0].message.find("no such file") != std::string::npos);
    Validation directory = ValidateFile(CORAL_SOURCE_DIR);
    REQUIRE(directory.diagnostics.HasErrors());
    CHECK(directory.diagnostics.all()[0].message.find("directory") != std::string::npos);
  }
}
