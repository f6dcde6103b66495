#include "definition/validator.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "actors/registry.h"
#include "common/text.h"
#include "definition/param_reader.h"
#include "definition/reader.h"
#include "definition/state_rules.h"

namespace coral::definition {
namespace {

constexpr std::string_view kTopLevelFields[] = {"name",  "owner", "description", "projectid",
                                                "actors", "links", "distribution"};
constexpr std::string_view kActorFields[] = {"name",    "type",  "params", "copies",
                                             "group",   "collect", "state", "log"};
constexpr std::string_view kLinkFields[] = {"from", "to"};
constexpr std::string_view kCollectFields[] = {"alias", "from", "field"};
constexpr std::string_view kDistributionFields[] = {"mode", "machine", "copies", "partition-key"};
constexpr std::string_view kDistributionModes[] = {
    "local", "predefined", "round-robin", "least-nr-runtimes", "least-nr-actors", "random"};
constexpr int kMaxCopies = 1024;

bool IsValidName(std::string_view name) {
  static const std::regex pattern("[A-Za-z0-9_-]{1,64}");
  return std::regex_match(name.begin(), name.end(), pattern);
}

std::string NameRule() {
  return "1 to 64 letters, digits, `_` or `-`";
}

// Checks one definition document; accumulates diagnostics and the typed model.
class DefinitionChecker {
 public:
  DefinitionChecker(const ValidationOptions& options, Diagnostics& diagnostics)
      : options_(options), diagnostics_(diagnostics) {}

  std::shared_ptr<RuntimeDefinition> Check(const Node& document) {
    if (!document.IsMap()) {
      Error("", document.position(),
            fmt::format("a definition is a mapping with name, actors and links; found {}",
                        document.Describe()));
      return nullptr;
    }
    auto runtime = std::make_shared<RuntimeDefinition>();
    runtime->source = document.ToJson();
    CheckUnknownFields(document, "", kTopLevelFields);
    CheckRuntimeName(document, *runtime);
    runtime->owner = OptionalText(document, "", "owner");
    runtime->description = OptionalText(document, "", "description").value_or("");
    runtime->projectid = OptionalText(document, "", "projectid");
    CheckActors(document, *runtime);
    CheckLinks(document, *runtime);
    CheckCollects(*runtime);
    CheckDistribution(document, *runtime);
    return runtime;
  }

 private:
  void Error(const std::string& path, Position position, std::string message) {
    diagnostics_.Error(path, position, std::move(message));
  }
  void Warning(const std::string& path, Position position, std::string message) {
    diagnostics_.Warning(path, position, std::move(message));
  }

  void CheckUnknownFields(const Node& map, const std::string& path,
                          std::span<const std::string_view> known) {
    for (const Node::Entry& entry : map.entries()) {
      if (std::find(known.begin(), known.end(), entry.key) != known.end()) continue;
      std::string message = "unknown field; it is ignored";
      std::string_view nearest = NearestWord(entry.key, known);
      if (!nearest.empty()) message += fmt::format(" -- did you mean `{}`?", nearest);
      Warning(JoinPath(path, entry.key), entry.key_position, std::move(message));
    }
  }

  // A text field that must be a string when present.
  std::optional<std::string> OptionalText(const Node& map, const std::string& path,
                                          std::string_view key) {
    const Node* node = map.Find(key);
    if (!node || node->IsNull()) return std::nullopt;
    if (!node->IsScalar()) {
      Error(JoinPath(path, std::string(key)), node->position(),
            fmt::format("expected a string, found {}", node->Describe()));
      return std::nullopt;
    }
    return node->text();
  }

  // Rule 1.
  void CheckRuntimeName(const Node& document, RuntimeDefinition& runtime) {
    const Node* name = document.Find("name");
    if (!name || name->IsNull()) {
      Error("name", document.position(),
            "the runtime has no name; add `name:` with " + NameRule());
      return;
    }
    if (!name->IsScalar() || !IsValidName(name->text())) {
      Error("name", name->position(),
            fmt::format("{} is not a valid runtime name; use {}", name->Describe(), NameRule()));
      return;
    }
    runtime.name = name->text();
  }

