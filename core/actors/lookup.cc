// The `lookup` actor type: looks the value at `key` up in a table of objects.
//
//   enrich  emits the event with the matched object's fields added (they replace fields of the same
//           name); with no match, the event merged with `default`, or unchanged without one
//   filter  emits the event unchanged when the key matches (`default` is not used)
//   check   (alias `map`) emits the matched object alone, or `default`; nothing without one
//
// `match: exact` (default) needs the key to equal a table key; `match: startswith` needs it to
// start with one, and the longest such table key wins. A string key value is matched as its text;
// a number or boolean as its JSON text (42, 2.5, true). An event without the key field emits
// nothing (missing field); null, an object or a list as key emits nothing (wrong type).
// `default` is a json template ("${path}" holes filled from the event, see json_template.h).
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/json_template.h"
#include "common/text.h"
#include "definition/diagnostics.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

struct Match {
  Json fields;  // the object from the table
  Event event;  // the same object as an event, built once (check emits it as is)
};

struct LookupConfig {
  enum class Function { kEnrich, kFilter, kCheck };
  FieldPath key;
  Function function = Function::kEnrich;
  bool startswith = false;
  std::unordered_map<std::string, Match, StringHash, std::equal_to<>> table;
  std::vector<std::size_t> key_lengths;  // distinct table key lengths, longest first (startswith)
  std::optional<JsonTemplate> fallback;  // `default`
  std::optional<Event> fixed_fallback;   // `default` rendered once when it has no "${...}" holes

  const Match* Find(std::string_view value) const {
    if (!startswith) {
      auto it = table.find(value);
      return it == table.end() ? nullptr : &it->second;
    }
    for (std::size_t length : key_lengths) {
      if (length > value.size()) continue;
      auto it = table.find(value.substr(0, length));
      if (it != table.end()) return &it->second;
    }
    return nullptr;
  }
};

class LookupActor : public Actor {
 public:
  explicit LookupActor(std::shared_ptr<const LookupConfig> config) : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    std::optional<Json> key = event.ValueAt(config_->key);
    if (!key) {
      context.Ignore(IgnoreReason::kMissingField);
      return;
    }
    const Match* match = nullptr;
    if (key->is_string()) {
      match = config_->Find(key->get_ref<const std::string&>());
    } else if (key->is_number() || key->is_boolean()) {
      match = config_->Find(key->dump());
    } else {
      context.Ignore(IgnoreReason::kWrongType);
      return;
    }
    using Function = LookupConfig::Function;
    switch (config_->function) {
      case Function::kFilter:
        if (match) context.Emit(event);
        return;
      case Function::kCheck:
        if (match) {
          context.Emit(match->event);
        } else if (auto fallback = RenderDefault(event, context)) {
          context.Emit(std::move(*fallback));
        }
        return;
      case Function::kEnrich:
        if (match) {
          context.Emit(Merge(event, match->fields));
        } else if (!config_->fallback) {
          context.Emit(event);
        } else if (auto fallback = RenderDefault(event, context)) {
          context.Emit(Merge(event, fallback->value()));
        }
        return;
    }
  }

 private:
  static Event Merge(const Event& event, const Json& fields) {
    Json out = event.value();
    for (const auto& [name, value] : fields.items()) out[name] = value;
    return Event::FromJson(std::move(out));
  }

  std::optional<Event> RenderDefault(const Event& event, ActorContext& context) const {
    if (!config_->fallback) return std::nullopt;
    if (config_->fixed_fallback) return config_->fixed_fallback;
    std::string text;
    std::string error;
    std::optional<Event> rendered;
    if (config_->fallback->Render(event, text)) rendered = Event::Parse(text, &error);
    if (!rendered) context.Fail("lookup: could not build `default` from the event");
    return rendered;
  }

  std::shared_ptr<const LookupConfig> config_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<LookupConfig>();
  config->key = params.Path("key");
  if (const Node* table = params.Object("lookup")) {
    std::string table_path = params.PathOf("lookup");
    for (const Node::Entry& entry : table->entries()) {
      if (!entry.value.IsMap()) {
        params.ErrorAt(entry.value, definition::JoinPath(table_path, entry.key),
                       fmt::format("expected a mapping of the fields to use when the key is {}, "
                                   "such as {{city: Brussels}}, found {}",
                                   QuoteForMessage(entry.key), entry.value.Describe()));
        continue;
      }
      Json fields = entry.value.ToJson();
      Event event = Event::FromJson(fields);
      config->table.insert_or_assign(entry.key, Match{std::move(fields), std::move(event)});
      config->key_lengths.push_back(entry.key.size());
    }
    if (table->entries().empty()) {
      params.Warning("lookup", "the lookup table is empty, so no key ever matches");
    }
  }
  std::sort(config->key_lengths.begin(), config->key_lengths.end(), std::greater<>());
  config->key_lengths.erase(std::unique(config->key_lengths.begin(), config->key_lengths.end()),
                            config->key_lengths.end());
  std::string function = params.Enum("function", {"enrich", "filter", "check", "map"});
  if (function == "filter") config->function = LookupConfig::Function::kFilter;
  if (function == "check" || function == "map") config->function = LookupConfig::Function::kCheck;
  config->startswith = params.Enum("match", {"exact", "startswith"}, "exact") == "startswith";
  if (const Node* fallback = params.OptionalObject("default")) {
    if (function == "filter") {
      params.Warning("default",
                     "`default` is not used with `function: filter`, which passes "
                     "only events whose key matches");
    } else {
      config->fallback = JsonTemplate::Compile(*fallback, params.PathOf("default"), params);
      if (config->fallback && config->fallback->paths().empty()) {
        std::string text;
        if (config->fallback->Render(*Event::Parse("{}"), text)) {
          config->fixed_fallback = Event::Parse(text);
        }
      }
    }
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const LookupConfig>(std::move(config))](
             const ActorEnv& /*env*/) { return std::make_unique<LookupActor>(config); };
}

}  // namespace

extern const ActorType kLookupType;
const ActorType kLookupType{
    .name = "lookup",
    .summary =
        "looks the value at `key` up in a table: enrich the event, filter on a match, or "
        "check (emit the match)",
    .configure = Configure,
};

}  // namespace coral::actors
