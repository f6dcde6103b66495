#include "definition/node.h"

#include <charconv>
#include <cmath>
#include <regex>

#include "common/text.h"

namespace coral::definition {
namespace {

bool IsNullText(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> BoolText(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool LooksLikeInteger(std::string_view text) {
  static const std::regex pattern(R"([-+]?[0-9]+)");
  return std::regex_match(text.begin(), text.end(), pattern);
}

bool LooksLikeFloat(std::string_view text) {
  static const std::regex pattern(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  return std::regex_match(text.begin(), text.end(), pattern);
}

}  // namespace

Node Node::Scalar(std::string text, bool quoted, Position position) {
  Node node;
  node.kind_ = Kind::kScalar;
  node.text_ = std::move(text);
  node.quoted_ = quoted;
  node.position_ = position;
  return node;
}

Node Node::Null(Position position) {
  Node node;
  node.position_ = position;
  return node;
}

Node Node::Sequence(std::vector<Node> items, Position position) {
  Node node;
  node.kind_ = Kind::kSequence;
  node.items_ = std::move(items);
  node.position_ = position;
  return node;
}

Node Node::Map(std::vector<Entry> entries, Position position) {
  Node node;
  node.kind_ = Kind::kMap;
  node.entries_ = std::move(entries);
  node.position_ = position;
  return node;
}

Node Node::FromJson(const Json& json) {
  switch (json.type()) {
    case Json::value_t::object: {
      std::vector<Entry> entries;
      for (const auto& [key, value] : json.items()) entries.push_back({key, {}, FromJson(value)});
      return Map(std::move(entries), {});
    }
    case Json::value_t::array: {
      std::vector<Node> items;
      for (const auto& value : json) items.push_back(FromJson(value));
      return Sequence(std::move(items), {});
    }
    case Json::value_t::string:
      return Scalar(json.get<std::string>(), true, {});
    case Json::value_t::null:
    case Json::value_t::discarded:
      return Null({});
    default:
      return Scalar(json.dump(), false, {});
  }
}

bool Node::IsNull() const {
  return kind_ == Kind::kNull || (kind_ == Kind::kScalar && !quoted_ && IsNullText(text_));
}

std::optional<std::string_view> Node::AsString() const {
  if (kind_ != Kind::kScalar) return std::nullopt;
  if (quoted_) return std::string_view(text_);
  if (IsNullText(text_) || BoolText(text_) || AsNumber() || LooksLikeInteger(text_)) {
    return std::nullopt;
  }
  return std::string_view(text_);
}

std::optional<double> Node::AsNumber() const {
  if (kind_ != Kind::kScalar || quoted_ || !LooksLikeFloat(text_)) return std::nullopt;
  std::string_view text = text_;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> Node::AsInteger() const {
  if (kind_ != Kind::kScalar || quoted_ || !LooksLikeInteger(text_)) return std::nullopt;
  std::string_view text = text_;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> Node::AsBool() const {
  if (kind_ != Kind::kScalar || quoted_) return std::nullopt;
  return BoolText(text_);
}

const Node* Node::Find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::string Node::Describe() const {
  switch (kind_) {
    case Kind::kMap:
      return "a mapping";
    case Kind::kSequence:
      return "a list";
    case Kind::kNull:
      return "nothing (null)";
    case Kind::kScalar:
      break;
  }
  if (quoted_) return "the string " + QuoteForMessage(text_);  // '5' is text, not a number
  if (IsNull()) return "nothing (null)";
  if (AsBool()) return "the boolean " + text_;
  if (AsNumber() || LooksLikeInteger(text_) || LooksLikeFloat(text_)) return "the number " + text_;
  return "the string " + QuoteForMessage(text_);
}

Json Node::ToJson() const {
  switch (kind_) {
    case Kind::kMap: {
      Json object = Json::object();
      for (const Entry& entry : entries_) object[entry.key] = entry.value.ToJson();
      return object;
    }
    case Kind::kSequence: {
      Json array = Json::array();
      for (const Node& item : items_) array.push_back(item.ToJson());
      return array;
    }
    case Kind::kNull:
      return nullptr;
    case Kind::kScalar:
      break;
  }
  if (quoted_) return text_;
  if (IsNullText(text_)) return nullptr;
  if (auto flag = BoolText(text_)) return *flag;
  if (auto integer = AsInteger()) return *integer;
  if (auto number = AsNumber()) return *number;
  return text_;
}

}  // namespace coral::definition
