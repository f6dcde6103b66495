#include "definition/model.h"

namespace coral::definition {

const ActorDefinition* RuntimeDefinition::FindActor(std::string_view actor_name) const {
  for (const ActorDefinition& actor : actors) {
    if (actor.name == actor_name) return &actor;
  }
  return nullptr;
}

}  // namespace coral::definition
