// PLACEHOLDER: the `fsm` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kFsmType;
const ActorType kFsmType{.name = "fsm", .summary = "(not yet implemented)"};

}  // namespace coral::actors
