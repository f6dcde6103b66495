// PLACEHOLDER: the `json` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kJsonType;
const ActorType kJsonType{.name = "json", .summary = "(not yet implemented)"};

}  // namespace coral::actors
