#include "actors/json_template.h"

#include <charconv>
#include <cstdint>

#include <fmt/format.h>
#include <simdjson.h>

#include "common/text.h"

namespace coral::actors {

using definition::Node;
using definition::ParamReader;

namespace {

// `text` as a JSON string literal, quotes included.
std::string QuotedJson(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The index of the `}` closing the hole whose `${` starts at `open`, or npos. Quoted keys inside
// `[...]` may contain `}`.
std::size_t HoleEnd(std::string_view text, std::size_t open) {
  char quote = 0;
  for (std::size_t i = open + 2; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Appends `text` escaped for the inside of a JSON string.
void AppendEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t run = 0;  // start of the pending run of characters that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(text.substr(run));
}

template <typename Number>
void AppendNumber(std::string& out, Number number) {
  char digits[32];
  auto result = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, result.ptr);
}

// Appends `element` as compact JSON.
void AppendJson(std::string& out, simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      out.push_back('{');
      bool first = true;
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(element)) {
        if (!first) out.push_back(',');
        first = false;
        out.push_back('"');
        AppendEscaped(out, field.key);
        out.append("\":");
        AppendJson(out, field.value);
      }
      out.push_back('}');
      return;
    }
    case element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      for (simdjson::dom::element item : simdjson::dom::array(element)) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(out, item);
      }
      out.push_back(']');
      return;
    }
    case element_type::STRING:
      out.push_back('"');
      AppendEscaped(out, std::string_view(element));
      out.push_back('"');
      return;
    case element_type::INT64:
      AppendNumber(out, std::int64_t(element));
      return;
    case element_type::UINT64:
      AppendNumber(out, std::uint64_t(element));
      return;
    case element_type::DOUBLE: {
      std::size_t start = out.size();
      AppendNumber(out, double(element));
      // Keep a written float a float: 3.0 stays `3.0`, not `3`.
      if (out.find_first_of(".e", start) == std::string::npos) out.append(".0");
      return;
    }
    case element_type::BOOL:
      out.append(bool(element) ? "true" : "false");
      return;
    case element_type::NULL_VALUE:
      out.append("null");
      return;
  }
}

// Appends `element` as text inside a JSON string: a string as its own characters, any other value
// as its compact JSON.
void AppendAsText(std::string& out, simdjson::dom::element element) {
  if (element.is_string()) {
    AppendEscaped(out, std::string_view(element));
  } else if (element.is_object() || element.is_array()) {
    thread_local std::string json;
    json.clear();
    AppendJson(json, element);
    AppendEscaped(out, json);
  } else {
    AppendJson(out, element);  // numbers, true, false, null: nothing to escape
  }
}

// The element at `path`, or nullopt.
std::optional<simdjson::dom::element> Resolve(simdjson::dom::element root, const FieldPath& path) {
  simdjson::dom::element current = root;
  for (const FieldPath::Step& step : path.steps()) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      simdjson::dom::object object;
      if (current.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
      if (object.at_key(*key).get(current) != simdjson::SUCCESS) return std::nullopt;
    } else {
      simdjson::dom::array array;
      if (current.get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
      if (array.at(std::get<std::size_t>(step)).get(current) != simdjson::SUCCESS) {
        return std::nullopt;
      }
    }
  }
  return current;
}

}  // namespace

class JsonTemplate::Compiler {
 public:
  Compiler(JsonTemplate& compiled, ParamReader& params) : compiled_(compiled), params_(params) {}

  void Value(const Node& node, const std::string& path) {
    switch (node.kind()) {
      case Node::Kind::kMap: {
        Literal("{");
        bool first = true;
        for (const Node::Entry& entry : node.entries()) {
          if (!first) Literal(",");
          first = false;
          Literal(QuotedJson(entry.key));
          Literal(":");
          Value(entry.value, definition::JoinPath(path, entry.key));
        }
        Literal("}");
        return;
      }
      case Node::Kind::kSequence: {
        Literal("[");
        for (std::size_t i = 0; i < node.items().size(); ++i) {
          if (i > 0) Literal(",");
          Value(node.items()[i], definition::IndexPath(path, i));
        }
        Literal("]");
        return;
      }
      case Node::Kind::kNull:
        Literal("null");
        return;
      case Node::Kind::kScalar:
        break;
    }
    Json scalar = node.ToJson();
    if (scalar.is_string()) {
      String(scalar.get_ref<const std::string&>(), node, path);
    } else {
      Literal(scalar.dump());
    }
  }