  // Rules 2-6, 12 (state), 13 (unknown fields).
  void CheckActors(const Node& document, RuntimeDefinition& runtime) {
    const Node* actors = document.Find("actors");
    if (!actors || actors->IsNull()) {
      Error("actors", document.position(),
            "the runtime has no actors; add an `actors:` list with at least one actor");
      return;
    }
    if (!actors->IsSequence()) {
      Error("actors", actors->position(),
            fmt::format("expected a list of actors, found {}", actors->Describe()));
      return;
    }
    if (actors->items().empty()) {
      Error("actors", actors->position(), "the actor list is empty; add at least one actor");
      return;
    }
    actors_node_ = actors;
    std::map<std::string, Position, std::less<>> seen;
    for (std::size_t i = 0; i < actors->items().size(); ++i) {
      const Node& actor = actors->items()[i];
      std::string path = IndexPath("actors", i);
      if (!actor.IsMap()) {
        Error(path, actor.position(),
              fmt::format("expected an actor (a mapping with name and type), found {}",
                          actor.Describe()));
        continue;
      }
      ActorDefinition definition;
      definition.position = actor.position();
      CheckUnknownFields(actor, path, kActorFields);
      const Node* name = actor.Find("name");
      if (!name || name->IsNull()) {
        Error(path + ".name", actor.position(), "the actor has no name; add `name:` with " + NameRule());
      } else if (!name->IsScalar() || !IsValidName(name->text())) {
        Error(path + ".name", name->position(),
              fmt::format("{} is not a valid actor name; use {}", name->Describe(), NameRule()));
      } else {
        definition.name = name->text();
        auto [previous, inserted] = seen.emplace(definition.name, name->position());
        if (!inserted) {
          Error(path + ".name", name->position(),
                fmt::format("duplicate actor name {} (first used at line {}); give every actor "
                            "a unique name",
                            QuoteForMessage(definition.name), previous->second.line));
        }
      }
      CheckActorType(actor, path, definition);
      CheckCopies(actor, path, definition);
      CheckGroup(actor, path, definition);
      ReadCollect(actor, path, definition);
      CheckActorLog(actor, path, definition);
      CheckState(actor, path, definition, diagnostics_);
      actor_paths_.push_back(path);
      runtime.actors.push_back(std::move(definition));
    }
  }

  // Rules 5 and 6.
  void CheckActorType(const Node& actor, const std::string& path, ActorDefinition& definition) {
    const Node* type = actor.Find("type");
    if (!type || type->IsNull()) {
      Error(path + ".type", actor.position(),
            fmt::format("the actor has no type; add `type:` with one of {}",
                        JoinAlternatives(actors::ActorTypeNames())));
      return;
    }
    std::string type_name = type->IsScalar() ? type->text() : std::string();
    definition.type = actors::FindActorType(type_name);
    if (!definition.type) {
      std::string message =
          fmt::format("unknown actor type {}",
                      type->IsScalar() ? QuoteForMessage(type_name) : type->Describe());
      std::string_view nearest = NearestWord(type_name, actors::ActorTypeNames());
      if (!nearest.empty()) {
        message += fmt::format("; did you mean `{}`?", nearest);
      } else {
        message += fmt::format("; the types are {}", JoinAlternatives(actors::ActorTypeNames()));
      }
      Error(path + ".type", type->position(), std::move(message));
      return;
    }
    const Node* params = actor.Find("params");
    if (params) definition.params = params->ToJson();
    if (!definition.type->configure) return;  // a type that takes no parameters at all
    // `filter` also accepts its filter list directly as params (the original platform's form).
    Node wrapped;
    if (params && params->IsSequence() && definition.type->name == "filter") {
      wrapped = Node::Map({{"filters", params->position(), *params}}, params->position());
      params = &wrapped;
    }
    ParamReader reader(params, path + ".params", actor.position(), diagnostics_);
    definition.create = definition.type->configure(reader);
  }

