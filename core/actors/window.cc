// PLACEHOLDER: the `window` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kWindowType;
const ActorType kWindowType{.name = "window", .summary = "(not yet implemented)"};

}  // namespace coral::actors
