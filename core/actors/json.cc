// The `json` actor: emits a template filled in from each event.
//
//   params: {template: {id: "${user.id}", label: "user ${user.name}", all: "${*}"}}
//
// See actors/json_template.h for the rules. Decisions beyond the spec:
// - a path that does not resolve gives null as a whole value, and nothing (empty text) inside text;
// - inside text, strings appear as their text and other values as compact JSON (null as `null`);
// - keys are literal ("${...}" in a key is not replaced);
// - `template` may also be a string holding a JSON object (older definitions wrote it that way).
#include <memory>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/json_template.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

class JsonActor final : public Actor {
 public:
  explicit JsonActor(std::shared_ptr<const JsonTemplate> compiled)
      : compiled_(std::move(compiled)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    std::string out;
    if (!compiled_->Render(event, out)) {
      context.Fail("json: could not read the event's JSON");
      return;
    }
    std::string error;
    std::optional<Event> made = Event::Parse(out, &error);
    if (!made) {
      context.Fail(fmt::format("json: the rendered template is not a JSON object ({})", error));
      return;
    }
    context.Emit(std::move(*made));
  }

 private:
  std::shared_ptr<const JsonTemplate> compiled_;
};

ActorCreator Configure(ParamReader& params) {
  std::optional<JsonTemplate> compiled;
  const Node* found = params.Get("template");
  std::optional<Node> from_text;  // `template` written as a string of JSON
  if (!found) {
    params.Error("template",
                 "missing; add `template:` with the object to emit, such as "
                 "{id: \"${user.id}\", event: \"${*}\"}");
  } else if (found->IsMap()) {
    compiled = JsonTemplate::Compile(*found, params.PathOf("template"), params);
  } else if (auto text = found->AsString()) {
    Json parsed = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
      from_text = Node::FromJson(parsed);
      compiled = JsonTemplate::Compile(*from_text, params.PathOf("template"), params);
    } else {
      params.Error("template",
                   fmt::format("expected a mapping (the object to emit), found {} that is not a "
                               "JSON object",
                               found->Describe()));
    }
  } else {
    params.Error("template", fmt::format("expected a mapping (the object to emit), found {}",
                                         found->Describe()));
  }
  if (!params.Finish() || !compiled) return nullptr;
  auto shared = std::make_shared<const JsonTemplate>(std::move(*compiled));
  return [shared](const ActorEnv& /*env*/) { return std::make_unique<JsonActor>(shared); };
}

}  // namespace

extern const ActorType kJsonType;
const ActorType kJsonType{
    .name = "json",
    .summary = "emits a JSON template with each \"${path}\" replaced by the event's value there",
    .stateful = false,
    .state_fields = {},
    .collect_aliases = {},
    .configure = &Configure,
};

}  // namespace coral::actors