  void CheckCopies(const Node& actor, const std::string& path, ActorDefinition& definition) {
    const Node* copies = actor.Find("copies");
    if (!copies || copies->IsNull()) return;
    auto count = copies->AsInteger();
    if (!count || *count < 1 || *count > kMaxCopies) {
      Error(path + ".copies", copies->position(),
            fmt::format("expected a whole number from 1 to {}, found {}", kMaxCopies,
                        copies->Describe()));
      return;
    }
    definition.copies = static_cast<int>(*count);
  }

  void CheckGroup(const Node& actor, const std::string& path, ActorDefinition& definition) {
    const Node* group = actor.Find("group");
    if (!group || group->IsNull()) return;
    std::string group_path = path + ".group";
    if (!group->IsMap()) {
      Error(group_path, group->position(),
            fmt::format("expected `{{by: field}}`, found {}", group->Describe()));
      return;
    }
    CheckUnknownFields(*group, group_path, std::array<std::string_view, 1>{"by"});
    const Node* by = group->Find("by");
    if (!by || by->IsNull()) {
      Error(group_path + ".by", group->position(),
            "missing; write `group: {by: field}` with the field whose value picks the instance");
      return;
    }
    std::string error;
    auto field = by->IsScalar() ? FieldPath::Parse(by->text(), &error) : std::nullopt;
    if (!field || field->IsWholeEvent()) {
      Error(group_path + ".by", by->position(),
            fmt::format("{} is not a field name{}", by->Describe(),
                        error.empty() ? "" : ": " + error));
      return;
    }
    definition.group_by = std::move(*field);
  }

  void CheckActorLog(const Node& actor, const std::string& path, ActorDefinition& definition) {
    const Node* log = actor.Find("log");
    if (!log || log->IsNull()) return;
    if (!log->IsMap()) {
      Error(path + ".log", log->position(),
            fmt::format("expected `{{incoming: true|false, outgoing: true|false}}`, found {}",
                        log->Describe()));
      return;
    }
    ParamReader reader(log, path + ".log", log->position(), diagnostics_);
    definition.log_incoming = reader.Bool("incoming", false);
    definition.log_outgoing = reader.Bool("outgoing", false);
    reader.Finish();
  }

  // Rule 11, part one: the shape of each collect entry. References are checked once every actor
  // is known (CheckCollects).
  void ReadCollect(const Node& actor, const std::string& path, ActorDefinition& definition) {
    const Node* collect = actor.Find("collect");
    std::string collect_path = path + ".collect";
    if (collect && !collect->IsNull() && !collect->IsSequence()) {
      Error(collect_path, collect->position(),
            fmt::format("expected a list of `{{alias, from, field}}`, found {}",
                        collect->Describe()));
      return;
    }
    std::vector<Position> positions;
    if (collect && collect->IsSequence()) {
      std::map<std::string, Position> aliases;
      for (std::size_t i = 0; i < collect->items().size(); ++i) {
        const Node& item = collect->items()[i];
        std::string item_path = IndexPath(collect_path, i);
        if (!item.IsMap()) {
          Error(item_path, item.position(),
                fmt::format("expected `{{alias, from, field}}`, found {}", item.Describe()));
          continue;
        }
        CheckUnknownFields(item, item_path, kCollectFields);
        CollectDefinition entry;
        bool complete = true;
        for (auto [key, target] : {std::pair{"alias", &entry.alias}, std::pair{"from", &entry.from},
                                   std::pair{"field", &entry.field}}) {
          const Node* value = item.Find(key);
          if (!value || value->IsNull() || !value->IsScalar() || value->text().empty()) {
            Error(JoinPath(item_path, key), value ? value->position() : item.position(),
                  fmt::format("`{}` is {}; write the {}", key,
                              value && !value->IsNull() && value->IsScalar() ? "empty" : "missing",
                              key == std::string_view("alias")  ? "name the actor type expects"
                              : key == std::string_view("from") ? "name of the actor to read from"
                                                                : "state field to read"));
            complete = false;
          } else {
            *target = value->text();
          }
        }
        if (!complete) continue;
        auto [previous, inserted] = aliases.emplace(entry.alias, item.position());
        if (!inserted) {
          Error(item_path + ".alias", item.Find("alias")->position(),
                fmt::format("duplicate alias {} (first at line {}); each alias is collected once",
                            QuoteForMessage(entry.alias), previous->second.line));
          continue;
        }
        definition.collect.push_back(std::move(entry));
        positions.push_back(item.position());
      }
    }
    collect_positions_.push_back(std::move(positions));
    collect_nodes_.push_back(collect && collect->IsSequence() ? collect : nullptr);
  }

