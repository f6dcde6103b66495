// Reads an actor's `params` (or any nested object of them) and reports every problem with its
// path and position. Actor types use it in their `configure` function:
//
//   double threshold = params.Number("threshold");        // required
//   auto key = params.Path("key");                         // required field path
//   std::string mode = params.Enum("mode", {"a", "b"}, "a");  // optional, with default
//   if (!params.Finish()) return nullptr;                  // warns on unknown keys, says if ok
//
// Getters return a harmless default after reporting a problem, so a type reads everything and
// all problems are reported at once. Keys that were never read are unknown-field warnings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "definition/diagnostics.h"
#include "definition/node.h"
#include "event/field_path.h"

namespace coral::definition {

class ParamReader {
 public:
  // `node` may be nullptr (no params given). `path` is e.g. "actors[2].params". A list is
  // rejected unless the type takes it with TakeList() before reading anything else.
  ParamReader(const Node* node, std::string path, Position fallback, Diagnostics& diagnostics);

  // The params when they are a list (`filter` accepts its filter list as params), or nullptr.
  // Taking it means the type handles the list itself; otherwise the first read (or Finish)
  // reports "expected a mapping of parameters, found a list".
  const Node* TakeList();

  bool Has(std::string_view key) const;
  // The raw node (marks the key as known), or nullptr.
  const Node* Get(std::string_view key);

  // Required values: report "missing" when absent.
  std::string String(std::string_view key);
  double Number(std::string_view key);
  std::int64_t Integer(std::string_view key, std::int64_t min, std::int64_t max);
  FieldPath Path(std::string_view key);
  std::string Enum(std::string_view key, std::initializer_list<std::string_view> allowed);
  const Node* Object(std::string_view key);  // must be a mapping
  const Node* List(std::string_view key);    // must be a list

  // Optional values: nullopt (or the default) when absent; reported when present but wrong.
  std::optional<std::string> OptionalString(std::string_view key);
  std::optional<double> OptionalNumber(std::string_view key);
  std::optional<FieldPath> OptionalPath(std::string_view key);
  bool Bool(std::string_view key, bool fallback);
  std::string Enum(std::string_view key, std::initializer_list<std::string_view> allowed,
                   std::string_view fallback);
  const Node* OptionalObject(std::string_view key);

  // Range checks on a value already read (inclusive bounds).
  void CheckRange(std::string_view key, double value, double min, double max);

  // A reader for a nested mapping (`timer` inside generator params); reports if not a mapping.
  ParamReader Nested(std::string_view key, bool required);

  // Reports a problem with a key (or with the params as a whole when key is empty).
  void Error(std::string_view key, std::string message);
  void ErrorAt(const Node& node, std::string path, std::string message);
  void Warning(std::string_view key, std::string message);

  // Path and position helpers for types that walk nested values themselves.
  std::string PathOf(std::string_view key) const;
  Position PositionOf(std::string_view key) const;
  const std::string& path() const { return path_; }
  const Node* node() const { return node_; }
  Diagnostics& diagnostics() { return diagnostics_; }

  // Warns about keys never read (typos), then tells whether this reader reported no error.
  bool Finish();
  bool ok() const { return diagnostics_.errors() == errors_at_start_ && !list_; }

 private:
  const Node* Required(std::string_view key, std::string_view what);
  void WrongType(std::string_view key, const Node& found, std::string_view expected);
  void RejectUntakenList();

  const Node* node_;
  const Node* list_ = nullptr;  // list params not (yet) taken by the type
  std::string path_;
  Position fallback_;
  Diagnostics& diagnostics_;
  std::set<std::string, std::less<>> read_;
  int errors_at_start_;
};

}  // namespace coral::definition