 private:
  void String(const std::string& text, const Node& node, const std::string& path) {
    std::size_t open = text.find("${");
    if (open == std::string::npos) {
      Literal(QuotedJson(text));
      return;
    }
    // Exactly one hole spanning the whole string: the value itself, with its JSON type.
    if (open == 0 && HoleEnd(text, 0) == text.size() - 1) {
      if (auto slot = Hole(std::string_view(text).substr(2, text.size() - 3), node, path)) {
        Add({Segment::Kind::kValue, {}, *slot});
      }
      return;
    }
    Literal("\"");
    std::size_t done = 0;
    while (open != std::string::npos) {
      std::size_t close = HoleEnd(text, open);
      if (close == std::string::npos) {
        params_.ErrorAt(node, path,
                        fmt::format("`${{` at character {} has no closing `}}`; write ${{field}} "
                                    "to insert a field of the event",
                                    open + 1));
        return;
      }
      LiteralText(std::string_view(text).substr(done, open - done));
      if (auto slot = Hole(std::string_view(text).substr(open + 2, close - open - 2), node, path)) {
        Add({Segment::Kind::kText, {}, *slot});
      }
      done = close + 1;
      open = text.find("${", done);
    }
    LiteralText(std::string_view(text).substr(done));
    Literal("\"");
  }

  // Text inside a string literal: escaped, without the quotes.
  void LiteralText(std::string_view text) {
    if (text.empty()) return;
    std::string quoted = QuotedJson(text);
    Literal(std::string_view(quoted).substr(1, quoted.size() - 2));
  }

  std::optional<std::size_t> Hole(std::string_view inside, const Node& node,
                                  const std::string& path) {
    std::string error;
    auto parsed = FieldPath::Parse(inside, &error);
    if (!parsed) {
      params_.ErrorAt(node, path, fmt::format("${{{}}} does not name a field: {}", inside, error));
      return std::nullopt;
    }
    std::vector<FieldPath>& paths = compiled_.paths_;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (paths[i].text() == parsed->text()) return i;
    }
    paths.push_back(std::move(*parsed));
    return paths.size() - 1;
  }

  void Literal(std::string_view text) {
    compiled_.literal_size_ += text.size();
    std::vector<Segment>& segments = compiled_.segments_;
    if (!segments.empty() && segments.back().kind == Segment::Kind::kLiteral) {
      segments.back().literal.append(text);
    } else {
      segments.push_back({Segment::Kind::kLiteral, std::string(text), 0});
    }
  }

  void Add(Segment segment) { compiled_.segments_.push_back(std::move(segment)); }

  JsonTemplate& compiled_;
  ParamReader& params_;
};

std::optional<JsonTemplate> JsonTemplate::Compile(const Node& node, const std::string& path,
                                                  ParamReader& params) {
  int errors_before = params.diagnostics().errors();
  JsonTemplate compiled;
  Compiler(compiled, params).Value(node, path);
  if (params.diagnostics().errors() != errors_before) return std::nullopt;
  return compiled;
}

bool JsonTemplate::Render(const Event& event, std::string& out) const {
  // simdjson's DOM parser picks the fastest kernel for this CPU at run time (its on-demand parser
  // would be fixed at compile time to the portable, slower one).
  thread_local simdjson::dom::parser parser;
  thread_local std::string buffer;
  thread_local std::vector<std::optional<simdjson::dom::element>> values;

  simdjson::dom::element root;
  std::string_view bytes = event.bytes();
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy.
  buffer.reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(bytes);
  if (parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false).get(root) !=
      simdjson::SUCCESS) {
    return false;
  }
  values.clear();
  for (const FieldPath& path : paths_) values.push_back(Resolve(root, path));

  out.reserve(out.size() + literal_size_ + bytes.size());
  for (const Segment& segment : segments_) {
    const std::optional<simdjson::dom::element>& value = values[segment.slot];
    switch (segment.kind) {
      case Segment::Kind::kLiteral:
        out.append(segment.literal);
        break;
      case Segment::Kind::kValue:
        if (value) {
          AppendJson(out, *value);
        } else {
          out.append("null");
        }
        break;
      case Segment::Kind::kText:
        if (value) AppendAsText(out, *value);
        break;
    }
  }
  return true;
}

}  // namespace coral::actors