  // Rule 11, part two: aliases the type needs, and what each entry reads from.
  void CheckCollects(const RuntimeDefinition& runtime) {
    for (std::size_t a = 0; a < runtime.actors.size(); ++a) {
      const ActorDefinition& actor = runtime.actors[a];
      const std::string& path = actor_paths_[a];
      Position where = collect_nodes_[a] ? collect_nodes_[a]->position() : actor.position;
      if (actor.type) {
        for (std::string_view alias : actor.type->collect_aliases) {
          bool present = std::any_of(actor.collect.begin(), actor.collect.end(),
                                     [&](const CollectDefinition& c) { return c.alias == alias; });
          if (!present) {
            Error(path + ".collect", where,
                  fmt::format("a {} actor needs `{}` collected; add `{{alias: {}, from: <actor>, "
                              "field: <state field>}}` to `collect`",
                              actor.type->name, alias, alias));
          }
        }
      }
      for (std::size_t c = 0; c < actor.collect.size(); ++c) {
        const CollectDefinition& entry = actor.collect[c];
        std::string item_path = IndexPath(path + ".collect", c);
        Position position = collect_positions_[a][c];
        if (actor.type && !actor.type->collect_aliases.empty() &&
            std::find(actor.type->collect_aliases.begin(), actor.type->collect_aliases.end(),
                      entry.alias) == actor.type->collect_aliases.end()) {
          Warning(item_path + ".alias", position,
                  fmt::format("a {} actor does not use alias {}; it reads {}", actor.type->name,
                              QuoteForMessage(entry.alias),
                              JoinAlternatives(actor.type->collect_aliases, "and")));
        } else if (actor.type && actor.type->collect_aliases.empty()) {
          Warning(item_path, position,
                  fmt::format("a {} actor collects nothing; this entry is ignored",
                              actor.type->name));
        }
        if (entry.from == actor.name) {
          Error(item_path + ".from", position,
                "an actor cannot collect from itself; name another actor");
          continue;
        }
        const ActorDefinition* source = runtime.FindActor(entry.from);
        if (!source) {
          Error(item_path + ".from", position, UnknownActorMessage(runtime, entry.from));
          continue;
        }
        if (!source->type) continue;  // already reported
        const auto& fields = source->type->state_fields;
        if (std::find(fields.begin(), fields.end(), entry.field) == fields.end()) {
          if (fields.empty()) {
            Error(item_path + ".field", position,
                  fmt::format("actor {} is a {} and has no state to collect; collect from an "
                              "actor with state (stats, fsm, ...)",
                              QuoteForMessage(source->name), source->type->name));
          } else {
            std::string message =
                fmt::format("{} is not a state field of {} (a {}); its state fields are {}",
                            QuoteForMessage(entry.field), QuoteForMessage(source->name),
                            source->type->name, JoinAlternatives(fields, "and"));
            std::string_view nearest = NearestWord(entry.field, fields);
            if (!nearest.empty()) message += fmt::format(" -- did you mean `{}`?", nearest);
            Error(item_path + ".field", position, std::move(message));
          }
        }
      }
    }
  }

