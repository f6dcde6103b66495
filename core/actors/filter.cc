// The `filter` actor type: passes an event on, unchanged, when every filter in its list passes.
//
// Params are `{filters: [...]}` or, as on the original platform, the list itself. Each filter is
// `{type, function, field, param}`:
//   type      startswith | equals | contains | regex (ECMAScript, searched anywhere in the value;
//             anchor it with ^...$ to match the whole value; compiled once, at definition time)
//   function  include: passes when the value matches; exclude: passes when it does not
// A missing field does not match: an `include` filter fails and an `exclude` filter passes.
// A string field is compared as its text; any other value (number, boolean, null, object, list)
// by its compact JSON text, so `param: 5` equals the number 5 and `param: "true"` the boolean.
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "common/text.h"
#include "definition/diagnostics.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

struct Filter {
  enum class Type { kStartsWith, kEquals, kContains, kRegex };
  Type type = Type::kEquals;
  bool include = true;
  FieldPath field;
  std::string param;
  std::regex regex;  // kRegex

  bool Matches(const std::string& value) const {
    switch (type) {
      case Type::kStartsWith:
        return value.starts_with(param);
      case Type::kEquals:
        return value == param;
      case Type::kContains:
        return value.find(param) != std::string::npos;
      case Type::kRegex:
        return std::regex_search(value, regex);
    }
    return false;
  }

  bool Passes(const Event& event) const {
    std::optional<std::string> text = event.TextAt(field);
    bool matches = text && Matches(*text);
    return include ? matches : !matches;
  }
};

class FilterActor : public Actor {
 public:
  explicit FilterActor(std::shared_ptr<const std::vector<Filter>> filters)
      : filters_(std::move(filters)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    // Each filter reads only its field from the original bytes (Event::TextAt); the event is
    // never parsed whole.
    for (const Filter& filter : *filters_) {
      if (!filter.Passes(event)) return;
    }
    context.Emit(event);
  }

 private:
  std::shared_ptr<const std::vector<Filter>> filters_;
};

constexpr std::string_view kExample =
    "{type: equals, function: include, field: name, param: Alice}";

std::optional<Filter> ReadFilter(const Node& node, const std::string& path, ParamReader& params) {
  if (!node.IsMap()) {
    params.ErrorAt(
        node, path,
        fmt::format("expected a filter such as {}, found {}", kExample, node.Describe()));
    return std::nullopt;
  }
  ParamReader reader(&node, path, node.position(), params.diagnostics());
  Filter filter;
  std::string type = reader.Enum("type", {"startswith", "equals", "contains", "regex"});
  std::string function = reader.Enum("function", {"include", "exclude"});
  filter.field = reader.Path("field");
  filter.param = reader.String("param");
  filter.include = function != "exclude";
  if (type == "startswith") filter.type = Filter::Type::kStartsWith;
  if (type == "contains") filter.type = Filter::Type::kContains;
  if (type == "regex") {
    filter.type = Filter::Type::kRegex;
    if (reader.Has("param")) {
      try {
        filter.regex = std::regex(filter.param, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& error) {
        reader.Error("param", fmt::format("{} is not a valid regular expression ({}); write an "
                                          "ECMAScript pattern such as `^error-[0-9]+$`",
                                          QuoteForMessage(filter.param), error.what()));
      }
    }
  }
  if (!reader.Finish()) return std::nullopt;
  return filter;
}

ActorCreator Configure(ParamReader& params) {
  std::string list_path = params.path();
  const Node* list = params.TakeList();
  if (!list) {
    list = params.List("filters");
    list_path = params.PathOf("filters");
  }
  auto filters = std::make_shared<std::vector<Filter>>();
  bool ok = true;
  if (list && list->items().empty()) {
    params.ErrorAt(
        *list, list_path,
        fmt::format("the list of filters is empty; add at least one, such as {}", kExample));
  }
  if (list) {
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      auto filter = ReadFilter(list->items()[i], definition::IndexPath(list_path, i), params);
      if (filter) {
        filters->push_back(std::move(*filter));
      } else {
        ok = false;
      }
    }
  }
  if (!params.Finish() || !ok) return nullptr;
  return [filters = std::shared_ptr<const std::vector<Filter>>(std::move(filters))](
             const ActorEnv& /*env*/) { return std::make_unique<FilterActor>(filters); };
}

}  // namespace

extern const ActorType kFilterType;
const ActorType kFilterType{
    .name = "filter",
    .summary =
        "passes an event on unchanged when every filter (startswith, equals, contains, "
        "regex; include or exclude) passes",
    .configure = Configure,
};

}  // namespace coral::actors
