// The `httpbroadcast` actor type: emits every event it receives, unchanged (the same handle, never
// re-serialised). A fan-out point for events posted over HTTP. It takes no parameters; any given
// are warned about and ignored.
#include <memory>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

class HttpBroadcastActor final : public Actor {
 public:
  void OnEvent(const Event& event, ActorContext& context) override { context.Emit(event); }
};

ActorCreator Configure(ParamReader& params) {
  if (const definition::Node* node = params.node()) {
    for (const definition::Node::Entry& entry : node->entries()) {
      params.Get(entry.key);  // known: warned about here, not again by Finish
      params.Warning(entry.key, "httpbroadcast takes no parameters; this one is ignored");
    }
  }
  if (!params.Finish()) return nullptr;
  return [](const ActorEnv& /*env*/) { return std::make_unique<HttpBroadcastActor>(); };
}

}  // namespace

extern const ActorType kHttpBroadcastType;
const ActorType kHttpBroadcastType{
    .name = "httpbroadcast",
    .summary =
        "emits every event it receives unchanged (a fan-out point for events posted over HTTP)",
    .configure = Configure,
};

}  // namespace coral::actors