  std::string UnknownActorMessage(const RuntimeDefinition& runtime, std::string_view name) {
    std::vector<std::string_view> names;
    for (const ActorDefinition& actor : runtime.actors) {
      if (!actor.name.empty() && std::find(names.begin(), names.end(), actor.name) == names.end()) {
        names.push_back(actor.name);
      }
    }
    std::string message = fmt::format("no actor is named {}", QuoteForMessage(name));
    std::string_view nearest = NearestWord(name, names);
    if (!nearest.empty()) {
      message += fmt::format("; did you mean `{}`?", nearest);
    } else if (!names.empty()) {
      message += fmt::format("; the actors are {}", JoinAlternatives(names, "and"));
    }
    return message;
  }

  // Rules 7-10.
  void CheckLinks(const Node& document, RuntimeDefinition& runtime) {
    const Node* links = document.Find("links");
    bool one_actor = actors_node_ && actors_node_->items().size() == 1;
    if (!links || links->IsNull() || (links->IsSequence() && links->items().empty())) {
      if (actors_node_ && !one_actor) {
        Error("links", links ? links->position() : document.position(),
              "the runtime has several actors but no links; add `links:` with `{from: a, to: b}` "
              "entries so events flow between them");
      }
      return;
    }
    if (!links->IsSequence()) {
      Error("links", links->position(),
            fmt::format("expected a list of `{{from, to}}`, found {}", links->Describe()));
      return;
    }
    std::set<std::string> linked;
    for (std::size_t i = 0; i < links->items().size(); ++i) {
      const Node& link = links->items()[i];
      std::string path = IndexPath("links", i);
      if (!link.IsMap()) {
        Error(path, link.position(),
              fmt::format("expected `{{from: actor, to: actor}}`, found {}", link.Describe()));
        continue;
      }
      CheckUnknownFields(link, path, kLinkFields);
      LinkDefinition definition;
      bool complete = true;
      for (auto [key, target] : {std::pair{"from", &definition.from}, std::pair{"to", &definition.to}}) {
        const Node* end = link.Find(key);
        if (!end || end->IsNull() || !end->IsScalar() || end->text().empty()) {
          Error(JoinPath(path, key), end ? end->position() : link.position(),
                fmt::format("the link has no `{}`; write the name of the actor it {}", key,
                            key == std::string_view("from") ? "starts at" : "leads to"));
          complete = false;
          continue;
        }
        *target = end->text();
        linked.insert(*target);
        if (!runtime.FindActor(*target) && actors_node_) {
          Error(JoinPath(path, key), end->position(), UnknownActorMessage(runtime, *target));
          complete = false;
        }
      }
      if (!complete) continue;
      runtime.links.push_back(std::move(definition));
    }
    for (std::size_t a = 0; a < runtime.actors.size(); ++a) {
      const ActorDefinition& actor = runtime.actors[a];
      if (!actor.name.empty() && !linked.contains(actor.name)) {
        Warning(actor_paths_[a], actor.position,
                fmt::format("actor {} is in no link; it only receives events posted to it over "
                            "HTTP",
                            QuoteForMessage(actor.name)));
      }
    }
  }

