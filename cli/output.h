// How server commands print results on stdout: `-o table` (aligned columns and `key: value`
// lines, for people), `-o json` (exactly one JSON document), `-o yaml` (yaml-cpp's emitter).
// Messages for people go to stderr, never through these functions.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/http_client.h"

namespace coral::cli {

struct Table {
  std::vector<std::string> headers;  // printed upper-case
  std::vector<std::vector<std::string>> rows;
};

// Columns separated by two spaces, each as wide as its widest cell (counted in UTF-8 code
// points); cells that are numbers are right-aligned. No trailing spaces.
void PrintTable(const Table& table, std::ostream& out);

// `value` as a table cell: strings as they are, null and empty objects or arrays as "-", numbers
// and booleans as JSON, arrays of scalars joined with ", ", other arrays and objects as compact
// JSON.
std::string CellText(const Json& value);

// One `path: value` line per scalar of `value` (nested keys joined with '.', array items as
// [i]), aligned on the colon. For objects whose shape is not fixed (settings, state).
void PrintKeyValues(const Json& value, std::ostream& out);

// The YAML form of `value`: strings that YAML would read as something else are quoted.
std::string ToYaml(const Json& value);

// -o json: value.dump(2); -o yaml: ToYaml. REQUIRES: !global.table().
void PrintDocument(const Json& value, const GlobalOptions& global, std::ostream& out);

// What a command prints of a server answer: answer[key] when `key` is given and present (the
// answers of corald wrap resources: {"success": true, "state": {...}}), else the answer without
// its `success` envelope field.
Json Payload(const Json& answer, const char* key = nullptr);

// The items of a list answer: `value` itself when it is an array, else the array under the
// first of `keys` present (servers wrap lists differently: {"runtimes": [...]}), else empty.
Json ListItems(const Json& value, std::initializer_list<const char*> keys);

}  // namespace coral::cli
