// A parsed definition document: a tree of maps, sequences and scalars that remembers where in
// the source each part stood. YAML and JSON both read into this one shape, so every rule is
// written once and a JSON file and its YAML twin validate identically.
//
// Scalars keep their text; typing follows the YAML 1.2 core schema (null, true/false, integers,
// floats), and a quoted scalar is always a string. Map entries keep the order they were written in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace coral::definition {

using Json = nlohmann::ordered_json;

// 1-based line and column; line 0 means "not from a file" (a value built in code).
struct Position {
  int line = 0;
  int column = 0;
};

class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };
  struct Entry;

  Node() = default;
  static Node Scalar(std::string text, bool quoted, Position position);
  static Node Null(Position position);
  static Node Sequence(std::vector<Node> items, Position position);
  static Node Map(std::vector<Entry> entries, Position position);
  // Builds a node tree from JSON (positions unknown): used for definitions that arrive as values.
  static Node FromJson(const Json& json);

  Kind kind() const { return kind_; }
  Position position() const { return position_; }
  bool IsNull() const;  // explicit null (~, null, empty) as well as kNull
  bool IsMap() const { return kind_ == Kind::kMap; }
  bool IsSequence() const { return kind_ == Kind::kSequence; }
  bool IsScalar() const { return kind_ == Kind::kScalar; }

  // Scalar accessors: nullopt when the node is not a scalar of that type.
  std::optional<std::string_view> AsString() const;  // any scalar that is not null/bool/number
  std::optional<double> AsNumber() const;           // finite numbers only
  std::optional<std::int64_t> AsInteger() const;    // integers that fit in 64 bits
  std::optional<bool> AsBool() const;
  const std::string& text() const { return text_; }  // raw scalar text
  bool quoted() const { return quoted_; }

  const std::vector<Node>& items() const { return items_; }
  const std::vector<Entry>& entries() const { return entries_; }
  // The value of `key` in a map, or nullptr (also when this is not a map).
  const Node* Find(std::string_view key) const;

  // "a mapping", "a list", "the string \"x\"", "the number 3" -- for error messages.
  std::string Describe() const;
  // The JSON value this node denotes (numbers too large for a double become strings).
  Json ToJson() const;

 private:
  Kind kind_ = Kind::kNull;
  Position position_;
  std::string text_;
  bool quoted_ = false;
  std::vector<Node> items_;
  std::vector<Entry> entries_;
};

struct Node::Entry {
  std::string key;
  Position key_position;
  Node value;
};

}  // namespace coral::definition