  // Rule 12 (distribution).
  void CheckDistribution(const Node& document, RuntimeDefinition& runtime) {
    const Node* distribution = document.Find("distribution");
    if (!distribution || distribution->IsNull()) return;
    if (!distribution->IsMap()) {
      Error("distribution", distribution->position(),
            fmt::format("expected a mapping such as `{{mode: round-robin, copies: 2}}`, found {}",
                        distribution->Describe()));
      return;
    }
    CheckUnknownFields(*distribution, "distribution", kDistributionFields);
    DistributionDefinition& result = runtime.distribution;
    if (const Node* mode = distribution->Find("mode"); mode && !mode->IsNull()) {
      std::string text = mode->IsScalar() ? mode->text() : "";
      if (std::find(std::begin(kDistributionModes), std::end(kDistributionModes), text) ==
          std::end(kDistributionModes)) {
        std::string message = fmt::format("unknown distribution mode {}; use {}",
                                          mode->IsScalar() ? QuoteForMessage(text) : mode->Describe(),
                                          JoinAlternatives(kDistributionModes));
        std::string_view nearest = NearestWord(text, kDistributionModes);
        if (!nearest.empty()) message += fmt::format(" -- did you mean `{}`?", nearest);
        Error("distribution.mode", mode->position(), std::move(message));
      } else {
        result.mode = text;
      }
    }
    const Node* machine = distribution->Find("machine");
    if (machine && !machine->IsNull()) {
      if (result.mode != "predefined") {
        Error("distribution.machine", machine->position(),
              "`machine` only applies to `mode: predefined`; set that mode or remove `machine`");
      }
      if (machine->IsMap()) {
        ParamReader reader(machine, "distribution.machine", machine->position(), diagnostics_);
        std::string ip = reader.String("ip");
        std::int64_t port = reader.Integer("port", 1, 65535);
        if (reader.Finish()) result.machine = fmt::format("{}:{}", ip, port);
      } else if (machine->IsScalar() && !machine->text().empty()) {
        result.machine = machine->text();
      } else {
        Error("distribution.machine", machine->position(),
              fmt::format("expected `{{ip, port}}` or a machine alias, found {}",
                          machine->Describe()));
      }
    } else if (result.mode == "predefined") {
      Error("distribution.machine", distribution->position(),
            "`mode: predefined` needs the machine to run on; add `machine: {ip: ..., port: ...}` "
            "or a machine alias");
    }
    if (const Node* copies = distribution->Find("copies"); copies && !copies->IsNull()) {
      auto count = copies->AsInteger();
      if (!count || *count < 1 || *count > kMaxCopies) {
        Error("distribution.copies", copies->position(),
              fmt::format("expected a whole number from 1 to {}, found {}", kMaxCopies,
                          copies->Describe()));
      } else {
        result.copies = static_cast<int>(*count);
      }
    }
    if (const Node* key = distribution->Find("partition-key"); key && !key->IsNull()) {
      std::string error;
      auto path = key->IsScalar() ? FieldPath::Parse(key->text(), &error) : std::nullopt;
      if (!path || path->IsWholeEvent()) {
        Error("distribution.partition-key", key->position(),
              fmt::format("{} is not a field name{}", key->Describe(),
                          error.empty() ? "" : ": " + error));
      } else {
        result.partition_key = std::move(*path);
        if (result.copies == 1) {
          Warning("distribution.partition-key", key->position(),
                  "with one runtime copy the partition key has no effect; set `copies` above 1");
        }
      }
    }
  }

  const ValidationOptions& options_;
  Diagnostics& diagnostics_;
  const Node* actors_node_ = nullptr;
  std::vector<std::string> actor_paths_;  // parallel to RuntimeDefinition::actors
  std::vector<std::vector<Position>> collect_positions_;
  std::vector<const Node*> collect_nodes_;
};

}  // namespace

Validation Validate(const Node& document, const ValidationOptions& options) {
  Validation validation;
  auto runtime = DefinitionChecker(options, validation.diagnostics).Check(document);
  if (options.strict) validation.diagnostics.PromoteWarningsToErrors();
  validation.diagnostics.SortByPosition();
  if (runtime && !validation.diagnostics.HasErrors()) validation.definition = std::move(runtime);
  return validation;
}

Validation ValidateText(std::string_view text, const ValidationOptions& options) {
  Validation validation;
  auto node = ReadDocument(text, validation.diagnostics);
  if (!node) return validation;
  return Validate(*node, options);
}

Validation ValidateFile(const std::string& path, const ValidationOptions& options) {
  Validation validation;
  auto node = ReadDocumentFile(path, validation.diagnostics);
  if (!node) return validation;
  return Validate(*node, options);
}

}  // namespace coral::definition
